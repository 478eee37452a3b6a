-- Candidate data belongs to whoever supplied it. What a company types about a candidate when it invites them (names,
-- phone, LinkedIn) is kept on that invitation (interview_sessions.invited_*), visible to that campaign's team and to
-- the candidate, and never written into the shared candidates row, which holds only what the person gave themselves
-- (at sign-up or activation). A company reads that row (the person's own profile) only once the person has started
-- one of its interviews. Another company inviting the same address sees only what it supplied: the email stays
-- unique per person, and the account is shared.
--
-- Names in emails and the CSV export: what the inviting company typed, else (once visible) the person's own. The
-- company named in candidate emails is the campaign's organization.

-- =====================================================================================================================
-- columns
-- =====================================================================================================================

alter table public.interview_sessions
  add column invited_email text,
  add column invited_first_name text not null default ''
    constraint session_invited_first_name_length check (char_length(invited_first_name) <= 100),
  add column invited_last_name text not null default ''
    constraint session_invited_last_name_length check (char_length(invited_last_name) <= 100),
  add column invited_phone text constraint session_invited_phone_length check (char_length(invited_phone) <= 50),
  add column invited_linkedin_url text
    constraint session_invited_linkedin_url_length check (char_length(invited_linkedin_url) <= 500),
  add constraint session_invited_fields_single_line
    check (private.is_single_line(invited_first_name) and private.is_single_line(invited_last_name)
           and private.is_single_line(invited_phone)),
  add constraint session_invited_linkedin_url_is_web_url check (private.is_web_url(invited_linkedin_url));
comment on column public.interview_sessions.invited_email is
  'The address this campaign invited (set from the candidate row when the session is created).';
comment on column public.interview_sessions.invited_first_name is
  'What the inviting company typed about the candidate: seen only by that campaign''s team and the candidate.';
comment on column public.interview_sessions.invited_last_name is 'As typed by the inviting company.';
comment on column public.interview_sessions.invited_phone is 'As typed by the inviting company.';
comment on column public.interview_sessions.invited_linkedin_url is 'As typed by the inviting company (http(s) only).';

-- Existing invitations keep what their company sees today.
update public.interview_sessions s
   set invited_email = c.email, invited_first_name = c.first_name, invited_last_name = c.last_name,
       invited_phone = c.phone, invited_linkedin_url = c.linkedin_url
  from public.candidates c
 where c.id = s.candidate_id;

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

create function private.set_session_invited_email()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  select c.email into new.invited_email from public.candidates c where c.id = new.candidate_id;
  return new;
end
$$;

revoke all on function private.set_session_invited_email() from public, anon, authenticated;

create trigger interview_sessions_set_invited_email before insert on public.interview_sessions
  for each row execute function private.set_session_invited_email();

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- Candidates whose own profile the caller may read: those who started an interview of a campaign the caller can read.
create or replace function private.viewable_candidates()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
    select s.candidate_id from public.interview_sessions s
     where s.campaign_id = any (private.viewable_campaign_ids()) and s.started_at is not null;
end
$$;

-- The candidate rows of an invitation batch: p_rows = [{email, ...}]; only the address is stored here (the rest of a
-- row goes to its session). Returns (email, candidate_id) per distinct lowercased email.
create or replace function private.invite_upsert_candidates(p_campaign_id uuid, p_rows jsonb)
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
    select distinct lower(trim(r.email)) as email
      from jsonb_to_recordset(p_rows) as r(email text)
  ), upserted as (
    insert into public.candidates as c (email)
    select i.email from input i
    on conflict (lower(email)) do update set email = c.email
    returning c.id, lower(c.email) as email
  )
  select u.email, u.id from upserted u;
end
$$;

create or replace function private.queue_invitation_emails(p_items jsonb)
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
         jsonb_build_object('title', c.title, 'company', o.name, 'deadline', s.deadline,
                            'first_name', coalesce(nullif(s.invited_first_name, ''), ca.first_name)),
         case when private.candidate_awaits_activation(s.candidate_id) then decode(i.secret, 'hex') end
    from jsonb_to_recordset(p_items) as i(session_id uuid, secret text, locale text)
    join public.interview_sessions s on s.id = i.session_id
    join public.candidates ca on ca.id = s.candidate_id
    join public.campaigns c on c.id = s.campaign_id
    join public.organizations o on o.id = c.organization_id
  returning id;
