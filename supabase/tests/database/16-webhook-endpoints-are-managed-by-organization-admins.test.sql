-- Webhooks (issue 14 item 9): endpoints are registered by an organization's owners and admins through
-- create_webhook_endpoint(), which returns the secret once; the secret is readable by no client afterwards; the URL,
-- event types and campaign filter follow the rules whoever writes them; changes record one event per subscribed
-- endpoint in the same transaction, and none when nobody subscribed; the worker's functions retry with backoff,
-- stop after the last attempt, disable an endpoint that has failed for too long (its owners and admins are emailed),
-- and a replay re-queues a delivery.
begin;
set local search_path = public, extensions, tests;
select plan(46);

select tests.create_interview_world();

-- ---------------------------------------------------------------------------------------------------------------------
-- creation and the secret
-- ---------------------------------------------------------------------------------------------------------------------
select tests.authenticate_as('owner');
create temporary table hook on commit drop as
  select public.create_webhook_endpoint(tests.id('acme'), 'https://ats.example.com/hooks',
           '{session.started,session.invited,session.started}') as j;
select ok((select j ->> 'secret' ~ '^whsec_[A-Za-z0-9+/]{43}=$' from hook),
  'the owner registers an endpoint and gets a whsec_ secret of 32 random bytes');
select is((select (j -> 'event_types')::text from hook), '["session.invited", "session.started"]',
  'event types are stored once each, sorted');
select ok((select j ->> 'organization_id' = tests.id('acme')::text and j ->> 'url' = 'https://ats.example.com/hooks'
              and (j ->> 'enabled')::boolean from hook), 'the answer is the new, enabled endpoint');
select is((select count(*)::int from webhook_endpoints), 1, 'the owner reads the endpoint');
select throws_ok($$ select secret from private.webhook_secrets $$, '42501', null,
  'the owner cannot read the secret afterwards');
select is_empty($$ select 1 from webhook_endpoints e where to_jsonb(e)::text like '%whsec_%' $$,
  'the endpoint row carries no secret');

select tests.authenticate_as('editor');
select throws_ok(
  $$ select public.create_webhook_endpoint(tests.id('acme'), 'https://ats.example.com/x', '{session.invited}') $$,
  '42501', 'not_organization_admin', 'a member of the organization cannot register an endpoint');
select tests.authenticate_as('stranger');
select throws_ok(
  $$ select public.create_webhook_endpoint(tests.id('acme'), 'https://ats.example.com/x', '{session.invited}') $$,
  '42501', 'not_organization_admin', 'another company cannot register an endpoint for Acme');
select tests.authenticate_as('candidate_a');
select throws_ok(
  $$ select public.create_webhook_endpoint(tests.id('acme'), 'https://ats.example.com/x', '{session.invited}') $$,
  '42501', 'not_organization_admin', 'a candidate cannot register an endpoint');
select tests.clear_authentication();
select throws_ok(
  $$ select public.create_webhook_endpoint(tests.id('acme'), 'https://ats.example.com/x', '{session.invited}') $$,
  '42501', null, 'anon cannot call create_webhook_endpoint');

-- ---------------------------------------------------------------------------------------------------------------------
-- the rules of an endpoint
-- ---------------------------------------------------------------------------------------------------------------------
select tests.authenticate_as('owner');
select throws_ok(
  $$ select public.create_webhook_endpoint(tests.id('acme'), 'http://ats.example.com/x', '{session.invited}') $$,
  '23514', 'webhook_url_invalid', 'plain http is refused');
select throws_ok(
  $$ select public.create_webhook_endpoint(tests.id('acme'), 'ftp://ats.example.com/x', '{session.invited}') $$,
  '23514', 'webhook_url_invalid', 'other schemes are refused');
select throws_ok(
  $$ select public.create_webhook_endpoint(tests.id('acme'), 'https://user@ats.example.com/x', '{session.invited}') $$,
  '23514', 'webhook_url_invalid', 'credentials in the URL are refused');
select throws_ok(
  $$ select public.create_webhook_endpoint(tests.id('acme'), E'https://ats.example.com/\nx', '{session.invited}') $$,
  '23514', 'webhook_url_invalid', 'a line break in the URL is refused');
