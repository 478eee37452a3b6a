-- Consent before recording: every campaign carries a privacy notice (its text, the controller's contact, and how long
-- videos are kept, from retention_days), with a version the database bumps whenever any of the three changes. The
-- activation preview (private.invitation_preview) and public.my_interviews return the notice; a candidate accepts
-- the current version with public.accept_privacy_notice, and public.start_interview refuses until they have: a
-- changed notice (a new version) asks again, also of a candidate who had started (start_interview is idempotent, and
-- the SPA calls it on entering an interview). The acceptance (version, time) is on the session, where the campaign's
-- team reads it, and in the audit trail (session.privacy_notice_accepted).
--
-- A campaign without its own text gets a standard notice naming its organization and the retention period
-- (private.privacy_notice_text); without its own contact, the contact is the campaign owner's address.
--
-- Errors a caller sees (SQLSTATE, message; PostgREST status):
--   PT409 privacy_notice_not_accepted   start_interview before the current notice version is accepted (detail: the
--                                       current version)
--   PT409 privacy_notice_changed        accept_privacy_notice with a version that is not the current one (detail: the
--                                       current version): read the notice again
--   PT409 session_not_open              accept_privacy_notice on a session that is completed, expired or withdrawn
--   PT404 session_not_found             not the caller's session
--   23514 campaign_privacy_notice_length / campaign_privacy_contact_single_line   (400)

-- =====================================================================================================================
-- columns
-- =====================================================================================================================

alter table public.campaigns
  add column privacy_notice text
    constraint campaign_privacy_notice_length check (char_length(privacy_notice) between 1 and 20000),
  add column privacy_contact text
    constraint campaign_privacy_contact_length check (char_length(privacy_contact) between 3 and 320)
    constraint campaign_privacy_contact_single_line check (private.is_single_line(privacy_contact)),
  add column privacy_notice_version integer not null default 1 check (privacy_notice_version >= 1),
  add column privacy_notice_updated_at timestamptz not null default now();
comment on column public.campaigns.privacy_notice is
  'The privacy notice candidates accept before recording; null: the standard notice (organization, retention).';
comment on column public.campaigns.privacy_contact is
  'How candidates reach the data controller (an address or a URL); null: the campaign owner''s email.';
comment on column public.campaigns.privacy_notice_version is
  'Bumped by the database when the notice, the contact or retention_days changes: candidates accept again.';

alter table public.interview_sessions
  add column privacy_notice_version_accepted integer,
  add column privacy_notice_accepted_at timestamptz;
comment on column public.interview_sessions.privacy_notice_version_accepted is
  'The version of the campaign''s privacy notice the candidate accepted last (null: none).';
comment on column public.interview_sessions.privacy_notice_accepted_at is 'When the candidate accepted it.';

-- Sessions that started before notices existed were given the only notice there is (the standard one, version 1).
update public.interview_sessions
   set privacy_notice_version_accepted = 1, privacy_notice_accepted_at = started_at
 where started_at is not null;

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

create function private.bump_privacy_notice_version()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.privacy_notice_version := old.privacy_notice_version;
  if new.privacy_notice is distinct from old.privacy_notice
     or new.privacy_contact is distinct from old.privacy_contact
     or new.retention_days is distinct from old.retention_days then
    new.privacy_notice_version := old.privacy_notice_version + 1;
    new.privacy_notice_updated_at := now();
  else
    new.privacy_notice_updated_at := old.privacy_notice_updated_at;
  end if;
  return new;
end
$$;

revoke all on function private.bump_privacy_notice_version() from public, anon, authenticated;

