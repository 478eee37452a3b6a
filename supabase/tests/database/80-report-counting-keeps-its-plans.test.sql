-- The report's counting functions run with generic plans (20261203660000_report_counts_keep_generic_plans), and the
-- counts they keep still equal a full recount after more writes in one connection than PostgreSQL's five custom plans.
begin;
set local search_path = public, extensions, tests;
select plan(5);
select tests.create_interview_world();

select ok((select 'plan_cache_mode=force_generic_plan' = any (p.proconfig)
             from pg_proc p where p.oid = 'private.session_report_parts_of(uuid[])'::regprocedure),
  'session_report_parts_of keeps a generic plan');
select ok((select 'plan_cache_mode=force_generic_plan' = any (p.proconfig)
             from pg_proc p where p.oid = 'private.count_sessions(uuid[])'::regprocedure),
  'count_sessions keeps a generic plan');
select ok((select 'search_path=""' = any (p.proconfig)
             from pg_proc p where p.oid = 'private.count_sessions(uuid[])'::regprocedure),
  'and still runs with an empty search_path');

select tests.answer_first_question('session_a', 'candidate_a');
select tests.authenticate_as('owner');
insert into evaluations (response_id, score)
select id, 3 from video_responses where session_id = tests.id('session_a') and is_submitted;
-- Twelve changes of the rating, each counted by the same connection's cached plans.
do $$
begin
  for i in 1..12 loop
    update public.evaluations set score = 1 + (i % 5)
     where reviewer_id = tests.id('owner') and session_id = tests.id('session_a');
  end loop;
end
$$;
reset role;
select is((select score::integer from evaluations
            where reviewer_id = tests.id('owner') and session_id = tests.id('session_a')),
  3, 'the last change is stored');
select is_empty($$ select * from tests.report_counts_off(tests.id('campaign')) $$,
  'the kept counts equal a recount after twelve changes');

select * from finish();
rollback;
