-- A take granted before the session deadline and still inside its answer window keeps the session open past the
-- deadline, so it can be completed; once the window (and its grace) closes, the expiry job expires the session.
begin;
set local search_path = public, extensions, tests;
select plan(5);
select tests.create_interview_world();

select tests.authenticate_as('candidate_a');
select public.start_interview(tests.id('session_a'));
select public.reveal_next_question(tests.id('session_a'));
with take as (
  insert into video_responses (session_id, question_id, content_type)
  values (tests.id('session_a'), tests.id('q1'), 'video/webm') returning id
)
select set_config('test.take', id::text, true) from take;
reset role;

-- The deadline passes while the take is being recorded (its answer window still open).
set local session_replication_role = replica;
update interview_sessions set deadline = now() - interval '1 second' where id = tests.id('session_a');
update question_reveals set answer_closes_at = now() + interval '1 minute'
 where session_id = tests.id('session_a') and question_id = tests.id('q1');
set local session_replication_role = origin;

select public.expire_overdue_sessions();
select is((select status::text from interview_sessions where id = tests.id('session_a')), 'in_progress',
  'the expiry job leaves a session whose take is still inside its answer window');
select is((select status::text from interview_sessions where id = tests.id('session_b')), 'invited',
  'sessions before their deadline are untouched');
select results_eq(
  $$ select status::text, is_submitted from public.complete_response_upload(current_setting('test.take')::uuid, 1000) $$,
  $$ values ('uploaded', true) $$,
  'the take that arrived in time is submitted after the deadline');

-- Another session past its deadline whose take's window has closed expires.
set local session_replication_role = replica;
update interview_sessions set deadline = now() - interval '1 second' where id = tests.id('session_b');
set local session_replication_role = origin;
select is(public.expire_overdue_sessions() >= 1, true, 'the job expires what is overdue');
select is((select status::text from interview_sessions where id = tests.id('session_b')), 'expired',
  'a session past its deadline with nothing in flight expires');

select * from finish();
rollback;
