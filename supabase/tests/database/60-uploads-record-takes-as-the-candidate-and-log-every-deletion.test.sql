-- The SQL of the uploads function: request_upload runs as the candidate (RLS and recording rules apply, a retry of
-- the same recording reuses its pending take), erasure is for owners and admins only, the retention run is for the
-- service role, and every deletion is logged and readable by the campaign owner and admins only.
begin;
set local search_path = public, extensions, tests;
select plan(40);
select tests.create_interview_world();

-- candidate A starts and sees q1
select tests.authenticate_as('candidate_a');
select lives_ok($$ select public.start_interview(tests.id('session_a')) $$, 'candidate A starts the interview');
select lives_ok($$ select public.reveal_next_question(tests.id('session_a')) $$, 'candidate A reveals q1');

create temp table first_take on commit drop as
  select * from private.request_upload(tests.id('session_a'), tests.id('q1'), 'video/webm;codecs=vp8,opus', 1000, 1.5);
grant select on first_take to authenticated, service_role;
select is((select count(*)::integer from first_take), 1, 'request_upload returns one row');
select ok((select object_key ~ ('^campaigns/' || tests.id('campaign') || '/sessions/' || tests.id('session_a') || '/'
                                || tests.id('q1') || '/1-' || response_id || '\.webm$') from first_take),
  'the object key is built by the database from ids only, with the extension of the content type');
select results_eq($$ select take_number, max_takes, max_video_bytes, reused, campaign_id from first_take $$,
  $$ values (1, 2, 524288000::bigint, false, tests.id('campaign')) $$,
  'the first take is take 1 of 2, with the campaign''s size cap');
select results_eq(
  $$ select status::text, is_submitted, size_bytes, content_type from video_responses
      where id = (select response_id from first_take) $$,
  $$ values ('pending', false, 1000::bigint, 'video/webm;codecs=vp8,opus') $$,
  'the take is pending, as granted');
select results_eq(
  $$ select response_id, reused from private.request_upload(tests.id('session_a'), tests.id('q1'),
                                                             'video/webm;codecs=vp8,opus', 1000) $$,
  $$ select response_id, true from first_take $$,
  'a retry of the same recording gets the same pending take back');
select throws_ok(
  $$ select * from private.request_upload(tests.id('session_a'), tests.id('q1'), 'video/webm', 524288001) $$,
  '23514', 'response_too_large', 'a take larger than the campaign cap is refused');
select results_eq(
  $$ select take_number, reused from private.request_upload(tests.id('session_a'), tests.id('q1'), 'video/mp4', 2000) $$,
  $$ values (2, false) $$,
  'a different recording is a new take');
select throws_ok(
  $$ select * from private.request_upload(tests.id('session_a'), tests.id('q1'), 'video/webm', 3000) $$,
  'PT409', 'max_takes_reached', 'a third take of a 2-take question is refused');
select throws_ok(
  $$ select * from private.request_upload(tests.id('session_a'), tests.id('q2'), 'video/webm', 1000) $$,
  'PT409', 'question_not_revealed', 'a take of a question not revealed yet is refused');
select throws_ok(
  $$ select * from private.request_upload(tests.id('session_b'), tests.id('q1'), 'video/webm', 1000) $$,
  '42501', null, 'candidate A cannot record in candidate B''s session');
select throws_ok(
  $$ insert into private.multipart_uploads (response_id, upload_id, part_size, part_count)
     select response_id, 'x', 5242880, 1 from first_take $$,
  '42501', null, 'candidate A cannot write multipart upload ids');
select throws_ok($$ select public.take_video_deletions(10) $$, '42501', null,
  'candidate A cannot run the retention sweep');
select throws_ok($$ select public.confirm_video_deletions(array[1]::bigint[]) $$, '42501', null,
  'candidate A cannot confirm deletions');
select throws_ok($$ select public.erase_session(tests.id('session_a')) $$, 'PT404', 'session_not_found',
  'candidate A cannot erase their session (only the campaign owner can)');

-- candidate B: not in session A
select tests.authenticate_as('candidate_b');
select throws_ok(
  $$ select * from private.request_upload(tests.id('session_a'), tests.id('q1'), 'video/webm', 1000) $$,
  '42501', null, 'candidate B cannot record in candidate A''s session');

