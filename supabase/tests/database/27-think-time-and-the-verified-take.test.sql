-- Think time holds for every writer, and complete_response_upload (the uploads function's own call) refuses a take the
-- store received after its window, keeps the verified copy in the take's folder, sweeps the upload key, and stores
-- the verified duration.
begin;
set local search_path = public, extensions, tests;
select plan(9);
select tests.create_interview_world();

select tests.authenticate_as('candidate_a');
select public.start_interview(tests.id('session_a'));
select public.reveal_next_question(tests.id('session_a'));
reset role;
set local session_replication_role = replica;
update question_reveals set answer_opens_at = now() + interval '20 seconds'
 where session_id = tests.id('session_a') and question_id = tests.id('q1');
set local session_replication_role = origin;

select tests.authenticate_as('candidate_a');
select throws_ok(
  $$ insert into video_responses (session_id, question_id, content_type) values (tests.id('session_a'), tests.id('q1'), 'video/webm') $$,
  'PT409', 'think_time_not_over', 'no take while the think time runs, even straight through PostgREST');
reset role;
set local session_replication_role = replica;
update question_reveals set answer_opens_at = now() - interval '1 second'
 where session_id = tests.id('session_a') and question_id = tests.id('q1');
set local session_replication_role = origin;
select tests.authenticate_as('candidate_a');
with take as (
  insert into video_responses (session_id, question_id, content_type) values (tests.id('session_a'), tests.id('q1'), 'video/webm')
  returning id, object_key
)
select set_config('test.take', id::text, true), set_config('test.key', object_key, true) from take;
select ok(current_setting('test.take') <> '', 'once the think time is over, the take is recorded');
reset role;

select throws_ok(
  $$ select public.complete_response_upload(current_setting('test.take')::uuid, 1000, now() + interval '1 hour') $$,
  'PT409', 'upload_too_late', 'a take the store received after the window and its grace is refused');
select throws_ok(
  $$ select public.complete_response_upload(current_setting('test.take')::uuid, 1000, now(), 'campaigns/elsewhere/x.webm') $$,
  '22023', 'verified_key_invalid', 'the verified copy must stay in the take''s own folder');
select throws_ok(
  $$ select public.complete_response_upload(current_setting('test.take')::uuid, 1000, now(),
       current_setting('test.key') || '.copy') $$,
  '22023', 'verified_key_invalid', 'nor under a name the upload key''s sweep would delete');
select lives_ok(
  $$ select public.complete_response_upload(current_setting('test.take')::uuid, 1000, now(),
       regexp_replace(current_setting('test.key'), '\.webm$', '.verified.webm'), 3.2) $$,
  'a take received in time is completed with its verified copy');
select results_eq(
  $$ select object_key, duration_seconds, is_submitted from video_responses where id = current_setting('test.take')::uuid $$,
  $$ values (regexp_replace(current_setting('test.key'), '\.webm$', '.verified.webm'), 3.2::numeric, true) $$,
  'the take points at the verified copy, with the duration read from the file');
select results_eq(
  $$ select object_key, is_prefix, reason from video_deletions where response_id = current_setting('test.take')::uuid $$,
  $$ values (current_setting('test.key'), true, 'superseded') $$,
  'the upload key is queued, as a folder-like entry swept until its grants expire');
select results_eq(
  $$ select object_key from public.complete_response_upload(current_setting('test.take')::uuid) $$,
  $$ values (regexp_replace(current_setting('test.key'), '\.webm$', '.verified.webm')) $$,
  'completing again changes nothing');

select * from finish();
rollback;
