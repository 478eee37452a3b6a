-- video_responses: the database refuses a take outside the rules, numbers takes and builds the object key; only one
-- take per question can be submitted; the last submitted question completes the session. Per actor and command.
begin;
set local search_path = public, extensions, tests;
select plan(41);
select tests.create_interview_world();

-- anon
select tests.clear_authentication();
select throws_ok($$ select * from video_responses $$, '42501', null, 'anon cannot read responses');
select throws_ok($$ insert into video_responses (session_id, question_id, content_type) values (gen_random_uuid(), gen_random_uuid(), 'video/webm') $$,
  '42501', null, 'anon cannot record a take');

-- the rules, as candidate A
select tests.authenticate_as('candidate_a');
select throws_ok(
  $$ insert into video_responses (session_id, question_id, content_type, size_bytes) values (tests.id('session_a'), tests.id('q1'), 'video/webm', 10) $$,
  'PT409', 'session_not_in_progress', 'no take before the interview starts');
select public.start_interview(tests.id('session_a'));
select throws_ok(
  $$ insert into video_responses (session_id, question_id, content_type, size_bytes) values (tests.id('session_a'), tests.id('q1'), 'video/webm', 10) $$,
  'PT409', 'question_not_revealed', 'no take for a question not revealed yet');
select public.reveal_next_question(tests.id('session_a'));
select throws_ok(
  $$ insert into video_responses (session_id, question_id, content_type, size_bytes) values (tests.id('session_a'), tests.id('q2'), 'video/webm', 10) $$,
  'PT409', 'question_not_revealed', 'no take for the next question either');
select throws_ok(
  $$ insert into video_responses (session_id, question_id, content_type, size_bytes) values (tests.id('session_a'), tests.id('sq1'), 'video/webm', 10) $$,
  'PT409', 'question_not_revealed', 'no take for another campaign''s question');
select throws_ok(
  $$ insert into video_responses (session_id, question_id, content_type, size_bytes) values (tests.id('session_a'), tests.id('q1'), 'video/webm', 524288001) $$,
  '23514', 'response_too_large', 'no take above the campaign''s size cap');
select throws_ok(
  $$ insert into video_responses (session_id, question_id, content_type, size_bytes) values (tests.id('session_a'), tests.id('q1'), 'image/png', 10) $$,
  '23514', null, 'no take that is not a video');
select results_eq(
  $$ insert into video_responses (session_id, question_id, content_type, size_bytes, duration_seconds)
     values (tests.id('session_a'), tests.id('q1'), 'video/webm;codecs=vp9,opus', 1000, 42.5)
     returning take_number, status::text, is_submitted, campaign_id,
               object_key like 'campaigns/' || tests.id('campaign') || '/sessions/' || tests.id('session_a') || '/'
                 || tests.id('q1') || '/1-' || id || '.webm' $$,
  $$ values (1, 'pending', false, tests.id('campaign'), true) $$,
  'take 1 is recorded pending, with the campaign and a server-built object key');
select throws_ok(
  $$ insert into video_responses (session_id, question_id, content_type, object_key) values (tests.id('session_a'), tests.id('q1'), 'video/mp4', 'campaigns/other/x.mp4') $$,
  '42501', null, 'a candidate cannot choose the object key');
select throws_ok(
  $$ insert into video_responses (session_id, question_id, content_type, status, is_submitted) values (tests.id('session_a'), tests.id('q1'), 'video/mp4', 'uploaded', true) $$,
  '42501', null, 'a candidate cannot record a take as uploaded or submitted');
select results_eq(
  $$ insert into video_responses (session_id, question_id, content_type) values (tests.id('session_a'), tests.id('q1'), 'video/mp4')
     returning take_number, right(object_key, 4) $$,
  $$ values (2, '.mp4') $$, 'take 2 gets the next number and an .mp4 key');
select throws_ok(
  $$ insert into video_responses (session_id, question_id, content_type) values (tests.id('session_a'), tests.id('q1'), 'video/webm') $$,
  'PT409', 'max_takes_reached', 'no third take of a two-take question');
select throws_ok($$ update video_responses set is_submitted = true $$, '42501', null,
  'candidate A cannot mark a take submitted by hand');
select throws_ok($$ update video_responses set status = 'uploaded' $$, '42501', null,
  'candidate A cannot mark a take uploaded by hand');
select throws_ok($$ delete from video_responses $$, '42501', null, 'candidate A cannot delete takes');
select throws_ok($$ select public.submit_response(id) from video_responses where take_number = 1 $$,
  'PT409', 'response_not_uploaded', 'a take not uploaded yet cannot be submitted');
select throws_ok($$ select public.complete_response_upload(id) from video_responses where take_number = 1 $$,
  '42501', null, 'candidate A cannot claim an upload is complete (only the uploads function can)');

-- the uploads function confirms take 1 (service role), then the candidate may not submit take 2 as well
select tests.authenticate_as_service_role();
select set_config('test.take1', (select id::text from video_responses where session_id = tests.id('session_a') and take_number = 1), true);
select set_config('test.take2', (select id::text from video_responses where session_id = tests.id('session_a') and take_number = 2), true);
select results_eq($$ select status::text, is_submitted, uploaded_at, submitted_at, size_bytes
                       from public.complete_response_upload(current_setting('test.take1')::uuid, 2048) $$,
  $$ values ('uploaded', true, now(), now(), 2048::bigint) $$,
  'completing an upload marks the take uploaded and submitted, with the stored size');
