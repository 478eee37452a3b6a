-- Each reveal carries the limits in force for its question in its session, so that a retried upload request reads
-- them from the row it already reads instead of three more relations.
--
-- private.my_reused_upload_grant() (20261203650000_upload_retries_answer_in_one_query) joined campaigns (the size
-- cap), questions (max_takes) and session_accommodations (extra_takes) to answer a reused take. Measured with pgbench
-- at the benchmark's request rate on its dataset, a version without the three lookups cost Postgres 25-33% less CPU
-- per call; executor start-up for the seven relations was the largest share of the call.
--
-- question_reveals.max_takes (questions.max_takes + the session's extra_takes) and question_reveals.max_video_bytes
-- (campaigns.max_video_bytes) are copies that only the database writes:
--   * question_reveals_fill_limits computes them from their sources on every insert of a reveal and every update that
--     names them or the reveal's session or question, whatever the writer supplied: they can never be set to anything
--     else (the triggers fire in replica mode too);
--   * a change to a source (a campaign's cap, a question's max_takes, a session's accommodation, granted, changed or
--     removed) refreshes the reveals it reaches, in the same transaction (private.refresh_reveal_limits).
-- No lost update between a refresh and a reveal being inserted: whoever inserts a reveal holds its session's row lock
-- (reveal_next_question() does, through private.my_session_for_update()), and a refresh locks the sessions it
-- refreshes before it reads their reveals. Whichever comes second sees the other's committed rows. Sessions are
-- locked after the campaign row, the order campaigns_follow_end_date already uses.
--
-- The takes a candidate may record are still enforced from the sources themselves (prepare_response_insert); the
-- copies are what the grant reports and what the upload's size cap is signed with.
--
-- New: question_reveals.max_takes, question_reveals.max_video_bytes, private.reveal_limits(),
-- private.refresh_reveal_limits(), triggers question_reveals_fill_limits, campaigns_refresh_reveal_limits,
-- questions_refresh_reveal_limits, session_accommodations_refresh_reveal_limits. Replaces:
-- private.my_reused_upload_grant() (body of 20261203650000_upload_retries_answer_in_one_query).

alter table public.question_reveals
  add column max_takes integer,
  add column max_video_bytes bigint;

comment on column public.question_reveals.max_takes is
  'Takes allowed now: the question''s max_takes plus the session''s extra_takes. Kept by the database.';
comment on column public.question_reveals.max_video_bytes is
  'Upload size cap now: the campaign''s max_video_bytes. Kept by the database.';

-- The one definition of the copies. PL/pgSQL, so that its plan is kept: as a definer SQL function it was planned on
-- every call, 144 us a row when a bulk load inserts reveals, against 21 us now.
create function private.reveal_limits(p_session_id uuid, p_question_id uuid)
returns table (max_takes integer, max_video_bytes bigint)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
    select l.max_takes, c.max_video_bytes
      from private.session_question_limits(p_session_id, p_question_id) l
     cross join public.questions q
      join public.campaigns c on c.id = q.campaign_id
     where q.id = p_question_id;
end
$$;

revoke all on function private.reveal_limits(uuid, uuid) from public, anon, authenticated;

create function private.fill_reveal_limits()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  select l.max_takes, l.max_video_bytes into new.max_takes, new.max_video_bytes
    from private.reveal_limits(new.session_id, new.question_id) l;
  return new;
end
$$;

revoke all on function private.fill_reveal_limits() from public, anon, authenticated;

create trigger question_reveals_fill_limits
  before insert or update of session_id, question_id, max_takes, max_video_bytes on public.question_reveals
  for each row execute function private.fill_reveal_limits();

-- Refreshes the copies of one campaign's reveals, or only those of one session or of one question. Every session of
-- the campaign (or the one session) is locked either way: a reveal of the question may be on its way in any of them.
create function private.refresh_reveal_limits(
  p_campaign_id uuid,
  p_session_id uuid default null,
  p_question_id uuid default null
)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform 1 from public.interview_sessions s
    where s.campaign_id = p_campaign_id and (p_session_id is null or s.id = p_session_id)
    order by s.id
    for no key update;
  -- A new statement, so a new snapshot: it sees every reveal committed while the locks were awaited.
  update public.question_reveals r
     set (max_takes, max_video_bytes) = (select l.max_takes, l.max_video_bytes
                                           from private.reveal_limits(r.session_id, r.question_id) l)
   where r.campaign_id = p_campaign_id and (p_session_id is null or r.session_id = p_session_id)
     and (p_question_id is null or r.question_id = p_question_id)
     and not exists (select 1 from private.reveal_limits(r.session_id, r.question_id) l
                      where l.max_takes = r.max_takes and l.max_video_bytes = r.max_video_bytes);
end
$$;

revoke all on function private.refresh_reveal_limits(uuid, uuid, uuid) from public, anon, authenticated;

-- The reveals recorded so far.
do $$ begin perform private.refresh_reveal_limits(c.id) from public.campaigns c; end $$;

alter table public.question_reveals
  alter column max_takes set not null,
  alter column max_video_bytes set not null;

create function private.refresh_reveal_limits_of_source()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  case tg_table_name
    when 'campaigns' then
      perform private.refresh_reveal_limits(new.id);
    when 'questions' then
      perform private.refresh_reveal_limits(new.campaign_id, p_question_id => new.id);
    else -- session_accommodations
      if tg_op = 'DELETE' and not exists (select 1 from public.interview_sessions s where s.id = old.session_id) then
        return null; -- the session itself is being erased
      end if;
      if tg_op <> 'INSERT' then
        perform private.refresh_reveal_limits(old.campaign_id, old.session_id);
      end if;
      if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.session_id <> old.session_id) then
        perform private.refresh_reveal_limits(new.campaign_id, new.session_id); -- moved by the superuser
      end if;
  end case;
  return null;
