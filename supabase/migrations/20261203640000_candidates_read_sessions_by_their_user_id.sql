-- A candidate's own sessions are found by their auth user id, with no function call per query.
--
-- "Candidates can read their own sessions" compared candidate_id with private.my_candidate_id(), a security-definer
-- lookup of candidates by user id run for every query on sessions. A definer call switches user and search_path, and
-- with the members' policy's own call that made a candidate's interviews list (0.25 ms with the service role and the
-- filter written out) take 1.41× its baseline in the benchmark, against a target of 1.3×. Measured from a client on
-- the benchmark's dataset (300 interleaved runs each), the old policy gave 1.30× and this one 1.07-1.11×; the
-- benchmark's own runs are in the README.
--
-- Each session now carries its candidate's auth user id (interview_sessions.candidate_user_id, null until the
-- candidate has an account), kept by triggers: set from candidates on every insert and on any change of candidate_id
-- or of the column itself (so no writer can choose it), and followed when a candidate's user_id changes (an account
-- linked at activation or sign-up, or removed). The candidates' policy is `candidate_user_id = auth.uid()`, answered
-- by a partial index, which is what Supabase recommends for per-user policies. The triggers are ENABLE ALWAYS, so
-- writes made with session_replication_role = replica (the seed, the benchmark's generator) keep the column too.
--
-- The members' read policy of sessions answers a candidate (a member of no campaign) from the claim before it calls
-- private.viewable_campaign_ids(): 1.07-1.11x became 1.01-1.02x in the same measure.
--
-- New: interview_sessions.candidate_user_id, private.set_session_candidate_user(), private.follow_candidate_user().
-- Replaces: policies "Candidates can read their own sessions" and "Campaign members can read sessions" on
-- public.interview_sessions.

-- =====================================================================================================================
-- the column
-- =====================================================================================================================

alter table public.interview_sessions add column candidate_user_id uuid;
comment on column public.interview_sessions.candidate_user_id is
  'The candidate''s auth user (candidates.user_id), null until they have an account. Kept by triggers; '
  'what the candidate''s read policy compares with auth.uid().';

update public.interview_sessions s
   set candidate_user_id = c.user_id
  from public.candidates c
 where c.id = s.candidate_id and c.user_id is not null;

create index interview_sessions_candidate_user_id_idx on public.interview_sessions (candidate_user_id)
  where candidate_user_id is not null;

-- =====================================================================================================================
-- triggers that keep it
-- =====================================================================================================================

create function private.set_session_candidate_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  new.candidate_user_id := (select c.user_id from public.candidates c where c.id = new.candidate_id);
  return new;
end
$$;

create trigger interview_sessions_set_candidate_user
  before insert or update of candidate_id, candidate_user_id on public.interview_sessions
  for each row execute function private.set_session_candidate_user();
alter table public.interview_sessions enable always trigger interview_sessions_set_candidate_user;

create function private.follow_candidate_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.interview_sessions s
     set candidate_user_id = new.user_id
   where s.candidate_id = new.id and s.candidate_user_id is distinct from new.user_id;
  return null;
end
$$;

create trigger candidates_follow_user
  after update of user_id on public.candidates
  for each row when (old.user_id is distinct from new.user_id)
  execute function private.follow_candidate_user();
alter table public.candidates enable always trigger candidates_follow_user;

revoke all on function private.set_session_candidate_user() from public, anon, authenticated;
revoke all on function private.follow_candidate_user() from public, anon, authenticated;

-- =====================================================================================================================
-- policies
-- =====================================================================================================================

alter policy "Candidates can read their own sessions" on public.interview_sessions
  using (candidate_user_id = (select auth.uid()));

-- A candidate is a member of no campaign: the claim answers them before the definer call (an init plan runs only when
-- the CASE reaches it). Without the claim, private.viewable_campaign_ids() decides, as before.
alter policy "Campaign members can read sessions" on public.interview_sessions
  using (campaign_id = any (case when ((select auth.jwt()) ->> 'user_role') = 'candidate' then '{}'::uuid[]
                                 else (select private.viewable_campaign_ids()) end));
