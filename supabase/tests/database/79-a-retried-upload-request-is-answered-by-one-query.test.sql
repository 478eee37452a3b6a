-- A retried upload request is answered by private.my_reused_upload_grant(), one definer query
-- (20261203650000_upload_retries_answer_in_one_query): it describes the take exactly as the long way did, finds only
-- a take the long way would reuse, and otherwise leaves the request to the long way, which still refuses or inserts.
begin;
set local search_path = public, extensions, tests;
select plan(13);
select tests.create_interview_world();

select tests.authenticate_as('candidate_a');
select public.start_interview(tests.id('session_a'));
select public.reveal_next_question(tests.id('session_a'));

create temp table first_grant on commit drop as
  select * from private.request_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000, 1.5);
grant select on first_grant to authenticated;
select is((select reused from first_grant), false, 'the first request inserts a take');
select results_eq(
  $$ select * from private.my_reused_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000) $$,
  $$ select response_id, campaign_id, object_key, take_number, max_takes, max_video_bytes, true, window_closes_at
       from first_grant $$,
  'the one query answers every column the long way answered, reused');

select is_empty(
  $$ select * from private.my_reused_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 2000) $$,
  'another size is another recording');
select is_empty(
  $$ select * from private.my_reused_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/mp4', 1000) $$,
  'another content type is another recording');

-- An accommodation reaches the limits, as private.session_question_limits() reports them.
reset role;
insert into session_accommodations (session_id, campaign_id, extra_takes, granted_by)
values (tests.id('session_a'), tests.id('campaign'), 3, tests.id('owner'));
select tests.authenticate_as('candidate_a');
select is(
  (select max_takes from private.my_reused_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000)),
  (select l.max_takes from private.session_question_limits(tests.id('session_a'), tests.id('q1')) l),
  'extra takes granted to the session count');

select tests.authenticate_as('candidate_b');
select is_empty(
  $$ select * from private.my_reused_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000) $$,
  'another candidate finds nothing of candidate A''s');

-- Past the answer window the one query finds nothing, and the long way refuses the request.
reset role;
update question_reveals set answer_closes_at = now() - interval '31 seconds'
 where session_id = tests.id('session_a') and question_id = tests.id('q1');
select tests.authenticate_as('candidate_a');
select is_empty(
  $$ select * from private.my_reused_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000) $$,
  'a take past its answer window is not reused');
select throws_ok(
  $$ select * from private.request_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000) $$,
  'PT409', 'answer_window_closed', 'and the request is refused');

-- Past the session's deadline, likewise.
reset role;
update question_reveals set answer_closes_at = now() + interval '5 minutes'
 where session_id = tests.id('session_a') and question_id = tests.id('q1');
set local session_replication_role = replica;
update interview_sessions set deadline = now() - interval '1 second' where id = tests.id('session_a');
set local session_replication_role = origin;
select tests.authenticate_as('candidate_a');
select is_empty(
  $$ select * from private.my_reused_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000) $$,
  'a take past the session''s deadline is not reused');
select throws_ok(
  $$ select * from private.request_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000) $$,
  'PT409', 'session_deadline_passed', 'and the request is refused');

-- Once a take of the question is submitted, its other pending takes are not reused (forced: no API makes this state).
reset role;
set local session_replication_role = replica;
update interview_sessions set deadline = now() + interval '1 hour' where id = tests.id('session_a');
set local session_replication_role = origin;
select tests.authenticate_as('candidate_a');
select isnt_empty(
  $$ select * from private.my_reused_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000) $$,
  'with the deadline moved back, the take is reused again');
reset role;
set local session_replication_role = replica;
insert into video_responses (session_id, question_id, campaign_id, take_number, object_key, content_type, status,
                             is_submitted, uploaded_at, submitted_at)
select tests.id('session_a'), tests.id('q1'), campaign_id, 2, object_key || '.2', 'video/webm', 'uploaded', true,
       now(), now()
  from first_grant;
set local session_replication_role = origin;
select tests.authenticate_as('candidate_a');
select is_empty(
  $$ select * from private.my_reused_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000) $$,
  'a question with a submitted take reuses none of its pending takes');

select tests.clear_authentication();
select throws_ok(
  $$ select * from private.my_reused_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000) $$,
  '42501', null, 'anon cannot call it');

select * from finish();
rollback;
