-- Time zones and receipts in the outbox. A session carries the candidate's IANA time zone (the organization's by
-- default, any known zone on invitation, owners and editors change it), and every email of the session carries it;
-- a bad zone is refused. When a session completes, one receipt is queued listing each verified answer, and the
-- session shows when it was sent. The other kinds of the outbox keep working.
begin;
set local search_path = public, extensions, tests;
select plan(17);
select tests.create_interview_world();

update organizations set time_zone = 'Europe/Paris' where id = tests.id('acme');

-- ---------------------------------------------------------------------------------------------------------------------
-- time zones
-- ---------------------------------------------------------------------------------------------------------------------

with c as (insert into candidates (email) values ('tz.default@test.local'), ('tz.given@test.local') returning id, email)
insert into tests.fixture_ids select split_part(c.email, '@', 1), c.id from c;
select tests.authenticate_as('owner');
insert into interview_sessions (campaign_id, candidate_id) values (tests.id('campaign'), tests.id('tz.default'));
insert into interview_sessions (campaign_id, candidate_id, time_zone)
values (tests.id('campaign'), tests.id('tz.given'), 'America/New_York');
reset role;
select results_eq(
  $$ select candidate_id, time_zone from interview_sessions
      where candidate_id in (tests.id('tz.default'), tests.id('tz.given')) order by time_zone $$,
  $$ values (tests.id('tz.given'), 'America/New_York'), (tests.id('tz.default'), 'Europe/Paris') $$,
  'an invitation without a zone takes the organization''s; an inviter may give the candidate''s own');
select tests.authenticate_as('owner');
select is((select count(*)::int from interview_sessions where candidate_id = tests.id('tz.given')), 1,
  'the owner reads it');
select throws_ok(
  $$ update interview_sessions set time_zone = 'Mars/Olympus_Mons' where id = tests.id('session_a') $$,
  '23514', null, 'an unknown zone is refused');
select throws_ok(
  $$ update interview_sessions set time_zone = 'Europe/Paris; drop table x' where id = tests.id('session_a') $$,
  '23514', null, 'and so is anything that is not a zone name');
select tests.authenticate_as('candidate_a');
select is((select count(*)::int from (select 1 from interview_sessions where id = tests.id('session_a')) s), 1,
  'the candidate reads their session');
update interview_sessions set time_zone = 'Asia/Tokyo' where id = tests.id('session_a');
reset role;
select is((select time_zone from interview_sessions where id = tests.id('session_a')), 'UTC',
  'but cannot change its zone (RLS: 0 rows); the world''s sessions predate the Paris default');

-- The session's emails carry its zone, and follow a change while queued.
select tests.authenticate_as('owner');
select private.queue_invitation_emails(jsonb_build_array(jsonb_build_object(
  'session_id', tests.id('session_b'), 'token_hash', encode(sha256('tz-token'::bytea), 'hex'),
  'secret', '00', 'locale', 'en')));
update interview_sessions set time_zone = 'Australia/Sydney' where id = tests.id('session_b');
reset role;
select is((select params ->> 'time_zone' from private.email_outbox where session_id = tests.id('session_b')),
  'Australia/Sydney', 'a queued email carries the session''s current zone');
select is((select params ->> 'deadline' from private.email_outbox where session_id = tests.id('session_b'))::timestamptz,
  (select deadline from interview_sessions where id = tests.id('session_b')),
  'the deadline itself stays a UTC timestamp');

-- ---------------------------------------------------------------------------------------------------------------------
-- receipts
-- ---------------------------------------------------------------------------------------------------------------------

select tests.answer_first_question('session_a', 'candidate_a');
select is((select count(*)::int from private.email_outbox where session_id = tests.id('session_a') and kind = 'receipt'),
  0, 'no receipt while questions remain');
select tests.authenticate_as('candidate_a');
select public.reveal_next_question(tests.id('session_a'));
insert into video_responses (session_id, question_id, content_type, size_bytes)
values (tests.id('session_a'), tests.id('q2'), 'video/webm', 2000);
reset role;
select tests.authenticate_as_service_role();
select public.complete_response_upload(
  (select id from video_responses where session_id = tests.id('session_a') and question_id = tests.id('q2')),
  2000, now(), null, 4.5);
reset role;
select is((select status::text from interview_sessions where id = tests.id('session_a')), 'completed',
  'the last answer completes the session');
select results_eq(
  $$ select kind, status, to_email, jsonb_array_length(params -> 'answers')
       from private.email_outbox where session_id = tests.id('session_a') and kind = 'receipt' $$,
  $$ values ('receipt', 'queued', 'candidate_a@test.local', 2) $$,
  'completing queues one receipt to the candidate with both answers');
select results_eq(
  $$ select (a ->> 'position')::int, a ->> 'prompt', (a ->> 'take_number')::int, (a ->> 'duration_seconds')::numeric,
            (a ->> 'received_at') is not null
       from private.email_outbox o, jsonb_array_elements(o.params -> 'answers') a
      where o.session_id = tests.id('session_a') and o.kind = 'receipt' order by 1 $$,
  $$ values (1, 'Why us?', 1, null::numeric, true), (2, 'A hard bug you fixed?', 1, 4.5, true) $$,
  'each answer: the question, the take, the verified duration and when the store received it');
select throws_ok(
  $$ insert into private.email_outbox (kind, session_id, locale, to_email) values ('receipt', tests.id('session_a'), 'en', 'x@test.local') $$,
  '23505', null, 'at most one receipt per session');
select lives_ok(
  $$ insert into private.email_outbox (kind, session_id, locale, to_email) values ('reminder', tests.id('session_b'), 'en', 'x@test.local') $$,
  'the other kinds stay allowed (a reminder)');

select private.finish_email_outbox(o.id, o.claim_id) from private.claim_email_outbox(10,
  array(select id from private.email_outbox where session_id = tests.id('session_a') and kind = 'receipt')) o;
select ok((select receipt_sent_at is not null from interview_sessions where id = tests.id('session_a')),
  'the session shows when its receipt was sent');
select is((select email_status from interview_sessions where id = tests.id('session_a')), null,
  'a receipt is not the invitation email (email_status untouched)');
select ok((select pg_get_constraintdef(oid) ~ 'invitation.*reminder.*colleague_invitation.*receipt'
             from pg_constraint where conname = 'email_outbox_kind_check'),
  'the outbox keeps every earlier kind beside receipt');

select * from finish();
rollback;
