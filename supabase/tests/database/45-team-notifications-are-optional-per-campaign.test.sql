-- Team notifications (20261203510000_team_notifications.sql): off by default; with notify_on_completion the team is
-- emailed once each when an interview completes; with review_digest each member gets at most one digest a day, with
-- counts of what waits for their own rating; only the owner changes the settings; the outbox keeps every kind.
begin;
set local search_path = public, extensions, tests;
select plan(22);

-- Fixtures: the shared world; q2 is made practice, so one answer (q1) completes a session.
-- (The id in a variable: the planner would evaluate tests.id() with the block's first snapshot, before the fixtures.)
do $$
declare
  q2 uuid;
begin
  perform tests.create_interview_world();
  q2 := tests.id('q2');
  update public.questions set is_practice = true where id = q2;
end
$$;

-- Completes a session as its candidate would: the first (only rated) question answered, then finish_interview.
create function pg_temp.complete(session_name text, candidate text) returns uuid language plpgsql as $$
declare
  r uuid := tests.answer_first_question(session_name, candidate);
begin
  perform tests.authenticate_as(candidate);
  perform public.finish_interview(tests.id(session_name));
  perform set_config('role', 'none', true);
  return r;
end
$$;

-- ---------------------------------------------------------------------------------------------------------------------
-- the settings: off by default; the owner's to change
-- ---------------------------------------------------------------------------------------------------------------------

select is((select (notify_on_completion, review_digest)::text from campaigns where id = tests.id('campaign')),
  '(f,f)', 'both notifications are off by default');

select tests.authenticate_as('editor');
select is(tests.outcome($$ update campaigns set notify_on_completion = true where id = tests.id('campaign') $$),
  'rows:0', 'an editor cannot switch them on (the campaign''s settings are the owner''s)');
select tests.authenticate_as('reviewer');
select is(tests.outcome($$ update campaigns set review_digest = true where id = tests.id('campaign') $$),
  'rows:0', 'a reviewer cannot either');
select tests.authenticate_as('stranger');
select is(tests.outcome($$ update campaigns set review_digest = true where id = tests.id('campaign') $$),
  'rows:0', 'a stranger cannot (the campaign is invisible)');
select tests.authenticate_as('candidate_a');
select is(tests.outcome($$ update campaigns set review_digest = true where id = tests.id('campaign') $$),
  'rows:0', 'the candidate cannot');
select tests.clear_authentication();
select is(tests.outcome($$ update campaigns set review_digest = true where id = tests.id('campaign') $$),
  'error:42501', 'anon cannot');

-- ---------------------------------------------------------------------------------------------------------------------
-- off: completing queues no notice
-- ---------------------------------------------------------------------------------------------------------------------

select set_config('role', 'none', true);
select pg_temp.complete('session_b', 'candidate_b');
select is((select count(*)::int from private.email_outbox where kind = 'completion_notice'), 0,
  'with notifications off, a completed interview emails nobody on the team');

-- ---------------------------------------------------------------------------------------------------------------------
-- on: one notice per team member, in the completing transaction
-- ---------------------------------------------------------------------------------------------------------------------

select tests.authenticate_as('owner');
select is(tests.outcome($$ update campaigns set notify_on_completion = true, review_digest = true
                           where id = tests.id('campaign') $$), 'rows:1', 'the owner switches both on');
update campaigns set notify_on_completion = true, review_digest = true where id = tests.id('campaign');
select set_config('role', 'none', true);
select pg_temp.complete('session_a', 'candidate_a');

select bag_eq($$ select to_email from private.email_outbox where kind = 'completion_notice' $$,
  $$ values ('owner@test.local'), ('editor@test.local'), ('reviewer@test.local') $$,
  'the owner, the editor and the reviewer are each emailed once');
select is((select count(*)::int from private.email_outbox
            where kind = 'completion_notice' and session_id <> tests.id('session_a')), 0,
  'only the session that completed is notified');
select is((select params ->> 'candidate_name' from private.email_outbox
            where kind = 'completion_notice' and to_email = 'owner@test.local'), 'Ada A',
  'the notice names the candidate');
select is((select (params ->> 'answer_count')::int from private.email_outbox
            where kind = 'completion_notice' and to_email = 'owner@test.local'), 1,
  'and counts the submitted (rated) answers');
select is((select status from private.email_outbox where kind = 'completion_notice' and to_email = 'owner@test.local'),
  'queued', 'the notices wait for the outbox job');
select is((select count(*)::int from private.email_outbox where kind = 'receipt' and session_id = tests.id('session_a')),
  1, 'the candidate''s receipt is still queued beside them');

-- ---------------------------------------------------------------------------------------------------------------------
-- the daily digest
-- ---------------------------------------------------------------------------------------------------------------------

-- session_a and session_b each have one submitted answer of q1; the owner rates session_a's.
select tests.authenticate_as('owner');
insert into evaluations (response_id, score)
select v.id, 4 from video_responses v where v.session_id = tests.id('session_a');
select tests.authenticate_as_service_role();
select is(public.queue_review_digests(), 3, 'the scheduler queues one digest for each member with something waiting');
select set_config('role', 'none', true);
select is((select (params ->> 'pending_total')::int from private.email_outbox
            where kind = 'review_digest' and to_email = 'owner@test.local'), 1,
  'the owner''s digest counts only what they have not rated');
select is((select (params ->> 'pending_total')::int from private.email_outbox
            where kind = 'review_digest' and to_email = 'reviewer@test.local'), 2,
  'the reviewer''s digest counts both answers');
select ok((select params::text !~ '"score"' from private.email_outbox
            where kind = 'review_digest' and to_email = 'reviewer@test.local'),
  'a digest carries counts, never anyone''s scores (blind review)');
select tests.authenticate_as_service_role();
select is(public.queue_review_digests(), 0, 'a second run the same day queues nothing');
select set_config('role', 'none', true);
select is((select count(*)::int from private.email_outbox where kind = 'review_digest' and to_email like 'stranger%'),
  0, 'nobody off the campaign gets a digest of it');

select tests.authenticate_as('owner');
select throws_ok($$ select public.queue_review_digests() $$, '42501', null,
  'signed-in users cannot queue digests (service role and the scheduler only)');
select set_config('role', 'none', true);
select ok((select pg_get_constraintdef(oid) ~ 'invitation.*reminder.*colleague_invitation.*receipt.*completion_notice.*review_digest'
             from pg_constraint where conname = 'email_outbox_kind_check'),
  'the outbox keeps every earlier kind beside the two new ones');

select * from finish();
rollback;
