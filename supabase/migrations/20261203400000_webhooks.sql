-- Signed webhooks to an ATS (issue 14 item 9), following the Standard Webhooks specification.
--
-- An organization's owners and admins register endpoints (public.webhook_endpoints): a URL, the event types it wants
-- and an optional campaign filter. The signing secret (`whsec_` + 32 random bytes, base64) is made here, returned once
-- by create_webhook_endpoint() (and rotate_webhook_secret()), and kept in private.webhook_secrets, which no client
-- role can read.
--
-- Events are recorded by triggers in the transaction of the change itself (an outbox): private.webhook_events holds
-- the payload, public.webhook_deliveries one row per matching endpoint. An event nobody subscribed to is not stored.
-- The webhooks function delivers after commit (POST /webhooks/run, scheduled with pg_cron like the email outbox): it
-- claims due deliveries with a lease (claim_webhook_deliveries), POSTs the signed body, and reports each attempt
-- (finish_webhook_attempt), which logs it in public.webhook_delivery_attempts, schedules a retry with exponential
-- backoff (30 s, 1, 2, 4 min ... capped at 6 h) or gives up after the last attempt, and disables an endpoint whose
-- failures have lasted longer than the function's setting (3 days by default) without a success in between.
-- Owners and admins read deliveries and attempts, and replay a delivery (replay_webhook_delivery).
--
-- Payloads carry ids, times and what an ATS needs to match and file the candidate (names and email as the company
-- typed them on the invitation, status, score, decision); never video bytes, storage keys or tokens.
--
-- Errors a caller sees (SQLSTATE, message):
--   42501 not_organization_admin        creating an endpoint for an organization the caller does not manage
--   23514 webhook_url_invalid           not an absolute https URL (http only to a loopback address), or too long
--   23514 webhook_event_types_invalid   empty, or a type outside the nine events
--   23514 webhook_campaign_not_in_organization   the campaign filter names another organization's campaign
--   PT409 too_many_webhook_endpoints    more than 20 endpoints in one organization
--   PT404 webhook_endpoint_not_found    rotating the secret of an endpoint the caller does not manage
--   PT404 webhook_delivery_not_found    replaying a delivery the caller does not manage
--   PT409 webhook_endpoint_disabled     replaying to a disabled endpoint (enable it first)

-- =====================================================================================================================
-- tables
-- =====================================================================================================================

create table public.webhook_endpoints (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  campaign_id uuid references public.campaigns (id) on delete cascade,
  url text not null,
  description text not null default '',
  event_types text[] not null,
  enabled boolean not null default true,
  -- The first failed attempt since the last success: the endpoint is disabled once this is old enough.
  failing_since timestamptz,
  disabled_at timestamptz,
  disabled_reason text check (disabled_reason in ('failing')),
  created_by uuid default auth.uid() references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint webhook_endpoints_description_check
    check (char_length(description) <= 200 and description !~ '[[:cntrl:]]')
);
comment on table public.webhook_endpoints is
  'Where an organization''s events are POSTed (Standard Webhooks). Created with create_webhook_endpoint(), which '
  'returns the signing secret once; owners and admins of the organization read, edit and delete them.';
comment on column public.webhook_endpoints.url is 'https URL (http only to a loopback address, for local testing)';
comment on column public.webhook_endpoints.event_types is
  'Subscribed events: session.invited, session.started, session.completed, session.expired, session.withdrawn, '
  'response.submitted, evaluation.created, decision.made, session.erased';
