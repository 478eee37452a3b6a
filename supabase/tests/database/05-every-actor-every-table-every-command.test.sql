-- The access matrix: for every table in `public` (all of them are reachable through PostgREST), each of the eight
-- actors (anon, candidate_a, candidate_b, owner, stranger, reviewer, editor, admin) and each of select, insert,
-- update and delete, one representative statement aimed at a row that actor could plausibly target, and the outcome
-- the rules call for. The topic files (10-, 20-, 30-, ...) test the finer points; this one proves no cell is missing.
--
-- Each cell runs through tests.outcome() (helpers.sql) as its actor, inside a subtransaction that is always rolled
-- back, so every cell starts from the same fixtures. Outcomes:
--   rows:N                   the statement succeeded and returned or wrote N rows. rows:0 is the empty result of a
--                            read or write that RLS filters (the row exists: this actor may not see or touch it)
--   error:42501              refused: no privilege on the table or column, or a WITH CHECK rejected the new row
--   error:<SQLSTATE> <code>  refused by one of the project's triggers, with its machine code (question_locked, ...)
-- Expected outcomes come from the rules (issue 3, the policies' names and the migration comments, the README's "old
-- API, mapped"), not from a run (the webhook tables' cells are generated from one expected outcome per command for
-- the organization's managers and one for everyone else). Three more assertions keep the matrix honest: it holds
-- exactly one cell per public table, actor and command (a new table fails it until its cells are written); every
-- rows:0 cell aims at rows that exist; and nothing any cell wrote survives it.
begin;
set local search_path = public, extensions, tests;

-- Fixtures: the shared world (helpers.sql), plus what the tables below need a row of:
--   ra     candidate_a's submitted take of q1 (session_a in progress); q2 is revealed to candidate_a, unanswered
--   rb     candidate_b's submitted take of q1 in session_b (nobody has rated it: the insert target for evaluations)
--   eval_owner, eval_editor   the owner's and the editor's ratings of ra (the reviewer has not rated ra: blind)
--   decision_a                the owner's decision on session_a (session_b has none: the insert target)
--   draft_campaign            the owner's draft, shared with the reviewer and the editor (only drafts can be deleted)
--   a video_deletions row of `campaign`; audit_log holds the `session.invited` entry of session_a
--   organization `acme`: owner is its owner, editor an admin, reviewer a member; `acme_invitation` is open
do $$
declare
  eval_owner uuid;
  eval_editor uuid;
  decision_a uuid;
  acme uuid;
  editor uuid;
begin
  perform tests.create_interview_world();
  insert into tests.fixture_ids values ('ra', tests.answer_first_question('session_a', 'candidate_a'));
  insert into tests.fixture_ids values ('rb', tests.answer_first_question('session_b', 'candidate_b'));

  perform tests.authenticate_as('candidate_a');
  perform public.reveal_next_question(tests.id('session_a'));
  perform tests.authenticate_as('owner');
  insert into evaluations (response_id, score, comment) values (tests.id('ra'), 4, 'Clear')
  returning id into eval_owner;
  insert into session_decisions (session_id, decision) values (tests.id('session_a'), 'advance')
  returning id into decision_a;
  perform tests.authenticate_as('editor');
  insert into evaluations (response_id, score, comment) values (tests.id('ra'), 2, 'Vague')
  returning id into eval_editor;
  perform set_config('role', 'none', true);
  perform set_config('request.jwt.claims', '', true);
  insert into tests.fixture_ids
  values ('eval_owner', eval_owner), ('eval_editor', eval_editor), ('decision_a', decision_a);

  with c as (
    insert into campaigns (owner_id, title, status, start_date, end_date)
    values (tests.id('owner'), 'Platform lead (draft)', 'draft', now(), now() + interval '30 days')
    returning id
  )
  insert into tests.fixture_ids select 'draft_campaign', c.id from c;
  insert into campaign_collaborators (campaign_id, user_id, role)
  values (tests.id('draft_campaign'), tests.id('reviewer'), 'reviewer'),
         (tests.id('draft_campaign'), tests.id('editor'), 'editor');

  -- Acme's roles for the organization tables: owner (owner), admin (editor), member (reviewer); and one open
  -- colleague invitation.
  -- (Ids in variables: the planner estimates `column = tests.id(...)` with the snapshot this block started with, which
  -- does not see the fixtures yet.)
  acme := tests.id('acme');
  editor := tests.id('editor');
  update organization_members set role = 'admin' where organization_id = acme and user_id = editor;
  with i as (
    insert into organization_invitations (organization_id, email, role, invited_by)
    values (tests.id('acme'), 'colleague@test.local', 'member', tests.id('owner'))
    returning id
  )
  insert into tests.fixture_ids select 'acme_invitation', i.id from i;

  insert into video_deletions (object_key, reason, session_id, campaign_id)
  values ('campaigns/' || tests.id('campaign') || '/sessions/old-take.webm', 'retention', tests.id('session_a'),
          tests.id('campaign'));
end
$$;

-- Webhook fixtures: Acme's endpoint `acme_hook` (created by the owner through the RPC), one delivery of a recorded
-- event to it (`acme_delivery`) and one logged attempt of that delivery.
do $$
declare
  hook jsonb;
begin
  perform tests.authenticate_as('owner');
  hook := public.create_webhook_endpoint(tests.id('acme'), 'https://ats.example.com/hooks', '{decision.made}');
  perform set_config('role', 'none', true);
  perform set_config('request.jwt.claims', '', true);
  insert into tests.fixture_ids values ('acme_hook', (hook ->> 'id')::uuid);
  with e as (
    insert into private.webhook_events (organization_id, campaign_id, type, payload)
    values (tests.id('acme'), tests.id('campaign'), 'decision.made', '{}') returning id
  )
  insert into tests.fixture_ids select 'acme_event', e.id from e;
  with d as (
    insert into webhook_deliveries (endpoint_id, event_id, organization_id, event_type)
    values (tests.id('acme_hook'), tests.id('acme_event'), tests.id('acme'), 'decision.made') returning id
  )
  insert into tests.fixture_ids select 'acme_delivery', d.id from d;
  insert into webhook_delivery_attempts (delivery_id, endpoint_id, organization_id, duration_ms, status_code, outcome)
  values (tests.id('acme_delivery'), tests.id('acme_hook'), tests.id('acme'), 120, 500, 'http_error');
end
$$;

create temporary table matrix (
  n integer generated always as identity,
  table_name text not null,
  actor text not null,
  command text not null,
  statement text not null,
  expected text not null,
  description text not null
) on commit drop;

insert into matrix (table_name, actor, command, statement, expected, description) values

-- =====================================================================================================================
-- organizations: members read theirs; owners and admins rename it; nobody creates or deletes one through the API.
-- organization_members: members read their colleagues; owners and admins change roles and remove members (anyone
-- can leave); nobody adds a member but an accepted invitation. organization_invitations: owners and admins read and
-- revoke; only the invitations function writes them.
-- =====================================================================================================================
('organizations', 'anon', 'select',
  $$ select 1 from organizations where id = tests.id('acme') $$,
  'error:42501', 'anon cannot read organizations'),
('organizations', 'anon', 'insert',
  $$ insert into organizations (name) values ('Mine') $$,
  'error:42501', 'anon cannot create an organization'),
('organizations', 'anon', 'update',
  $$ update organizations set name = 'Acme Corp' where id = tests.id('acme') $$,
  'error:42501', 'anon cannot rename an organization'),
('organizations', 'anon', 'delete',
  $$ delete from organizations where id = tests.id('acme') $$,
  'error:42501', 'anon cannot delete an organization'),
('organizations', 'candidate_a', 'select',
  $$ select 1 from organizations where id = tests.id('acme') $$,
  'rows:0', 'candidate_a cannot read a company'),
('organizations', 'candidate_a', 'insert',
  $$ insert into organizations (name) values ('Mine') $$,
  'error:42501', 'candidate_a cannot create an organization'),
('organizations', 'candidate_a', 'update',
  $$ update organizations set name = 'Acme Corp' where id = tests.id('acme') $$,
  'rows:0', 'candidate_a cannot rename a company'),
('organizations', 'candidate_a', 'delete',
  $$ delete from organizations where id = tests.id('acme') $$,
  'error:42501', 'candidate_a cannot delete an organization'),
('organizations', 'candidate_b', 'select',
  $$ select 1 from organizations where id = tests.id('acme') $$,
  'rows:0', 'candidate_b cannot read a company'),
('organizations', 'candidate_b', 'insert',
  $$ insert into organizations (name) values ('Mine') $$,
  'error:42501', 'candidate_b cannot create an organization'),
('organizations', 'candidate_b', 'update',
  $$ update organizations set name = 'Acme Corp' where id = tests.id('acme') $$,
  'rows:0', 'candidate_b cannot rename a company'),
('organizations', 'candidate_b', 'delete',
  $$ delete from organizations where id = tests.id('acme') $$,
  'error:42501', 'candidate_b cannot delete an organization'),
('organizations', 'owner', 'select',
  $$ select 1 from organizations where id = tests.id('acme') $$,
  'rows:1', 'the owner reads Acme'),
('organizations', 'owner', 'insert',
  $$ insert into organizations (name) values ('Mine') $$,
  'error:42501', 'the owner cannot create an organization (one comes with each sign-up)'),
('organizations', 'owner', 'update',
  $$ update organizations set name = 'Acme Corp' where id = tests.id('acme') $$,
  'rows:1', 'the owner renames Acme'),
('organizations', 'owner', 'delete',
  $$ delete from organizations where id = tests.id('acme') $$,
  'error:42501', 'the owner cannot delete an organization'),
('organizations', 'stranger', 'select',
  $$ select 1 from organizations where id = tests.id('acme') $$,
  'rows:0', 'the stranger (another company) cannot read Acme'),
('organizations', 'stranger', 'insert',
  $$ insert into organizations (name) values ('Mine') $$,
  'error:42501', 'the stranger (another company) cannot create an organization (one comes with each sign-up)'),
('organizations', 'stranger', 'update',
  $$ update organizations set name = 'Acme Corp' where id = tests.id('acme') $$,
  'rows:0', 'the stranger (another company) cannot rename Acme'),
('organizations', 'stranger', 'delete',
  $$ delete from organizations where id = tests.id('acme') $$,
  'error:42501', 'the stranger (another company) cannot delete an organization'),
('organizations', 'reviewer', 'select',
  $$ select 1 from organizations where id = tests.id('acme') $$,
  'rows:1', 'the reviewer (a member) reads Acme'),
('organizations', 'reviewer', 'insert',
  $$ insert into organizations (name) values ('Mine') $$,
  'error:42501', 'the reviewer (a member) cannot create an organization (one comes with each sign-up)'),
('organizations', 'reviewer', 'update',
  $$ update organizations set name = 'Acme Corp' where id = tests.id('acme') $$,
  'rows:0', 'the reviewer (a member) cannot rename Acme'),
('organizations', 'reviewer', 'delete',
  $$ delete from organizations where id = tests.id('acme') $$,
  'error:42501', 'the reviewer (a member) cannot delete an organization'),
('organizations', 'editor', 'select',
  $$ select 1 from organizations where id = tests.id('acme') $$,
  'rows:1', 'the editor (an admin) reads Acme'),
('organizations', 'editor', 'insert',
  $$ insert into organizations (name) values ('Mine') $$,
  'error:42501', 'the editor (an admin) cannot create an organization (one comes with each sign-up)'),
('organizations', 'editor', 'update',
  $$ update organizations set name = 'Acme Corp' where id = tests.id('acme') $$,
  'rows:1', 'the editor (an admin) renames Acme'),
('organizations', 'editor', 'delete',
  $$ delete from organizations where id = tests.id('acme') $$,
  'error:42501', 'the editor (an admin) cannot delete an organization'),
('organizations', 'admin', 'select',
  $$ select 1 from organizations where id = tests.id('acme') $$,
  'rows:1', 'the admin reads Acme'),
('organizations', 'admin', 'insert',
  $$ insert into organizations (name) values ('Mine') $$,
  'error:42501', 'the admin cannot create an organization (one comes with each sign-up)'),
('organizations', 'admin', 'update',
  $$ update organizations set name = 'Acme Corp' where id = tests.id('acme') $$,
  'rows:1', 'the admin renames Acme'),
('organizations', 'admin', 'delete',
  $$ delete from organizations where id = tests.id('acme') $$,
  'error:42501', 'the admin cannot delete an organization'),
('organization_members', 'anon', 'select',
  $$ select 1 from organization_members where organization_id = tests.id('acme') $$,
  'error:42501', 'anon cannot read members'),
('organization_members', 'anon', 'insert',
  $$ insert into organization_members (organization_id, user_id, role) values (tests.id('acme'), tests.id('stranger'), 'member') $$,
  'error:42501', 'anon cannot add a member'),
('organization_members', 'anon', 'update',
  $$ update organization_members set role = 'admin' where organization_id = tests.id('acme') and user_id = tests.id('reviewer') $$,
  'error:42501', 'anon cannot change a role'),
('organization_members', 'anon', 'delete',
  $$ delete from organization_members where organization_id = tests.id('acme') and user_id = tests.id('reviewer') $$,
  'error:42501', 'anon cannot remove a member'),
('organization_members', 'candidate_a', 'select',
  $$ select 1 from organization_members where organization_id = tests.id('acme') $$,
  'rows:0', 'candidate_a cannot read who works at a company'),
('organization_members', 'candidate_a', 'insert',
  $$ insert into organization_members (organization_id, user_id, role) values (tests.id('acme'), tests.id('stranger'), 'member') $$,
  'error:42501', 'candidate_a cannot add a member'),
('organization_members', 'candidate_a', 'update',
  $$ update organization_members set role = 'admin' where organization_id = tests.id('acme') and user_id = tests.id('reviewer') $$,
  'rows:0', 'candidate_a cannot change a role'),
('organization_members', 'candidate_a', 'delete',
  $$ delete from organization_members where organization_id = tests.id('acme') and user_id = tests.id('reviewer') $$,
  'rows:0', 'candidate_a cannot remove a member'),
('organization_members', 'candidate_b', 'select',
  $$ select 1 from organization_members where organization_id = tests.id('acme') $$,
  'rows:0', 'candidate_b cannot read who works at a company'),
('organization_members', 'candidate_b', 'insert',
  $$ insert into organization_members (organization_id, user_id, role) values (tests.id('acme'), tests.id('stranger'), 'member') $$,
  'error:42501', 'candidate_b cannot add a member'),
('organization_members', 'candidate_b', 'update',
  $$ update organization_members set role = 'admin' where organization_id = tests.id('acme') and user_id = tests.id('reviewer') $$,
  'rows:0', 'candidate_b cannot change a role'),
('organization_members', 'candidate_b', 'delete',
  $$ delete from organization_members where organization_id = tests.id('acme') and user_id = tests.id('reviewer') $$,
  'rows:0', 'candidate_b cannot remove a member'),
('organization_members', 'owner', 'select',
  $$ select 1 from organization_members where organization_id = tests.id('acme') $$,
  'rows:3', 'the owner reads the members of Acme'),
('organization_members', 'owner', 'insert',
  $$ insert into organization_members (organization_id, user_id, role) values (tests.id('acme'), tests.id('stranger'), 'member') $$,
  'error:42501', 'the owner cannot add a member (only an accepted invitation does)'),
('organization_members', 'owner', 'update',
  $$ update organization_members set role = 'admin' where organization_id = tests.id('acme') and user_id = tests.id('reviewer') $$,
  'rows:1', 'the owner promotes the reviewer'),
('organization_members', 'owner', 'delete',
  $$ delete from organization_members where organization_id = tests.id('acme') and user_id = tests.id('reviewer') $$,
  'rows:1', 'the owner removes the reviewer'),
('organization_members', 'stranger', 'select',
  $$ select 1 from organization_members where organization_id = tests.id('acme') $$,
  'rows:0', 'the stranger (another company) cannot read who works at Acme'),
('organization_members', 'stranger', 'insert',
  $$ insert into organization_members (organization_id, user_id, role) values (tests.id('acme'), tests.id('stranger'), 'member') $$,
  'error:42501', 'the stranger (another company) cannot add a member (only an accepted invitation does)'),
('organization_members', 'stranger', 'update',
  $$ update organization_members set role = 'admin' where organization_id = tests.id('acme') and user_id = tests.id('reviewer') $$,
  'rows:0', 'the stranger (another company) cannot promote the reviewer'),
('organization_members', 'stranger', 'delete',
  $$ delete from organization_members where organization_id = tests.id('acme') and user_id = tests.id('reviewer') $$,
  'rows:0', 'the stranger (another company) cannot remove a member of Acme'),
('organization_members', 'reviewer', 'select',
  $$ select 1 from organization_members where organization_id = tests.id('acme') $$,
  'rows:3', 'the reviewer (a member) reads the members of Acme'),
('organization_members', 'reviewer', 'insert',
  $$ insert into organization_members (organization_id, user_id, role) values (tests.id('acme'), tests.id('stranger'), 'member') $$,
  'error:42501', 'the reviewer (a member) cannot add a member (only an accepted invitation does)'),
('organization_members', 'reviewer', 'update',
  $$ update organization_members set role = 'admin' where organization_id = tests.id('acme') and user_id = tests.id('reviewer') $$,
  'rows:0', 'the reviewer (a member) cannot promote the reviewer'),
('organization_members', 'reviewer', 'delete',
  $$ delete from organization_members where organization_id = tests.id('acme') and user_id = tests.id('editor') $$,
  'rows:0', 'the reviewer (a member) cannot remove a member of Acme'),
('organization_members', 'editor', 'select',
  $$ select 1 from organization_members where organization_id = tests.id('acme') $$,
  'rows:3', 'the editor (an admin) reads the members of Acme'),
('organization_members', 'editor', 'insert',
  $$ insert into organization_members (organization_id, user_id, role) values (tests.id('acme'), tests.id('stranger'), 'member') $$,
  'error:42501', 'the editor (an admin) cannot add a member (only an accepted invitation does)'),
('organization_members', 'editor', 'update',
  $$ update organization_members set role = 'admin' where organization_id = tests.id('acme') and user_id = tests.id('reviewer') $$,
  'rows:1', 'the editor (an admin) promotes the reviewer'),
('organization_members', 'editor', 'delete',
  $$ delete from organization_members where organization_id = tests.id('acme') and user_id = tests.id('reviewer') $$,
  'rows:1', 'the editor (an admin) removes the reviewer'),
('organization_members', 'admin', 'select',
  $$ select 1 from organization_members where organization_id = tests.id('acme') $$,
  'rows:3', 'the admin reads the members of Acme'),
('organization_members', 'admin', 'insert',
  $$ insert into organization_members (organization_id, user_id, role) values (tests.id('acme'), tests.id('stranger'), 'member') $$,
  'error:42501', 'the admin cannot add a member (only an accepted invitation does)'),
('organization_members', 'admin', 'update',
  $$ update organization_members set role = 'admin' where organization_id = tests.id('acme') and user_id = tests.id('reviewer') $$,
  'rows:1', 'the admin promotes the reviewer'),
('organization_members', 'admin', 'delete',
  $$ delete from organization_members where organization_id = tests.id('acme') and user_id = tests.id('reviewer') $$,
  'rows:1', 'the admin removes the reviewer'),
('organization_invitations', 'anon', 'select',
  $$ select 1 from organization_invitations where id = tests.id('acme_invitation') $$,
  'error:42501', 'anon cannot read invitations'),
('organization_invitations', 'anon', 'insert',
  $$ insert into organization_invitations (organization_id, email) values (tests.id('acme'), 'x@test.local') $$,
  'error:42501', 'anon cannot invite'),
('organization_invitations', 'anon', 'update',
  $$ update organization_invitations set role = 'admin' where id = tests.id('acme_invitation') $$,
  'error:42501', 'anon cannot edit an invitation'),
('organization_invitations', 'anon', 'delete',
  $$ delete from organization_invitations where id = tests.id('acme_invitation') $$,
  'error:42501', 'anon cannot revoke an invitation'),
('organization_invitations', 'candidate_a', 'select',
  $$ select 1 from organization_invitations where id = tests.id('acme_invitation') $$,
  'rows:0', 'candidate_a cannot read invitations'),
('organization_invitations', 'candidate_a', 'insert',
  $$ insert into organization_invitations (organization_id, email) values (tests.id('acme'), 'x@test.local') $$,
  'error:42501', 'candidate_a cannot invite'),
('organization_invitations', 'candidate_a', 'update',
  $$ update organization_invitations set role = 'admin' where id = tests.id('acme_invitation') $$,
  'error:42501', 'candidate_a cannot edit an invitation'),
('organization_invitations', 'candidate_a', 'delete',
  $$ delete from organization_invitations where id = tests.id('acme_invitation') $$,
  'rows:0', 'candidate_a cannot revoke an invitation'),
('organization_invitations', 'candidate_b', 'select',
  $$ select 1 from organization_invitations where id = tests.id('acme_invitation') $$,
  'rows:0', 'candidate_b cannot read invitations'),
('organization_invitations', 'candidate_b', 'insert',
  $$ insert into organization_invitations (organization_id, email) values (tests.id('acme'), 'x@test.local') $$,
  'error:42501', 'candidate_b cannot invite'),
('organization_invitations', 'candidate_b', 'update',
  $$ update organization_invitations set role = 'admin' where id = tests.id('acme_invitation') $$,
  'error:42501', 'candidate_b cannot edit an invitation'),
('organization_invitations', 'candidate_b', 'delete',
  $$ delete from organization_invitations where id = tests.id('acme_invitation') $$,
  'rows:0', 'candidate_b cannot revoke an invitation'),
('organization_invitations', 'owner', 'select',
  $$ select 1 from organization_invitations where id = tests.id('acme_invitation') $$,
  'rows:1', 'the owner reads Acme''s invitations'),
('organization_invitations', 'owner', 'insert',
  $$ insert into organization_invitations (organization_id, email) values (tests.id('acme'), 'x@test.local') $$,
  'error:42501', 'the owner cannot write an invitation (the invitations function does)'),
('organization_invitations', 'owner', 'update',
  $$ update organization_invitations set role = 'admin' where id = tests.id('acme_invitation') $$,
  'error:42501', 'the owner cannot edit an invitation'),
('organization_invitations', 'owner', 'delete',
  $$ delete from organization_invitations where id = tests.id('acme_invitation') $$,
  'rows:1', 'the owner revokes the invitation'),
('organization_invitations', 'stranger', 'select',
  $$ select 1 from organization_invitations where id = tests.id('acme_invitation') $$,
  'rows:0', 'the stranger (another company) cannot read Acme''s invitations'),
('organization_invitations', 'stranger', 'insert',
  $$ insert into organization_invitations (organization_id, email) values (tests.id('acme'), 'x@test.local') $$,
  'error:42501', 'the stranger (another company) cannot write an invitation (the invitations function does)'),
('organization_invitations', 'stranger', 'update',
  $$ update organization_invitations set role = 'admin' where id = tests.id('acme_invitation') $$,
  'error:42501', 'the stranger (another company) cannot edit an invitation'),
('organization_invitations', 'stranger', 'delete',
  $$ delete from organization_invitations where id = tests.id('acme_invitation') $$,
  'rows:0', 'the stranger (another company) cannot revoke Acme''s invitation'),
('organization_invitations', 'reviewer', 'select',
  $$ select 1 from organization_invitations where id = tests.id('acme_invitation') $$,
  'rows:0', 'the reviewer (a member) cannot read Acme''s invitations'),
('organization_invitations', 'reviewer', 'insert',
  $$ insert into organization_invitations (organization_id, email) values (tests.id('acme'), 'x@test.local') $$,
  'error:42501', 'the reviewer (a member) cannot write an invitation (the invitations function does)'),
('organization_invitations', 'reviewer', 'update',
  $$ update organization_invitations set role = 'admin' where id = tests.id('acme_invitation') $$,
  'error:42501', 'the reviewer (a member) cannot edit an invitation'),
('organization_invitations', 'reviewer', 'delete',
  $$ delete from organization_invitations where id = tests.id('acme_invitation') $$,
  'rows:0', 'the reviewer (a member) cannot revoke Acme''s invitation'),
('organization_invitations', 'editor', 'select',
  $$ select 1 from organization_invitations where id = tests.id('acme_invitation') $$,
  'rows:1', 'the editor (an admin) reads Acme''s invitations'),
('organization_invitations', 'editor', 'insert',
  $$ insert into organization_invitations (organization_id, email) values (tests.id('acme'), 'x@test.local') $$,
  'error:42501', 'the editor (an admin) cannot write an invitation (the invitations function does)'),
('organization_invitations', 'editor', 'update',
  $$ update organization_invitations set role = 'admin' where id = tests.id('acme_invitation') $$,
  'error:42501', 'the editor (an admin) cannot edit an invitation'),
('organization_invitations', 'editor', 'delete',
  $$ delete from organization_invitations where id = tests.id('acme_invitation') $$,
  'rows:1', 'the editor (an admin) revokes the invitation'),
('organization_invitations', 'admin', 'select',
  $$ select 1 from organization_invitations where id = tests.id('acme_invitation') $$,
  'rows:1', 'the admin reads Acme''s invitations'),
('organization_invitations', 'admin', 'insert',
  $$ insert into organization_invitations (organization_id, email) values (tests.id('acme'), 'x@test.local') $$,
  'error:42501', 'the admin cannot write an invitation (the invitations function does)'),
('organization_invitations', 'admin', 'update',
  $$ update organization_invitations set role = 'admin' where id = tests.id('acme_invitation') $$,
  'error:42501', 'the admin cannot edit an invitation'),
('organization_invitations', 'admin', 'delete',
  $$ delete from organization_invitations where id = tests.id('acme_invitation') $$,
  'rows:1', 'the admin revokes the invitation'),

-- =====================================================================================================================
-- profiles: everyone reads their own; hiring managers their campaign teammates'; the admin all. Only first and last
-- name are writable, by the user themselves. Rows come and go with auth.users (triggers), never through the API.
-- =====================================================================================================================
('profiles', 'anon', 'select', $$ select 1 from profiles where id = tests.id('owner') $$,
  'error:42501', 'anon cannot read the owner''s profile'),
('profiles', 'anon', 'insert', $$ insert into profiles (id, role) values (gen_random_uuid(), 'admin') $$,
  'error:42501', 'anon cannot create a profile'),
('profiles', 'anon', 'update', $$ update profiles set first_name = 'X' where id = tests.id('owner') $$,
  'error:42501', 'anon cannot rename the owner'),
('profiles', 'anon', 'delete', $$ delete from profiles where id = tests.id('owner') $$,
  'error:42501', 'anon cannot delete the owner''s profile'),
('profiles', 'candidate_a', 'select', $$ select 1 from profiles where id = tests.id('candidate_a') $$,
  'rows:1', 'candidate_a reads their own profile'),
('profiles', 'candidate_a', 'insert', $$ insert into profiles (id, role) values (gen_random_uuid(), 'admin') $$,
  'error:42501', 'candidate_a cannot create a profile (the auth trigger does)'),
('profiles', 'candidate_a', 'update', $$ update profiles set first_name = 'Adele' where id = tests.id('candidate_a') $$,
  'rows:1', 'candidate_a changes their own first name'),
('profiles', 'candidate_a', 'delete', $$ delete from profiles where id = tests.id('candidate_a') $$,
  'error:42501', 'candidate_a cannot delete their own profile'),
('profiles', 'candidate_b', 'select', $$ select 1 from profiles where id = tests.id('candidate_a') $$,
  'rows:0', 'candidate_b cannot read candidate_a''s profile'),
('profiles', 'candidate_b', 'insert', $$ insert into profiles (id, role)
                                         values (gen_random_uuid(), 'hiring_manager') $$,
  'error:42501', 'candidate_b cannot create a profile'),
('profiles', 'candidate_b', 'update', $$ update profiles set first_name = 'Hacked'
                                          where id = tests.id('candidate_a') $$,
  'rows:0', 'candidate_b cannot rename candidate_a'),
('profiles', 'candidate_b', 'delete', $$ delete from profiles where id = tests.id('candidate_a') $$,
  'error:42501', 'candidate_b cannot delete candidate_a''s profile'),
('profiles', 'owner', 'select', $$ select 1 from profiles where id = tests.id('reviewer') $$,
  'rows:1', 'the owner reads the profile of a collaborator on their campaign'),
('profiles', 'owner', 'insert', $$ insert into profiles (id, role) values (gen_random_uuid(), 'hiring_manager') $$,
  'error:42501', 'the owner cannot create a profile'),
('profiles', 'owner', 'update', $$ update profiles set role = 'admin' where id = tests.id('owner') $$,
  'error:42501', 'the owner cannot make themselves admin (role is not a writable column)'),
('profiles', 'owner', 'delete', $$ delete from profiles where id = tests.id('reviewer') $$,
  'error:42501', 'the owner cannot delete a collaborator''s profile'),
('profiles', 'stranger', 'select', $$ select 1 from profiles where id = tests.id('owner') $$,
  'rows:0', 'the stranger cannot read the owner''s profile'),
('profiles', 'stranger', 'insert', $$ insert into profiles (id, role) values (gen_random_uuid(), 'admin') $$,
  'error:42501', 'the stranger cannot create a profile'),
('profiles', 'stranger', 'update', $$ update profiles set last_name = 'Pwned' where id = tests.id('owner') $$,
  'rows:0', 'the stranger cannot rename the owner'),
('profiles', 'stranger', 'delete', $$ delete from profiles where id = tests.id('owner') $$,
  'error:42501', 'the stranger cannot delete the owner''s profile'),
('profiles', 'reviewer', 'select', $$ select 1 from profiles where id = tests.id('owner') $$,
  'rows:1', 'the reviewer reads the profile of the owner of the shared campaign'),
('profiles', 'reviewer', 'insert', $$ insert into profiles (id, role) values (gen_random_uuid(), 'admin') $$,
  'error:42501', 'the reviewer cannot create a profile'),
('profiles', 'reviewer', 'update', $$ update profiles set first_name = 'X' where id = tests.id('owner') $$,
  'rows:0', 'the reviewer cannot rename the owner, a teammate'),
('profiles', 'reviewer', 'delete', $$ delete from profiles where id = tests.id('owner') $$,
  'error:42501', 'the reviewer cannot delete the owner''s profile'),
('profiles', 'editor', 'select', $$ select 1 from profiles where id = tests.id('candidate_a') $$,
  'rows:0', 'the editor cannot read a candidate''s profile (candidates are read from candidates)'),
('profiles', 'editor', 'insert', $$ insert into profiles (id, role) values (gen_random_uuid(), 'candidate') $$,
  'error:42501', 'the editor cannot create a profile'),
('profiles', 'editor', 'update', $$ update profiles set first_name = 'X' where id = tests.id('reviewer') $$,
  'rows:0', 'the editor cannot rename the reviewer'),
('profiles', 'editor', 'delete', $$ delete from profiles where id = tests.id('reviewer') $$,
  'error:42501', 'the editor cannot delete the reviewer''s profile'),
('profiles', 'admin', 'select', $$ select 1 from profiles where id = tests.id('stranger') $$,
  'rows:1', 'the admin reads any profile'),
('profiles', 'admin', 'insert', $$ insert into profiles (id, role) values (gen_random_uuid(), 'admin') $$,
  'error:42501', 'the admin cannot create a profile (accounts are made through Auth)'),
('profiles', 'admin', 'update', $$ update profiles set first_name = 'X' where id = tests.id('stranger') $$,
  'rows:0', 'the admin cannot rename a hiring manager (names are the user''s own; roles go through app_metadata)'),
('profiles', 'admin', 'delete', $$ delete from profiles where id = tests.id('stranger') $$,
  'error:42501', 'the admin cannot delete a profile (accounts are deleted through Auth)'),

-- =====================================================================================================================
-- hiring_managers: a hiring manager reads their own details and their teammates'; the admin all. Company,
-- department and phone are writable by the hiring manager themselves. Rows are provisioned by the auth trigger.
-- =====================================================================================================================
('hiring_managers', 'anon', 'select', $$ select 1 from hiring_managers where id = tests.id('owner') $$,
  'error:42501', 'anon cannot read the owner''s details'),
('hiring_managers', 'anon', 'insert', $$ insert into hiring_managers (id, company) values (tests.id('owner'), 'X') $$,
  'error:42501', 'anon cannot register a hiring manager'),
('hiring_managers', 'anon', 'update', $$ update hiring_managers set company = 'X' where id = tests.id('owner') $$,
  'error:42501', 'anon cannot change the owner''s company'),
('hiring_managers', 'anon', 'delete', $$ delete from hiring_managers where id = tests.id('owner') $$,
  'error:42501', 'anon cannot delete the owner''s details'),
('hiring_managers', 'candidate_a', 'select', $$ select 1 from hiring_managers where id = tests.id('owner') $$,
  'rows:0', 'candidate_a cannot read the details of the owner who invited them (my_interviews() gives the company)'),
('hiring_managers', 'candidate_a', 'insert',
  $$ insert into hiring_managers (id, company) values (tests.id('candidate_a'), 'Fake Corp') $$,
  'error:42501', 'candidate_a cannot make themselves a hiring manager'),
('hiring_managers', 'candidate_a', 'update', $$ update hiring_managers set phone = '0' where id = tests.id('owner') $$,
  'rows:0', 'candidate_a cannot change the owner''s details'),
('hiring_managers', 'candidate_a', 'delete', $$ delete from hiring_managers where id = tests.id('owner') $$,
  'error:42501', 'candidate_a cannot delete the owner''s details'),
('hiring_managers', 'candidate_b', 'select', $$ select 1 from hiring_managers where id = tests.id('stranger') $$,
  'rows:0', 'candidate_b cannot read the details of the stranger who invited them'),
('hiring_managers', 'candidate_b', 'insert',
  $$ insert into hiring_managers (id, company) values (tests.id('candidate_b'), 'Fake Corp') $$,
  'error:42501', 'candidate_b cannot make themselves a hiring manager'),
('hiring_managers', 'candidate_b', 'update',
  $$ update hiring_managers set company = 'X' where id = tests.id('stranger') $$,
  'rows:0', 'candidate_b cannot change the stranger''s company'),
('hiring_managers', 'candidate_b', 'delete', $$ delete from hiring_managers where id = tests.id('stranger') $$,
  'error:42501', 'candidate_b cannot delete the stranger''s details'),
('hiring_managers', 'owner', 'select', $$ select 1 from hiring_managers where id = tests.id('reviewer') $$,
  'rows:1', 'the owner reads the details of a collaborator'),
('hiring_managers', 'owner', 'insert', $$ insert into hiring_managers (id) values (tests.id('candidate_a')) $$,
  'error:42501', 'the owner cannot register someone as a hiring manager'),
('hiring_managers', 'owner', 'update',
  $$ update hiring_managers set company = 'Acme Corp', department = 'Eng' where id = tests.id('owner') $$,
  'rows:1', 'the owner changes their own company and department'),
('hiring_managers', 'owner', 'delete', $$ delete from hiring_managers where id = tests.id('owner') $$,
  'error:42501', 'the owner cannot delete their own details'),
('hiring_managers', 'stranger', 'select', $$ select 1 from hiring_managers where id = tests.id('owner') $$,
  'rows:0', 'the stranger cannot read the owner''s details'),
('hiring_managers', 'stranger', 'insert', $$ insert into hiring_managers (id) values (tests.id('candidate_b')) $$,
  'error:42501', 'the stranger cannot register someone as a hiring manager'),
('hiring_managers', 'stranger', 'update',
  $$ update hiring_managers set company = 'Pwned' where id = tests.id('owner') $$,
  'rows:0', 'the stranger cannot change the owner''s company'),
('hiring_managers', 'stranger', 'delete', $$ delete from hiring_managers where id = tests.id('owner') $$,
  'error:42501', 'the stranger cannot delete the owner''s details'),
('hiring_managers', 'reviewer', 'select', $$ select 1 from hiring_managers where id = tests.id('owner') $$,
  'rows:1', 'the reviewer reads the owner''s details'),
('hiring_managers', 'reviewer', 'insert', $$ insert into hiring_managers (id) values (tests.id('candidate_a')) $$,
  'error:42501', 'the reviewer cannot register someone as a hiring manager'),
('hiring_managers', 'reviewer', 'update',
  $$ update hiring_managers set department = 'X' where id = tests.id('owner') $$,
  'rows:0', 'the reviewer cannot change the owner''s details'),
('hiring_managers', 'reviewer', 'delete', $$ delete from hiring_managers where id = tests.id('owner') $$,
  'error:42501', 'the reviewer cannot delete the owner''s details'),
('hiring_managers', 'editor', 'select', $$ select 1 from hiring_managers where id = tests.id('owner') $$,
  'rows:1', 'the editor reads the owner''s details'),
('hiring_managers', 'editor', 'insert', $$ insert into hiring_managers (id) values (tests.id('candidate_a')) $$,
  'error:42501', 'the editor cannot register someone as a hiring manager'),
('hiring_managers', 'editor', 'update', $$ update hiring_managers set phone = '0' where id = tests.id('reviewer') $$,
  'rows:0', 'the editor cannot change the reviewer''s details'),
('hiring_managers', 'editor', 'delete', $$ delete from hiring_managers where id = tests.id('reviewer') $$,
  'error:42501', 'the editor cannot delete the reviewer''s details'),
('hiring_managers', 'admin', 'select', $$ select 1 from hiring_managers where id = tests.id('stranger') $$,
  'rows:1', 'the admin reads any hiring manager'),
('hiring_managers', 'admin', 'insert', $$ insert into hiring_managers (id) values (tests.id('candidate_a')) $$,
  'error:42501', 'the admin cannot register a hiring manager through the API (app_metadata does)'),
('hiring_managers', 'admin', 'update', $$ update hiring_managers set company = 'X' where id = tests.id('stranger') $$,
  'rows:0', 'the admin cannot change a hiring manager''s details (their own to keep)'),
('hiring_managers', 'admin', 'delete', $$ delete from hiring_managers where id = tests.id('stranger') $$,
  'error:42501', 'the admin cannot delete a hiring manager''s details'),

-- =====================================================================================================================
-- candidates: a candidate reads and edits their own row; hiring managers read the candidates of their campaigns
-- (with a session there) and change nothing; the admin reads, creates, edits and deletes any.
-- =====================================================================================================================
('candidates', 'anon', 'select', $$ select 1 from candidates where id = tests.id('cand_a') $$,
  'error:42501', 'anon cannot read candidate_a'),
('candidates', 'anon', 'insert', $$ insert into candidates (email) values ('anon.puppet@test.local') $$,
  'error:42501', 'anon cannot create a candidate'),
('candidates', 'anon', 'update', $$ update candidates set phone = '0' where id = tests.id('cand_a') $$,
  'error:42501', 'anon cannot change candidate_a'),
('candidates', 'anon', 'delete', $$ delete from candidates where id = tests.id('cand_a') $$,
  'error:42501', 'anon cannot delete candidate_a'),
('candidates', 'candidate_a', 'select', $$ select 1 from candidates where id = tests.id('cand_a') $$,
  'rows:1', 'candidate_a reads their own candidate row'),
('candidates', 'candidate_a', 'insert', $$ insert into candidates (email) values ('sock.puppet@test.local') $$,
  'error:42501', 'candidate_a cannot create a candidate'),
('candidates', 'candidate_a', 'update',
  $$ update candidates set phone = '+33 6', linkedin_url = 'https://linkedin.com/in/ada'
      where id = tests.id('cand_a') $$,
  'rows:1', 'candidate_a changes their own phone and LinkedIn URL'),
('candidates', 'candidate_a', 'delete', $$ delete from candidates where id = tests.id('cand_a') $$,
  'rows:0', 'candidate_a cannot delete their own candidate row'),
('candidates', 'candidate_b', 'select', $$ select 1 from candidates where id = tests.id('cand_a') $$,
  'rows:0', 'candidate_b cannot read candidate_a'),
('candidates', 'candidate_b', 'insert', $$ insert into candidates (email) values ('sock.puppet@test.local') $$,
  'error:42501', 'candidate_b cannot create a candidate'),
('candidates', 'candidate_b', 'update', $$ update candidates set phone = '0' where id = tests.id('cand_a') $$,
  'rows:0', 'candidate_b cannot change candidate_a'),
('candidates', 'candidate_b', 'delete', $$ delete from candidates where id = tests.id('cand_a') $$,
  'rows:0', 'candidate_b cannot delete candidate_a'),
('candidates', 'owner', 'select', $$ select 1 from candidates where id = tests.id('cand_a') $$,
  'rows:1', 'the owner reads a candidate invited to their campaign'),
('candidates', 'owner', 'insert', $$ insert into candidates (email) values ('direct@test.local') $$,
  'error:42501', 'the owner cannot create a candidate directly (invitations do)'),
('candidates', 'owner', 'update', $$ update candidates set first_name = 'X' where id = tests.id('cand_a') $$,
  'rows:0', 'the owner cannot change a candidate''s data'),
('candidates', 'owner', 'delete', $$ delete from candidates where id = tests.id('cand_a') $$,
  'rows:0', 'the owner cannot delete a candidate (erase_session erases them from a campaign)'),
('candidates', 'stranger', 'select', $$ select 1 from candidates where id = tests.id('cand_a') $$,
  'rows:0', 'the stranger cannot read a candidate invited only to the owner''s campaign'),
('candidates', 'stranger', 'insert', $$ insert into candidates (email) values ('direct@test.local') $$,
  'error:42501', 'the stranger cannot create a candidate'),
('candidates', 'stranger', 'update', $$ update candidates set first_name = 'X' where id = tests.id('cand_a') $$,
  'rows:0', 'the stranger cannot change candidate_a'),
('candidates', 'stranger', 'delete', $$ delete from candidates where id = tests.id('cand_a') $$,
  'rows:0', 'the stranger cannot delete candidate_a'),
('candidates', 'reviewer', 'select', $$ select 1 from candidates where id = tests.id('cand_a') $$,
  'rows:1', 'the reviewer reads a candidate of the shared campaign'),
('candidates', 'reviewer', 'insert', $$ insert into candidates (email) values ('direct@test.local') $$,
  'error:42501', 'the reviewer cannot create a candidate'),
('candidates', 'reviewer', 'update', $$ update candidates set last_name = 'X' where id = tests.id('cand_a') $$,
  'rows:0', 'the reviewer cannot change a candidate''s data'),
('candidates', 'reviewer', 'delete', $$ delete from candidates where id = tests.id('cand_a') $$,
  'rows:0', 'the reviewer cannot delete a candidate'),
('candidates', 'editor', 'select', $$ select 1 from candidates where id = tests.id('cand_b') $$,
  'rows:1', 'the editor reads a candidate of the shared campaign'),
('candidates', 'editor', 'insert', $$ insert into candidates (email) values ('direct@test.local') $$,
  'error:42501', 'the editor cannot create a candidate directly (invitations do)'),
('candidates', 'editor', 'update', $$ update candidates set phone = '0' where id = tests.id('cand_b') $$,
  'rows:0', 'the editor cannot change a candidate''s data'),
('candidates', 'editor', 'delete', $$ delete from candidates where id = tests.id('cand_b') $$,
  'rows:0', 'the editor cannot delete a candidate'),
('candidates', 'admin', 'select', $$ select 1 from candidates where id = tests.id('uninvited') $$,
  'rows:1', 'the admin reads any candidate, even one with no session'),
('candidates', 'admin', 'insert', $$ insert into candidates (email, first_name) values ('by.admin@test.local', 'Ad') $$,
  'rows:1', 'the admin creates a candidate'),
('candidates', 'admin', 'update', $$ update candidates set last_name = 'Fixed' where id = tests.id('uninvited') $$,
  'rows:1', 'the admin changes a candidate''s names'),
('candidates', 'admin', 'delete', $$ delete from candidates where id = tests.id('uninvited') $$,
  'rows:1', 'the admin deletes a candidate'),

-- =====================================================================================================================
-- campaigns: members (owner, collaborators) read; any hiring manager creates their own; only the owner edits, and
-- deletes while draft; the admin acts as every campaign's owner. Candidates never read this table.
-- =====================================================================================================================
('campaigns', 'anon', 'select', $$ select 1 from campaigns where id = tests.id('campaign') $$,
  'error:42501', 'anon cannot read the owner''s campaign'),
('campaigns', 'anon', 'insert',
  $$ insert into campaigns (title, start_date, end_date) values ('x', now(), now() + interval '1 day') $$,
  'error:42501', 'anon cannot create a campaign'),
('campaigns', 'anon', 'update', $$ update campaigns set title = 'x' where id = tests.id('campaign') $$,
  'error:42501', 'anon cannot edit the owner''s campaign'),
('campaigns', 'anon', 'delete', $$ delete from campaigns where id = tests.id('draft_campaign') $$,
  'error:42501', 'anon cannot delete the owner''s draft'),
('campaigns', 'candidate_a', 'select', $$ select 1 from campaigns where id = tests.id('campaign') $$,
  'rows:0', 'candidate_a cannot read the campaigns table, not even the campaign they are invited to'),
('campaigns', 'candidate_a', 'insert',
  $$ insert into campaigns (title, start_date, end_date) values ('Mine', now(), now() + interval '1 day') $$,
  'error:42501', 'candidate_a cannot create a campaign'),
('campaigns', 'candidate_a', 'update', $$ update campaigns set end_date = end_date + interval '30 days'
                                          where id = tests.id('campaign') $$,
  'rows:0', 'candidate_a cannot push back the end of the campaign they are invited to'),
('campaigns', 'candidate_a', 'delete', $$ delete from campaigns where id = tests.id('draft_campaign') $$,
  'rows:0', 'candidate_a cannot delete a campaign'),
('campaigns', 'candidate_b', 'select', $$ select 1 from campaigns where id = tests.id('stranger_campaign') $$,
  'rows:0', 'candidate_b cannot read the campaigns table, not even the stranger''s campaign they are invited to'),
('campaigns', 'candidate_b', 'insert',
  $$ insert into campaigns (title, start_date, end_date) values ('Mine', now(), now() + interval '1 day') $$,
  'error:42501', 'candidate_b cannot create a campaign'),
('campaigns', 'candidate_b', 'update', $$ update campaigns set title = 'x' where id = tests.id('stranger_campaign') $$,
  'rows:0', 'candidate_b cannot edit the stranger''s campaign'),
('campaigns', 'candidate_b', 'delete', $$ delete from campaigns where id = tests.id('draft_campaign') $$,
  'rows:0', 'candidate_b cannot delete a campaign'),
('campaigns', 'owner', 'select', $$ select 1 from campaigns where id = tests.id('campaign') $$,
  'rows:1', 'the owner reads their campaign'),
('campaigns', 'owner', 'insert',
  $$ insert into campaigns (title, start_date, end_date) values ('Mine', now(), now() + interval '1 day') $$,
  'rows:1', 'the owner creates a campaign'),
('campaigns', 'owner', 'update',
  $$ update campaigns set title = 'Backend engineer II', retention_days = 30 where id = tests.id('campaign') $$,
  'rows:1', 'the owner edits their campaign'),
('campaigns', 'owner', 'delete', $$ delete from campaigns where id = tests.id('draft_campaign') $$,
  'rows:1', 'the owner deletes their draft'),
('campaigns', 'stranger', 'select', $$ select 1 from campaigns where id = tests.id('campaign') $$,
  'rows:0', 'the stranger cannot read the owner''s campaign'),
('campaigns', 'stranger', 'insert', $$ insert into campaigns (owner_id, title, start_date, end_date)
                                       values (tests.id('owner'), 'Planted', now(), now() + interval '1 day') $$,
  'error:42501', 'the stranger cannot create a campaign in the owner''s name'),
('campaigns', 'stranger', 'update', $$ update campaigns set title = 'Pwned' where id = tests.id('campaign') $$,
  'rows:0', 'the stranger cannot edit the owner''s campaign'),
('campaigns', 'stranger', 'delete', $$ delete from campaigns where id = tests.id('draft_campaign') $$,
  'rows:0', 'the stranger cannot delete the owner''s draft'),
('campaigns', 'reviewer', 'select', $$ select 1 from campaigns where id = tests.id('campaign') $$,
  'rows:1', 'the reviewer reads the campaign shared with them'),
('campaigns', 'reviewer', 'insert',
  $$ insert into campaigns (title, start_date, end_date) values ('Mine', now(), now() + interval '1 day') $$,
  'rows:1', 'the reviewer, a hiring manager, creates a campaign of their own'),
('campaigns', 'reviewer', 'update', $$ update campaigns set title = 'x' where id = tests.id('campaign') $$,
  'rows:0', 'the reviewer cannot edit the shared campaign'),
('campaigns', 'reviewer', 'delete', $$ delete from campaigns where id = tests.id('draft_campaign') $$,
  'rows:0', 'the reviewer cannot delete a draft shared with them'),
('campaigns', 'editor', 'select', $$ select 1 from campaigns where id = tests.id('draft_campaign') $$,
  'rows:1', 'the editor reads the draft shared with them'),
('campaigns', 'editor', 'insert', $$ insert into campaigns (owner_id, title, start_date, end_date)
                                     values (tests.id('owner'), 'For Olivia', now(), now() + interval '1 day') $$,
  'error:42501', 'the editor cannot create a campaign in the owner''s name'),
('campaigns', 'editor', 'update', $$ update campaigns set retention_days = 1 where id = tests.id('campaign') $$,
  'rows:0', 'the editor cannot change the campaign''s settings (owner only)'),
('campaigns', 'editor', 'delete', $$ delete from campaigns where id = tests.id('draft_campaign') $$,
  'rows:0', 'the editor cannot delete a draft shared with them (owner only)'),
('campaigns', 'admin', 'select', $$ select 1 from campaigns where id = tests.id('stranger_campaign') $$,
  'rows:1', 'the admin reads any campaign'),
('campaigns', 'admin', 'insert', $$ insert into campaigns (owner_id, title, start_date, end_date)
                                    values (tests.id('stranger'), 'On his behalf', now(), now() + interval '1 day') $$,
  'rows:1', 'the admin creates a campaign for a hiring manager'),
('campaigns', 'admin', 'update', $$ update campaigns set status = 'closed' where id = tests.id('stranger_campaign') $$,
  'rows:1', 'the admin edits any campaign'),
('campaigns', 'admin', 'delete', $$ delete from campaigns where id = tests.id('draft_campaign') $$,
  'rows:1', 'the admin deletes anyone''s draft'),

-- =====================================================================================================================
-- campaign_collaborators: the campaign's members read the team; only the owner (and the admin) shares, changes
-- roles and removes collaborators.
-- =====================================================================================================================
('campaign_collaborators', 'anon', 'select',
  $$ select 1 from campaign_collaborators
      where campaign_id = tests.id('campaign') and user_id = tests.id('reviewer') $$,
  'error:42501', 'anon cannot read the owner''s team'),
('campaign_collaborators', 'anon', 'insert',
  $$ insert into campaign_collaborators (campaign_id, user_id, role)
     values (tests.id('campaign'), tests.id('stranger'), 'editor') $$,
  'error:42501', 'anon cannot share a campaign'),
('campaign_collaborators', 'anon', 'update',
  $$ update campaign_collaborators set role = 'editor'
      where campaign_id = tests.id('campaign') and user_id = tests.id('reviewer') $$,
  'error:42501', 'anon cannot change a collaborator''s role'),
('campaign_collaborators', 'anon', 'delete',
  $$ delete from campaign_collaborators where campaign_id = tests.id('campaign') and user_id = tests.id('reviewer') $$,
  'error:42501', 'anon cannot remove a collaborator'),
('campaign_collaborators', 'candidate_a', 'select',
  $$ select 1 from campaign_collaborators
      where campaign_id = tests.id('campaign') and user_id = tests.id('reviewer') $$,
  'rows:0', 'candidate_a cannot read the team of the campaign they are invited to'),
('campaign_collaborators', 'candidate_a', 'insert',
  $$ insert into campaign_collaborators (campaign_id, user_id, role)
     values (tests.id('campaign'), tests.id('candidate_a'), 'editor') $$,
  'error:42501', 'candidate_a cannot join the campaign team'),
('campaign_collaborators', 'candidate_a', 'update',
  $$ update campaign_collaborators set role = 'editor'
      where campaign_id = tests.id('campaign') and user_id = tests.id('reviewer') $$,
  'rows:0', 'candidate_a cannot change a collaborator''s role'),
('campaign_collaborators', 'candidate_a', 'delete',
  $$ delete from campaign_collaborators where campaign_id = tests.id('campaign') and user_id = tests.id('reviewer') $$,
  'rows:0', 'candidate_a cannot remove a collaborator'),
('campaign_collaborators', 'candidate_b', 'select',
  $$ select 1 from campaign_collaborators where campaign_id = tests.id('campaign') and user_id = tests.id('editor') $$,
  'rows:0', 'candidate_b cannot read the team of the campaign they are invited to'),
('campaign_collaborators', 'candidate_b', 'insert',
  $$ insert into campaign_collaborators (campaign_id, user_id, role)
     values (tests.id('campaign'), tests.id('candidate_b'), 'reviewer') $$,
  'error:42501', 'candidate_b cannot join the campaign team'),
('campaign_collaborators', 'candidate_b', 'update',
  $$ update campaign_collaborators set role = 'reviewer'
      where campaign_id = tests.id('campaign') and user_id = tests.id('editor') $$,
  'rows:0', 'candidate_b cannot demote the editor'),
('campaign_collaborators', 'candidate_b', 'delete',
  $$ delete from campaign_collaborators where campaign_id = tests.id('campaign') and user_id = tests.id('editor') $$,
  'rows:0', 'candidate_b cannot remove the editor'),
('campaign_collaborators', 'owner', 'select',
  $$ select 1 from campaign_collaborators
      where campaign_id = tests.id('campaign') and user_id = tests.id('reviewer') $$,
  'rows:1', 'the owner reads their team'),
('campaign_collaborators', 'owner', 'insert',
  $$ insert into campaign_collaborators (campaign_id, user_id, role)
     values (tests.id('campaign'), tests.id('stranger'), 'reviewer') $$,
  'error:23514 collaborator_not_in_organization',
  'the owner cannot share their campaign with a hiring manager outside its organization'),
('campaign_collaborators', 'owner', 'update',
  $$ update campaign_collaborators set role = 'editor'
      where campaign_id = tests.id('campaign') and user_id = tests.id('reviewer') $$,
  'rows:1', 'the owner promotes the reviewer to editor'),
('campaign_collaborators', 'owner', 'delete',
  $$ delete from campaign_collaborators where campaign_id = tests.id('campaign') and user_id = tests.id('reviewer') $$,
  'rows:1', 'the owner removes the reviewer'),
('campaign_collaborators', 'stranger', 'select',
  $$ select 1 from campaign_collaborators
      where campaign_id = tests.id('campaign') and user_id = tests.id('reviewer') $$,
  'rows:0', 'the stranger cannot read the owner''s team'),
('campaign_collaborators', 'stranger', 'insert',
  $$ insert into campaign_collaborators (campaign_id, user_id, role)
     values (tests.id('campaign'), tests.id('stranger'), 'editor') $$,
  'error:42501', 'the stranger cannot add themselves to the owner''s campaign'),
('campaign_collaborators', 'stranger', 'update',
  $$ update campaign_collaborators set role = 'editor'
      where campaign_id = tests.id('campaign') and user_id = tests.id('reviewer') $$,
  'rows:0', 'the stranger cannot change roles in the owner''s team'),
('campaign_collaborators', 'stranger', 'delete',
  $$ delete from campaign_collaborators where campaign_id = tests.id('campaign') and user_id = tests.id('editor') $$,
  'rows:0', 'the stranger cannot remove the owner''s editor'),
('campaign_collaborators', 'reviewer', 'select',
  $$ select 1 from campaign_collaborators where campaign_id = tests.id('campaign') and user_id = tests.id('editor') $$,
  'rows:1', 'the reviewer reads the rest of the team'),
('campaign_collaborators', 'reviewer', 'insert',
  $$ insert into campaign_collaborators (campaign_id, user_id, role)
     values (tests.id('campaign'), tests.id('stranger'), 'reviewer') $$,
  'error:42501', 'the reviewer cannot share the campaign'),
('campaign_collaborators', 'reviewer', 'update',
  $$ update campaign_collaborators set role = 'editor'
      where campaign_id = tests.id('campaign') and user_id = tests.id('reviewer') $$,
  'rows:0', 'the reviewer cannot promote themselves to editor'),
('campaign_collaborators', 'reviewer', 'delete',
  $$ delete from campaign_collaborators where campaign_id = tests.id('campaign') and user_id = tests.id('editor') $$,
  'rows:0', 'the reviewer cannot remove the editor'),
('campaign_collaborators', 'editor', 'select',
  $$ select 1 from campaign_collaborators
      where campaign_id = tests.id('campaign') and user_id = tests.id('reviewer') $$,
  'rows:1', 'the editor reads the rest of the team'),
('campaign_collaborators', 'editor', 'insert',
  $$ insert into campaign_collaborators (campaign_id, user_id, role)
     values (tests.id('campaign'), tests.id('stranger'), 'reviewer') $$,
  'error:42501', 'the editor cannot share the campaign (owner only)'),
('campaign_collaborators', 'editor', 'update',
  $$ update campaign_collaborators set role = 'editor'
      where campaign_id = tests.id('campaign') and user_id = tests.id('reviewer') $$,
  'rows:0', 'the editor cannot promote the reviewer'),
('campaign_collaborators', 'editor', 'delete',
  $$ delete from campaign_collaborators where campaign_id = tests.id('campaign') and user_id = tests.id('reviewer') $$,
  'rows:0', 'the editor cannot remove the reviewer'),
('campaign_collaborators', 'admin', 'select',
  $$ select 1 from campaign_collaborators
      where campaign_id = tests.id('campaign') and user_id = tests.id('reviewer') $$,
  'rows:1', 'the admin reads any team'),
('campaign_collaborators', 'admin', 'insert',
  $$ insert into campaign_collaborators (campaign_id, user_id, role)
     values (tests.id('stranger_campaign'), tests.id('owner'), 'reviewer') $$,
  'error:23514 collaborator_not_in_organization',
  'the admin shares any campaign, but only with members of its organization'),
('campaign_collaborators', 'admin', 'update',
  $$ update campaign_collaborators set role = 'editor'
      where campaign_id = tests.id('campaign') and user_id = tests.id('reviewer') $$,
  'rows:1', 'the admin changes a collaborator''s role on any campaign'),
('campaign_collaborators', 'admin', 'delete',
  $$ delete from campaign_collaborators where campaign_id = tests.id('campaign') and user_id = tests.id('editor') $$,
  'rows:1', 'the admin removes a collaborator from any campaign'),

-- =====================================================================================================================
-- questions: members read; owners and editors (and the admin) add, edit and remove them, until a candidate has
-- answered one (question_locked). A candidate reads only the questions revealed to them.
-- =====================================================================================================================
('questions', 'anon', 'select', $$ select 1 from questions where id = tests.id('q1') $$,
  'error:42501', 'anon cannot read a question'),
('questions', 'anon', 'insert', $$ insert into questions (campaign_id, prompt) values (tests.id('campaign'), 'x') $$,
  'error:42501', 'anon cannot add a question'),
('questions', 'anon', 'update', $$ update questions set prompt = 'x' where id = tests.id('q2') $$,
  'error:42501', 'anon cannot edit a question'),
('questions', 'anon', 'delete', $$ delete from questions where id = tests.id('q2') $$,
  'error:42501', 'anon cannot delete a question'),
('questions', 'candidate_a', 'select', $$ select 1 from questions where id = tests.id('q1') $$,
  'rows:1', 'candidate_a reads a question revealed to them'),
('questions', 'candidate_a', 'insert',
  $$ insert into questions (campaign_id, prompt) values (tests.id('campaign'), 'An easy one?') $$,
  'error:42501', 'candidate_a cannot add a question'),
('questions', 'candidate_a', 'update', $$ update questions set answer_time_seconds = 1800 where id = tests.id('q2') $$,
  'rows:0', 'candidate_a cannot give themselves more time on a revealed question'),
('questions', 'candidate_a', 'delete', $$ delete from questions where id = tests.id('q2') $$,
  'rows:0', 'candidate_a cannot delete a revealed question'),
('questions', 'candidate_b', 'select', $$ select 1 from questions where id = tests.id('q2') $$,
  'rows:0', 'candidate_b cannot read a question revealed only to candidate_a'),
('questions', 'candidate_b', 'insert', $$ insert into questions (campaign_id, prompt)
                                          values (tests.id('campaign'), 'x') $$,
  'error:42501', 'candidate_b cannot add a question'),
('questions', 'candidate_b', 'update', $$ update questions set prompt = 'x' where id = tests.id('q2') $$,
  'rows:0', 'candidate_b cannot edit a question'),
('questions', 'candidate_b', 'delete', $$ delete from questions where id = tests.id('q2') $$,
  'rows:0', 'candidate_b cannot delete a question'),
('questions', 'owner', 'select', $$ select 1 from questions where id = tests.id('q2') $$,
  'rows:1', 'the owner reads a question of their campaign'),
('questions', 'owner', 'insert',
  $$ insert into questions (campaign_id, prompt) values (tests.id('campaign'), 'Where in five years?') $$,
  'rows:1', 'the owner adds a question'),
('questions', 'owner', 'update', $$ update questions set prompt = 'A bug you are proud of?'
                                     where id = tests.id('q2') $$,
  'rows:1', 'the owner edits an unanswered question'),
('questions', 'owner', 'delete', $$ delete from questions where id = tests.id('q2') $$,
  'rows:1', 'the owner removes an unanswered question'),
('questions', 'stranger', 'select', $$ select 1 from questions where id = tests.id('q2') $$,
  'rows:0', 'the stranger cannot read the owner''s questions'),
('questions', 'stranger', 'insert', $$ insert into questions (campaign_id, prompt)
                                       values (tests.id('campaign'), 'Injected') $$,
  'error:42501', 'the stranger cannot add a question to the owner''s campaign'),
('questions', 'stranger', 'update', $$ update questions set prompt = 'x' where id = tests.id('q2') $$,
  'rows:0', 'the stranger cannot edit the owner''s questions'),
('questions', 'stranger', 'delete', $$ delete from questions where id = tests.id('q2') $$,
  'rows:0', 'the stranger cannot delete the owner''s questions'),
('questions', 'reviewer', 'select', $$ select 1 from questions where id = tests.id('q2') $$,
  'rows:1', 'the reviewer reads the shared campaign''s questions'),
('questions', 'reviewer', 'insert', $$ insert into questions (campaign_id, prompt)
                                       values (tests.id('campaign'), 'x') $$,
  'error:42501', 'the reviewer cannot add a question to the shared campaign'),
('questions', 'reviewer', 'update', $$ update questions set prompt = 'x' where id = tests.id('q2') $$,
  'rows:0', 'the reviewer cannot edit a question'),
('questions', 'reviewer', 'delete', $$ delete from questions where id = tests.id('q2') $$,
  'rows:0', 'the reviewer cannot delete a question'),
('questions', 'editor', 'select', $$ select 1 from questions where id = tests.id('q1') $$,
  'rows:1', 'the editor reads the shared campaign''s questions'),
('questions', 'editor', 'insert',
  $$ insert into questions (campaign_id, prompt, is_practice) values (tests.id('campaign'), 'Warm-up', true) $$,
  'rows:1', 'the editor adds a question'),
('questions', 'editor', 'update', $$ update questions set think_time_seconds = 10 where id = tests.id('q2') $$,
  'rows:1', 'the editor edits an unanswered question'),
('questions', 'editor', 'delete', $$ delete from questions where id = tests.id('q1') $$,
  'error:PT409 question_locked', 'the editor may remove questions, but not one a candidate has answered'),
('questions', 'admin', 'select', $$ select 1 from questions where id = tests.id('sq1') $$,
  'rows:1', 'the admin reads any question'),
('questions', 'admin', 'insert',
  $$ insert into questions (campaign_id, prompt) values (tests.id('stranger_campaign'), 'Sell me this pencil') $$,
  'rows:1', 'the admin adds a question to any campaign'),
('questions', 'admin', 'update', $$ update questions set prompt = 'Sell me this pencil' where id = tests.id('sq1') $$,
  'rows:1', 'the admin edits any unanswered question'),
('questions', 'admin', 'delete', $$ delete from questions where id = tests.id('sq1') $$,
  'rows:1', 'the admin removes any unanswered question'),

-- =====================================================================================================================
-- interview_sessions: the candidate reads their own; members read their campaign's; owners and editors invite and
-- change deadlines; only owners erase. Status is never written by hand (no column grant: the RPCs move it).
-- =====================================================================================================================
('interview_sessions', 'anon', 'select', $$ select 1 from interview_sessions where id = tests.id('session_a') $$,
  'error:42501', 'anon cannot read candidate_a''s session'),
('interview_sessions', 'anon', 'insert',
  $$ insert into interview_sessions (campaign_id, candidate_id) values (tests.id('campaign'), tests.id('uninvited')) $$,
  'error:42501', 'anon cannot invite a candidate'),
('interview_sessions', 'anon', 'update',
  $$ update interview_sessions set deadline = now() + interval '5 days' where id = tests.id('session_a') $$,
  'error:42501', 'anon cannot change a deadline'),
('interview_sessions', 'anon', 'delete', $$ delete from interview_sessions where id = tests.id('session_a') $$,
  'error:42501', 'anon cannot erase a session'),
('interview_sessions', 'candidate_a', 'select', $$ select 1 from interview_sessions where id = tests.id('session_a') $$,
  'rows:1', 'candidate_a reads their own session'),
('interview_sessions', 'candidate_a', 'insert',
  $$ insert into interview_sessions (campaign_id, candidate_id)
     values (tests.id('stranger_campaign'), tests.id('cand_a')) $$,
  'error:42501', 'candidate_a cannot invite themselves to a campaign'),
('interview_sessions', 'candidate_a', 'update',
  $$ update interview_sessions set status = 'completed' where id = tests.id('session_a') $$,
  'error:42501', 'candidate_a cannot set their session''s status by hand'),
('interview_sessions', 'candidate_a', 'delete', $$ delete from interview_sessions where id = tests.id('session_a') $$,
  'rows:0', 'candidate_a cannot delete their own session'),
('interview_sessions', 'candidate_b', 'select', $$ select 1 from interview_sessions where id = tests.id('session_a') $$,
  'rows:0', 'candidate_b cannot read candidate_a''s session'),
('interview_sessions', 'candidate_b', 'insert',
  $$ insert into interview_sessions (campaign_id, candidate_id) values (tests.id('campaign'), tests.id('uninvited')) $$,
  'error:42501', 'candidate_b cannot invite someone'),
('interview_sessions', 'candidate_b', 'update',
  $$ update interview_sessions set deadline = now() + interval '1 hour' where id = tests.id('session_a') $$,
  'rows:0', 'candidate_b cannot cut candidate_a''s deadline short'),
('interview_sessions', 'candidate_b', 'delete', $$ delete from interview_sessions where id = tests.id('session_a') $$,
  'rows:0', 'candidate_b cannot delete candidate_a''s session'),
('interview_sessions', 'owner', 'select', $$ select 1 from interview_sessions where id = tests.id('session_a') $$,
  'rows:1', 'the owner reads a session of their campaign'),
('interview_sessions', 'owner', 'insert',
  $$ insert into interview_sessions (campaign_id, candidate_id) values (tests.id('campaign'), tests.id('uninvited')) $$,
  'rows:1', 'the owner invites a candidate'),
('interview_sessions', 'owner', 'update',
  $$ update interview_sessions set deadline = now() + interval '5 days' where id = tests.id('session_b') $$,
  'rows:1', 'the owner changes a candidate''s deadline'),
('interview_sessions', 'owner', 'delete', $$ delete from interview_sessions where id = tests.id('session_b') $$,
  'rows:1', 'the owner erases a session of their campaign'),
('interview_sessions', 'stranger', 'select', $$ select 1 from interview_sessions where id = tests.id('session_a') $$,
  'rows:0', 'the stranger cannot read the owner''s sessions'),
('interview_sessions', 'stranger', 'insert',
  $$ insert into interview_sessions (campaign_id, candidate_id) values (tests.id('campaign'), tests.id('uninvited')) $$,
  'error:42501', 'the stranger cannot invite into the owner''s campaign'),
('interview_sessions', 'stranger', 'update',
  $$ update interview_sessions set deadline = now() + interval '5 days' where id = tests.id('session_a') $$,
  'rows:0', 'the stranger cannot change the owner''s deadlines'),
('interview_sessions', 'stranger', 'delete', $$ delete from interview_sessions where id = tests.id('session_a') $$,
  'rows:0', 'the stranger cannot erase the owner''s sessions'),
('interview_sessions', 'reviewer', 'select', $$ select 1 from interview_sessions where id = tests.id('session_a') $$,
  'rows:1', 'the reviewer reads the shared campaign''s sessions'),
('interview_sessions', 'reviewer', 'insert',
  $$ insert into interview_sessions (campaign_id, candidate_id) values (tests.id('campaign'), tests.id('uninvited')) $$,
  'error:42501', 'the reviewer cannot invite'),
('interview_sessions', 'reviewer', 'update',
  $$ update interview_sessions set deadline = now() + interval '5 days' where id = tests.id('session_a') $$,
  'rows:0', 'the reviewer cannot change deadlines'),
('interview_sessions', 'reviewer', 'delete', $$ delete from interview_sessions where id = tests.id('session_a') $$,
  'rows:0', 'the reviewer cannot erase sessions'),
('interview_sessions', 'editor', 'select', $$ select 1 from interview_sessions where id = tests.id('session_b') $$,
  'rows:1', 'the editor reads the shared campaign''s sessions'),
('interview_sessions', 'editor', 'insert',
  $$ insert into interview_sessions (campaign_id, candidate_id) values (tests.id('campaign'), tests.id('uninvited')) $$,
  'rows:1', 'the editor invites a candidate'),
('interview_sessions', 'editor', 'update',
  $$ update interview_sessions set deadline = now() + interval '5 days' where id = tests.id('session_b') $$,
  'rows:1', 'the editor changes a deadline'),
('interview_sessions', 'editor', 'delete', $$ delete from interview_sessions where id = tests.id('session_b') $$,
  'rows:0', 'the editor cannot erase a session (owner only)'),
('interview_sessions', 'admin', 'select',
  $$ select 1 from interview_sessions where id = tests.id('stranger_session_b') $$,
  'rows:1', 'the admin reads any session'),
('interview_sessions', 'admin', 'insert',
  $$ insert into interview_sessions (campaign_id, candidate_id)
     values (tests.id('stranger_campaign'), tests.id('cand_a')) $$,
  'rows:1', 'the admin invites into any campaign'),
('interview_sessions', 'admin', 'update',
  $$ update interview_sessions set deadline = now() + interval '8 days' where id = tests.id('stranger_session_b') $$,
  'rows:1', 'the admin changes any deadline'),
('interview_sessions', 'admin', 'delete', $$ delete from interview_sessions
                                              where id = tests.id('stranger_session_b') $$,
  'rows:1', 'the admin erases any session'),

-- =====================================================================================================================
-- question_reveals: written by reveal_next_question() only (no client write privilege); the candidate reads their
-- own, members read their campaign's.
-- =====================================================================================================================
('question_reveals', 'anon', 'select',
  $$ select 1 from question_reveals where session_id = tests.id('session_a') and question_id = tests.id('q1') $$,
  'error:42501', 'anon cannot read a reveal'),
('question_reveals', 'anon', 'insert',
  $$ insert into question_reveals (session_id, question_id, campaign_id, answer_opens_at, answer_closes_at)
     values (tests.id('session_b'), tests.id('q2'), tests.id('campaign'), now(), now() + interval '1 day') $$,
  'error:42501', 'anon cannot record a reveal'),
('question_reveals', 'anon', 'update',
  $$ update question_reveals set answer_closes_at = now() + interval '1 day'
      where session_id = tests.id('session_a') $$,
  'error:42501', 'anon cannot change an answer window'),
('question_reveals', 'anon', 'delete', $$ delete from question_reveals where session_id = tests.id('session_a') $$,
  'error:42501', 'anon cannot delete reveals'),
('question_reveals', 'candidate_a', 'select',
  $$ select 1 from question_reveals where session_id = tests.id('session_a') and question_id = tests.id('q1') $$,
  'rows:1', 'candidate_a reads a reveal of their own session'),
('question_reveals', 'candidate_a', 'insert',
  $$ insert into question_reveals (session_id, question_id, campaign_id, answer_opens_at, answer_closes_at)
     values (tests.id('session_a'), tests.id('q2'), tests.id('campaign'), now(), now() + interval '1 day') $$,
  'error:42501', 'candidate_a cannot record a reveal with a window of their choosing (reveal_next_question does)'),
('question_reveals', 'candidate_a', 'update',
  $$ update question_reveals set answer_closes_at = now() + interval '1 day'
      where session_id = tests.id('session_a') and question_id = tests.id('q2') $$,
  'error:42501', 'candidate_a cannot extend their own answer window'),
('question_reveals', 'candidate_a', 'delete',
  $$ delete from question_reveals where session_id = tests.id('session_a') and question_id = tests.id('q2') $$,
  'error:42501', 'candidate_a cannot delete a reveal to see the question afresh'),
('question_reveals', 'candidate_b', 'select',
  $$ select 1 from question_reveals where session_id = tests.id('session_a') and question_id = tests.id('q1') $$,
  'rows:0', 'candidate_b cannot read candidate_a''s reveals'),
('question_reveals', 'candidate_b', 'insert',
  $$ insert into question_reveals (session_id, question_id, campaign_id, answer_opens_at, answer_closes_at)
     values (tests.id('session_b'), tests.id('q2'), tests.id('campaign'), now(), now() + interval '1 day') $$,
  'error:42501', 'candidate_b cannot reveal the next question to themselves'),
('question_reveals', 'candidate_b', 'update',
  $$ update question_reveals set answer_closes_at = now() where session_id = tests.id('session_a') $$,
  'error:42501', 'candidate_b cannot close candidate_a''s answer window'),
('question_reveals', 'candidate_b', 'delete', $$ delete from question_reveals
                                                  where session_id = tests.id('session_a') $$,
  'error:42501', 'candidate_b cannot delete candidate_a''s reveals'),
('question_reveals', 'owner', 'select',
  $$ select 1 from question_reveals where session_id = tests.id('session_a') and question_id = tests.id('q1') $$,
  'rows:1', 'the owner reads a reveal in their campaign'),
('question_reveals', 'owner', 'insert',
  $$ insert into question_reveals (session_id, question_id, campaign_id, answer_opens_at, answer_closes_at)
     values (tests.id('session_b'), tests.id('q2'), tests.id('campaign'), now(), now() + interval '1 day') $$,
  'error:42501', 'the owner cannot record a reveal'),
('question_reveals', 'owner', 'update',
  $$ update question_reveals set answer_closes_at = now() + interval '1 day'
      where session_id = tests.id('session_a') $$,
  'error:42501', 'the owner cannot change an answer window'),
('question_reveals', 'owner', 'delete', $$ delete from question_reveals where session_id = tests.id('session_a') $$,
  'error:42501', 'the owner cannot delete reveals'),
('question_reveals', 'stranger', 'select',
  $$ select 1 from question_reveals where session_id = tests.id('session_a') and question_id = tests.id('q1') $$,
  'rows:0', 'the stranger cannot read the owner''s reveals'),
('question_reveals', 'stranger', 'insert',
  $$ insert into question_reveals (session_id, question_id, campaign_id, answer_opens_at, answer_closes_at)
     values (tests.id('session_b'), tests.id('q2'), tests.id('campaign'), now(), now() + interval '1 day') $$,
  'error:42501', 'the stranger cannot record a reveal'),
('question_reveals', 'stranger', 'update',
  $$ update question_reveals set answer_closes_at = now() where session_id = tests.id('session_a') $$,
  'error:42501', 'the stranger cannot change an answer window'),
('question_reveals', 'stranger', 'delete', $$ delete from question_reveals where session_id = tests.id('session_a') $$,
  'error:42501', 'the stranger cannot delete reveals'),
('question_reveals', 'reviewer', 'select',
  $$ select 1 from question_reveals where session_id = tests.id('session_a') and question_id = tests.id('q1') $$,
  'rows:1', 'the reviewer reads a reveal in the shared campaign'),
('question_reveals', 'reviewer', 'insert',
  $$ insert into question_reveals (session_id, question_id, campaign_id, answer_opens_at, answer_closes_at)
     values (tests.id('session_b'), tests.id('q2'), tests.id('campaign'), now(), now() + interval '1 day') $$,
  'error:42501', 'the reviewer cannot record a reveal'),
('question_reveals', 'reviewer', 'update',
  $$ update question_reveals set answer_closes_at = now() where session_id = tests.id('session_a') $$,
  'error:42501', 'the reviewer cannot change an answer window'),
('question_reveals', 'reviewer', 'delete', $$ delete from question_reveals where session_id = tests.id('session_a') $$,
  'error:42501', 'the reviewer cannot delete reveals'),
('question_reveals', 'editor', 'select',
  $$ select 1 from question_reveals where session_id = tests.id('session_a') and question_id = tests.id('q2') $$,
  'rows:1', 'the editor reads a reveal in the shared campaign'),
('question_reveals', 'editor', 'insert',
  $$ insert into question_reveals (session_id, question_id, campaign_id, answer_opens_at, answer_closes_at)
     values (tests.id('session_b'), tests.id('q2'), tests.id('campaign'), now(), now() + interval '1 day') $$,
  'error:42501', 'the editor cannot record a reveal'),
('question_reveals', 'editor', 'update',
  $$ update question_reveals set answer_closes_at = now() + interval '1 day'
      where session_id = tests.id('session_a') $$,
  'error:42501', 'the editor cannot extend an answer window'),
('question_reveals', 'editor', 'delete', $$ delete from question_reveals where session_id = tests.id('session_a') $$,
  'error:42501', 'the editor cannot delete reveals'),
('question_reveals', 'admin', 'select',
  $$ select 1 from question_reveals where session_id = tests.id('session_b') and question_id = tests.id('q1') $$,
  'rows:1', 'the admin reads any reveal'),
('question_reveals', 'admin', 'insert',
  $$ insert into question_reveals (session_id, question_id, campaign_id, answer_opens_at, answer_closes_at)
     values (tests.id('session_b'), tests.id('q2'), tests.id('campaign'), now(), now() + interval '1 day') $$,
  'error:42501', 'the admin cannot record a reveal either'),
('question_reveals', 'admin', 'update',
  $$ update question_reveals set answer_closes_at = now() + interval '1 day'
      where session_id = tests.id('session_a') $$,
  'error:42501', 'the admin cannot change an answer window'),
('question_reveals', 'admin', 'delete', $$ delete from question_reveals where session_id = tests.id('session_a') $$,
  'error:42501', 'the admin cannot delete reveals'),

-- =====================================================================================================================
-- video_responses: the candidate records takes in their own session (the triggers check reveal, window, takes);
-- the candidate and the campaign's members read them. No client updates or deletes a take (the uploads function and
-- erase_session do, with the service role or as security definer).
-- =====================================================================================================================
('video_responses', 'anon', 'select', $$ select 1 from video_responses where id = tests.id('ra') $$,
  'error:42501', 'anon cannot read candidate_a''s take'),
