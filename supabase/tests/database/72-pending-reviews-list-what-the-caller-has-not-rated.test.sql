-- The reviewer's queue: submitted responses of readable campaigns, minus the ones the caller rated; nothing of other
-- campaigns; oldest first; a limit.
begin;
set local search_path = public, extensions, tests;
select plan(8);
select tests.create_interview_world();

set local session_replication_role = replica;
do $$
declare
  camp uuid := tests.id('campaign');
begin
  update public.interview_sessions set status = 'in_progress', started_at = now()
   where id in (tests.id('session_a'), tests.id('session_b'), tests.id('stranger_session_b'));
  insert into public.video_responses (id, session_id, question_id, campaign_id, take_number, object_key, content_type,
                                      status, is_submitted, submitted_at)
  values (gen_random_uuid(), tests.id('session_a'), tests.id('q1'), camp, 1, 'a1', 'video/webm', 'uploaded', true,
          now() - interval '3 hours'),
         (gen_random_uuid(), tests.id('session_a'), tests.id('q2'), camp, 1, 'a2', 'video/webm', 'uploaded', true,
          now() - interval '2 hours'),
         (gen_random_uuid(), tests.id('session_b'), tests.id('q1'), camp, 1, 'b1', 'video/webm', 'uploaded', false,
          null),
         (gen_random_uuid(), tests.id('stranger_session_b'), tests.id('sq1'), tests.id('stranger_campaign'), 1, 's1',
          'video/webm', 'uploaded', true, now() - interval '1 hour');
  insert into public.evaluations (response_id, session_id, campaign_id, reviewer_id, score)
  select v.id, v.session_id, v.campaign_id, tests.id('owner'), 4 from public.video_responses v where v.object_key = 'a1';
end
$$;
set local session_replication_role = origin;

select tests.authenticate_as('reviewer');
select results_eq($$ select question_id from public.pending_reviews() $$,
  $$ values (tests.id('q1')), (tests.id('q2')) $$,
  'a reviewer''s queue holds the submitted answers of the shared campaign, oldest first, whoever else rated them');
select is((select count(*) from public.pending_reviews(1))::integer, 1, 'the limit applies');
select tests.authenticate_as('owner');
select results_eq($$ select question_id from public.pending_reviews() $$, $$ values (tests.id('q2')) $$,
  'the owner''s queue drops the answer they rated; the unsubmitted take never appears');
select is((select count(*) from public.pending_reviews(50, tests.id('stranger_campaign')))::integer, 0,
  'filtering on another manager''s campaign gives nothing');
select tests.authenticate_as('stranger');
select results_eq($$ select question_id from public.pending_reviews() $$, $$ values (tests.id('sq1')) $$,
  'a stranger sees only their own campaign''s answers');
select tests.authenticate_as('candidate_a');
select is((select count(*) from public.pending_reviews())::integer, 0, 'a candidate has nothing to review');
select tests.clear_authentication();
select throws_ok($$ select * from public.pending_reviews() $$, '42501', null, 'anonymous callers cannot call it');
reset role;
select ok(not has_function_privilege('anon', 'public.pending_reviews(integer, uuid)', 'execute'),
  'anon holds no execute privilege');

select * from finish();
rollback;