select lives_ok(
  $$ select public.create_webhook_endpoint(tests.id('acme'), 'http://127.0.0.1:8080/hook', '{session.invited}') $$,
  'http to a loopback address is accepted by the database (the function allows it only when configured)');
select throws_ok(
  $$ select public.create_webhook_endpoint(tests.id('acme'), 'https://ats.example.com/x', '{}') $$,
  '23514', 'webhook_event_types_invalid', 'an endpoint subscribes to at least one event');
select throws_ok(
  $$ select public.create_webhook_endpoint(tests.id('acme'), 'https://ats.example.com/x', '{session.deleted}') $$,
  '23514', 'webhook_event_types_invalid', 'unknown event types are refused');
select throws_ok(
  $$ select public.create_webhook_endpoint(tests.id('acme'), 'https://ats.example.com/x', null) $$,
  '23514', 'webhook_event_types_invalid', 'no event types at all is refused');
select throws_ok(
  $$ select public.create_webhook_endpoint(tests.id('acme'), 'https://ats.example.com/x', '{session.invited}',
       tests.id('stranger_campaign')) $$,
  '23514', 'webhook_campaign_not_in_organization', 'the campaign filter must be a campaign of the organization');
select throws_ok(
  $$ update webhook_endpoints set url = 'http://ats.example.com' $$,
  '23514', 'webhook_url_invalid', 'the rules hold for edits through PostgREST too');
select throws_ok(
  $$ update webhook_endpoints set organization_id = tests.id('globex') $$,
  '42501', null, 'an endpoint cannot be moved to another organization');

-- ---------------------------------------------------------------------------------------------------------------------
-- events recorded in the transaction of the change
-- ---------------------------------------------------------------------------------------------------------------------
select tests.clear_authentication();
set local role postgres;
delete from webhook_endpoints;
select tests.authenticate_as('owner');
create temporary table filtered on commit drop as
  select public.create_webhook_endpoint(tests.id('acme'), 'https://ats.example.com/only-campaign',
           '{session.started,decision.made}', tests.id('campaign')) as j;
create temporary table everything on commit drop as
  select public.create_webhook_endpoint(tests.id('acme'), 'https://ats.example.com/all',
           '{session.started,session.completed,response.submitted,evaluation.created,decision.made,session.erased}')
           as j;
select tests.authenticate_as('candidate_a');
select public.start_interview(tests.id('session_a'));
select tests.clear_authentication();
set local role postgres;
select is((select count(*)::int from webhook_deliveries where event_type = 'session.started'), 2,
  'starting an interview queues session.started for both subscribed endpoints');
select is((select count(*)::int from private.webhook_events where type = 'session.started'), 1,
  'as one event');
select is((select payload ->> 'session_id' from private.webhook_events where type = 'session.started'),
  tests.id('session_a')::text, 'whose payload names the session');
select is((select payload -> 'candidate' ->> 'email' from private.webhook_events where type = 'session.started'),
  (select email from candidates where id = (select candidate_id from interview_sessions
                                             where id = tests.id('session_a'))),
  'and the candidate''s email, for the ATS to match');
select is_empty($$ select 1 from private.webhook_events where payload::text ~* '(object_key|token|campaigns/)' $$,
  'no payload carries a storage key or a token');
select is((select count(*)::int from webhook_deliveries where event_type = 'session.invited'), 0,
  'nothing is queued for events nobody subscribed to');

-- A response submitted: one event, the take's numbers, no storage key.
select tests.answer_first_question('session_a', 'candidate_a');
select tests.clear_authentication();
set local role postgres;
select is((select count(*)::int from webhook_deliveries where event_type = 'response.submitted'), 1,
  'a submitted answer queues response.submitted for the endpoint that wants it');
select ok((select payload ? 'take_number' and not payload ? 'object_key' from private.webhook_events
            where type = 'response.submitted'), 'with its take number and without its object key');

-- Erasure: ids only.
select tests.authenticate_as('owner');
select count(*) from public.erase_session(tests.id('session_b'));
select tests.clear_authentication();
set local role postgres;
select is((select count(*)::int from webhook_deliveries where event_type = 'session.erased'), 1,
  'erasing a session queues session.erased');
