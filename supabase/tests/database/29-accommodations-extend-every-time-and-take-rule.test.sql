-- Accommodations: an owner or editor grants extra time (a factor, seconds) and extra takes, within bounds; the
-- reveal's window, the think-time rule and max_takes use the accommodated values; the candidate sees them; every
-- change is in the session's audit trail.
begin;
set local search_path = public, extensions, tests;
select plan(15);
select tests.create_interview_world();

-- q1: think 0 s, answer 60 s, 2 takes. With factor 1.5 and 30 s: think 30 s, answer 120 s; 2 + 1 takes.
select tests.authenticate_as('reviewer');
select throws_ok(
  $$ insert into session_accommodations (session_id, time_factor) values (tests.id('session_a'), 1.5) $$,
  '42501', null, 'a reviewer cannot grant an accommodation');
select tests.authenticate_as('editor');
select throws_ok(
  $$ insert into session_accommodations (session_id, time_factor) values (tests.id('session_a'), 3.5) $$,
  '23514', null, 'the factor is at most 3');
select throws_ok(
  $$ insert into session_accommodations (session_id, extra_seconds) values (tests.id('session_a'), 1801) $$,
  '23514', null, 'extra seconds are at most 1800');
select throws_ok(
  $$ insert into session_accommodations (session_id, extra_takes) values (tests.id('session_a'), 6) $$,
  '23514', null, 'extra takes are at most 5');
select throws_ok(
  $$ insert into session_accommodations (session_id, time_factor) values (tests.id('stranger_session_b'), 2) $$,
  '42501', null, 'nobody grants one in another company''s campaign');
select lives_ok(
  $$ insert into session_accommodations (session_id, time_factor, extra_seconds, extra_takes)
     values (tests.id('session_a'), 1.5, 30, 1) $$,
  'the editor grants factor 1.5, 30 s and one more take');

select tests.authenticate_as('candidate_a');
select results_eq(
  $$ select (accommodation ->> 'time_factor')::numeric, (accommodation ->> 'extra_seconds')::int,
            (accommodation ->> 'extra_takes')::int
       from public.my_interviews() where session_id = tests.id('session_a') $$,
  $$ values (1.5, 30, 1) $$,
  'the candidate sees their accommodation');
select public.start_interview(tests.id('session_a'));
select results_eq(
  $$ select (q ->> 'think_time_seconds')::int, (q ->> 'answer_time_seconds')::int, (q ->> 'max_takes')::int
       from (select public.reveal_next_question(tests.id('session_a')) q) r $$,
  $$ values (30, 120, 3) $$,
  'the reveal gives the accommodated think time, answer time and takes');
select ok(
  (select answer_closes_at - answer_opens_at = interval '120 seconds' and answer_opens_at - revealed_at = interval '30 seconds'
     from question_reveals where session_id = tests.id('session_a') and question_id = tests.id('q1')),
  'the stored answer window is the accommodated one');
select throws_ok(
  $$ insert into video_responses (session_id, question_id, content_type) values (tests.id('session_a'), tests.id('q1'), 'video/webm') $$,
  'PT409', 'think_time_not_over', 'the accommodated think time holds for a direct insert');

reset role;
set local session_replication_role = replica;
update question_reveals set answer_opens_at = now() - interval '1 second'
 where session_id = tests.id('session_a') and question_id = tests.id('q1');
set local session_replication_role = origin;
select tests.authenticate_as('candidate_a');
insert into video_responses (session_id, question_id, content_type) values (tests.id('session_a'), tests.id('q1'), 'video/webm');
insert into video_responses (session_id, question_id, content_type) values (tests.id('session_a'), tests.id('q1'), 'video/webm');
select lives_ok(
  $$ insert into video_responses (session_id, question_id, content_type) values (tests.id('session_a'), tests.id('q1'), 'video/webm') $$,
  'a third take is allowed with one extra take');
select throws_ok(
  $$ insert into video_responses (session_id, question_id, content_type) values (tests.id('session_a'), tests.id('q1'), 'video/webm') $$,
  'PT409', 'max_takes_reached', 'the fourth is not');
select is((select l.answer_time_seconds from private.session_question_limits(tests.id('session_a'), tests.id('q1')) l),
  120, 'the uploads function''s recording length rule reads the accommodated answer time');

select tests.authenticate_as('owner');
update session_accommodations set extra_takes = 2 where session_id = tests.id('session_a');
delete from session_accommodations where session_id = tests.id('session_a');
select results_eq(
  $$ select details ->> 'operation', details ->> 'extra_takes' from audit_log
      where entity_id = tests.id('session_a') and action = 'session.accommodation_changed' order by id $$,
  $$ values ('insert', '1'), ('update', '2'), ('delete', '0') $$,
  'each grant, change and removal is in the session''s audit trail');
select ok((select actor_id = tests.id('editor') from audit_log
            where entity_id = tests.id('session_a') and action = 'session.accommodation_changed' order by id limit 1),
  'with who did it');

select * from finish();
rollback;
