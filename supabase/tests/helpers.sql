-- pgTAP helpers, loaded once (psql -f) by the test runner before pg_prove. Never part of supabase/migrations.
-- Idempotent: safe to run on every test run.
--
-- Users:    tests.create_user(identifier, role)   an auth user; role goes to app_metadata (null: none), the profile
--                                                 and role rows come from the project's trigger
--           tests.get_user_id(identifier)
-- Acting:   tests.authenticate_as(identifier)     what PostgREST does for a signed-in user: `set local role
--                                                 authenticated` + request.jwt.claims with sub and user_role
--           tests.authenticate_as_service_role()
--           tests.clear_authentication()          back to anon (no claims)
-- Fixture:  tests.create_interview_world()        the cast and data most files share (see below);
--           tests.id(name)                        the id of a named fixture row
-- Outcome:  tests.outcome(statement)              what a statement does for the current role, then undone:
--                                                 'rows:N' or 'error:<SQLSTATE>[ <code>]' (see the function)
--
-- Test files call these unqualified after `set local search_path = public, extensions, tests;`.

create extension if not exists pgtap with schema extensions;

create schema if not exists tests;
grant usage on schema tests to anon, authenticated, service_role;

create table if not exists tests.fixture_ids (
  name text primary key,
  id uuid not null
);

create or replace function tests.create_user(identifier text, role text default 'candidate', metadata jsonb default '{}')
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  user_id uuid := gen_random_uuid();
begin
  insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                          raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
  values ('00000000-0000-0000-0000-000000000000', user_id, 'authenticated', 'authenticated',
          identifier || '@test.local', '', now(),
          jsonb_build_object('provider', 'email', 'providers', jsonb_build_array('email'))
            || case when role is null then '{}'::jsonb else jsonb_build_object('role', role) end,
          coalesce(metadata, '{}'::jsonb) || jsonb_build_object('test_identifier', identifier),
          now(), now());
  return user_id;
end
$$;

create or replace function tests.get_user_id(identifier text)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  found_id uuid;
begin
  select u.id into found_id from auth.users u where u.raw_user_meta_data ->> 'test_identifier' = identifier;
  if found_id is null then
    raise exception 'tests.get_user_id: no test user %', identifier;
  end if;
  return found_id;
end
$$;

