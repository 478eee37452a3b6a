-- questions, per actor and command; frozen once a candidate has answered them.
begin;
set local search_path = public, extensions, tests;
select plan(33);
select tests.create_interview_world();

-- anon
select tests.clear_authentication();
select throws_ok($$ select * from questions $$, '42501', null, 'anon cannot read questions');

-- candidates see a question only once it is revealed to them
select tests.authenticate_as('candidate_a');
select is_empty($$ select * from questions $$, 'candidate A reads no question before any reveal');
select throws_ok($$ insert into questions (campaign_id, prompt) values (tests.id('campaign'), 'Mine?') $$,
  '42501', null, 'candidate A cannot add a question');
select is_empty($$ update questions set prompt = 'x' returning 1 $$, 'candidate A cannot edit questions');
select is_empty($$ delete from questions returning 1 $$, 'candidate A cannot delete questions');
select public.start_interview(tests.id('session_a'));
select public.reveal_next_question(tests.id('session_a'));
select results_eq($$ select id from questions $$, $$ select tests.id('q1') $$,
  'after the first reveal candidate A reads exactly that question');
select is_empty($$ update questions set prompt = 'x' returning 1 $$, 'candidate A still cannot edit the revealed question');
select tests.authenticate_as('candidate_b');
select is_empty($$ select * from questions $$, 'candidate B reads nothing revealed to candidate A');

-- owner
select tests.authenticate_as('owner');
select set_eq($$ select id from questions $$, $$ select unnest(array[tests.id('q1'), tests.id('q2')]) $$,
  'the owner reads the questions of their campaign only');
select results_eq(
  $$ insert into questions (campaign_id, prompt) values (tests.id('campaign'), 'Where in five years?')
     returning position, think_time_seconds, answer_time_seconds, max_takes, is_practice $$,
  $$ values (3, 30, 120, 3, false) $$,
  'a question added without settings goes last with the campaign''s default limits');
select results_eq($$ update questions set prompt = 'A bug you are proud of?' where id = tests.id('q2') returning prompt $$,
  $$ values ('A bug you are proud of?') $$, 'the owner edits an unanswered question');
select lives_ok(
  $$ update questions set position = case position when 2 then 3 else 2 end
     where campaign_id = tests.id('campaign') and position in (2, 3) $$,
  'the owner swaps two questions in one statement (the position key is deferrable)');
select throws_ok($$ update questions set position = 1 where id = tests.id('q2') $$,
  '23505', null, 'two questions cannot share a position');
select throws_ok($$ insert into questions (campaign_id, prompt, answer_time_seconds) values (tests.id('campaign'), 'x', 5) $$,
  '23514', null, 'an answer time under 10 seconds is refused');

-- stranger
select tests.authenticate_as('stranger');
select results_eq($$ select id from questions $$, $$ select tests.id('sq1') $$,
  'the stranger reads only their own campaign''s questions');
select throws_ok($$ insert into questions (campaign_id, prompt) values (tests.id('campaign'), 'Injected') $$,
  '42501', null, 'the stranger cannot add a question to the owner''s campaign');
select is_empty($$ update questions set prompt = 'x' where id = tests.id('q2') returning 1 $$,
  'the stranger cannot edit the owner''s questions');
select is_empty($$ delete from questions where id = tests.id('q2') returning 1 $$,
  'the stranger cannot delete the owner''s questions');

-- reviewer
select tests.authenticate_as('reviewer');
select is((select count(*)::int from questions), 3, 'a reviewer reads the shared campaign''s questions');
select throws_ok($$ insert into questions (campaign_id, prompt) values (tests.id('campaign'), 'x') $$,
  '42501', null, 'a reviewer cannot add questions');
select is_empty($$ update questions set prompt = 'x' where id = tests.id('q2') returning 1 $$,
  'a reviewer cannot edit questions');
select is_empty($$ delete from questions where id = tests.id('q2') returning 1 $$,
  'a reviewer cannot delete questions');

-- editor
select tests.authenticate_as('editor');
select lives_ok($$ insert into questions (campaign_id, prompt, is_practice) values (tests.id('campaign'), 'Warm-up', true) $$,
  'an editor adds a question');
select results_eq($$ update questions set think_time_seconds = 10 where prompt = 'Warm-up' returning think_time_seconds $$,
  $$ values (10) $$, 'an editor edits a question');
select results_eq($$ delete from questions where prompt = 'Warm-up' returning prompt $$,
  $$ values ('Warm-up') $$, 'an editor deletes a question');

-- admin
select tests.authenticate_as('admin');
select set_has($$ select id from questions $$, $$ select unnest(array[tests.id('q1'), tests.id('sq1')]) $$,
  'the admin reads every question');
select results_eq($$ update questions set prompt = 'Sell me this pencil' where id = tests.id('sq1') returning prompt $$,
  $$ values ('Sell me this pencil') $$, 'the admin edits any unanswered question');

-- answered questions are frozen
reset role;
select tests.answer_first_question('session_b', 'candidate_b');
select tests.authenticate_as('owner');
select throws_ok($$ update questions set prompt = 'Changed' where id = tests.id('q1') $$,
  'PT409', 'question_locked', 'the owner cannot edit a question a candidate has answered');
select throws_ok($$ delete from questions where id = tests.id('q1') $$,
  'PT409', 'question_locked', 'the owner cannot delete a question a candidate has answered');
select tests.authenticate_as('editor');
select throws_ok($$ update questions set max_takes = 5 where id = tests.id('q1') $$,
  'PT409', 'question_locked', 'neither can an editor');
select lives_ok($$ update questions set max_takes = 5 where id = tests.id('q2') $$,
  'a question nobody answered yet stays editable');
reset role;
select throws_ok($$ delete from questions where id = tests.id('q1') $$,
  'PT409', 'question_locked', 'the lock holds for the superuser too');
select lives_ok($$ delete from campaigns where id = tests.id('campaign') $$,
  'deleting the whole campaign still removes its answered questions');

select * from finish();
rollback;
