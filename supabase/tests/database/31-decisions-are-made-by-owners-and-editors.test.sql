-- session_decisions, per actor and command: the owner or an editor makes the decision and reads it; a reviewer reads
-- a session's decision only once they have rated every submitted answer of it.
begin;
set local search_path = public, extensions, tests;
select plan(27);
select tests.create_interview_world();

select tests.clear_authentication();
select throws_ok($$ select * from session_decisions $$, '42501', null, 'anon cannot read decisions');

select tests.authenticate_as('candidate_a');
select throws_ok($$ insert into session_decisions (session_id, decision) values (tests.id('session_a'), 'advance') $$,
  '42501', null, 'candidate A cannot decide on their own session');

select tests.authenticate_as('owner');
select results_eq(
  $$ insert into session_decisions (session_id, decision, note) values (tests.id('session_a'), 'advance', 'Strong')
     returning decided_by, campaign_id, decision::text $$,
  $$ select tests.id('owner'), tests.id('campaign'), 'advance'::text $$,
  'the owner decides: the decider and the campaign are filled by the database');
select throws_ok($$ insert into session_decisions (session_id, decision) values (tests.id('session_a'), 'reject') $$,
  '23505', null, 'a session has one decision');
select throws_ok(
  $$ insert into session_decisions (session_id, decision, decided_by) values (tests.id('session_b'), 'hold', tests.id('editor')) $$,
  '42501', null, 'nobody decides in someone else''s name');
select throws_ok($$ insert into session_decisions (session_id, decision) values (tests.id('stranger_session_b'), 'reject') $$,
  '42501', null, 'the owner cannot decide on a session of the stranger''s campaign');

select tests.authenticate_as('editor');
select results_eq(
  $$ update session_decisions set decision = 'hold' where session_id = tests.id('session_a') returning decision::text, decided_by $$,
  $$ values ('hold', tests.id('editor')) $$, 'an editor changes the decision and becomes its decider');
select lives_ok($$ insert into session_decisions (session_id, decision) values (tests.id('session_b'), 'reject') $$,
  'an editor decides on another session');
select throws_ok($$ update session_decisions set session_id = tests.id('session_b') where session_id = tests.id('session_a') $$,
  '42501', null, 'a decision cannot be moved to another session');

select tests.authenticate_as('reviewer');
select is((select count(*)::int from session_decisions), 0, 'a reviewer who has rated nothing reads no decision');
reset role;
select set_config('test.ra', tests.answer_first_question('session_a', 'candidate_a')::text, true);
select tests.authenticate_as('reviewer');
select is((select count(*)::int from session_decisions), 0, 'nor while an answer of the session waits for their rating');
select lives_ok($$ insert into evaluations (response_id, score) values (current_setting('test.ra')::uuid, 4) $$,
  'the reviewer rates the session''s answer');
select is((select session_id from session_decisions), tests.id('session_a'),
  'having rated every answer of session A, the reviewer reads its decision, and only that one');
select throws_ok($$ insert into session_decisions (session_id, decision) values (tests.id('session_a'), 'advance') $$,
  '42501', null, 'a reviewer cannot decide');
select is_empty($$ update session_decisions set decision = 'advance' returning 1 $$, 'a reviewer cannot change a decision');
select is_empty($$ delete from session_decisions returning 1 $$, 'a reviewer cannot withdraw a decision');

select tests.authenticate_as('stranger');
select is_empty($$ select * from session_decisions $$, 'the stranger reads no decision of the owner''s campaign');
select is_empty($$ update session_decisions set decision = 'advance' returning 1 $$, 'the stranger cannot change them');
select is_empty($$ delete from session_decisions returning 1 $$, 'the stranger cannot delete them');

select tests.authenticate_as('candidate_a');
select is_empty($$ select * from session_decisions $$, 'candidate A never reads the decision on their session');
select tests.authenticate_as('candidate_b');
select is_empty($$ select * from session_decisions $$, 'neither does candidate B');

select tests.authenticate_as('editor');
select results_eq($$ delete from session_decisions where session_id = tests.id('session_b') returning decision::text $$,
  $$ values ('reject') $$, 'an editor withdraws a decision');

select tests.authenticate_as('admin');
select lives_ok($$ insert into session_decisions (session_id, decision) values (tests.id('stranger_session_b'), 'hold') $$,
  'the admin decides on any session');
select set_has($$ select session_id from session_decisions $$,
  $$ select unnest(array[tests.id('session_a'), tests.id('stranger_session_b')]) $$, 'the admin reads every decision');
select tests.authenticate_as('owner');
select results_eq($$ select session_id from session_decisions $$, $$ select tests.id('session_a') $$,
  'the owner reads only the decisions of their campaign');

reset role;
select results_eq(
  $$ select action, actor_id, details->>'decision' from audit_log
      where entity = 'session_decision' and details->>'session_id' = tests.id('session_a')::text order by id $$,
  $$ values ('decision.created', tests.id('owner'), 'advance'), ('decision.updated', tests.id('editor'), 'hold') $$,
  'the audit log records who decided what, and who changed it');
select results_eq(
  $$ select actor_id from audit_log where action = 'decision.deleted' $$, $$ select tests.id('editor') $$,
  'and who withdrew a decision');

select * from finish();
rollback;