('video_responses', 'anon', 'insert',
  $$ insert into video_responses (session_id, question_id, content_type, size_bytes)
     values (tests.id('session_a'), tests.id('q2'), 'video/webm', 1000) $$,
  'error:42501', 'anon cannot record a take'),
('video_responses', 'anon', 'update', $$ update video_responses set size_bytes = 1 where id = tests.id('ra') $$,
  'error:42501', 'anon cannot change a take'),
('video_responses', 'anon', 'delete', $$ delete from video_responses where id = tests.id('ra') $$,
  'error:42501', 'anon cannot delete a take'),
('video_responses', 'candidate_a', 'select', $$ select 1 from video_responses where id = tests.id('ra') $$,
  'rows:1', 'candidate_a reads their own take'),
('video_responses', 'candidate_a', 'insert',
  $$ insert into video_responses (session_id, question_id, content_type, size_bytes)
     values (tests.id('session_a'), tests.id('q2'), 'video/webm', 1000) $$,
  'rows:1', 'candidate_a records a take of the question revealed to them'),
('video_responses', 'candidate_a', 'update',
  $$ update video_responses set is_submitted = false where id = tests.id('ra') $$,
  'error:42501', 'candidate_a cannot unsubmit their take to record another'),
('video_responses', 'candidate_a', 'delete', $$ delete from video_responses where id = tests.id('ra') $$,
  'error:42501', 'candidate_a cannot delete their take to get a take back'),
