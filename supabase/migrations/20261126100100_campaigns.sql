-- Campaigns, collaborators and questions.
--
-- A campaign belongs to one hiring manager (owner_id, defaulting to the caller) and can be shared with other hiring
-- managers as `reviewer` (read and rate) or `editor` (also edit questions, invite and decide). Admins act as owners
-- of every campaign. Access is decided by set-returning helpers in `private` that policies call once per statement
-- (`campaign_id = any ((select private.viewable_campaign_ids())::uuid[])`): an init plan, so the campaign_id
-- indexes serve it.
--
-- Date rules hold for every client (errors seen through PostgREST as HTTP 400):
--   23514 campaign_start_in_past       start_date < now() on insert, or start_date moved into the past
--   23514 campaign_end_not_after_start end_date <= start_date
-- Questions are locked once any response exists for them:
--   PT409 question_locked              update or delete of an answered question (HTTP 409)

-- =====================================================================================================================
-- types
-- =====================================================================================================================

create type public.campaign_status as enum ('draft', 'active', 'closed', 'archived');
create type public.collaborator_role as enum ('reviewer', 'editor');

-- =====================================================================================================================
-- tables
-- =====================================================================================================================

create table public.campaigns (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references public.hiring_managers (id) on delete cascade,
  title text not null check (char_length(title) between 1 and 200),
  description text not null default '' check (char_length(description) <= 10000),
  status public.campaign_status not null default 'draft',
  start_date timestamptz not null,
  end_date timestamptz not null,
  think_time_seconds integer not null default 30 check (think_time_seconds between 0 and 600),
  answer_time_seconds integer not null default 120 check (answer_time_seconds between 10 and 1800),
  max_takes integer not null default 3 check (max_takes between 1 and 10),
  max_video_bytes bigint not null default 524288000 check (max_video_bytes between 1 and 5368709120),
  retention_days integer not null default 180 check (retention_days between 1 and 3650),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint campaigns_end_date_after_start_date check (end_date > start_date)
);
comment on table public.campaigns is
  'An interview campaign. Candidates never read this table: they get the public fields through my_interviews().';
comment on column public.campaigns.think_time_seconds is 'Default for new questions.';
comment on column public.campaigns.answer_time_seconds is 'Default for new questions.';
comment on column public.campaigns.max_takes is 'Default for new questions.';
comment on column public.campaigns.max_video_bytes is 'Upload size cap per response, in bytes (default 500 MiB).';
comment on column public.campaigns.retention_days is 'Videos are erased this many days after the session ends.';
alter table public.campaigns enable row level security;

create table public.campaign_collaborators (
  campaign_id uuid not null references public.campaigns (id) on delete cascade,
  user_id uuid not null references public.hiring_managers (id) on delete cascade,
  role public.collaborator_role not null default 'reviewer',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (campaign_id, user_id)
);
comment on table public.campaign_collaborators is 'Hiring managers a campaign is shared with, as reviewer or editor.';
alter table public.campaign_collaborators enable row level security;

create table public.questions (
  id uuid primary key default gen_random_uuid(),
  campaign_id uuid not null references public.campaigns (id) on delete cascade,
  position integer not null check (position > 0),
  prompt text not null check (char_length(prompt) between 1 and 5000),
  think_time_seconds integer not null check (think_time_seconds between 0 and 600),
  answer_time_seconds integer not null check (answer_time_seconds between 10 and 1800),
  max_takes integer not null check (max_takes between 1 and 10),
  is_practice boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Deferrable so that one statement (or a transaction) can reorder questions.
  constraint questions_campaign_id_position_key unique (campaign_id, position) deferrable initially immediate
);
comment on table public.questions is
  'Ordered questions of a campaign. Omitted position/time limits/max_takes are filled from the campaign defaults.';
alter table public.questions enable row level security;

-- =====================================================================================================================
-- indexes
-- =====================================================================================================================

create index campaigns_owner_id_idx on public.campaigns (owner_id);
create index campaigns_status_end_date_idx on public.campaigns (status, end_date);
create index campaign_collaborators_user_id_idx on public.campaign_collaborators (user_id);
-- questions (campaign_id, position) is covered by questions_campaign_id_position_key.

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

create trigger campaigns_set_updated_at before update on public.campaigns
  for each row execute function private.set_updated_at();
create trigger campaign_collaborators_set_updated_at before update on public.campaign_collaborators
  for each row execute function private.set_updated_at();
create trigger questions_set_updated_at before update on public.questions
  for each row execute function private.set_updated_at();

create function private.check_campaign_dates()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (tg_op = 'INSERT' or new.start_date is distinct from old.start_date) and new.start_date < now() then
    raise exception using errcode = '23514', message = 'campaign_start_in_past',
      detail = 'start_date must not be in the past.';
  end if;
  if new.end_date <= new.start_date then
    raise exception using errcode = '23514', message = 'campaign_end_not_after_start',
      detail = 'end_date must be after start_date.';
  end if;
  return new;
