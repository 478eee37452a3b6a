-- Activation of invited (placeholder) accounts, and a rate-limit counter for public endpoints.
--
-- The activation function (functions/activation) runs these helpers as the database owner, because the token table
-- and the counters must stay out of every client role's reach. No client role may execute them.
--
--   private.hit_rate_limit(bucket, key, max_hits, window)  records one attempt in a sliding window; returns 0 when
--                                                           allowed, else the seconds until a slot frees up
--   private.invitation_preview(token_hash)                 what the landing page may show for a usable token
--   private.consume_invitation_token(token_hash)           marks a usable token used (single use, race-free) and
--                                                           returns whom to activate
--   private.apply_activation_profile(candidate_id, ...)    the names/phone/LinkedIn given at activation
--
-- Errors (SQLSTATE PTnnn: the HTTP status; message: the stable code):
--   PT404 invitation_not_found     no token with that hash
--   PT409 invitation_used          the token was used already
--   PT410 invitation_revoked       the invitation was withdrawn (a resend replaces the token: the old one is then unknown, 404)
--   PT410 invitation_expired       past the token's expiry or the session's deadline, or the session expired
--   PT400 account_already_active   the invited account is already active (confirmed, not pending): log in instead

-- =====================================================================================================================
-- tables
-- =====================================================================================================================

-- One row per counted attempt. Keys are stored hashed (they are IP addresses and token hashes).
create table private.rate_limit_hits (
  bucket text not null check (char_length(bucket) between 1 and 64),
  key_hash bytea not null,
  hit_at timestamptz not null default clock_timestamp()
);
comment on table private.rate_limit_hits is
  'Attempts counted by private.hit_rate_limit (sliding windows). Never readable by clients; pruned as it is used.';
alter table private.rate_limit_hits enable row level security;

-- =====================================================================================================================
-- indexes
-- =====================================================================================================================

create index rate_limit_hits_bucket_key_hash_hit_at_idx on private.rate_limit_hits (bucket, key_hash, hit_at);
create index rate_limit_hits_hit_at_idx on private.rate_limit_hits (hit_at);

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- Counts one attempt of `key` in `bucket` unless the last `window` already holds `max_hits` attempts. A refused
-- attempt is not stored, so a key never holds more than max_hits rows and the window slides on its own.
-- Concurrent calls for one key are serialized by a transaction-scoped advisory lock (several function instances
-- share the counter). Returns 0 when allowed, otherwise the whole seconds until the oldest counted attempt leaves.
create function private.hit_rate_limit(p_bucket text, p_key text, p_max_hits integer, p_window interval)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  k bytea := sha256(convert_to(p_key, 'UTF8'));
  since timestamptz := clock_timestamp() - p_window;
  counted integer;
  oldest timestamptz;
begin
  if p_max_hits < 1 or p_window <= interval '0' or p_window > interval '1 day' then
    raise exception using errcode = '22023', message = 'invalid_rate_limit',
      detail = 'max_hits must be positive and the window between 0 and 1 day.';
  end if;
  perform pg_advisory_xact_lock(hashtextextended(p_bucket || ':' || encode(k, 'hex'), 0));

  delete from private.rate_limit_hits h where h.bucket = p_bucket and h.key_hash = k and h.hit_at < since;
  -- Keys that never come back: their rows go a few at a time with every call.
  delete from private.rate_limit_hits h
   where h.ctid = any (array(select h2.ctid from private.rate_limit_hits h2
                              where h2.hit_at < clock_timestamp() - interval '1 day' limit 100));

  select count(*), min(h.hit_at) into counted, oldest
    from private.rate_limit_hits h
   where h.bucket = p_bucket and h.key_hash = k and h.hit_at >= since;
  if counted >= p_max_hits then
    return greatest(1, ceil(extract(epoch from (oldest + p_window - clock_timestamp())))::integer);
  end if;
  insert into private.rate_limit_hits (bucket, key_hash) values (p_bucket, k);
  return 0;
end
$$;

-- Raises the coded error that says why no usable token has this hash. Called once the usable-token lookup failed.
create function private.raise_invitation_token_error(p_token_hash bytea)
returns void
language plpgsql
set search_path = ''
as $$
declare
  t private.invitation_tokens;
begin
  select * into t from private.invitation_tokens it where it.token_hash = p_token_hash;
  if not found then
    raise exception using errcode = 'PT404', message = 'invitation_not_found',
      detail = 'This invitation link is not valid. Check that you opened the whole link.';
  elsif t.used_at is not null then
    raise exception using errcode = 'PT409', message = 'invitation_used',
      detail = 'This invitation link has already been used. Log in instead.';
  elsif t.revoked_at is not null then
    raise exception using errcode = 'PT410', message = 'invitation_revoked',
      detail = 'This invitation was withdrawn.';
  else
    raise exception using errcode = 'PT410', message = 'invitation_expired',
      detail = 'This invitation has expired.';
  end if;
end
$$;

