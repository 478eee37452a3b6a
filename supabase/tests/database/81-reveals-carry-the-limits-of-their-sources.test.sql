-- Each reveal's max_takes and max_video_bytes equal their sources after every kind of write
-- (20261203700000_reveals_carry_their_limits): a reveal, an accommodation granted, changed and removed, a question's
-- takes and a campaign's cap changed, a writer supplying other values, triggers off. The reused upload grant reports
-- them. The sources' numbers are recounted here by hand, not through private.reveal_limits().
-- (Two writers at once: tests/reveal-limits.test.ts.)
begin;
set local search_path = public, extensions, tests;
select plan(18);
select tests.create_interview_world();

create function pg_temp.limits_off() returns bigint language sql as $$
  select count(*) from public.question_reveals r
    join public.questions q on q.id = r.question_id
    join public.campaigns c on c.id = q.campaign_id
    left join public.session_accommodations a on a.session_id = r.session_id
   where r.campaign_id in (tests.id('campaign'), tests.id('stranger_campaign'))
     and (r.max_takes <> q.max_takes + coalesce(a.extra_takes, 0) or r.max_video_bytes <> c.max_video_bytes)
$$;
create function pg_temp.limits(session_name text, question_name text) returns table (max_takes int, cap bigint)
language sql as $$
  select r.max_takes, r.max_video_bytes from public.question_reveals r
   where r.session_id = tests.id(session_name) and r.question_id = tests.id(question_name)
$$;

select is(
  (select string_agg(tgname::text || ' ' || tgenabled::text, ', ' order by tgname) from pg_trigger
    where tgname in ('question_reveals_fill_limits', 'campaigns_refresh_reveal_limits',
                     'questions_refresh_reveal_limits', 'session_accommodations_refresh_reveal_limits')),
  'campaigns_refresh_reveal_limits A, question_reveals_fill_limits A, questions_refresh_reveal_limits A, '
    'session_accommodations_refresh_reveal_limits A',
  'the four triggers fire in every replication mode');

select tests.authenticate_as('candidate_a');
select public.start_interview(tests.id('session_a'));
select public.reveal_next_question(tests.id('session_a'));
select tests.authenticate_as('candidate_b');
select public.start_interview(tests.id('session_b'));
select public.reveal_next_question(tests.id('session_b'));
reset role;
select results_eq($$ select * from pg_temp.limits('session_a', 'q1') $$, $$ values (2, 524288000::bigint) $$,
  'a reveal gets the question''s takes and the campaign''s cap');

-- The owner's writes, through RLS, as the dashboard or the SPA would make them.
select tests.authenticate_as('owner');
insert into session_accommodations (session_id, extra_takes) values (tests.id('session_a'), 2);
select results_eq($$ select max_takes from pg_temp.limits('session_a', 'q1') $$, $$ values (4) $$,
  'extra takes granted reach the session''s reveal');
select results_eq($$ select max_takes from pg_temp.limits('session_b', 'q1') $$, $$ values (2) $$,
  'and no other session''s');
update session_accommodations set extra_takes = 5 where session_id = tests.id('session_a');
select results_eq($$ select max_takes from pg_temp.limits('session_a', 'q1') $$, $$ values (7) $$,
  'extra takes changed reach it');
update campaigns set max_video_bytes = 1000000 where id = tests.id('campaign');
select results_eq($$ select cap from pg_temp.limits('session_b', 'q1') $$, $$ values (1000000::bigint) $$,
  'a campaign''s cap changed reaches every reveal of the campaign');
update questions set max_takes = 3 where id = tests.id('q1');
select results_eq(
  $$ select max_takes from pg_temp.limits('session_a', 'q1') union all
     select max_takes from pg_temp.limits('session_b', 'q1') $$,
  $$ values (8), (3) $$,
  'a question''s takes changed reach its reveals, with each session''s extra takes');

select tests.authenticate_as('candidate_a');
select public.reveal_next_question(tests.id('session_a')); -- still q1: its window is open
select tests.authenticate_as('owner');
delete from session_accommodations where session_id = tests.id('session_a');
select results_eq($$ select max_takes from pg_temp.limits('session_a', 'q1') $$, $$ values (3) $$,
  'an accommodation removed takes its extra takes away');

reset role;
select is(pg_temp.limits_off(), 0::bigint, 'after all that, every copy equals its sources');

-- Nobody can write other values: the copies are computed on every insert and update.
update question_reveals set max_takes = 99, max_video_bytes = 1 where session_id = tests.id('session_a');
select results_eq($$ select * from pg_temp.limits('session_a', 'q1') $$, $$ values (3, 1000000::bigint) $$,
  'an update supplying other values gets the sources'' values');
insert into question_reveals (session_id, question_id, campaign_id, answer_opens_at, answer_closes_at,
                              max_takes, max_video_bytes)
values (tests.id('session_b'), tests.id('q2'), tests.id('campaign'), now(), now() + interval '1 minute', 99, 1);
select results_eq($$ select * from pg_temp.limits('session_b', 'q2') $$, $$ values (2, 1000000::bigint) $$,
  'so does an insert');

-- Triggers off (the seed, bulk loads, forced states): the copies still follow.
set local session_replication_role = replica;
insert into session_accommodations (session_id, campaign_id, extra_takes)
values (tests.id('session_b'), tests.id('campaign'), 1);
update campaigns set max_video_bytes = 2000000 where id = tests.id('campaign');
set local session_replication_role = origin;
select is(pg_temp.limits_off(), 0::bigint, 'with triggers off, every copy still equals its sources');
select results_eq($$ select * from pg_temp.limits('session_b', 'q2') $$, $$ values (3, 2000000::bigint) $$,
  'the accommodation and the cap written with triggers off reached the reveal');

-- Another campaign's reveals are left alone.
select tests.authenticate_as('candidate_b');
select public.start_interview(tests.id('stranger_session_b'));
select public.reveal_next_question(tests.id('stranger_session_b'));
reset role;
update campaigns set max_video_bytes = 3000000 where id = tests.id('campaign');
select results_eq($$ select * from pg_temp.limits('stranger_session_b', 'sq1') $$,
  $$ select q.max_takes, c.max_video_bytes from questions q, campaigns c
      where q.id = tests.id('sq1') and c.id = tests.id('stranger_campaign') $$,
  'a change to one campaign does not touch another''s reveals');

-- The reused upload grant answers the copies.
select tests.authenticate_as('candidate_a');
create temp table first_grant on commit drop as
  select * from private.request_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000, 1.5);
select is((select reused from first_grant), false, 'a take is inserted');
reset role;
update campaigns set max_video_bytes = 4000000 where id = tests.id('campaign');
update session_accommodations set extra_takes = 4 where session_id = tests.id('session_b');
insert into session_accommodations (session_id, campaign_id, extra_takes)
values (tests.id('session_a'), tests.id('campaign'), 1);
select tests.authenticate_as('candidate_a');
select results_eq(
  $$ select max_takes, max_video_bytes, reused
       from private.request_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000, 1.5) $$,
  $$ values (4, 4000000::bigint, true) $$,
  'a retried request is answered the takes and cap in force now');
reset role;
select is(pg_temp.limits_off(), 0::bigint, 'and every copy still equals its sources');

-- The superuser (the dashboard) moving an accommodation to another session refreshes both.
delete from session_accommodations where session_id = tests.id('session_b');
update session_accommodations set session_id = tests.id('session_b') where session_id = tests.id('session_a');
select is(pg_temp.limits_off(), 0::bigint, 'an accommodation moved to another session leaves no copy behind');

select * from finish();
rollback;
