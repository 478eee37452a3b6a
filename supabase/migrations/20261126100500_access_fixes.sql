-- Access fixes found by the pgTAP suite and by EXPLAIN on a 100k-candidate dataset.
--
-- 1. An admin creating a campaign through PostgREST with `return=representation` could not read the new row back:
--    the helper set is computed before the row exists. Admins get their own read policy on campaigns.
-- 2. Large id sets (a campaign's 10,000 candidates, a prolific reviewer's evaluations) are now `in (select ...)`
--    over set-returning helpers: one hashed lookup per row instead of a linear scan of an array. Small sets
--    (a hiring manager's campaigns, a candidate's sessions) stay arrays, which the planner uses as index conditions.
--
-- Note for every migration: a function created in `public` is executable by PUBLIC (so anon) unless revoked; the
-- schema-level default privilege of the first migration cannot remove that built-in grant. Revoke it explicitly
-- (`revoke all on function ... from public, anon`) and grant per role; 00-schema-wide-guarantees checks it.

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- Candidates with a session in a campaign the caller may read (admins: every candidate with a session).
create function private.viewable_candidates()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select s.candidate_id from public.interview_sessions s
   where s.campaign_id = any (private.viewable_campaign_ids())
$$;

-- Responses the caller has rated: the blind-review key.
create function private.my_evaluated_responses()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select e.response_id from public.evaluations e where e.reviewer_id = auth.uid()
$$;

revoke all on function private.viewable_candidates() from public;
revoke all on function private.my_evaluated_responses() from public;
grant execute on function private.viewable_candidates() to authenticated;
grant execute on function private.my_evaluated_responses() to authenticated;

-- =====================================================================================================================
-- policies
-- =====================================================================================================================

create policy "Admins can read every campaign" on public.campaigns
  for select to authenticated
  using ((select private.is_admin()));

drop policy "Hiring managers can read candidates invited to their campaigns" on public.candidates;
create policy "Hiring managers can read candidates invited to their campaigns" on public.candidates
  for select to authenticated
  using (id in (select private.viewable_candidates()));

drop policy "Reviewers can read evaluations of responses they rated" on public.evaluations;
create policy "Reviewers can read evaluations of responses they rated" on public.evaluations
  for select to authenticated
  using (
    response_id in (select private.my_evaluated_responses())
    and campaign_id = any ((select private.viewable_campaign_ids())::uuid[])
  );

drop function private.viewable_candidate_ids();
drop function private.my_evaluated_response_ids();