('video_responses', 'candidate_b', 'select', $$ select 1 from video_responses where id = tests.id('ra') $$,
  'rows:0', 'candidate_b cannot read candidate_a''s take'),
('video_responses', 'candidate_b', 'insert',
  $$ insert into video_responses (session_id, question_id, content_type, size_bytes)
     values (tests.id('session_a'), tests.id('q2'), 'video/webm', 1000) $$,
  'error:42501', 'candidate_b cannot record a take in candidate_a''s session'),
('video_responses', 'candidate_b', 'update', $$ update video_responses set status = 'failed'
                                                 where id = tests.id('ra') $$,
  'error:42501', 'candidate_b cannot spoil candidate_a''s take'),
('video_responses', 'candidate_b', 'delete', $$ delete from video_responses where id = tests.id('ra') $$,
  'error:42501', 'candidate_b cannot delete candidate_a''s take'),
('video_responses', 'owner', 'select', $$ select 1 from video_responses where id = tests.id('ra') $$,
  'rows:1', 'the owner reads a take of their campaign'),
('video_responses', 'owner', 'insert',
  $$ insert into video_responses (session_id, question_id, content_type, size_bytes)
     values (tests.id('session_a'), tests.id('q2'), 'video/webm', 1000) $$,
  'error:42501', 'the owner cannot record a take in a candidate''s name'),
