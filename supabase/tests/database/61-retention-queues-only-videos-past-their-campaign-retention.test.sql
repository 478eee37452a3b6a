-- The retention sweep's SQL: only sessions that ended (or passed their deadline) more than the campaign's
-- retention_days ago are queued, once; their takes keep their rows and get video_deleted_at. A take that failed
-- verification is failed and its deletion logged once.
begin;
set local search_path = public, extensions, tests;
select plan(14);
select tests.create_interview_world();

create temp table takes on commit drop as
  select 'a' as who, tests.answer_first_question('session_a', 'candidate_a') as id
  union all
  select 'b', tests.answer_first_question('session_b', 'candidate_b');
set local role postgres;

-- The campaign keeps videos 90 days. A ended 91 days ago, B 89 days ago (triggers off: history no API can write).
set local session_replication_role = replica;
update interview_sessions set status = 'completed', completed_at = now() - interval '91 days'
 where id = tests.id('session_a');
update interview_sessions set status = 'completed', completed_at = now() - interval '89 days'
 where id = tests.id('session_b');
set local session_replication_role = origin;

select tests.authenticate_as_service_role();
create temp table first_run on commit drop as select * from public.take_video_deletions(100);
set local role postgres;
select results_eq(
  $$ select reason, is_prefix, object_key from first_run where session_id = tests.id('session_a') order by is_prefix $$,
  $$ select 'retention', false, v.object_key from video_responses v where v.id = (select id from takes where who = 'a')
     union all
     select 'retention', true, 'campaigns/' || tests.id('campaign') || '/sessions/' || tests.id('session_a') || '/' $$,
  'a session past its retention queues its video and its folder');
select is_empty($$ select 1 from first_run where session_id = tests.id('session_b') $$,
  'a session inside its retention period is left alone');
select isnt((select video_deleted_at from video_responses where id = (select id from takes where who = 'a')), null,
  'the expired take is marked as having no video');
select is((select video_deleted_at from video_responses where id = (select id from takes where who = 'b')), null,
  'the recent take keeps its video');
select is((select is_submitted from video_responses where id = (select id from takes where who = 'a')), true,
  'the take row itself stays, submitted');

select tests.authenticate_as_service_role();
select is(
  (select count(*)::integer from public.take_video_deletions(100) where session_id = tests.id('session_a')), 2,
  'a second run returns the same two pending deletions');
set local role postgres;
select is((select count(*)::integer from video_deletions where session_id = tests.id('session_a')), 2,
  'and queues nothing new');

select tests.authenticate_as_service_role();
select results_eq(
  $$ select id from public.take_video_deletions(1, (select min(id) from first_run
                                                    where session_id = tests.id('session_a'))) $$,
  $$ select max(id) from first_run where session_id = tests.id('session_a') $$, 'a run pages through the backlog: the next page starts after the last id');
set local role postgres;

-- A session still open long after its deadline counts from the deadline.
set local session_replication_role = replica;
update interview_sessions set status = 'in_progress', completed_at = null, deadline = now() - interval '91 days'
 where id = tests.id('session_b');
set local session_replication_role = origin;
select tests.authenticate_as_service_role();
select is(
  (select count(*)::integer from public.take_video_deletions(100) where session_id = tests.id('session_b')), 2,
  'a session left open past its deadline is due from the deadline');

-- Verification failures
set local role postgres;
set local session_replication_role = replica;
update interview_sessions set status = 'in_progress', deadline = now() + interval '1 day' where id = tests.id('session_a');
set local session_replication_role = origin;
select tests.authenticate_as('candidate_a');
select is((public.reveal_next_question(tests.id('session_a')) ->> 'question_id')::uuid, tests.id('q2'),
  'setup: the candidate reveals the next question');
create temp table bad on commit drop as
  select response_id as id from private.request_upload(tests.id('session_a'), tests.id('q2'), 'video/webm', 500);
grant select on bad to service_role;
select tests.authenticate_as_service_role();
select lives_ok($$ select public.reject_response_upload((select id from bad)) $$, 'the service role rejects a take');
select lives_ok($$ select public.reject_response_upload((select id from bad)) $$, 'and can reject it again');
set local role postgres;
select results_eq(
  $$ select v.status::text, (select count(*)::integer from video_deletions d
                              where d.response_id = v.id and d.reason = 'verification_failed')
       from video_responses v where v.id = (select id from bad) $$,
  $$ values ('failed', 1) $$,
  'a rejected take is failed and its deletion logged once, however often it is rejected');

select tests.authenticate_as('candidate_a');
select throws_ok($$ select public.reject_response_upload((select id from bad)) $$, '42501', null,
  'a candidate cannot reject takes');

select * from finish();
rollback;
