-- The campaign report, kept once computed until the campaign's data changes.
--
-- The report of the benchmark's 10,000-session campaign reads 100,000 rows under RLS (about 140 ms), and recruiters
-- open a report far more often than a campaign changes. So the report of a campaign is kept, per campaign, until a
-- write touches something it counts.
--
-- Correctness rests on a version per campaign:
-- - every write to the campaign, its questions, sessions, reveals, responses or evaluations bumps the version (a
--   statement trigger, in the writer's transaction) and drops the kept report;
-- - a reader notes the version, computes the report, and keeps it only if the version is still the one it noted.
--   The store is an upsert on the same row, so it waits for a writer that has bumped the version and not committed
--   yet, then sees the new version and keeps nothing. A report is never kept for a version whose data it missed.
-- Only callers who see every row of the campaign (owner, editors, admins: the campaigns in editable_campaign_ids)
-- read and fill the cache. A reviewer sees only the scores blind review allows, so their report is always computed.

-- =====================================================================================================================
-- tables
-- =====================================================================================================================

create table private.campaign_report_cache (
  campaign_id uuid primary key references public.campaigns (id) on delete cascade,
  version bigint not null default 0,
  report jsonb,
  report_version bigint
);
alter table private.campaign_report_cache enable row level security;
revoke all on table private.campaign_report_cache from public, anon, authenticated, service_role;

-- =====================================================================================================================
-- invalidation
-- =====================================================================================================================

-- Campaigns gone in the same statement (a cascade) have nothing left to report.
create function private.touch_campaign_reports(campaign_ids uuid[])
returns void
language sql
security definer
set search_path = ''
as $$
  insert into private.campaign_report_cache as c (campaign_id, version)
  select c.id, 1 from public.campaigns c where c.id = any (campaign_ids) order by c.id
  on conflict (campaign_id) do update set version = c.version + 1, report = null, report_version = null
$$;

-- One trigger function for every table whose rows carry campaign_id (campaigns use their id).
create function private.campaign_data_changed()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  column_name text := case when tg_table_name = 'campaigns' then 'id' else 'campaign_id' end;
  ids uuid[];
begin
  if tg_op = 'DELETE' then
    execute format('select array_agg(distinct %I) from old_rows', column_name) into ids;
  elsif tg_op = 'INSERT' then
    execute format('select array_agg(distinct %I) from new_rows', column_name) into ids;
  else
    execute format('select array_agg(distinct id) from (select %1$I as id from new_rows union select %1$I from old_rows) t',
                   column_name) into ids;
  end if;
  perform private.touch_campaign_reports(ids);
  return null;
end
$$;

do $$
declare
  t text;
begin
  foreach t in array array['campaigns', 'questions', 'interview_sessions', 'question_reveals', 'video_responses',
                           'evaluations'] loop
    execute format('create trigger campaign_report_stale_after_insert after insert on public.%I
                      referencing new table as new_rows for each statement
                      execute function private.campaign_data_changed()', t);
    execute format('create trigger campaign_report_stale_after_update after update on public.%I
                      referencing new table as new_rows old table as old_rows for each statement
                      execute function private.campaign_data_changed()', t);
    if t <> 'campaigns' then
      execute format('create trigger campaign_report_stale_after_delete after delete on public.%I
                        referencing old table as old_rows for each statement
                        execute function private.campaign_data_changed()', t);
    end if;
  end loop;
end
$$;

-- =====================================================================================================================
-- reading through the cache
-- =====================================================================================================================

-- The report as the campaign's team sees it (owner, editors, admins: every row of the campaign), kept until the
-- campaign's data changes. security definer so that only this function writes the cache; it computes as the
-- definer, which sees the same rows as the team does.
create function private.team_campaign_report(p_campaign_id uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  noted_version bigint;
  kept jsonb;
  result jsonb;
begin
  if not (p_campaign_id = any (private.editable_campaign_ids())) then
    raise exception 'not_campaign_editor' using errcode = '42501';
  end if;
  select c.version, case when c.report_version = c.version then c.report end
    into noted_version, kept
    from private.campaign_report_cache c
   where c.campaign_id = p_campaign_id;
  if kept is not null then
    return kept;
  end if;
  result := private.compute_campaign_report(p_campaign_id);
  insert into private.campaign_report_cache as c (campaign_id, version, report, report_version)
  values (p_campaign_id, coalesce(noted_version, 0), result, coalesce(noted_version, 0))
  on conflict (campaign_id) do update set report = excluded.report, report_version = excluded.report_version
   where c.version = excluded.report_version;
  return result;
end
$$;

revoke all on function private.touch_campaign_reports(uuid[]) from public, anon, authenticated;
revoke all on function private.campaign_data_changed() from public, anon, authenticated;
revoke all on function private.team_campaign_report(uuid) from public, anon;
grant execute on function private.team_campaign_report(uuid) to authenticated;

-- The report of one campaign (owner, collaborators, admins); null when the caller cannot read the campaign.
-- generated_at says when the numbers were computed.
create function public.campaign_report(p_campaign_id uuid)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
begin
  if p_campaign_id = any (private.editable_campaign_ids()) then
    return private.team_campaign_report(p_campaign_id);
  end if;
  return private.compute_campaign_report(p_campaign_id);
end
$$;

revoke all on function public.campaign_report(uuid) from public, anon;
grant execute on function public.campaign_report(uuid) to authenticated;
