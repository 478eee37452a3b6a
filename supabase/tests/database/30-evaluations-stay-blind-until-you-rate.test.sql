-- evaluations, per actor and command. Blind review, per response: a collaborator with the reviewer role sees other
-- people's scores of a response only after rating that response. Owners, editors and admins see every score.
begin;
set local search_path = public, extensions, tests;
select plan(37);
select tests.create_interview_world();
select set_config('test.ra', tests.answer_first_question('session_a', 'candidate_a')::text, true);
select set_config('test.rb', tests.answer_first_question('session_b', 'candidate_b')::text, true);
-- a pending take, not submitted, in session B
select tests.authenticate_as('candidate_b');
select public.reveal_next_question(tests.id('session_b'));
with take as (
  insert into video_responses (session_id, question_id, content_type) values (tests.id('session_b'), tests.id('q2'), 'video/webm')
  returning id
)
select set_config('test.pending', id::text, true) from take;
reset role;

-- anon and candidates
select tests.clear_authentication();
select throws_ok($$ select * from evaluations $$, '42501', null, 'anon cannot read evaluations');
select tests.authenticate_as('candidate_a');
select throws_ok($$ insert into evaluations (response_id, score) values (current_setting('test.ra')::uuid, 5) $$,
  '42501', null, 'candidate A cannot rate their own answer');

-- the editor and the owner rate first
select tests.authenticate_as('editor');
select results_eq(
  $$ insert into evaluations (response_id, score, comment) values (current_setting('test.ra')::uuid, 2, 'Vague')
     returning reviewer_id, session_id, campaign_id $$,
  $$ select tests.id('editor'), tests.id('session_a'), tests.id('campaign') $$,
  'an editor rates a response: reviewer, session and campaign are filled by the database');
select lives_ok($$ insert into evaluations (response_id, score) values (current_setting('test.rb')::uuid, 3) $$,
  'the editor rates candidate B''s response');
select tests.authenticate_as('owner');
select lives_ok($$ insert into evaluations (response_id, score) values (current_setting('test.rb')::uuid, 5) $$,
  'the owner rates candidate B''s response');
select is((select count(*)::int from evaluations), 3, 'the owner reads every score of the campaign without rating all');

-- the reviewer is blind until they rate
select tests.authenticate_as('reviewer');
select is_empty($$ select * from evaluations $$, 'a reviewer who has rated nothing sees no one''s scores');
select throws_ok($$ insert into evaluations (response_id, score) values (current_setting('test.pending')::uuid, 4) $$,
  '23514', 'response_not_submitted', 'only the submitted take of a question can be rated');
select throws_ok($$ insert into evaluations (response_id, score) values (current_setting('test.ra')::uuid, 6) $$,
  '23514', null, 'a score above 5 is refused');
select throws_ok($$ insert into evaluations (response_id, score) values (current_setting('test.ra')::uuid, 0) $$,
  '23514', null, 'a score below 1 is refused');
select throws_ok(
  $$ insert into evaluations (response_id, reviewer_id, score) values (current_setting('test.ra')::uuid, tests.id('editor'), 1) $$,
  '42501', null, 'a reviewer cannot write an evaluation in someone else''s name');
select results_eq($$ insert into evaluations (response_id, score) values (current_setting('test.ra')::uuid, 4) returning score $$,
  $$ values (4::smallint) $$, 'a reviewer rates candidate A''s response and reads the rating back');
select set_eq($$ select reviewer_id from evaluations $$,
  $$ select unnest(array[tests.id('reviewer'), tests.id('editor')]) $$,
  'having rated candidate A''s response, the reviewer sees the scores of that response, and only those');
select is_empty($$ select 1 from evaluations where response_id = current_setting('test.rb')::uuid $$,
  'candidate B''s scores stay hidden from the reviewer until they rate that response');
select throws_ok($$ insert into evaluations (response_id, score) values (current_setting('test.ra')::uuid, 5) $$,
  '23505', null, 'a reviewer rates a response once');
select lives_ok($$ insert into evaluations (response_id, score) values (current_setting('test.rb')::uuid, 1) $$,
  'the reviewer rates candidate B''s response');
