-- Audit log: who did what, when, to session states, evaluations and decisions.
--
-- Rows are written only by security-definer triggers; no client role (anon, authenticated, service_role) can
-- insert, update or delete. Admins read every row; a campaign's owner reads the rows of that campaign. Rows keep no
-- personal data (no names, emails or comments) and no foreign keys, so they outlive an erased session or account.

-- =====================================================================================================================
-- tables
-- =====================================================================================================================

create table public.audit_log (
  id bigint generated always as identity primary key,
  actor_id uuid,
  action text not null,
  entity text not null,
  entity_id uuid not null,
  campaign_id uuid,
  details jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
comment on table public.audit_log is
  'Append-only record of session state changes, evaluations and decisions. actor_id is null for system actions.';
comment on column public.audit_log.action is
  'session.invited, session.status_changed, session.deadline_changed, evaluation.created, evaluation.updated, '
  'evaluation.deleted, decision.created, decision.updated, decision.deleted';
alter table public.audit_log enable row level security;

-- =====================================================================================================================
-- indexes
-- =====================================================================================================================

create index audit_log_campaign_id_created_at_idx on public.audit_log (campaign_id, created_at);
create index audit_log_entity_idx on public.audit_log (entity, entity_id);
create index audit_log_actor_id_idx on public.audit_log (actor_id);

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

create function private.audit_session()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    insert into public.audit_log (actor_id, action, entity, entity_id, campaign_id, details)
    values (auth.uid(), 'session.invited', 'interview_session', new.id, new.campaign_id,
            jsonb_build_object('status', new.status, 'deadline', new.deadline, 'candidate_id', new.candidate_id));
  else
    if new.status is distinct from old.status then
      insert into public.audit_log (actor_id, action, entity, entity_id, campaign_id, details)
      values (auth.uid(), 'session.status_changed', 'interview_session', new.id, new.campaign_id,
              jsonb_build_object('from', old.status, 'to', new.status));
    end if;
    if new.deadline is distinct from old.deadline then
      insert into public.audit_log (actor_id, action, entity, entity_id, campaign_id, details)
      values (auth.uid(), 'session.deadline_changed', 'interview_session', new.id, new.campaign_id,
              jsonb_build_object('from', old.deadline, 'to', new.deadline));
    end if;
  end if;
  return null;
end
$$;

create trigger interview_sessions_audit after insert or update of status, deadline on public.interview_sessions
  for each row execute function private.audit_session();

create function private.audit_evaluation()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    insert into public.audit_log (actor_id, action, entity, entity_id, campaign_id, details)
    values (auth.uid(), 'evaluation.deleted', 'evaluation', old.id, old.campaign_id,
            jsonb_build_object('response_id', old.response_id, 'reviewer_id', old.reviewer_id, 'score', old.score));
    return null;
  end if;
  if tg_op = 'UPDATE' and new.score is not distinct from old.score and new.comment is not distinct from old.comment then
    return null;
  end if;
  insert into public.audit_log (actor_id, action, entity, entity_id, campaign_id, details)
  values (auth.uid(), case tg_op when 'INSERT' then 'evaluation.created' else 'evaluation.updated' end,
          'evaluation', new.id, new.campaign_id,
          jsonb_build_object('response_id', new.response_id, 'reviewer_id', new.reviewer_id, 'score', new.score)
            || case when tg_op = 'UPDATE' then jsonb_build_object('previous_score', old.score) else '{}'::jsonb end);
  return null;
end
$$;

create trigger evaluations_audit after insert or update or delete on public.evaluations
  for each row execute function private.audit_evaluation();

create function private.audit_session_decision()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    insert into public.audit_log (actor_id, action, entity, entity_id, campaign_id, details)
    values (auth.uid(), 'decision.deleted', 'session_decision', old.id, old.campaign_id,
            jsonb_build_object('session_id', old.session_id, 'decision', old.decision));
    return null;
  end if;
  if tg_op = 'UPDATE' and new.decision is not distinct from old.decision and new.note is not distinct from old.note then
    return null;
  end if;
  insert into public.audit_log (actor_id, action, entity, entity_id, campaign_id, details)
  values (auth.uid(), case tg_op when 'INSERT' then 'decision.created' else 'decision.updated' end,
          'session_decision', new.id, new.campaign_id,
          jsonb_build_object('session_id', new.session_id, 'decision', new.decision)
            || case when tg_op = 'UPDATE' then jsonb_build_object('previous_decision', old.decision)
                    else '{}'::jsonb end);
  return null;
end
$$;

create trigger session_decisions_audit after insert or update or delete on public.session_decisions
  for each row execute function private.audit_session_decision();

revoke all on function private.audit_session() from public;
revoke all on function private.audit_evaluation() from public;
revoke all on function private.audit_session_decision() from public;

-- =====================================================================================================================
-- policies
-- =====================================================================================================================

create policy "Owners can read the audit trail of their campaigns" on public.audit_log
  for select to authenticated
  using (campaign_id = any ((select private.owned_campaign_ids())::uuid[]));

create policy "Admins can read the whole audit trail" on public.audit_log
  for select to authenticated
  using ((select private.is_admin()));

-- =====================================================================================================================
-- grants
-- =====================================================================================================================

revoke all on public.audit_log from anon, authenticated, service_role;
grant select on public.audit_log to authenticated, service_role;
