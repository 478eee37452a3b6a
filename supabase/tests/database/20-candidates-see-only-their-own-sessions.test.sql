-- interview_sessions, per actor and command. Status is never written by hand: only the RPCs move it.
begin;
set local search_path = public, extensions, tests;
select plan(38);
select tests.create_interview_world();

-- anon
select tests.clear_authentication();
select throws_ok($$ select * from interview_sessions $$, '42501', null, 'anon cannot read sessions');
select throws_ok($$ select public.start_interview(gen_random_uuid()) $$, '42501', null, 'anon cannot start an interview');

-- candidate A
select tests.authenticate_as('candidate_a');
select results_eq($$ select id from interview_sessions $$, $$ select tests.id('session_a') $$,
  'candidate A reads only their own session');
select throws_ok(
  $$ insert into interview_sessions (campaign_id, candidate_id) values (tests.id('stranger_campaign'), tests.id('cand_a')) $$,
  '42501', null, 'candidate A cannot invite themselves to a campaign');
select throws_ok($$ update interview_sessions set status = 'completed' where id = tests.id('session_a') $$,
  '42501', null, 'candidate A cannot set their session''s status by hand');
select is_empty($$ update interview_sessions set deadline = now() + interval '99 days' where id = tests.id('session_a') returning 1 $$,
  'candidate A cannot extend their own deadline');
select is_empty($$ delete from interview_sessions returning 1 $$, 'candidate A cannot delete sessions');

-- candidate B (two sessions: the owner's campaign and the stranger's)
select tests.authenticate_as('candidate_b');
select set_eq($$ select id from interview_sessions $$,
  $$ select unnest(array[tests.id('session_b'), tests.id('stranger_session_b')]) $$,
  'candidate B reads both of their sessions and not candidate A''s');
select throws_ok($$ select public.start_interview(tests.id('session_a')) $$, 'PT404', 'session_not_found',
  'candidate B cannot start candidate A''s interview (and learns nothing about it)');

-- owner
select tests.authenticate_as('owner');
select set_eq($$ select id from interview_sessions $$,
  $$ select unnest(array[tests.id('session_a'), tests.id('session_b')]) $$,
  'the owner reads the sessions of their campaign, not candidate B''s session elsewhere');
select results_eq(
  $$ insert into interview_sessions (campaign_id, candidate_id) values (tests.id('campaign'), tests.id('uninvited'))
     returning status::text, deadline, invited_by $$,
  $$ select 'invited'::text, now() + interval '10 days', tests.id('owner') $$,
  'the owner invites a candidate: invited, deadline = campaign end, invited_by = the owner');
select throws_ok(
  $$ insert into interview_sessions (campaign_id, candidate_id) values (tests.id('campaign'), tests.id('uninvited')) $$,
  '23505', null, 'a candidate has at most one session per campaign');
select throws_ok(
  $$ insert into interview_sessions (campaign_id, candidate_id, status) values (tests.id('campaign'), tests.id('cand_a'), 'completed') $$,
  '42501', null, 'the owner cannot create a session in another state than invited');
select results_eq(
  $$ update interview_sessions set deadline = now() + interval '3 days' where id = tests.id('session_a') returning deadline $$,
  $$ values (now() + interval '3 days') $$, 'the owner changes one candidate''s deadline');
select throws_ok($$ update interview_sessions set deadline = now() - interval '1 day' where id = tests.id('session_a') $$,
  '23514', 'session_deadline_in_past', 'a deadline cannot be moved into the past');
select throws_ok($$ update interview_sessions set status = 'withdrawn' where id = tests.id('session_a') $$,
  '42501', null, 'the owner cannot set a status by hand either');
select throws_ok($$ update interview_sessions set candidate_id = tests.id('cand_b') where id = tests.id('session_a') $$,
  '42501', null, 'the owner cannot move a session to another candidate');
select throws_ok(
  $$ insert into interview_sessions (campaign_id, candidate_id) values (tests.id('stranger_campaign'), tests.id('cand_a')) $$,
  '42501', null, 'the owner cannot invite into the stranger''s campaign');

-- stranger
select tests.authenticate_as('stranger');
select results_eq($$ select id from interview_sessions $$, $$ select tests.id('stranger_session_b') $$,
  'the stranger reads only the session of their own campaign');
