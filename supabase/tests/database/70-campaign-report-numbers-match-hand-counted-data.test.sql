-- The campaign report on hand-crafted data whose numbers are counted by hand below (see the comments), and its
-- access rule: owner, collaborators and admins get the report; a stranger hiring manager and a candidate get null.
--
-- Campaign `campaign` (q1, q2), six sessions:
--   s1 completed in 600 s: q1 two takes (2nd submitted, 50 s), q2 one take (70 s); scores q1: owner 4, reviewer 2;
--      q2: owner 5
--   s2 completed in 1200 s: q1 (30 s), q2 (40 s); scores q1: owner 3, editor 3
--   s3 expired at q1 with one unsubmitted take                                   -> dropped at q1
--   s4 withdrawn at q2 after answering q1 (20 s)                                  -> dropped at q2
--   session_a invited (not started); session_b in progress at q1 (not dropped: still going)
begin;
set local search_path = public, extensions, tests;
select plan(27);
select tests.create_interview_world();

-- Crafted history: states, times and takes that the RPCs would only produce over hours, so triggers are off.
set local session_replication_role = replica;
do $$
declare
  camp uuid := tests.id('campaign');
  q1 uuid := tests.id('q1');
  q2 uuid := tests.id('q2');
  day0 timestamptz := date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' - interval '2 days';
  s1 uuid := gen_random_uuid(); s2 uuid := gen_random_uuid(); s3 uuid := gen_random_uuid();
  s4 uuid := gen_random_uuid();
  c1 uuid := gen_random_uuid(); c2 uuid := gen_random_uuid(); c3 uuid := gen_random_uuid();
  c4 uuid := gen_random_uuid();
  r uuid;
begin
  insert into public.candidates (id, email)
  values (c1, 'crafted1@test.local'), (c2, 'crafted2@test.local'), (c3, 'crafted3@test.local'),
         (c4, 'crafted4@test.local');
  insert into public.interview_sessions (id, campaign_id, candidate_id, status, deadline, invited_at, started_at,
                                         completed_at, expired_at, withdrawn_at)
  values (s1, camp, c1, 'completed', now() + interval '9 days', day0 + interval '1 hour',
          day0 + interval '2 hours', day0 + interval '2 hours 10 minutes', null, null),
         (s2, camp, c2, 'completed', now() + interval '9 days', day0 + interval '3 hours',
          day0 + interval '1 day 4 hours', day0 + interval '1 day 4 hours 20 minutes', null, null),
         (s3, camp, c3, 'expired', now() + interval '9 days', day0 + interval '5 hours',
          day0 + interval '6 hours', null, day0 + interval '1 day', null),
         (s4, camp, c4, 'withdrawn', now() + interval '9 days', day0 + interval '1 day',
          day0 + interval '1 day 1 hour', null, null, day0 + interval '1 day 2 hours');
  insert into tests.fixture_ids values ('s1', s1), ('s2', s2), ('s3', s3), ('s4', s4);
  update public.interview_sessions set status = 'in_progress', started_at = now() where id = tests.id('session_b');

  insert into public.question_reveals (session_id, question_id, campaign_id, revealed_at, answer_opens_at,
                                       answer_closes_at)
  select x.s, x.q, camp, day0 + x.at, day0 + x.at, day0 + x.at + interval '90 seconds'
    from (values (s1, q1, interval '2 hours'), (s1, q2, interval '2 hours 5 minutes'),
                 (s2, q1, interval '1 day 4 hours'), (s2, q2, interval '1 day 4 hours 10 minutes'),
                 (s3, q1, interval '6 hours'),
                 (s4, q1, interval '1 day 1 hour'), (s4, q2, interval '1 day 1 hour 5 minutes'),
                 (tests.id('session_b'), q1, interval '2 days')) as x(s, q, at);

  insert into public.video_responses (session_id, question_id, campaign_id, take_number, object_key, content_type,
                                      duration_seconds, status, is_submitted)
  values (s1, q1, camp, 1, 's1q1t1', 'video/webm', 55, 'uploaded', false),
         (s1, q1, camp, 2, 's1q1t2', 'video/webm', 50, 'uploaded', true),
         (s1, q2, camp, 1, 's1q2t1', 'video/webm', 70, 'uploaded', true),
         (s2, q1, camp, 1, 's2q1t1', 'video/webm', 30, 'uploaded', true),
         (s2, q2, camp, 1, 's2q2t1', 'video/webm', 40, 'uploaded', true),
         (s3, q1, camp, 1, 's3q1t1', 'video/webm', null, 'pending', false),
         (s4, q1, camp, 1, 's4q1t1', 'video/webm', 20, 'uploaded', true);

  select id into r from public.video_responses where object_key = 's1q1t2';
  insert into public.evaluations (response_id, session_id, campaign_id, reviewer_id, score)
  values (r, s1, camp, tests.id('owner'), 4), (r, s1, camp, tests.id('reviewer'), 2);
  insert into tests.fixture_ids values ('r_s1q1', r);
  select id into r from public.video_responses where object_key = 's1q2t1';
  insert into public.evaluations (response_id, session_id, campaign_id, reviewer_id, score)
  values (r, s1, camp, tests.id('owner'), 5);
  select id into r from public.video_responses where object_key = 's2q1t1';
  insert into public.evaluations (response_id, session_id, campaign_id, reviewer_id, score)
  values (r, s2, camp, tests.id('owner'), 3), (r, s2, camp, tests.id('editor'), 3);
