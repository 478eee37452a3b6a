-- Interview sessions, invitation tokens, question reveals and video responses.
--
-- One session per (campaign, candidate). Its status follows a state machine enforced by a trigger for every writer:
--   invited -> in_progress | expired | withdrawn;  in_progress -> completed | expired | withdrawn.
-- Clients never write `status`: it has no column grant, and the RPCs below move it (start_interview, finish_interview,
-- withdraw_interview, submit_response, expire_overdue_sessions).
--
-- A question's prompt reaches a candidate only once reveal_next_question() records a reveal for their in-progress
-- session; the reveal stores the server-computed answer window. A response is refused unless its session is in
-- progress and before the deadline, its question was revealed in that session and the answer window (plus a grace
-- period of private.answer_grace()) is open, takes remain, and no take of that question was submitted yet.
--
-- Errors a client sees (SQLSTATE, message; PostgREST status):
--   PT404 session_not_found / response_not_found   not the caller's, or does not exist (404: ids do not leak)
--   PT409 invalid_status_transition                 state machine violation (detail names from/to)
--   PT409 campaign_not_open                         invite into a closed/archived/ended campaign
--   PT409 campaign_not_active                       start_interview while the campaign is not active
--   PT409 campaign_not_started                      start_interview before the campaign's start_date
--   PT409 session_deadline_passed                   start/reveal/respond after the deadline
--   PT409 session_not_in_progress                   reveal/respond/submit when the session is not in progress
--   PT409 no_more_questions                         reveal_next_question after the last question
--   PT409 question_not_revealed                     response for a question not revealed in this session
--   PT409 answer_window_closed                      response after answer_closes_at + grace
--   PT409 max_takes_reached                         response beyond the question's max_takes
--   PT409 question_already_submitted                another take of the question is already submitted
--   PT409 response_not_uploaded                     submit_response on a take that is not uploaded
--   PT409 question_locked                           edit/delete of a question that has responses
--   23514 session_deadline_in_past                  invite or deadline change to a past deadline (400)
--   23514 response_too_large                        size_bytes above the campaign's max_video_bytes (400)
--   42501 (permission denied / RLS)                 write outside the caller's rights (403)

-- =====================================================================================================================
-- types
-- =====================================================================================================================

create type public.session_status as enum ('invited', 'in_progress', 'completed', 'expired', 'withdrawn');
create type public.response_status as enum ('pending', 'uploaded', 'failed');

-- =====================================================================================================================
-- tables
-- =====================================================================================================================

create table public.interview_sessions (
  id uuid primary key default gen_random_uuid(),
  campaign_id uuid not null references public.campaigns (id) on delete cascade,
  candidate_id uuid not null references public.candidates (id) on delete cascade,
  status public.session_status not null default 'invited',
  deadline timestamptz not null,
  -- Actor columns (who invited, rated, decided) point at profiles: admins act on any campaign without being
  -- hiring managers.
  invited_by uuid default auth.uid() references public.profiles (id) on delete set null,
  invited_at timestamptz not null default now(),
  started_at timestamptz,
  completed_at timestamptz,
  expired_at timestamptz,
  withdrawn_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint interview_sessions_campaign_id_candidate_id_key unique (campaign_id, candidate_id)
);
comment on table public.interview_sessions is
  'One interview of one candidate in one campaign. status changes only through the RPCs (state machine).';
comment on column public.interview_sessions.deadline is
  'Effective deadline: the campaign end_date unless overridden for this candidate. Follows end_date changes '
  'while it still equals the old end_date.';
alter table public.interview_sessions enable row level security;

-- Invitation token hashes: no client role (anon, authenticated, service_role) has any privilege here.
create table private.invitation_tokens (
  session_id uuid primary key references public.interview_sessions (id) on delete cascade,
  token_hash bytea not null unique,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  used_at timestamptz,
  revoked_at timestamptz
);
comment on table private.invitation_tokens is
  'Hash of the current invitation token of a session (one live token per session). Never readable by clients.';
