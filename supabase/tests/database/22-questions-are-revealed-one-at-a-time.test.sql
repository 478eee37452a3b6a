-- reveal_next_question(): a candidate sees a prompt only once it is revealed in their in-progress session, and the
-- answer window is computed by the server at that moment.
begin;
set local search_path = public, extensions, tests;
select plan(26);
select tests.create_interview_world();

-- The shared world has no think time (its takes are recorded at once); this file checks the window math with one.
update questions set think_time_seconds = 30 where campaign_id = tests.id('campaign');
select tests.authenticate_as('candidate_a');
select throws_ok($$ select public.reveal_next_question(tests.id('session_a')) $$, 'PT409', 'session_not_in_progress',
  'nothing is revealed before the interview starts');
select public.start_interview(tests.id('session_a'));
select results_eq(
  $$ select (r->>'question_id')::uuid, (r->>'position')::int, r->>'prompt', (r->>'revealed_at')::timestamptz,
            (r->>'answer_opens_at')::timestamptz, (r->>'answer_closes_at')::timestamptz,
            (r->>'question_number')::int, (r->>'question_count')::int, (r->>'grace_seconds')::int
       from public.reveal_next_question(tests.id('session_a')) r $$,
  $$ values (tests.id('q1'), 1, 'Why us?', now(), now() + interval '30 seconds', now() + interval '90 seconds', 1, 2, 30) $$,
  'the first reveal returns question 1 with the window: opens after the think time, closes after the answer time');
select is((public.reveal_next_question(tests.id('session_a')) ->> 'question_id')::uuid, tests.id('q1'),
  'revealing again while question 1 is open and unanswered returns question 1 again (a reload is harmless)');
select results_eq($$ select question_id, answer_closes_at from question_reveals $$,
  $$ values (tests.id('q1'), now() + interval '90 seconds') $$,
  'candidate A reads the one reveal, recorded once');
select results_eq($$ select id, prompt from questions $$, $$ values (tests.id('q1'), 'Why us?') $$,
  'candidate A now reads question 1 and only question 1');
select throws_ok($$ insert into question_reveals (session_id, question_id, campaign_id, answer_opens_at, answer_closes_at)
                    values (tests.id('session_a'), tests.id('q2'), tests.id('campaign'), now(), now()) $$,
  '42501', null, 'candidate A cannot record a reveal by hand');
select throws_ok($$ update question_reveals set answer_closes_at = now() + interval '1 day' $$,
  '42501', null, 'candidate A cannot stretch an answer window');
select throws_ok($$ delete from question_reveals $$, '42501', null, 'candidate A cannot delete a reveal');

-- once the window of question 1 has closed (plus grace), the next reveal moves on
reset role;
update question_reveals set answer_closes_at = now() - interval '31 seconds' where question_id = tests.id('q1');
select tests.authenticate_as('candidate_a');
select is((public.reveal_next_question(tests.id('session_a')) ->> 'question_id')::uuid, tests.id('q2'),
  'after question 1''s window closes, the next reveal is question 2');
select set_eq($$ select id from questions $$, $$ select unnest(array[tests.id('q1'), tests.id('q2')]) $$,
  'candidate A reads both revealed questions');
reset role;
update question_reveals set answer_closes_at = now() - interval '31 seconds' where question_id = tests.id('q2');
select tests.authenticate_as('candidate_a');
select throws_ok($$ select public.reveal_next_question(tests.id('session_a')) $$, 'PT409', 'no_more_questions',
  'after the last question there is nothing more to reveal');

-- a submitted answer moves on at once, without waiting for the window
reset role;
update questions set think_time_seconds = 0 where campaign_id = tests.id('campaign');
select tests.answer_first_question('session_b', 'candidate_b');
select tests.authenticate_as('candidate_b');
select is((public.reveal_next_question(tests.id('session_b')) ->> 'question_id')::uuid, tests.id('q2'),
  'once question 1 is submitted, the next reveal is question 2');
select set_eq($$ select session_id from question_reveals $$, $$ select tests.id('session_b') $$,
  'candidate B reads only the reveals of their own session');

-- nobody else can reveal in someone's session
select throws_ok($$ select public.reveal_next_question(tests.id('session_a')) $$, 'PT404', 'session_not_found',
  'candidate B cannot reveal in candidate A''s session');
select throws_ok($$ select public.reveal_next_question(tests.id('stranger_session_b')) $$, 'PT409', 'session_not_in_progress',
  'candidate B cannot reveal in a session they have not started');
select tests.authenticate_as('owner');
select throws_ok($$ select public.reveal_next_question(tests.id('session_a')) $$, 'PT404', 'session_not_found',
  'the owner cannot reveal questions in a candidate''s session');
select tests.clear_authentication();
select throws_ok($$ select public.reveal_next_question(tests.id('session_a')) $$, '42501', null,
  'anon cannot reveal questions');
select throws_ok($$ select * from question_reveals $$, '42501', null, 'anon cannot read reveals');

-- who reads reveals (the funnel needs them)
select tests.authenticate_as('owner');
select is((select count(*)::int from question_reveals), 4, 'the owner reads the reveals of their campaign');
select tests.authenticate_as('reviewer');
select is((select count(*)::int from question_reveals), 4, 'a reviewer reads them too');
select tests.authenticate_as('editor');
select is((select count(*)::int from question_reveals), 4, 'so does an editor');
select tests.authenticate_as('stranger');
select is_empty($$ select * from question_reveals $$, 'the stranger reads none');
select tests.authenticate_as('admin');
select is((select count(*)::int from question_reveals where campaign_id = tests.id('campaign')), 4,
  'the admin reads all of them');

-- a deadline stops the reveals
reset role;
set local session_replication_role = replica;
update interview_sessions set deadline = now() - interval '1 second' where id = tests.id('session_b');
set local session_replication_role = origin;
select tests.authenticate_as('candidate_b');
select throws_ok($$ select public.reveal_next_question(tests.id('session_b')) $$, 'PT409', 'session_deadline_passed',
  'nothing is revealed after the deadline');

-- practice questions are revealed in order like the others
reset role;
insert into questions (campaign_id, position, prompt, is_practice) values (tests.id('stranger_campaign'), 2, 'Warm-up', true);
update questions set position = 3 where id = tests.id('sq1');
update questions set position = 1 where prompt = 'Warm-up';
select tests.authenticate_as('candidate_b');
select public.start_interview(tests.id('stranger_session_b'));
select results_eq($$ select r->>'prompt', (r->>'is_practice')::boolean from public.reveal_next_question(tests.id('stranger_session_b')) r $$,
  $$ values ('Warm-up', true) $$, 'a practice question placed first is revealed first, flagged as practice');
select is((select count(*)::int from questions where campaign_id = tests.id('stranger_campaign')), 1,
  'and the real question stays hidden');

select * from finish();
rollback;
