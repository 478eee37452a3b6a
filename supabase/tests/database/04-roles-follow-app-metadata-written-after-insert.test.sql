-- GoTrue's admin createUser inserts the user first and writes app_metadata in a later UPDATE. The role it carries
-- must still decide: the profile, the role rows and the token's claim follow the update.
begin;
set local search_path = public, extensions, tests;
select plan(9);

-- inserted as GoTrue inserts it: app_metadata holds the provider only, so the insert trigger provisions a candidate
select tests.create_user('late_admin', null, '{}');
select is((select role::text from profiles where id = tests.get_user_id('late_admin')), 'candidate',
  'before app_metadata arrives the user is provisioned as a candidate');
update auth.users set raw_app_meta_data = raw_app_meta_data || '{"role": "admin"}'
 where id = tests.get_user_id('late_admin');
select is((select role::text from profiles where id = tests.get_user_id('late_admin')), 'admin',
  'app_metadata role admin written after the insert makes an admin');
select is_empty($$ select 1 from candidates where user_id = tests.get_user_id('late_admin') $$,
  'the candidate row provisioned by default is gone');
select is(tests.role_claim_of(tests.get_user_id('late_admin')), 'admin', 'the access token carries user_role admin');

select tests.create_user('late_hm', null, '{"company": "Acme", "department": "Sales"}');
update auth.users set raw_app_meta_data = raw_app_meta_data || '{"role": "hiring_manager"}'
 where id = tests.get_user_id('late_hm');
select results_eq(
  $$ select p.role::text, h.company, h.department from profiles p join hiring_managers h using (id)
      where p.id = tests.get_user_id('late_hm') $$,
  $$ values ('hiring_manager', 'Acme', 'Sales') $$,
  'app_metadata role hiring_manager written after the insert makes a hiring manager with the sign-up details');

-- a placeholder candidate stays a candidate, linked to the row its invitation created
insert into candidates (email, first_name, last_name) values ('invited_late@test.local', 'Ines', 'Late');
select tests.create_user('invited_late', null, '{}');
update auth.users set raw_app_meta_data = raw_app_meta_data || '{"role": "candidate", "invitation_pending": true}'
 where id = tests.get_user_id('invited_late');
select results_eq(
  $$ select first_name, last_name from candidates where user_id = tests.get_user_id('invited_late') $$,
  $$ values ('Ines', 'Late') $$,
  'a placeholder keeps the candidate row its invitation created');
select is((select count(*)::int from candidates where lower(email) = 'invited_late@test.local'), 1,
  'and there is still exactly one candidate row for that email');

-- other app_metadata writes change nothing
update auth.users set raw_app_meta_data = raw_app_meta_data || '{"invitation_pending": false}'
 where id = tests.get_user_id('invited_late');
select is((select role::text from profiles where id = tests.get_user_id('invited_late')), 'candidate',
  'an app_metadata update without a role change leaves the role alone');

-- a user cannot do it to themselves: app_metadata lives in auth.users, which clients cannot write
select tests.authenticate_as('late_hm');
select throws_ok(
  $$ update auth.users set raw_app_meta_data = '{"role": "admin"}' where id = auth.uid() $$,
  '42501', null, 'a signed-in user cannot write app_metadata');
select tests.clear_authentication();

select * from finish();
rollback;