alter table private.invitation_tokens enable row level security;

create table public.question_reveals (
  session_id uuid not null references public.interview_sessions (id) on delete cascade,
  question_id uuid not null references public.questions (id) on delete cascade,
  campaign_id uuid not null references public.campaigns (id) on delete cascade,
  revealed_at timestamptz not null default now(),
  answer_opens_at timestamptz not null,
  answer_closes_at timestamptz not null,
  primary key (session_id, question_id)
);
comment on table public.question_reveals is
  'When each question was revealed in a session, and the answer window computed then. Written by '
  'reveal_next_question() only.';
alter table public.question_reveals enable row level security;

create table public.video_responses (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references public.interview_sessions (id) on delete cascade,
  question_id uuid not null references public.questions (id) on delete cascade,
  campaign_id uuid not null references public.campaigns (id) on delete cascade,
  take_number integer not null check (take_number > 0),
  object_key text not null unique,
  content_type text not null check (content_type ~* '^video/[a-z0-9.+-]+(;.*)?$'),
  size_bytes bigint check (size_bytes >= 0),
  duration_seconds numeric(8, 2) check (duration_seconds >= 0),
  status public.response_status not null default 'pending',
  is_submitted boolean not null default false,
  created_at timestamptz not null default now(),
  uploaded_at timestamptz,
  submitted_at timestamptz,
  constraint video_responses_session_question_take_key unique (session_id, question_id, take_number),
  constraint video_responses_submitted_is_uploaded check (not is_submitted or status = 'uploaded')
);
comment on table public.video_responses is
  'One recorded take. campaign_id, take_number and object_key are set by the database. Only one take per '
  '(session, question) can be submitted.';
alter table public.video_responses enable row level security;

-- =====================================================================================================================
-- indexes
-- =====================================================================================================================

create index interview_sessions_candidate_id_idx on public.interview_sessions (candidate_id);
create index interview_sessions_invited_by_idx on public.interview_sessions (invited_by);
create index interview_sessions_campaign_id_status_idx on public.interview_sessions (campaign_id, status);
create index interview_sessions_open_deadline_idx on public.interview_sessions (deadline)
  where status in ('invited', 'in_progress');
create index question_reveals_question_id_idx on public.question_reveals (question_id);
create index question_reveals_campaign_id_idx on public.question_reveals (campaign_id);
create index video_responses_question_id_idx on public.video_responses (question_id);
create index video_responses_campaign_id_idx on public.video_responses (campaign_id);
create unique index video_responses_one_submitted_per_question on public.video_responses (session_id, question_id)
  where is_submitted;

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

create trigger interview_sessions_set_updated_at before update on public.interview_sessions
  for each row execute function private.set_updated_at();

-- The grace period after answer_closes_at during which a response is still accepted (network, clock skew).
create function private.answer_grace()
returns interval
language sql
immutable
set search_path = ''
as $$
  select interval '30 seconds'
$$;

create function private.prepare_session_insert()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  c public.campaigns;
begin
  select * into c from public.campaigns where id = new.campaign_id;
  if not found then
    return new; -- the foreign key reports it
  end if;
  new.deadline := coalesce(new.deadline, c.end_date);
  if new.status = 'invited' then
    if c.status in ('closed', 'archived') or c.end_date <= now() then
      raise exception using errcode = 'PT409', message = 'campaign_not_open',
        detail = 'The campaign is closed, archived or past its end date.';
    end if;
    if new.deadline <= now() then
      raise exception using errcode = '23514', message = 'session_deadline_in_past',
        detail = 'The deadline must be in the future.';
    end if;
  end if;
  return new;
end
$$;

create trigger interview_sessions_prepare_insert before insert on public.interview_sessions
  for each row execute function private.prepare_session_insert();

