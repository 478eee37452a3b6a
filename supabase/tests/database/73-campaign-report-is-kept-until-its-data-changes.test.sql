-- The campaign report is kept per campaign for its team (owner, editors, admins) and dropped by any write to what it
-- counts: every later read answers the numbers of the data as it is now. Reviewers always get a fresh report of
-- what blind review shows them, and nobody reads or fills the cache by hand.
begin;
set local search_path = public, extensions, tests;
select plan(18);
select tests.create_interview_world();

-- The kept report of the campaign, read as postgres.
create function pg_temp.kept_report() returns jsonb language sql as $$
  select case when report_version = version then report end
    from private.campaign_report_cache where campaign_id = tests.id('campaign')
$$;

select tests.authenticate_as('owner');
select is((public.campaign_report(tests.id('campaign')) #>> '{funnel,invited}')::integer, 2, 'the owner gets the report');
set local role postgres;
select isnt(pg_temp.kept_report(), null, 'and it is kept');
select is(pg_temp.kept_report() #>> '{funnel,invited}', '2', 'with the numbers the owner got');

-- A candidate's write (start, reveal, take) drops it; the next read counts the new state.
select tests.answer_first_question('session_a', 'candidate_a');
select is(pg_temp.kept_report(), null, 'a candidate answering a question drops the kept report');
select tests.authenticate_as('editor');
select is((public.campaign_report(tests.id('campaign')) #>> '{funnel,in_progress}')::integer, 1,
  'the editor reads the session now in progress');
select is((public.campaign_report(tests.id('campaign')) #>> '{questions,0,answered}')::integer, 1,
  'and the answer');

-- Renaming the campaign, rating, and deleting a session each drop it.
select tests.authenticate_as('owner');
update campaigns set title = 'Backend engineer II' where id = tests.id('campaign');
select is(public.campaign_report(tests.id('campaign')) #>> '{campaign,title}', 'Backend engineer II',
  'a renamed campaign reports its new title');
insert into evaluations (response_id, score)
select id, 4 from video_responses where session_id = tests.id('session_a');
select is(public.campaign_report(tests.id('campaign')) #>> '{questions,0,avg_score}', '4.0000',
  'a new rating is counted');
delete from interview_sessions where id = tests.id('session_b');
select is((public.campaign_report(tests.id('campaign')) #>> '{funnel,invited}')::integer, 1,
  'a deleted session is no longer counted');

-- A report kept for an older version (a reader that lost the race with a writer) is never served.
set local role postgres;
update private.campaign_report_cache set report = '{"stale": true}', report_version = version - 1
 where campaign_id = tests.id('campaign');
select tests.authenticate_as('admin');
select is(public.campaign_report(tests.id('campaign')) -> 'stale', null, 'a report of an older version is not served');

-- Reviewers: computed each time, never kept, never served the team's report.
set local role postgres;
update private.campaign_report_cache set report = null, report_version = null where campaign_id = tests.id('campaign');
select tests.authenticate_as('reviewer');
select is(public.campaign_report(tests.id('campaign')) #>> '{questions,0,evaluations}', '0',
  'a reviewer who has not rated sees no scores (blind review)');
set local role postgres;
select is(pg_temp.kept_report(), null, 'and their report is not kept');

-- The cache is not reachable by hand.
select tests.authenticate_as('owner');
select throws_ok($$ select * from private.campaign_report_cache $$, '42501', null, 'users cannot read the cache');
select tests.authenticate_as('stranger');
select throws_ok($$ select private.team_campaign_report(tests.id('campaign')) $$, '42501', 'not_campaign_editor',
  'nor fill it for a campaign they do not edit');
select throws_ok($$ select * from private.campaign_report_cache $$, '42501', null, 'a stranger cannot read it');
select tests.authenticate_as('candidate_a');
select throws_ok($$ select * from private.campaign_report_cache $$, '42501', null, 'a candidate cannot read it');
select throws_ok($$ select private.team_campaign_report(tests.id('campaign')) $$, '42501', 'not_campaign_editor',
  'nor fill it, even for the campaign of their own session');
select tests.clear_authentication();
select throws_ok($$ select private.team_campaign_report(tests.id('campaign')) $$, '42501', null,
  'anonymous callers cannot reach it');

select * from finish();
rollback;
