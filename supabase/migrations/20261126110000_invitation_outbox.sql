-- Invitations: the durable email outbox, the email status a recruiter sees on a session, and the SQL the
-- `invitations` edge function runs.
--
-- An invitation is written in ONE transaction, as the inviting user (RLS applies to the session insert): the
-- candidate row (private.invite_upsert_candidates), the session, the token hash and the queued email
-- (private.queue_invitation_emails). The email is sent after commit; a failed send stays `queued` with a later
-- next_attempt_at (exponential backoff) until the outbox worker (service role) sends it or gives up (`failed`).
--
-- Exactly-once sending: a sender claims a row with `for update skip locked` and takes a lease (locked_until plus a
-- fresh claim_id), commits, sends, and then finishes the row only if it still holds that claim. Another worker skips
-- leased rows, so two workers never send one row; only a crash between the SMTP reply and the finish can repeat a
-- send after the lease (longer than the SMTP timeout) ends.
--
-- An invited candidate whose account is already active (a self sign-up, or activated for another campaign) cannot
-- use an activation token (activation answers account_already_active): their invitation and reminder emails link to
-- the interview page instead, and no token is stored for them (private.candidate_awaits_activation).
--
-- The token itself never reaches the database in clear: `secret` holds it encrypted (AES-GCM, key derived in the
-- function from the service role key) until the email is sent, failed or cancelled, and is then erased.
--
-- Recruiters read the status of the latest invitation email on the session (interview_sessions.email_status,
-- email_attempts, email_sent_at, reminder_sent_at), kept by a trigger. The outbox itself has no client privilege.
--
-- Errors a caller sees (SQLSTATE, message):
--   42501 not_campaign_editor     queueing or upserting candidates for a campaign the caller cannot edit

-- =====================================================================================================================
-- tables
-- =====================================================================================================================

create table private.email_outbox (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('invitation', 'reminder')),
  session_id uuid not null references public.interview_sessions (id) on delete cascade,
  locale text not null check (locale in ('fr', 'en')),
  to_email text not null check (to_email like '%_@_%'),
  -- Template parameters (title, company, deadline, first_name); the function renders subject and bodies at send time.
  params jsonb not null default '{}'::jsonb,
  -- AES-GCM(nonce || ciphertext) of the invitation token; null once the row is finished, or for a sign-in link.
  secret bytea,
  status text not null default 'queued' check (status in ('queued', 'sent', 'failed', 'cancelled')),
  attempts integer not null default 0 check (attempts >= 0),
  -- With private.email_backoff (5 s doubling, capped at one hour), 12 attempts retry for about 2 h 25 min: longer
  -- than a typical mail-provider incident (8 would give up after about 10 minutes).
  max_attempts integer not null default 12 check (max_attempts between 1 and 50),
  next_attempt_at timestamptz not null default now(),
  locked_until timestamptz,
  claim_id uuid,
  last_attempt_at timestamptz,
  last_error text check (char_length(last_error) <= 1000),
  message_id text,
  sent_at timestamptz,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default now()
);
comment on table private.email_outbox is
  'Emails to send (invitations, reminders), written in the transaction that creates their reason. No client access.';
alter table private.email_outbox enable row level security;

alter table public.interview_sessions
  add column email_status text check (email_status in ('queued', 'sent', 'failed', 'cancelled')),
  add column email_attempts integer not null default 0,
  add column email_sent_at timestamptz,
  add column reminder_sent_at timestamptz;
comment on column public.interview_sessions.email_status is
  'Status of the latest invitation email: queued (retrying while email_attempts grows), sent, failed, cancelled.';
comment on column public.interview_sessions.reminder_sent_at is 'When the 24 h deadline reminder was sent.';

-- =====================================================================================================================
-- indexes
-- =====================================================================================================================

create index email_outbox_due_idx on private.email_outbox (next_attempt_at) where status = 'queued';
create index email_outbox_session_id_idx on private.email_outbox (session_id, kind, created_at);
-- At most one reminder per session, whatever runs the reminder job and however often.
create unique index email_outbox_one_reminder_per_session on private.email_outbox (session_id)
  where kind = 'reminder';

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

create trigger email_outbox_set_updated_at before update on private.email_outbox
  for each row execute function private.set_updated_at();