-- The state machine, for every writer, plus the timestamps of each state.
create function private.enforce_session_update()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.status is distinct from old.status then
    if not (
      (old.status = 'invited' and new.status in ('in_progress', 'expired', 'withdrawn'))
      or (old.status = 'in_progress' and new.status in ('completed', 'expired', 'withdrawn'))
    ) then
      raise exception using errcode = 'PT409', message = 'invalid_status_transition',
        detail = format('A session cannot go from %s to %s.', old.status, new.status);
    end if;
    case new.status
      when 'in_progress' then new.started_at := coalesce(new.started_at, now());
      when 'completed' then new.completed_at := coalesce(new.completed_at, now());
      when 'expired' then new.expired_at := coalesce(new.expired_at, now());
      when 'withdrawn' then new.withdrawn_at := coalesce(new.withdrawn_at, now());
      else null;
    end case;
  end if;
  if new.deadline is distinct from old.deadline and new.status in ('invited', 'in_progress')
     and new.deadline <= now() then
    raise exception using errcode = '23514', message = 'session_deadline_in_past',
      detail = 'The deadline must be in the future.';
  end if;
  return new;
end
$$;

create trigger interview_sessions_enforce_update before update on public.interview_sessions
  for each row execute function private.enforce_session_update();

-- Sessions whose deadline is the campaign's end follow a change of that end.
create function private.follow_campaign_end_date()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.interview_sessions s
     set deadline = new.end_date
   where s.campaign_id = new.id
     and s.deadline = old.end_date
     and s.status in ('invited', 'in_progress');
  update private.invitation_tokens t
     set expires_at = new.end_date
    from public.interview_sessions s
   where s.id = t.session_id and s.campaign_id = new.id and t.expires_at = old.end_date;
  return new;
end
$$;

create trigger campaigns_follow_end_date after update of end_date on public.campaigns
  for each row when (old.end_date is distinct from new.end_date)
  execute function private.follow_campaign_end_date();

-- Every rule a new take must satisfy; also fills campaign_id, take_number and the server-built object_key.
create function private.prepare_response_insert()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  s public.interview_sessions;
  candidate_user uuid;
  r public.question_reveals;
  q public.questions;
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
  select * into q from public.questions where id = new.question_id;
  if exists (select 1 from public.video_responses v
              where v.session_id = new.session_id and v.question_id = new.question_id and v.is_submitted) then
    raise exception using errcode = 'PT409', message = 'question_already_submitted';
  end if;
  select count(*), coalesce(max(v.take_number), 0) into used, new.take_number
    from public.video_responses v
   where v.session_id = new.session_id and v.question_id = new.question_id;
  if used >= q.max_takes then
    raise exception using errcode = 'PT409', message = 'max_takes_reached',
      detail = format('This question allows %s takes.', q.max_takes);
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

create trigger video_responses_prepare_insert before insert on public.video_responses
  for each row execute function private.prepare_response_insert();

-- Questions are frozen once answered. A cascade from a deleted campaign still goes through.
create function private.lock_answered_questions()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.video_responses v where v.question_id = old.id)
     and exists (select 1 from public.campaigns c where c.id = old.campaign_id) then
    raise exception using errcode = 'PT409', message = 'question_locked',
      detail = 'A candidate has already answered this question.';
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end
$$;

create trigger questions_lock_answered before update or delete on public.questions
  for each row execute function private.lock_answered_questions();

revoke all on function private.answer_grace() from public;
revoke all on function private.prepare_session_insert() from public;
revoke all on function private.enforce_session_update() from public;
revoke all on function private.follow_campaign_end_date() from public;
revoke all on function private.prepare_response_insert() from public;
revoke all on function private.lock_answered_questions() from public;

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- The caller's own sessions (as a candidate).
create function private.my_session_ids()
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return array(
    select s.id from public.interview_sessions s
      join public.candidates c on c.id = s.candidate_id
     where c.user_id = auth.uid()
  );
end
$$;

