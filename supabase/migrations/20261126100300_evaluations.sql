-- Evaluations (a 1..5 score and a comment per submitted response, per reviewer) and session decisions.
--
-- Any campaign member (owner, editor, reviewer, admin) may rate a submitted response, once; they may edit their own
-- rating. reviewer_id is always the caller.
--
-- Blind review, per response: a collaborator with the `reviewer` role sees other people's evaluations of a response
-- only after submitting their own evaluation of that same response. So before rating anything in a session they see
-- no one else's scores for it, and rating one answer reveals nothing about the others. Owners, editors (who make
-- the decision) and admins see every evaluation of their campaigns.
--
-- A decision (advance, hold, reject) per session, by the owner or an editor; every campaign member can read it.
--
-- Errors: 23514 response_not_submitted (rating a take that is not the submitted one), 23505 on a second evaluation
-- of the same response by the same reviewer (HTTP 409), 42501 outside the caller's rights.

-- =====================================================================================================================
-- types
-- =====================================================================================================================

create type public.session_decision as enum ('advance', 'hold', 'reject');

-- =====================================================================================================================
-- tables
-- =====================================================================================================================

create table public.evaluations (
  id uuid primary key default gen_random_uuid(),
  response_id uuid not null references public.video_responses (id) on delete cascade,
  session_id uuid not null references public.interview_sessions (id) on delete cascade,
  campaign_id uuid not null references public.campaigns (id) on delete cascade,
  -- profiles, not hiring_managers: admins rate and decide too (as interview_sessions.invited_by).
  reviewer_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  score smallint not null check (score between 1 and 5),
  comment text not null default '' check (char_length(comment) <= 5000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint evaluations_response_id_reviewer_id_key unique (response_id, reviewer_id)
);
comment on table public.evaluations is
  'A reviewer''s score of one submitted response. session_id and campaign_id are filled by the database.';
alter table public.evaluations enable row level security;

create table public.session_decisions (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null unique references public.interview_sessions (id) on delete cascade,
  campaign_id uuid not null references public.campaigns (id) on delete cascade,
  decision public.session_decision not null,
  decided_by uuid default auth.uid() references public.profiles (id) on delete set null,
  note text not null default '' check (char_length(note) <= 5000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.session_decisions is
  'The hiring decision for a session (owner or editor). campaign_id and decided_by are filled by the database.';
alter table public.session_decisions enable row level security;

-- =====================================================================================================================
-- indexes
-- =====================================================================================================================

create index evaluations_reviewer_id_idx on public.evaluations (reviewer_id);
create index evaluations_session_id_idx on public.evaluations (session_id);
create index evaluations_campaign_id_idx on public.evaluations (campaign_id);
create index session_decisions_campaign_id_idx on public.session_decisions (campaign_id);
create index session_decisions_decided_by_idx on public.session_decisions (decided_by);

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

create trigger evaluations_set_updated_at before update on public.evaluations
  for each row execute function private.set_updated_at();
create trigger session_decisions_set_updated_at before update on public.session_decisions
  for each row execute function private.set_updated_at();

create function private.prepare_evaluation()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.video_responses;
begin
  select * into v from public.video_responses where id = new.response_id;
  if not found then
    return new; -- the foreign key reports it
  end if;
  if not v.is_submitted then
    raise exception using errcode = '23514', message = 'response_not_submitted',
      detail = 'Only the submitted take of a question can be rated.';
  end if;
  if exists (select 1 from public.questions q where q.id = v.question_id and q.is_practice) then
    raise exception using errcode = '23514', message = 'response_is_practice',
      detail = 'Practice answers are the candidate''s warm-up: they are not rated.';
  end if;
  new.session_id := v.session_id;
  new.campaign_id := v.campaign_id;
  return new;
end
$$;

create trigger evaluations_prepare before insert or update of response_id on public.evaluations
  for each row execute function private.prepare_evaluation();

create function private.prepare_session_decision()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  select s.campaign_id into new.campaign_id from public.interview_sessions s where s.id = new.session_id;
  -- The decider is whoever wrote last (service role and SQL keep what they set).
  new.decided_by := coalesce(auth.uid(), new.decided_by);
  return new;
end
$$;

create trigger session_decisions_prepare before insert or update on public.session_decisions
  for each row execute function private.prepare_session_decision();

revoke all on function private.prepare_evaluation() from public;
revoke all on function private.prepare_session_decision() from public;

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- Responses the caller has rated: the blind-review key. A set, tested with `in (select ...)`: a prolific reviewer's
-- evaluations are too many for an array scanned once per row.
create function private.my_evaluated_responses()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query select e.response_id from public.evaluations e where e.reviewer_id = auth.uid();
end
$$;

revoke all on function private.my_evaluated_responses() from public;
grant execute on function private.my_evaluated_responses() to authenticated;

-- =====================================================================================================================
-- policies
-- =====================================================================================================================

create policy "Owners and editors can read all evaluations of a campaign" on public.evaluations
  for select to authenticated
  using (campaign_id = any ((select private.editable_campaign_ids())::uuid[]));

create policy "Reviewers can read their own evaluations" on public.evaluations
  for select to authenticated
  using (reviewer_id = (select auth.uid()));

create policy "Reviewers can read evaluations of responses they rated" on public.evaluations
  for select to authenticated
  using (
    response_id in (select private.my_evaluated_responses())
    and campaign_id = any ((select private.viewable_campaign_ids())::uuid[])
  );

create policy "Campaign members can rate responses" on public.evaluations
  for insert to authenticated
  with check (
    reviewer_id = (select auth.uid())
    and campaign_id = any ((select private.viewable_campaign_ids())::uuid[])
  );

create policy "Reviewers can edit their own evaluations" on public.evaluations
  for update to authenticated
  using (reviewer_id = (select auth.uid()))
  with check (
    reviewer_id = (select auth.uid())
    and campaign_id = any ((select private.viewable_campaign_ids())::uuid[])
  );

create policy "Admins can delete evaluations" on public.evaluations
  for delete to authenticated
  using ((select private.is_admin()));

create policy "Campaign members can read decisions" on public.session_decisions
  for select to authenticated
  using (campaign_id = any ((select private.viewable_campaign_ids())::uuid[]));

create policy "Owners and editors can decide" on public.session_decisions
  for insert to authenticated
  with check (campaign_id = any ((select private.editable_campaign_ids())::uuid[]));

create policy "Owners and editors can change a decision" on public.session_decisions
  for update to authenticated
  using (campaign_id = any ((select private.editable_campaign_ids())::uuid[]))
  with check (campaign_id = any ((select private.editable_campaign_ids())::uuid[]));

create policy "Owners and editors can withdraw a decision" on public.session_decisions
  for delete to authenticated
  using (campaign_id = any ((select private.editable_campaign_ids())::uuid[]));

-- =====================================================================================================================
-- grants
-- =====================================================================================================================

revoke all on public.evaluations, public.session_decisions from anon, authenticated;
grant select, delete on public.evaluations, public.session_decisions to authenticated;
grant insert (response_id, score, comment) on public.evaluations to authenticated;
grant update (score, comment) on public.evaluations to authenticated;
grant insert (session_id, decision, note) on public.session_decisions to authenticated;
grant update (decision, note) on public.session_decisions to authenticated;