('video_responses', 'owner', 'update', $$ update video_responses set duration_seconds = 1 where id = tests.id('ra') $$,
  'error:42501', 'the owner cannot change a take'),
('video_responses', 'owner', 'delete', $$ delete from video_responses where id = tests.id('ra') $$,
  'error:42501', 'the owner cannot delete a single take (erase_session erases a whole session)'),
('video_responses', 'stranger', 'select', $$ select 1 from video_responses where id = tests.id('ra') $$,
  'rows:0', 'the stranger cannot read the owner''s takes'),
('video_responses', 'stranger', 'insert',
  $$ insert into video_responses (session_id, question_id, content_type, size_bytes)
     values (tests.id('session_a'), tests.id('q2'), 'video/webm', 1000) $$,
  'error:42501', 'the stranger cannot record a take'),
('video_responses', 'stranger', 'update', $$ update video_responses set size_bytes = 1 where id = tests.id('ra') $$,
  'error:42501', 'the stranger cannot change a take'),
('video_responses', 'stranger', 'delete', $$ delete from video_responses where id = tests.id('ra') $$,
  'error:42501', 'the stranger cannot delete a take'),
('video_responses', 'reviewer', 'select', $$ select 1 from video_responses where id = tests.id('ra') $$,
  'rows:1', 'the reviewer reads a take of the shared campaign'),