-- The session mirrors its latest invitation email (older, cancelled ones do not overwrite it) and its reminder.
create function private.sync_session_email_status()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.kind = 'invitation' then
    if not exists (select 1 from private.email_outbox o
                    where o.session_id = new.session_id and o.kind = 'invitation'
                      and (o.created_at, o.id) > (new.created_at, new.id)) then
      update public.interview_sessions s
         set email_status = new.status, email_attempts = new.attempts, email_sent_at = new.sent_at
       where s.id = new.session_id
         and (s.email_status, s.email_attempts, s.email_sent_at)
             is distinct from (new.status, new.attempts, new.sent_at);
    end if;
  elsif new.status = 'sent' then
    update public.interview_sessions s set reminder_sent_at = new.sent_at
     where s.id = new.session_id and s.reminder_sent_at is distinct from new.sent_at;
  end if;
  return null;
end
$$;

create trigger email_outbox_sync_session after insert or update of status, attempts, sent_at on private.email_outbox
  for each row execute function private.sync_session_email_status();

-- A session that is over (withdrawn, expired, completed) gets none of its queued emails.
create function private.cancel_emails_of_closed_session()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update private.email_outbox o
     set status = 'cancelled', secret = null, locked_until = null, claim_id = null
   where o.session_id = new.id and o.status = 'queued';
  return null;
end
$$;

create trigger interview_sessions_cancel_emails after update of status on public.interview_sessions
  for each row when (new.status in ('withdrawn', 'expired', 'completed') and old.status is distinct from new.status)
  execute function private.cancel_emails_of_closed_session();

-- The token expires with the session: a deadline change moves it.
create function private.token_follows_session_deadline()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update private.invitation_tokens t set expires_at = new.deadline
   where t.session_id = new.id and t.expires_at is distinct from new.deadline;
  return null;
end
$$;

create trigger interview_sessions_token_follows_deadline after update of deadline on public.interview_sessions
  for each row when (old.deadline is distinct from new.deadline)
  execute function private.token_follows_session_deadline();

