-- The invitation outbox: recruiters queue invitations only for campaigns they edit, never read tokens or the outbox,
-- and see the email status on the session; the worker claims a row once, retries with backoff, gives up after
-- max_attempts; closing a session cancels its emails; a deadline change moves the token; one reminder per session.
begin;
set local search_path = public, extensions, tests;
select plan(51);

select tests.create_interview_world();
-- candidate A stands for an invited placeholder (what the invitations function creates); candidate B has an active
-- account of their own (a self sign-up: confirmed, no invitation_pending).
update auth.users set raw_app_meta_data = raw_app_meta_data || '{"invitation_pending": true}'
 where id = tests.id('candidate_a');

-- ---------------------------------------------------------------------------------------------------------------------
-- candidates for an invitation
-- ---------------------------------------------------------------------------------------------------------------------

select tests.authenticate_as('owner');
select results_eq(
  $$ select email from private.invite_upsert_candidates(tests.id('campaign'),
       '[{"email": " New.Person@Example.com ", "first_name": "New", "last_name": "Person"}]') $$,
  $$ values ('new.person@example.com') $$,
  'the owner creates a candidate row; the email comes back trimmed and lowercased');
select results_eq(
  $$ select candidate_id from private.invite_upsert_candidates(tests.id('campaign'),
       '[{"email": "candidate_a@test.local", "first_name": "Other", "last_name": "Name"}]') $$,
  $$ select tests.id('cand_a') $$,
  'an existing candidate is found by email, not duplicated');
reset role;
select isnt((select first_name from candidates where id = tests.id('cand_a')), 'Other',
  'a recruiter does not overwrite the candidate''s own name');
select is((select count(*)::int from candidates where lower(email) = 'new.person@example.com'), 1,
  'exactly one row for the new candidate');

select tests.authenticate_as('editor');
select lives_ok(
  $$ select * from private.invite_upsert_candidates(tests.id('campaign'), '[{"email": "by.editor@example.com"}]') $$,
  'an editor may prepare candidates');
select tests.authenticate_as('reviewer');
select throws_ok(
  $$ select * from private.invite_upsert_candidates(tests.id('campaign'), '[{"email": "x@example.com"}]') $$,
  '42501', 'not_campaign_editor', 'a reviewer may not');
select tests.authenticate_as('stranger');
select throws_ok(
  $$ select * from private.invite_upsert_candidates(tests.id('campaign'), '[{"email": "x@example.com"}]') $$,
  '42501', 'not_campaign_editor', 'a stranger may not');
select tests.authenticate_as('candidate_a');
select throws_ok(
  $$ select * from private.invite_upsert_candidates(tests.id('campaign'), '[{"email": "x@example.com"}]') $$,
  '42501', 'not_campaign_editor', 'a candidate may not');

-- ---------------------------------------------------------------------------------------------------------------------
-- queueing an invitation
-- ---------------------------------------------------------------------------------------------------------------------

select tests.authenticate_as('reviewer');
select throws_ok(
  $$ select private.queue_invitation_emails(jsonb_build_array(jsonb_build_object(
       'session_id', tests.id('session_a'), 'token_hash', encode(sha256('t1'::bytea), 'hex'), 'secret', 'aa',
       'locale', 'en'))) $$,
  '42501', 'not_campaign_editor', 'a reviewer cannot queue an invitation');

select tests.authenticate_as('owner');
select lives_ok(
  $$ select private.queue_invitation_emails(jsonb_build_array(jsonb_build_object(
       'session_id', tests.id('session_a'), 'token_hash', encode(sha256('t1'::bytea), 'hex'), 'secret', 'aa',
       'locale', 'en'))) $$,
  'the owner queues an invitation');
select is((select email_status from interview_sessions where id = tests.id('session_a')), 'queued',
  'the owner reads the email status on the session');
select throws_ok($$ select * from private.email_outbox $$, '42501', null, 'the owner cannot read the outbox');
select throws_ok($$ select * from private.invitation_tokens $$, '42501', null, 'nor the tokens');
select throws_ok($$ update interview_sessions set email_status = 'sent' where id = tests.id('session_a') $$,
  '42501', null, 'nor write the email status');
select throws_ok($$ select * from private.claim_email_outbox(10) $$, '42501', null,
  'nor run the worker functions');

select tests.authenticate_as('candidate_a');
select is((select email_status from interview_sessions where id = tests.id('session_a')), 'queued',
  'the candidate sees the status of their own session');
select tests.authenticate_as_service_role();
select throws_ok($$ select * from private.email_outbox $$, '42501', null,
  'even the service_role API role cannot read the outbox (only the functions'' own connection)');

reset role;
select is((select token_hash from private.invitation_tokens where session_id = tests.id('session_a')),
  sha256('t1'::bytea), 'the token hash is stored');
select is((select expires_at from private.invitation_tokens where session_id = tests.id('session_a')),
  (select deadline from interview_sessions where id = tests.id('session_a')), 'the token expires with the session');
