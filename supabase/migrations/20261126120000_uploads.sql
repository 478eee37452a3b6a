-- Uploads: what the `uploads` edge function needs from the database, and the proof of deletion.
--
-- The function signs S3 uploads; the database decides whether a take may be recorded (the triggers of the
-- interviews migration) and keeps what was granted, so that the stored object can be checked against it:
--   private.request_upload(...)          the candidate's pending take, inserted AS the caller (RLS + triggers), and
--                                        what signing needs, in one call (one round trip per upload request)
--   private.multipart_uploads            the S3 upload id of a multipart take (never client-writable)
--   public.video_deletions               every video deletion asked for (retention, erasure, failed verification),
--                                        and when the store confirmed it: the proof of deletion; every deleted take
--                                        queues its video there, whatever deleted it
--   video_responses.video_deleted_at     the take no longer has a video (playback answers 410)
-- Deletion is two-phase: the SQL below records what must go (and erases rows), the function deletes the objects and
-- then confirms; a row left unconfirmed is retried by every retention run. A `prefix` row (a session or campaign
-- folder) is swept again by each run until the longest upload grant (15 minutes) has expired, so an upload signed
-- before the erasure cannot leave an object behind.
--
-- Errors (SQLSTATE, message):
--   PT404 session_not_found / user_not_found    erase_session / prepare_account_erasure target missing or not yours
--   PT403 admin_required                        prepare_account_erasure by a non-admin
--   PT409 cannot_erase_self                     an admin erasing their own account

-- =====================================================================================================================
-- tables
-- =====================================================================================================================

alter table public.video_responses add column video_deleted_at timestamptz;
comment on column public.video_responses.video_deleted_at is
  'When the take''s video was deleted (retention); the row, its evaluations and its metadata stay.';

create table private.multipart_uploads (
  response_id uuid primary key references public.video_responses (id) on delete cascade,
  upload_id text not null check (char_length(upload_id) between 1 and 1024),
  part_size bigint not null check (part_size >= 5242880),
  part_count integer not null check (part_count between 1 and 10000),
  created_at timestamptz not null default now()
);
comment on table private.multipart_uploads is
  'S3 multipart upload of a take: written by the uploads function only (an upload id names an S3 upload of one key).';
alter table private.multipart_uploads enable row level security;

create table public.video_deletions (
  id bigint generated always as identity primary key,
  object_key text not null check (char_length(object_key) between 1 and 1024),
  is_prefix boolean not null default false,
  reason text not null check (reason in ('retention', 'erasure', 'account_erasure', 'verification_failed')),
  response_id uuid,
  session_id uuid,
  campaign_id uuid,
  requested_by uuid,
  requested_at timestamptz not null default now(),
  deleted_at timestamptz
);
comment on table public.video_deletions is
  'Proof of deletion: each video (or folder of videos, is_prefix) deleted from storage, why, who asked, and when the '
  'store confirmed it (deleted_at; null = still to do). No foreign keys and no personal data: rows outlive what they '
  'describe.';
alter table public.video_deletions enable row level security;

-- =====================================================================================================================
-- indexes
-- =====================================================================================================================

create index video_deletions_campaign_id_requested_at_idx on public.video_deletions (campaign_id, requested_at);
create index video_deletions_pending_idx on public.video_deletions (requested_at) where deleted_at is null;
create index video_deletions_response_id_idx on public.video_deletions (response_id);
create index video_deletions_object_key_idx on public.video_deletions (object_key);
create index video_responses_session_id_idx on public.video_responses (session_id) where video_deleted_at is null;

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

-- Owners may delete a session through PostgREST ("Owners can erase sessions"), admins may delete an account from the
-- dashboard, and campaigns cascade: none of these goes through the uploads function, and each would leave videos in
-- storage with nothing pointing at them. So every deleted take records its object (reason `erasure`) unless a
-- deletion of it is recorded already (the uploads function records them before it deletes rows); the next retention
-- run deletes it and confirms.
create function private.queue_deleted_take_video()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.video_deleted_at is null
     and not exists (select 1 from public.video_deletions d where d.object_key = old.object_key) then
    insert into public.video_deletions (object_key, reason, response_id, session_id, campaign_id, requested_by)
    values (old.object_key, 'erasure', old.id, old.session_id, old.campaign_id, auth.uid());
  end if;
  return null;