-- The user_role claim the custom access token hook puts in this user's tokens (the hook itself decides).
create or replace function tests.role_claim_of(user_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select public.custom_access_token_hook(
    jsonb_build_object('user_id', user_id, 'authentication_method', 'password',
                       'claims', jsonb_build_object('sub', user_id, 'role', 'authenticated'))) #>> '{claims,user_role}'
$$;

-- with_role_claim => false reproduces a token minted without the custom access token hook.
create or replace function tests.authenticate_as(identifier text, with_role_claim boolean default true)
returns void
language plpgsql
set search_path = ''
as $$
declare
  user_id uuid := tests.get_user_id(identifier);
  claims jsonb := jsonb_build_object(
    'sub', user_id, 'role', 'authenticated', 'aud', 'authenticated',
    'email', identifier || '@test.local', 'aal', 'aal1', 'is_anonymous', false);
begin
  if with_role_claim then
    claims := claims || jsonb_build_object('user_role', tests.role_claim_of(user_id));
  end if;
  perform set_config('role', 'authenticated', true);
  perform set_config('request.jwt.claims', claims::text, true);
end
$$;

create or replace function tests.authenticate_as_service_role()
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('role', 'service_role', true);
  perform set_config('request.jwt.claims', '{"role": "service_role"}', true);
end
$$;

create or replace function tests.clear_authentication()
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('role', 'anon', true);
  perform set_config('request.jwt.claims', '{"role": "anon"}', true);
end
$$;

create or replace function tests.id(fixture_name text)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  found_id uuid;
begin
  select f.id into found_id from tests.fixture_ids f where f.name = fixture_name;
  if found_id is null then
    raise exception 'tests.id: no fixture row %', fixture_name;
  end if;
  return found_id;
end
$$;

-- Runs `statement` as the current role and reports what happened, then undoes it, so that the next statement sees
-- the same data:
--   'rows:N'                  it succeeded; N rows returned (select) or written (insert, update, delete). Rows that
--                             RLS filters out are simply not counted: a filtered read or write is 'rows:0'.
--   'error:<SQLSTATE>'        it failed (42501: no privilege, or a WITH CHECK refused the row)
--   'error:<SQLSTATE> <code>' it failed with one of the project's machine codes as the message (question_locked, ...)
-- The statement runs in a subtransaction (the inner block), which a private exception always rolls back: allowed
-- writes leave nothing behind, their triggers' writes included. SECURITY INVOKER on purpose: RLS and grants must see
-- the caller. Unqualified names resolve as in the test files.
create or replace function tests.outcome(statement text)
returns text
language plpgsql
set search_path = public, extensions, tests
as $$
declare
  affected bigint;
begin
  begin
    execute statement;
    get diagnostics affected = row_count;
    raise exception using errcode = 'TSTUN', message = 'tests.outcome: undo';
  exception
    when sqlstate 'TSTUN' then
      return 'rows:' || affected;
    when others then
      return 'error:' || sqlstate || case when sqlerrm ~ '^[a-z][a-z0-9_]*$' then ' ' || sqlerrm else '' end;
  end;
end
$$;

-- The shared cast, created as the superuser inside the calling test's transaction (so it rolls back with it):
--   hiring managers: owner (Acme), stranger (Globex), reviewer, editor;  admin;  candidates: candidate_a, candidate_b
--   organizations `acme` (owner: owner; members: reviewer, editor) and `globex` (owner: stranger)
--   campaign `campaign` (owner's, active, 10 days): questions `q1`, `q2` (not practice);
--     collaborators: reviewer as reviewer, editor as editor;
--     sessions `session_a` (candidate_a) and `session_b` (candidate_b), both invited (every session of the world
--     has accepted its campaign's privacy notice, version 1, so start_interview may proceed)
--   campaign `stranger_campaign` (stranger's, active): question `sq1`; session `stranger_session_b` (candidate_b)
--   candidate `uninvited` (no user, no session)
-- Candidate rows: `cand_a`, `cand_b`, `uninvited`.
create or replace function tests.create_interview_world()
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  owner_id uuid := tests.create_user('owner', 'hiring_manager', '{"company": "Acme", "first_name": "Olivia"}');
  stranger_id uuid := tests.create_user('stranger', 'hiring_manager', '{"company": "Globex"}');
  reviewer_id uuid := tests.create_user('reviewer', 'hiring_manager', '{"company": "Acme"}');
  editor_id uuid := tests.create_user('editor', 'hiring_manager', '{"company": "Acme"}');
  admin_id uuid := tests.create_user('admin', 'admin');
  a_id uuid := tests.create_user('candidate_a', 'candidate', '{"first_name": "Ada", "last_name": "A"}');
  b_id uuid := tests.create_user('candidate_b', 'candidate', '{"first_name": "Bob", "last_name": "B"}');
  campaign_id uuid;
  stranger_campaign_id uuid;
begin
  delete from tests.fixture_ids;
  insert into tests.fixture_ids values
    ('owner', owner_id), ('stranger', stranger_id), ('reviewer', reviewer_id), ('editor', editor_id),
    ('admin', admin_id), ('candidate_a', a_id), ('candidate_b', b_id);

  insert into public.campaigns (owner_id, title, description, status, start_date, end_date, retention_days)
  values (owner_id, 'Backend engineer', 'Tell us about you', 'active', now(), now() + interval '10 days', 90)
  returning id into campaign_id;
  insert into public.campaigns (owner_id, title, status, start_date, end_date)
  values (stranger_id, 'Globex sales', 'active', now(), now() + interval '10 days')
  returning id into stranger_campaign_id;
  insert into tests.fixture_ids values ('campaign', campaign_id), ('stranger_campaign', stranger_campaign_id);

  -- Reviewer and editor joined Acme (the owner's organization); each also keeps the one made at sign-up.
  insert into tests.fixture_ids values ('acme', private.default_organization_of(owner_id)),
                                       ('globex', private.default_organization_of(stranger_id));
  insert into public.organization_members (organization_id, user_id, role)
  values (tests.id('acme'), reviewer_id, 'member'), (tests.id('acme'), editor_id, 'member');

  insert into public.campaign_collaborators (campaign_id, user_id, role)
  values (campaign_id, reviewer_id, 'reviewer'), (campaign_id, editor_id, 'editor');

  with q as (
    insert into public.questions (campaign_id, position, prompt, think_time_seconds, answer_time_seconds, max_takes)
    values (campaign_id, 1, 'Why us?', 0, 60, 2), (campaign_id, 2, 'A hard bug you fixed?', 0, 60, 2)
    returning id, position
  )
  insert into tests.fixture_ids select 'q' || q.position, q.id from q;
  with q as (
    insert into public.questions (campaign_id, position, prompt, think_time_seconds)
      values (stranger_campaign_id, 1, 'Sell me this pen', 0)
    returning id
  )
  insert into tests.fixture_ids select 'sq1', q.id from q;

  insert into tests.fixture_ids select 'cand_a', c.id from public.candidates c where c.user_id = a_id;
  insert into tests.fixture_ids select 'cand_b', c.id from public.candidates c where c.user_id = b_id;
  with c as (
    insert into public.candidates (email, first_name, last_name) values ('uninvited@test.local', 'Una', 'U')
    returning id
  )
  insert into tests.fixture_ids select 'uninvited', c.id from c;

  with s as (
    insert into public.interview_sessions (campaign_id, candidate_id, invited_by, privacy_notice_version_accepted,
                                           privacy_notice_accepted_at)
    values (campaign_id, tests.id('cand_a'), owner_id, 1, now()) returning id
  )
  insert into tests.fixture_ids select 'session_a', s.id from s;
  with s as (
    insert into public.interview_sessions (campaign_id, candidate_id, invited_by, privacy_notice_version_accepted,
                                           privacy_notice_accepted_at)
    values (campaign_id, tests.id('cand_b'), owner_id, 1, now()) returning id
  )
  insert into tests.fixture_ids select 'session_b', s.id from s;
  with s as (
    insert into public.interview_sessions (campaign_id, candidate_id, invited_by, privacy_notice_version_accepted,
                                           privacy_notice_accepted_at)
    values (stranger_campaign_id, tests.id('cand_b'), stranger_id, 1, now()) returning id
  )
  insert into tests.fixture_ids select 'stranger_session_b', s.id from s;
end
$$;

-- Moves a fixture session to in_progress with its first question revealed and one uploaded, submitted take,
-- as the candidate and the uploads function would. Returns the response id.
create or replace function tests.answer_first_question(session_name text, candidate text)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  response_id uuid;
  previous_role text := current_setting('role');
  previous_claims text := current_setting('request.jwt.claims', true);
begin
  perform tests.authenticate_as(candidate);
  perform public.start_interview(tests.id(session_name));
  perform public.reveal_next_question(tests.id(session_name));
  insert into public.video_responses (session_id, question_id, content_type, size_bytes)
  values (tests.id(session_name),
          (select r.question_id from public.question_reveals r where r.session_id = tests.id(session_name) limit 1),
          'video/webm', 1000)
  returning id into response_id;
  perform tests.authenticate_as_service_role();
  perform public.complete_response_upload(response_id, 1000);
  perform set_config('role', previous_role, true);
  perform set_config('request.jwt.claims', coalesce(previous_claims, ''), true);
  return response_id;
end
$$;

-- The keys of a campaign whose kept report count differs from the sum of every session's parts computed afresh
-- (private.session_report_parts_of): empty when the counts the writes keep equal a full recount.
create or replace function tests.report_counts_off(campaign uuid)
returns setof text
language sql
as $$
  with kept as (
    select k.key, k.value from private.campaign_report_counts k
     where k.campaign_id = report_counts_off.campaign and k.key <> ''
  ),
  recount as (
    select e.key, sum(e.value::numeric) as value
      from private.session_report_parts_of(array(select s.id from public.interview_sessions s
                                                  where s.campaign_id = report_counts_off.campaign)) f
      cross join lateral jsonb_each(f.parts) e
     group by e.key
    having sum(e.value::numeric) <> 0
  )
  select format('%s: kept %s, recounted %s', coalesce(k.key, r.key), k.value, r.value)
    from kept k full join recount r on r.key = k.key
   where k.value is distinct from r.value
$$;

grant select on tests.fixture_ids to postgres;
grant execute on all functions in schema tests to anon, authenticated, service_role;
