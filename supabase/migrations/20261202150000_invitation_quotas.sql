-- Invitation quotas. Anyone can sign up as a hiring manager, and each invitation creates a candidate row (and, in the
-- invitations function, an Auth account) for an address the inviter chose, and sends it an email from our domain.
-- So every account has a budget of new invitations, counted from the sessions it invited (invited_by, which no
-- client can set), each row of a bulk counted on its own:
--
--   account at least one day old:   1,000 per hour, 3,000 per day
--   account younger than a day:        50 per hour,   100 per day
--
-- A recruiter hiring at scale invites a few hundred people a day; an admin (and the service role) has no quota.
-- The limit holds for every writer through a statement trigger on interview_sessions (a PostgREST insert cannot get
-- around it), and the invitations function asks private.my_invitation_quota() first, so that it refuses before it
-- creates any Auth account.
--
-- Errors a caller sees (SQLSTATE, message; PostgREST status):
--   PT429 invitation_quota_exceeded   more new invitations than the account's budget (429; detail says when)

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- The budgets of one account: for each window, how many new invitations it may still make and, when none, in how
-- many seconds the oldest counted invitation leaves the window.
create function private.invitation_quota_of(p_user_id uuid)
returns table (period text, max_invitations integer, used integer, remaining integer, retry_after_seconds integer)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  young boolean := coalesce((select p.created_at > now() - interval '1 day' from public.profiles p
                              where p.id = p_user_id), true);
begin
  return query
    with windows (period, span, max_invitations) as (
      values ('hour', interval '1 hour', case when young then 50 else 1000 end),
             ('day', interval '1 day', case when young then 100 else 3000 end)
    )
    select w.period, w.max_invitations, c.used, greatest(w.max_invitations - c.used, 0),
           case when c.used >= w.max_invitations
                then greatest(1, ceil(extract(epoch from (c.oldest_counted + w.span - now())))::integer)
           end
      from windows w
     cross join lateral (
       select count(*)::integer as used,
              -- the invitation whose leaving the window frees the budget again
              (select s2.invited_at from public.interview_sessions s2
                where s2.invited_by = p_user_id and s2.invited_at > now() - w.span
                order by s2.invited_at desc offset greatest(w.max_invitations - 1, 0) limit 1) as oldest_counted
         from public.interview_sessions s
        where s.invited_by = p_user_id and s.invited_at > now() - w.span
     ) c;
end
$$;

revoke all on function private.invitation_quota_of(uuid) from public, anon, authenticated;

-- The caller's own budgets (the invitations function asks before creating any account). Null rows for admins.
create function private.my_invitation_quota()
returns table (period text, max_invitations integer, used integer, remaining integer, retry_after_seconds integer)
language sql
stable
security definer
set search_path = ''
as $$
  select * from private.invitation_quota_of(auth.uid())
   where auth.uid() is not null and not private.is_admin()
$$;

revoke all on function private.my_invitation_quota() from public, anon;
grant execute on function private.my_invitation_quota() to authenticated;

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

create function private.enforce_invitation_quota()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  over record;
begin
  for over in
    select q.*, i.inviter
      from (select distinct n.invited_by as inviter from inserted n where n.invited_by is not null) i
     cross join lateral private.invitation_quota_of(i.inviter) q
     where q.used > q.max_invitations
       and not exists (select 1 from public.profiles p where p.id = i.inviter and p.role = 'admin')
     limit 1
  loop
    raise exception using errcode = 'PT429', message = 'invitation_quota_exceeded',
      detail = format('At most %s new invitations per %s for this account; try again in %s seconds.',
                      over.max_invitations, over.period,
                      coalesce(over.retry_after_seconds, 60)),
      hint = format('retry_after_seconds=%s', coalesce(over.retry_after_seconds, 60));
  end loop;
  return null;
end
$$;

revoke all on function private.enforce_invitation_quota() from public, anon, authenticated;

create trigger interview_sessions_enforce_invitation_quota after insert on public.interview_sessions
  referencing new table as inserted
  for each statement execute function private.enforce_invitation_quota();
