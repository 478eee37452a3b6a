-- The session state machine, enforced for every writer, and the RPCs that move it.
--   invited -> in_progress | expired | withdrawn;  in_progress -> completed | expired | withdrawn
begin;
set local search_path = public, extensions, tests;
select plan(32);
select tests.create_interview_world();

-- the transitions themselves, as the superuser (no client can write status)
select throws_ok($$ update interview_sessions set status = 'completed' where id = tests.id('session_a') $$,
  'PT409', 'invalid_status_transition', 'invited cannot jump to completed');
select lives_ok($$ update interview_sessions set status = 'expired' where id = tests.id('stranger_session_b') $$,
  'invited can expire');
select is((select expired_at from interview_sessions where id = tests.id('stranger_session_b')), now(),
  'expiring stamps expired_at');
select throws_ok($$ update interview_sessions set status = 'in_progress' where id = tests.id('stranger_session_b') $$,
  'PT409', 'invalid_status_transition', 'an expired session cannot be started');
select throws_ok($$ update interview_sessions set status = 'invited' where id = tests.id('stranger_session_b') $$,
  'PT409', 'invalid_status_transition', 'an expired session cannot be re-invited');

-- start_interview
select tests.authenticate_as('candidate_a');
select results_eq($$ select status::text, started_at from public.start_interview(tests.id('session_a')) $$,
  $$ values ('in_progress', now()) $$, 'candidate A starts their interview: in_progress, started_at stamped');
select results_eq($$ select status::text from public.start_interview(tests.id('session_a')) $$,
  $$ values ('in_progress') $$, 'starting again is harmless (idempotent)');
select throws_ok($$ select public.start_interview(tests.id('session_b')) $$, 'PT404', 'session_not_found',
  'candidate A cannot start candidate B''s session');
select tests.authenticate_as('owner');
select throws_ok($$ select public.start_interview(tests.id('session_b')) $$, 'PT404', 'session_not_found',
  'the owner cannot start a candidate''s interview');

-- start is refused when the campaign is not active, not started yet, or the deadline passed
reset role;
update campaigns set status = 'draft' where id = tests.id('campaign');
select tests.authenticate_as('candidate_b');
select throws_ok($$ select public.start_interview(tests.id('session_b')) $$, 'PT409', 'campaign_not_active',
  'an interview cannot start while its campaign is a draft');
reset role;
update campaigns set status = 'active', start_date = now() + interval '1 hour' where id = tests.id('campaign');
select tests.authenticate_as('candidate_b');
select throws_ok($$ select public.start_interview(tests.id('session_b')) $$, 'PT409', 'campaign_not_started',
  'an interview cannot start before the campaign does');
reset role;
set local session_replication_role = replica;
update interview_sessions set deadline = now() - interval '1 minute' where id = tests.id('session_b');
update campaigns set start_date = now() - interval '1 day' where id = tests.id('campaign');
set local session_replication_role = origin;
select tests.authenticate_as('candidate_b');
select throws_ok($$ select public.start_interview(tests.id('session_b')) $$, 'PT409', 'session_deadline_passed',
  'an interview cannot start after its deadline');
select throws_ok($$ select public.expire_overdue_sessions() $$, '42501', null,
  'a candidate cannot run the expiry sweep');

-- the sweep (service role, scheduled)
select tests.authenticate_as_service_role();
select is(public.expire_overdue_sessions(), 1, 'the expiry sweep expires the one overdue session');
select is((select status::text from interview_sessions where id = tests.id('session_b')), 'expired',
  'the overdue session is expired');
select is(public.expire_overdue_sessions(), 0, 'running the sweep again changes nothing');

-- finish_interview
select tests.authenticate_as('candidate_a');
select results_eq($$ select status::text, completed_at from public.finish_interview(tests.id('session_a')) $$,
  $$ values ('completed', now()) $$, 'candidate A finishes: completed, completed_at stamped');
select results_eq($$ select status::text from public.finish_interview(tests.id('session_a')) $$,
  $$ values ('completed') $$, 'finishing again is harmless (idempotent)');
select throws_ok($$ select public.withdraw_interview(tests.id('session_a')) $$, 'PT409', 'invalid_status_transition',
  'a completed interview cannot be withdrawn');
