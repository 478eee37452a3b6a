-- The campaigns a caller may read are found through the index, and a candidate's policy checks cost one claim read.
--
-- campaigns had two permissive read policies: the members' one and "Admins can read every campaign", a bare boolean
-- (`(select private.is_admin())`). PostgreSQL ORs permissive policies, and an OR with an arm that names no column can
-- use no index: every read of campaigns, the SPA's campaigns list and every embed of a campaign (a sessions list with
-- `campaigns(title)`), filtered all campaigns of every tenant one by one. The planner also took that arm for half of
-- the table, so the recruiter's sessions list hashed all 10,000 of the benchmark's campaigns to find its 203 (its time
-- grew 2.12× when the other tenants' data grew ten times, against a target of flat).
--
-- The one read policy now has two arms that both name an indexed column: `id = any (<the caller's campaign ids>)`,
-- answered by probes of the primary key, and `owner_id = any (<owners whose campaigns the caller reads>)`, answered
-- by the owner index: the caller for a hiring manager, every hiring manager for an admin (so an admin's
-- `insert ... returning` of a campaign made for someone else still reads the new row, which no set computed before
-- the insert holds). A manager's campaigns list took 8.0 ms before and 1.2 ms after (EXPLAIN ANALYZE, benchmark
-- dataset), and the sessions list's join reads 203 campaigns, not 10,000.
--
-- private.viewable_campaign_ids() answers a candidate before it reads the caller's id: the candidate's own interviews
-- list pays for one claim read, not two.
--
-- Replaces: policies "Admins can read every campaign" (dropped) and "Campaign members can read their campaigns" on
-- public.campaigns; private.viewable_campaign_ids(). New: private.readable_owner_ids().

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- Campaigns the caller may read: owned or shared (any collaborator role). Admins: every campaign. Candidates: none.
create or replace function private.viewable_campaign_ids()
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  -- The claim read here rather than through private.current_user_role(): one PL/pgSQL call fewer per statement.
  claim text := auth.jwt() ->> 'user_role';
  my_role public.app_role;
  me uuid;
begin
  my_role := case when claim in ('hiring_manager', 'candidate', 'admin') then claim::public.app_role
                  else private.current_user_role() end;
  if my_role = 'candidate' then
    return '{}'::uuid[];
  end if;
  if my_role = 'admin' then
    return array(select c.id from public.campaigns c);
  end if;
  me := auth.uid();
  return array(
    select c.id from public.campaigns c where c.owner_id = me
    union all
    select cc.campaign_id from public.campaign_collaborators cc where cc.user_id = me
  );
end
$$;

-- Owners whose every campaign the caller reads: themselves for a hiring manager, every hiring manager for an admin,
-- nobody for a candidate.
create function private.readable_owner_ids()
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  my_role public.app_role := private.current_user_role();
begin
  if my_role = 'admin' then
    return array(select h.id from public.hiring_managers h);
  end if;
  if my_role = 'hiring_manager' then
    return array[auth.uid()];
  end if;
  return '{}'::uuid[];
end
$$;

revoke all on function private.readable_owner_ids() from public;
grant execute on function private.readable_owner_ids() to authenticated;

-- =====================================================================================================================
-- policies
-- =====================================================================================================================

drop policy "Admins can read every campaign" on public.campaigns;

-- owner_id is tested too: `insert ... returning` (supabase-js .insert().select()) checks the new row against this
-- policy, and the set of campaign ids was computed before the row existed.
drop policy "Campaign members can read their campaigns" on public.campaigns;
create policy "Campaign members can read their campaigns" on public.campaigns
  for select to authenticated
  using (owner_id = any ((select private.readable_owner_ids())::uuid[])
         or id = any ((select private.viewable_campaign_ids())::uuid[]));

comment on policy "Campaign members can read their campaigns" on public.campaigns is
  'Owners, collaborators (any role) and admins; the ids come from private.viewable_campaign_ids()';