-- the uploads function (service role) completes the first take; a reviewer rates it
select tests.authenticate_as_service_role();
select lives_ok($$ select public.complete_response_upload((select response_id from first_take), 1000) $$,
  'the service role completes the take');
select tests.authenticate_as('reviewer');
select lives_ok($$ insert into evaluations (response_id, score) select response_id, 4 from first_take $$,
  'the reviewer rates the submitted take');
select throws_ok($$ select public.erase_session(tests.id('session_a')) $$, 'PT404', 'session_not_found',
  'a reviewer cannot erase a candidate');
select tests.authenticate_as('editor');
select throws_ok($$ select public.erase_session(tests.id('session_a')) $$, 'PT404', 'session_not_found',
  'an editor cannot erase a candidate');
select tests.authenticate_as('stranger');
select throws_ok($$ select public.erase_session(tests.id('session_a')) $$, 'PT404', 'session_not_found',
  'another hiring manager cannot erase a candidate (and learns nothing)');
select throws_ok($$ select private.prepare_account_erasure(tests.id('candidate_a')) $$, 'PT403', 'admin_required',
  'a hiring manager cannot erase an account');

-- the owner erases candidate A from the campaign
select tests.authenticate_as('owner');
create temp table erased on commit drop as select * from public.erase_session(tests.id('session_a'));
grant select on erased to authenticated, service_role;
select results_eq(
  $$ select reason, is_prefix, count(*)::integer from erased group by 1, 2 order by 2 $$,
  $$ values ('erasure', false, 2), ('erasure', true, 1) $$,
  'erasure logs both takes and the session folder');
select ok((select bool_and(requested_by = tests.id('owner') and deleted_at is null) from erased),
  'the log names the owner and waits for the store to confirm');
select is_empty($$ select 1 from interview_sessions where id = tests.id('session_a') $$, 'the session is gone');
select is((select count(*)::integer from video_deletions where session_id = tests.id('session_a')), 3,
  'the owner reads the deletion log of their campaign');
set local role postgres;
select is((select count(*)::integer from video_responses where session_id = tests.id('session_a')), 0,
  'the responses are gone');
select is((select count(*)::integer from evaluations where response_id = (select response_id from first_take)), 0,
  'their evaluations are gone');
select isnt((select count(*)::integer from candidates where id = tests.id('cand_a')), 0,
  'a candidate with an account keeps their candidate record');
select tests.authenticate_as('reviewer');
select is_empty($$ select 1 from video_deletions $$, 'a reviewer does not read the deletion log');
select tests.authenticate_as('candidate_a');
select is_empty($$ select 1 from video_deletions $$, 'the candidate does not read the deletion log');

-- the retention sweep and its confirmations (service role)
select tests.authenticate_as_service_role();
select is((select count(*)::integer from public.take_video_deletions(100) where session_id = tests.id('session_a')), 3,
  'the retention run returns the erasure''s pending deletions');
select is(
  (select count(*)::integer from public.confirm_video_deletions((select array_agg(id) from erased))), 2,
  'objects are confirmed at once; the folder is not (grants signed before the erasure may still be used)');
set local role postgres;
update video_deletions set requested_at = now() - interval '16 minutes' where id in (select id from erased);
select tests.authenticate_as_service_role();
select is((select count(*)::integer from public.confirm_video_deletions((select array_agg(id) from erased))), 1,
  'the folder is confirmed once every grant has expired');
select throws_ok($$ insert into video_deletions (object_key, reason) values ('x', 'erasure') $$, '42501', null,
  'the service role cannot forge log rows');

-- admin erases an account
select hasnt_function('public', 'prepare_account_erasure', array['uuid'],
  'account erasure is not a PostgREST RPC (only the uploads function prepares it, then deletes the user)');
select tests.authenticate_as('admin');
select throws_ok($$ select private.prepare_account_erasure(tests.id('admin')) $$, 'PT409', 'cannot_erase_self',
  'an admin cannot erase their own account');
select throws_ok($$ select private.prepare_account_erasure(gen_random_uuid()) $$, 'PT404', 'user_not_found',
  'erasing an unknown account is a 404');
select results_eq(
  $$ select object_key from private.prepare_account_erasure(tests.id('stranger')) $$,
  $$ values ('campaigns/' || tests.id('stranger_campaign') || '/') $$,
  'erasing a hiring manager''s account logs the folders of the campaigns they own');

select * from finish();
rollback;