-- Questions revealed to the caller in their own sessions.
create function private.my_revealed_question_ids()
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return array(
    select r.question_id from public.question_reveals r
     where r.session_id = any (private.my_session_ids())
  );
end
$$;

-- Candidates with a session in a campaign the caller may read (admins: every candidate with a session). A set, not an
-- array: policies test it with `in (select ...)`, one hashed lookup per row instead of a scan of an array that holds
-- a campaign's 10,000 candidates.
create function private.viewable_candidates()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
    select s.candidate_id from public.interview_sessions s
     where s.campaign_id = any (private.viewable_campaign_ids());
end
$$;

revoke all on function private.my_session_ids() from public;
revoke all on function private.my_revealed_question_ids() from public;
revoke all on function private.viewable_candidates() from public;
grant execute on function private.my_session_ids() to authenticated;
grant execute on function private.my_revealed_question_ids() to authenticated;
grant execute on function private.viewable_candidates() to authenticated;

-- Marks a take submitted (it must be uploaded) and completes the session once every non-practice question has a
-- submitted take. Idempotent. Callers have checked who may do it.
create function private.submit_response(p_response_id uuid)
returns public.video_responses
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.video_responses;
  s public.interview_sessions;
begin
  select * into v from public.video_responses where id = p_response_id for update;
  if v.is_submitted then
    return v;
  end if;
  select * into s from public.interview_sessions where id = v.session_id for update;
  if s.status <> 'in_progress' then
    raise exception using errcode = 'PT409', message = 'session_not_in_progress';
  end if;
  if v.status <> 'uploaded' then
    raise exception using errcode = 'PT409', message = 'response_not_uploaded';
  end if;
  if exists (select 1 from public.video_responses o
              where o.session_id = v.session_id and o.question_id = v.question_id and o.is_submitted) then
    raise exception using errcode = 'PT409', message = 'question_already_submitted';
  end if;
  update public.video_responses set is_submitted = true, submitted_at = now()
   where id = p_response_id
   returning * into v;
  if not exists (
    select 1 from public.questions q
     where q.campaign_id = s.campaign_id and not q.is_practice
       and not exists (select 1 from public.video_responses o
                        where o.session_id = s.id and o.question_id = q.id and o.is_submitted)
  ) then
    update public.interview_sessions set status = 'completed' where id = s.id;
  end if;
  return v;
end
$$;

revoke all on function private.submit_response(uuid) from public;

-- =====================================================================================================================
-- policies
-- =====================================================================================================================

create policy "Hiring managers can read candidates invited to their campaigns" on public.candidates
  for select to authenticated
  using (id in (select private.viewable_candidates()));

create policy "Candidates can read questions revealed to them" on public.questions
  for select to authenticated
  using (id = any ((select private.my_revealed_question_ids())::uuid[]));

create policy "Campaign members can read sessions" on public.interview_sessions
  for select to authenticated
  using (campaign_id = any ((select private.viewable_campaign_ids())::uuid[]));

create policy "Candidates can read their own sessions" on public.interview_sessions
  for select to authenticated
  using (candidate_id = (select private.my_candidate_id()));

create policy "Owners and editors can invite candidates" on public.interview_sessions
  for insert to authenticated
  with check (campaign_id = any ((select private.editable_campaign_ids())::uuid[]));

create policy "Owners and editors can change deadlines" on public.interview_sessions
  for update to authenticated
  using (campaign_id = any ((select private.editable_campaign_ids())::uuid[]))
  with check (campaign_id = any ((select private.editable_campaign_ids())::uuid[]));

create policy "Owners can erase sessions" on public.interview_sessions
  for delete to authenticated
  using (campaign_id = any ((select private.owned_campaign_ids())::uuid[]));

create policy "Campaign members can read reveals" on public.question_reveals
  for select to authenticated
  using (campaign_id = any ((select private.viewable_campaign_ids())::uuid[]));

