-- Activation helpers: a usable token is consumed once, every unusable one is refused with its own code, the preview
-- shows the campaign and nothing about the person, and no client role can reach any of it.
begin;
set local search_path = public, extensions, tests;
select plan(29);

select tests.create_interview_world();
-- the fixture's candidates stand for invited placeholders: confirmed, with invitation_pending (what invitations sets)
update auth.users set raw_app_meta_data = raw_app_meta_data || '{"invitation_pending": true}'
 where id in (tests.id('candidate_a'), tests.id('candidate_b'));

-- tokens: session_a usable; session_b used; stranger_session_b revoked. Extra sessions for expiry cases.
insert into private.invitation_tokens (session_id, token_hash, expires_at)
values (tests.id('session_a'), sha256('token-a'::bytea), now() + interval '10 days'),
       (tests.id('session_b'), sha256('token-b'::bytea), now() + interval '10 days'),
       (tests.id('stranger_session_b'), sha256('token-revoked'::bytea), now() + interval '10 days');
update private.invitation_tokens set used_at = now() where session_id = tests.id('session_b');
update private.invitation_tokens set revoked_at = now() where session_id = tests.id('stranger_session_b');

-- a placeholder created unconfirmed (no flag) invited to a second campaign whose token has expired
select tests.create_user('late', 'candidate');
update auth.users set email_confirmed_at = null where id = tests.get_user_id('late');
insert into tests.fixture_ids select 'cand_late', c.id from candidates c where c.user_id = tests.get_user_id('late');
with s as (
  insert into interview_sessions (campaign_id, candidate_id, invited_by)
  values (tests.id('campaign'), tests.id('cand_late'), tests.id('owner')) returning id
)
insert into tests.fixture_ids select 'session_late', s.id from s;
insert into private.invitation_tokens (session_id, token_hash, expires_at)
values (tests.id('session_late'), sha256('token-late'::bytea), now() + interval '1 day');
update private.invitation_tokens set expires_at = now() - interval '1 second'
 where session_id = tests.id('session_late');

-- ---------------------------------------------------------------------------------------------------------------------
-- refusals, each with its own code
-- ---------------------------------------------------------------------------------------------------------------------

select throws_ok($$ select * from private.consume_invitation_token(sha256('no-such-token'::bytea)) $$,
  'PT404', 'invitation_not_found', 'an unknown token is invitation_not_found');
select throws_ok($$ select * from private.consume_invitation_token(sha256('token-b'::bytea)) $$,
  'PT409', 'invitation_used', 'a used token is invitation_used');
select throws_ok($$ select * from private.consume_invitation_token(sha256('token-revoked'::bytea)) $$,
  'PT410', 'invitation_revoked', 'a revoked token is invitation_revoked');
select throws_ok($$ select * from private.consume_invitation_token(sha256('token-late'::bytea)) $$,
  'PT410', 'invitation_expired', 'a token past its expiry is invitation_expired');
select throws_ok($$ select * from private.invitation_preview(sha256('no-such-token'::bytea)) $$,
  'PT404', 'invitation_not_found', 'the preview refuses an unknown token the same way');
select throws_ok($$ select * from private.invitation_preview(sha256('token-b'::bytea)) $$,
  'PT409', 'invitation_used', 'the preview refuses a used token the same way');
select throws_ok($$ select * from private.invitation_preview(sha256('token-revoked'::bytea)) $$,
  'PT410', 'invitation_revoked', 'the preview refuses a revoked token the same way');
select throws_ok($$ select * from private.invitation_preview(sha256('token-late'::bytea)) $$,
  'PT410', 'invitation_expired', 'the preview refuses an expired token the same way');

-- ---------------------------------------------------------------------------------------------------------------------
-- the preview
-- ---------------------------------------------------------------------------------------------------------------------

select results_eq(
  $$ select campaign_title, company, deadline from private.invitation_preview(sha256('token-a'::bytea)) $$,
  $$ select 'Backend engineer'::text, 'Acme'::text, s.deadline from interview_sessions s where s.id = tests.id('session_a') $$,
  'the preview of a usable token is the campaign title, the company and the deadline');
select is(
  (select proargnames from pg_proc where oid = 'private.invitation_preview(bytea)'::regprocedure),
  array['p_token_hash', 'campaign_title', 'company', 'deadline', 'time_zone', 'privacy_notice'],
  'the preview has exactly these output columns: no email, no names');
select is((select used_at from private.invitation_tokens where session_id = tests.id('session_a')), null,
  'a preview does not consume the token');

-- ---------------------------------------------------------------------------------------------------------------------
-- consumption
-- ---------------------------------------------------------------------------------------------------------------------

select results_eq(
  $$ select session_id, candidate_id, user_id, email from private.consume_invitation_token(sha256('token-a'::bytea)) $$,
  $$ select tests.id('session_a'), tests.id('cand_a'), tests.id('candidate_a'), 'candidate_a@test.local'::text $$,
  'a usable token gives the session, the candidate and the auth user to activate');
select isnt((select used_at from private.invitation_tokens where session_id = tests.id('session_a')), null,
  'consuming marks the token used');
select throws_ok($$ select * from private.consume_invitation_token(sha256('token-a'::bytea)) $$,
  'PT409', 'invitation_used', 'a token works once: the second use is invitation_used');

