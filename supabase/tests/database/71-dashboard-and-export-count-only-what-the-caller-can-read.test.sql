-- The dashboard and the export on crafted data counted by hand, for each actor: owner, reviewer, stranger,
-- candidate, admin, anonymous.
--
-- Owner's campaigns:
--   `campaign` (ends in 10 days): session_a invited; session_b completed with q1 and q2 submitted;
--      q1 rated 4 by the owner and 2 by the reviewer (a collaborator with the reviewer role)
--   `Soon` (active, ends in 2 days): cand_a invited, c1 invited, c2 in progress      -> needs attention (2 of 3)
--   `Started` (active, ends in 2 days): c3 and c4 completed                          -> fine
--   `Draft` (draft, no sessions)
begin;
set local search_path = public, extensions, tests;
select plan(22);
select tests.create_interview_world();

insert into public.campaigns (owner_id, title, status, start_date, end_date)
values (tests.id('owner'), 'Soon', 'active', now(), now() + interval '2 days'),
       (tests.id('owner'), 'Started', 'active', now(), now() + interval '2 days'),
       (tests.id('owner'), 'Draft', 'draft', now() + interval '1 day', now() + interval '30 days');

set local session_replication_role = replica;
do $$
declare
  soon uuid := (select id from public.campaigns where title = 'Soon');
  started uuid := (select id from public.campaigns where title = 'Started');
  camp uuid := tests.id('campaign');
  sb uuid := tests.id('session_b');
  r1 uuid := gen_random_uuid();
  r2 uuid := gen_random_uuid();
  i integer;
begin
  for i in 1..4 loop
    insert into public.candidates (id, email) values (gen_random_uuid(), format('dash%s@test.local', i));
  end loop;
  insert into public.interview_sessions (campaign_id, candidate_id, status, deadline, started_at, completed_at)
  values (soon, tests.id('cand_a'), 'invited', now() + interval '2 days', null, null),
         (soon, (select id from public.candidates where email = 'dash1@test.local'), 'invited',
          now() + interval '2 days', null, null),
         (soon, (select id from public.candidates where email = 'dash2@test.local'), 'in_progress',
          now() + interval '2 days', now(), null),
         (started, (select id from public.candidates where email = 'dash3@test.local'), 'completed',
          now() + interval '2 days', now() - interval '1 hour', now() - interval '30 minutes'),
         (started, (select id from public.candidates where email = 'dash4@test.local'), 'completed',
          now() + interval '2 days', now() - interval '1 hour', now() - interval '45 minutes');
  update public.interview_sessions
     set status = 'completed', started_at = now() - interval '20 minutes', completed_at = now() - interval '5 minutes'
   where id = sb;
  insert into public.video_responses (id, session_id, question_id, campaign_id, take_number, object_key, content_type,
                                      duration_seconds, status, is_submitted)
  values (r1, sb, tests.id('q1'), camp, 1, 'b-q1', 'video/mp4', 42, 'uploaded', true),
         (r2, sb, tests.id('q2'), camp, 1, 'b-q2', 'video/mp4', 61, 'uploaded', true);
  insert into public.evaluations (response_id, session_id, campaign_id, reviewer_id, score)
  values (r1, sb, camp, tests.id('owner'), 4), (r1, sb, camp, tests.id('reviewer'), 2);
  insert into public.session_decisions (session_id, campaign_id, decision, decided_by)
  values (sb, camp, 'advance', tests.id('owner'));
end
$$;
set local session_replication_role = origin;

-- owner -------------------------------------------------------------------------------------------------------------
select tests.authenticate_as('owner');
select set_config('test.dash', public.analytics_dashboard()::text, true);
select is(current_setting('test.dash')::jsonb -> 'campaigns',
  '{"total": 4, "active": 3, "draft": 1, "closed": 0, "archived": 0}'::jsonb,
  'the owner''s campaigns: four, three of them active');
select is(current_setting('test.dash')::jsonb -> 'sessions',
  '{"total": 7, "invited": 3, "in_progress": 1, "completed": 3, "expired": 0, "withdrawn": 0}'::jsonb,
  'the owner''s sessions by status');
select is(current_setting('test.dash')::jsonb -> 'candidates', '6'::jsonb,
  'candidates are counted once even when invited to two campaigns (cand_a)');
select is(current_setting('test.dash')::jsonb -> 'completion_rate', '0.4286'::jsonb, 'completion rate 3 / 7');
select is(current_setting('test.dash')::jsonb -> 'average_score', '3.0000'::jsonb, 'average score of 4 and 2');
select is(current_setting('test.dash')::jsonb -> 'awaiting_my_review', '1'::jsonb,
  'the owner rated q1 of session_b, so q2 waits for them');
