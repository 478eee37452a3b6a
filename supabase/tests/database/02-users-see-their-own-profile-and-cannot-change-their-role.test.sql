-- profiles, hiring_managers, candidates and me(), per actor. Nobody changes their own role or identity columns.
-- A company reads a candidate's own row only once the candidate has started one of its interviews: candidate A has
-- started the owner's campaign; candidate B has started nothing (invited by the owner and by the stranger).
begin;
set local search_path = public, extensions, tests;
select plan(46);
select tests.create_interview_world();
select tests.authenticate_as('candidate_a');
select is((public.start_interview(tests.id('session_a'))).status::text, 'in_progress', 'candidate A starts');
reset role;

-- anon
select tests.clear_authentication();
select throws_ok($$ select * from profiles $$, '42501', null, 'anon cannot read profiles');
select throws_ok($$ select * from hiring_managers $$, '42501', null, 'anon cannot read hiring managers');
select throws_ok($$ select * from candidates $$, '42501', null, 'anon cannot read candidates');
select throws_ok($$ select public.me() $$, '42501', null, 'anon cannot call me()');

-- candidate A
select tests.authenticate_as('candidate_a');
select results_eq($$ select id from profiles $$, $$ select tests.id('candidate_a') $$,
  'candidate A reads only their own profile');
select results_eq($$ select id from candidates $$, $$ select tests.id('cand_a') $$,
  'candidate A reads only their own candidate row');
select is_empty($$ select * from hiring_managers $$, 'candidate A reads no hiring manager');
select results_eq(
  $$ select me->>'role', me->>'first_name', me->>'email', (me->>'candidate_id')::uuid from public.me() me $$,
  $$ values ('candidate', 'Ada', 'candidate_a@test.local', tests.id('cand_a')) $$,
  'me() gives candidate A their normalized profile');
select lives_ok($$ update profiles set first_name = 'Adele' where id = tests.id('candidate_a') $$,
  'candidate A can change their first name');
select is((select first_name from candidates where id = tests.id('cand_a')), 'Adele',
  'a name changed on the profile reaches the candidate row');
select lives_ok($$ update candidates set phone = '+33 6', linkedin_url = 'https://linkedin.com/in/ada'
                   where id = tests.id('cand_a') $$,
  'candidate A can change their phone and LinkedIn URL');
select throws_ok($$ update profiles set role = 'admin' where id = tests.id('candidate_a') $$,
  '42501', null, 'candidate A cannot make themselves admin');
select throws_ok($$ update profiles set role = 'hiring_manager' where id = tests.id('candidate_a') $$,
  '42501', null, 'candidate A cannot make themselves a hiring manager');
select throws_ok($$ update profiles set email = 'x@y.z' where id = tests.id('candidate_a') $$,
  '42501', null, 'candidate A cannot change the email on their profile');
select throws_ok($$ update profiles set id = gen_random_uuid() where id = tests.id('candidate_a') $$,
  '42501', null, 'candidate A cannot change their profile id');
select throws_ok($$ update candidates set email = 'x@y.z' where id = tests.id('cand_a') $$,
  '42501', null, 'candidate A cannot change the email of their candidate row');
select throws_ok($$ update candidates set user_id = null where id = tests.id('cand_a') $$,
  '42501', null, 'candidate A cannot unlink their candidate row');
select throws_ok($$ insert into profiles (id, role) values (gen_random_uuid(), 'admin') $$,
  '42501', null, 'candidate A cannot create a profile');
select throws_ok($$ delete from profiles $$, '42501', null, 'candidate A cannot delete profiles');
select throws_ok($$ insert into candidates (email) values ('sock.puppet@test.local') $$,
  '42501', null, 'candidate A cannot create candidates');

-- candidate B
select tests.authenticate_as('candidate_b');
select is_empty($$ update profiles set first_name = 'Hacked' where id = tests.id('candidate_a') returning 1 $$,
  'candidate B cannot change candidate A''s profile');
select is_empty($$ update candidates set phone = '0' where id = tests.id('cand_a') returning 1 $$,
  'candidate B cannot change candidate A''s candidate row');