select throws_ok($$ select public.start_interview(tests.id('session_a')) $$, 'PT409', 'invalid_status_transition',
  'a completed interview cannot be started again');
select tests.authenticate_as('candidate_b');
select throws_ok($$ select public.finish_interview(tests.id('session_b')) $$, 'PT409', 'invalid_status_transition',
  'an expired interview cannot be finished');
select throws_ok($$ select public.finish_interview(tests.id('session_a')) $$, 'PT404', 'session_not_found',
  'candidate B cannot finish candidate A''s interview');

-- withdraw_interview: the candidate themselves, or the campaign's owner/editor; the token dies with it
reset role;
insert into private.invitation_tokens (session_id, token_hash, expires_at)
values (tests.id('stranger_session_b'), '\x01', now() + interval '1 day');
set local session_replication_role = replica;
update interview_sessions set status = 'invited' where id = tests.id('stranger_session_b');
set local session_replication_role = origin;
select tests.authenticate_as('candidate_b');
select results_eq($$ select status::text, withdrawn_at from public.withdraw_interview(tests.id('stranger_session_b')) $$,
  $$ values ('withdrawn', now()) $$, 'candidate B withdraws from an interview');
select results_eq($$ select status::text from public.withdraw_interview(tests.id('stranger_session_b')) $$,
  $$ values ('withdrawn') $$, 'withdrawing again is harmless (idempotent)');
reset role;
select isnt((select revoked_at from private.invitation_tokens where session_id = tests.id('stranger_session_b')), null,
  'withdrawing revokes the invitation token');

-- every change is stamped in the audit log with its actor
select results_eq(
  $$ select actor_id, details->>'from', details->>'to' from audit_log
      where entity_id = tests.id('session_a') and action = 'session.status_changed' order by id $$,
  $$ values (tests.id('candidate_a'), 'invited', 'in_progress'), (tests.id('candidate_a'), 'in_progress', 'completed') $$,
  'the audit log records who moved candidate A''s session, from what to what');
select results_eq(
  $$ select actor_id, details->>'to' from audit_log
      where entity_id = tests.id('session_b') and action = 'session.status_changed' $$,
  $$ values (null::uuid, 'expired') $$,
  'a system change (the sweep) is recorded without an actor');
select set_eq(
  $$ select entity_id from audit_log where action = 'session.invited'
      and campaign_id in (tests.id('campaign'), tests.id('stranger_campaign')) $$,
  $$ select unnest(array[tests.id('session_a'), tests.id('session_b'), tests.id('stranger_session_b')]) $$,
  'every invitation is recorded');

-- an interview in progress expires at its deadline too, or can be withdrawn; nothing leaves withdrawn
reset role;
do $$
declare
  c1 uuid;
  c2 uuid;
  s1 uuid;
  s2 uuid;
begin
  insert into public.candidates (email) values ('late1@test.local') returning id into c1;
  insert into public.candidates (email) values ('late2@test.local') returning id into c2;
  insert into public.interview_sessions (campaign_id, candidate_id) values (tests.id('stranger_campaign'), c1)
  returning id into s1;
  insert into public.interview_sessions (campaign_id, candidate_id) values (tests.id('stranger_campaign'), c2)
  returning id into s2;
  update public.interview_sessions set status = 'in_progress' where id in (s1, s2);
  insert into tests.fixture_ids values ('late1', s1), ('late2', s2);
end
$$;
set local session_replication_role = replica;
update interview_sessions set deadline = now() - interval '1 minute' where id = tests.id('late1');
set local session_replication_role = origin;
select tests.authenticate_as_service_role();
select is(public.expire_overdue_sessions(), 1, 'an interview left in progress past its deadline is expired by the sweep');
reset role;
select is((select status::text from interview_sessions where id = tests.id('late1')), 'expired',
  'in_progress -> expired');
select lives_ok($$ update interview_sessions set status = 'withdrawn' where id = tests.id('late2') $$,
  'in_progress -> withdrawn');
select throws_ok($$ update interview_sessions set status = 'in_progress' where id = tests.id('late2') $$,
  'PT409', 'invalid_status_transition', 'a withdrawn session cannot be resumed');

select * from finish();
rollback;
