-- Consent before recording: start_interview refuses until the candidate accepted the current version of the
-- campaign's privacy notice; the acceptance (version, time) is on the session, read by the team, and audited; a
-- changed notice (text, contact or retention) is a new version and asks again; the notice reaches the candidate
-- through my_interviews with the retention period.
begin;
set local search_path = public, extensions, tests;
select plan(21);
select tests.create_interview_world();

-- The world's candidates accepted version 1; this file starts session_a from nothing accepted.
update interview_sessions set privacy_notice_version_accepted = null, privacy_notice_accepted_at = null
 where id = tests.id('session_a');

select tests.authenticate_as('candidate_a');
select throws_ok($$ select public.start_interview(tests.id('session_a')) $$,
  'PT409', 'privacy_notice_not_accepted', 'no start before the notice is accepted');
select results_eq(
  $$ select (privacy_notice ->> 'version')::int, (privacy_notice ->> 'retention_days')::int,
            privacy_notice ->> 'controller', privacy_notice_accepted
       from public.my_interviews() where session_id = tests.id('session_a') $$,
  $$ values (1, 90, 'Acme', false) $$,
  'my_interviews returns the notice (version, retention from retention_days, controller) and that it is not accepted');
select ok((select privacy_notice ->> 'text' from public.my_interviews() where session_id = tests.id('session_a'))
            like '%90 days%',
  'the standard notice says how long videos are kept');
select throws_ok($$ select public.accept_privacy_notice(tests.id('session_a'), 2) $$,
  'PT409', 'privacy_notice_changed', 'accepting a version that is not the current one is refused');
select throws_ok($$ select public.accept_privacy_notice(tests.id('session_b'), 1) $$,
  'PT404', 'session_not_found', 'nobody accepts for another candidate');
select lives_ok($$ select public.accept_privacy_notice(tests.id('session_a'), 1) $$, 'the candidate accepts version 1');
select lives_ok($$ select public.accept_privacy_notice(tests.id('session_a'), 1) $$, 'accepting again is harmless');
select is((select status::text from public.start_interview(tests.id('session_a'))), 'in_progress',
  'once accepted, the interview starts');

select tests.authenticate_as('reviewer');
select results_eq(
  $$ select privacy_notice_version_accepted, privacy_notice_accepted_at is not null
       from interview_sessions where id = tests.id('session_a') $$,
  $$ values (1, true) $$,
  'the campaign''s team reads the accepted version and when');
select tests.authenticate_as('owner');
select is((select count(*)::int from audit_log
            where entity_id = tests.id('session_a') and action = 'session.privacy_notice_accepted'), 1,
  'one acceptance is one audit entry (the repeat wrote none)');

select throws_ok($$ update interview_sessions set privacy_notice_version_accepted = 9 where id = tests.id('session_a') $$,
  '42501', null, 'nobody writes the acceptance directly');
select throws_ok($$ update campaigns set privacy_notice_version = 7 where id = tests.id('campaign') $$,
  '42501', null, 'nobody writes the version directly');
select throws_ok($$ update campaigns set privacy_contact = E'dpo@acme.test\nBcc: x' where id = tests.id('campaign') $$,
  '23514', null, 'the contact is one line');

-- A changed notice asks again.
update campaigns set privacy_notice = 'Acme keeps your videos for 90 days. Contact dpo@acme.test.',
                     privacy_contact = 'dpo@acme.test'
 where id = tests.id('campaign');
select is((select privacy_notice_version from campaigns where id = tests.id('campaign')), 2,
  'changing the notice makes version 2 (one update, one version)');
update campaigns set title = 'Backend engineer (remote)' where id = tests.id('campaign');
select is((select privacy_notice_version from campaigns where id = tests.id('campaign')), 2,
  'a change elsewhere keeps the version');
update campaigns set retention_days = 30 where id = tests.id('campaign');
select is((select privacy_notice_version from campaigns where id = tests.id('campaign')), 3,
  'a new retention period is a new notice');

select tests.authenticate_as('candidate_a');
select throws_ok($$ select public.start_interview(tests.id('session_a')) $$,
  'PT409', 'privacy_notice_not_accepted', 'a changed notice asks again, even of a candidate who had started');
select results_eq(
  $$ select privacy_notice ->> 'text', privacy_notice ->> 'contact', privacy_notice_accepted
       from public.my_interviews() where session_id = tests.id('session_a') $$,
  $$ values ('Acme keeps your videos for 90 days. Contact dpo@acme.test.', 'dpo@acme.test', false) $$,
  'the candidate reads the campaign''s own text and contact');
select lives_ok($$ select public.accept_privacy_notice(tests.id('session_a'), 3) $$, 'accepting version 3');
select tests.clear_authentication();
select throws_ok($$ select public.accept_privacy_notice(tests.id('session_a'), 3) $$,
  '42501', null, 'anonymous callers accept nothing');
select tests.authenticate_as('candidate_a');
select is((select status::text from public.start_interview(tests.id('session_a'))), 'in_progress',
  'and the interview goes on');

select * from finish();
rollback;
