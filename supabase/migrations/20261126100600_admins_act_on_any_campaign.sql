-- Admins act as owners of every campaign, but they are not hiring managers: the actor columns that pointed at
-- hiring_managers (who invited, who rated, who decided) refused an admin with a foreign-key error. They now point
-- at profiles, which every user has. Campaign owners and collaborators stay hiring managers.

-- =====================================================================================================================
-- tables
-- =====================================================================================================================

alter table public.interview_sessions
  drop constraint interview_sessions_invited_by_fkey,
  add constraint interview_sessions_invited_by_fkey
    foreign key (invited_by) references public.profiles (id) on delete set null;

alter table public.evaluations
  drop constraint evaluations_reviewer_id_fkey,
  add constraint evaluations_reviewer_id_fkey
    foreign key (reviewer_id) references public.profiles (id) on delete cascade;

alter table public.session_decisions
  drop constraint session_decisions_decided_by_fkey,
  add constraint session_decisions_decided_by_fkey
    foreign key (decided_by) references public.profiles (id) on delete set null;
