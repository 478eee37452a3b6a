-- The trigger on auth.users provisions the profile and the role row, trusting app_metadata and, for self sign-up,
-- user_metadata restricted to hiring_manager or candidate. Candidates are linked to an invitation's existing row.
begin;
set local search_path = public, extensions, tests;
select plan(22);

-- app_metadata (set by our functions with the service role) decides, whatever user_metadata says
select tests.create_user('app_admin', 'admin', '{"role": "candidate"}');
select is((select role::text from profiles where id = tests.get_user_id('app_admin')), 'admin',
  'app_metadata role admin makes an admin');
select tests.create_user('app_hm', 'hiring_manager', '{"company": "Acme", "department": "R&D", "phone": "+331"}');
select results_eq(
  $$ select company, department, phone from hiring_managers where id = tests.get_user_id('app_hm') $$,
  $$ values ('Acme', 'R&D', '+331') $$,
  'a hiring manager gets company, department and phone from the sign-up metadata');
select is_empty($$ select 1 from candidates where user_id = tests.get_user_id('app_hm') $$,
  'a hiring manager gets no candidate row');

-- self sign-up: user_metadata may choose hiring_manager or candidate, never admin
select tests.create_user('self_admin', null, '{"role": "admin"}');
select is((select role::text from profiles where id = tests.get_user_id('self_admin')), 'candidate',
  'admin asked for in user_metadata is refused: the user becomes a candidate');
select is_empty($$ select 1 from hiring_managers where id = tests.get_user_id('self_admin') $$,
  'the refused admin gets no hiring manager row');
select tests.create_user('self_hm', null, '{"role": "hiring_manager", "first_name": "Hana", "last_name": "M"}');
select results_eq(
  $$ select role::text, first_name, last_name from profiles where id = tests.get_user_id('self_hm') $$,
  $$ values ('hiring_manager', 'Hana', 'M') $$,
  'hiring_manager asked for in user_metadata is accepted, with the names');
select isnt_empty($$ select 1 from hiring_managers where id = tests.get_user_id('self_hm') $$,
  'the self-signed-up hiring manager gets a hiring manager row');
select tests.create_user('self_none', null, '{}');
select is((select role::text from profiles where id = tests.get_user_id('self_none')), 'candidate',
  'without any role the user becomes a candidate');
select tests.create_user('bad_app_role', 'superuser', '{"role": "hiring_manager"}');
select is((select role::text from profiles where id = tests.get_user_id('bad_app_role')), 'hiring_manager',
  'an unknown app_metadata role is ignored and user_metadata applies');

-- candidates: one row per email, linked to the user
select tests.create_user('self_cand', null, '{"first_name": "Cleo", "linkedin_url": "https://linkedin.com/in/c"}');
select results_eq(
  $$ select email, first_name, linkedin_url from candidates where user_id = tests.get_user_id('self_cand') $$,
  $$ values ('self_cand@test.local', 'Cleo', 'https://linkedin.com/in/c') $$,
  'a candidate gets a candidate row with email, names and LinkedIn from the sign-up');
select is((select email from profiles where id = tests.get_user_id('self_cand')), 'self_cand@test.local',
  'the profile carries the email');

insert into candidates (email, first_name, last_name) values ('Invited.Person@Test.Local', 'Ivy', 'Invited');
select tests.create_user('invited.person', 'candidate', '{"first_name": "Other"}');
select is((select count(*)::int from candidates where lower(email) = 'invited.person@test.local'), 1,
  'a user whose email matches an invited candidate (case-insensitively) gets no second candidate row');
select results_eq(
  $$ select user_id, first_name from candidates where lower(email) = 'invited.person@test.local' $$,
  $$ select tests.get_user_id('invited.person'), 'Ivy'::text $$,
  'the invited candidate row is linked to the new user and keeps the names the inviter gave');

select throws_ok(
  $$ insert into candidates (email) values ('SELF_CAND@test.local') $$,
  '23505', null, 'candidate emails are unique whatever their case');

-- private.ensure_candidate: the invitations' way to find or create a candidate row
select is(private.ensure_candidate('SELF_CAND@TEST.LOCAL', 'X', 'Y'),
  (select id from candidates where user_id = tests.get_user_id('self_cand')),
  'ensure_candidate finds the existing row case-insensitively');
select is((select first_name from candidates where user_id = tests.get_user_id('self_cand')), 'Cleo',
  'ensure_candidate does not overwrite the names of an existing row');
select isnt(private.ensure_candidate('brand.new@test.local', 'Bea', 'N'), null::uuid,
  'ensure_candidate creates a row for a new email');
select is((select user_id from candidates where email = 'brand.new@test.local'), null::uuid,
  'a candidate created by an invitation has no user yet');

-- email changes flow from auth.users
update auth.users set email = 'renamed@test.local' where id = tests.get_user_id('self_cand');
select is((select email from profiles where id = tests.get_user_id('self_cand')), 'renamed@test.local',
  'an email change in auth.users reaches the profile');
select is((select email from candidates where user_id = tests.get_user_id('self_cand')), 'renamed@test.local',
  'an email change in auth.users reaches the candidate row');

-- deleting the auth user removes everything that is theirs
delete from auth.users where id = tests.get_user_id('app_hm');
select is_empty($$ select 1 from profiles p where p.email = 'app_hm@test.local' $$,
  'deleting the auth user deletes the profile');
select is_empty($$ select 1 from hiring_managers h where not exists (select 1 from profiles p where p.id = h.id) $$,
  'and the role row with it');

select * from finish();
rollback;