end
$$;

create trigger video_responses_queue_video_deletion after delete on public.video_responses
  for each row execute function private.queue_deleted_take_video();

revoke all on function private.queue_deleted_take_video() from public;

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- The longest upload grant the function signs; a folder is swept again until this has passed since the erasure.
create function private.upload_grant_ttl()
returns interval
language sql
immutable
set search_path = ''
as $$
  select interval '15 minutes'
$$;

-- The size cap of a session's campaign, for its candidate (candidates cannot read campaigns).
create function private.my_session_upload_limit(p_session_id uuid)
returns bigint
language sql
stable
security definer
set search_path = ''
as $$
  select c.max_video_bytes
    from public.interview_sessions s
    join public.campaigns c on c.id = s.campaign_id
   where s.id = p_session_id and s.id = any (private.my_session_ids())
$$;

-- Candidate (through the uploads function): records the next take of a revealed question as a pending response.
-- security invoker: the insert runs as the caller, so the insert policy and every trigger rule apply.
-- A retry of the same recording (same question, content type and size, still pending, answer window still open)
-- gets the same take back (reused = true) instead of spending another one: a dropped connection costs no take.
create function private.request_upload(
  p_session_id uuid,
  p_question_id uuid,
  p_content_type text,
  p_size_bytes bigint,
  p_duration_seconds numeric default null
)
returns table (
  response_id uuid,
  campaign_id uuid,
  object_key text,
  take_number integer,
  max_takes integer,
  max_video_bytes bigint,
  reused boolean
)
language plpgsql
set search_path = ''
as $$
declare
  v public.video_responses;
  is_reused boolean := false;
begin
  -- Two requests for the same recording at once (a client retrying while its first request is in flight) must not
  -- both insert: requests for one session take turns, for this transaction only.
  perform pg_advisory_xact_lock(hashtextextended('private.request_upload:' || p_session_id::text, 0));
  -- Every table read here goes through RLS as the caller: their own session, reveals and takes only.
  select v1.* into v from public.video_responses v1
    join public.interview_sessions s on s.id = v1.session_id
    join public.question_reveals r on r.session_id = v1.session_id and r.question_id = v1.question_id
   where v1.session_id = p_session_id and v1.question_id = p_question_id and v1.status = 'pending'
     and v1.content_type = p_content_type and v1.size_bytes = p_size_bytes
     and s.status = 'in_progress' and now() <= s.deadline
     and now() <= r.answer_closes_at + private.answer_grace()
     and not exists (select 1 from public.video_responses o
                      where o.session_id = v1.session_id and o.question_id = v1.question_id and o.is_submitted)
   order by v1.take_number desc
   limit 1;
  if found then
    is_reused := true;
  else
    insert into public.video_responses (session_id, question_id, content_type, size_bytes, duration_seconds)
    values (p_session_id, p_question_id, p_content_type, p_size_bytes, p_duration_seconds)
    returning * into v;
  end if;
  return query
    select v.id, v.campaign_id, v.object_key, v.take_number, q.max_takes,
           private.my_session_upload_limit(v.session_id), is_reused
      from public.questions q
     where q.id = v.question_id;
end
$$;

-- Records deletions to do and returns them (id, object_key, is_prefix).
create function private.log_video_deletions(p_reason text, p_keys text[], p_prefixes text[],
                                            p_session_id uuid, p_campaign_id uuid)
returns setof public.video_deletions
language sql
security definer
set search_path = ''
as $$
  insert into public.video_deletions (object_key, is_prefix, reason, session_id, campaign_id, requested_by,
                                      response_id)
  select k.key, k.is_prefix, p_reason, p_session_id, p_campaign_id, auth.uid(), v.id
    from (select unnest(p_keys) as key, false as is_prefix
          union all
          select unnest(p_prefixes), true) k
    left join public.video_responses v on v.object_key = k.key and not k.is_prefix
  returning *
