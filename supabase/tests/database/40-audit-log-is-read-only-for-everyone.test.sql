-- audit_log: written only by the database's triggers; admins read all of it, an owner the rows of their campaigns.
begin;
set local search_path = public, extensions, tests;
select plan(19);
select tests.create_interview_world();
select tests.answer_first_question('session_a', 'candidate_a');
select tests.answer_first_question('stranger_session_b', 'candidate_b');

select tests.clear_authentication();
select throws_ok($$ select * from audit_log $$, '42501', null, 'anon cannot read the audit log');
select throws_ok($$ insert into audit_log (action, entity, entity_id) values ('x', 'y', gen_random_uuid()) $$,
  '42501', null, 'anon cannot write it');

select tests.authenticate_as('candidate_a');
select is_empty($$ select * from audit_log $$, 'candidate A reads nothing, not even the entries about their session');
select throws_ok($$ insert into audit_log (action, entity, entity_id) values ('x', 'y', gen_random_uuid()) $$,
  '42501', null, 'candidate A cannot write an entry');
select tests.authenticate_as('candidate_b');
select is_empty($$ select * from audit_log $$, 'candidate B reads nothing');

select tests.authenticate_as('owner');
select is_empty($$ select 1 from audit_log where campaign_id is distinct from tests.id('campaign') $$,
  'the owner reads only the entries of their campaign');
select set_eq($$ select distinct entity_id from audit_log where entity = 'interview_session' $$,
  $$ select unnest(array[tests.id('session_a'), tests.id('session_b')]) $$,
  'the owner reads the history of every session of their campaign');
select throws_ok($$ update audit_log set action = 'forged' $$, '42501', null, 'the owner cannot rewrite history');
select throws_ok($$ delete from audit_log $$, '42501', null, 'the owner cannot erase history');
select throws_ok($$ insert into audit_log (action, entity, entity_id) values ('x', 'y', gen_random_uuid()) $$,
  '42501', null, 'the owner cannot forge an entry');

select tests.authenticate_as('stranger');
select is_empty($$ select 1 from audit_log where campaign_id = tests.id('campaign') $$,
  'the stranger reads nothing of the owner''s campaign');
select isnt_empty($$ select 1 from audit_log where campaign_id = tests.id('stranger_campaign') $$,
  'the stranger reads the entries of their own campaign');

select tests.authenticate_as('reviewer');
select is_empty($$ select * from audit_log $$, 'a reviewer does not read the audit log (owners only)');
select tests.authenticate_as('editor');
select is_empty($$ select * from audit_log $$, 'neither does an editor');

select tests.authenticate_as('admin');
select set_has($$ select distinct campaign_id from audit_log $$,
  $$ select unnest(array[tests.id('campaign'), tests.id('stranger_campaign')]) $$, 'the admin reads every entry');
select throws_ok($$ delete from audit_log $$, '42501', null, 'the admin cannot erase history either');

select tests.authenticate_as_service_role();
select isnt_empty($$ select 1 from audit_log $$, 'the service role reads the audit log');
select throws_ok($$ insert into audit_log (action, entity, entity_id) values ('x', 'y', gen_random_uuid()) $$,
  '42501', null, 'the service role cannot write it');
select throws_ok($$ update audit_log set details = '{}' $$, '42501', null, 'nor change it');

select * from finish();
rollback;
