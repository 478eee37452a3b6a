-- Analytics: the campaign report, the hiring manager's dashboard and the per-candidate export.
--
-- Each is one `security invoker` PL/pgSQL function returning jsonb, so one call answers one request and every table
-- it reads is filtered by the caller's RLS policies, exactly as if the SPA had read the rows through PostgREST: a
-- collaborator with the `reviewer` role only counts the evaluations blind review lets them see, and a caller who
-- cannot read the campaign gets null (the analytics function answers 404). The analytics edge function calls them
-- with asUser (role + claims); the SPA may also call them directly with supabase.rpc().
--
-- Definitions (the README's "Analytics" section repeats them for readers of the numbers):
--   invited      every session (each one starts as an invitation)
--   started      sessions that reached in_progress (started_at is set), whatever happened next
--   completion   completed / invited; time to complete = completed_at - started_at, completed sessions only
--   reached      sessions the question was revealed in
--   answered     sessions with a submitted take of the question
--   dropped      sessions that are over (completed, expired or withdrawn) whose last revealed question is this one
--                and that have no submitted take of it: the candidate stopped there
--   avg_takes    takes recorded per session, among sessions with at least one take of the question
--   agreement    per response rated by two or more reviewers: spread = max - min score, and the population stddev
--   timeline     per UTC day from the first invitation to the last event, gaps filled with zeros
-- `email_opened` is null: invitation emails carry no open tracking, so it is not known.
--
-- At scale (a 10,000-session campaign, 100,000 rows): each table is read once, in a MATERIALIZED CTE, still as the
-- caller and under RLS. Read statement by statement, every one paid RLS again, and the planner, seeing
-- `campaign_id = any (<the caller's campaigns>)` AND `campaign_id = <id>`, expected a few dozen rows where there were
-- 40,000 and chose nested loops. The functions run with enable_nestloop off, so joins between those sets are hash
-- joins whatever the estimates say, and with jit off: enable_nestloop = off prices every join path at 10^10, far
-- above jit_above_cost, and JIT compiling took 1.2 s of a 1.3 s report. The dashboard hands the caller's readable
-- campaign ids (read under RLS) to the campaign_id indexes instead of leaving RLS to discard most of a 200,000-row
-- table. The report of a campaign's team is also kept until its data changes (20261126130300_campaign_report_cache).

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- The report of one campaign as the caller sees it (owner, collaborators, admins); null when the caller cannot read
-- the campaign. public.campaign_report (20261126130300_campaign_report_cache) serves it, kept for the campaign's team.
create function private.compute_campaign_report(p_campaign_id uuid)
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

  with sess as materialized (
    select s.id, s.status, s.invited_at, s.started_at, s.completed_at
      from public.interview_sessions s
     where s.campaign_id = p_campaign_id
  ),
  resp as materialized (
    select v.id, v.session_id, v.question_id, v.is_submitted, v.duration_seconds
      from public.video_responses v
     where v.campaign_id = p_campaign_id
  ),
  rev as materialized (
    select r.session_id, r.question_id, r.revealed_at
      from public.question_reveals r
     where r.campaign_id = p_campaign_id
  ),
  ev as materialized (
    select e.response_id, e.score
      from public.evaluations e
     where e.campaign_id = p_campaign_id
  ),
  funnel as (
    select jsonb_build_object(
             'funnel', jsonb_build_object(
               'invited', count(*),
               'email_opened', null,
               'started', count(*) filter (where s.started_at is not null),
               'completed', count(*) filter (where s.status = 'completed'),
               'expired', count(*) filter (where s.status = 'expired'),
               'withdrawn', count(*) filter (where s.status = 'withdrawn'),
               'not_started', count(*) filter (where s.status = 'invited'),
               'in_progress', count(*) filter (where s.status = 'in_progress')),
             'completion_rate',
               round(count(*) filter (where s.status = 'completed')::numeric / nullif(count(*), 0), 4),
             'time_to_complete_seconds', jsonb_build_object(
               'median', round((percentile_cont(0.5) within group (
                           order by extract(epoch from s.completed_at - s.started_at))
                           filter (where s.status = 'completed' and s.started_at is not null))::numeric, 2),
               'p90', round((percentile_cont(0.9) within group (
                        order by extract(epoch from s.completed_at - s.started_at))
                        filter (where s.status = 'completed' and s.started_at is not null))::numeric, 2))) as j
      from sess s
  ),
  takes as (
    select r.question_id, r.session_id, count(*) as takes, bool_or(r.is_submitted) as answered,
           max(r.duration_seconds) filter (where r.is_submitted) as duration
      from resp r
     group by r.question_id, r.session_id
  ),
  per_take as (
    select t.question_id, count(*) filter (where t.answered) as answered, avg(t.takes) as avg_takes,
           avg(t.duration) as avg_duration
      from takes t
     group by t.question_id
  ),
  reached as (
    select r.question_id, count(*) as reached from rev r group by r.question_id
  ),
  last_reveal as (
    select distinct on (r.session_id) r.session_id, r.question_id
      from rev r
     order by r.session_id, r.revealed_at desc, r.question_id
  ),
  dropped as (
    select l.question_id, count(*) as dropped
      from last_reveal l
      join sess s on s.id = l.session_id and s.status in ('completed', 'expired', 'withdrawn')
      left join takes t on t.session_id = l.session_id and t.question_id = l.question_id and t.answered
     where t.session_id is null
     group by l.question_id
  ),
  scores as (
    select r.question_id, avg(e.score) as avg_score, count(*) as evaluations
      from ev e
      join resp r on r.id = e.response_id
     group by r.question_id
  ),
  questions as (
    select coalesce(jsonb_agg(jsonb_build_object(
             'question_id', q.id,
             'position', q.position,
             'prompt', q.prompt,
             'is_practice', q.is_practice,
             'reached', coalesce(r.reached, 0),
             'answered', coalesce(p.answered, 0),
             'dropped', coalesce(d.dropped, 0),
             'avg_takes', round(p.avg_takes, 4),
             'avg_answer_seconds', round(p.avg_duration, 2),
             'avg_score', round(sc.avg_score, 4),
             'evaluations', coalesce(sc.evaluations, 0)) order by q.position), '[]'::jsonb) as j
      from public.questions q
      left join reached r on r.question_id = q.id
      left join per_take p on p.question_id = q.id
      left join dropped d on d.question_id = q.id
      left join scores sc on sc.question_id = q.id
     where q.campaign_id = p_campaign_id
  ),
  per_response as (
    select e.response_id, count(*) as n, max(e.score) - min(e.score) as spread, stddev_pop(e.score) as sd
      from ev e
     group by e.response_id
  ),
  agreement as (
    select jsonb_build_object(
             'rated_responses', count(*),
             'multi_rated_responses', count(*) filter (where n >= 2),
             'avg_spread', round(avg(spread) filter (where n >= 2), 4),
             'max_spread', max(spread) filter (where n >= 2),
             'avg_stddev', round(avg(sd) filter (where n >= 2), 4),
             'within_one_point',
               round(count(*) filter (where n >= 2 and spread <= 1)::numeric
                     / nullif(count(*) filter (where n >= 2), 0), 4)) as j
      from per_response
  ),
  events as (
    select (s.invited_at at time zone 'UTC')::date as day, 1 as invitations, 0 as completions
      from sess s
    union all
    select (s.completed_at at time zone 'UTC')::date, 0, 1
      from sess s
     where s.status = 'completed' and s.completed_at is not null
  ),
  per_day as (
    select e.day, sum(e.invitations) as invitations, sum(e.completions) as completions
      from events e
     group by e.day
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
           'generated_at', now())
         || (select j from funnel)
         || jsonb_build_object(
              'questions', (select j from questions),
              'reviewer_agreement', (select j from agreement),
              'timeline', (select j from timeline))
    into result;
  return result;
end
$$;

revoke all on function private.compute_campaign_report(uuid) from public, anon;
grant execute on function private.compute_campaign_report(uuid) to authenticated;
-- The service role holds EXECUTE on every analytics function (the public schema's default privileges).
grant execute on function private.compute_campaign_report(uuid) to service_role;

-- =====================================================================================================================
-- public API
-- =====================================================================================================================
-- The caller's overview across every campaign they can read (owned, shared, or all for admins).
-- Needs attention: an active campaign ending within p_attention_days whose sessions are at least
-- p_attention_ratio not started (still `invited`).
create function public.analytics_dashboard(
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
  result jsonb;
begin
  -- The caller's readable campaigns (RLS decides), handed to the campaign_id indexes of the other tables below;
  -- their own policies still apply to every row read.
  select coalesce(array_agg(c.id), '{}') into ids from public.campaigns c;

  with camps as materialized (
    select c.id, c.title, c.status, c.end_date from public.campaigns c where c.id = any (ids)
  ),
  sess as materialized (
    select s.id, s.campaign_id, s.candidate_id, s.status
      from public.interview_sessions s
     where s.campaign_id = any (ids)
  ),
  ev as materialized (
    select e.response_id, e.score from public.evaluations e where e.campaign_id = any (ids)
  ),
  waiting as (
    select count(*) as n
      from public.video_responses v
      join public.questions q on q.id = v.question_id and not q.is_practice
     where v.campaign_id = any (ids) and v.is_submitted
       and v.id not in (select e.response_id from public.evaluations e where e.reviewer_id = (select auth.uid()))
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
           'awaiting_my_review', (select n from waiting),
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
         || (select jsonb_build_object('average_score', round(avg(e.score), 4), 'evaluations', count(*)) from ev e)
    into result;
  return result;
end
$$;

revoke all on function public.analytics_dashboard(integer, numeric) from public, anon;
grant execute on function public.analytics_dashboard(integer, numeric) to authenticated;

-- One row per session of a campaign (a candidate) with status, times and scores, for the CSV export; null when the
-- caller cannot read the campaign. question_scores follows `questions` (average score per question, or null).
create function public.campaign_export(p_campaign_id uuid)
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
             'email', ca.email,
             'first_name', ca.first_name,
             'last_name', ca.last_name,
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

revoke all on function public.campaign_export(uuid) from public, anon;
grant execute on function public.campaign_export(uuid) to authenticated;
