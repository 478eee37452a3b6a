-- The dashboard reads ratings and the answers awaiting the caller's review from the report's counts.
--
-- After 20261203200000_dashboard_walks_readable_campaigns the dashboard of a manager with 200 campaigns spent most of
-- its time reading their 3,500 ratings under RLS (three policies OR'd, rows spread over 2,000 pages) to average them.
-- The report's counts (20261203210000_campaign_report_counters) keep each campaign's sum and number of ratings, so
-- the ratings of campaigns whose every rating the caller may read (owner, editor, admin) come from there; those of
-- campaigns shared with the caller as a reviewer are still read row by row under RLS, since blind review shows a
-- reviewer only some of them. awaiting_my_review (submitted answers the caller has not rated) is read from the counts
-- too: each campaign's answers to review, less those the caller rated (a count per campaign and reviewer), where it
-- read 7,000 takes and the caller's 2,700 ratings under RLS. Every other number is read as before.
--
-- Replaces: public.analytics_dashboard(integer, numeric).

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- The sum and number of ratings of those of these campaigns the caller edits (owner, editor; admins: all), from the
-- counts; campaigns the caller does not edit add nothing. One set of ids, so that both key columns of the primary key
-- bound the index scan (two ids = any (...) conditions left the key to a filter over every count of the campaigns).
create function private.team_rating_totals(p_campaign_ids uuid[])
returns table (score numeric, ratings numeric)
language plpgsql
stable
security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  select coalesce(sum(k.value) filter (where k.key = 'score'), 0),
         coalesce(sum(k.value) filter (where k.key = 'ratings'), 0)
    from private.campaign_report_counts k
   where k.campaign_id = any (array(select unnest(p_campaign_ids) intersect
                                    select unnest(private.editable_campaign_ids())))
     and k.key = any ('{score,ratings}'::text[]);
end
$$;

-- Submitted answers (practice questions aside) of those of these campaigns the caller may read that the caller has
-- not rated, from the counts: every such answer less those the caller rated.
create function private.awaiting_my_review(p_campaign_ids uuid[])
returns numeric
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  n numeric;
begin
  select coalesce(sum(case when k.key = 'to_review' then k.value else -k.value end), 0) into n
    from private.campaign_report_counts k
   where k.campaign_id = any (array(select unnest(p_campaign_ids) intersect
                                    select unnest(private.viewable_campaign_ids())))
     and k.key = any (array['to_review', 'reviewed_by.' || auth.uid()]);
  return n;
end
$$;

revoke all on function private.team_rating_totals(uuid[]) from public, anon;
revoke all on function private.awaiting_my_review(uuid[]) from public, anon;
grant execute on function private.awaiting_my_review(uuid[]) to authenticated;
grant execute on function private.team_rating_totals(uuid[]) to authenticated;

-- =====================================================================================================================
-- public API
-- =====================================================================================================================

create or replace function public.analytics_dashboard(
  p_attention_days integer default 7,
  p_attention_ratio numeric default 0.5
)
returns jsonb
language plpgsql
stable
set search_path = ''
set enable_nestloop = off
set work_mem = '32MB'
set jit = off
as $$
declare
  ids uuid[];
  team uuid[];
  others uuid[];
  counted record;
  result jsonb;
begin
  -- The caller's readable campaigns, walked by id: the helper names them (owned, shared, or every one for an admin)
  -- and the primary key finds them, where the bare `from public.campaigns` read all 10,000 campaigns to let the
  -- policy keep 200. RLS still decides (the policy is applied to each row found). The ids are then handed to the
  -- campaign_id indexes of the other tables below; their own policies still apply to every row read.
  select coalesce(array_agg(c.id), '{}') into ids
    from public.campaigns c
   where c.id = any (private.viewable_campaign_ids());
  -- Of those, the campaigns whose every rating the caller reads (owner, editor, admin): their ratings are summed in
  -- the kept counts. The others (shared as reviewer) are read row by row, as blind review lets the caller see them.
  team := array(select unnest(ids) intersect select unnest(private.editable_campaign_ids()));
  others := array(select unnest(ids) except select unnest(team));
  select * into counted from private.team_rating_totals(team);

  with camps as materialized (
    select c.id, c.title, c.status, c.end_date from public.campaigns c where c.id = any (ids)
  ),
  sess as materialized (
    select s.id, s.campaign_id, s.candidate_id, s.status
      from public.interview_sessions s
     where s.campaign_id = any (ids)
  ),
  ev as materialized (
    select e.score from public.evaluations e where e.campaign_id = any (others)
  ),
  attention as (
    select coalesce(jsonb_agg(jsonb_build_object(
             'campaign_id', k.id,
             'title', k.title,
             'end_date', k.end_date,
             'invited', k.invited,
             'not_started', k.not_started,
             'not_started_rate', round(k.not_started::numeric / k.invited, 4)) order by k.end_date, k.id),
             '[]'::jsonb) as j
      from (
        select c.id, c.title, c.end_date, count(*) as invited, count(*) filter (where s.status = 'invited') as not_started
          from camps c
          join sess s on s.campaign_id = c.id
         where c.status = 'active'
           and c.end_date > now()
           and c.end_date <= now() + make_interval(days => p_attention_days)
         group by c.id, c.title, c.end_date
      ) k
     where k.not_started::numeric / k.invited >= p_attention_ratio
  )
  select jsonb_build_object(
           'generated_at', now(),
           'campaigns', (select jsonb_build_object(
                           'total', count(*),
                           'active', count(*) filter (where c.status = 'active'),
                           'draft', count(*) filter (where c.status = 'draft'),
                           'closed', count(*) filter (where c.status = 'closed'),
                           'archived', count(*) filter (where c.status = 'archived'))
                           from camps c),
           'awaiting_my_review', private.awaiting_my_review(ids),
           'needs_attention', (select j from attention))
         || (select jsonb_build_object(
               'candidates', count(distinct s.candidate_id),
               'sessions', jsonb_build_object(
                 'total', count(*),
                 'invited', count(*) filter (where s.status = 'invited'),
                 'in_progress', count(*) filter (where s.status = 'in_progress'),
                 'completed', count(*) filter (where s.status = 'completed'),
                 'expired', count(*) filter (where s.status = 'expired'),
                 'withdrawn', count(*) filter (where s.status = 'withdrawn')),
               'completion_rate',
                 round(count(*) filter (where s.status = 'completed')::numeric / nullif(count(*), 0), 4))
               from sess s)
         || (select jsonb_build_object(
               'average_score', round((counted.score + coalesce(sum(e.score), 0)) / nullif(counted.ratings + count(*), 0), 4),
               'evaluations', counted.ratings + count(*))
               from ev e)
    into result;
  return result;
end
$$;

revoke all on function public.analytics_dashboard(integer, numeric) from public, anon;
grant execute on function public.analytics_dashboard(integer, numeric) to authenticated;