-- The session and candidate behind a token row, refused when the session is over or the account is active.
-- An account waits for activation while app_metadata.invitation_pending is true (set by the service role on a
-- placeholder; only it can write app_metadata) or its email is unconfirmed (an unconfirmed self sign-up may activate:
-- the token came by email, which proves the address as a confirmation link would). encrypted_password cannot tell:
-- GoTrue's admin createUser stores a random password when none is given. Activation clears the flag and confirms the
-- email in one Auth admin call.
create function private.check_invitation_target(p_session_id uuid)
returns table (session_id uuid, candidate_id uuid, user_id uuid, email text)
language plpgsql
stable
set search_path = ''
as $$
declare
  s public.interview_sessions;
  c public.candidates;
begin
  select * into s from public.interview_sessions s1 where s1.id = p_session_id;
  if s.status = 'withdrawn' then
    raise exception using errcode = 'PT410', message = 'invitation_revoked',
      detail = 'This invitation was withdrawn.';
  end if;
  if s.status = 'expired' or s.deadline <= now() then
    raise exception using errcode = 'PT410', message = 'invitation_expired',
      detail = 'This invitation has expired.';
  end if;
  select * into c from public.candidates c1 where c1.id = s.candidate_id;
  if exists (select 1 from auth.users u
              where u.id = c.user_id
                and u.email_confirmed_at is not null
                and (u.raw_app_meta_data -> 'invitation_pending') is distinct from 'true'::jsonb) then
    raise exception using errcode = 'PT400', message = 'account_already_active',
      detail = 'This account is already active. Log in instead.';
  end if;
  -- The sign-in email is the auth user's (kept in step with the candidate row, but it is the one that counts).
  return query select s.id, c.id, c.user_id, coalesce(u.email::text, c.email)
                 from (select 1) one left join auth.users u on u.id = c.user_id;
end
$$;

-- =====================================================================================================================
-- public API of the activation function (database owner only)
-- =====================================================================================================================

-- For the landing page: campaign title, company and the candidate's deadline. Nothing about the person.
create function private.invitation_preview(p_token_hash bytea)
returns table (campaign_title text, company text, deadline timestamptz)
language plpgsql
stable
set search_path = ''
as $$
declare
  t private.invitation_tokens;
begin
  select * into t from private.invitation_tokens it
   where it.token_hash = p_token_hash and it.used_at is null and it.revoked_at is null and it.expires_at > now();
  if not found then
    perform private.raise_invitation_token_error(p_token_hash);
  end if;
  perform private.check_invitation_target(t.session_id);
  return query
    select c.title, h.company, s.deadline
      from public.interview_sessions s
      join public.campaigns c on c.id = s.campaign_id
      join public.hiring_managers h on h.id = c.owner_id
     where s.id = t.session_id;
end
$$;

-- Consumes a usable token and returns whom to activate. The conditional update takes the row lock, so of two
-- concurrent calls with one token the second waits, then finds it used (invitation_used) once the first commits,
-- or consumes it if the first rolled back. Every refusal raises, so the caller's transaction keeps nothing.
create function private.consume_invitation_token(p_token_hash bytea)
returns table (session_id uuid, candidate_id uuid, user_id uuid, email text)
language plpgsql
set search_path = ''
as $$
declare
  consumed uuid;
begin
  update private.invitation_tokens it set used_at = now()
   where it.token_hash = p_token_hash and it.used_at is null and it.revoked_at is null and it.expires_at > now()
  returning it.session_id into consumed;
  if not found then
    perform private.raise_invitation_token_error(p_token_hash);
  end if;
  return query select * from private.check_invitation_target(consumed);
end
$$;

-- What the person typed on the activation form; omitted (null) fields keep the inviter's values.
create function private.apply_activation_profile(
  p_candidate_id uuid,
  p_first_name text default null,
  p_last_name text default null,
  p_phone text default null,
  p_linkedin_url text default null
)
returns void
language sql
set search_path = ''
as $$
  update public.candidates c
     set first_name = coalesce(p_first_name, c.first_name),
         last_name = coalesce(p_last_name, c.last_name),
         phone = coalesce(p_phone, c.phone),
         linkedin_url = coalesce(p_linkedin_url, c.linkedin_url)
   where c.id = p_candidate_id
$$;

-- =====================================================================================================================
-- grants
-- =====================================================================================================================

revoke all on private.rate_limit_hits from public, anon, authenticated, service_role;
revoke all on function private.hit_rate_limit(text, text, integer, interval) from public, anon, authenticated, service_role;
revoke all on function private.raise_invitation_token_error(bytea) from public, anon, authenticated, service_role;
revoke all on function private.check_invitation_target(uuid) from public, anon, authenticated, service_role;
revoke all on function private.invitation_preview(bytea) from public, anon, authenticated, service_role;
revoke all on function private.consume_invitation_token(bytea) from public, anon, authenticated, service_role;
revoke all on function private.apply_activation_profile(uuid, text, text, text, text)
  from public, anon, authenticated, service_role;
