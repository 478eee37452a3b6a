-- Accommodations: per session, a campaign's owner or editor may grant a candidate extra time (a factor, extra
-- seconds, or both) and extra takes, within bounds. Every rule that enforces think time, answer time and takes uses
-- the accommodated values, for every writer:
--   * reveal_next_question computes the reveal's answer window (answer_opens_at, answer_closes_at) from them, so the
--     think-time trigger, the take-insert rules, the upload grant's lifetime, complete's "received in time" and the
--     deadline's in-flight rule all follow;
--   * a new take is refused past the accommodated max_takes (prepare_response_insert, request_upload);
--   * the uploads function's recording_too_long check reads the accommodated answer time
--     (private.session_question_limits).
-- Accommodated seconds = ceil(base * time_factor) + extra_seconds, for think time and answer time alike; takes =
-- max_takes + extra_takes. A change applies to questions revealed after it (a revealed question keeps its window)
-- and to takes at once. The candidate reads their own accommodation (the table, my_interviews, each reveal). Each
-- grant, change and removal is in the session's audit trail (audit_log, session.accommodation_changed).
--
-- Errors a caller sees (SQLSTATE, message; PostgREST status):
--   23514 accommodation_time_factor_bounded    time_factor outside 1.00 .. 3.00 (400)
--   23514 accommodation_extra_seconds_bounded  extra_seconds outside 0 .. 1800 (400)
--   23514 accommodation_extra_takes_bounded    extra_takes outside 0 .. 5 (400)
--   42501 (RLS)                                a write by anyone but the campaign's owners, editors and admins (403)
--   23505                                      a second accommodation row for one session (409; update it instead)

-- =====================================================================================================================
-- tables
-- =====================================================================================================================

