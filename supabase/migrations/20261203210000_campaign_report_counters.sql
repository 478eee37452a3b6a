-- The campaign report's numbers, counted as the data is written.
--
-- After any write to a campaign the first reader recomputed its report from every row of the campaign (the
-- benchmark's 10,000 sessions, 40,000 takes, 20,000 ratings: p95 191 to 328 ms, target 25 ms). Now each write keeps
-- the counts up to date in its own transaction, and the report of the campaign's team reads them.
--
-- Every number of the report but the time-to-complete percentiles is a sum over sessions: a session's takes, reveals
-- and ratings belong to it alone. So each session's share of the counts (its "parts": invited 1, completed 1,
-- question q reached 1, 3 takes of q, ratings of its answers, …) is computed from its own rows and kept
-- (private.session_report_parts), and the campaign's counts (private.campaign_report_counts) are the sum of its
-- sessions' parts. A statement that writes sessions, reveals, takes or ratings recomputes the parts of the sessions
-- it touched and adds the difference to the counts (statement triggers, in the writer's transaction). The two
-- percentiles are read from the campaign's completed sessions through a covering index (5,000 index entries, no
-- table rows), since a median cannot be summed.
--
-- Concurrent writers: before it recomputes, a writer locks its campaigns' counter row (key '', in id order), so the
-- writers of one campaign take turns; each then reads the sessions as committed by the one before (READ COMMITTED
-- takes a new snapshot per statement) and its own changes, and the stored parts it subtracts are the ones that
-- writer left. Under REPEATABLE READ a second writer fails with a serialization error instead of counting wrong.
-- The triggers are ENABLE ALWAYS: writes made with session_replication_role = replica (the seed, crafted test
-- histories, the benchmark's generator) are counted too.
--
-- private.recount_campaign_reports rebuilds the counts of campaigns from their rows (tests compare it with what the
-- triggers kept; an operator can repair with it). The report of a reviewer is still computed from the rows it may
-- see (blind review), as before.
--
-- Replaces: private.team_campaign_report(uuid) (computes from the counts instead of reading every row).

-- =====================================================================================================================
-- tables
-- =====================================================================================================================

-- One session's share of its campaign's counts, as {key: number}; the keys are those of campaign_report_counts.
create table private.session_report_parts (
  session_id uuid primary key,
  campaign_id uuid not null references public.campaigns (id) on delete cascade,
  parts jsonb not null
);
create index session_report_parts_campaign_id_idx on private.session_report_parts (campaign_id);
alter table private.session_report_parts enable row level security;

-- A campaign's counts: the sum of its sessions' parts, one row per key. Keys:
--   invited, started, status.<status>, invited_on.<YYYY-MM-DD>, completed_on.<YYYY-MM-DD> (UTC days)
--   q.<question>.{reached, answered, dropped, with_takes, takes, answer_seconds, with_answer_seconds, score, ratings}
--   score, ratings (every rating of the campaign: the dashboard's average)
--   to_review (submitted answers to non-practice questions), reviewed_by.<reviewer> (those the reviewer rated): the
--   dashboard's awaiting_my_review
--   rated, multi_rated, spread, spread.<0..4>, stddev, within_one_point (over responses rated by two or more)
--   '' (value 0): the row writers lock to take turns on the campaign
create table private.campaign_report_counts (
  campaign_id uuid not null references public.campaigns (id) on delete cascade,
  key text not null,
  value numeric not null,
  primary key (campaign_id, key)
);
alter table private.campaign_report_counts enable row level security;

revoke all on table private.session_report_parts, private.campaign_report_counts
  from public, anon, authenticated, service_role;

-- =====================================================================================================================
-- indexes
-- =====================================================================================================================

-- The time-to-complete percentiles read a campaign's completed sessions from this index alone.
create index interview_sessions_completed_times_idx on public.interview_sessions (campaign_id)
  include (started_at, completed_at) where status = 'completed';

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- The parts of these sessions, computed from their rows (the definitions are those of compute_campaign_report).
-- Sessions that no longer exist have none. PL/pgSQL so that the plan of this long query is kept per connection (a
-- SQL function would plan it again on every write).
create function private.session_report_parts_of(p_session_ids uuid[])
returns table (session_id uuid, campaign_id uuid, parts jsonb)
language plpgsql
stable
rows 10
security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  with sess as (
    select s.id, s.campaign_id, s.status, s.invited_at, s.started_at, s.completed_at
      from public.interview_sessions s
     where s.id = any (p_session_ids)
  ),
  resp as (
    select v.id, v.session_id, v.question_id, v.is_submitted, v.duration_seconds
      from public.video_responses v
     where v.session_id = any (p_session_ids)
  ),
  rev as (
    select r.session_id, r.question_id, r.revealed_at
      from public.question_reveals r
     where r.session_id = any (p_session_ids)
  ),
  ev as (
    select r.session_id, r.question_id, e.response_id, e.score, e.reviewer_id
      from resp r
      join public.evaluations e on e.response_id = r.id
  ),
  -- Submitted answers to questions that are reviewed (practice questions are not). A question with a take is frozen
  -- (private.lock_answered_questions), so is_practice never changes under a counted take.
  reviewed as (
    select r.session_id, r.id
      from resp r
      join public.questions q on q.id = r.question_id and not q.is_practice
     where r.is_submitted
  ),
  takes as (
    select r.session_id, r.question_id, count(*) as takes, bool_or(r.is_submitted) as answered,
           max(r.duration_seconds) filter (where r.is_submitted) as duration
      from resp r
     group by r.session_id, r.question_id
  ),
  last_reveal as (
    select distinct on (r.session_id) r.session_id, r.question_id
      from rev r
     order by r.session_id, r.revealed_at desc, r.question_id
  ),
  per_response as (
    select e.session_id, count(*) as n, max(e.score) - min(e.score) as spread, stddev_pop(e.score) as sd
      from ev e
     group by e.session_id, e.response_id
  ),
  items (session_id, key, value) as (
    select s.id, 'invited', 1::numeric from sess s
    union all
    select s.id, 'started', 1 from sess s where s.started_at is not null
    union all
    select s.id, 'status.' || s.status, 1 from sess s
    union all
    select s.id, 'invited_on.' || to_char((s.invited_at at time zone 'UTC')::date, 'YYYY-MM-DD'), 1 from sess s
    union all
    select s.id, 'completed_on.' || to_char((s.completed_at at time zone 'UTC')::date, 'YYYY-MM-DD'), 1
      from sess s
     where s.status = 'completed' and s.completed_at is not null
    union all
    select r.session_id, 'q.' || r.question_id || '.reached', count(*) from rev r group by r.session_id, r.question_id
    union all
    select t.session_id, 'q.' || t.question_id || '.with_takes', 1 from takes t
    union all
    select t.session_id, 'q.' || t.question_id || '.takes', t.takes from takes t
    union all
    select t.session_id, 'q.' || t.question_id || '.answered', 1 from takes t where t.answered
    union all
    select t.session_id, 'q.' || t.question_id || '.answer_seconds', t.duration from takes t
     where t.duration is not null
    union all
    select t.session_id, 'q.' || t.question_id || '.with_answer_seconds', 1 from takes t
     where t.duration is not null
    union all
    select l.session_id, 'q.' || l.question_id || '.dropped', 1
      from last_reveal l
      join sess s on s.id = l.session_id and s.status in ('completed', 'expired', 'withdrawn')
     where not exists (select 1 from takes t
                        where t.session_id = l.session_id and t.question_id = l.question_id and t.answered)
    union all
    select e.session_id, 'q.' || e.question_id || '.score', e.score from ev e
    union all
    select e.session_id, 'q.' || e.question_id || '.ratings', 1 from ev e
    union all
    select e.session_id, 'score', e.score from ev e
    union all
    select e.session_id, 'ratings', 1 from ev e
    union all
    select w.session_id, 'to_review', 1 from reviewed w
    union all
    select e.session_id, 'reviewed_by.' || e.reviewer_id, 1 from ev e join reviewed w on w.id = e.response_id
    union all
    select p.session_id, 'rated', 1 from per_response p
    union all
    select p.session_id, x.key, x.value
      from per_response p
      cross join lateral (values ('multi_rated', 1::numeric), ('spread', p.spread::numeric),
                                 ('spread.' || p.spread, 1::numeric), ('stddev', p.sd),
                                 ('within_one_point', case when p.spread <= 1 then 1 else 0 end::numeric)) x (key, value)
     where p.n >= 2
  )
  select s.id, s.campaign_id, coalesce(p.parts, '{}'::jsonb)
    from sess s
    left join (select i.session_id, jsonb_object_agg(i.key, i.value) as parts
                 from (select i.session_id, i.key, sum(i.value) as value from items i group by i.session_id, i.key) i
                where i.value <> 0
                group by i.session_id) p on p.session_id = s.id;
end
$$;

-- Locks the counter rows of these campaigns (creating them), in id order: the writers of a campaign take turns.
-- Returns the campaigns that still exist (a cascade may be deleting the others).
create function private.lock_campaign_report_counts(p_campaign_ids uuid[])
returns uuid[]
language plpgsql
security definer
set search_path = ''
as $$
declare
  locked uuid[];
begin
  with l as (
    insert into private.campaign_report_counts as c (campaign_id, key, value)
    select k.id, '', 0 from public.campaigns k where k.id = any (p_campaign_ids) order by k.id
    on conflict (campaign_id, key) do update set value = 0
    returning c.campaign_id
  )
  select coalesce(array_agg(l.campaign_id), '{}') into locked from l;
  return locked;
end
$$;

-- Recomputes the parts of these sessions and adds the difference to their campaigns' counts.
create function private.count_sessions(p_session_ids uuid[])
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  campaign_ids uuid[];
begin
  if coalesce(cardinality(p_session_ids), 0) = 0 then
    return;
  end if;
  -- A session's campaign never changes; the parts name the campaign of a session that is gone.
  select array_agg(distinct x.campaign_id) into campaign_ids
    from (select p.campaign_id from private.session_report_parts p where p.session_id = any (p_session_ids)
          union all
          select s.campaign_id from public.interview_sessions s where s.id = any (p_session_ids)) x;
  campaign_ids := private.lock_campaign_report_counts(campaign_ids);

  -- This statement's snapshot is taken after the lock: it sees what the campaign's previous writer committed. Its
  -- parts CTEs all read the parts as they were before the statement, which is what the difference needs.
  with fresh as materialized (
    select f.session_id, f.campaign_id, f.parts from private.session_report_parts_of(p_session_ids) f
  ),
  old as materialized (
    select p.session_id, p.campaign_id, p.parts from private.session_report_parts p
     where p.session_id = any (p_session_ids)
  ),
  difference as (
    select x.campaign_id, e.key, sum(x.sign * e.value::numeric) as value
      from (select f.campaign_id, f.parts, 1 as sign from fresh f
            union all
            select o.campaign_id, o.parts, -1 from old o) x
      cross join lateral jsonb_each(x.parts) e
     group by x.campaign_id, e.key
  ),
  counted as (
    insert into private.campaign_report_counts as c (campaign_id, key, value)
    select d.campaign_id, d.key, d.value
      from difference d
     where d.value <> 0 and d.campaign_id = any (campaign_ids)
     order by d.campaign_id, d.key
    on conflict (campaign_id, key) do update set value = c.value + excluded.value
  ),
  removed as (
    delete from private.session_report_parts p
     using old o
     where p.session_id = o.session_id and not exists (select 1 from fresh f where f.session_id = o.session_id)
  )
  insert into private.session_report_parts as p (session_id, campaign_id, parts)
  select f.session_id, f.campaign_id, f.parts from fresh f order by f.session_id
  on conflict (session_id) do update set campaign_id = excluded.campaign_id, parts = excluded.parts
   where p.parts is distinct from excluded.parts;

  delete from private.campaign_report_counts c
   where c.campaign_id = any (campaign_ids) and c.value = 0 and c.key <> '';
end
$$;

-- Rebuilds the counts of these campaigns (every campaign when null) from their rows.
create function private.recount_campaign_reports(p_campaign_ids uuid[] default null)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  ids uuid[] := coalesce(p_campaign_ids, array(select c.id from public.campaigns c));
begin
  perform private.lock_campaign_report_counts(ids);
  delete from private.session_report_parts p where p.campaign_id = any (ids);
  delete from private.campaign_report_counts c where c.campaign_id = any (ids) and c.key <> '';
  insert into private.session_report_parts (session_id, campaign_id, parts)
  select f.session_id, f.campaign_id, f.parts
    from private.session_report_parts_of(array(select s.id from public.interview_sessions s
                                                where s.campaign_id = any (ids))) f;
  insert into private.campaign_report_counts (campaign_id, key, value)
  select p.campaign_id, e.key, sum(e.value::numeric)
    from private.session_report_parts p
    cross join lateral jsonb_each(p.parts) e
   where p.campaign_id = any (ids)
   group by p.campaign_id, e.key
  having sum(e.value::numeric) <> 0;
end
$$;

-- The report of a campaign's team (owner, editors, admins) from its counts; same shape and numbers as
-- private.compute_campaign_report as the team sees it. Null for an unknown campaign.
create function private.counted_campaign_report(p_campaign_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  c public.campaigns;
  n jsonb;
  result jsonb;
begin
  select * into c from public.campaigns where id = p_campaign_id;
  if not found then
    return null;
  end if;
  select coalesce(jsonb_object_agg(k.key, k.value), '{}'::jsonb) into n
    from private.campaign_report_counts k
   where k.campaign_id = p_campaign_id and k.key <> '';

  with num (invited, completed) as (
    select coalesce((n ->> 'invited')::numeric, 0), coalesce((n ->> 'status.completed')::numeric, 0)
  ),
  times as (
    select round((percentile_cont(0.5) within group (
             order by extract(epoch from s.completed_at - s.started_at)))::numeric, 2) as median,
           round((percentile_cont(0.9) within group (
             order by extract(epoch from s.completed_at - s.started_at)))::numeric, 2) as p90
      from public.interview_sessions s
     where s.campaign_id = p_campaign_id and s.status = 'completed' and s.started_at is not null
  ),
  questions as (
    select coalesce(jsonb_agg(jsonb_build_object(
             'question_id', q.id,
             'position', q.position,
             'prompt', q.prompt,
             'is_practice', q.is_practice,
             'reached', coalesce((n ->> ('q.' || q.id || '.reached'))::numeric, 0),
             'answered', coalesce((n ->> ('q.' || q.id || '.answered'))::numeric, 0),
             'dropped', coalesce((n ->> ('q.' || q.id || '.dropped'))::numeric, 0),
             'avg_takes', round((n ->> ('q.' || q.id || '.takes'))::numeric
                                / nullif((n ->> ('q.' || q.id || '.with_takes'))::numeric, 0), 4),
             'avg_answer_seconds', round((n ->> ('q.' || q.id || '.answer_seconds'))::numeric
                                         / nullif((n ->> ('q.' || q.id || '.with_answer_seconds'))::numeric, 0), 2),
             'avg_score', round((n ->> ('q.' || q.id || '.score'))::numeric
                                / nullif((n ->> ('q.' || q.id || '.ratings'))::numeric, 0), 4),
             'evaluations', coalesce((n ->> ('q.' || q.id || '.ratings'))::numeric, 0)) order by q.position),
             '[]'::jsonb) as j
      from public.questions q
     where q.campaign_id = p_campaign_id
  ),
  agreement as (
    select jsonb_build_object(
             'rated_responses', coalesce((n ->> 'rated')::numeric, 0),
             'multi_rated_responses', coalesce((n ->> 'multi_rated')::numeric, 0),
             'avg_spread', round((n ->> 'spread')::numeric / nullif((n ->> 'multi_rated')::numeric, 0), 4),
             'max_spread', (select max(substr(e.key, 8)::integer) from jsonb_each(n) e where e.key like 'spread.%'),
             'avg_stddev', round((n ->> 'stddev')::numeric / nullif((n ->> 'multi_rated')::numeric, 0), 4),
             'within_one_point', round(coalesce((n ->> 'within_one_point')::numeric, 0)
                                       / nullif((n ->> 'multi_rated')::numeric, 0), 4)) as j
  ),
  per_day as (
    select substr(e.key, strpos(e.key, '.') + 1)::date as day,
           sum(e.value::numeric) filter (where e.key like 'invited_on.%') as invitations,
           sum(e.value::numeric) filter (where e.key like 'completed_on.%') as completions
      from jsonb_each(n) e
     where e.key like 'invited_on.%' or e.key like 'completed_on.%'
     group by 1
  ),
  days as (
    select g::date as day
      from (select min(day) as first_day, max(day) as last_day from per_day) b,
           generate_series(b.first_day, b.last_day, interval '1 day') g
  ),
  timeline as (
    select coalesce(jsonb_agg(jsonb_build_object(
             'date', to_char(d.day, 'YYYY-MM-DD'),
             'invitations', coalesce(p.invitations, 0),
             'completions', coalesce(p.completions, 0)) order by d.day), '[]'::jsonb) as j
      from days d
      left join per_day p on p.day = d.day
  )
  select jsonb_build_object(
           'campaign', jsonb_build_object(
             'id', c.id, 'title', c.title, 'status', c.status, 'start_date', c.start_date, 'end_date', c.end_date),
           'generated_at', now(),
           'funnel', jsonb_build_object(
             'invited', num.invited,
             'email_opened', null,
             'started', coalesce((n ->> 'started')::numeric, 0),
             'completed', num.completed,
             'expired', coalesce((n ->> 'status.expired')::numeric, 0),
             'withdrawn', coalesce((n ->> 'status.withdrawn')::numeric, 0),
             'not_started', coalesce((n ->> 'status.invited')::numeric, 0),
             'in_progress', coalesce((n ->> 'status.in_progress')::numeric, 0)),
           'completion_rate', round(num.completed / nullif(num.invited, 0), 4),
           'time_to_complete_seconds', jsonb_build_object('median', times.median, 'p90', times.p90),
           'questions', (select j from questions),
           'reviewer_agreement', (select j from agreement),
           'timeline', (select j from timeline))
    into result
    from num, times;
  return result;
end
$$;

revoke all on function private.session_report_parts_of(uuid[]) from public, anon, authenticated;
revoke all on function private.lock_campaign_report_counts(uuid[]) from public, anon, authenticated;
revoke all on function private.count_sessions(uuid[]) from public, anon, authenticated;
revoke all on function private.recount_campaign_reports(uuid[]) from public, anon, authenticated;
revoke all on function private.counted_campaign_report(uuid) from public, anon, authenticated;

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

-- One trigger function for the four tables a report counts. TG_ARGV[0] names the column that holds the session,
-- TG_ARGV[1] the columns the counts read: an update that changes none of them (an email status, a deadline, an
-- upload's progress) recomputes nothing.
create function private.campaign_report_rows_changed()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  session_column text := tg_argv[0];
  counted text := tg_argv[1];
  ids uuid[];
begin
  if tg_op = 'DELETE' then
    execute format('select array_agg(distinct %I) from old_rows', session_column) into ids;
  elsif tg_op = 'INSERT' then
    execute format('select array_agg(distinct %I) from new_rows', session_column) into ids;
  else
    execute format('select array_agg(distinct s) from ('
                   '(select %1$I as s, %2$s from new_rows except all select %1$I, %2$s from old_rows) union all '
                   '(select %1$I, %2$s from old_rows except all select %1$I, %2$s from new_rows)) changed',
                   session_column, counted) into ids;
  end if;
  perform private.count_sessions(ids);
  return null;
end
$$;

revoke all on function private.campaign_report_rows_changed() from public, anon, authenticated;

do $$
declare
  t record;
begin
  for t in
    select * from (values
      ('interview_sessions', 'id', 'id, campaign_id, status, invited_at, started_at, completed_at'),
      ('question_reveals', 'session_id', 'question_id, revealed_at'),
      ('video_responses', 'session_id', 'id, question_id, is_submitted, duration_seconds'),
      ('evaluations', 'session_id', 'id, response_id, reviewer_id, score')) as x (name, session_column, counted)
  loop
    execute format('create trigger campaign_report_counts_after_insert after insert on public.%I
                      referencing new table as new_rows for each statement
                      execute function private.campaign_report_rows_changed(%L, %L)',
                   t.name, t.session_column, t.counted);
    execute format('create trigger campaign_report_counts_after_update after update on public.%I
                      referencing new table as new_rows old table as old_rows for each statement
                      execute function private.campaign_report_rows_changed(%L, %L)',
                   t.name, t.session_column, t.counted);
    execute format('create trigger campaign_report_counts_after_delete after delete on public.%I
                      referencing old table as old_rows for each statement
                      execute function private.campaign_report_rows_changed(%L, %L)',
                   t.name, t.session_column, t.counted);
    -- Counted whoever writes, replication role included (see the header).
    execute format('alter table public.%I enable always trigger campaign_report_counts_after_insert', t.name);
    execute format('alter table public.%I enable always trigger campaign_report_counts_after_update', t.name);
    execute format('alter table public.%I enable always trigger campaign_report_counts_after_delete', t.name);
  end loop;
end
$$;

-- The counts of the data already there.
select private.recount_campaign_reports();

-- =====================================================================================================================
-- reading through the cache
-- =====================================================================================================================

-- As before (20261126130300_campaign_report_cache), but a report that is not kept is read from the counts.
create or replace function private.team_campaign_report(p_campaign_id uuid)
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
  result := private.counted_campaign_report(p_campaign_id);
  insert into private.campaign_report_cache as c (campaign_id, version, report, report_version)
  values (p_campaign_id, coalesce(noted_version, 0), result, coalesce(noted_version, 0))
  on conflict (campaign_id) do update set report = excluded.report, report_version = excluded.report_version
   where c.version = excluded.report_version;
  return result;
end
$$;