select is_empty($$ select 1 from candidates where id = tests.id('cand_a') $$,
  'candidate B cannot read candidate A');

-- owner
select tests.authenticate_as('owner');
select set_eq($$ select id from profiles $$,
  $$ select unnest(array[tests.id('owner'), tests.id('reviewer'), tests.id('editor')]) $$,
  'the owner reads their own profile and their collaborators''');
select results_eq($$ select id from candidates $$, $$ select tests.id('cand_a') $$,
  'the owner reads only the candidates who started one of their interviews');
select results_eq($$ select me->>'role', me->>'company', me->>'first_name' from public.me() me $$,
  $$ values ('hiring_manager', 'Acme', 'Olivia') $$, 'me() gives the owner their company');
select lives_ok($$ update hiring_managers set company = 'Acme Corp', department = 'Eng' where id = tests.id('owner') $$,
  'the owner can change their company and department');
select throws_ok($$ update hiring_managers set id = gen_random_uuid() where id = tests.id('owner') $$,
  '42501', null, 'the owner cannot change their hiring manager id');
select throws_ok($$ update profiles set role = 'admin' where id = tests.id('owner') $$,
  '42501', null, 'the owner cannot make themselves admin');
select is_empty($$ update candidates set first_name = 'X' returning 1 $$,
  'the owner cannot change candidates'' data');
select throws_ok($$ insert into candidates (email) values ('direct@test.local') $$,
  '42501', null, 'the owner cannot create candidates directly (invitations do)');
select is_empty($$ delete from candidates returning 1 $$, 'the owner cannot delete candidates');

-- stranger hiring manager
select tests.authenticate_as('stranger');
select results_eq($$ select id from profiles $$, $$ select tests.id('stranger') $$,
  'the stranger reads only their own profile');
select is_empty($$ select id from candidates $$,
  'the stranger reads no candidate: the one they invited has not started');
select is_empty($$ update hiring_managers set company = 'Pwned' where id = tests.id('owner') returning 1 $$,
  'the stranger cannot change the owner''s company');
select is_empty($$ select 1 from hiring_managers where id = tests.id('owner') $$,
  'the stranger cannot read the owner''s details');

-- reviewer and editor
select tests.authenticate_as('reviewer');
select set_eq($$ select id from hiring_managers $$,
  $$ select unnest(array[tests.id('owner'), tests.id('reviewer'), tests.id('editor')]) $$,
  'a reviewer reads the details of the campaign team');
select results_eq($$ select id from candidates $$, $$ select tests.id('cand_a') $$,
  'a reviewer reads the candidates of the shared campaign who started');
select tests.authenticate_as('editor');
select results_eq($$ select id from candidates $$, $$ select tests.id('cand_a') $$,
  'an editor reads the candidates of the shared campaign who started');

-- admin
select tests.authenticate_as('admin');
select set_has($$ select id from profiles $$,
  $$ select unnest(array[tests.id('owner'), tests.id('stranger'), tests.id('reviewer'), tests.id('editor'),
                         tests.id('admin'), tests.id('candidate_a'), tests.id('candidate_b')]) $$,
  'the admin reads every profile');
select set_has($$ select id from candidates $$, $$ select tests.id('uninvited') $$,
  'the admin reads candidates with no session too');
select lives_ok($$ insert into candidates (email, first_name) values ('by.admin@test.local', 'Ad') $$,
  'the admin can create a candidate');
select results_eq($$ update candidates set last_name = 'Fixed' where id = tests.id('uninvited') returning last_name $$,
  $$ values ('Fixed') $$, 'the admin can change a candidate''s names');
select throws_ok($$ update profiles set role = 'admin' where id = tests.id('owner') $$,
  '42501', null, 'even the admin cannot change a role through the API (done with the service role)');
select results_eq($$ delete from candidates where email = 'by.admin@test.local' returning email $$,
  $$ values ('by.admin@test.local') $$, 'the admin can delete a candidate');

select * from finish();
rollback;
