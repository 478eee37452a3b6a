-- POST /uploads asks the database once (20261203620000_upload_requests_keep_their_plans): request_upload_grant
-- answers what request_upload does, plus the end of the answer window that bounds the signed URL, read as the caller.
-- The helpers it relies on answer as before, accommodations included.
begin;
set local search_path = public, extensions, tests;
select plan(7);
select tests.create_interview_world();

select tests.authenticate_as('candidate_a');
select public.start_interview(tests.id('session_a'));
select public.reveal_next_question(tests.id('session_a'));

create temp table grant_row on commit drop as
  select * from private.request_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000, 1.5);
grant select on grant_row to authenticated;
select results_eq($$ select take_number, max_takes, max_video_bytes, reused, campaign_id from grant_row $$,
  $$ values (1, 2, 524288000::bigint, false, tests.id('campaign')) $$,
  'the first request makes take 1 of 2, with the campaign''s size cap');
select results_eq(
  $$ select window_closes_at from grant_row $$,
  $$ select r.answer_closes_at + interval '30 seconds' from question_reveals r
      where r.session_id = tests.id('session_a') and r.question_id = tests.id('q1') $$,
  'the answer window closes at the reveal''s deadline plus the grace');
select results_eq(
  $$ select response_id, reused from private.request_upload_grant(tests.id('session_a'), tests.id('q1'),
                                                                   'video/webm', 1000, 1.5) $$,
  $$ select response_id, true from grant_row $$,
  'a retry gets the same pending take back');
select throws_ok(
  $$ select * from private.request_upload_grant(tests.id('session_a'), tests.id('q2'), 'video/webm', 1000) $$,
  null, null, 'a question not revealed yet gets no take');

select tests.authenticate_as('candidate_b');
select throws_ok(
  $$ select * from private.request_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000) $$,
  null, null, 'another candidate gets no take in candidate A''s session');

-- An accommodation reaches the limits the grant reports.
reset role;
insert into session_accommodations (session_id, campaign_id, extra_takes, granted_by)
values (tests.id('session_a'), tests.id('campaign'), 3, tests.id('owner'));
select tests.authenticate_as('candidate_a');
select is((select max_takes from private.request_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000)),
  5, 'extra takes granted to the session count');

select tests.clear_authentication();
select throws_ok(
  $$ select * from private.request_upload_grant(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000) $$,
  '42501', null, 'anon cannot call it');

select * from finish();
rollback;
