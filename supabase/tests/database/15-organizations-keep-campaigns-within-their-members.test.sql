-- Organizations: each hiring manager gets one at sign-up; members join only by an accepted email invitation; owners
-- and admins manage members within the owner rules; leaving or removal revokes campaign access at once.
begin;
set local search_path = public, extensions, tests;
select plan(39);
select tests.create_interview_world();

-- sign-up ------------------------------------------------------------------------------------------------------------
select is((select o.name from organizations o join organization_members m on m.organization_id = o.id
            where m.user_id = tests.id('stranger')),
  'Globex', 'a new hiring manager owns an organization named after their company');
select is((select m.role::text from organization_members m where m.user_id = tests.id('stranger')), 'owner',
  'as its owner');
select is((select count(*)::int from organization_members m join profiles p on p.id = m.user_id
            where p.id in (tests.id('candidate_a'), tests.id('admin'))), 0,
  'candidates and admins belong to no organization');

-- who sees what --------------------------------------------------------------------------------------------------------
select tests.authenticate_as('reviewer');
select set_eq($$ select user_id from organization_members where organization_id = tests.id('acme') $$,
  $$ select unnest(array[tests.id('owner'), tests.id('reviewer'), tests.id('editor')]) $$,
  'a member reads who else works at the organization');
select ok(exists (select 1 from profiles where id = tests.id('editor')),
  'and their colleagues'' profiles (to share a campaign with them)');
select is_empty($$ select 1 from organizations where id = tests.id('globex') $$,
  'but not another company');
select is_empty($$ select 1 from profiles where id = tests.id('stranger') $$,
  'nor the profiles of its people');
select is_empty($$ update organizations set name = 'Mine now' where id = tests.id('acme') returning 1 $$,
  'a member cannot rename the organization');

-- owner rules ----------------------------------------------------------------------------------------------------------
select tests.authenticate_as('owner');
select lives_ok($$ update organization_members set role = 'admin'
                    where organization_id = tests.id('acme') and user_id = tests.id('editor') $$,
  'the owner makes the editor an admin');
select tests.authenticate_as('editor');
select results_eq($$ update organization_members set role = 'admin'
                      where organization_id = tests.id('acme') and user_id = tests.id('reviewer') returning role::text $$,
  $$ values ('admin') $$, 'an admin promotes a member');
select lives_ok($$ update organization_members set role = 'member'
                    where organization_id = tests.id('acme') and user_id = tests.id('reviewer') $$,
  'and demotes them again');
select throws_ok($$ update organization_members set role = 'owner'
                     where organization_id = tests.id('acme') and user_id = tests.id('editor') $$,
  '42501', 'owner_change_needs_owner', 'an admin cannot make anyone an owner');
select throws_ok($$ update organization_members set role = 'member'
                     where organization_id = tests.id('acme') and user_id = tests.id('owner') $$,
  '42501', 'owner_change_needs_owner', 'nor demote the owner');
select throws_ok($$ delete from organization_members
                     where organization_id = tests.id('acme') and user_id = tests.id('owner') $$,
  '42501', 'owner_change_needs_owner', 'nor remove the owner');
select tests.authenticate_as('owner');
select throws_ok($$ delete from organization_members
                     where organization_id = tests.id('acme') and user_id = tests.id('owner') $$,
  '23514', 'organization_needs_owner', 'the last owner cannot leave');
select throws_ok($$ update organization_members set role = 'admin'
                     where organization_id = tests.id('acme') and user_id = tests.id('owner') $$,
  '23514', 'organization_needs_owner', 'nor step down');

-- campaigns stay inside the organization ---------------------------------------------------------------------------------
select tests.authenticate_as('stranger');
select throws_ok($$ insert into campaigns (owner_id, organization_id, title, start_date, end_date)
                     values (tests.id('stranger'), tests.id('acme'), 'Planted', now(), now() + interval '1 day') $$,
  '23514', 'campaign_owner_not_in_organization', 'nobody creates a campaign in an organization they are not in');
select tests.authenticate_as('owner');
select is((select organization_id from campaigns where id = tests.id('campaign')), tests.id('acme'),
  'a campaign created without an organization goes to its owner''s');

-- removal revokes access at once -----------------------------------------------------------------------------------------
select tests.authenticate_as('editor');
select lives_ok($$ delete from organization_members
                    where organization_id = tests.id('acme') and user_id = tests.id('reviewer') $$,
  'an admin removes the reviewer');
select tests.authenticate_as('reviewer');
select is_empty($$ select 1 from campaigns where id = tests.id('campaign') $$,
  'the removed reviewer no longer reads the campaign');