end
$$;
set local session_replication_role = origin;

-- as the owner ------------------------------------------------------------------------------------------------------
select tests.authenticate_as('owner');
select set_config('test.report', public.campaign_report(tests.id('campaign'))::text, true);
reset role;

select is(current_setting('test.report')::jsonb -> 'funnel',
  '{"invited": 6, "email_opened": null, "started": 5, "completed": 2, "expired": 1, "withdrawn": 1,
    "not_started": 1, "in_progress": 1}'::jsonb,
  'the funnel counts every session once per stage it reached');
select is((current_setting('test.report')::jsonb ->> 'completion_rate')::numeric, 0.3333,
  'completion rate is completed over invited (2 / 6)');
select is(current_setting('test.report')::jsonb -> 'time_to_complete_seconds',
  '{"median": 900.00, "p90": 1140.00}'::jsonb,
  'median and p90 time to complete interpolate between 600 s and 1200 s');
select is(jsonb_path_query_array(current_setting('test.report')::jsonb, '$.questions[*].position'),
  '[1, 2]'::jsonb, 'questions come in campaign order');
select is((current_setting('test.report')::jsonb #> '{questions,0}') - 'question_id' - 'prompt',
  '{"position": 1, "is_practice": false, "reached": 5, "answered": 3, "dropped": 1, "avg_takes": 1.2500,
    "avg_answer_seconds": 33.33, "avg_score": 3.0000, "evaluations": 4}'::jsonb,
  'q1: reached by 5, answered by 3, s3 stopped there, 5 takes over 4 sessions, scores 4 2 3 3');
select is((current_setting('test.report')::jsonb #> '{questions,1}') - 'question_id' - 'prompt',
  '{"position": 2, "is_practice": false, "reached": 3, "answered": 2, "dropped": 1, "avg_takes": 1.0000,
    "avg_answer_seconds": 55.00, "avg_score": 5.0000, "evaluations": 1}'::jsonb,
  'q2: reached by 3, answered by 2, the withdrawn s4 stopped there');
select is(current_setting('test.report')::jsonb -> 'reviewer_agreement',
  '{"rated_responses": 3, "multi_rated_responses": 2, "avg_spread": 1.0000, "max_spread": 2,
    "avg_stddev": 0.5000, "within_one_point": 0.5000}'::jsonb,
  'reviewer agreement: spreads 2 (4 vs 2) and 0 (3 vs 3) over the two responses rated twice');
select is(jsonb_array_length(current_setting('test.report')::jsonb -> 'timeline'), 3,
  'the timeline has one entry per day from the first invitation to today');