end
$$;

create or replace function private.queue_reminder_emails(p_items jsonb)
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
           jsonb_build_object('title', c.title, 'company', o.name, 'deadline', s.deadline,
                              'first_name', coalesce(nullif(s.invited_first_name, ''), ca.first_name)),
           decode(i.secret, 'hex')
      from jsonb_to_recordset(p_items) as i(session_id uuid, locale text, secret text)
      join public.interview_sessions s on s.id = i.session_id
      join public.candidates ca on ca.id = s.candidate_id
      join public.campaigns c on c.id = s.campaign_id
      join public.organizations o on o.id = c.organization_id
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

create or replace function public.campaign_export(p_campaign_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
set enable_nestloop = off
set work_mem = '32MB'
set jit = off
as $$
declare
  c public.campaigns;
  result jsonb;
begin
  select * into c from public.campaigns where id = p_campaign_id;
  if not found then
    return null;
  end if;

  with qs as materialized (
    select q.id, q.position, q.prompt from public.questions q where q.campaign_id = p_campaign_id and not q.is_practice
  ),
  resp as materialized (
    select v.id, v.session_id, v.question_id, v.is_submitted
      from public.video_responses v
     where v.campaign_id = p_campaign_id
  ),
  ev as materialized (
    select e.response_id, e.session_id, e.score from public.evaluations e where e.campaign_id = p_campaign_id
  ),
  sess as materialized (
    select s.* from public.interview_sessions s where s.campaign_id = p_campaign_id
  ),
  answered as (
    select r.session_id, count(*) as answered
      from resp r
      join qs q on q.id = r.question_id
     where r.is_submitted
     group by r.session_id
  ),
  per_question as (
    select e.session_id, r.question_id, avg(e.score) as score
      from ev e
      join resp r on r.id = e.response_id
     group by e.session_id, r.question_id
  ),
  per_session as (
    select e.session_id, avg(e.score) as score, count(*) as n from ev e group by e.session_id
  ),
  question_scores as (
    select s.id as session_id, jsonb_agg(round(pq.score, 4) order by q.position) as scores
      from sess s
      cross join qs q
      left join per_question pq on pq.session_id = s.id and pq.question_id = q.id
     group by s.id
  ),
  export_rows as (
    select coalesce(jsonb_agg(jsonb_build_object(
             'session_id', s.id,
             'candidate_id', s.candidate_id,
             'email', coalesce(s.invited_email, ca.email),
             'first_name', coalesce(nullif(s.invited_first_name, ''), ca.first_name, ''),
             'last_name', coalesce(nullif(s.invited_last_name, ''), ca.last_name, ''),
             'status', s.status,
             'invited_at', s.invited_at,
             'started_at', s.started_at,
             'completed_at', s.completed_at,
             'expired_at', s.expired_at,
             'withdrawn_at', s.withdrawn_at,
             'deadline', s.deadline,
             'time_to_complete_seconds',
               case when s.status = 'completed' then round(extract(epoch from s.completed_at - s.started_at), 2) end,
             'answered', coalesce(a.answered, 0),
             'evaluations', coalesce(ps.n, 0),
             'average_score', round(ps.score, 4),
             'decision', d.decision,
             'question_scores', coalesce(qsc.scores, '[]'::jsonb))
             order by s.invited_at, s.id), '[]'::jsonb) as j
      from sess s
      left join public.candidates ca on ca.id = s.candidate_id
      left join answered a on a.session_id = s.id
      left join per_session ps on ps.session_id = s.id
      left join question_scores qsc on qsc.session_id = s.id
      left join public.session_decisions d on d.session_id = s.id
  )
  select jsonb_build_object(
           'campaign', jsonb_build_object('id', c.id, 'title', c.title),
           'questions', (select coalesce(jsonb_agg(jsonb_build_object(
                           'question_id', q.id, 'position', q.position, 'prompt', q.prompt) order by q.position),
                           '[]'::jsonb) from qs q),
           'rows', (select j from export_rows))
    into result;
  return result;
end
$$;

-- =====================================================================================================================
-- grants
-- =====================================================================================================================

grant insert (invited_first_name, invited_last_name, invited_phone, invited_linkedin_url)
  on public.interview_sessions to authenticated;
grant update (invited_first_name, invited_last_name, invited_phone, invited_linkedin_url)
  on public.interview_sessions to authenticated;