select is(jsonb_path_query_array(current_setting('test.dash')::jsonb, '$.needs_attention[*].title'), '["Soon"]'::jsonb,
  'Soon ends in two days with two of three candidates not started; Started is fine');
select is((current_setting('test.dash')::jsonb #> '{needs_attention,0}') - 'campaign_id' - 'end_date' - 'title',
  '{"invited": 3, "not_started": 2, "not_started_rate": 0.6667}'::jsonb, 'the attention entry says why');
select is(public.analytics_dashboard(1, 0.5) -> 'needs_attention', '[]'::jsonb,
  'with a one-day horizon nothing needs attention yet');
select is(public.analytics_dashboard(7, 0.7) -> 'needs_attention', '[]'::jsonb,
  'with a 70% threshold Soon (67%) does not need attention');

-- others ------------------------------------------------------------------------------------------------------------
select tests.authenticate_as('reviewer');
select is(public.analytics_dashboard() - 'generated_at' - 'needs_attention' - 'sessions',
  '{"campaigns": {"total": 1, "active": 1, "draft": 0, "closed": 0, "archived": 0}, "candidates": 2,
    "completion_rate": 0.5000, "average_score": 3.0000, "evaluations": 2, "awaiting_my_review": 1}'::jsonb,
  'a reviewer sees the shared campaign only, and the scores of the response they rated');
select tests.authenticate_as('stranger');
select is(public.analytics_dashboard() - 'generated_at' - 'needs_attention' - 'sessions',
  '{"campaigns": {"total": 1, "active": 1, "draft": 0, "closed": 0, "archived": 0}, "candidates": 1,
    "completion_rate": 0.0000, "average_score": null, "evaluations": 0, "awaiting_my_review": 0}'::jsonb,
  'a stranger sees only their own campaign: nothing of the owner''s leaks');
select tests.authenticate_as('candidate_b');
select is(public.analytics_dashboard() -> 'sessions',
  '{"total": 0, "invited": 0, "in_progress": 0, "completed": 0, "expired": 0, "withdrawn": 0}'::jsonb,
  'a candidate''s own sessions are not counted as a hiring manager''s numbers');
select is(public.analytics_dashboard() #> '{campaigns,total}', '0'::jsonb, 'a candidate has no campaigns');
select tests.authenticate_as('admin');
select set_config('test.admin', public.analytics_dashboard()::text, true);
reset role;
select is(current_setting('test.admin')::jsonb #> '{campaigns,total}', to_jsonb((select count(*) from campaigns)),
  'an admin counts every campaign');
select is(current_setting('test.admin')::jsonb #> '{sessions,total}',
  to_jsonb((select count(*) from interview_sessions)), 'an admin counts every session');
select tests.clear_authentication();
select throws_ok($$ select public.analytics_dashboard() $$, '42501', null, 'anonymous callers get no dashboard');

-- export ------------------------------------------------------------------------------------------------------------
select tests.authenticate_as('owner');
select set_config('test.export', public.campaign_export(tests.id('campaign'))::text, true);
select is(jsonb_array_length(current_setting('test.export')::jsonb -> 'rows'), 2,
  'the export has one row per invited candidate');
select is((select r - 'session_id' - 'candidate_id' - 'invited_at' - 'started_at' - 'completed_at' - 'deadline'
             from jsonb_array_elements(current_setting('test.export')::jsonb -> 'rows') r
            where r ->> 'status' = 'completed'),
  '{"email": "candidate_b@test.local", "first_name": "Bob", "last_name": "B", "status": "completed",
    "expired_at": null, "withdrawn_at": null, "time_to_complete_seconds": 900.00, "answered": 2,
    "evaluations": 2, "average_score": 3.0000, "decision": "advance", "question_scores": [3.0000, null]}'::jsonb,
  'session_b''s row: 15 minutes, two answers, q1 scored 4 and 2, q2 unscored, advanced');
select is(current_setting('test.export')::jsonb #> '{questions,1,position}', '2'::jsonb,
  'the export lists the questions the score columns follow');
select tests.authenticate_as('stranger');
select is(public.campaign_export(tests.id('campaign')), null, 'a stranger cannot export the campaign');
select tests.authenticate_as('candidate_b');
select is(public.campaign_export(tests.id('campaign')), null, 'a candidate cannot export the campaign');

select * from finish();
rollback;