('video_responses', 'reviewer', 'insert',
  $$ insert into video_responses (session_id, question_id, content_type, size_bytes)
     values (tests.id('session_a'), tests.id('q2'), 'video/webm', 1000) $$,
  'error:42501', 'the reviewer cannot record a take'),
('video_responses', 'reviewer', 'update', $$ update video_responses set size_bytes = 1 where id = tests.id('ra') $$,
  'error:42501', 'the reviewer cannot change a take'),
('video_responses', 'reviewer', 'delete', $$ delete from video_responses where id = tests.id('ra') $$,
  'error:42501', 'the reviewer cannot delete a take'),
('video_responses', 'editor', 'select', $$ select 1 from video_responses where id = tests.id('rb') $$,
  'rows:1', 'the editor reads a take of the shared campaign'),
('video_responses', 'editor', 'insert',
  $$ insert into video_responses (session_id, question_id, content_type, size_bytes)
     values (tests.id('session_a'), tests.id('q2'), 'video/webm', 1000) $$,
  'error:42501', 'the editor cannot record a take'),
('video_responses', 'editor', 'update', $$ update video_responses set is_submitted = false where id = tests.id('rb') $$,
  'error:42501', 'the editor cannot change a take'),
('video_responses', 'editor', 'delete', $$ delete from video_responses where id = tests.id('rb') $$,
  'error:42501', 'the editor cannot delete a take'),
