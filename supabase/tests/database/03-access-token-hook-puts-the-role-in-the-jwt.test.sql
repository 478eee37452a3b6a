-- The custom access token hook adds `user_role` and keeps every claim GoTrue sent; policies read the claim through
-- private.current_user_role(), falling back to the profile when a token has no such claim.
begin;
set local search_path = public, extensions, tests;
select plan(10);
select tests.create_interview_world();

select is(
  public.custom_access_token_hook(jsonb_build_object(
    'user_id', tests.id('owner'),
    'authentication_method', 'password',
    'claims', jsonb_build_object('iss', 'http://x/auth/v1', 'aud', 'authenticated', 'exp', 2, 'iat', 1,
                                 'sub', tests.id('owner'), 'role', 'authenticated', 'aal', 'aal1',
                                 'session_id', 's', 'email', 'owner@test.local', 'phone', '',
                                 'is_anonymous', false)
  )) -> 'claims',
  jsonb_build_object('iss', 'http://x/auth/v1', 'aud', 'authenticated', 'exp', 2, 'iat', 1,
                     'sub', tests.id('owner'), 'role', 'authenticated', 'aal', 'aal1',
                     'session_id', 's', 'email', 'owner@test.local', 'phone', '',
                     'is_anonymous', false, 'user_role', 'hiring_manager'),
  'the hook adds user_role and keeps every required claim unchanged');
select is(
  public.custom_access_token_hook(jsonb_build_object('user_id', tests.id('admin'),
    'claims', jsonb_build_object('sub', tests.id('admin'), 'user_role', 'candidate'))) #>> '{claims,user_role}',
  'admin', 'the hook overwrites a user_role claim with the role from the profile');
select is(
  public.custom_access_token_hook(jsonb_build_object('user_id', gen_random_uuid(),
    'claims', jsonb_build_object('user_role', 'admin'))) -> 'claims',
  '{}'::jsonb, 'a user without a profile gets no user_role claim');
select is(
  public.custom_access_token_hook(jsonb_build_object('user_id', tests.id('owner'), 'claims', '{}'::jsonb,
    'authentication_method', 'otp')) ->> 'authentication_method',
  'otp', 'the hook returns the rest of the event untouched');

-- the hook runs as supabase_auth_admin, which must be able to read roles through RLS
select set_config('test.candidate_a', tests.id('candidate_a')::text, true);
set local role supabase_auth_admin;
select set_config('test.hook_result', public.custom_access_token_hook(jsonb_build_object(
  'user_id', current_setting('test.candidate_a'), 'claims', '{}'::jsonb))::text, true);
reset role;
select is(current_setting('test.hook_result')::jsonb #>> '{claims,user_role}', 'candidate',
  'the hook works when run by the auth server''s role');

select tests.authenticate_as('candidate_a');
select throws_ok($$ select public.custom_access_token_hook('{}'::jsonb) $$, '42501', null,
  'a signed-in user cannot call the hook');
select is(private.current_user_role()::text, 'candidate', 'the helper reads the role from the claim');

-- a token without the claim (minted before the hook was enabled) still gets the right role
select tests.authenticate_as('admin', false);
select is(private.current_user_role()::text, 'admin', 'without the claim the helper falls back to the profile');
select set_has($$ select id from campaigns $$,
  $$ select unnest(array[tests.id('campaign'), tests.id('stranger_campaign')]) $$,
  'so an admin without the claim still sees every campaign');

-- the claim is what policies trust: an admin claim on a candidate's token (not producible by the hook) is the
-- auth server's responsibility; a candidate claim on an admin's token makes them act as a candidate
select tests.authenticate_as('candidate_a', false);
select is(private.is_admin(), false, 'a candidate without the claim is not an admin');

select * from finish();
rollback;
