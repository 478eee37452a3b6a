-- A practice question is the candidate's warm-up: its answer can be recorded and watched, but it is never rated,
-- queued for review, counted as answered in the export, nor given a score column.
begin;
set local search_path = public, extensions, tests;
select plan(7);
select tests.create_interview_world();

with q as (
  insert into questions (campaign_id, position, prompt, is_practice)
  values (tests.id('campaign'), 3, 'Warm-up: say hello', true) returning id
)
insert into tests.fixture_ids select 'warmup', q.id from q;

set local session_replication_role = replica;
do $$
declare
  camp uuid := tests.id('campaign');
  warmup uuid := tests.id('warmup');
begin
  update public.interview_sessions set status = 'in_progress', started_at = now() where id = tests.id('session_a');
  insert into public.video_responses (session_id, question_id, campaign_id, take_number, object_key, content_type,
                                      status, is_submitted, submitted_at)
  values (tests.id('session_a'), warmup, camp, 1, 'warmup-a', 'video/webm', 'uploaded', true, now() - interval '2 hours'),
         (tests.id('session_a'), tests.id('q1'), camp, 1, 'q1-a', 'video/webm', 'uploaded', true, now() - interval '1 hour');
end
$$;
set local session_replication_role = origin;

select tests.authenticate_as('owner');
select throws_ok(
  $$ insert into evaluations (response_id, score) select id, 4 from video_responses where object_key = 'warmup-a' $$,
  '23514', 'response_is_practice', 'rating a practice answer is refused');
select lives_ok(
  $$ insert into evaluations (response_id, score) select id, 4 from video_responses where object_key = 'q1-a' $$,
  'the real answer next to it can be rated');

select tests.authenticate_as('reviewer');
select results_eq($$ select question_id from public.pending_reviews() $$, $$ values (tests.id('q1')) $$,
  'the review queue skips the practice answer');
select is((public.analytics_dashboard() ->> 'awaiting_my_review')::integer, 1,
  'and so does the dashboard''s count of answers awaiting my review');

select tests.authenticate_as('owner');
select is(
  (select r ->> 'answered' from jsonb_array_elements(public.campaign_export(tests.id('campaign')) -> 'rows') r
    where r ->> 'session_id' = tests.id('session_a')::text),
  '1', 'the export counts the real answer only');
select is(jsonb_array_length(public.campaign_export(tests.id('campaign')) -> 'questions'), 2,
  'and has no score column for the practice question');
select is(
  (select q ->> 'answered' from jsonb_array_elements(public.campaign_report(tests.id('campaign')) -> 'questions') q
    where q ->> 'question_id' = tests.id('warmup')::text),
  '1', 'the report still shows how many candidates did the warm-up');

select * from finish();
rollback;