$$;

-- Admin, through the uploads function: before an account is deleted (through the Auth admin API, whose cascades
-- remove profile, candidate record, sessions, owned campaigns, responses and evaluations), records every video of the
-- account for deletion: the takes of the sessions where it is the candidate and everything in the campaigns it owns.
-- Not an RPC: called alone, it would queue the account's videos for deletion without erasing the account. The
-- uploads function calls it as the admin (the admin check reads the caller's claims), then deletes the user.
create function private.prepare_account_erasure(p_user_id uuid)
returns setof public.video_deletions
language plpgsql
security definer
set search_path = ''
as $$
declare
  keys text[];
  prefixes text[];
begin
  if not private.is_admin() then
    raise exception using errcode = 'PT403', message = 'admin_required';
  end if;
  if not exists (select 1 from auth.users u where u.id = p_user_id) then
    raise exception using errcode = 'PT404', message = 'user_not_found';
  end if;
  if p_user_id = auth.uid() then
    raise exception using errcode = 'PT409', message = 'cannot_erase_self';
  end if;
  with sessions as (
    select s.id, s.campaign_id from public.interview_sessions s
      join public.candidates c on c.id = s.candidate_id
     where c.user_id = p_user_id
  ), campaigns as (
    select c.id from public.campaigns c where c.owner_id = p_user_id
  )
  select
    coalesce((select array_agg(v.object_key) from public.video_responses v
               where v.video_deleted_at is null
                 and (v.session_id in (select id from sessions) or v.campaign_id in (select id from campaigns))),
             '{}'),
    array(select format('campaigns/%s/sessions/%s/', s.campaign_id, s.id) from sessions s
           where s.campaign_id not in (select id from campaigns)
          union all
          select format('campaigns/%s/', c.id) from campaigns c)
    into keys, prefixes;
  return query select * from private.log_video_deletions('account_erasure', keys, prefixes, null, null);
end
$$;

revoke all on function private.upload_grant_ttl() from public;
grant execute on function private.answer_grace() to authenticated;
revoke all on function private.my_session_upload_limit(uuid) from public;
revoke all on function private.request_upload(uuid, uuid, text, bigint, numeric) from public;
revoke all on function private.log_video_deletions(text, text[], text[], uuid, uuid) from public;
revoke all on function private.prepare_account_erasure(uuid) from public;
grant execute on function private.my_session_upload_limit(uuid) to authenticated;
grant execute on function private.request_upload(uuid, uuid, text, bigint, numeric) to authenticated;
grant execute on function private.prepare_account_erasure(uuid) to authenticated;

-- =====================================================================================================================
-- policies
-- =====================================================================================================================

create policy "Owners can read the deletion log of their campaigns" on public.video_deletions
  for select to authenticated
  using (campaign_id = any ((select private.owned_campaign_ids())::uuid[]));

create policy "Admins can read the whole deletion log" on public.video_deletions
  for select to authenticated
  using ((select private.is_admin()));

-- =====================================================================================================================
-- grants and RPCs
-- =====================================================================================================================

revoke all on private.multipart_uploads from public, anon, authenticated, service_role;
revoke all on public.video_deletions from anon, authenticated, service_role;
grant select on public.video_deletions to authenticated, service_role;

-- Owner of the campaign (or admin): erases a candidate from a campaign. Deletes the session with its responses,
-- evaluations, reveals and decision, and the candidate record too when nothing else refers to it (no account, no
-- other session). Returns the deletions the caller must carry out in storage. An RPC too: called directly, it erases
-- the rows at once and the queued objects go at the next retention run.
create function public.erase_session(p_session_id uuid)
returns setof public.video_deletions
language plpgsql
security definer
set search_path = ''
as $$
declare
  s public.interview_sessions;
  keys text[];
begin
  select * into s from public.interview_sessions where id = p_session_id for update;
  if not found or not private.is_campaign_owner(s.campaign_id) then
    raise exception using errcode = 'PT404', message = 'session_not_found';
  end if;
  select coalesce(array_agg(v.object_key order by v.created_at), '{}') into keys
    from public.video_responses v where v.session_id = s.id and v.video_deleted_at is null;
  return query
    select * from private.log_video_deletions('erasure', keys,
      array[format('campaigns/%s/sessions/%s/', s.campaign_id, s.id)], s.id, s.campaign_id);
  delete from public.interview_sessions where id = s.id;
  delete from public.candidates c
   where c.id = s.candidate_id and c.user_id is null
     and not exists (select 1 from public.interview_sessions o where o.candidate_id = c.id);
end
$$;

revoke all on function public.erase_session(uuid) from public, anon;
grant execute on function public.erase_session(uuid) to authenticated;

-- Service role (retention run): records for deletion the videos of sessions that ended more than their campaign's
-- retention_days ago (ended = completed, expired or withdrawn; a session still open past its deadline counts from
-- the deadline), marks those takes video_deleted_at, then returns the deletions not yet confirmed, oldest first, after
-- p_after_id: the caller pages through a backlog larger than p_limit (folders stay unconfirmed for 15 minutes, so
-- the first page alone could come back unchanged run after run).
create function public.take_video_deletions(p_limit integer default 500, p_after_id bigint default 0)
returns setof public.video_deletions
language plpgsql
security definer
set search_path = ''
as $$
declare
  due record;
begin
  for due in
    select s.id as session_id, s.campaign_id,
           array_agg(v.object_key order by v.created_at) as keys
      from public.interview_sessions s
      join public.campaigns c on c.id = s.campaign_id
      join public.video_responses v on v.session_id = s.id and v.video_deleted_at is null
     where coalesce(s.completed_at, s.expired_at, s.withdrawn_at,
                    case when s.deadline < now() then s.deadline end)
           < now() - make_interval(days => c.retention_days)
     group by s.id, s.campaign_id
     limit greatest(p_limit, 1)
  loop
    update public.video_responses set video_deleted_at = now()
     where session_id = due.session_id and video_deleted_at is null;
    perform private.log_video_deletions('retention', due.keys,
      array[format('campaigns/%s/sessions/%s/', due.campaign_id, due.session_id)], due.session_id, due.campaign_id);
  end loop;
  return query
    select * from public.video_deletions d
     where d.deleted_at is null and d.id > p_after_id
     order by d.id
     limit greatest(p_limit, 1);
end
$$;

revoke all on function public.take_video_deletions(integer, bigint) from public, anon, authenticated;
grant execute on function public.take_video_deletions(integer, bigint) to service_role;

-- Service role: the store confirmed these deletions. A folder stays pending until every grant signed before its
-- erasure has expired (it is swept again meanwhile). Returns the ids confirmed.
create function public.confirm_video_deletions(p_ids bigint[])
returns setof bigint
language sql
security definer
set search_path = ''
as $$
  update public.video_deletions d set deleted_at = now()
   where d.id = any (p_ids) and d.deleted_at is null
     and (not d.is_prefix or d.requested_at < now() - private.upload_grant_ttl())
  returning d.id
$$;

revoke all on function public.confirm_video_deletions(bigint[]) from public, anon, authenticated;
grant execute on function public.confirm_video_deletions(bigint[]) to service_role;

-- Service role: a take whose object failed verification is failed, and its (deleted) object is logged.
create function public.reject_response_upload(p_response_id uuid)
returns public.video_responses
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.video_responses := public.fail_response_upload(p_response_id);
begin
  if not exists (select 1 from public.video_deletions d
                  where d.response_id = v.id and d.reason = 'verification_failed') then
    perform private.log_video_deletions('verification_failed', array[v.object_key], '{}', v.session_id,
                                        v.campaign_id);
  end if;
  return v;
end
$$;

revoke all on function public.reject_response_upload(uuid) from public, anon, authenticated;
grant execute on function public.reject_response_upload(uuid) to service_role;