select is((select array_agg(k order by k) from private.webhook_events, jsonb_object_keys(payload) k
            where type = 'session.erased'), '{campaign_id,candidate_id,erased_at,session_id}',
  'which carries ids and the time only');

-- A disabled endpoint gets nothing.
update webhook_endpoints set enabled = false where id = (select (j ->> 'id')::uuid from everything);
select tests.authenticate_as('owner');
insert into session_decisions (session_id, decision) values (tests.id('session_a'), 'advance');
select tests.clear_authentication();
set local role postgres;
select is((select array_agg(endpoint_id) from webhook_deliveries where event_type = 'decision.made'),
  array[(select (j ->> 'id')::uuid from filtered)], 'a disabled endpoint is skipped');

-- ---------------------------------------------------------------------------------------------------------------------
-- the worker's functions: backoff, last attempt, disabling, replay
-- ---------------------------------------------------------------------------------------------------------------------
update webhook_endpoints set enabled = true;
create temporary table claimed on commit drop as
  select * from private.claim_webhook_deliveries(100, 60);
select ok((select count(*) > 0 from claimed), 'the worker claims the due deliveries');
select is_empty($$ select 1 from private.claim_webhook_deliveries(100, 60) $$,
  'a claimed delivery is not claimed again while its lease runs');
create temporary table one on commit drop as
  select * from claimed where event_type = 'session.started' order by delivery_id limit 1;
insert into tests.fixture_ids select 'one_delivery', delivery_id from one;
insert into tests.fixture_ids select 'one_endpoint', endpoint_id from one;
select is(private.finish_webhook_attempt((select delivery_id from one), 1, 'http_error', 500, 12, null, 'oops', 3,
  '3 days'), 'pending', 'a failed attempt leaves the delivery pending');
select ok((select next_attempt_at between now() + interval '29 seconds' and now() + interval '31 seconds'
             from webhook_deliveries where id = (select delivery_id from one)),
  'to be retried 30 seconds later');
select ok((select failing_since is not null from webhook_endpoints e join one on e.id = one.endpoint_id),
  'and the endpoint is marked failing');
update webhook_deliveries set attempts = 3 where id = (select delivery_id from one);
select is(private.finish_webhook_attempt((select delivery_id from one), 3, 'timeout', null, 5000, 'late', null, 3,
  '3 days'), 'failed', 'the last attempt that fails fails the delivery');
update webhook_endpoints set failing_since = now() - interval '4 days'
 where id = (select endpoint_id from one);
update webhook_deliveries set attempts = 1, status = 'pending' where id = (select delivery_id from one);
select is(private.finish_webhook_attempt((select delivery_id from one), 1, 'http_error', 503, 1, null, null, 3,
  '3 days'), 'disabled', 'a failure after three days of failures disables the endpoint');
select ok((select not enabled and disabled_reason = 'failing' from webhook_endpoints e join one on e.id = one.endpoint_id),
  'which says why');
select is((select count(*)::int from webhook_delivery_attempts where delivery_id = (select delivery_id from one)), 3,
  'every attempt is logged');
select is((select array_agg(to_email) from private.email_outbox where kind = 'webhook_disabled'),
  (select array_agg(email) from profiles where id = tests.id('owner')),
  'its owners and admins (here the owner alone) are emailed through the outbox, once; a manual disable emails nobody');
select is((select params ->> 'endpoint_host' from private.email_outbox where kind = 'webhook_disabled'),
  'ats.example.com', 'the email names the endpoint''s host, not its path or query');

select tests.authenticate_as('owner');
select throws_ok(format('select public.replay_webhook_delivery(%L)', tests.id('one_delivery')),
  'PT409', 'webhook_endpoint_disabled', 'a delivery to a disabled endpoint cannot be replayed');
update webhook_endpoints set enabled = true where id = tests.id('one_endpoint');
select is((select status from public.replay_webhook_delivery(tests.id('one_delivery'))), 'pending',
  'once enabled again, the owner replays it');
select tests.authenticate_as('reviewer');
select throws_ok(format('select public.replay_webhook_delivery(%L)', tests.id('one_delivery')),
  'PT404', 'webhook_delivery_not_found', 'a member cannot replay (nor learn the delivery exists)');

select * from finish();
rollback;