('video_responses', 'admin', 'select', $$ select 1 from video_responses where id = tests.id('rb') $$,
  'rows:1', 'the admin reads any take'),
('video_responses', 'admin', 'insert',
  $$ insert into video_responses (session_id, question_id, content_type, size_bytes)
     values (tests.id('session_a'), tests.id('q2'), 'video/webm', 1000) $$,
  'error:42501', 'the admin cannot record a take in a candidate''s name'),
('video_responses', 'admin', 'update', $$ update video_responses set size_bytes = 1 where id = tests.id('rb') $$,
  'error:42501', 'the admin cannot change a take'),
('video_responses', 'admin', 'delete', $$ delete from video_responses where id = tests.id('rb') $$,
  'error:42501', 'the admin cannot delete a single take through the API'),

-- =====================================================================================================================
-- evaluations: any member rates a submitted response once, in their own name, and edits only their own rating.
-- Owners, editors and admins read every rating; a reviewer reads others' ratings of a response only after rating it
-- (blind review). Candidates read none. Only the admin deletes ratings.
-- =====================================================================================================================
('evaluations', 'anon', 'select', $$ select 1 from evaluations where id = tests.id('eval_owner') $$,
  'error:42501', 'anon cannot read a rating'),
('evaluations', 'anon', 'insert', $$ insert into evaluations (response_id, score) values (tests.id('rb'), 5) $$,
  'error:42501', 'anon cannot rate a response'),
('evaluations', 'anon', 'update', $$ update evaluations set score = 1 where id = tests.id('eval_owner') $$,
  'error:42501', 'anon cannot change a rating'),
('evaluations', 'anon', 'delete', $$ delete from evaluations where id = tests.id('eval_owner') $$,
  'error:42501', 'anon cannot delete a rating'),
('evaluations', 'candidate_a', 'select', $$ select 1 from evaluations where id = tests.id('eval_owner') $$,
  'rows:0', 'candidate_a cannot read the rating of their own answer'),
('evaluations', 'candidate_a', 'insert', $$ insert into evaluations (response_id, score) values (tests.id('ra'), 5) $$,
  'error:42501', 'candidate_a cannot rate their own answer'),
('evaluations', 'candidate_a', 'update', $$ update evaluations set score = 5 where id = tests.id('eval_editor') $$,
  'rows:0', 'candidate_a cannot raise the score of their own answer'),
('evaluations', 'candidate_a', 'delete', $$ delete from evaluations where id = tests.id('eval_editor') $$,
  'rows:0', 'candidate_a cannot delete a bad rating of their answer'),
('evaluations', 'candidate_b', 'select', $$ select 1 from evaluations where id = tests.id('eval_owner') $$,
  'rows:0', 'candidate_b cannot read the rating of candidate_a''s answer'),
('evaluations', 'candidate_b', 'insert', $$ insert into evaluations (response_id, score) values (tests.id('ra'), 1) $$,
  'error:42501', 'candidate_b cannot rate candidate_a''s answer'),
('evaluations', 'candidate_b', 'update', $$ update evaluations set score = 1 where id = tests.id('eval_owner') $$,
  'rows:0', 'candidate_b cannot lower candidate_a''s score'),
('evaluations', 'candidate_b', 'delete', $$ delete from evaluations where id = tests.id('eval_owner') $$,
  'rows:0', 'candidate_b cannot delete candidate_a''s rating'),
('evaluations', 'owner', 'select', $$ select 1 from evaluations where id = tests.id('eval_editor') $$,
  'rows:1', 'the owner reads the editor''s rating without being blind'),
('evaluations', 'owner', 'insert', $$ insert into evaluations (response_id, score) values (tests.id('rb'), 5) $$,
  'rows:1', 'the owner rates a submitted response'),