select is(current_setting('test.report')::jsonb #> '{timeline,0}',
  jsonb_build_object('date', to_char((now() at time zone 'UTC')::date - 2, 'YYYY-MM-DD'),
                     'invitations', 3, 'completions', 1),
  'day 1: three invitations (s1, s2, s3) and s1''s completion');
select is(current_setting('test.report')::jsonb #> '{timeline,1}',
  jsonb_build_object('date', to_char((now() at time zone 'UTC')::date - 1, 'YYYY-MM-DD'),
                     'invitations', 1, 'completions', 1),
  'day 2: s4''s invitation and s2''s completion');
select is(current_setting('test.report')::jsonb #> '{timeline,2,invitations}', '2'::jsonb,
  'today: the two fixture invitations');
select is(current_setting('test.report')::jsonb #>> '{campaign,title}', 'Backend engineer',
  'the report names its campaign');

-- who gets it -------------------------------------------------------------------------------------------------------
select tests.authenticate_as('editor');
select is(public.campaign_report(tests.id('campaign')) -> 'funnel', current_setting('test.report')::jsonb -> 'funnel',
  'an editor gets the same funnel');
select tests.authenticate_as('admin');
select is(public.campaign_report(tests.id('campaign')) -> 'questions',
  current_setting('test.report')::jsonb -> 'questions', 'an admin gets the same per-question numbers');
select tests.authenticate_as('reviewer');
select is(public.campaign_report(tests.id('campaign')) #> '{questions,0,avg_score}', '3.0000'::jsonb,
  'a reviewer averages only the scores blind review shows them (their 2 and the owner''s 4 on s1 q1)');
select is(public.campaign_report(tests.id('campaign')) #> '{questions,1,evaluations}', '0'::jsonb,
  'a reviewer does not count evaluations of responses they have not rated');
select tests.authenticate_as('stranger');
select is(public.campaign_report(tests.id('campaign')), null, 'a stranger hiring manager gets null (404)');
select tests.authenticate_as('candidate_a');
select is(public.campaign_report(tests.id('campaign')), null, 'a candidate of the campaign gets null (404)');
select tests.clear_authentication();
select throws_ok($$ select public.campaign_report(tests.id('campaign')) $$, '42501', null,
  'anonymous callers cannot run the report');

-- edge cases --------------------------------------------------------------------------------------------------------
reset role;
insert into public.campaigns (owner_id, title, status, start_date, end_date)
values (tests.id('owner'), 'Empty', 'active', now(), now() + interval '5 days');
select tests.authenticate_as('owner');
select set_config('test.empty', public.campaign_report(
  (select id from public.campaigns where title = 'Empty'))::text, true);
select is(current_setting('test.empty')::jsonb -> 'funnel',
  '{"invited": 0, "email_opened": null, "started": 0, "completed": 0, "expired": 0, "withdrawn": 0,
    "not_started": 0, "in_progress": 0}'::jsonb, 'a campaign without sessions has an all-zero funnel');
select is(current_setting('test.empty')::jsonb -> 'completion_rate', 'null'::jsonb,
  'a campaign without sessions has no completion rate (not 0, not an error)');
select is(current_setting('test.empty')::jsonb -> 'time_to_complete_seconds', '{"median": null, "p90": null}'::jsonb,
  'a campaign without completions has no time to complete');
select is(current_setting('test.empty')::jsonb -> 'questions', '[]'::jsonb, 'no questions, empty list');
select is(current_setting('test.empty')::jsonb -> 'timeline', '[]'::jsonb, 'no sessions, empty timeline');
select is(current_setting('test.empty')::jsonb #> '{reviewer_agreement,rated_responses}', '0'::jsonb,
  'no evaluations, nothing rated');
select is(current_setting('test.empty')::jsonb #> '{reviewer_agreement,avg_spread}', 'null'::jsonb,
  'no evaluations, no spread');
select is(public.campaign_report(gen_random_uuid()), null, 'an unknown campaign gives null');

select * from finish();
rollback;