select is_empty($$ select 1 from interview_sessions where campaign_id = tests.id('campaign') $$,
  'nor its sessions');
select is_empty($$ select 1 from organization_members where organization_id = tests.id('acme') $$,
  'nor who works at the organization');
reset role;
select is((select count(*)::int from campaign_collaborators where user_id = tests.id('reviewer')), 0,
  'their collaborator rows are gone');

-- a member who leaves hands their campaigns on
select tests.authenticate_as('editor');
select lives_ok($$ insert into campaigns (owner_id, title, start_date, end_date)
                    values (tests.id('editor'), 'Editor''s own', now() + interval '1 hour', now() + interval '9 days') $$,
  'the editor creates a campaign of their own in Acme');
reset role;
update campaigns set organization_id = tests.id('acme') where title = 'Editor''s own';
select tests.authenticate_as('editor');
select lives_ok($$ delete from organization_members
                    where organization_id = tests.id('acme') and user_id = tests.id('editor') $$,
  'the editor leaves Acme');
select is((select owner_id from campaigns where title = 'Editor''s own'), null::uuid,
  'they no longer read the campaign they created there');
reset role;
select is((select owner_id from campaigns where title = 'Editor''s own'), tests.id('owner'),
  'which now belongs to the owner of Acme');
select ok(exists (select 1 from audit_log where action = 'organization.campaigns_transferred'
                    and entity_id = tests.id('acme')), 'and the hand-over is in the audit trail');

-- colleague invitations --------------------------------------------------------------------------------------------------
do $$
begin
  perform tests.create_user('newcomer', 'hiring_manager', '{"company": "Acme"}');
  perform tests.create_user('late', 'hiring_manager', '{"company": "Acme"}');
end
$$;
select tests.authenticate_as('stranger');
select throws_ok($$ select * from private.invite_colleague(tests.id('acme'), 'newcomer@test.local', 'member',
                     encode(sha256('t1'), 'hex'), '00', 'en') $$,
  '42501', 'not_organization_admin', 'only an owner or admin of the organization invites');
select tests.authenticate_as('owner');
select throws_ok($$ select * from private.invite_colleague(tests.id('acme'), 'OWNER@test.local', 'member',
                     encode(sha256('t0'), 'hex'), '00', 'en') $$,
  'PT409', 'already_member', 'inviting a member again is refused');
select is((select count(*)::int from private.invite_colleague(tests.id('acme'), 'Newcomer@test.local', 'admin',
                                                              encode(sha256('t1'), 'hex'), '00', 'en')), 1,
  'the owner invites a colleague by email');
reset role;
select is((select kind || ':' || to_email from private.email_outbox where organization_invitation_id is not null),
  'colleague_invitation:newcomer@test.local', 'and the email waits in the outbox');

select tests.authenticate_as('stranger');
select throws_ok($$ select * from private.accept_colleague_invitation(encode(sha256('t1'), 'hex')) $$,
  '42501', 'colleague_invitation_for_another_email', 'a stranger holding the link cannot use it');
select tests.authenticate_as('candidate_a');
select throws_ok($$ select * from private.accept_colleague_invitation(encode(sha256('t1'), 'hex')) $$,
  '42501', 'not_hiring_manager', 'nor can a candidate');
select tests.authenticate_as('newcomer');
select results_eq($$ select organization_id, role::text from private.accept_colleague_invitation(encode(sha256('t1'), 'hex')) $$,
  $$ select tests.id('acme'), 'admin' $$, 'the invited colleague accepts and joins as admin');
select is((select count(*)::int from organization_members where user_id = tests.get_user_id('newcomer')), 1,
  'their unused personal organization is gone: they belong to Acme only');
select throws_ok($$ select * from private.accept_colleague_invitation(encode(sha256('t1'), 'hex')) $$,
  'PT404', 'colleague_invitation_not_found', 'a link works once');

select tests.authenticate_as('owner');
select is((select count(*)::int from private.invite_colleague(tests.id('acme'), 'late@test.local', 'member',
                                                              encode(sha256('t2'), 'hex'), '00', 'en')), 1,
  'another invitation');
reset role;
update organization_invitations set expires_at = now() - interval '1 second' where email = 'late@test.local';
select tests.authenticate_as('late');
select throws_ok($$ select * from private.accept_colleague_invitation(encode(sha256('t2'), 'hex')) $$,
  'PT410', 'colleague_invitation_expired', 'an expired link is refused');

select * from finish();
rollback;