('evaluations', 'owner', 'update', $$ update evaluations set score = 5, comment = 'On reflection'
                                      where id = tests.id('eval_owner') $$,
  'rows:1', 'the owner edits their own rating'),
('evaluations', 'owner', 'delete', $$ delete from evaluations where id = tests.id('eval_editor') $$,
  'rows:0', 'the owner cannot delete the editor''s rating (admins only)'),
('evaluations', 'stranger', 'select', $$ select 1 from evaluations where id = tests.id('eval_owner') $$,
  'rows:0', 'the stranger cannot read ratings of the owner''s campaign'),
('evaluations', 'stranger', 'insert', $$ insert into evaluations (response_id, score) values (tests.id('rb'), 1) $$,
  'error:42501', 'the stranger cannot rate a response of the owner''s campaign'),
('evaluations', 'stranger', 'update', $$ update evaluations set score = 1 where id = tests.id('eval_owner') $$,
  'rows:0', 'the stranger cannot change the owner''s rating'),
('evaluations', 'stranger', 'delete', $$ delete from evaluations where id = tests.id('eval_owner') $$,
  'rows:0', 'the stranger cannot delete the owner''s rating'),
('evaluations', 'reviewer', 'select', $$ select 1 from evaluations where id = tests.id('eval_editor') $$,
  'rows:0', 'the reviewer cannot read the editor''s rating of a response they have not rated (blind review)'),
('evaluations', 'reviewer', 'insert', $$ insert into evaluations (response_id, score) values (tests.id('rb'), 3) $$,
  'rows:1', 'the reviewer rates a submitted response of the shared campaign'),
('evaluations', 'reviewer', 'update', $$ update evaluations set score = 1 where id = tests.id('eval_editor') $$,
  'rows:0', 'the reviewer cannot change the editor''s rating'),
('evaluations', 'reviewer', 'delete', $$ delete from evaluations where id = tests.id('eval_editor') $$,
  'rows:0', 'the reviewer cannot delete the editor''s rating'),
('evaluations', 'editor', 'select', $$ select 1 from evaluations where id = tests.id('eval_owner') $$,
  'rows:1', 'the editor, who decides, reads the owner''s rating'),
('evaluations', 'editor', 'insert', $$ insert into evaluations (response_id, score) values (tests.id('rb'), 4) $$,
  'rows:1', 'the editor rates a submitted response'),
('evaluations', 'editor', 'update', $$ update evaluations set score = 5 where id = tests.id('eval_owner') $$,
  'rows:0', 'the editor cannot change the owner''s rating'),
('evaluations', 'editor', 'delete', $$ delete from evaluations where id = tests.id('eval_editor') $$,
  'rows:0', 'the editor cannot delete even their own rating (admins only: the trail stays)'),
('evaluations', 'admin', 'select', $$ select 1 from evaluations where id = tests.id('eval_owner') $$,
  'rows:1', 'the admin reads any rating'),
('evaluations', 'admin', 'insert', $$ insert into evaluations (response_id, score) values (tests.id('rb'), 3) $$,
  'rows:1', 'the admin rates a response'),
('evaluations', 'admin', 'update', $$ update evaluations set score = 1 where id = tests.id('eval_owner') $$,
  'rows:0', 'the admin cannot rewrite the owner''s rating in the owner''s name'),
('evaluations', 'admin', 'delete', $$ delete from evaluations where id = tests.id('eval_editor') $$,
  'rows:1', 'the admin deletes a rating'),

-- =====================================================================================================================
-- session_decisions: the owner, editors and admin read the decision (a reviewer once they rated the session);
-- the owner and editors (and the admin) make, change and
-- withdraw it. Candidates never see it.
-- =====================================================================================================================
('session_decisions', 'anon', 'select', $$ select 1 from session_decisions where id = tests.id('decision_a') $$,
  'error:42501', 'anon cannot read a decision'),
('session_decisions', 'anon', 'insert',
  $$ insert into session_decisions (session_id, decision) values (tests.id('session_b'), 'reject') $$,
  'error:42501', 'anon cannot decide'),
('session_decisions', 'anon', 'update',
  $$ update session_decisions set decision = 'reject' where id = tests.id('decision_a') $$,
  'error:42501', 'anon cannot change a decision'),
('session_decisions', 'anon', 'delete', $$ delete from session_decisions where id = tests.id('decision_a') $$,
  'error:42501', 'anon cannot withdraw a decision'),
('session_decisions', 'candidate_a', 'select', $$ select 1 from session_decisions where id = tests.id('decision_a') $$,
  'rows:0', 'candidate_a cannot read the decision on their own session'),
('session_decisions', 'candidate_a', 'insert',
  $$ insert into session_decisions (session_id, decision) values (tests.id('session_b'), 'reject') $$,
  'error:42501', 'candidate_a cannot decide on a rival''s session'),
('session_decisions', 'candidate_a', 'update',
  $$ update session_decisions set decision = 'advance', note = 'Self-promoted' where id = tests.id('decision_a') $$,
  'rows:0', 'candidate_a cannot change the decision on their own session'),
('session_decisions', 'candidate_a', 'delete', $$ delete from session_decisions where id = tests.id('decision_a') $$,
  'rows:0', 'candidate_a cannot withdraw the decision on their own session'),
('session_decisions', 'candidate_b', 'select', $$ select 1 from session_decisions where id = tests.id('decision_a') $$,
  'rows:0', 'candidate_b cannot read the decision on candidate_a''s session'),
('session_decisions', 'candidate_b', 'insert',
  $$ insert into session_decisions (session_id, decision) values (tests.id('session_b'), 'advance') $$,
  'error:42501', 'candidate_b cannot decide on their own session'),
('session_decisions', 'candidate_b', 'update',
  $$ update session_decisions set decision = 'reject' where id = tests.id('decision_a') $$,
  'rows:0', 'candidate_b cannot change the decision on candidate_a''s session'),
('session_decisions', 'candidate_b', 'delete', $$ delete from session_decisions where id = tests.id('decision_a') $$,
  'rows:0', 'candidate_b cannot withdraw the decision on candidate_a''s session'),
('session_decisions', 'owner', 'select', $$ select 1 from session_decisions where id = tests.id('decision_a') $$,
  'rows:1', 'the owner reads a decision of their campaign'),
('session_decisions', 'owner', 'insert',
  $$ insert into session_decisions (session_id, decision) values (tests.id('session_b'), 'hold') $$,
  'rows:1', 'the owner decides on a session'),
('session_decisions', 'owner', 'update',
  $$ update session_decisions set decision = 'hold' where id = tests.id('decision_a') $$,
  'rows:1', 'the owner changes a decision'),
('session_decisions', 'owner', 'delete', $$ delete from session_decisions where id = tests.id('decision_a') $$,
  'rows:1', 'the owner withdraws a decision'),
('session_decisions', 'stranger', 'select', $$ select 1 from session_decisions where id = tests.id('decision_a') $$,
  'rows:0', 'the stranger cannot read the owner''s decisions'),
('session_decisions', 'stranger', 'insert',
  $$ insert into session_decisions (session_id, decision) values (tests.id('session_b'), 'reject') $$,
  'error:42501', 'the stranger cannot decide on a session of the owner''s campaign'),
('session_decisions', 'stranger', 'update',
  $$ update session_decisions set decision = 'reject' where id = tests.id('decision_a') $$,
  'rows:0', 'the stranger cannot change the owner''s decisions'),
('session_decisions', 'stranger', 'delete', $$ delete from session_decisions where id = tests.id('decision_a') $$,
  'rows:0', 'the stranger cannot withdraw the owner''s decisions'),
('session_decisions', 'reviewer', 'select', $$ select 1 from session_decisions where id = tests.id('decision_a') $$,
  'rows:0', 'the reviewer reads no decision of a session they have not rated'),
('session_decisions', 'reviewer', 'insert',
  $$ insert into session_decisions (session_id, decision) values (tests.id('session_b'), 'advance') $$,
  'error:42501', 'the reviewer cannot decide'),
('session_decisions', 'reviewer', 'update',
  $$ update session_decisions set decision = 'reject' where id = tests.id('decision_a') $$,
  'rows:0', 'the reviewer cannot change a decision'),
('session_decisions', 'reviewer', 'delete', $$ delete from session_decisions where id = tests.id('decision_a') $$,
  'rows:0', 'the reviewer cannot withdraw a decision'),
('session_decisions', 'editor', 'select', $$ select 1 from session_decisions where id = tests.id('decision_a') $$,
  'rows:1', 'the editor reads a decision of the shared campaign'),
('session_decisions', 'editor', 'insert',
  $$ insert into session_decisions (session_id, decision) values (tests.id('session_b'), 'reject') $$,
  'rows:1', 'the editor decides on a session'),
('session_decisions', 'editor', 'update',
  $$ update session_decisions set decision = 'hold' where id = tests.id('decision_a') $$,
  'rows:1', 'the editor changes the owner''s decision'),
('session_decisions', 'editor', 'delete', $$ delete from session_decisions where id = tests.id('decision_a') $$,
  'rows:1', 'the editor withdraws a decision'),
('session_decisions', 'admin', 'select', $$ select 1 from session_decisions where id = tests.id('decision_a') $$,
  'rows:1', 'the admin reads any decision'),
('session_decisions', 'admin', 'insert',
  $$ insert into session_decisions (session_id, decision) values (tests.id('stranger_session_b'), 'hold') $$,
  'rows:1', 'the admin decides on a session of any campaign'),
('session_decisions', 'admin', 'update',
  $$ update session_decisions set note = 'Checked by admin' where id = tests.id('decision_a') $$,
  'rows:1', 'the admin changes any decision'),
('session_decisions', 'admin', 'delete', $$ delete from session_decisions where id = tests.id('decision_a') $$,
  'rows:1', 'the admin withdraws any decision'),

-- =====================================================================================================================
-- audit_log: written by the database's triggers only; no client writes it. The owner reads their campaigns'
-- entries, the admin every entry; collaborators and candidates none.
-- =====================================================================================================================
('audit_log', 'anon', 'select',
  $$ select 1 from audit_log where entity_id = tests.id('session_a') and action = 'session.invited' $$,
  'error:42501', 'anon cannot read the audit log'),
('audit_log', 'anon', 'insert',
  $$ insert into audit_log (action, entity, entity_id) values ('forged', 'interview_session', tests.id('session_a')) $$,
  'error:42501', 'anon cannot forge an entry'),
('audit_log', 'anon', 'update', $$ update audit_log set action = 'forged' where entity_id = tests.id('session_a') $$,
  'error:42501', 'anon cannot rewrite an entry'),
('audit_log', 'anon', 'delete', $$ delete from audit_log where entity_id = tests.id('session_a') $$,
  'error:42501', 'anon cannot erase an entry'),
('audit_log', 'candidate_a', 'select',
  $$ select 1 from audit_log where entity_id = tests.id('session_a') and action = 'session.invited' $$,
  'rows:0', 'candidate_a cannot read the history of their own session'),
('audit_log', 'candidate_a', 'insert',
  $$ insert into audit_log (action, entity, entity_id) values ('forged', 'interview_session', tests.id('session_a')) $$,
  'error:42501', 'candidate_a cannot forge an entry'),
('audit_log', 'candidate_a', 'update',
  $$ update audit_log set action = 'forged' where entity_id = tests.id('session_a') $$,
  'error:42501', 'candidate_a cannot rewrite the history of their session'),
('audit_log', 'candidate_a', 'delete', $$ delete from audit_log where entity_id = tests.id('session_a') $$,
  'error:42501', 'candidate_a cannot erase the history of their session'),
('audit_log', 'candidate_b', 'select',
  $$ select 1 from audit_log where entity_id = tests.id('session_a') and action = 'session.invited' $$,
  'rows:0', 'candidate_b cannot read the history of candidate_a''s session'),
('audit_log', 'candidate_b', 'insert',
  $$ insert into audit_log (action, entity, entity_id) values ('forged', 'interview_session', tests.id('session_b')) $$,
  'error:42501', 'candidate_b cannot forge an entry'),
('audit_log', 'candidate_b', 'update',
  $$ update audit_log set action = 'forged' where entity_id = tests.id('session_a') $$,
  'error:42501', 'candidate_b cannot rewrite an entry'),
('audit_log', 'candidate_b', 'delete', $$ delete from audit_log where entity_id = tests.id('session_a') $$,
  'error:42501', 'candidate_b cannot erase an entry'),
('audit_log', 'owner', 'select',
  $$ select 1 from audit_log where entity_id = tests.id('session_a') and action = 'session.invited' $$,
  'rows:1', 'the owner reads the history of their campaign'),
('audit_log', 'owner', 'insert',
  $$ insert into audit_log (action, entity, entity_id) values ('forged', 'interview_session', tests.id('session_a')) $$,
  'error:42501', 'the owner cannot forge an entry'),
('audit_log', 'owner', 'update', $$ update audit_log set action = 'forged' where entity_id = tests.id('session_a') $$,
  'error:42501', 'the owner cannot rewrite history'),
('audit_log', 'owner', 'delete', $$ delete from audit_log where entity_id = tests.id('session_a') $$,
  'error:42501', 'the owner cannot erase history'),
('audit_log', 'stranger', 'select',
  $$ select 1 from audit_log where entity_id = tests.id('session_a') and action = 'session.invited' $$,
  'rows:0', 'the stranger cannot read the owner''s history'),
('audit_log', 'stranger', 'insert',
  $$ insert into audit_log (action, entity, entity_id) values ('forged', 'interview_session', tests.id('session_a')) $$,
  'error:42501', 'the stranger cannot forge an entry'),
('audit_log', 'stranger', 'update',
  $$ update audit_log set action = 'forged' where entity_id = tests.id('session_a') $$,
  'error:42501', 'the stranger cannot rewrite an entry'),
('audit_log', 'stranger', 'delete', $$ delete from audit_log where entity_id = tests.id('session_a') $$,
  'error:42501', 'the stranger cannot erase an entry'),
('audit_log', 'reviewer', 'select',
  $$ select 1 from audit_log where entity_id = tests.id('session_a') and action = 'session.invited' $$,
  'rows:0', 'the reviewer does not read the audit log (owners only)'),
('audit_log', 'reviewer', 'insert',
  $$ insert into audit_log (action, entity, entity_id) values ('forged', 'interview_session', tests.id('session_a')) $$,
  'error:42501', 'the reviewer cannot forge an entry'),
('audit_log', 'reviewer', 'update',
  $$ update audit_log set action = 'forged' where entity_id = tests.id('session_a') $$,
  'error:42501', 'the reviewer cannot rewrite an entry'),
('audit_log', 'reviewer', 'delete', $$ delete from audit_log where entity_id = tests.id('session_a') $$,
  'error:42501', 'the reviewer cannot erase an entry'),
('audit_log', 'editor', 'select',
  $$ select 1 from audit_log where entity_id = tests.id('session_a') and action = 'session.invited' $$,
  'rows:0', 'the editor does not read the audit log (owners only)'),