revoke all on function private.sync_session_email_status() from public;
revoke all on function private.cancel_emails_of_closed_session() from public;
revoke all on function private.token_follows_session_deadline() from public;

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- Whether the candidate's account still waits for its activation token (true when there is no account yet): it has
-- app_metadata.invitation_pending = true (what the invitations function sets on placeholders) or an unconfirmed
-- email. The same rule as private.check_invitation_target (activation).
create function private.candidate_awaits_activation(p_candidate_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((
    select u.email_confirmed_at is null
           or (u.raw_app_meta_data -> 'invitation_pending') is not distinct from 'true'::jsonb
      from public.candidates c join auth.users u on u.id = c.user_id
     where c.id = p_candidate_id
  ), true)
$$;

revoke all on function private.candidate_awaits_activation(uuid) from public;

-- =====================================================================================================================
-- helper functions: called inside the inviting user's transaction (granted to authenticated, never exposed by
-- PostgREST because schema private is not in its schema list; each checks the caller's right itself)
-- =====================================================================================================================

-- Creates or completes the candidate rows of an invitation batch: p_rows = [{email, first_name, last_name, phone,
-- linkedin_url}]. Returns (email, candidate_id) per distinct lowercased email. Names, phone and LinkedIn fill blanks
-- only: an existing candidate's own data is never overwritten by a recruiter. Security definer because recruiters
-- hold no write privilege on candidates.
create function private.invite_upsert_candidates(p_campaign_id uuid, p_rows jsonb)
returns table (email text, candidate_id uuid)
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  if not coalesce(private.can_edit_campaign(p_campaign_id), false) then
    raise exception using errcode = '42501', message = 'not_campaign_editor',
      detail = 'Only the campaign owner or an editor can invite candidates.';
  end if;
  return query
  with input as (
    select distinct on (lower(trim(r.email)))
           lower(trim(r.email)) as email, coalesce(r.first_name, '') as first_name,
           coalesce(r.last_name, '') as last_name, r.phone, r.linkedin_url
      from jsonb_to_recordset(p_rows) as r(email text, first_name text, last_name text, phone text, linkedin_url text)
     order by lower(trim(r.email))
  ), upserted as (
    insert into public.candidates as c (email, first_name, last_name, phone, linkedin_url)
    select i.email, i.first_name, i.last_name, i.phone, i.linkedin_url from input i
    on conflict (lower(email)) do update
      set first_name = case when c.first_name = '' then excluded.first_name else c.first_name end,
          last_name = case when c.last_name = '' then excluded.last_name else c.last_name end,
          phone = coalesce(c.phone, excluded.phone),
          linkedin_url = coalesce(c.linkedin_url, excluded.linkedin_url)
    returning c.id, lower(c.email) as email
  )
  select u.email, u.id from upserted u;
end
$$;

-- Issues the token of each session (replacing a previous one: the old link dies) and queues its invitation email,
-- cancelling any older invitation still queued. p_items = [{session_id, token_hash (hex), secret (hex), locale}];
-- a null locale keeps the one of the session's previous invitation (default fr). The token and the sealed link are
-- kept only for accounts awaiting activation.
-- Returns the new outbox ids. Security definer because tokens and the outbox have no client privilege at all.
create function private.queue_invitation_emails(p_items jsonb)
returns setof uuid
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (
    select 1 from jsonb_to_recordset(p_items) as i(session_id uuid)
      left join public.interview_sessions s on s.id = i.session_id
     where s.id is null or not coalesce(private.can_edit_campaign(s.campaign_id), false)
  ) then
    raise exception using errcode = '42501', message = 'not_campaign_editor',
      detail = 'Only the campaign owner or an editor can invite candidates.';
  end if;

  update private.email_outbox o
     set status = 'cancelled', secret = null, locked_until = null, claim_id = null
   where o.kind = 'invitation' and o.status = 'queued'
     and o.session_id in (select (x ->> 'session_id')::uuid from jsonb_array_elements(p_items) x);

  insert into private.invitation_tokens as t (session_id, token_hash, expires_at)
  select i.session_id, decode(i.token_hash, 'hex'), s.deadline
    from jsonb_to_recordset(p_items) as i(session_id uuid, token_hash text)
    join public.interview_sessions s on s.id = i.session_id
   where private.candidate_awaits_activation(s.candidate_id)
  on conflict (session_id) do update
    set token_hash = excluded.token_hash, expires_at = excluded.expires_at, created_at = now(),
        used_at = null, revoked_at = null;

  return query
  insert into private.email_outbox (kind, session_id, locale, to_email, params, secret)
  select 'invitation', s.id,
         coalesce(i.locale,
                  (select o.locale from private.email_outbox o
                    where o.session_id = s.id and o.kind = 'invitation' order by o.created_at desc limit 1),
                  'fr'),
         ca.email,
         jsonb_build_object('title', c.title, 'company', h.company, 'deadline', s.deadline,
                            'first_name', ca.first_name),
         case when private.candidate_awaits_activation(s.candidate_id) then decode(i.secret, 'hex') end
    from jsonb_to_recordset(p_items) as i(session_id uuid, secret text, locale text)
    join public.interview_sessions s on s.id = i.session_id
    join public.candidates ca on ca.id = s.candidate_id
    join public.campaigns c on c.id = s.campaign_id
    join public.hiring_managers h on h.id = c.owner_id
  returning id;
end
$$;

revoke all on function private.invite_upsert_candidates(uuid, jsonb) from public;
revoke all on function private.queue_invitation_emails(jsonb) from public;
grant execute on function private.invite_upsert_candidates(uuid, jsonb) to authenticated;
grant execute on function private.queue_invitation_emails(jsonb) to authenticated;

-- =====================================================================================================================
-- outbox worker functions (service only: no grant to any client role; the function calls them as the pool's role)
-- =====================================================================================================================

-- Delay before retry number n+1 after n failed attempts: 5 s, 10 s, 20 s ... capped at one hour.
create function private.email_backoff(p_attempts integer)
returns interval
language sql
immutable
set search_path = ''
as $$
  select least(interval '1 hour', interval '5 seconds' * power(2, greatest(p_attempts, 1) - 1))
$$;

-- Claims up to p_limit due rows (optionally only p_ids) for p_lease_seconds: attempts + 1, a fresh claim_id.
-- Rows another worker holds are skipped, not waited for.
create function private.claim_email_outbox(p_limit integer, p_ids uuid[] default null, p_lease_seconds integer default 120)
returns setof private.email_outbox
language sql
volatile
set search_path = ''
as $$
  with due as (
    select o.id from private.email_outbox o
     where o.status = 'queued' and o.next_attempt_at <= now()
       and (o.locked_until is null or o.locked_until < now())
       and (p_ids is null or o.id = any (p_ids))
     order by o.next_attempt_at
     limit greatest(p_limit, 0)
       for update skip locked
  )
  update private.email_outbox o
     set attempts = o.attempts + 1, claim_id = gen_random_uuid(), last_attempt_at = now(),
         locked_until = now() + make_interval(secs => p_lease_seconds)
    from due
   where o.id = due.id
  returning o.*
$$;

-- Finishes a claimed row: sent (p_error null), or back to queued with backoff, or failed once attempts reach
-- max_attempts (or at once when p_permanent). Does nothing when the claim is no longer held. Returns the new status.
create function private.finish_email_outbox(
  p_id uuid,
  p_claim_id uuid,
  p_error text default null,
  p_permanent boolean default false,
  p_message_id text default null
)
returns text
language sql
volatile
set search_path = ''
as $$
  update private.email_outbox o
     set status = case when p_error is null then 'sent'
                       when p_permanent or o.attempts >= o.max_attempts then 'failed'
                       else 'queued' end,
         sent_at = case when p_error is null then now() end,
         next_attempt_at = case when p_error is null then o.next_attempt_at
                                else now() + private.email_backoff(o.attempts) end,
         secret = case when p_error is not null and not p_permanent and o.attempts < o.max_attempts then o.secret end,
         last_error = left(p_error, 1000),
         message_id = coalesce(p_message_id, o.message_id),
         locked_until = null,
         claim_id = null
   where o.id = p_id and o.claim_id = p_claim_id and o.status = 'queued'
  returning o.status
$$;

-- Sessions due for their reminder (not completed, deadline within 24 h, no reminder yet), locked so that a second
-- reminder run skips them. needs_token: the candidate has not activated, so the reminder carries a fresh link.
create function private.due_reminder_sessions(p_limit integer)
returns table (session_id uuid, needs_token boolean)
language sql
volatile
set search_path = ''
as $$
  select s.id, (t.session_id is not null and t.used_at is null and t.revoked_at is null
                and private.candidate_awaits_activation(s.candidate_id))
    from public.interview_sessions s
    left join private.invitation_tokens t on t.session_id = s.id
   where s.status in ('invited', 'in_progress')
     and s.deadline > now() and s.deadline <= now() + interval '24 hours'
     and not exists (select 1 from private.email_outbox o where o.session_id = s.id and o.kind = 'reminder')
   order by s.deadline
   limit greatest(p_limit, 0)
     for update of s skip locked
$$;

-- Queues one reminder per session (the unique index makes a second one impossible). p_items = [{session_id, locale,
-- token_hash (hex, or null), secret (hex, or null)}]: with a token, the session's token is replaced (fresh link).
-- The locale is the one of the session's latest invitation email unless given. Returns the new outbox ids.
create function private.queue_reminder_emails(p_items jsonb)
returns setof uuid
language plpgsql
volatile
set search_path = ''
as $$
begin
  return query
  with queued as (
    insert into private.email_outbox (kind, session_id, locale, to_email, params, secret)
    select 'reminder', s.id,
           coalesce(i.locale,
                    (select o.locale from private.email_outbox o
                      where o.session_id = s.id and o.kind = 'invitation' order by o.created_at desc limit 1),
                    'fr'),
           ca.email,
           jsonb_build_object('title', c.title, 'company', h.company, 'deadline', s.deadline,
                              'first_name', ca.first_name),
           decode(i.secret, 'hex')
      from jsonb_to_recordset(p_items) as i(session_id uuid, locale text, secret text)
      join public.interview_sessions s on s.id = i.session_id
      join public.candidates ca on ca.id = s.candidate_id
      join public.campaigns c on c.id = s.campaign_id
      join public.hiring_managers h on h.id = c.owner_id
    on conflict (session_id) where kind = 'reminder' do nothing
    returning id, session_id
  ), rotated as (
    update private.invitation_tokens t
       set token_hash = decode(i.token_hash, 'hex'), created_at = now(), used_at = null, revoked_at = null
      from jsonb_to_recordset(p_items) as i(session_id uuid, token_hash text)
     where t.session_id = i.session_id and i.token_hash is not null
       and i.session_id in (select q.session_id from queued q)
    returning t.session_id
  )
  select q.id from queued q;
end
$$;

revoke all on function private.email_backoff(integer) from public;
revoke all on function private.claim_email_outbox(integer, uuid[], integer) from public;
revoke all on function private.finish_email_outbox(uuid, uuid, text, boolean, text) from public;
revoke all on function private.due_reminder_sessions(integer) from public;
revoke all on function private.queue_reminder_emails(jsonb) from public;

-- =====================================================================================================================
-- grants
-- =====================================================================================================================

revoke all on private.email_outbox from public, anon, authenticated, service_role;
