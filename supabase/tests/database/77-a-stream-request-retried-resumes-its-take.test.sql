-- A retried request for an upload while recording (no size declared) gets its pending take back instead of spending
-- another of the candidate's takes (20261203630000_stream_retries_resume_their_take); a sized request and a stream
-- request never share a take; the reuse lookup, a definer function, finds only the caller's own takes.
begin;
set local search_path = public, extensions, tests;
select plan(8);
select tests.create_interview_world();

select tests.authenticate_as('candidate_a');
select public.start_interview(tests.id('session_a'));
select public.reveal_next_question(tests.id('session_a'));

create temp table stream_take on commit drop as
  select * from private.request_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', null);
grant select on stream_take to authenticated;
select results_eq($$ select take_number, reused from stream_take $$, $$ values (1, false) $$,
  'the first stream request makes take 1');
select results_eq(
  $$ select response_id, take_number, reused
       from private.request_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', null) $$,
  $$ select response_id, 1, true from stream_take $$,
  'a retried stream request gets the same take back, not take 2');
select is((select count(*)::integer from video_responses where session_id = tests.id('session_a')), 1,
  'the retry made no take');

select results_eq(
  $$ select take_number, reused
       from private.request_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000) $$,
  $$ values (2, false) $$,
  'a sized request does not take over the stream take');
select results_eq(
  $$ select response_id, reused
       from private.request_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', null) $$,
  $$ select response_id, true from stream_take $$,
  'nor does a stream request take over the sized take');
select is(
  (select id from private.my_reusable_take(tests.id('session_a'), tests.id('q1'), 'video/mp4', null)), null,
  'another content type is another recording');

select tests.authenticate_as('candidate_b');
select is((select id from private.my_reusable_take(tests.id('session_a'), tests.id('q1'), 'video/webm', null)), null,
  'the definer lookup finds nothing of another candidate''s');

select tests.clear_authentication();
select throws_ok(
  $$ select * from private.my_reusable_take(tests.id('session_a'), tests.id('q1'), 'video/webm', null) $$,
  '42501', null, 'anon cannot call the lookup');

select * from finish();
rollback;