comment on column public.webhook_endpoints.campaign_id is 'Only events of this campaign, when set';
comment on column public.webhook_endpoints.failing_since is 'First failed attempt since the last success';
comment on column public.webhook_endpoints.disabled_reason is
  '''failing'' when deliveries failed for too long; cleared when an admin enables the endpoint again';
alter table public.webhook_endpoints enable row level security;

create table private.webhook_secrets (
  endpoint_id uuid primary key references public.webhook_endpoints (id) on delete cascade,
  secret text not null check (secret ~ '^whsec_[A-Za-z0-9+/]+=*$'),
  created_at timestamptz not null default now()
);
comment on table private.webhook_secrets is 'The signing secret of each endpoint. Never readable by clients.';
alter table private.webhook_secrets enable row level security;

create table private.webhook_events (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  campaign_id uuid,
  type text not null,
  payload jsonb not null,
  occurred_at timestamptz not null default now()
);
comment on table private.webhook_events is
  'The outbox: one row per event some endpoint subscribed to, written in the transaction of the change.';
alter table private.webhook_events enable row level security;

create table public.webhook_deliveries (
  -- Also the message's webhook-id: the same on every retry and replay, so receivers can deduplicate.
  id uuid primary key default gen_random_uuid(),
  endpoint_id uuid not null references public.webhook_endpoints (id) on delete cascade,
  event_id uuid not null references private.webhook_events (id) on delete cascade,
  organization_id uuid not null references public.organizations (id) on delete cascade,
  event_type text not null,
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_attempt_at timestamptz,
  last_status_code integer,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.webhook_deliveries is
  'One event to one endpoint. Its id is the webhook-id header. Read by the organization''s owners and admins; '
  'written by the triggers and the webhooks function only; replayed with replay_webhook_delivery().';
comment on column public.webhook_deliveries.attempts is 'Attempts since it was queued or last replayed';
alter table public.webhook_deliveries enable row level security;

create table public.webhook_delivery_attempts (
  id bigint generated always as identity primary key,
  delivery_id uuid not null references public.webhook_deliveries (id) on delete cascade,
  endpoint_id uuid not null references public.webhook_endpoints (id) on delete cascade,
  organization_id uuid not null references public.organizations (id) on delete cascade,
  attempted_at timestamptz not null default now(),
  duration_ms integer not null check (duration_ms >= 0),
  status_code integer,
  outcome text not null
    check (outcome in ('succeeded', 'http_error', 'redirect', 'timeout', 'network_error', 'url_refused')),
  error text check (char_length(error) <= 500),
  response_excerpt text check (char_length(response_excerpt) <= 1024)
);
comment on table public.webhook_delivery_attempts is
  'Every delivery attempt: HTTP status, duration, outcome and the first 1 KB of the answer. Read by the '
  'organization''s owners and admins.';
alter table public.webhook_delivery_attempts enable row level security;

-- =====================================================================================================================
-- indexes
-- =====================================================================================================================

create index webhook_endpoints_organization_id_idx on public.webhook_endpoints (organization_id);
create index webhook_endpoints_campaign_id_idx on public.webhook_endpoints (campaign_id);
create index webhook_endpoints_created_by_idx on public.webhook_endpoints (created_by);
create index webhook_events_organization_id_idx on private.webhook_events (organization_id, occurred_at);
create index webhook_deliveries_endpoint_id_idx on public.webhook_deliveries (endpoint_id, created_at);
create index webhook_deliveries_event_id_idx on public.webhook_deliveries (event_id);
create index webhook_deliveries_organization_id_idx on public.webhook_deliveries (organization_id, created_at);
create index webhook_deliveries_due_idx on public.webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_delivery_attempts_delivery_id_idx on public.webhook_delivery_attempts (delivery_id, attempted_at);
create index webhook_delivery_attempts_endpoint_id_idx on public.webhook_delivery_attempts (endpoint_id);
create index webhook_delivery_attempts_organization_id_idx on public.webhook_delivery_attempts (organization_id);

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

create function private.webhook_event_types()
returns text[]
language sql
immutable
set search_path = ''
as $$
  select array['session.invited', 'session.started', 'session.completed', 'session.expired', 'session.withdrawn',
               'response.submitted', 'evaluation.created', 'decision.made', 'session.erased']
$$;

-- https anywhere; http only to a loopback literal (the function refuses even that unless its local setting allows it).
create function private.webhook_url_is_valid(p_url text)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select p_url is not null and char_length(p_url) <= 500 and p_url !~ '[[:space:][:cntrl:]]'
     and (p_url ~* '^https://[^/?#@]+(/|\?|#|$)'
          or p_url ~* '^http://(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])(:\d{1,5})?(/|\?|#|$)')
$$;

create function private.new_webhook_secret()
returns text
language sql
volatile
set search_path = ''
as $$
  select 'whsec_' || encode(extensions.gen_random_bytes(32), 'base64')
$$;

revoke all on function private.webhook_event_types() from public, anon;
revoke all on function private.webhook_url_is_valid(text) from public, anon;
revoke all on function private.new_webhook_secret() from public, anon, authenticated;
grant execute on function private.webhook_event_types() to authenticated, service_role;
grant execute on function private.webhook_url_is_valid(text) to authenticated, service_role;

-- Records one event for every enabled endpoint that subscribed to it (nothing when none did).
create function private.record_webhook_event(p_campaign_id uuid, p_type text, p_payload jsonb)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_organization uuid;
  v_event uuid;
begin
  select c.organization_id into v_organization from public.campaigns c where c.id = p_campaign_id;
  if v_organization is null then
    return; -- the campaign is being deleted with its sessions: nothing to tell about it
  end if;
  if not exists (select 1 from public.webhook_endpoints e
                  where e.organization_id = v_organization and e.enabled and p_type = any (e.event_types)
                    and (e.campaign_id is null or e.campaign_id = p_campaign_id)) then
    return;
  end if;
  insert into private.webhook_events (organization_id, campaign_id, type, payload)
  values (v_organization, p_campaign_id, p_type, p_payload)
  returning id into v_event;
  insert into public.webhook_deliveries (endpoint_id, event_id, organization_id, event_type)
  select e.id, v_event, v_organization, p_type
    from public.webhook_endpoints e
   where e.organization_id = v_organization and e.enabled and p_type = any (e.event_types)
     and (e.campaign_id is null or e.campaign_id = p_campaign_id);
end
$$;

revoke all on function private.record_webhook_event(uuid, text, jsonb) from public, anon, authenticated;

-- The session fields every session.* event carries.
create function private.webhook_session_payload(s public.interview_sessions)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'session_id', s.id,
    'campaign_id', s.campaign_id,
    'campaign_title', (select c.title from public.campaigns c where c.id = s.campaign_id),
    'candidate_id', s.candidate_id,
    'candidate', jsonb_build_object(
      'email', coalesce(s.invited_email, (select k.email from public.candidates k where k.id = s.candidate_id)),
      'first_name', s.invited_first_name,
      'last_name', s.invited_last_name),
    'status', s.status,
    'deadline', s.deadline,
    'invited_at', s.invited_at,
    'started_at', s.started_at,
    'completed_at', s.completed_at,
    'expired_at', s.expired_at,
    'withdrawn_at', s.withdrawn_at)
$$;

revoke all on function private.webhook_session_payload(public.interview_sessions) from public, anon, authenticated;

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

create trigger webhook_endpoints_set_updated_at before update on public.webhook_endpoints
  for each row execute function private.set_updated_at();
create trigger webhook_deliveries_set_updated_at before update on public.webhook_deliveries
  for each row execute function private.set_updated_at();

-- The rules of an endpoint, whoever writes it (PostgREST edits included).
create function private.check_webhook_endpoint()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not private.webhook_url_is_valid(new.url) then
    raise exception using errcode = '23514', message = 'webhook_url_invalid',
      detail = 'The URL must be an absolute https URL of at most 500 characters.';
  end if;
  if coalesce(cardinality(new.event_types), 0) = 0 or array_position(new.event_types, null) is not null
     or not (new.event_types <@ private.webhook_event_types()) then
    raise exception using errcode = '23514', message = 'webhook_event_types_invalid',
      detail = 'Subscribe to at least one of: ' || array_to_string(private.webhook_event_types(), ', ') || '.';
  end if;
  select array_agg(distinct t order by t) into new.event_types from unnest(new.event_types) t;
  if new.campaign_id is not null and not exists (
       select 1 from public.campaigns c where c.id = new.campaign_id and c.organization_id = new.organization_id) then
    raise exception using errcode = '23514', message = 'webhook_campaign_not_in_organization',
      detail = 'The campaign filter must name a campaign of the endpoint''s organization.';
  end if;
  -- Enabling an endpoint again starts a fresh count of failures.
  if tg_op = 'UPDATE' and new.enabled and not old.enabled then
    new.failing_since := null;
    new.disabled_at := null;
    new.disabled_reason := null;
  elsif tg_op = 'UPDATE' and not new.enabled and old.enabled and new.disabled_at is null then
    new.disabled_at := now();
  end if;
  return new;
end
$$;

create trigger webhook_endpoints_check before insert or update on public.webhook_endpoints
  for each row execute function private.check_webhook_endpoint();

create function private.webhook_session_events()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_type text;
begin
  if tg_op = 'DELETE' then
    -- Erased: ids and the time only, nothing personal about someone who was just erased.
    perform private.record_webhook_event(old.campaign_id, 'session.erased', jsonb_build_object(
      'session_id', old.id, 'campaign_id', old.campaign_id, 'candidate_id', old.candidate_id, 'erased_at', now()));
    return old;
  end if;
  v_type := case
    when tg_op = 'INSERT' then 'session.invited'
    when new.status is not distinct from old.status then null
    -- A reopened session (expired -> invited or in_progress, with a new deadline) is told as invited or started again.
    when new.status = 'invited' then 'session.invited'
    when new.status = 'in_progress' then 'session.started'
    when new.status = 'completed' then 'session.completed'
    when new.status = 'expired' then 'session.expired'
    when new.status = 'withdrawn' then 'session.withdrawn'
  end;
  if v_type is not null then
    perform private.record_webhook_event(new.campaign_id, v_type, private.webhook_session_payload(new));
  end if;
  return new;
end
$$;

create trigger interview_sessions_webhooks after insert or update of status or delete on public.interview_sessions
  for each row execute function private.webhook_session_events();

create function private.webhook_response_events()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.is_submitted and (tg_op = 'INSERT' or not old.is_submitted) then
    perform private.record_webhook_event(new.campaign_id, 'response.submitted', jsonb_build_object(
      'response_id', new.id, 'session_id', new.session_id, 'campaign_id', new.campaign_id,
      'question_id', new.question_id,
      'question_position', (select q.position from public.questions q where q.id = new.question_id),
      'take_number', new.take_number, 'content_type', new.content_type, 'size_bytes', new.size_bytes,
      'duration_seconds', new.duration_seconds, 'submitted_at', coalesce(new.submitted_at, now())));
  end if;
  return new;
end
$$;

create trigger video_responses_webhooks after insert or update of is_submitted on public.video_responses
  for each row execute function private.webhook_response_events();

create function private.webhook_evaluation_events()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.record_webhook_event(new.campaign_id, 'evaluation.created', jsonb_build_object(
    'evaluation_id', new.id, 'response_id', new.response_id, 'session_id', new.session_id,
    'campaign_id', new.campaign_id, 'reviewer_id', new.reviewer_id, 'score', new.score,
    'created_at', new.created_at));
  return new;
end
$$;

create trigger evaluations_webhooks after insert on public.evaluations
  for each row execute function private.webhook_evaluation_events();

create function private.webhook_decision_events()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and new.decision = old.decision then
    return new;
  end if;
  perform private.record_webhook_event(new.campaign_id, 'decision.made', jsonb_build_object(
    'decision_id', new.id, 'session_id', new.session_id, 'campaign_id', new.campaign_id,
    'decision', new.decision, 'previous_decision', case when tg_op = 'UPDATE' then old.decision::text end,
    'decided_by', new.decided_by, 'decided_at', new.updated_at));
  return new;
end
$$;

create trigger session_decisions_webhooks after insert or update of decision on public.session_decisions
  for each row execute function private.webhook_decision_events();

revoke all on function private.check_webhook_endpoint() from public, anon, authenticated;
revoke all on function private.webhook_session_events() from public, anon, authenticated;
revoke all on function private.webhook_response_events() from public, anon, authenticated;
revoke all on function private.webhook_evaluation_events() from public, anon, authenticated;
revoke all on function private.webhook_decision_events() from public, anon, authenticated;

-- =====================================================================================================================
-- policies and grants
-- =====================================================================================================================

revoke all on public.webhook_endpoints, public.webhook_deliveries, public.webhook_delivery_attempts
  from anon, authenticated, service_role;
revoke all on private.webhook_secrets, private.webhook_events from public, anon, authenticated, service_role;
-- Endpoints are created by create_webhook_endpoint() (it returns the secret); only these columns are editable.
grant select, delete on public.webhook_endpoints to authenticated;
grant update (url, description, event_types, campaign_id, enabled) on public.webhook_endpoints to authenticated;
grant select on public.webhook_deliveries, public.webhook_delivery_attempts to authenticated;

create policy "Webhook endpoints are visible to organization admins" on public.webhook_endpoints
  for select to authenticated
  using (organization_id = any ((select private.administered_organization_ids())::uuid[]));
create policy "Webhook endpoints can be edited by organization admins" on public.webhook_endpoints
  for update to authenticated
  using (organization_id = any ((select private.administered_organization_ids())::uuid[]))
  with check (organization_id = any ((select private.administered_organization_ids())::uuid[]));
create policy "Webhook endpoints can be deleted by organization admins" on public.webhook_endpoints
  for delete to authenticated
  using (organization_id = any ((select private.administered_organization_ids())::uuid[]));
create policy "Webhook deliveries are visible to organization admins" on public.webhook_deliveries
  for select to authenticated
  using (organization_id = any ((select private.administered_organization_ids())::uuid[]));
create policy "Webhook attempts are visible to organization admins" on public.webhook_delivery_attempts
  for select to authenticated
  using (organization_id = any ((select private.administered_organization_ids())::uuid[]));

-- =====================================================================================================================
-- public API
-- =====================================================================================================================

-- Owner or admin of the organization: registers an endpoint and returns it with its secret (the only time the secret
-- is readable).
create function public.create_webhook_endpoint(
  p_organization_id uuid,
  p_url text,
  p_event_types text[],
  p_campaign_id uuid default null,
  p_description text default ''
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  e public.webhook_endpoints;
  v_secret text := private.new_webhook_secret();
begin
  if p_organization_id is null or not (p_organization_id = any (private.administered_organization_ids())) then
    raise exception using errcode = '42501', message = 'not_organization_admin',
      detail = 'Only an owner or admin of the organization can register webhook endpoints.';
  end if;
  perform pg_advisory_xact_lock(hashtextextended('webhook_endpoints:' || p_organization_id::text, 0));
  if (select count(*) from public.webhook_endpoints w where w.organization_id = p_organization_id) >= 20 then
    raise exception using errcode = 'PT409', message = 'too_many_webhook_endpoints',
      detail = 'An organization has at most 20 webhook endpoints.';
  end if;
  insert into public.webhook_endpoints (organization_id, campaign_id, url, description, event_types, created_by)
  values (p_organization_id, p_campaign_id, p_url, coalesce(p_description, ''), p_event_types, auth.uid())
  returning * into e;
  insert into private.webhook_secrets (endpoint_id, secret) values (e.id, v_secret);
  return to_jsonb(e) || jsonb_build_object('secret', v_secret);
end
$$;

revoke all on function public.create_webhook_endpoint(uuid, text, text[], uuid, text) from public, anon;
grant execute on function public.create_webhook_endpoint(uuid, text, text[], uuid, text) to authenticated;

-- Owner or admin: a new secret for an endpoint, returned once; the old one stops signing at once.
create function public.rotate_webhook_secret(p_endpoint_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_secret text := private.new_webhook_secret();
begin
  if not exists (select 1 from public.webhook_endpoints e
                  where e.id = p_endpoint_id and e.organization_id = any (private.administered_organization_ids())) then
    raise exception using errcode = 'PT404', message = 'webhook_endpoint_not_found';
  end if;
  update private.webhook_secrets set secret = v_secret, created_at = now() where endpoint_id = p_endpoint_id;
  return jsonb_build_object('endpoint_id', p_endpoint_id, 'secret', v_secret);
end
$$;

revoke all on function public.rotate_webhook_secret(uuid) from public, anon;
grant execute on function public.rotate_webhook_secret(uuid) to authenticated;

-- Owner or admin: sends a delivery again (whatever its status), as soon as the worker runs; same webhook-id.
create function public.replay_webhook_delivery(p_delivery_id uuid)
returns public.webhook_deliveries
language plpgsql
security definer
set search_path = ''
as $$
declare
  d public.webhook_deliveries;
begin
  select * into d from public.webhook_deliveries w
   where w.id = p_delivery_id and w.organization_id = any (private.administered_organization_ids())
     for update;
  if not found then
    raise exception using errcode = 'PT404', message = 'webhook_delivery_not_found';
  end if;
  if not (select e.enabled from public.webhook_endpoints e where e.id = d.endpoint_id) then
    raise exception using errcode = 'PT409', message = 'webhook_endpoint_disabled',
      detail = 'Enable the endpoint before replaying its deliveries.';
  end if;
  update public.webhook_deliveries
     set status = 'pending', attempts = 0, next_attempt_at = now(), delivered_at = null
   where id = d.id
  returning * into d;
  return d;
end
$$;

revoke all on function public.replay_webhook_delivery(uuid) from public, anon;
grant execute on function public.replay_webhook_delivery(uuid) to authenticated;

-- =====================================================================================================================
-- the worker's API (the webhooks function, as the database owner)
-- =====================================================================================================================

-- Claims up to p_limit due deliveries (of enabled endpoints), leasing each for p_lease_seconds so that a crashed
-- worker's claim comes back; p_ids limits the claim to those deliveries (a replay's immediate send).
create function private.claim_webhook_deliveries(p_limit integer, p_lease_seconds integer, p_ids uuid[] default null)
returns table (
  delivery_id uuid,
  attempt integer,
  endpoint_id uuid,
  url text,
  secret text,
  event_type text,
  occurred_at timestamptz,
  payload jsonb
)
language sql
volatile
set search_path = ''
as $$
  with due as (
    select d.id
      from public.webhook_deliveries d
      join public.webhook_endpoints e on e.id = d.endpoint_id and e.enabled
     where d.status = 'pending' and d.next_attempt_at <= now()
       and (p_ids is null or d.id = any (p_ids))
     order by d.next_attempt_at
     limit p_limit
       for update of d skip locked
  ), claimed as (
    update public.webhook_deliveries d
       set attempts = d.attempts + 1,
           next_attempt_at = now() + make_interval(secs => p_lease_seconds),
           last_attempt_at = now()
      from due
     where d.id = due.id
    returning d.id, d.attempts, d.endpoint_id, d.event_id, d.event_type
  )
  select c.id, c.attempts, c.endpoint_id, e.url, s.secret, c.event_type, v.occurred_at, v.payload
    from claimed c
    join public.webhook_endpoints e on e.id = c.endpoint_id
    join private.webhook_secrets s on s.endpoint_id = c.endpoint_id
    join private.webhook_events v on v.id = c.event_id
$$;

-- Records one attempt's outcome: logs it, then marks the delivery succeeded, schedules its retry (30 s doubling,
-- capped at 6 h) or fails it after p_max_attempts; a failure older than p_disable_after since the endpoint's last
-- success disables the endpoint. Returns the delivery's new status, or 'disabled' when the endpoint was just disabled.
create function private.finish_webhook_attempt(
  p_delivery_id uuid,
  p_attempt integer,
  p_outcome text,
  p_status_code integer,
  p_duration_ms integer,
  p_error text,
  p_response_excerpt text,
  p_max_attempts integer,
  p_disable_after interval
)
returns text
language plpgsql
set search_path = ''
as $$
declare
  d public.webhook_deliveries;
  v_ok boolean := p_outcome = 'succeeded';
  v_status text;
  v_failing_since timestamptz;
begin
  select * into d from public.webhook_deliveries w where w.id = p_delivery_id for update;
  if not found then
    return 'gone'; -- erased with its endpoint or organization meanwhile
  end if;
  insert into public.webhook_delivery_attempts
    (delivery_id, endpoint_id, organization_id, duration_ms, status_code, outcome, error, response_excerpt)
  values (d.id, d.endpoint_id, d.organization_id, greatest(p_duration_ms, 0), p_status_code, p_outcome,
          left(p_error, 500), left(p_response_excerpt, 1024));
  if d.attempts <> p_attempt or d.status <> 'pending' then
    return d.status; -- replayed while this attempt was in flight: the replay owns the delivery now
  end if;
  v_status := case when v_ok then 'succeeded' when p_attempt >= p_max_attempts then 'failed' else 'pending' end;
  update public.webhook_deliveries
     set status = v_status,
         last_status_code = p_status_code,
         delivered_at = case when v_ok then now() end,
         next_attempt_at = case when v_status = 'pending'
                                then now() + least(interval '30 seconds' * power(2, p_attempt - 1), interval '6 hours')
                                else next_attempt_at end
   where id = d.id;
  if v_ok then
    update public.webhook_endpoints set failing_since = null where id = d.endpoint_id and failing_since is not null;
    return v_status;
  end if;
  update public.webhook_endpoints set failing_since = coalesce(failing_since, now())
   where id = d.endpoint_id
  returning failing_since into v_failing_since;
  if v_failing_since <= now() - p_disable_after then
    update public.webhook_endpoints set enabled = false, disabled_at = now(), disabled_reason = 'failing'
     where id = d.endpoint_id and enabled;
    if found then
      return 'disabled';
    end if;
  end if;
  return v_status;
end
$$;

revoke all on function private.claim_webhook_deliveries(integer, integer, uuid[]) from public, anon, authenticated;
revoke all on function private.finish_webhook_attempt(uuid, integer, text, integer, integer, text, text, integer,
  interval) from public, anon, authenticated;

-- =====================================================================================================================
-- scheduling: schedule_jobs() gains the webhook job (every 10 seconds on pg_cron 1.5+, else every minute)
-- =====================================================================================================================

create or replace function private.schedule_jobs(p_project_url text)
returns table (job_name text, schedule text, command text)
language plpgsql
set search_path = ''
as $$
declare
  v_url text := rtrim(p_project_url, '/');
  v_often text := case
    when (select e.extversion from pg_catalog.pg_extension e where e.extname = 'pg_cron') >= '1.5' then '10 seconds'
    else '* * * * *'
  end;
begin
  if v_url is null or v_url !~ '^https?://[^/\s]+(/\S*)?$' then
    raise exception 'project_url_invalid' using errcode = '22023',
      detail = 'Give the project URL, as https://<project-ref>.supabase.co.';
  end if;
  perform cron.schedule('invitation-outbox', v_often,
    private.job_http_post(v_url || '/functions/v1/invitations/outbox/run'));
  perform cron.schedule('invitation-reminders', '*/5 * * * *',
    private.job_http_post(v_url || '/functions/v1/invitations/reminders/run'));
  perform cron.schedule('video-retention', '17 * * * *',
    private.job_http_post(v_url || '/functions/v1/uploads/retention/run'));
  perform cron.schedule('webhook-deliveries', v_often,
    private.job_http_post(v_url || '/functions/v1/webhooks/run'));
  -- pg_cron runs a job as the role that scheduled it (postgres), which owns this function: no HTTP call needed.
  perform cron.schedule('session-expiry', '* * * * *', 'select public.expire_overdue_sessions()');
  return query
    select j.jobname::text, j.schedule::text, j.command::text
      from cron.job j
     where j.jobname in ('invitation-outbox', 'invitation-reminders', 'video-retention', 'session-expiry',
                         'webhook-deliveries')
     order by j.jobname;
end
$$;

revoke all on function private.schedule_jobs(text) from public, anon, authenticated;
