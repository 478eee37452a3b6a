-- A recruiter can give an expired session a new deadline: it reopens (invited again, or in progress if the candidate
-- had started), the candidate is emailed (the invitations function queues it), and the 24 h reminder is armed again
-- for the new deadline. Queued emails always show the session's current deadline.
--
-- The state machine gains one move, expired -> invited | in_progress, allowed only together with a new deadline in
-- the future;
-- public.reopen_session is the only way to make it (clients have no grant on status).
--
-- Errors a caller sees (SQLSTATE, message):
--   PT404 session_not_found      not a session of a campaign the caller edits
--   PT409 session_not_expired    only an expired session reopens (others: PATCH the deadline)
--   PT409 campaign_not_open      the campaign is closed, archived or past its end
--   23514 session_deadline_in_past

create or replace function private.enforce_session_update()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.status is distinct from old.status then
    if not (
      (old.status = 'invited' and new.status in ('in_progress', 'expired', 'withdrawn'))
      or (old.status = 'in_progress' and new.status in ('completed', 'expired', 'withdrawn'))
      or (old.status = 'expired' and new.status in ('invited', 'in_progress')
          and new.deadline is distinct from old.deadline and new.deadline > now())
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
    if old.status = 'expired' then
      new.expired_at := null;
    end if;
  end if;
  if new.deadline is distinct from old.deadline and new.status in ('invited', 'in_progress')
     and new.deadline <= now() then
    raise exception using errcode = '23514', message = 'session_deadline_in_past',
      detail = 'The deadline must be in the future.';
  end if;
  return new;
end
$$;

-- Queued emails render the deadline they were queued with: keep it the session's.
create function private.follow_deadline_in_queued_emails()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update private.email_outbox o set params = o.params || jsonb_build_object('deadline', new.deadline)
   where o.session_id = new.id and o.status = 'queued';
  return null;
end
$$;

revoke all on function private.follow_deadline_in_queued_emails() from public, anon, authenticated;

create trigger interview_sessions_follow_deadline_in_queued_emails after update of deadline on public.interview_sessions
  for each row when (new.deadline is distinct from old.deadline)
  execute function private.follow_deadline_in_queued_emails();

-- Owner or editor (through the invitations function): reopens an expired session with a new deadline and re-arms its
-- reminder (the earlier one is forgotten, so the reminder job queues one for the new deadline).
create function public.reopen_session(p_session_id uuid, p_deadline timestamptz)
returns public.interview_sessions
language plpgsql
security definer
set search_path = ''
as $$
declare
  s public.interview_sessions;
  c public.campaigns;
begin
  select * into s from public.interview_sessions where id = p_session_id for update;
  if not found or not private.can_edit_campaign(s.campaign_id) then
    raise exception using errcode = 'PT404', message = 'session_not_found';
  end if;
  if s.status <> 'expired' then
    raise exception using errcode = 'PT409', message = 'session_not_expired',
      detail = format('The session is %s.', s.status);
  end if;
  select * into c from public.campaigns where id = s.campaign_id;
  if c.status in ('closed', 'archived') or c.end_date <= now() then
    raise exception using errcode = 'PT409', message = 'campaign_not_open',
      detail = 'The campaign is closed, archived or past its end date.';
  end if;
  if p_deadline is null or p_deadline <= now() then
    raise exception using errcode = '23514', message = 'session_deadline_in_past',
      detail = 'The deadline must be in the future.';
  end if;
  delete from private.email_outbox o where o.session_id = s.id and o.kind = 'reminder';
  update public.interview_sessions
     set deadline = p_deadline,
         status = case when s.started_at is null then 'invited' else 'in_progress' end::public.session_status,
         reminder_sent_at = null
   where id = s.id
  returning * into s;
  return s;
end
$$;

revoke all on function public.reopen_session(uuid, timestamptz) from public, anon;
grant execute on function public.reopen_session(uuid, timestamptz) to authenticated;