('audit_log', 'editor', 'insert',
  $$ insert into audit_log (action, entity, entity_id) values ('forged', 'interview_session', tests.id('session_a')) $$,
  'error:42501', 'the editor cannot forge an entry'),
('audit_log', 'editor', 'update', $$ update audit_log set action = 'forged' where entity_id = tests.id('session_a') $$,
  'error:42501', 'the editor cannot rewrite an entry'),
('audit_log', 'editor', 'delete', $$ delete from audit_log where entity_id = tests.id('session_a') $$,
  'error:42501', 'the editor cannot erase an entry'),
('audit_log', 'admin', 'select',
  $$ select 1 from audit_log where entity_id = tests.id('session_a') and action = 'session.invited' $$,
  'rows:1', 'the admin reads any entry'),
('audit_log', 'admin', 'insert',
  $$ insert into audit_log (action, entity, entity_id) values ('forged', 'interview_session', tests.id('session_a')) $$,
  'error:42501', 'the admin cannot forge an entry'),
('audit_log', 'admin', 'update', $$ update audit_log set action = 'forged' where entity_id = tests.id('session_a') $$,
  'error:42501', 'the admin cannot rewrite history'),
('audit_log', 'admin', 'delete', $$ delete from audit_log where entity_id = tests.id('session_a') $$,
  'error:42501', 'the admin cannot erase history'),

-- =====================================================================================================================
-- video_deletions: the proof of deletion, written by triggers and the uploads function (security definer) only.
-- The owner reads their campaigns' rows, the admin every row; no one else reads any, and no client writes.
-- =====================================================================================================================
('video_deletions', 'anon', 'select', $$ select 1 from video_deletions where campaign_id = tests.id('campaign') $$,
  'error:42501', 'anon cannot read the deletion log'),
('video_deletions', 'anon', 'insert',
  $$ insert into video_deletions (object_key, reason, campaign_id)
     values ('campaigns/x', 'retention', tests.id('campaign')) $$,
  'error:42501', 'anon cannot queue a deletion'),
('video_deletions', 'anon', 'update',
  $$ update video_deletions set deleted_at = now() where campaign_id = tests.id('campaign') $$,
  'error:42501', 'anon cannot mark a deletion done'),
('video_deletions', 'anon', 'delete', $$ delete from video_deletions where campaign_id = tests.id('campaign') $$,
  'error:42501', 'anon cannot erase the proof of deletion'),
('video_deletions', 'candidate_a', 'select',
  $$ select 1 from video_deletions where session_id = tests.id('session_a') $$,
  'rows:0', 'candidate_a cannot read the deletion log of their own session'),
('video_deletions', 'candidate_a', 'insert',
  $$ insert into video_deletions (object_key, reason, session_id)
     values ('campaigns/x', 'erasure', tests.id('session_a')) $$,
  'error:42501', 'candidate_a cannot queue a deletion'),
('video_deletions', 'candidate_a', 'update',
  $$ update video_deletions set deleted_at = now() where session_id = tests.id('session_a') $$,
  'error:42501', 'candidate_a cannot mark a deletion done'),
('video_deletions', 'candidate_a', 'delete', $$ delete from video_deletions where session_id = tests.id('session_a') $$,
  'error:42501', 'candidate_a cannot erase the proof of deletion'),
('video_deletions', 'candidate_b', 'select',
  $$ select 1 from video_deletions where session_id = tests.id('session_a') $$,
  'rows:0', 'candidate_b cannot read the deletion log of candidate_a''s session'),
('video_deletions', 'candidate_b', 'insert',
  $$ insert into video_deletions (object_key, reason, session_id)
     values ('campaigns/x', 'erasure', tests.id('session_a')) $$,
  'error:42501', 'candidate_b cannot queue the deletion of candidate_a''s videos'),
('video_deletions', 'candidate_b', 'update',
  $$ update video_deletions set deleted_at = null where session_id = tests.id('session_a') $$,
  'error:42501', 'candidate_b cannot change the deletion log'),
('video_deletions', 'candidate_b', 'delete', $$ delete from video_deletions where session_id = tests.id('session_a') $$,
  'error:42501', 'candidate_b cannot erase the proof of deletion'),
('video_deletions', 'owner', 'select', $$ select 1 from video_deletions where campaign_id = tests.id('campaign') $$,
  'rows:1', 'the owner reads the deletion log of their campaign'),
('video_deletions', 'owner', 'insert',
  $$ insert into video_deletions (object_key, reason, campaign_id)
     values ('campaigns/x', 'retention', tests.id('campaign')) $$,
  'error:42501', 'the owner cannot queue a deletion by hand (erase_session does)'),
('video_deletions', 'owner', 'update',
  $$ update video_deletions set deleted_at = now() where campaign_id = tests.id('campaign') $$,
  'error:42501', 'the owner cannot mark a deletion done'),
('video_deletions', 'owner', 'delete', $$ delete from video_deletions where campaign_id = tests.id('campaign') $$,
  'error:42501', 'the owner cannot erase the proof of deletion'),
('video_deletions', 'stranger', 'select', $$ select 1 from video_deletions where campaign_id = tests.id('campaign') $$,
  'rows:0', 'the stranger cannot read the owner''s deletion log'),
('video_deletions', 'stranger', 'insert',
  $$ insert into video_deletions (object_key, reason, campaign_id)
     values ('campaigns/x', 'retention', tests.id('campaign')) $$,
  'error:42501', 'the stranger cannot queue a deletion'),
('video_deletions', 'stranger', 'update',
  $$ update video_deletions set deleted_at = now() where campaign_id = tests.id('campaign') $$,
  'error:42501', 'the stranger cannot mark a deletion done'),
('video_deletions', 'stranger', 'delete', $$ delete from video_deletions where campaign_id = tests.id('campaign') $$,
  'error:42501', 'the stranger cannot erase the proof of deletion'),
('video_deletions', 'reviewer', 'select', $$ select 1 from video_deletions where campaign_id = tests.id('campaign') $$,
  'rows:0', 'the reviewer does not read the deletion log (owners only)'),
('video_deletions', 'reviewer', 'insert',
  $$ insert into video_deletions (object_key, reason, campaign_id)
     values ('campaigns/x', 'retention', tests.id('campaign')) $$,
  'error:42501', 'the reviewer cannot queue a deletion'),
('video_deletions', 'reviewer', 'update',
  $$ update video_deletions set deleted_at = now() where campaign_id = tests.id('campaign') $$,
  'error:42501', 'the reviewer cannot mark a deletion done'),
('video_deletions', 'reviewer', 'delete', $$ delete from video_deletions where campaign_id = tests.id('campaign') $$,
  'error:42501', 'the reviewer cannot erase the proof of deletion'),
('video_deletions', 'editor', 'select', $$ select 1 from video_deletions where campaign_id = tests.id('campaign') $$,
  'rows:0', 'the editor does not read the deletion log (owners only)'),
('video_deletions', 'editor', 'insert',
  $$ insert into video_deletions (object_key, reason, campaign_id)
     values ('campaigns/x', 'retention', tests.id('campaign')) $$,
  'error:42501', 'the editor cannot queue a deletion'),
('video_deletions', 'editor', 'update',
  $$ update video_deletions set deleted_at = now() where campaign_id = tests.id('campaign') $$,
  'error:42501', 'the editor cannot mark a deletion done'),
('video_deletions', 'editor', 'delete', $$ delete from video_deletions where campaign_id = tests.id('campaign') $$,
  'error:42501', 'the editor cannot erase the proof of deletion'),
('video_deletions', 'admin', 'select', $$ select 1 from video_deletions where campaign_id = tests.id('campaign') $$,
  'rows:1', 'the admin reads any deletion'),
('video_deletions', 'admin', 'insert',
  $$ insert into video_deletions (object_key, reason, campaign_id)
     values ('campaigns/x', 'retention', tests.id('campaign')) $$,
  'error:42501', 'the admin cannot queue a deletion by hand'),
('video_deletions', 'admin', 'update',
  $$ update video_deletions set deleted_at = now() where campaign_id = tests.id('campaign') $$,
  'error:42501', 'the admin cannot mark a deletion done (the uploads function confirms)'),
('video_deletions', 'admin', 'delete', $$ delete from video_deletions where campaign_id = tests.id('campaign') $$,
  'error:42501', 'the admin cannot erase the proof of deletion');


-- =====================================================================================================================
-- webhook_endpoints, webhook_deliveries, webhook_delivery_attempts: the owners and admins of the organization (here
-- owner and editor, and the platform admin) read them; they edit and delete endpoints; nobody creates an endpoint but
-- through create_webhook_endpoint() (it returns the secret), and nobody writes deliveries or attempts (the triggers
-- and the webhooks function do). A member (reviewer), another company (stranger) and candidates see nothing; anon
-- holds no privilege at all.
-- =====================================================================================================================
insert into matrix (table_name, actor, command, statement, expected, description)
select t.table_name, a.actor, t.command, t.statement,
       case when a.actor = 'anon' then 'error:42501'
            when a.manages then t.for_managers
            else t.for_others end,
       a.label || ': ' || t.verb
  from (values
    ('anon', false, 'anon'), ('candidate_a', false, 'candidate_a'), ('candidate_b', false, 'candidate_b'),
    ('owner', true, 'the owner of Acme'), ('stranger', false, 'the stranger (another company)'),
    ('reviewer', false, 'the reviewer (a member of Acme)'), ('editor', true, 'the editor (an admin of Acme)'),
    ('admin', true, 'the platform admin')
  ) a(actor, manages, label)
  cross join (values
    ('webhook_endpoints', 'select', $q$ select 1 from webhook_endpoints where id = tests.id('acme_hook') $q$,
      'rows:1', 'rows:0', 'read Acme''s endpoint'),
    ('webhook_endpoints', 'insert',
      $q$ insert into webhook_endpoints (organization_id, url, event_types)
          values (tests.id('acme'), 'https://ats.example.com/x', '{session.invited}') $q$,
      'error:42501', 'error:42501', 'insert an endpoint directly (create_webhook_endpoint does, with its secret)'),
    ('webhook_endpoints', 'update',
      $q$ update webhook_endpoints set enabled = false where id = tests.id('acme_hook') $q$,
      'rows:1', 'rows:0', 'disable Acme''s endpoint'),
    ('webhook_endpoints', 'delete', $q$ delete from webhook_endpoints where id = tests.id('acme_hook') $q$,
      'rows:1', 'rows:0', 'delete Acme''s endpoint'),
    ('webhook_deliveries', 'select', $q$ select 1 from webhook_deliveries where id = tests.id('acme_delivery') $q$,
      'rows:1', 'rows:0', 'read Acme''s delivery'),
    ('webhook_deliveries', 'insert',
      $q$ insert into webhook_deliveries (endpoint_id, event_id, organization_id, event_type)
          values (tests.id('acme_hook'), tests.id('acme_event'), tests.id('acme'), 'decision.made') $q$,
      'error:42501', 'error:42501', 'queue a delivery by hand'),
    ('webhook_deliveries', 'update',
      $q$ update webhook_deliveries set status = 'succeeded' where id = tests.id('acme_delivery') $q$,
      'error:42501', 'error:42501', 'mark a delivery done (replay_webhook_delivery re-queues it)'),
    ('webhook_deliveries', 'delete', $q$ delete from webhook_deliveries where id = tests.id('acme_delivery') $q$,
      'error:42501', 'error:42501', 'delete a delivery'),
    ('webhook_delivery_attempts', 'select',
      $q$ select 1 from webhook_delivery_attempts where delivery_id = tests.id('acme_delivery') $q$,
      'rows:1', 'rows:0', 'read the attempt log of Acme''s delivery'),
    ('webhook_delivery_attempts', 'insert',
      $q$ insert into webhook_delivery_attempts (delivery_id, endpoint_id, organization_id, duration_ms, outcome)
          values (tests.id('acme_delivery'), tests.id('acme_hook'), tests.id('acme'), 1, 'succeeded') $q$,
      'error:42501', 'error:42501', 'forge an attempt'),
    ('webhook_delivery_attempts', 'update',
      $q$ update webhook_delivery_attempts set status_code = 200 where delivery_id = tests.id('acme_delivery') $q$,
      'error:42501', 'error:42501', 'rewrite the attempt log'),
    ('webhook_delivery_attempts', 'delete',
      $q$ delete from webhook_delivery_attempts where delivery_id = tests.id('acme_delivery') $q$,
      'error:42501', 'error:42501', 'erase the attempt log')
  ) t(table_name, command, statement, for_managers, for_others, verb);

-- Every public table's rows, as text: the same before and after the matrix proves that no cell left anything behind.
create function pg_temp.public_data() returns text
language plpgsql
as $$
declare
  t record;
  dump text;
  result text := '';
begin
  for t in select c.relname from pg_class c
            where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') order by c.relname loop
    execute format('select coalesce(string_agg(x::text, %L order by x::text), %L) from public.%I x',
                   E'\n', '', t.relname)
      into dump;
    result := result || t.relname || E':\n' || dump || E'\n';
  end loop;
  return result;
end
$$;

-- One is() per cell, in the order above, each statement run as its actor.
create function pg_temp.assert_cells() returns setof text
language plpgsql
as $$
declare
  cell record;
  outcome text;
begin
  for cell in select * from matrix order by n loop
    if cell.actor = 'anon' then
      perform tests.clear_authentication();
    else
      perform tests.authenticate_as(cell.actor);
    end if;
    outcome := tests.outcome(cell.statement);
    perform set_config('role', 'none', true);
    perform set_config('request.jwt.claims', '', true);
    return next is(outcome, cell.expected, format('%s, %s: %s', cell.table_name, cell.command, cell.description));
  end loop;
end
$$;

select plan((select count(*)::int from matrix) + 3);

select bag_eq(
  $$ select table_name, actor, command from matrix $$,
  $$ select c.relname::text, a.actor, k.command
       from pg_class c
      cross join unnest(array['anon', 'candidate_a', 'candidate_b', 'owner', 'stranger', 'reviewer', 'editor',
                              'admin']) a(actor)
      cross join unnest(array['select', 'insert', 'update', 'delete']) k(command)
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') $$,
  'the matrix has exactly one cell per public table, actor and command');

-- A rows:0 cell proves something only if its target exists: the superuser (no RLS) reaches it with the same statement.
select is_empty(
  $$ select table_name || ', ' || actor || ', ' || command || ': ' || tests.outcome(statement)
       from matrix where expected = 'rows:0' and tests.outcome(statement) !~ '^rows:[1-9]' $$,
  'every filtered cell aims at rows that exist (the superuser''s same statement reaches them)');

create temporary table data_before on commit drop as select pg_temp.public_data() as dump;
select * from pg_temp.assert_cells();
select is(pg_temp.public_data(), (select dump from data_before),
  'every cell was undone: the public tables hold exactly the fixtures afterwards');

select * from finish();
rollback;