create policy "Candidates can read their own reveals" on public.question_reveals
  for select to authenticated
  using (session_id = any ((select private.my_session_ids())::uuid[]));

create policy "Campaign members can read responses" on public.video_responses
  for select to authenticated
  using (campaign_id = any ((select private.viewable_campaign_ids())::uuid[]));

create policy "Candidates can read their own responses" on public.video_responses
  for select to authenticated
  using (session_id = any ((select private.my_session_ids())::uuid[]));

create policy "Candidates can record takes in their own sessions" on public.video_responses
  for insert to authenticated
  with check (session_id = any ((select private.my_session_ids())::uuid[]));

-- =====================================================================================================================
-- grants and RPCs
-- =====================================================================================================================

revoke all on private.invitation_tokens from public, anon, authenticated, service_role;
revoke all on public.interview_sessions, public.question_reveals, public.video_responses from anon, authenticated;
grant select, delete on public.interview_sessions to authenticated;
grant insert (campaign_id, candidate_id, deadline) on public.interview_sessions to authenticated;
grant update (deadline) on public.interview_sessions to authenticated;
grant select on public.question_reveals to authenticated;
grant select on public.video_responses to authenticated;
grant insert (session_id, question_id, content_type, size_bytes, duration_seconds)
  on public.video_responses to authenticated;

-- The caller's session (as its candidate), locked; PT404 session_not_found otherwise.
create function private.my_session_for_update(p_session_id uuid)
returns public.interview_sessions
language plpgsql
security definer
set search_path = ''
as $$
declare
  s public.interview_sessions;
begin
  select s1.* into s from public.interview_sessions s1
    join public.candidates c on c.id = s1.candidate_id
   where s1.id = p_session_id and c.user_id = auth.uid()
     for update of s1;
  if not found then
    raise exception using errcode = 'PT404', message = 'session_not_found';
  end if;
  return s;
end
$$;

revoke all on function private.my_session_for_update(uuid) from public;

-- Candidate: invited -> in_progress. Idempotent when already in progress.
create function public.start_interview(p_session_id uuid)
returns public.interview_sessions
language plpgsql
security definer
set search_path = ''
as $$
declare
  s public.interview_sessions := private.my_session_for_update(p_session_id);
  c public.campaigns;
begin
  if s.status = 'in_progress' then
    return s;
  end if;
  if s.status <> 'invited' then
    raise exception using errcode = 'PT409', message = 'invalid_status_transition',
      detail = format('A session cannot go from %s to in_progress.', s.status);
  end if;
  select * into c from public.campaigns where id = s.campaign_id;
  if c.status <> 'active' then
    raise exception using errcode = 'PT409', message = 'campaign_not_active';
  end if;
  if now() < c.start_date then
    raise exception using errcode = 'PT409', message = 'campaign_not_started';
  end if;
  if now() > s.deadline then
    raise exception using errcode = 'PT409', message = 'session_deadline_passed';
  end if;
  update public.interview_sessions set status = 'in_progress' where id = s.id returning * into s;
  return s;
end
$$;

revoke all on function public.start_interview(uuid) from public, anon;
grant execute on function public.start_interview(uuid) to authenticated;

