-- Quotas per organization, and on new placeholder accounts. The account budget of new invitations stays as
-- 20261202150000_invitation_quotas.sql made it; this adds, for the campaign's organization and for the Auth accounts an
-- invitation creates for addresses that have none (each one blocks that person from signing up as a hiring manager):
--
--                                     account < 1 day | account     organization < 1 day | organization
--   new invitations           per hour       50         |  1,000            100           |   3,000
--                             per day       100         |  3,000            200           |  10,000
--   new placeholder accounts  per hour       50         |  1,000            100           |   3,000
--                             per day       100         |  3,000            200           |  10,000
--
-- A recruiter hiring at scale uploads a CSV of a few hundred, at most a thousand, new people at once; a company of
-- several recruiters a few thousand a day. Admins (and the service role, which has no account) have no quota. Every
-- bulk row counts on its own. Uses are kept in a ledger, not counted from sessions: erasing the sessions one made
-- gives no budget back (else invite 50, erase them, invite 50 more), and each new account stays tied to who made it.
--
-- Concurrency: each check takes a transaction-scoped advisory lock on the account and then on the organization, and
-- counts after it (a new snapshot in READ COMMITTED), so two requests racing for the last of a budget cannot both
-- win.
--
-- Errors a caller sees (SQLSTATE, message; PostgREST and function status 429), with the hint retry_after_seconds=N
-- (the functions answer it as Retry-After):
--   PT429 invitation_quota_exceeded    more new invitations than the account's or the organization's budget
--   PT429 placeholder_quota_exceeded   more new accounts for unknown addresses than either budget

-- =====================================================================================================================
-- tables
-- =====================================================================================================================

create table private.quota_uses (
  id bigint generated always as identity primary key,
  kind text not null constraint quota_use_kind check (kind in ('invitation', 'placeholder_account')),
  account_id uuid not null,
  organization_id uuid not null,
  used_at timestamptz not null default now(),
  -- placeholder accounts: the address, and the account once Auth made it
  email text,
  user_id uuid unique
);

comment on table private.quota_uses is
  'What counts toward the invitation quotas: one row per new invitation (written by the sessions trigger) and per '
  'placeholder account an invitation made (reserved by private.reserve_placeholder_accounts before Auth creates it; '
  'user_id filled in once it exists; a reservation whose account was not made still counts). Invitation rows older '
  'than two days are purged; placeholder rows stay, to tell who made an account for an address.';

alter table private.quota_uses enable row level security;

create index quota_uses_account_idx on private.quota_uses (account_id, kind, used_at);
create index quota_uses_organization_idx on private.quota_uses (organization_id, kind, used_at);

-- The invitations of the last day count as before.
insert into private.quota_uses (kind, account_id, organization_id, used_at)
select 'invitation', s.invited_by, c.organization_id, s.invited_at
  from public.interview_sessions s join public.campaigns c on c.id = s.campaign_id
 where s.invited_by is not null and s.invited_at > now() - interval '1 day';

-- =====================================================================================================================
-- budgets
-- =====================================================================================================================

-- The limits of one kind of quota, per scope and window, for young (< 1 day) and established accounts/organizations.
create function private.quota_limits(p_kind text)
returns table (scope text, period text, span interval, young_max integer, established_max integer)
language sql
immutable
set search_path = ''
as $$
  select l.scope, l.period, l.span, l.young_max, l.established_max
    from (values
      ('invitation', 'account', 'hour', interval '1 hour', 50, 1000),
      ('invitation', 'account', 'day', interval '1 day', 100, 3000),
      ('invitation', 'organization', 'hour', interval '1 hour', 100, 3000),
      ('invitation', 'organization', 'day', interval '1 day', 200, 10000),
      ('placeholder_account', 'account', 'hour', interval '1 hour', 50, 1000),
      ('placeholder_account', 'account', 'day', interval '1 day', 100, 3000),
      ('placeholder_account', 'organization', 'hour', interval '1 hour', 100, 3000),
      ('placeholder_account', 'organization', 'day', interval '1 day', 200, 10000)
    ) as l (kind, scope, period, span, young_max, established_max)
   where l.kind = p_kind
$$;

revoke all on function private.quota_limits(text) from public, anon, authenticated;