select is_empty($$ update interview_sessions set deadline = now() + interval '9 days' where id = tests.id('session_a') returning 1 $$,
  'the stranger cannot change the owner''s sessions');
select is_empty($$ delete from interview_sessions where id = tests.id('session_a') returning 1 $$,
  'the stranger cannot delete the owner''s sessions');
select throws_ok(
  $$ insert into interview_sessions (campaign_id, candidate_id) values (tests.id('campaign'), tests.id('uninvited')) $$,
  '42501', null, 'the stranger cannot invite into the owner''s campaign');

-- reviewer
select tests.authenticate_as('reviewer');
select is((select count(*)::int from interview_sessions), 3, 'a reviewer reads the shared campaign''s sessions');
select throws_ok(
  $$ insert into interview_sessions (campaign_id, candidate_id) values (tests.id('campaign'), tests.id('cand_a')) $$,
  '42501', null, 'a reviewer cannot invite');
select is_empty($$ update interview_sessions set deadline = now() + interval '9 days' returning 1 $$,
  'a reviewer cannot change deadlines');
select is_empty($$ delete from interview_sessions returning 1 $$, 'a reviewer cannot delete sessions');
select throws_ok($$ select public.withdraw_interview(tests.id('session_a')) $$, 'PT404', 'session_not_found',
  'a reviewer cannot withdraw an invitation');

-- editor
select tests.authenticate_as('editor');
select results_eq($$ update interview_sessions set deadline = now() + interval '5 days' where id = tests.id('session_b') returning deadline $$,
  $$ values (now() + interval '5 days') $$, 'an editor changes a deadline');
select is_empty($$ delete from interview_sessions where id = tests.id('session_b') returning 1 $$,
  'an editor cannot erase a session (owner only)');
select results_eq($$ select status::text from public.withdraw_interview(tests.id('session_b')) $$,
  $$ values ('withdrawn') $$, 'an editor withdraws an invitation');

-- the owner erases a candidate from the campaign
select tests.authenticate_as('owner');
select results_eq($$ delete from interview_sessions where candidate_id = tests.id('uninvited') returning campaign_id $$,
  $$ select tests.id('campaign') $$, 'the owner erases a session of their campaign');

-- admin
select tests.authenticate_as('admin');
select set_has($$ select id from interview_sessions $$,
  $$ select unnest(array[tests.id('session_a'), tests.id('session_b'), tests.id('stranger_session_b')]) $$,
  'the admin reads every session');
select results_eq($$ update interview_sessions set deadline = now() + interval '8 days' where id = tests.id('stranger_session_b') returning 1 $$,
  $$ values (1) $$, 'the admin changes any deadline');
select results_eq($$ delete from interview_sessions where id = tests.id('stranger_session_b') returning 1 $$,
  $$ values (1) $$, 'the admin erases any session');
select results_eq(
  $$ insert into interview_sessions (campaign_id, candidate_id) values (tests.id('stranger_campaign'), tests.id('cand_a'))
     returning invited_by $$,
  $$ select tests.id('admin') $$, 'the admin invites a candidate into any campaign, recorded as the inviter');

-- invitations into a campaign that is not open
reset role;
update campaigns set status = 'closed' where id = tests.id('stranger_campaign');
select tests.authenticate_as('stranger');
select throws_ok(
  $$ insert into interview_sessions (campaign_id, candidate_id) values (tests.id('stranger_campaign'), tests.id('cand_a')) $$,
  'PT409', 'campaign_not_open', 'nobody can be invited into a closed campaign');
reset role;
update campaigns set status = 'archived' where id = tests.id('stranger_campaign');
select throws_ok(
  $$ insert into interview_sessions (campaign_id, candidate_id) values (tests.id('stranger_campaign'), tests.id('cand_a')) $$,
  'PT409', 'campaign_not_open', 'nor into an archived one, even by the superuser');
select throws_ok(
  $$ insert into interview_sessions (campaign_id, candidate_id, deadline) values (tests.id('campaign'), tests.id('uninvited'), now() - interval '1 hour') $$,
  '23514', 'session_deadline_in_past', 'an invitation cannot have a deadline in the past');

select * from finish();
rollback;
