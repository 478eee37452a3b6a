-- The campaign report's counts are kept by the writes themselves (20261203210000_campaign_report_counters). After
-- every kind of write, through the APIs or crafted with triggers off, the report read from the counts equals the
-- report recomputed from every row, and the counts equal a recount of every session's parts. Nobody reads or writes
-- the counts by hand. (Concurrent writers: tests/campaign-report-counts.test.ts, with two connections.)
begin;
set local search_path = public, extensions, tests;
select plan(24);
select tests.create_interview_world();

-- The report from the counts and the report from every row, as postgres (the team's view), generated_at aside.
create function pg_temp.counted() returns jsonb language sql as $$
  select private.counted_campaign_report(tests.id('campaign')) - 'generated_at'
$$;
create function pg_temp.recomputed() returns jsonb language sql as $$
  select private.compute_campaign_report(tests.id('campaign')) - 'generated_at'
$$;

select is(pg_temp.counted(), pg_temp.recomputed(), 'two invitations: the counts report what a recount does');

-- A candidate starts, sees a question, records and submits a take (the RPCs and the uploads function's calls).
select tests.answer_first_question('session_a', 'candidate_a');
reset role;
select is(pg_temp.counted(), pg_temp.recomputed(), 'a started session, a reveal and a submitted take are counted');
select is((pg_temp.counted() #>> '{questions,0,answered}')::integer, 1, 'the answer is there');

-- Crafted history written with triggers off (as the seed and the benchmark do): counted all the same.
set local session_replication_role = replica;
do $$
declare
  camp uuid := tests.id('campaign');
  day0 timestamptz := now() - interval '3 days';
  s uuid;
  c uuid;
  r uuid;
begin
  for i in 1..6 loop
    c := gen_random_uuid();
    s := gen_random_uuid();
    insert into public.candidates (id, email) values (c, format('counted%s@test.local', i));
    insert into public.interview_sessions (id, campaign_id, candidate_id, status, deadline, invited_at, started_at,
                                           completed_at)
    values (s, camp, c, (array['completed', 'completed', 'expired', 'withdrawn', 'in_progress', 'invited'])[i]::public.session_status,
            now() + interval '9 days', day0 + make_interval(hours => i * 7),
            case when i <= 5 then day0 + make_interval(hours => i * 7 + 1) end,
            case when i <= 2 then day0 + make_interval(hours => i * 7 + 1, mins => 10 * i) end);
    insert into tests.fixture_ids values (format('c%s', i), s);
    if i <= 5 then
      insert into public.question_reveals (session_id, question_id, campaign_id, revealed_at, answer_opens_at,
                                           answer_closes_at)
      select s, q.id, camp, day0 + make_interval(hours => i * 7 + 1, mins => q.position),
             day0 + make_interval(hours => i * 7 + 1, mins => q.position),
             day0 + make_interval(hours => i * 7 + 1, mins => q.position + 2)
        from public.questions q where q.campaign_id = camp and (q.position = 1 or i <> 3);
      insert into public.video_responses (session_id, question_id, campaign_id, take_number, object_key, content_type,
                                          duration_seconds, status, is_submitted)
      select s, q.id, camp, t, format('counted/%s/%s/%s', s, q.id, t), 'video/webm', 10 * i + t + q.position,
             'uploaded', t = 2 and (i <= 2 or (i = 4 and q.position = 1))
        from public.questions q cross join generate_series(1, 2) t
       where q.campaign_id = camp and (q.position = 1 or i <> 3);
      for r in select v.id from public.video_responses v where v.session_id = s and v.is_submitted loop
        insert into public.evaluations (response_id, session_id, campaign_id, reviewer_id, score)
        values (r, s, camp, tests.id('owner'), 1 + i % 5), (r, s, camp, tests.id('editor'), 1 + (i * 3) % 5);
      end loop;
    end if;
  end loop;
end
$$;
set local session_replication_role = origin;
select is(pg_temp.counted(), pg_temp.recomputed(), 'a crafted history written with triggers off is counted');
select is_empty($$ select * from tests.report_counts_off(tests.id('campaign')) $$,
  'and the kept counts equal a recount');
select is((pg_temp.counted() #>> '{reviewer_agreement,multi_rated_responses}')::integer, 5,
  'responses rated twice are there');

-- Ratings: new, changed, deleted, by the people who may.
select tests.authenticate_as('reviewer');
insert into evaluations (response_id, score)
select id, 2 from video_responses where session_id = tests.id('session_a') and is_submitted;
select tests.authenticate_as('owner');
insert into evaluations (response_id, score)
select id, 5 from video_responses where session_id = tests.id('session_a') and is_submitted;
reset role;
select is(pg_temp.counted(), pg_temp.recomputed(), 'new ratings are counted');
select tests.authenticate_as('owner');
update evaluations set score = 1 where reviewer_id = tests.id('owner') and session_id = tests.id('c1');
reset role;
select is(pg_temp.counted(), pg_temp.recomputed(), 'changed scores are counted');
select tests.authenticate_as('admin');
delete from evaluations where reviewer_id = tests.id('reviewer');
reset role;
select is(pg_temp.counted(), pg_temp.recomputed(), 'a deleted rating is no longer counted');

-- Takes and sessions change or go.
update video_responses set duration_seconds = 99.5 where session_id = tests.id('c2') and is_submitted;
select is(pg_temp.counted(), pg_temp.recomputed(), 'a changed duration is counted');
delete from video_responses where session_id = tests.id('c4') and is_submitted;
select is(pg_temp.counted(), pg_temp.recomputed(), 'a deleted take (and its ratings) is no longer counted');
update interview_sessions set status = 'expired', expired_at = now() where id = tests.id('c5');
select is(pg_temp.counted(), pg_temp.recomputed(), 'a session that expires moves in the funnel and drops out');
update interview_sessions set deadline = deadline + interval '1 day' where id = tests.id('c6');
select is(pg_temp.counted(), pg_temp.recomputed(), 'a new deadline changes nothing counted');
delete from question_reveals where session_id = tests.id('c3');
select is(pg_temp.counted(), pg_temp.recomputed(), 'deleted reveals are no longer counted');
select tests.authenticate_as('owner');
delete from interview_sessions where id = tests.id('session_b');
reset role;
select is(pg_temp.counted(), pg_temp.recomputed(), 'a session the owner erases is no longer counted');
-- An answered question is locked: its takes and reveals go first, then the question.
delete from video_responses where question_id = tests.id('q2');
delete from question_reveals where question_id = tests.id('q2');
delete from questions where id = tests.id('q2');
select is(pg_temp.counted(), pg_temp.recomputed(), 'a deleted question takes its numbers with it');
select is_empty($$ select * from tests.report_counts_off(tests.id('campaign')) $$,
  'after all of it the kept counts equal a recount');

-- The team's report is the one from the counts; a rebuild changes nothing.
select tests.authenticate_as('owner');
select set_config('test.owner_report', (public.campaign_report(tests.id('campaign')) - 'generated_at')::text, true);
reset role;
select is(current_setting('test.owner_report')::jsonb, pg_temp.counted(), 'the owner''s report is the one from the counts');
create temporary table kept_counts as
  select key, value from private.campaign_report_counts where campaign_id = tests.id('campaign');
select private.recount_campaign_reports(array[tests.id('campaign')]);
select set_eq($$ select key, value from private.campaign_report_counts where campaign_id = tests.id('campaign') $$,
  $$ select key, value from kept_counts $$, 'rebuilding the counts from the rows finds the same numbers');

-- Nobody reads or writes the counts by hand.
select tests.authenticate_as('owner');
select throws_ok($$ select * from private.campaign_report_counts $$, '42501', null, 'the owner cannot read the counts');
select throws_ok($$ select * from private.session_report_parts $$, '42501', null, 'nor the parts');
select throws_ok($$ select private.recount_campaign_reports() $$, '42501', null, 'nor rebuild them');
select tests.authenticate_as('candidate_a');
select throws_ok($$ select private.count_sessions(array[tests.id('session_a')]) $$, '42501', null,
  'a candidate cannot recount their session');
reset role;

-- A campaign that goes takes its counts along.
delete from campaigns where id = tests.id('campaign');
select is((select count(*)::integer from private.campaign_report_counts where campaign_id = tests.id('campaign')), 0,
  'a deleted campaign leaves no counts');

select * from finish();
rollback;