-- One kind of budget of an account inviting into an organization (p_organization_id null: the account's only), with
-- p_requested more uses to come: per scope and window, what is used and left, whether the request is refused and,
-- when it could fit later, in how many seconds enough of the counted uses will have left the window.
create function private.quota_budget(p_kind text, p_user_id uuid, p_organization_id uuid, p_requested integer default 0)
returns table (scope text, period text, max_count integer, used integer, remaining integer, refused boolean,
               retry_after_seconds integer)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  young_account boolean := coalesce((select p.created_at > now() - interval '1 day' from public.profiles p
                                      where p.id = p_user_id), true);
  young_organization boolean := coalesce((select o.created_at > now() - interval '1 day' from public.organizations o
                                           where o.id = p_organization_id), true);
begin
  return query
    with windows as (
      select l.scope, l.period, l.span,
             case when (l.scope = 'account' and young_account) or (l.scope = 'organization' and young_organization)
                  then l.young_max else l.established_max end as max_count
        from private.quota_limits(p_kind) l
       where l.scope = 'account' or p_organization_id is not null
    )
    select w.scope, w.period, w.max_count, u.used, greatest(w.max_count - u.used, 0),
           u.used + p_requested > w.max_count,
           -- the request fits once all but (max - requested) of the newest uses have left the window
           case when u.used + p_requested > w.max_count and w.max_count - p_requested >= 0
                then greatest(1, ceil(extract(epoch from (u.newest_first[w.max_count - p_requested + 1] + w.span
                                                          - now())))::integer)
           end
      from windows w
     cross join lateral (
       select count(*)::integer as used, array_agg(q.used_at order by q.used_at desc) as newest_first
         from private.quota_uses q
        where q.kind = p_kind and q.used_at > now() - w.span
          -- two plain conditions, not a case: each can use its index
          and ((w.scope = 'account' and q.account_id = p_user_id)
               or (w.scope = 'organization' and q.organization_id = p_organization_id))
     ) u;
end
$$;

revoke all on function private.quota_budget(text, uuid, uuid, integer) from public, anon, authenticated;

-- The account-only view the first quota migration defined, now read from the one budget function.
create or replace function private.invitation_quota_of(p_user_id uuid)
returns table (period text, max_invitations integer, used integer, remaining integer, retry_after_seconds integer)
language sql
stable
security definer
set search_path = ''
as $$
  select b.period, b.max_count, b.used, b.remaining,
         (select r.retry_after_seconds from private.quota_budget('invitation', p_user_id, null, 1) r
           where r.period = b.period)
    from private.quota_budget('invitation', p_user_id, null) b
$$;

-- The tightest window that refuses `p_requested` more uses of the caller's budget for a campaign (no row: allowed).
-- The invitations function asks before creating anything; admins and callers without an account have no quota.
create function private.my_quota_refusal(p_campaign_id uuid, p_kind text, p_requested integer)
returns table (scope text, period text, max_count integer, remaining integer, retry_after_seconds integer)
language sql
stable
security definer
set search_path = ''
as $$
  select b.scope, b.period, b.max_count, b.remaining, b.retry_after_seconds
    from public.campaigns c
   cross join lateral private.quota_budget(p_kind, auth.uid(), c.organization_id, p_requested) b
   where c.id = p_campaign_id and b.refused
     and auth.uid() is not null and not private.is_admin()
     and private.can_view_campaign(c.id)
   order by b.remaining, b.retry_after_seconds desc nulls first
   limit 1
$$;

revoke all on function private.my_quota_refusal(uuid, text, integer) from public, anon;
grant execute on function private.my_quota_refusal(uuid, text, integer) to authenticated;

-- Serializes the quota checks of one account and of one organization (the account first, always, so that two checks
-- never wait for each other crosswise).
create function private.lock_quota(p_user_id uuid, p_organization_id uuid)
returns void
language sql
volatile
set search_path = ''
as $$
  select pg_advisory_xact_lock(hashtextextended('quota:account:' || p_user_id::text, 0));
  select pg_advisory_xact_lock(hashtextextended('quota:organization:' || p_organization_id::text, 0));
$$;

revoke all on function private.lock_quota(uuid, uuid) from public, anon, authenticated;

-- Raises the refusal of one window (errors at the top of this file).
create function private.refuse_over_quota(p_kind text, p_scope text, p_period text, p_max integer,
                                          p_retry_after integer)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_code text := case p_kind when 'invitation' then 'invitation_quota_exceeded' else 'placeholder_quota_exceeded' end;
  v_limit text := format('At most %s %s per %s for this %s.', p_max,
                         case p_kind when 'invitation' then 'new invitations' else 'new candidate accounts' end,
                         p_period, p_scope);
begin
  if p_retry_after is null then
    raise exception using errcode = 'PT429', message = v_code,
      detail = v_limit || ' This request alone is larger than that. Nothing was created.';
  end if;
  raise exception using errcode = 'PT429', message = v_code,
    detail = format('%s Try again in %s seconds. Nothing was created.', v_limit, p_retry_after),
    hint = format('retry_after_seconds=%s', p_retry_after);
end
$$;

revoke all on function private.refuse_over_quota(text, text, text, integer, integer) from public, anon, authenticated;

-- Takes one unit of the caller's placeholder budget per email, for a campaign the caller may invite into, before the
-- invitations function creates those accounts in Auth: refused whole (PT429) past either budget. Returns a
-- reservation id per email, for private.record_placeholder_accounts. Nothing is reserved for admins.
create function private.reserve_placeholder_accounts(p_campaign_id uuid, p_emails text[])
returns table (email text, reservation_id bigint)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_organization uuid;
  over record;
begin
  if auth.uid() is null or private.is_admin() or coalesce(cardinality(p_emails), 0) = 0 then
    return;
  end if;
  select c.organization_id into v_organization from public.campaigns c
   where c.id = p_campaign_id and private.can_edit_campaign(c.id);
  if v_organization is null then
    raise exception using errcode = 'P0002', message = 'campaign_not_found';
  end if;
  perform private.lock_quota(auth.uid(), v_organization);
  select b.* into over
    from private.quota_budget('placeholder_account', auth.uid(), v_organization, cardinality(p_emails)) b
   where b.refused
   order by b.remaining, b.retry_after_seconds desc nulls first
   limit 1;
  if found then
    perform private.refuse_over_quota('placeholder_account', over.scope, over.period, over.max_count,
                                      over.retry_after_seconds);
  end if;
  return query
    insert into private.quota_uses as q (kind, account_id, organization_id, email)
    select 'placeholder_account', auth.uid(), v_organization, lower(e) from unnest(p_emails) e
    returning q.email, q.id;
end
$$;

revoke all on function private.reserve_placeholder_accounts(uuid, text[]) from public, anon;
grant execute on function private.reserve_placeholder_accounts(uuid, text[]) to authenticated;

-- Ties reservations to the accounts Auth created (the invitations function, as the service role, once it made them).
create function private.record_placeholder_accounts(p_reservation_ids bigint[], p_user_ids uuid[])
returns void
language sql
volatile
set search_path = ''
as $$
  update private.quota_uses q set user_id = r.user_id
    from unnest(p_reservation_ids, p_user_ids) as r (id, user_id)
   where q.id = r.id and q.kind = 'placeholder_account' and q.user_id is null
$$;

revoke all on function private.record_placeholder_accounts(bigint[], uuid[]) from public, anon, authenticated;

-- =====================================================================================================================
-- the invitation trigger: the account's budget as before, and now the campaign organization's
-- =====================================================================================================================

create or replace function private.enforce_invitation_quota()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  pair record;
  over record;
begin
  insert into private.quota_uses (kind, account_id, organization_id, used_at)
  select 'invitation', n.invited_by, c.organization_id, n.invited_at
    from inserted n join public.campaigns c on c.id = n.campaign_id
   where n.invited_by is not null
     and not exists (select 1 from public.profiles p where p.id = n.invited_by and p.role = 'admin');
  for pair in
    select distinct n.invited_by as inviter, c.organization_id
      from inserted n join public.campaigns c on c.id = n.campaign_id
     where n.invited_by is not null
       and not exists (select 1 from public.profiles p where p.id = n.invited_by and p.role = 'admin')
     order by 1, 2
  loop
    perform private.lock_quota(pair.inviter, pair.organization_id);
    delete from private.quota_uses q
     where q.account_id = pair.inviter and q.kind = 'invitation' and q.used_at < now() - interval '2 days';
    -- the inserted rows are counted already: the statement is refused where they went past a budget
    select b.* into over from private.quota_budget('invitation', pair.inviter, pair.organization_id) b
     where b.refused
     order by b.remaining, b.retry_after_seconds desc nulls first
     limit 1;
    if found then
      perform private.refuse_over_quota('invitation', over.scope, over.period, over.max_count,
                                        over.retry_after_seconds);
    end if;
  end loop;
  return null;
end
$$;