select is((select count(*)::int from evaluations), 5, 'now the reviewer sees every score of both responses');
select throws_ok(
  $$ update evaluations set score = 2 where reviewer_id = tests.id('reviewer') and response_id = current_setting('test.rb')::uuid $$,
  '23514', 'score_final', 'having read the others'' scores, a reviewer cannot change their own score any more');
select results_eq(
  $$ update evaluations set comment = 'On reflection' where reviewer_id = tests.id('reviewer') and response_id = current_setting('test.rb')::uuid returning score $$,
  $$ values (1::smallint) $$, 'a reviewer still edits their comment');
select is_empty($$ update evaluations set score = 1 where reviewer_id = tests.id('editor') returning 1 $$,
  'a reviewer cannot edit someone else''s rating');
select throws_ok($$ update evaluations set response_id = current_setting('test.rb')::uuid where reviewer_id = tests.id('reviewer') $$,
  '42501', null, 'a reviewer cannot move a rating to another response');
select throws_ok($$ update evaluations set reviewer_id = tests.id('owner') $$,
  '42501', null, 'a reviewer cannot hand their rating to someone else');
select is_empty($$ delete from evaluations returning 1 $$, 'a reviewer cannot delete ratings');

-- strangers and candidates never see scores
select tests.authenticate_as('stranger');
select is_empty($$ select * from evaluations $$, 'the stranger sees no score');
select throws_ok($$ insert into evaluations (response_id, score) values (current_setting('test.ra')::uuid, 1) $$,
  '42501', null, 'the stranger cannot rate a response of the owner''s campaign');
select tests.authenticate_as('candidate_a');
select is_empty($$ select * from evaluations $$, 'candidate A never sees scores, not even of their own answer');
select tests.authenticate_as('candidate_b');
select is_empty($$ select * from evaluations $$, 'neither does candidate B');

-- editor and admin
select tests.authenticate_as('editor');
select is((select count(*)::int from evaluations), 5, 'an editor (who decides) sees every score');
select is_empty($$ update evaluations set score = 5 where reviewer_id = tests.id('owner') returning 1 $$,
  'an editor cannot edit the owner''s rating');
select tests.authenticate_as('admin');
select is((select count(*)::int from evaluations where campaign_id = tests.id('campaign')), 5,
  'the admin sees every score');
select results_eq($$ delete from evaluations where reviewer_id = tests.id('editor') and response_id = current_setting('test.ra')::uuid returning score $$,
  $$ values (2::smallint) $$, 'the admin can delete a rating');
select tests.authenticate_as('reviewer');
select results_eq(
  $$ update evaluations set score = 5 where reviewer_id = tests.id('reviewer') and response_id = current_setting('test.ra')::uuid returning score $$,
  $$ values (5::smallint) $$, 'a reviewer alone on a response (nothing of anyone else''s to read) may change their score');
select tests.authenticate_as('admin');
select results_eq($$ insert into evaluations (response_id, score) values (current_setting('test.ra')::uuid, 3) returning reviewer_id $$,
  $$ select tests.id('admin') $$, 'the admin can rate a response too');
select results_eq($$ update evaluations set score = 4 where reviewer_id = tests.id('admin') returning score $$,
  $$ values (4::smallint) $$, 'the admin, who reads every score anyway, may change theirs');

-- the audit trail
reset role;
select results_eq(
  $$ select action, actor_id, (details->>'score')::int from audit_log
      where entity = 'evaluation' and details->>'reviewer_id' = tests.id('reviewer')::text order by id $$,
  $$ values ('evaluation.created', tests.id('reviewer'), 4), ('evaluation.created', tests.id('reviewer'), 1),
            ('evaluation.updated', tests.id('reviewer'), 1), ('evaluation.updated', tests.id('reviewer'), 5) $$,
  'the audit log records each rating and its change, with the actor');
select results_eq(
  $$ select action, actor_id from audit_log where action = 'evaluation.deleted' $$,
  $$ values ('evaluation.deleted', tests.id('admin')) $$, 'and the admin''s deletion');
select is_empty($$ select 1 from audit_log where details ? 'comment' $$, 'the audit log keeps no comment text');

select * from finish();
rollback;