-- an account that is already active (activated earlier, or a self sign-up) is told to log in
with s as (
  insert into interview_sessions (campaign_id, candidate_id, invited_by)
  values (tests.id('stranger_campaign'), tests.id('cand_a'), tests.id('stranger')) returning id
)
insert into tests.fixture_ids select 'session_a2', s.id from s;
insert into private.invitation_tokens (session_id, token_hash, expires_at)
values (tests.id('session_a2'), sha256('token-a2'::bytea), now() + interval '10 days');
select results_eq(
  $$ select campaign_title from private.invitation_preview(sha256('token-a2'::bytea)) $$,
  $$ values ('Globex sales'::text) $$,
  'while invitation_pending is true the account may still be activated');
update auth.users set raw_app_meta_data = raw_app_meta_data - 'invitation_pending'
 where id = tests.id('candidate_a');
select throws_ok($$ select * from private.consume_invitation_token(sha256('token-a2'::bytea)) $$,
  'PT400', 'account_already_active', 'a valid token of a confirmed account without the flag is account_already_active');
select throws_ok($$ select * from private.invitation_preview(sha256('token-a2'::bytea)) $$,
  'PT400', 'account_already_active', 'the preview says account_already_active too');
select is((select used_at from private.invitation_tokens where session_id = tests.id('session_a2')), null,
  'the refused activation left the token unused');
update auth.users set raw_app_meta_data = raw_app_meta_data || '{"invitation_pending": false}'
 where id = tests.id('candidate_a');
select throws_ok($$ select * from private.consume_invitation_token(sha256('token-a2'::bytea)) $$,
  'PT400', 'account_already_active', 'invitation_pending false (cleared by activation) is active too');
update auth.users set email_confirmed_at = null where id = tests.id('candidate_a');
select results_eq(
  $$ select user_id from private.consume_invitation_token(sha256('token-a2'::bytea)) $$,
  $$ values (tests.id('candidate_a')) $$,
  'an unconfirmed account may be activated: the emailed token proves the address');

-- a withdrawn session's token is revoked, whatever the token row says
with s as (
  insert into interview_sessions (campaign_id, candidate_id, invited_by)
  values (tests.id('campaign'), tests.id('uninvited'), tests.id('owner')) returning id
)
insert into tests.fixture_ids select 'session_u', s.id from s;
insert into private.invitation_tokens (session_id, token_hash, expires_at)
values (tests.id('session_u'), sha256('token-u'::bytea), now() + interval '10 days');
update interview_sessions set status = 'withdrawn' where id = tests.id('session_u');
select throws_ok($$ select * from private.consume_invitation_token(sha256('token-u'::bytea)) $$,
  'PT410', 'invitation_revoked', 'the token of a withdrawn session is invitation_revoked');
update interview_sessions set status = 'expired' where id = tests.id('session_late');
update private.invitation_tokens set expires_at = now() + interval '1 day' where session_id = tests.id('session_late');
select throws_ok($$ select * from private.consume_invitation_token(sha256('token-late'::bytea)) $$,
  'PT410', 'invitation_expired', 'the token of an expired session is invitation_expired');

-- a candidate row without an auth user (created by an admin) can be activated: user_id comes back null
delete from private.invitation_tokens where session_id = tests.id('session_u');
with s as (
  insert into interview_sessions (campaign_id, candidate_id, invited_by)
  values (tests.id('stranger_campaign'), tests.id('uninvited'), tests.id('stranger')) returning id
)
insert into tests.fixture_ids select 'session_u2', s.id from s;
insert into private.invitation_tokens (session_id, token_hash, expires_at)
values (tests.id('session_u2'), sha256('token-u2'::bytea), now() + interval '10 days');
select results_eq(
  $$ select user_id, email from private.consume_invitation_token(sha256('token-u2'::bytea)) $$,
  $$ values (null::uuid, 'uninvited@test.local'::text) $$,
  'a candidate without an auth user comes back with user_id null and the candidate email');

-- ---------------------------------------------------------------------------------------------------------------------
-- the profile given at activation
-- ---------------------------------------------------------------------------------------------------------------------

select private.apply_activation_profile(tests.id('cand_a'), 'Adele', null, '+33 6 00', null);
select results_eq(
  $$ select first_name, last_name, phone, linkedin_url from candidates where id = tests.id('cand_a') $$,
  $$ values ('Adele'::text, 'A'::text, '+33 6 00'::text, null::text) $$,
  'activation updates the fields given and keeps the others');
select is((select first_name from profiles where id = tests.id('candidate_a')), 'Adele',
  'the new first name reaches the profile');

-- ---------------------------------------------------------------------------------------------------------------------
-- no client role can reach tokens or the helpers
-- ---------------------------------------------------------------------------------------------------------------------

select tests.authenticate_as('candidate_a');
select throws_ok($$ select * from private.invitation_preview(sha256('token-a2'::bytea)) $$,
  '42501', null, 'a signed-in user cannot call the preview helper');
select throws_ok($$ select * from private.consume_invitation_token(sha256('token-a2'::bytea)) $$,
  '42501', null, 'a signed-in user cannot consume a token');
select tests.clear_authentication();
select throws_ok($$ select * from private.invitation_preview(sha256('token-a2'::bytea)) $$,
  '42501', null, 'anonymous cannot call the preview helper');
select tests.authenticate_as_service_role();
select throws_ok($$ select * from private.consume_invitation_token(sha256('token-a2'::bytea)) $$,
  '42501', null, 'the service role cannot consume a token through SQL either');
reset role;

select * from finish();
rollback;