end
$$;

create trigger campaigns_check_dates before insert or update of start_date, end_date on public.campaigns
  for each row execute function private.check_campaign_dates();

create function private.check_collaborator_is_not_owner()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.campaigns c where c.id = new.campaign_id and c.owner_id = new.user_id) then
    raise exception using errcode = '23514', message = 'collaborator_is_owner',
      detail = 'The owner of a campaign cannot also be its collaborator.';
  end if;
  return new;
end
$$;

create trigger campaign_collaborators_check_not_owner before insert or update on public.campaign_collaborators
  for each row execute function private.check_collaborator_is_not_owner();

-- Fills omitted question settings from the campaign defaults; position defaults to the end of the list.
create function private.fill_question_defaults()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  c public.campaigns;
begin
  select * into c from public.campaigns where id = new.campaign_id;
  if found then
    new.think_time_seconds := coalesce(new.think_time_seconds, c.think_time_seconds);
    new.answer_time_seconds := coalesce(new.answer_time_seconds, c.answer_time_seconds);
    new.max_takes := coalesce(new.max_takes, c.max_takes);
  end if;
  if new.position is null then
    select coalesce(max(q.position), 0) + 1 into new.position from public.questions q
     where q.campaign_id = new.campaign_id;
  end if;
  return new;
end
$$;

create trigger questions_fill_defaults before insert on public.questions
  for each row execute function private.fill_question_defaults();

revoke all on function private.check_campaign_dates() from public;
revoke all on function private.check_collaborator_is_not_owner() from public;
revoke all on function private.fill_question_defaults() from public;

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- The sets below are arrays: a caller's campaigns are few, and the planner uses `campaign_id = any (<array>)` as an
-- index condition. Helpers are PL/pgSQL so their plans are cached per connection (see current_user_role).

-- Campaigns the caller may read: owned or shared (any collaborator role). Admins: every campaign.
create function private.viewable_campaign_ids()
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  me uuid := auth.uid();
begin
  if private.current_user_role() = 'admin' then
    return array(select c.id from public.campaigns c);
  end if;
  return array(
    select c.id from public.campaigns c where c.owner_id = me
    union all
    select cc.campaign_id from public.campaign_collaborators cc where cc.user_id = me
  );
end
$$;

-- Campaigns the caller may edit (questions, invitations, deadlines, decisions): owned or shared as editor.
create function private.editable_campaign_ids()
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  me uuid := auth.uid();
begin
  if private.current_user_role() = 'admin' then
    return array(select c.id from public.campaigns c);
  end if;
  return array(
    select c.id from public.campaigns c where c.owner_id = me
    union all
    select cc.campaign_id from public.campaign_collaborators cc where cc.user_id = me and cc.role = 'editor'
  );
end
$$;

-- Campaigns the caller owns (settings, sharing, deletion, erasure, audit). Admins: every campaign.
create function private.owned_campaign_ids()
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.current_user_role() = 'admin' then
    return array(select c.id from public.campaigns c);
  end if;
  return array(select c.id from public.campaigns c where c.owner_id = auth.uid());
end
$$;

