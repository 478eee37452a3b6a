-- Link-only access: a link sign-in (POST /activation/link) is counted on the token and leaves it usable, so the same
-- email link works again and the password path stays open; it refuses every unusable token like the preview; the
-- preview returns the privacy notice and the candidate's time zone; no client role reaches any of it.
begin;
set local search_path = public, extensions, tests;
select plan(11);

select tests.create_interview_world();
update auth.users set raw_app_meta_data = raw_app_meta_data || '{"invitation_pending": true}'
 where id in (tests.id('candidate_a'), tests.id('candidate_b'));
insert into private.invitation_tokens (session_id, token_hash, expires_at)
values (tests.id('session_a'), sha256('link-a'::bytea), now() + interval '10 days'),
       (tests.id('session_b'), sha256('link-b'::bytea), now() + interval '10 days');
update private.invitation_tokens set revoked_at = now() where session_id = tests.id('session_b');

select results_eq(
  $$ select session_id, user_id, email from private.record_link_sign_in(sha256('link-a'::bytea)) $$,
  $$ select tests.id('session_a'), tests.id('candidate_a'), 'candidate_a@test.local'::text $$,
  'a usable token names whom to sign in');
select results_eq(
  $$ select session_id from private.record_link_sign_in(sha256('link-a'::bytea)) $$,
  $$ select tests.id('session_a') $$,
  'the same link works again');
select results_eq(
  $$ select link_sign_ins, last_link_sign_in_at is not null, used_at is null
       from private.invitation_tokens where session_id = tests.id('session_a') $$,
  $$ values (2, true, true) $$,
  'each link sign-in is counted, and the token is not consumed');
select results_eq(
  $$ select session_id from private.consume_invitation_token(sha256('link-a'::bytea)) $$,
  $$ select tests.id('session_a') $$,
  'the password path still activates with the same token');
select throws_ok($$ select * from private.record_link_sign_in(sha256('link-a'::bytea)) $$,
  'PT409', 'invitation_used', 'once used for a password, the link signs nobody in');
select throws_ok($$ select * from private.record_link_sign_in(sha256('link-b'::bytea)) $$,
  'PT410', 'invitation_revoked', 'a revoked link signs nobody in');
select throws_ok($$ select * from private.record_link_sign_in(sha256('nothing'::bytea)) $$,
  'PT404', 'invitation_not_found', 'an unknown link signs nobody in');
select is((select link_sign_ins from private.invitation_tokens where session_id = tests.id('session_b')), 0,
  'a refused link sign-in records nothing');

update private.invitation_tokens set used_at = null, revoked_at = null;
select results_eq(
  $$ select time_zone, (privacy_notice ->> 'version')::int, (privacy_notice ->> 'retention_days')::int
       from private.invitation_preview(sha256('link-a'::bytea)) $$,
  $$ values ('UTC'::text, 1, 90) $$,
  'the preview returns the candidate''s time zone and the privacy notice');

select tests.authenticate_as('candidate_a');
select throws_ok($$ select * from private.record_link_sign_in(sha256('link-a'::bytea)) $$,
  '42501', null, 'a signed-in user cannot call the link helper');
select tests.authenticate_as_service_role();
select throws_ok($$ select * from private.record_link_sign_in(sha256('link-a'::bytea)) $$,
  '42501', null, 'nor the service role (the activation function runs as the database owner)');

select * from finish();
rollback;