create trigger campaigns_bump_privacy_notice_version before update on public.campaigns
  for each row execute function private.bump_privacy_notice_version();

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- The text a candidate reads: the campaign's own, or the standard notice.
create function private.privacy_notice_text(p_campaign_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(c.privacy_notice, format(
    '%s records and keeps your video answers to assess your application to "%s". Your answers are seen only by '
    'the people of %s who review this interview. The videos are deleted %s days after your interview ends. You may '
    'download the data held about you or ask for its erasure at any time from your account, or write to %s.',
    o.name, c.title, o.name, c.retention_days, coalesce(c.privacy_contact, u.email::text)))
    from public.campaigns c
    join public.organizations o on o.id = c.organization_id
    left join auth.users u on u.id = c.owner_id
   where c.id = p_campaign_id
$$;

revoke all on function private.privacy_notice_text(uuid) from public, anon, authenticated;

-- The notice of a campaign as candidates receive it (preview, my_interviews, the data export).
create function private.privacy_notice_of(p_campaign_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'version', c.privacy_notice_version,
    'text', private.privacy_notice_text(c.id),
    'controller', o.name,
    'contact', coalesce(c.privacy_contact, u.email::text),
    'retention_days', c.retention_days,
    'updated_at', c.privacy_notice_updated_at)
    from public.campaigns c
    join public.organizations o on o.id = c.organization_id
    left join auth.users u on u.id = c.owner_id
   where c.id = p_campaign_id
$$;

revoke all on function private.privacy_notice_of(uuid) from public, anon, authenticated;

-- =====================================================================================================================
-- public API
-- =====================================================================================================================

-- Candidate: accepts the notice version they were shown. Idempotent for the same version.
create function public.accept_privacy_notice(p_session_id uuid, p_version integer)
returns public.interview_sessions
language plpgsql
security definer
set search_path = ''
as $$
declare
  s public.interview_sessions := private.my_session_for_update(p_session_id);
  current_version integer;
begin
  if s.status not in ('invited', 'in_progress') then
    raise exception using errcode = 'PT409', message = 'session_not_open',
      detail = format('The session is %s.', s.status);
  end if;
  select c.privacy_notice_version into current_version from public.campaigns c where c.id = s.campaign_id;
  if p_version is distinct from current_version then
    raise exception using errcode = 'PT409', message = 'privacy_notice_changed',
      detail = format('The current privacy notice is version %s.', current_version);
  end if;
  if s.privacy_notice_version_accepted is distinct from current_version then
    update public.interview_sessions
       set privacy_notice_version_accepted = current_version, privacy_notice_accepted_at = now()
     where id = s.id
    returning * into s;
    insert into public.audit_log (actor_id, action, entity, entity_id, campaign_id, details)
    values (auth.uid(), 'session.privacy_notice_accepted', 'interview_session', s.id, s.campaign_id,
            jsonb_build_object('version', current_version));
  end if;
  return s;
end
$$;

revoke all on function public.accept_privacy_notice(uuid, integer) from public, anon;
grant execute on function public.accept_privacy_notice(uuid, integer) to authenticated;

-- Candidate: invited -> in_progress (20261126100200_interviews.sql), once the current notice is accepted. Idempotent
-- when already in progress, and then too it asks again for a changed notice.
create or replace function public.start_interview(p_session_id uuid)
returns public.interview_sessions
language plpgsql
security definer
set search_path = ''
as $$
declare
  s public.interview_sessions := private.my_session_for_update(p_session_id);
  c public.campaigns;
begin
  if s.status not in ('invited', 'in_progress') then
    raise exception using errcode = 'PT409', message = 'invalid_status_transition',
      detail = format('A session cannot go from %s to in_progress.', s.status);
  end if;
  select * into c from public.campaigns where id = s.campaign_id;
  if s.privacy_notice_version_accepted is distinct from c.privacy_notice_version then
    raise exception using errcode = 'PT409', message = 'privacy_notice_not_accepted',
      detail = format('Accept version %s of the privacy notice first.', c.privacy_notice_version);
  end if;
  if s.status = 'in_progress' then
    return s;
  end if;
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

-- For the landing page (20261126110500_activation.sql), now with the privacy notice and the candidate's time zone.
drop function private.invitation_preview(bytea);
create function private.invitation_preview(p_token_hash bytea)
returns table (campaign_title text, company text, deadline timestamptz, time_zone text, privacy_notice jsonb)
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
    select c.title, h.company, s.deadline, private.session_time_zone(s.id), private.privacy_notice_of(c.id)
      from public.interview_sessions s
      join public.campaigns c on c.id = s.campaign_id
      join public.hiring_managers h on h.id = c.owner_id
     where s.id = t.session_id;
end
$$;

revoke all on function private.invitation_preview(bytea) from public, anon, authenticated, service_role;

-- Candidate: their interviews (20261126100200_interviews.sql), now with the candidate's time zone, accommodation and
-- the campaign's privacy notice with what they accepted of it.
drop function public.my_interviews();
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
  answered_count integer,
  time_zone text,
  accommodation jsonb,
  privacy_notice jsonb,
  privacy_notice_version_accepted integer,
  privacy_notice_accepted_at timestamptz,
  privacy_notice_accepted boolean
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
           where v.session_id = s.id and v.is_submitted and not q.is_practice),
         private.session_time_zone(s.id),
         private.session_accommodation_json(s.id),
         private.privacy_notice_of(c.id),
         s.privacy_notice_version_accepted,
         s.privacy_notice_accepted_at,
         s.privacy_notice_version_accepted is not distinct from c.privacy_notice_version
    from public.interview_sessions s
    join public.candidates ca on ca.id = s.candidate_id
    join public.campaigns c on c.id = s.campaign_id
    join public.hiring_managers h on h.id = c.owner_id
   where ca.user_id = auth.uid()
   order by s.invited_at desc
$$;

revoke all on function public.my_interviews() from public, anon;
grant execute on function public.my_interviews() to authenticated;

-- =====================================================================================================================
-- grants
-- =====================================================================================================================

grant insert (privacy_notice, privacy_contact) on public.campaigns to authenticated;
grant update (privacy_notice, privacy_contact) on public.campaigns to authenticated;