-- Candidate: reveals the next question of an in-progress session and returns it with its answer window.
-- Idempotent while the current question is unanswered and its window (plus grace) is open: returns it again.
create function public.reveal_next_question(p_session_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  s public.interview_sessions := private.my_session_for_update(p_session_id);
  r public.question_reveals;
  q public.questions;
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
  else
    select * into q from public.questions q1
     where q1.campaign_id = s.campaign_id
       and not exists (select 1 from public.question_reveals r1 where r1.session_id = s.id and r1.question_id = q1.id)
     order by q1.position
     limit 1;
    if not found then
      raise exception using errcode = 'PT409', message = 'no_more_questions';
    end if;
    insert into public.question_reveals (session_id, question_id, campaign_id, revealed_at, answer_opens_at,
                                         answer_closes_at)
    values (s.id, q.id, s.campaign_id, now(), now() + make_interval(secs => q.think_time_seconds),
            now() + make_interval(secs => q.think_time_seconds + q.answer_time_seconds))
    returning * into r;
  end if;

  select count(*) into total from public.questions where campaign_id = s.campaign_id;
  select count(*) into revealed from public.question_reveals where session_id = s.id;
  return jsonb_build_object(
    'session_id', s.id,
    'question_id', q.id,
    'position', q.position,
    'prompt', q.prompt,
    'think_time_seconds', q.think_time_seconds,
    'answer_time_seconds', q.answer_time_seconds,
    'max_takes', q.max_takes,
    'is_practice', q.is_practice,
    'revealed_at', r.revealed_at,
    'answer_opens_at', r.answer_opens_at,
    'answer_closes_at', r.answer_closes_at,
    'grace_seconds', extract(epoch from private.answer_grace())::integer,
    'takes_used', (select count(*) from public.video_responses v where v.session_id = s.id and v.question_id = q.id),
    'question_number', revealed,
    'question_count', total
  );
end
$$;

revoke all on function public.reveal_next_question(uuid) from public, anon;
grant execute on function public.reveal_next_question(uuid) to authenticated;

-- Candidate: in_progress -> completed, even with unanswered questions. Idempotent when already completed.
create function public.finish_interview(p_session_id uuid)
returns public.interview_sessions
language plpgsql
security definer
set search_path = ''
as $$
declare
  s public.interview_sessions := private.my_session_for_update(p_session_id);
begin
  if s.status = 'completed' then
    return s;
  end if;
  if s.status <> 'in_progress' then
    raise exception using errcode = 'PT409', message = 'invalid_status_transition',
      detail = format('A session cannot go from %s to completed.', s.status);
  end if;
  update public.interview_sessions set status = 'completed' where id = s.id returning * into s;
  return s;
end
$$;

revoke all on function public.finish_interview(uuid) from public, anon;
grant execute on function public.finish_interview(uuid) to authenticated;

-- The session's candidate, or an owner/editor of its campaign: invited|in_progress -> withdrawn, and the
-- invitation token dies. Idempotent when already withdrawn.
create function public.withdraw_interview(p_session_id uuid)
returns public.interview_sessions
language plpgsql
security definer
set search_path = ''
as $$
declare
  s public.interview_sessions;
begin
  select s1.* into s from public.interview_sessions s1
    join public.candidates c on c.id = s1.candidate_id
   where s1.id = p_session_id
     and (c.user_id = auth.uid() or private.can_edit_campaign(s1.campaign_id))
     for update of s1;
  if not found then
    raise exception using errcode = 'PT404', message = 'session_not_found';
  end if;
  if s.status <> 'withdrawn' then
    if s.status not in ('invited', 'in_progress') then
      raise exception using errcode = 'PT409', message = 'invalid_status_transition',
        detail = format('A session cannot go from %s to withdrawn.', s.status);
    end if;
    update public.interview_sessions set status = 'withdrawn' where id = s.id returning * into s;
  end if;
  update private.invitation_tokens set revoked_at = now() where session_id = s.id and revoked_at is null;
  return s;
end
$$;

revoke all on function public.withdraw_interview(uuid) from public, anon;
grant execute on function public.withdraw_interview(uuid) to authenticated;

-- Candidate: marks an uploaded take as the submitted one (see private.submit_response).
create function public.submit_response(p_response_id uuid)
returns public.video_responses
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not exists (select 1 from public.video_responses v
                  where v.id = p_response_id and v.session_id = any (private.my_session_ids())) then
    raise exception using errcode = 'PT404', message = 'response_not_found';
  end if;
  return private.submit_response(p_response_id);
end
$$;

revoke all on function public.submit_response(uuid) from public, anon;
grant execute on function public.submit_response(uuid) to authenticated;

-- Uploads function only (service role), after it has checked the stored object: pending -> uploaded, then
-- submitted (completing the session after the last question). Idempotent.
create function public.complete_response_upload(p_response_id uuid, p_size_bytes bigint default null)
returns public.video_responses
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.video_responses;
begin
  select * into v from public.video_responses where id = p_response_id for update;
  if not found then
    raise exception using errcode = 'PT404', message = 'response_not_found';
  end if;
  if v.status = 'failed' then
    raise exception using errcode = 'PT409', message = 'response_failed';
  end if;
  if v.status = 'pending' then
    update public.video_responses
       set status = 'uploaded', uploaded_at = now(), size_bytes = coalesce(p_size_bytes, size_bytes)
     where id = p_response_id;
  end if;
  return private.submit_response(p_response_id);
end
$$;

revoke all on function public.complete_response_upload(uuid, bigint) from public, anon, authenticated;
grant execute on function public.complete_response_upload(uuid, bigint) to service_role;

-- Uploads function only (service role): a take whose object failed verification. The take still counts.
create function public.fail_response_upload(p_response_id uuid)
returns public.video_responses
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.video_responses;
begin
  update public.video_responses set status = 'failed'
   where id = p_response_id and status = 'pending'
   returning * into v;
  if not found then
    select * into v from public.video_responses where id = p_response_id;
    if not found then
      raise exception using errcode = 'PT404', message = 'response_not_found';
    end if;
    if v.status <> 'failed' then
      raise exception using errcode = 'PT409', message = 'response_not_pending';
    end if;
  end if;
  return v;
end
$$;

revoke all on function public.fail_response_upload(uuid) from public, anon, authenticated;
grant execute on function public.fail_response_upload(uuid) to service_role;

-- Scheduler/service role: invited|in_progress sessions past their deadline become expired. Returns how many.
create function public.expire_overdue_sessions()
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  n integer;
begin
  update public.interview_sessions set status = 'expired'
   where status in ('invited', 'in_progress') and deadline < now();
  get diagnostics n = row_count;
  return n;
end
$$;

revoke all on function public.expire_overdue_sessions() from public, anon, authenticated;
grant execute on function public.expire_overdue_sessions() to service_role;

-- Candidate: their interviews with the campaign's public fields only (never owner-only fields such as
-- retention_days). Filter like a table: supabase.rpc('my_interviews').eq('session_id', id).single().
create function public.my_interviews()
returns table (
  session_id uuid,
  status public.session_status,
  deadline timestamptz,
  invited_at timestamptz,
  started_at timestamptz,
  completed_at timestamptz,
  campaign_id uuid,
  title text,
  description text,
  company text,
  campaign_status public.campaign_status,
  start_date timestamptz,
  end_date timestamptz,
  think_time_seconds integer,
  answer_time_seconds integer,
  max_takes integer,
  max_video_bytes bigint,
  question_count integer,
  answered_count integer
)
language sql
stable
security definer
set search_path = ''
as $$
  select s.id, s.status, s.deadline, s.invited_at, s.started_at, s.completed_at,
         c.id, c.title, c.description, h.company, c.status, c.start_date, c.end_date,
         c.think_time_seconds, c.answer_time_seconds, c.max_takes, c.max_video_bytes,
         (select count(*)::integer from public.questions q where q.campaign_id = c.id and not q.is_practice),
         (select count(*)::integer from public.video_responses v
            join public.questions q on q.id = v.question_id
           where v.session_id = s.id and v.is_submitted and not q.is_practice)
    from public.interview_sessions s
    join public.candidates ca on ca.id = s.candidate_id
    join public.campaigns c on c.id = s.campaign_id
    join public.hiring_managers h on h.id = c.owner_id
   where ca.user_id = auth.uid()
   order by s.invited_at desc
$$;

revoke all on function public.my_interviews() from public, anon;
grant execute on function public.my_interviews() to authenticated;
