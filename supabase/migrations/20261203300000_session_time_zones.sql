-- Time zones: each invitation carries the candidate's IANA time zone, so that the emails show the deadline in the
-- candidate's local time (and in UTC). The API keeps every timestamp in UTC; the zone is only for display.
--
-- interview_sessions.time_zone defaults to the campaign organization's time zone (organizations.time_zone) when the
-- inviter gives none, and can be changed by the campaign's owners and editors (the same update policy as the
-- deadline). Every queued email of the session carries the zone in its parameters (params.time_zone), kept in step
-- with the session, so an email renders the zone the session has when it is sent.
--
-- Errors a caller sees (SQLSTATE, message):
--   23514 session_time_zone_known   a name that is not an IANA time zone Postgres knows (PostgREST 400)

-- =====================================================================================================================
-- columns
-- =====================================================================================================================

alter table public.interview_sessions add column time_zone text;
comment on column public.interview_sessions.time_zone is
  'The candidate''s IANA time zone (e.g. Europe/Paris) for the dates in their emails; the organization''s by default '
  '(filled at insert; null reads as the organization''s). Timestamps themselves stay UTC.';

update public.interview_sessions s
   set time_zone = o.time_zone
  from public.campaigns c
  join public.organizations o on o.id = c.organization_id
 where c.id = s.campaign_id;

-- Null stays possible for rows written with triggers off (the seed, bulk loads): it means the organization's zone,
-- and every reader says so (private.session_time_zone).
alter table public.interview_sessions
  add constraint session_time_zone_known check (private.is_known_time_zone(time_zone));

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- The zone a session's dates are shown in: its own, else its organization's, else UTC. Invoker: it reads what the
-- caller may read (the definer functions that call it read everything).
create function private.session_time_zone(p_session_id uuid)
returns text
language sql
stable
set search_path = ''
as $$
  select coalesce(s.time_zone, o.time_zone, 'UTC')
    from public.interview_sessions s
    join public.campaigns c on c.id = s.campaign_id
    left join public.organizations o on o.id = c.organization_id
   where s.id = p_session_id
$$;

revoke all on function private.session_time_zone(uuid) from public, anon;
grant execute on function private.session_time_zone(uuid) to authenticated, service_role;

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

-- A new session without a zone takes its organization's.
create function private.fill_session_time_zone()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.time_zone is null then
    select o.time_zone into new.time_zone
      from public.campaigns c
      join public.organizations o on o.id = c.organization_id
     where c.id = new.campaign_id;
    new.time_zone := coalesce(new.time_zone, 'UTC');
  end if;
  return new;
end
$$;

revoke all on function private.fill_session_time_zone() from public, anon, authenticated;

create trigger interview_sessions_fill_time_zone before insert on public.interview_sessions
  for each row execute function private.fill_session_time_zone();

-- Every email of a session renders the session's zone: set when the row is queued...
create function private.fill_outbox_time_zone()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.session_id is not null then
    new.params := new.params || jsonb_build_object('time_zone', private.session_time_zone(new.session_id));
  end if;
  return new;
end
$$;

revoke all on function private.fill_outbox_time_zone() from public, anon, authenticated;

create trigger email_outbox_fill_time_zone before insert on private.email_outbox
  for each row execute function private.fill_outbox_time_zone();

-- ...and followed while it waits.
create function private.follow_time_zone_in_queued_emails()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update private.email_outbox o
     set params = o.params || jsonb_build_object('time_zone', private.session_time_zone(new.id))
   where o.session_id = new.id and o.status = 'queued';
  return null;
end
$$;

revoke all on function private.follow_time_zone_in_queued_emails() from public, anon, authenticated;

create trigger interview_sessions_follow_time_zone_in_queued_emails after update of time_zone
  on public.interview_sessions
  for each row when (new.time_zone is distinct from old.time_zone)
  execute function private.follow_time_zone_in_queued_emails();

-- =====================================================================================================================
-- grants
-- =====================================================================================================================

-- Owners and editors set it when inviting and change it later ("Owners and editors can change deadlines" decides
-- which rows).
grant insert (time_zone) on public.interview_sessions to authenticated;
grant update (time_zone) on public.interview_sessions to authenticated;