create table public.session_accommodations (
  session_id uuid primary key references public.interview_sessions (id) on delete cascade,
  campaign_id uuid not null references public.campaigns (id) on delete cascade,
  time_factor numeric(3, 2) not null default 1
    constraint accommodation_time_factor_bounded check (time_factor between 1 and 3),
  extra_seconds integer not null default 0
    constraint accommodation_extra_seconds_bounded check (extra_seconds between 0 and 1800),
  extra_takes integer not null default 0
    constraint accommodation_extra_takes_bounded check (extra_takes between 0 and 5),
  granted_by uuid default auth.uid() references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.session_accommodations is
  'Extra time and takes granted to one candidate in one session (owners and editors). Think and answer times become '
  'ceil(base * time_factor) + extra_seconds; takes become max_takes + extra_takes.';
comment on column public.session_accommodations.time_factor is 'Multiplies think and answer times: 1.00 to 3.00.';
comment on column public.session_accommodations.extra_seconds is 'Added to think and answer times: 0 to 1800.';
comment on column public.session_accommodations.extra_takes is 'Added to each question''s max_takes: 0 to 5.';
comment on column public.session_accommodations.campaign_id is 'Set by the database from the session.';
alter table public.session_accommodations enable row level security;

create index session_accommodations_campaign_id_idx on public.session_accommodations (campaign_id);
create index session_accommodations_granted_by_idx on public.session_accommodations (granted_by);

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

create trigger session_accommodations_set_updated_at before update on public.session_accommodations
  for each row execute function private.set_updated_at();

create function private.prepare_accommodation()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  select s.campaign_id into new.campaign_id from public.interview_sessions s where s.id = new.session_id;
  if tg_op = 'INSERT' then
    new.granted_by := auth.uid();
    new.created_at := now();
  else
    new.granted_by := coalesce(auth.uid(), old.granted_by);
  end if;
  return new;
end
$$;

revoke all on function private.prepare_accommodation() from public, anon, authenticated;

create trigger session_accommodations_prepare before insert or update on public.session_accommodations
  for each row execute function private.prepare_accommodation();

create function private.audit_accommodation()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  r public.session_accommodations := case when tg_op = 'DELETE' then old else new end;
begin
  if tg_op = 'DELETE' and not exists (select 1 from public.interview_sessions s where s.id = old.session_id) then
    return null; -- the session itself is being erased
  end if;
  insert into public.audit_log (actor_id, action, entity, entity_id, campaign_id, details)
  values (auth.uid(), 'session.accommodation_changed', 'interview_session', r.session_id, r.campaign_id,
          jsonb_build_object(
            'operation', lower(tg_op),
            'time_factor', case when tg_op = 'DELETE' then 1 else new.time_factor end,
            'extra_seconds', case when tg_op = 'DELETE' then 0 else new.extra_seconds end,
            'extra_takes', case when tg_op = 'DELETE' then 0 else new.extra_takes end)
          || case when tg_op = 'INSERT' then '{}'::jsonb
                  else jsonb_build_object('from', jsonb_build_object('time_factor', old.time_factor,
                         'extra_seconds', old.extra_seconds, 'extra_takes', old.extra_takes)) end);
  return null;
end
$$;

revoke all on function private.audit_accommodation() from public, anon, authenticated;

create trigger session_accommodations_audit after insert or update or delete on public.session_accommodations
  for each row execute function private.audit_accommodation();

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- The limits that apply to one question in one session, accommodation included. Definer: the uploads function asks
-- as the candidate, who may not read every question row.
create function private.session_question_limits(p_session_id uuid, p_question_id uuid)
returns table (think_time_seconds integer, answer_time_seconds integer, max_takes integer)
language sql
stable
security definer
set search_path = ''
as $$
  select ceil(q.think_time_seconds * coalesce(a.time_factor, 1))::integer + coalesce(a.extra_seconds, 0),
         ceil(q.answer_time_seconds * coalesce(a.time_factor, 1))::integer + coalesce(a.extra_seconds, 0),
         q.max_takes + coalesce(a.extra_takes, 0)
    from public.questions q
    left join public.session_accommodations a on a.session_id = p_session_id
   where q.id = p_question_id
$$;

revoke all on function private.session_question_limits(uuid, uuid) from public, anon;
grant execute on function private.session_question_limits(uuid, uuid) to authenticated, service_role;

-- The accommodation of a session as the candidate sees it (null without one).
create function private.session_accommodation_json(p_session_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object('time_factor', a.time_factor, 'extra_seconds', a.extra_seconds,
                            'extra_takes', a.extra_takes, 'updated_at', a.updated_at)
    from public.session_accommodations a where a.session_id = p_session_id
$$;

revoke all on function private.session_accommodation_json(uuid) from public, anon;
grant execute on function private.session_accommodation_json(uuid) to authenticated, service_role;

-- Every rule a new take must satisfy (20261126100200_interviews.sql), with the accommodated max_takes.
create or replace function private.prepare_response_insert()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  s public.interview_sessions;
  candidate_user uuid;
  r public.question_reveals;
  allowed integer;
  cap bigint;
  used integer;
begin
  -- Lock the session: concurrent takes for it are numbered one after the other.
  select * into s from public.interview_sessions where id = new.session_id for update;
  if not found then
    return new; -- the foreign key reports it
  end if;
  select c.user_id into candidate_user from public.candidates c where c.id = s.candidate_id;
  -- A signed-in caller may only answer in their own session (checked here first so nothing about others leaks).
  if auth.uid() is not null and candidate_user is distinct from auth.uid() then
    raise exception using errcode = '42501',
      message = 'new row violates row-level security policy for table "video_responses"';
  end if;
  if s.status <> 'in_progress' then
    raise exception using errcode = 'PT409', message = 'session_not_in_progress';
  end if;
  if now() > s.deadline then
    raise exception using errcode = 'PT409', message = 'session_deadline_passed';
  end if;
  select * into r from public.question_reveals
   where session_id = new.session_id and question_id = new.question_id;
  if not found then
    raise exception using errcode = 'PT409', message = 'question_not_revealed';
  end if;
  if now() > r.answer_closes_at + private.answer_grace() then
    raise exception using errcode = 'PT409', message = 'answer_window_closed';
  end if;
  select l.max_takes into allowed from private.session_question_limits(new.session_id, new.question_id) l;
  if exists (select 1 from public.video_responses v
              where v.session_id = new.session_id and v.question_id = new.question_id and v.is_submitted) then
    raise exception using errcode = 'PT409', message = 'question_already_submitted';
  end if;
  select count(*), coalesce(max(v.take_number), 0) into used, new.take_number
    from public.video_responses v
   where v.session_id = new.session_id and v.question_id = new.question_id;
  if used >= allowed then
    raise exception using errcode = 'PT409', message = 'max_takes_reached',
      detail = format('This question allows %s takes.', allowed);
  end if;
  select c.max_video_bytes into cap from public.campaigns c where c.id = s.campaign_id;
  if new.size_bytes > cap then
    raise exception using errcode = '23514', message = 'response_too_large',
      detail = format('The limit is %s bytes.', cap);
  end if;

  new.campaign_id := s.campaign_id;
  new.take_number := new.take_number + 1;
  new.object_key := coalesce(new.object_key, format('campaigns/%s/sessions/%s/%s/%s-%s.%s',
    s.campaign_id, s.id, new.question_id, new.take_number, new.id,
    case when new.content_type ilike 'video/mp4%' then 'mp4'
         when new.content_type ilike 'video/webm%' then 'webm'
         else 'bin' end));
  new.status := 'pending';
  new.is_submitted := false;
  new.created_at := now();
  new.uploaded_at := null;
  new.submitted_at := null;
  return new;
end
$$;

-- The upload grant (20261126120000_uploads.sql), answering the accommodated max_takes.
create or replace function private.request_upload(
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
    select v.id, v.campaign_id, v.object_key, v.take_number, l.max_takes,
           private.my_session_upload_limit(v.session_id), is_reused
      from private.session_question_limits(v.session_id, v.question_id) l;
end
$$;

-- Reveals the next question (20261126100200_interviews.sql), its answer window computed from the accommodated times.
create or replace function public.reveal_next_question(p_session_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  s public.interview_sessions := private.my_session_for_update(p_session_id);
  r public.question_reveals;
  q public.questions;
  l record;
  total integer;
  revealed integer;
begin
  if s.status <> 'in_progress' then
    raise exception using errcode = 'PT409', message = 'session_not_in_progress';
  end if;
  if now() > s.deadline then
    raise exception using errcode = 'PT409', message = 'session_deadline_passed';
  end if;

  select * into r from public.question_reveals
   where session_id = s.id order by revealed_at desc limit 1;
  if found and now() <= r.answer_closes_at + private.answer_grace()
     and not exists (select 1 from public.video_responses v
                      where v.session_id = s.id and v.question_id = r.question_id and v.is_submitted) then
    select * into q from public.questions where id = r.question_id;
    select * into l from private.session_question_limits(s.id, q.id);
  else
    select * into q from public.questions q1
     where q1.campaign_id = s.campaign_id
       and not exists (select 1 from public.question_reveals r1 where r1.session_id = s.id and r1.question_id = q1.id)
     order by q1.position
     limit 1;
    if not found then
      raise exception using errcode = 'PT409', message = 'no_more_questions';
    end if;
    select * into l from private.session_question_limits(s.id, q.id);
    insert into public.question_reveals (session_id, question_id, campaign_id, revealed_at, answer_opens_at,
                                         answer_closes_at)
    values (s.id, q.id, s.campaign_id, now(), now() + make_interval(secs => l.think_time_seconds),
            now() + make_interval(secs => l.think_time_seconds + l.answer_time_seconds))
    returning * into r;
  end if;

  select count(*) into total from public.questions where campaign_id = s.campaign_id;
  select count(*) into revealed from public.question_reveals where session_id = s.id;
  return jsonb_build_object(
    'session_id', s.id,
    'question_id', q.id,
    'position', q.position,
    'prompt', q.prompt,
    -- The window of a question revealed before an accommodation changed is the one computed at its reveal.
    'think_time_seconds', extract(epoch from (r.answer_opens_at - r.revealed_at))::integer,
    'answer_time_seconds', extract(epoch from (r.answer_closes_at - r.answer_opens_at))::integer,
    'max_takes', l.max_takes,
    'is_practice', q.is_practice,
    'revealed_at', r.revealed_at,
    'answer_opens_at', r.answer_opens_at,
    'answer_closes_at', r.answer_closes_at,
    'grace_seconds', extract(epoch from private.answer_grace())::integer,
    'takes_used', (select count(*) from public.video_responses v where v.session_id = s.id and v.question_id = q.id),
    'question_number', revealed,
    'question_count', total,
    'accommodation', private.session_accommodation_json(s.id)
  );
end
$$;

-- =====================================================================================================================
-- policies
-- =====================================================================================================================

create policy "Campaign members can read accommodations" on public.session_accommodations
  for select to authenticated
  using (campaign_id = any ((select private.viewable_campaign_ids())::uuid[]));

create policy "Candidates can read their own accommodations" on public.session_accommodations
  for select to authenticated
  using (session_id = any ((select private.my_session_ids())::uuid[]));

create policy "Owners and editors can grant accommodations" on public.session_accommodations
  for insert to authenticated
  -- campaign_id is the session's, set by the BEFORE trigger that runs before this check.
  with check (campaign_id = any ((select private.editable_campaign_ids())::uuid[]));

create policy "Owners and editors can change accommodations" on public.session_accommodations
  for update to authenticated
  using (campaign_id = any ((select private.editable_campaign_ids())::uuid[]))
  with check (campaign_id = any ((select private.editable_campaign_ids())::uuid[]));

create policy "Owners and editors can remove accommodations" on public.session_accommodations
  for delete to authenticated
  using (campaign_id = any ((select private.editable_campaign_ids())::uuid[]));

-- =====================================================================================================================
-- grants
-- =====================================================================================================================

revoke all on public.session_accommodations from anon, authenticated;
grant select, delete on public.session_accommodations to authenticated;
grant insert (session_id, time_factor, extra_seconds, extra_takes) on public.session_accommodations to authenticated;
grant update (time_factor, extra_seconds, extra_takes) on public.session_accommodations to authenticated;