-- Single-campaign checks for RPCs and edge functions (same rules as the sets above, admins included).
create function private.can_view_campaign(p_campaign_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.current_user_role() = 'admin'
    or exists (select 1 from public.campaigns c where c.id = p_campaign_id and c.owner_id = auth.uid())
    or exists (select 1 from public.campaign_collaborators cc
                where cc.campaign_id = p_campaign_id and cc.user_id = auth.uid())
$$;

create function private.can_edit_campaign(p_campaign_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.current_user_role() = 'admin'
    or exists (select 1 from public.campaigns c where c.id = p_campaign_id and c.owner_id = auth.uid())
    or exists (select 1 from public.campaign_collaborators cc
                where cc.campaign_id = p_campaign_id and cc.user_id = auth.uid() and cc.role = 'editor')
$$;

create function private.is_campaign_owner(p_campaign_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.current_user_role() = 'admin'
    or exists (select 1 from public.campaigns c where c.id = p_campaign_id and c.owner_id = auth.uid())
$$;

-- Hiring managers who share at least one campaign with the caller (owners and collaborators), the caller included.
create function private.teammate_ids()
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  mine uuid[] := private.viewable_campaign_ids();
begin
  return array(
    select c.owner_id from public.campaigns c where c.id = any (mine)
    union
    select cc.user_id from public.campaign_collaborators cc where cc.campaign_id = any (mine)
  );
end
$$;

revoke all on function private.viewable_campaign_ids() from public;
revoke all on function private.editable_campaign_ids() from public;
revoke all on function private.owned_campaign_ids() from public;
revoke all on function private.can_view_campaign(uuid) from public;
revoke all on function private.can_edit_campaign(uuid) from public;
revoke all on function private.is_campaign_owner(uuid) from public;
revoke all on function private.teammate_ids() from public;
grant execute on function private.viewable_campaign_ids() to authenticated;
grant execute on function private.editable_campaign_ids() to authenticated;
grant execute on function private.owned_campaign_ids() to authenticated;
grant execute on function private.can_view_campaign(uuid) to authenticated;
grant execute on function private.can_edit_campaign(uuid) to authenticated;
grant execute on function private.is_campaign_owner(uuid) to authenticated;
grant execute on function private.teammate_ids() to authenticated;

-- =====================================================================================================================
-- policies
-- =====================================================================================================================

create policy "Hiring managers can read profiles of their campaign teammates" on public.profiles
  for select to authenticated
  using (id = any ((select private.teammate_ids())::uuid[]));

create policy "Hiring managers can read details of their campaign teammates" on public.hiring_managers
  for select to authenticated
  using (id = any ((select private.teammate_ids())::uuid[]));

-- owner_id is tested directly too: `insert ... returning` (supabase-js .insert().select()) checks the new row
-- against this policy, and the helper's set was computed before the row existed.
create policy "Campaign members can read their campaigns" on public.campaigns
  for select to authenticated
  using (owner_id = (select auth.uid()) or id = any ((select private.viewable_campaign_ids())::uuid[]));

-- An admin creating a campaign with `return=representation` reads the new row back through this one: the
-- helper's set was computed before the row existed.
create policy "Admins can read every campaign" on public.campaigns
  for select to authenticated
  using ((select private.is_admin()));

create policy "Hiring managers can create campaigns they own" on public.campaigns
  for insert to authenticated
  with check (
    (owner_id = (select auth.uid()) and (select private.current_user_role()) = 'hiring_manager')
    or (select private.is_admin())
  );

create policy "Owners can update their campaigns" on public.campaigns
  for update to authenticated
  using (id = any ((select private.owned_campaign_ids())::uuid[]))
  with check (id = any ((select private.owned_campaign_ids())::uuid[]));

create policy "Owners can delete their draft campaigns" on public.campaigns
  for delete to authenticated
  using (id = any ((select private.owned_campaign_ids())::uuid[]) and status = 'draft');

create policy "Campaign members can read the campaign team" on public.campaign_collaborators
  for select to authenticated
  using (campaign_id = any ((select private.viewable_campaign_ids())::uuid[]));

create policy "Owners can share their campaigns" on public.campaign_collaborators
  for insert to authenticated
  with check (campaign_id = any ((select private.owned_campaign_ids())::uuid[]));

create policy "Owners can change collaborator roles" on public.campaign_collaborators
  for update to authenticated
  using (campaign_id = any ((select private.owned_campaign_ids())::uuid[]))
  with check (campaign_id = any ((select private.owned_campaign_ids())::uuid[]));

create policy "Owners can remove collaborators" on public.campaign_collaborators
  for delete to authenticated
  using (campaign_id = any ((select private.owned_campaign_ids())::uuid[]));

create policy "Campaign members can read questions" on public.questions
  for select to authenticated
  using (campaign_id = any ((select private.viewable_campaign_ids())::uuid[]));

create policy "Owners and editors can add questions" on public.questions
  for insert to authenticated
  with check (campaign_id = any ((select private.editable_campaign_ids())::uuid[]));

create policy "Owners and editors can edit questions" on public.questions
  for update to authenticated
  using (campaign_id = any ((select private.editable_campaign_ids())::uuid[]))
  with check (campaign_id = any ((select private.editable_campaign_ids())::uuid[]));

create policy "Owners and editors can remove questions" on public.questions
  for delete to authenticated
  using (campaign_id = any ((select private.editable_campaign_ids())::uuid[]));

-- =====================================================================================================================
-- grants
-- =====================================================================================================================

revoke all on public.campaigns, public.campaign_collaborators, public.questions from anon, authenticated;
grant select, delete on public.campaigns, public.campaign_collaborators, public.questions to authenticated;
grant insert (owner_id, title, description, status, start_date, end_date, think_time_seconds, answer_time_seconds,
              max_takes, max_video_bytes, retention_days)
  on public.campaigns to authenticated;
grant update (title, description, status, start_date, end_date, think_time_seconds, answer_time_seconds, max_takes,
              max_video_bytes, retention_days)
  on public.campaigns to authenticated;
grant insert (campaign_id, user_id, role) on public.campaign_collaborators to authenticated;
grant update (role) on public.campaign_collaborators to authenticated;
grant insert (campaign_id, position, prompt, think_time_seconds, answer_time_seconds, max_takes, is_practice)
  on public.questions to authenticated;
grant update (position, prompt, think_time_seconds, answer_time_seconds, max_takes, is_practice)
  on public.questions to authenticated;
