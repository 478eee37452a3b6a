-- Invitations: an activation link only for accounts that still wait for activation.
--
-- An invited candidate who already has an active account (a self sign-up, or activated for another campaign) cannot
-- use an activation token: activation answers account_already_active. Their invitation and reminder emails now link
-- to the interview page instead, and no token is stored for them. An account waits for activation when it has
-- app_metadata.invitation_pending = true (what the invitations function sets on placeholders) or an unconfirmed
-- email; the same rule as private.check_invitation_target (activation).

-- Whether the candidate's account still waits for its activation token (true when there is no account yet).
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

-- As in 20261126110000, but the token and the sealed link are kept only for accounts awaiting activation.
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

-- As in 20261126110000, but a fresh link only for accounts awaiting activation.
create or replace function private.due_reminder_sessions(p_limit integer)
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
