-- A session carries its candidate's auth user id, kept by triggers whoever writes, and the candidates' read policy
-- compares it with auth.uid() (20261203640000_candidates_read_sessions_by_their_user_id).
begin;
set local search_path = public, extensions, tests;
select plan(15);
select tests.create_interview_world();
-- What each reader should see, taken as postgres (past RLS).
create temp table expected_sessions on commit drop as
  select id, candidate_id, campaign_id from interview_sessions;
grant select on expected_sessions to authenticated;

select is((select candidate_user_id from interview_sessions where id = tests.id('session_a')),
  tests.get_user_id('candidate_a'), 'a session of a candidate with an account names that account');

-- A candidate invited before they have an account: null until the account is made and linked.
insert into interview_sessions (campaign_id, candidate_id, invited_by)
values (tests.id('campaign'), tests.id('uninvited'), tests.id('owner'));
insert into expected_sessions
  select id, candidate_id, campaign_id from interview_sessions where candidate_id = tests.id('uninvited');
select is((select candidate_user_id from interview_sessions where candidate_id = tests.id('uninvited')), null,
  'no account, no user id');
select isnt(tests.create_user('uninvited', 'candidate'), null, 'the invited person signs up');
select is((select user_id from candidates where id = tests.id('uninvited')), tests.get_user_id('uninvited'),
  'signing up with the invited email links the candidate');
select is((select candidate_user_id from interview_sessions where candidate_id = tests.id('uninvited')),
  tests.get_user_id('uninvited'), 'and their sessions follow the link');

select tests.authenticate_as('uninvited');
select results_eq($$ select candidate_id from interview_sessions $$, $$ values (tests.id('uninvited')) $$,
  'the newly linked candidate reads their session');
select tests.authenticate_as('candidate_b');
select results_eq($$ select id from interview_sessions order by id $$,
  $$ select id from expected_sessions where candidate_id = tests.id('cand_b') order by id $$,
  'a candidate reads their own sessions and no one else''s');
select tests.authenticate_as('candidate_b', with_role_claim => false);
select results_eq($$ select id from interview_sessions order by id $$,
  $$ select id from expected_sessions where candidate_id = tests.id('cand_b') order by id $$,
  'so does one whose token lacks the role claim');
select tests.authenticate_as('owner');
select results_eq($$ select id from interview_sessions order by id $$,
  $$ select id from expected_sessions where campaign_id = tests.id('campaign') order by id $$,
  'the campaign''s owner still reads every session of it');
select tests.clear_authentication();
reset role;

-- No writer chooses the column: whatever is written, it is the candidate's account.
update interview_sessions set candidate_user_id = tests.get_user_id('candidate_b') where id = tests.id('session_a');
select is((select candidate_user_id from interview_sessions where id = tests.id('session_a')),
  tests.get_user_id('candidate_a'), 'an update naming another account is overridden');
select tests.authenticate_as('owner');
select throws_ok(
  $$ update interview_sessions set candidate_user_id = tests.get_user_id('owner') where id = tests.id('session_a') $$,
  '42501', null, 'a recruiter may not write the column');
select tests.clear_authentication();
reset role;

set local session_replication_role = replica;
insert into interview_sessions (campaign_id, candidate_id, invited_by, deadline, candidate_user_id)
values (tests.id('stranger_campaign'), tests.id('cand_a'), tests.id('stranger'), now() + interval '1 day',
        tests.get_user_id('candidate_b'));
set local session_replication_role = origin;
select is((select candidate_user_id from interview_sessions
            where candidate_id = tests.id('cand_a') and campaign_id = tests.id('stranger_campaign')),
  tests.get_user_id('candidate_a'), 'an insert with replication role replica is kept too');

-- An account removed from the candidate: their sessions name no account, and the old account reads none.
update candidates set user_id = null where id = tests.id('cand_a');
select is((select count(*)::integer from interview_sessions
            where candidate_id = tests.id('cand_a') and candidate_user_id is not null), 0,
  'unlinking the candidate clears the user id of every session');
select tests.authenticate_as('candidate_a');
select is_empty($$ select id from interview_sessions $$, 'the unlinked account reads no session');
select tests.clear_authentication();
reset role;

select is((select count(*)::integer from interview_sessions s join candidates c on c.id = s.candidate_id
            where s.candidate_user_id is distinct from c.user_id), 0,
  'every session names exactly its candidate''s account');

select * from finish();
rollback;