select results_eq(
  $$ select to_email, locale, params ->> 'title', params ->> 'company' from private.email_outbox
      where session_id = tests.id('session_a') $$,
  $$ select 'candidate_a@test.local', 'en', c.title, 'Acme' from campaigns c where c.id = tests.id('campaign') $$,
  'the queued email holds the address, locale and template parameters from the database');

-- ---------------------------------------------------------------------------------------------------------------------
-- the worker
-- ---------------------------------------------------------------------------------------------------------------------

create temporary table claim on commit drop as select * from private.claim_email_outbox(10);
select results_eq($$ select session_id, attempts from claim $$, $$ values (tests.id('session_a'), 1) $$,
  'a claim takes the due row and counts the attempt');
select is_empty($$ select * from private.claim_email_outbox(10) $$, 'a claimed row is not claimed again');
select is(private.finish_email_outbox((select id from claim), gen_random_uuid(), null), null,
  'a finish without the claim changes nothing');
select is(private.finish_email_outbox((select id from claim), (select claim_id from claim), 'smtp_unavailable: down'),
  'queued', 'a failed send goes back to the queue');
select ok((select next_attempt_at between now() + interval '4 seconds' and now() + interval '6 seconds'
             and secret is not null and last_error = 'smtp_unavailable: down'
             from private.email_outbox where id = (select id from claim)),
  'after the first failure the row waits 5 s and keeps its token');
select is((select max_attempts from private.email_outbox where id = (select id from claim)), 12,
  'a row gets 12 attempts by default (about 2 h 25 min of retries)');
select results_eq(
  $$ select private.email_backoff(n) from unnest(array[1, 2, 4, 20]) n $$,
  $$ values (interval '5 seconds'), (interval '10 seconds'), (interval '40 seconds'), (interval '1 hour') $$,
  'the backoff doubles from 5 s and stops at one hour');
select is_empty($$ select * from private.claim_email_outbox(10) $$, 'a row waiting for its backoff is not claimed');

update private.email_outbox set next_attempt_at = now(), max_attempts = 2 where id = (select id from claim);
truncate claim;
insert into claim select * from private.claim_email_outbox(10);
select is(private.finish_email_outbox((select id from claim), (select claim_id from claim), 'smtp_unavailable: down'),
  'failed', 'the last allowed attempt fails for good');
select ok((select secret is null from private.email_outbox where id = (select id from claim)),
  'a failed row forgets the token');
select results_eq($$ select email_status, email_attempts from interview_sessions where id = tests.id('session_a') $$,
  $$ values ('failed', 2) $$, 'the session shows the failure and the attempts');

-- A resend: a new token, a new email; the session mirrors the newest email.
select tests.authenticate_as('owner');
select private.queue_invitation_emails(jsonb_build_array(jsonb_build_object(
  'session_id', tests.id('session_a'), 'token_hash', encode(sha256('t2'::bytea), 'hex'), 'secret', 'bb')));
reset role;
select is((select token_hash from private.invitation_tokens where session_id = tests.id('session_a')),
  sha256('t2'::bytea), 'a resend replaces the token hash');
select is((select locale from private.email_outbox where session_id = tests.id('session_a') and status = 'queued'),
  'en', 'a resend without a locale keeps the previous one');
truncate claim;
insert into claim select * from private.claim_email_outbox(10);
select is(private.finish_email_outbox((select id from claim), (select claim_id from claim), null, false, '<m@x>'),
  'sent', 'a successful send is final');
select results_eq(
  $$ select email_status, email_attempts, email_sent_at is not null from interview_sessions where id = tests.id('session_a') $$,
  $$ values ('sent', 1, true) $$, 'the session shows the newest email as sent');

-- ---------------------------------------------------------------------------------------------------------------------
-- session changes
-- ---------------------------------------------------------------------------------------------------------------------

select tests.authenticate_as('owner');
select private.queue_invitation_emails(jsonb_build_array(jsonb_build_object(
  'session_id', tests.id('session_b'), 'token_hash', encode(sha256('t3'::bytea), 'hex'), 'secret', 'cc')));
reset role;
select is_empty($$ select * from private.invitation_tokens where session_id = tests.id('session_b') $$,
  'an active account gets no activation token');
select is((select secret from private.email_outbox where session_id = tests.id('session_b')), null,
  'and its email carries no activation link (it links to the interview)');
update auth.users set raw_app_meta_data = raw_app_meta_data || '{"invitation_pending": true}'
 where id = tests.id('candidate_b');
select tests.authenticate_as('owner');
select private.queue_invitation_emails(jsonb_build_array(jsonb_build_object(
  'session_id', tests.id('session_b'), 'token_hash', encode(sha256('t3'::bytea), 'hex'), 'secret', 'cc')));
update interview_sessions set deadline = now() + interval '3 days' where id = tests.id('session_b');
reset role;
select is((select expires_at from private.invitation_tokens where session_id = tests.id('session_b')),
  (select deadline from interview_sessions where id = tests.id('session_b')), 'the token follows a deadline change');
