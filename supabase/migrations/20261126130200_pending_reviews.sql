-- The reviewer's queue: submitted responses of the campaigns the caller can read (as owner, collaborator or admin)
-- that they have not rated yet, oldest first. Practice answers are not rated, so never queued. An RPC because
-- PostgREST cannot say "no evaluation of mine exists" as a filter.
--
-- security invoker: RLS on video_responses and evaluations decides, as for a table read. enable_nestloop is off
-- because, with RLS's `campaign_id = any(<set>)`, the planner expects a few hundred responses where a reviewer of a
-- 10,000-candidate campaign has tens of thousands, and a prepared statement's generic plan then chose a nested-loop
-- anti join over the reviewer's evaluations: 11 s instead of 0.1 s in the benchmark. jit is off, as for the analytics
-- functions: with enable_nestloop off, the plan's cost is far above jit_above_cost and JIT compiling dominates.

create function public.pending_reviews(p_limit integer default 50, p_campaign_id uuid default null)
returns table (
  response_id uuid,
  session_id uuid,
  question_id uuid,
  campaign_id uuid,
  submitted_at timestamptz
)
language sql
stable
set search_path = ''
set enable_nestloop = off
set jit = off
as $$
  select v.id, v.session_id, v.question_id, v.campaign_id, v.submitted_at
    from public.video_responses v
    join public.questions q on q.id = v.question_id and not q.is_practice
   where v.is_submitted
     -- Campaigns the caller reviews for: a candidate's own answers are not a review queue.
     and v.campaign_id in (select c.id from public.campaigns c)
     and (p_campaign_id is null or v.campaign_id = p_campaign_id)
     and not exists (select 1 from public.evaluations e
                      where e.response_id = v.id and e.reviewer_id = (select auth.uid()))
   order by v.submitted_at, v.id
   limit least(greatest(coalesce(p_limit, 50), 1), 500)
$$;

revoke all on function public.pending_reviews(integer, uuid) from public, anon;
grant execute on function public.pending_reviews(integer, uuid) to authenticated;
