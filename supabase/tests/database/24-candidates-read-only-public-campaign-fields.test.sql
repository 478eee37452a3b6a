-- my_interviews(): a candidate's interviews with the campaign's public fields only. Token hashes stay out of every
-- client's reach.
begin;
set local search_path = public, extensions, tests;
select plan(15);
select tests.create_interview_world();

select tests.authenticate_as('candidate_a');
select results_eq(
  $$ select session_id, status::text, title, description, company, campaign_status::text, deadline,
            answer_time_seconds, max_video_bytes, question_count, answered_count
       from public.my_interviews() $$,
  $$ values (tests.id('session_a'), 'invited', 'Backend engineer', 'Tell us about you', 'Acme', 'active',
             now() + interval '10 days', 120, 524288000::bigint, 2, 0) $$,
  'candidate A lists their one interview with the campaign''s public fields and the company');
select results_eq($$ select title from public.my_interviews() where session_id = tests.id('session_a') $$,
  $$ values ('Backend engineer') $$, 'the list can be filtered to one interview (the detail view)');
select is_empty($$ select 1 from campaigns $$, 'candidate A still cannot read the campaigns table');
select is_empty(
  $$ select n from pg_proc p, unnest(p.proargnames) n
      where p.oid = 'public.my_interviews()'::regprocedure
        and n in ('retention_days', 'owner_id', 'created_at', 'updated_at') $$,
  'my_interviews() exposes no owner-only campaign field (retention, owner)');
select tests.answer_first_question('session_a', 'candidate_a');
select tests.authenticate_as('candidate_a');
select results_eq($$ select status::text, answered_count from public.my_interviews() $$,
  $$ values ('in_progress', 1) $$, 'the list shows progress once a question is submitted');

select tests.authenticate_as('candidate_b');
select set_eq($$ select company from public.my_interviews() $$, $$ values ('Acme'), ('Globex') $$,
  'candidate B lists both of their interviews, each with its company');
select is_empty($$ select 1 from public.my_interviews() where session_id = tests.id('session_a') $$,
  'candidate B cannot see candidate A''s interview');

select tests.authenticate_as('owner');
select is_empty($$ select * from public.my_interviews() $$, 'a hiring manager has no interviews of their own');

select tests.clear_authentication();
select throws_ok($$ select * from public.my_interviews() $$, '42501', null, 'anon cannot list interviews');

-- invitation token hashes: no client role can read or write them, whatever the session
reset role;
insert into private.invitation_tokens (session_id, token_hash, expires_at)
values (tests.id('session_b'), extensions.digest('secret', 'sha256'), now() + interval '10 days');
select tests.authenticate_as('candidate_b');
select throws_ok($$ select * from private.invitation_tokens $$, '42501', null,
  'the invited candidate cannot read their own token hash');
select tests.authenticate_as('owner');
select throws_ok($$ select * from private.invitation_tokens $$, '42501', null,
  'the campaign owner cannot read token hashes');
select throws_ok($$ update private.invitation_tokens set used_at = null $$, '42501', null,
  'the campaign owner cannot reset a token');
select tests.authenticate_as('admin');
select throws_ok($$ select * from private.invitation_tokens $$, '42501', null, 'not even an admin');
select tests.authenticate_as_service_role();
select throws_ok($$ select * from private.invitation_tokens $$, '42501', null,
  'nor the service role (the API key): only security-definer functions touch them');
select tests.clear_authentication();
select throws_ok($$ select * from private.invitation_tokens $$, '42501', null, 'nor anon');

select * from finish();
rollback;