select results_eq($$ select status::text, is_submitted from public.complete_response_upload(current_setting('test.take1')::uuid) $$,
  $$ values ('uploaded', true) $$, 'completing it again is harmless (idempotent)');
select throws_ok($$ select public.complete_response_upload(current_setting('test.take2')::uuid) $$,
  'PT409', 'question_already_submitted', 'another take of a submitted question cannot be submitted');
select results_eq($$ select status::text from public.fail_response_upload(current_setting('test.take2')::uuid) $$,
  $$ values ('failed') $$, 'the uploads function marks a take that failed verification');
select throws_ok($$ select public.complete_response_upload(current_setting('test.take2')::uuid) $$,
  'PT409', 'response_failed', 'a failed take cannot be completed later');
select throws_ok($$ select public.fail_response_upload(current_setting('test.take1')::uuid) $$,
  'PT409', 'response_not_pending', 'a submitted take cannot be failed');
select is(
  (select count(*)::int from video_responses where session_id = tests.id('session_a') and question_id = tests.id('q1') and is_submitted),
  1, 'exactly one take of the question is submitted');

select tests.authenticate_as('candidate_a');
select throws_ok(
  $$ insert into video_responses (session_id, question_id, content_type) values (tests.id('session_a'), tests.id('q1'), 'video/webm') $$,
  'PT409', 'question_already_submitted', 'no new take once the question is submitted');

-- the answer window: open until answer_closes_at plus 30 seconds of grace
select public.reveal_next_question(tests.id('session_a'));
reset role;
update question_reveals set answer_closes_at = now() - interval '29 seconds'
 where session_id = tests.id('session_a') and question_id = tests.id('q2');
select tests.authenticate_as('candidate_a');
select lives_ok(
  $$ insert into video_responses (session_id, question_id, content_type) values (tests.id('session_a'), tests.id('q2'), 'video/webm') $$,
  'a take 29 seconds after the window closed is still accepted (grace)');
reset role;
update question_reveals set answer_closes_at = now() - interval '31 seconds'
 where session_id = tests.id('session_a') and question_id = tests.id('q2');
select tests.authenticate_as('candidate_a');
select throws_ok(
  $$ insert into video_responses (session_id, question_id, content_type) values (tests.id('session_a'), tests.id('q2'), 'video/webm') $$,
  'PT409', 'answer_window_closed', 'a take 31 seconds after the window closed is refused');

-- the last non-practice question submitted completes the session; the candidate may submit an uploaded take
reset role;
update video_responses set status = 'uploaded', uploaded_at = now()
 where session_id = tests.id('session_a') and question_id = tests.id('q2');
select tests.authenticate_as('candidate_a');
select results_eq(
  $$ select r.is_submitted from video_responses v, public.submit_response(v.id) r where v.question_id = tests.id('q2') and v.session_id = tests.id('session_a') $$,
  $$ values (true) $$, 'candidate A submits their uploaded take of the last question');
select results_eq($$ select status::text, completed_at from interview_sessions where id = tests.id('session_a') $$,
  $$ values ('completed', now()) $$, 'submitting the last question completed the session');

-- the deadline
reset role;
select public.start_interview(tests.id('session_b')) from (select tests.authenticate_as('candidate_b')) a;
select public.reveal_next_question(tests.id('session_b'));
reset role;
set local session_replication_role = replica;
update interview_sessions set deadline = now() - interval '1 second' where id = tests.id('session_b');
set local session_replication_role = origin;
select tests.authenticate_as('candidate_b');
select throws_ok(
  $$ insert into video_responses (session_id, question_id, content_type) values (tests.id('session_b'), tests.id('q1'), 'video/webm') $$,
  'PT409', 'session_deadline_passed', 'no take after the session''s deadline');

-- candidate B
select throws_ok(
  $$ insert into video_responses (session_id, question_id, content_type) values (tests.id('session_a'), tests.id('q1'), 'video/webm') $$,
  '42501', null, 'candidate B cannot record a take in candidate A''s session');
select is_empty($$ select * from video_responses $$, 'candidate B reads none of candidate A''s takes');
select throws_ok($$ select public.submit_response(current_setting('test.take1')::uuid) $$, 'PT404', 'response_not_found',
  'candidate B cannot submit candidate A''s take');

-- hiring managers
select tests.authenticate_as('owner');
select is((select count(*)::int from video_responses), 3, 'the owner reads every take of their campaign');
select throws_ok(
  $$ insert into video_responses (session_id, question_id, content_type) values (tests.id('session_a'), tests.id('q1'), 'video/webm') $$,
  '42501', null, 'the owner cannot record a take for a candidate');
select throws_ok($$ update video_responses set is_submitted = false $$, '42501', null, 'the owner cannot alter takes');
select tests.authenticate_as('reviewer');
select is((select count(*)::int from video_responses), 3, 'a reviewer reads the takes to rate them');
select tests.authenticate_as('stranger');
select is_empty($$ select * from video_responses $$, 'the stranger reads none');
select tests.authenticate_as('admin');
select is((select count(*)::int from video_responses where campaign_id = tests.id('campaign')), 3,
  'the admin reads all of them');
select tests.authenticate_as('candidate_a');
select is((select count(*)::int from video_responses), 3, 'candidate A reads their own takes');

select * from finish();
rollback;
