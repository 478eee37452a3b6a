-- A candidate's own data: my_data() returns everything held about the caller and nothing about anyone else; the
-- candidate's own erasure records the deletion of every one of their videos; only candidates may erase themselves.
begin;
set local search_path = public, extensions, tests;
select plan(12);
select tests.create_interview_world();
select tests.answer_first_question('session_a', 'candidate_a');
select tests.answer_first_question('session_b', 'candidate_b');
select tests.authenticate_as('owner');
insert into evaluations (response_id, score, comment)
select id, 4, 'Clear' from video_responses where session_id = tests.id('session_a');
insert into session_accommodations (session_id, extra_takes) values (tests.id('session_a'), 1);

select tests.authenticate_as('candidate_a');
select results_eq(
  $$ select d -> 'account' ->> 'email', d -> 'candidate' ->> 'id', jsonb_array_length(d -> 'interviews')
       from (select public.my_data() d) x $$,
  $$ values ('candidate_a@test.local'::text, tests.id('cand_a')::text, 1) $$,
  'the export holds the account, the candidate row and the one interview');
select results_eq(
  $$ select i -> 'session' ->> 'id', jsonb_array_length(i -> 'takes'), jsonb_array_length(i -> 'reveals'),
            (i -> 'accommodation' ->> 'extra_takes')::int, (i -> 'privacy_notice' ->> 'version')::int,
            i -> 'ratings' -> 0 ->> 'score'
       from (select public.my_data() d) x, jsonb_array_elements(x.d -> 'interviews') i $$,
  $$ values (tests.id('session_a')::text, 1, 1, 1, 1, '4') $$,
  'each interview: the session, takes, reveals, accommodation, notice and the ratings about them');
select ok(not (public.my_data()::text like '%reviewer_id%'), 'ratings come without who gave them');
select ok(not (public.my_data()::text like '%' || tests.id('session_b') || '%'), 'nothing of another candidate');
select ok(not (public.my_data()::text ~ '(token|secret)'), 'no token and no secret');
select ok(jsonb_array_length(public.my_data() -> 'interviews' -> 0 -> 'audit_trail') >= 2,
  'the audit trail of the session comes with it');

select tests.clear_authentication();
select throws_ok($$ select public.my_data() $$, '42501', null, 'anon gets nothing');

select tests.authenticate_as('owner');
select throws_ok($$ select * from private.prepare_own_account_erasure() $$,
  'PT403', 'self_erasure_not_allowed', 'a hiring manager cannot erase their own account this way');
select tests.authenticate_as('admin');
select throws_ok($$ select * from private.prepare_own_account_erasure() $$,
  'PT403', 'self_erasure_not_allowed', 'nor an admin');

select tests.authenticate_as('candidate_a');
select results_eq(
  $$ select reason, count(*)::int from private.prepare_own_account_erasure() group by reason $$,
  $$ values ('account_erasure'::text, 2) $$,
  'the candidate''s erasure records their take and their session folder');
reset role;
select results_eq(
  $$ select bool_or(is_prefix), bool_or(object_key like 'campaigns/' || tests.id('campaign') || '/sessions/' ||
                                        tests.id('session_a') || '/%'), requested_by
       from video_deletions where reason = 'account_erasure' group by requested_by $$,
  $$ select true, true, tests.id('candidate_a') $$,
  'as theirs, for their own session only');
select is((select count(*)::int from video_deletions
            where reason = 'account_erasure' and object_key like '%' || tests.id('session_b') || '%'), 0,
  'nothing of another candidate is queued');

select * from finish();
rollback;