select tests.authenticate_as('owner');
select withdraw_interview(tests.id('session_b'));
reset role;
select is_empty($$ select 1 from private.email_outbox where session_id = tests.id('session_b') and status = 'queued' $$,
  'withdrawing cancels the queued email');
select is((select count(*)::int from private.email_outbox where session_id = tests.id('session_b') and secret is not null), 0,
  'and no email keeps a token');

-- ---------------------------------------------------------------------------------------------------------------------
-- reminders
-- ---------------------------------------------------------------------------------------------------------------------

update interview_sessions set deadline = now() + interval '23 hours' where id = tests.id('session_a');
update interview_sessions set deadline = now() + interval '30 hours' where id = tests.id('stranger_session_b');
select results_eq(
  $$ select session_id, needs_token from private.due_reminder_sessions(100) $$,
  $$ values (tests.id('session_a'), true) $$,
  'only a session within 24 h of its deadline is due, and its unused token means a fresh link');
select is(
  (select count(*)::int from private.queue_reminder_emails(jsonb_build_array(jsonb_build_object(
     'session_id', tests.id('session_a'), 'token_hash', encode(sha256('t4'::bytea), 'hex'), 'secret', 'dd')))),
  1, 'the reminder is queued');
select is(
  (select count(*)::int from private.queue_reminder_emails(jsonb_build_array(jsonb_build_object(
     'session_id', tests.id('session_a'), 'token_hash', encode(sha256('t5'::bytea), 'hex'), 'secret', 'ee')))),
  0, 'a second reminder for the session is never queued');
select is((select token_hash from private.invitation_tokens where session_id = tests.id('session_a')),
  sha256('t4'::bytea), 'the token was replaced once, by the reminder that was queued');
select is((select locale from private.email_outbox where session_id = tests.id('session_a') and kind = 'reminder'),
  'en', 'the reminder speaks the language of the invitation');
select is_empty($$ select * from private.due_reminder_sessions(100) $$, 'a reminded session is no longer due');

-- Only a candidate who may still answer is reminded: a session completed, withdrawn or expired is over, even with its
-- deadline in the next 24 h. One session per status, all due in 12 h, moved through the state machine.
with c as (
  insert into candidates (email, first_name, last_name)
  select n || '@test.local', 'Rita', n from unnest(array['invited', 'in_progress', 'completed', 'withdrawn', 'expired']) n
  returning id, last_name
)
insert into tests.fixture_ids select 'cand_' || c.last_name, c.id from c;
with s as (
  insert into interview_sessions (campaign_id, candidate_id, invited_by, deadline)
  select tests.id('campaign'), f.id, tests.id('owner'), now() + interval '12 hours'
    from tests.fixture_ids f
   where f.name in ('cand_invited', 'cand_in_progress', 'cand_completed', 'cand_withdrawn', 'cand_expired')
  returning id, candidate_id
)
insert into tests.fixture_ids select 'session_' || substr(f.name, 6), s.id from s join tests.fixture_ids f on f.id = s.candidate_id;
update interview_sessions set status = 'in_progress'
 where id in (tests.id('session_in_progress'), tests.id('session_completed'));
update interview_sessions set status = 'completed' where id = tests.id('session_completed');
update interview_sessions set status = 'withdrawn' where id = tests.id('session_withdrawn');
update interview_sessions set status = 'expired' where id = tests.id('session_expired');
select results_eq(
  $$ select status::text from interview_sessions
      where id in (tests.id('session_completed'), tests.id('session_withdrawn'), tests.id('session_expired'))
        and deadline between now() and now() + interval '24 hours'
      order by status $$,
  $$ values ('completed'), ('expired'), ('withdrawn') $$,
  'the closed sessions have their deadline within 24 h, so only their status can keep them out');
select set_eq(
  $$ select session_id from private.due_reminder_sessions(100) $$,
  $$ values (tests.id('session_invited')), (tests.id('session_in_progress')) $$,
  'an invited and an in_progress session are due; a completed, withdrawn or expired one is not');

select is(
  (select count(*)::int from private.queue_reminder_emails(
     (select jsonb_agg(jsonb_build_object('session_id', session_id)) from private.due_reminder_sessions(100)))),
  2, 'the reminder job queues one reminder for each of the two');
update interview_sessions set status = 'completed' where id = tests.id('session_in_progress');
select results_eq(
  $$ select s.status::text, o.status from private.email_outbox o join interview_sessions s on s.id = o.session_id
      where o.kind = 'reminder' and o.session_id in (tests.id('session_invited'), tests.id('session_in_progress'))
      order by s.status $$,
  $$ values ('invited', 'queued'), ('completed', 'cancelled') $$,
  'a candidate who completes before the reminder goes out does not get it');
select is_empty(
  $$ select 1 from private.email_outbox
      where kind = 'reminder'
        and session_id in (tests.id('session_completed'), tests.id('session_withdrawn'), tests.id('session_expired')) $$,
  'no reminder was ever queued for the closed sessions');

select * from finish();
rollback;
