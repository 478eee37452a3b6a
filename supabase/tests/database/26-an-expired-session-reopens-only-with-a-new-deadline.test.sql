-- An expired session reopens only through public.reopen_session, by the campaign's owner or editor, with a deadline
-- in the future: invited again (or in progress if started), its reminder forgotten so that it is armed again.
begin;
set local search_path = public, extensions, tests;
select plan(8);
select tests.create_interview_world();

update interview_sessions set status = 'expired' where id = tests.id('session_a');
select throws_ok($$ update interview_sessions set status = 'invited' where id = tests.id('session_a') $$,
  'PT409', 'invalid_status_transition', 'even the superuser cannot reopen without a new deadline');

select tests.authenticate_as('stranger');
select throws_ok($$ select public.reopen_session(tests.id('session_a'), now() + interval '2 days') $$,
  'PT404', 'session_not_found', 'a stranger cannot reopen, nor learn that the session exists');
select tests.authenticate_as('reviewer');
select throws_ok($$ select public.reopen_session(tests.id('session_a'), now() + interval '2 days') $$,
  'PT404', 'session_not_found', 'a reviewer cannot reopen');
select tests.authenticate_as('candidate_a');
select throws_ok($$ select public.reopen_session(tests.id('session_a'), now() + interval '2 days') $$,
  'PT404', 'session_not_found', 'the candidate cannot reopen their own session');

select tests.authenticate_as('editor');
select throws_ok($$ select public.reopen_session(tests.id('session_a'), now() - interval '1 day') $$,
  '23514', 'session_deadline_in_past', 'the new deadline must be in the future');
select throws_ok($$ select public.reopen_session(tests.id('session_b'), now() + interval '2 days') $$,
  'PT409', 'session_not_expired', 'a session that is not expired is not reopened');
select results_eq(
  $$ select status::text, expired_at is null from public.reopen_session(tests.id('session_a'), now() + interval '2 days') $$,
  $$ values ('invited', true) $$,
  'the editor reopens the expired session: invited again, no longer stamped expired');

select tests.clear_authentication();
select throws_ok($$ select public.reopen_session(tests.id('session_a'), now() + interval '2 days') $$,
  '42501', null, 'anonymous callers cannot call it');

select * from finish();
rollback;
