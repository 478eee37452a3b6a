-- The campaigns a recruiter reads are found by a hashed lookup, and their candidates by index.
--
-- "Campaign members can read their campaigns" tested `id = any (<the caller's campaign ids>)`: an array the
-- executor searches element by element for every campaign row it filters. PostgREST's campaigns list, and every
-- embed of a campaign (a sessions list with `campaigns(title)`), filtered all 10,000 of the benchmark's campaigns that
-- way, 203 comparisons each (46 ms for a manager's campaigns list). The same set is now tested with
-- `id in (select unnest(...))`, which the executor hashes once per query: one lookup per row.
--
-- The recruiter's sessions list (interview_sessions with campaigns(title) and candidates(names), newest 50) joined
-- every readable session to a sequential scan of all candidates, because the planner took the candidates policy's
-- set (private.viewable_candidates, a set-returning helper) for 1,000 rows per probe and found index probes dearer.
-- The helper now declares 100 rows, about what one caller's started candidates number at most, so each session's
-- candidate is found through the primary key. Together: 2.1× to 2.4× its hand-filtered baseline before, about 1.1×
-- after, on the scratch runs (the benchmark has the figure of record).
--
-- Replaces: policy "Campaign members can read their campaigns" on public.campaigns; alters the planner estimate of
-- private.viewable_candidates() (ROWS only, the body is 20261203110000_candidate_data_per_company's).

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

alter function private.viewable_candidates() rows 100;

-- =====================================================================================================================
-- policies
-- =====================================================================================================================

-- owner_id is tested directly too: `insert ... returning` (supabase-js .insert().select()) checks the new row
-- against this policy, and the helper's set was computed before the row existed.
drop policy "Campaign members can read their campaigns" on public.campaigns;
create policy "Campaign members can read their campaigns" on public.campaigns
  for select to authenticated
  using (owner_id = (select auth.uid()) or id in (select unnest((select private.viewable_campaign_ids()))));