end
$$;

revoke all on function private.refresh_reveal_limits_of_source() from public, anon, authenticated;

create trigger campaigns_refresh_reveal_limits after update of max_video_bytes on public.campaigns
  for each row when (old.max_video_bytes is distinct from new.max_video_bytes)
  execute function private.refresh_reveal_limits_of_source();

create trigger questions_refresh_reveal_limits after update of max_takes on public.questions
  for each row when (old.max_takes is distinct from new.max_takes)
  execute function private.refresh_reveal_limits_of_source();

create trigger session_accommodations_refresh_reveal_limits after insert or update or delete
  on public.session_accommodations
  for each row execute function private.refresh_reveal_limits_of_source();

-- Bulk loads (the seed, the benchmark's dataset, test fixtures) run with session_replication_role = replica, which
-- skips ordinary triggers; these four fire in every mode, so no writer ever leaves a copy unlike its source.
alter table public.question_reveals enable always trigger question_reveals_fill_limits;
alter table public.campaigns enable always trigger campaigns_refresh_reveal_limits;
alter table public.questions enable always trigger questions_refresh_reveal_limits;
alter table public.session_accommodations enable always trigger session_accommodations_refresh_reveal_limits;

create or replace function private.my_reused_upload_grant(
  p_session_id uuid,
  p_question_id uuid,
  p_content_type text,
  p_size_bytes bigint
)
returns table (
  response_id uuid,
  campaign_id uuid,
  object_key text,
  take_number integer,
  max_takes integer,
  max_video_bytes bigint,
  reused boolean,
  window_closes_at timestamptz
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  -- The conditions are private.my_reusable_take()'s; the limits are the reveal's copies. A plpgsql body, so that the
  -- plan is kept for the connection.
  return query
    select v.id, v.campaign_id, v.object_key, v.take_number, r.max_takes, r.max_video_bytes, true,
           r.answer_closes_at + private.answer_grace()
      from public.video_responses v
      join public.interview_sessions s on s.id = v.session_id
      join public.question_reveals r on r.session_id = v.session_id and r.question_id = v.question_id
     where v.session_id = p_session_id and v.question_id = p_question_id and v.status = 'pending'
       and s.candidate_user_id = auth.uid()
       and v.content_type = p_content_type and v.size_bytes is not distinct from p_size_bytes
       and s.status = 'in_progress' and now() <= s.deadline
       and now() <= r.answer_closes_at + private.answer_grace()
       and not exists (select 1 from public.video_responses o
                        where o.session_id = v.session_id and o.question_id = v.question_id and o.is_submitted)
     order by v.take_number desc
     limit 1;
end
$$;
