-- Blind review that holds. Two ways around it are closed:
--
-- 1. Rate anything, read the others' scores (visible once you have rated the response), then edit your own: a blind
--    reviewer's score is final once anyone else has rated the same response. Until then nothing of anyone else's
--    could have been seen, so the score may still change; the comment always may. Owners, editors and admins read
--    every score from the start, so the rule is not theirs.
-- 2. Read the decision first: a reviewer reads a session's decision only once they have rated every submitted
--    answer of the session (practice answers are not rated). Owners, editors and admins read every decision.
--
-- Errors a caller sees (SQLSTATE, message):
--   23514 score_final   changing the score of a response someone else has rated too, as a blind reviewer

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

create function private.keep_blind_scores_final()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- Only the reviewer's own edit is at stake (the policy lets no one else's through; the dashboard's postgres is free).
  if new.score is distinct from old.score
     and old.reviewer_id = (select auth.uid())
     and not (old.campaign_id = any (private.editable_campaign_ids()))
     and exists (select 1 from public.evaluations e
                  where e.response_id = old.response_id and e.reviewer_id <> old.reviewer_id) then
    raise exception using errcode = '23514', message = 'score_final',
      detail = 'Another reviewer has rated this answer, and you could read their score: yours can no longer change.';
  end if;
  return new;
end
$$;

revoke all on function private.keep_blind_scores_final() from public, anon, authenticated;

create trigger evaluations_keep_blind_scores_final before update of score on public.evaluations
  for each row execute function private.keep_blind_scores_final();

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- Sessions of the caller's campaigns whose every submitted, rated-kind answer the caller has rated.
create function private.my_fully_rated_session_ids()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
    select v.session_id
      from public.video_responses v
      join public.questions q on q.id = v.question_id and not q.is_practice
      left join public.evaluations e on e.response_id = v.id and e.reviewer_id = auth.uid()
     where v.is_submitted
       and v.campaign_id = any (private.viewable_campaign_ids())
     group by v.session_id
    having bool_and(e.id is not null);
end
$$;

revoke all on function private.my_fully_rated_session_ids() from public, anon;
grant execute on function private.my_fully_rated_session_ids() to authenticated;

-- =====================================================================================================================
-- policies
-- =====================================================================================================================

drop policy "Campaign members can read decisions" on public.session_decisions;

create policy "Owners and editors can read the decisions of their campaigns" on public.session_decisions
  for select to authenticated
  using (campaign_id = any ((select private.editable_campaign_ids())::uuid[]));

create policy "Reviewers can read a decision once they rated the whole session" on public.session_decisions
  for select to authenticated
  using (session_id in (select private.my_fully_rated_session_ids()));
