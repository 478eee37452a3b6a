-- Organizations: a company is a tenant. Every hiring manager belongs to at least one organization (their own one is
-- created when their hiring-manager row is, as its owner) and may join others by invitation. Campaigns belong to an
-- organization, and a campaign is shared (reviewer, editor) only with members of its organization, who chose to join
-- it: nobody can be added to a stranger's campaign by UUID any more.
--
-- Members have a role: owner (everything, including other owners), admin (invite, remove and promote members and
-- admins), member (create campaigns, be shared with). An organization always keeps an owner. Leaving or being removed
-- revokes access at once: the member's collaborator rows on the organization's campaigns go, and campaigns they own
-- pass to whoever removed them (if an owner or admin) or else to the organization's longest-standing owner.
--
-- A colleague is invited by email through the invitations function (private.invite_colleague, which queues the email
-- in the outbox with the token sealed as for candidate invitations) and accepts with the token from the email
-- (private.accept_colleague_invitation), signed in as a hiring manager with that very address.
--
-- Errors a caller sees (SQLSTATE, message; PostgREST status / function status):
--   23514 campaign_owner_not_in_organization  a campaign's owner is not a member of its organization     (400/422)
--   23514 collaborator_not_in_organization    sharing a campaign with someone outside its organization   (400/422)
--   23514 organization_needs_owner            removing or demoting the last owner                        (400/422)
--   42501 owner_change_needs_owner            only an owner grants, removes or demotes an owner           (403)
--   42501 not_organization_admin              inviting without being an owner or admin of the organization (403)
--   PT409 already_member                      inviting someone who is already a member                    (409)
--   PT429 colleague_invitation_quota_exceeded more than 50 colleague invitations a day per organization   (429)
--   PT404 colleague_invitation_not_found      an unknown, used or revoked token                           (404)
--   PT410 colleague_invitation_expired        a token past its 7 days                                     (410)
--   42501 not_hiring_manager                  accepting as a candidate or an admin                        (403)
--   42501 colleague_invitation_for_another_email  accepting while signed in with another address          (403)

-- =====================================================================================================================
-- types and helpers that constraints use
-- =====================================================================================================================

create type public.organization_role as enum ('owner', 'admin', 'member');

-- True for a time zone name PostgreSQL knows (IANA names such as Europe/Paris, and UTC).
create function private.is_known_time_zone(value text)
returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
  if value is null then
    return true;
  end if;
  if value !~ '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$' or char_length(value) > 64 then
    return false;
  end if;
  perform now() at time zone value;
  return true;
exception when invalid_parameter_value then
  return false;
end
$$;

revoke all on function private.is_known_time_zone(text) from public, anon;
grant execute on function private.is_known_time_zone(text) to authenticated, service_role;

-- =====================================================================================================================
-- tables
-- =====================================================================================================================

create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null
    constraint organization_name_length check (char_length(btrim(name)) between 1 and 200)
    constraint organization_name_single_line check (private.is_single_line(name)),
  time_zone text not null default 'UTC'
    constraint organization_time_zone_known check (private.is_known_time_zone(time_zone)),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.organizations is
  'A company using the product: its members share its campaigns. Created with each hiring manager (as its owner).';
comment on column public.organizations.name is 'Shown in emails and in the app; one line, at most 200 characters.';
comment on column public.organizations.time_zone is
  'IANA time zone (e.g. Europe/Paris), the default for dates shown in emails to candidates.';
alter table public.organizations enable row level security;

create table public.organization_members (
  organization_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid not null references public.hiring_managers (id) on delete cascade,
  role public.organization_role not null default 'member',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (organization_id, user_id)
);
comment on table public.organization_members is
  'Who belongs to an organization: owner (everything), admin (manages members), member (campaigns). '
  'Joined only by accepting an email invitation; removal revokes campaign access at once.';
comment on column public.organization_members.role is
  'owner: manages everything, including owners; admin: invites, removes and promotes members; member: campaigns.';
alter table public.organization_members enable row level security;

create table public.organization_invitations (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  email text not null
    constraint organization_invitation_email_valid
      check (email like '%_@_%' and char_length(email) <= 320 and private.is_single_line(email)),
  role public.organization_role not null default 'member'
    constraint organization_invitation_role_not_owner check (role <> 'owner'),
  invited_by uuid references public.profiles (id) on delete set null,
  expires_at timestamptz not null default now() + interval '7 days',
  accepted_at timestamptz,
  accepted_by uuid references public.profiles (id) on delete set null,
  email_status text check (email_status in ('queued', 'sent', 'failed', 'cancelled')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.organization_invitations is
  'Colleagues invited by email into an organization, sent through the invitations function. Open until accepted '
  'or expired; deleting one revokes its link.';
comment on column public.organization_invitations.role is 'The role the colleague gets on accepting (admin or member).';
comment on column public.organization_invitations.expires_at is 'The link works until then (7 days after sending).';
comment on column public.organization_invitations.email_status is 'Status of the invitation email in the outbox.';
alter table public.organization_invitations enable row level security;

-- Token hashes of open colleague invitations: no client privilege at all.
create table private.organization_invitation_tokens (
  invitation_id uuid primary key references public.organization_invitations (id) on delete cascade,
  token_hash bytea not null unique,
  created_at timestamptz not null default now()
);
comment on table private.organization_invitation_tokens is 'sha256 of the link token of each open colleague invitation.';
alter table private.organization_invitation_tokens enable row level security;

alter table public.campaigns add column organization_id uuid references public.organizations (id) on delete restrict;
comment on column public.campaigns.organization_id is
  'The organization the campaign belongs to (default: the owner''s first one). Only its members can be shared with.';

-- The outbox also carries colleague invitations: such a row has no session.
alter table private.email_outbox
  alter column session_id drop not null,
  add column organization_invitation_id uuid references public.organization_invitations (id) on delete cascade,
  drop constraint email_outbox_kind_check,
  add constraint email_outbox_kind_check check (kind in ('invitation', 'reminder', 'colleague_invitation')),
  add constraint email_outbox_has_one_subject check ((session_id is null) <> (organization_invitation_id is null));

-- =====================================================================================================================
-- indexes
-- =====================================================================================================================

create index organization_members_user_id_idx on public.organization_members (user_id);
create unique index organization_invitations_one_open_per_email
  on public.organization_invitations (organization_id, lower(email)) where accepted_at is null;
create index organization_invitations_created_idx on public.organization_invitations (organization_id, created_at);
create index organization_invitations_invited_by_idx on public.organization_invitations (invited_by);
create index organization_invitations_accepted_by_idx on public.organization_invitations (accepted_by);
create index campaigns_organization_id_idx on public.campaigns (organization_id);
create index email_outbox_organization_invitation_idx on private.email_outbox (organization_invitation_id)
  where organization_invitation_id is not null;

-- =====================================================================================================================
-- backfill: one organization per existing hiring manager; campaigns join their owner's; existing collaborators
-- become members of that organization so that nobody loses access they have today
-- =====================================================================================================================

create temporary table organization_of_owner on commit drop as
  select h.id as user_id, gen_random_uuid() as organization_id,
         coalesce(nullif(private.clean_line(h.company, 200), ''), nullif(p.email, ''), 'Organization') as name
    from public.hiring_managers h join public.profiles p on p.id = h.id;

insert into public.organizations (id, name, created_at)
select o.organization_id, o.name, h.created_at
  from organization_of_owner o join public.hiring_managers h on h.id = o.user_id;
insert into public.organization_members (organization_id, user_id, role, created_at)
select o.organization_id, o.user_id, 'owner', h.created_at
  from organization_of_owner o join public.hiring_managers h on h.id = o.user_id;
update public.campaigns c set organization_id = o.organization_id
  from organization_of_owner o where o.user_id = c.owner_id;
insert into public.organization_members (organization_id, user_id, role)
select distinct c.organization_id, cc.user_id, 'member'::public.organization_role
  from public.campaign_collaborators cc join public.campaigns c on c.id = cc.campaign_id
on conflict do nothing;

alter table public.campaigns alter column organization_id set not null;

-- =====================================================================================================================
-- helper functions (PL/pgSQL so that their plans are cached per connection; see current_user_role)
-- =====================================================================================================================

-- Organizations the caller belongs to (admins: every organization).
create function private.my_organization_ids()
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.current_user_role() = 'admin' then
    return array(select o.id from public.organizations o);
  end if;
  return array(select m.organization_id from public.organization_members m where m.user_id = auth.uid());
end
$$;

-- Organizations the caller manages: owner or admin there (admins: every organization).
create function private.administered_organization_ids()
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.current_user_role() = 'admin' then
    return array(select o.id from public.organizations o);
  end if;
  return array(select m.organization_id from public.organization_members m
                where m.user_id = auth.uid() and m.role in ('owner', 'admin'));
end
$$;

-- The role of a user in an organization, or null.
create function private.organization_role_of(p_organization_id uuid, p_user_id uuid)
returns public.organization_role
language sql
stable
security definer
set search_path = ''
as $$
  select m.role from public.organization_members m
   where m.organization_id = p_organization_id and m.user_id = p_user_id
$$;

-- The organization a new campaign of this user goes to when none is named: the first one they joined.
create function private.default_organization_of(p_user_id uuid)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select m.organization_id from public.organization_members m
   where m.user_id = p_user_id order by m.created_at, m.organization_id limit 1
$$;

-- The caller's default organization: the default of campaigns.organization_id (so clients may omit it).
create function private.my_default_organization_id()
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select private.default_organization_of(auth.uid())
$$;

-- Hiring managers whose profile and details the caller may read: everyone in the caller's organizations, and the
-- team of every campaign the caller can read (owners and collaborators, all members of its organization).
create or replace function private.teammate_ids()
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  mine uuid[] := private.viewable_campaign_ids();
begin
  return array(
    select c.owner_id from public.campaigns c where c.id = any (mine)
    union
    select cc.user_id from public.campaign_collaborators cc where cc.campaign_id = any (mine)
    union
    select other.user_id from public.organization_members me
      join public.organization_members other on other.organization_id = me.organization_id
     where me.user_id = auth.uid()
  );
end
$$;

revoke all on function private.my_organization_ids() from public, anon;
revoke all on function private.administered_organization_ids() from public, anon;
revoke all on function private.organization_role_of(uuid, uuid) from public, anon, authenticated;
revoke all on function private.default_organization_of(uuid) from public, anon, authenticated;
revoke all on function private.my_default_organization_id() from public, anon;
grant execute on function private.my_organization_ids() to authenticated;
grant execute on function private.my_default_organization_id() to authenticated, service_role;

alter table public.campaigns alter column organization_id set default private.my_default_organization_id();
grant execute on function private.administered_organization_ids() to authenticated;

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

create trigger organizations_set_updated_at before update on public.organizations
  for each row execute function private.set_updated_at();
create trigger organization_members_set_updated_at before update on public.organization_members
  for each row execute function private.set_updated_at();
create trigger organization_invitations_set_updated_at before update on public.organization_invitations
  for each row execute function private.set_updated_at();

-- Every new hiring manager gets an organization of their own, named after their company (or their address).
create function private.create_own_organization()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  org_id uuid;
  account_email text;
begin
  select p.email into account_email from public.profiles p where p.id = new.id;
  insert into public.organizations (name)
  values (coalesce(nullif(private.clean_line(new.company, 200), ''), nullif(account_email, ''), 'Organization'))
  returning id into org_id;
  insert into public.organization_members (organization_id, user_id, role) values (org_id, new.id, 'owner');
  return null;
end
$$;

create trigger hiring_managers_create_own_organization after insert on public.hiring_managers
  for each row execute function private.create_own_organization();

-- A campaign goes to its owner's first organization unless one is named (before the row is checked) ...
create function private.fill_campaign_organization()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  new.organization_id := coalesce(new.organization_id, private.default_organization_of(new.owner_id));
  return new;
end
$$;

create trigger campaigns_fill_organization before insert on public.campaigns
  for each row execute function private.fill_campaign_organization();

-- ... and its owner must belong to it. The checks are after-row triggers so that row-level security refuses a
-- stranger first (42501), before any rule of the organization is told.
create function private.check_campaign_organization()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if private.organization_role_of(new.organization_id, new.owner_id) is null then
    raise exception using errcode = '23514', message = 'campaign_owner_not_in_organization',
      detail = 'The owner of a campaign must be a member of its organization.';
  end if;
  return null;
end
$$;

create trigger campaigns_check_organization after insert or update of owner_id, organization_id on public.campaigns
  for each row execute function private.check_campaign_organization();

create function private.check_collaborator_in_organization()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not exists (select 1 from public.campaigns c
                   join public.organization_members m on m.organization_id = c.organization_id
                  where c.id = new.campaign_id and m.user_id = new.user_id) then
    raise exception using errcode = '23514', message = 'collaborator_not_in_organization',
      detail = 'A campaign can be shared only with members of its organization.';
  end if;
  return null;
end
$$;

create trigger campaign_collaborators_check_organization after insert or update on public.campaign_collaborators
  for each row execute function private.check_collaborator_in_organization();

-- Owner rules for role changes and removals: only an owner touches an owner (the service role and admins may), and
-- an organization keeps at least one owner. A member may always leave.
create function private.check_organization_member_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  caller_is_owner boolean;
begin
  if tg_op = 'DELETE' and not exists (select 1 from public.organizations o where o.id = old.organization_id) then
    return old;  -- the organization itself is being deleted
  end if;
  if tg_op = 'DELETE' and not exists (select 1 from public.hiring_managers h where h.id = old.user_id) then
    return old;  -- the account is being deleted
  end if;
  caller_is_owner := caller is null or private.current_user_role() = 'admin'
    or private.organization_role_of(old.organization_id, caller) = 'owner';
  if (old.role = 'owner' or (tg_op = 'UPDATE' and new.role = 'owner'))
     and not caller_is_owner and not (tg_op = 'DELETE' and old.user_id = caller) then
    raise exception using errcode = '42501', message = 'owner_change_needs_owner',
      detail = 'Only an owner of the organization can grant, change or remove the owner role.';
  end if;
  if old.role = 'owner' and (tg_op = 'DELETE' or new.role <> 'owner')
     and not exists (select 1 from public.organization_members m
                      where m.organization_id = old.organization_id and m.role = 'owner' and m.user_id <> old.user_id) then
    raise exception using errcode = '23514', message = 'organization_needs_owner',
      detail = 'An organization keeps at least one owner: make someone else owner first.';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end
$$;

create trigger organization_members_check_change before update of role or delete on public.organization_members
  for each row execute function private.check_organization_member_change();

-- Leaving or removal revokes access at once: shares of the organization's campaigns go, owned campaigns pass on.
create function private.revoke_access_of_former_member()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  successor uuid;
begin
  if not exists (select 1 from public.organizations o where o.id = old.organization_id) then
    return null;
  end if;
  if not exists (select 1 from public.hiring_managers h where h.id = old.user_id) then
    -- An erased account: an organization left with nobody and nothing goes with it.
    delete from public.organizations o
     where o.id = old.organization_id
       and not exists (select 1 from public.organization_members m where m.organization_id = o.id)
       and not exists (select 1 from public.campaigns c where c.organization_id = o.id);
    return null;
  end if;
  delete from public.campaign_collaborators cc
   using public.campaigns c
   where c.id = cc.campaign_id and c.organization_id = old.organization_id and cc.user_id = old.user_id;

  if exists (select 1 from public.campaigns c where c.organization_id = old.organization_id and c.owner_id = old.user_id)
  then
    successor := case when private.organization_role_of(old.organization_id, auth.uid()) in ('owner', 'admin')
                      then auth.uid() end;
    if successor is null then
      select m.user_id into successor from public.organization_members m
       where m.organization_id = old.organization_id and m.role = 'owner'
       order by m.created_at, m.user_id limit 1;
    end if;
    delete from public.campaign_collaborators cc
     using public.campaigns c
     where c.id = cc.campaign_id and c.organization_id = old.organization_id and c.owner_id = old.user_id
       and cc.user_id = successor;
    update public.campaigns c set owner_id = successor
     where c.organization_id = old.organization_id and c.owner_id = old.user_id;
    insert into public.audit_log (actor_id, action, entity, entity_id, details)
    values (auth.uid(), 'organization.campaigns_transferred', 'organization', old.organization_id,
            jsonb_build_object('from', old.user_id, 'to', successor));
  end if;
  return null;
end
$$;

create trigger organization_members_revoke_access after delete on public.organization_members
  for each row execute function private.revoke_access_of_former_member();

-- Deleting an open invitation revokes its link and cancels its queued email.
create function private.cancel_colleague_invitation_email()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update private.email_outbox o
     set status = 'cancelled', secret = null, locked_until = null, claim_id = null
   where o.organization_invitation_id = old.id and o.status = 'queued';
  return old;
end
$$;

create trigger organization_invitations_cancel_email before delete on public.organization_invitations
  for each row execute function private.cancel_colleague_invitation_email();

-- The session (or the colleague invitation) mirrors its latest email. Only reminders set reminder_sent_at.
create or replace function private.sync_session_email_status()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.kind = 'invitation' then
    if not exists (select 1 from private.email_outbox o
                    where o.session_id = new.session_id and o.kind = 'invitation'
                      and (o.created_at, o.id) > (new.created_at, new.id)) then
      update public.interview_sessions s
         set email_status = new.status, email_attempts = new.attempts, email_sent_at = new.sent_at
       where s.id = new.session_id
         and (s.email_status, s.email_attempts, s.email_sent_at)
             is distinct from (new.status, new.attempts, new.sent_at);
    end if;
  elsif new.kind = 'reminder' and new.status = 'sent' then
    update public.interview_sessions s set reminder_sent_at = new.sent_at
     where s.id = new.session_id and s.reminder_sent_at is distinct from new.sent_at;
  elsif new.kind = 'colleague_invitation' then
    if not exists (select 1 from private.email_outbox o
                    where o.organization_invitation_id = new.organization_invitation_id
                      and (o.created_at, o.id) > (new.created_at, new.id)) then
      update public.organization_invitations i set email_status = new.status
       where i.id = new.organization_invitation_id and i.email_status is distinct from new.status;
    end if;
  end if;
  return null;
end
$$;

revoke all on function private.create_own_organization() from public, anon, authenticated;
revoke all on function private.fill_campaign_organization() from public, anon, authenticated;
revoke all on function private.check_campaign_organization() from public, anon, authenticated;
revoke all on function private.check_collaborator_in_organization() from public, anon, authenticated;
revoke all on function private.check_organization_member_change() from public, anon, authenticated;
revoke all on function private.revoke_access_of_former_member() from public, anon, authenticated;
revoke all on function private.cancel_colleague_invitation_email() from public, anon, authenticated;

-- =====================================================================================================================
-- colleague invitations (called by the invitations function as the inviting user; schema private is not exposed)
-- =====================================================================================================================

-- Creates or renews the open invitation of `p_email` (a new token: the old link dies) and queues its email.
-- p_token_hash and p_secret are hex: sha256 of the token, and the token sealed for the outbox (as for candidates).
create function private.invite_colleague(
  p_organization_id uuid,
  p_email text,
  p_role public.organization_role,
  p_token_hash text,
  p_secret text,
  p_locale text
)
returns table (id uuid, email text, role public.organization_role, expires_at timestamptz, outbox_id uuid)
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  address text := lower(btrim(p_email));
  invitation public.organization_invitations;
  org public.organizations;
  new_outbox_id uuid;
begin
  if not (p_organization_id = any (private.administered_organization_ids())) then
    raise exception using errcode = '42501', message = 'not_organization_admin',
      detail = 'Only an owner or admin of the organization can invite colleagues.';
  end if;
  select * into org from public.organizations o where o.id = p_organization_id;
  -- One inviter at a time per organization, so that the daily count below holds under parallel requests.
  perform pg_advisory_xact_lock(hashtextextended('colleague_invitations:' || p_organization_id::text, 0));
  if exists (select 1 from public.organization_members m join public.profiles p on p.id = m.user_id
              where m.organization_id = p_organization_id and lower(p.email) = address) then
    raise exception using errcode = 'PT409', message = 'already_member',
      detail = 'This address already belongs to a member of the organization.';
  end if;
  if (select count(*) from public.organization_invitations i
       where i.organization_id = p_organization_id and i.created_at > now() - interval '1 day') >= 50
     and private.current_user_role() <> 'admin' then
    raise exception using errcode = 'PT429', message = 'colleague_invitation_quota_exceeded',
      detail = 'At most 50 colleague invitations per organization per day; try again in 3600 seconds.',
      hint = 'retry_after_seconds=3600';
  end if;

  delete from public.organization_invitations i
   where i.organization_id = p_organization_id and lower(i.email) = address and i.accepted_at is null;
  insert into public.organization_invitations (organization_id, email, role, invited_by)
  values (p_organization_id, address, p_role, auth.uid())
  returning * into invitation;
  insert into private.organization_invitation_tokens (invitation_id, token_hash)
  values (invitation.id, decode(p_token_hash, 'hex'));
  insert into private.email_outbox (kind, organization_invitation_id, locale, to_email, params, secret)
  values ('colleague_invitation', invitation.id, coalesce(p_locale, 'fr'), address,
          jsonb_build_object('organization', org.name, 'deadline', invitation.expires_at,
                             'inviter', (select btrim(p.first_name || ' ' || p.last_name) from public.profiles p
                                          where p.id = auth.uid())),
          decode(p_secret, 'hex'))
  returning private.email_outbox.id into new_outbox_id;
  insert into public.audit_log (actor_id, action, entity, entity_id, details)
  values (auth.uid(), 'organization.colleague_invited', 'organization', p_organization_id,
          jsonb_build_object('invitation_id', invitation.id, 'role', p_role));
  return query select invitation.id, invitation.email, invitation.role, invitation.expires_at, new_outbox_id;
end
$$;

-- Joins the caller to the organization of the invitation whose token hashes to p_token_hash. A personal organization
-- the caller has not used yet (only them, no campaign) goes: they joined their company instead.
create function private.accept_colleague_invitation(p_token_hash text)
returns table (organization_id uuid, role public.organization_role)
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  invitation public.organization_invitations;
  me uuid := auth.uid();
  my_email text;
begin
  select i.* into invitation
    from private.organization_invitation_tokens t join public.organization_invitations i on i.id = t.invitation_id
   where t.token_hash = decode(p_token_hash, 'hex') and i.accepted_at is null
   for update of i;
  if not found then
    raise exception using errcode = 'PT404', message = 'colleague_invitation_not_found',
      detail = 'This invitation link is unknown, was already used, or was revoked.';
  end if;
  if invitation.expires_at <= now() then
    raise exception using errcode = 'PT410', message = 'colleague_invitation_expired',
      detail = 'This invitation has expired: ask for a new one.';
  end if;
  if private.current_user_role() is distinct from 'hiring_manager'
     or not exists (select 1 from public.hiring_managers h where h.id = me) then
    raise exception using errcode = '42501', message = 'not_hiring_manager',
      detail = 'Sign in with a hiring-manager account to join an organization.';
  end if;
  select lower(p.email) into my_email from public.profiles p where p.id = me;
  if my_email is distinct from lower(invitation.email) then
    raise exception using errcode = '42501', message = 'colleague_invitation_for_another_email',
      detail = 'This invitation is for another address: sign in with the address it was sent to.';
  end if;

  delete from public.organizations o
   where o.id <> invitation.organization_id
     and o.id in (select m.organization_id from public.organization_members m where m.user_id = me)
     and not exists (select 1 from public.organization_members m where m.organization_id = o.id and m.user_id <> me)
     and not exists (select 1 from public.campaigns c where c.organization_id = o.id)
     and not exists (select 1 from public.organization_invitations i where i.organization_id = o.id);
  insert into public.organization_members (organization_id, user_id, role)
  values (invitation.organization_id, me, invitation.role)
  on conflict on constraint organization_members_pkey do nothing;
  update public.organization_invitations i set accepted_at = now(), accepted_by = me where i.id = invitation.id;
  delete from private.organization_invitation_tokens t where t.invitation_id = invitation.id;
  insert into public.audit_log (actor_id, action, entity, entity_id, details)
  values (me, 'organization.colleague_joined', 'organization', invitation.organization_id,
          jsonb_build_object('invitation_id', invitation.id, 'role', invitation.role));
  return query select invitation.organization_id,
                      (select m.role from public.organization_members m
                        where m.organization_id = invitation.organization_id and m.user_id = me);
end
$$;

revoke all on function private.invite_colleague(uuid, text, public.organization_role, text, text, text)
  from public, anon;
revoke all on function private.accept_colleague_invitation(text) from public, anon;
grant execute on function private.invite_colleague(uuid, text, public.organization_role, text, text, text)
  to authenticated;
grant execute on function private.accept_colleague_invitation(text) to authenticated;

-- =====================================================================================================================
-- policies
-- =====================================================================================================================

create policy "Members can read their organizations" on public.organizations
  for select to authenticated
  using (id = any ((select private.my_organization_ids())::uuid[]));

create policy "Owners and admins can rename their organization" on public.organizations
  for update to authenticated
  using (id = any ((select private.administered_organization_ids())::uuid[]))
  with check (id = any ((select private.administered_organization_ids())::uuid[]));

create policy "Members can read their organization's members" on public.organization_members
  for select to authenticated
  using (organization_id = any ((select private.my_organization_ids())::uuid[]));

create policy "Owners and admins can change member roles" on public.organization_members
  for update to authenticated
  using (organization_id = any ((select private.administered_organization_ids())::uuid[]))
  with check (organization_id = any ((select private.administered_organization_ids())::uuid[]));

create policy "Owners and admins remove members; anyone can leave" on public.organization_members
  for delete to authenticated
  using (user_id = (select auth.uid())
         or organization_id = any ((select private.administered_organization_ids())::uuid[]));

create policy "Owners and admins can read invitations" on public.organization_invitations
  for select to authenticated
  using (organization_id = any ((select private.administered_organization_ids())::uuid[]));

create policy "Owners and admins can revoke invitations" on public.organization_invitations
  for delete to authenticated
  using (organization_id = any ((select private.administered_organization_ids())::uuid[]));

create policy "Owners and admins can read their organization's audit trail" on public.audit_log
  for select to authenticated
  using (entity = 'organization' and entity_id = any ((select private.administered_organization_ids())::uuid[]));

-- =====================================================================================================================
-- grants
-- =====================================================================================================================

revoke all on public.organizations, public.organization_members, public.organization_invitations
  from anon, authenticated;
revoke all on private.organization_invitation_tokens from public, anon, authenticated, service_role;
grant select on public.organizations, public.organization_members, public.organization_invitations to authenticated;
grant update (name, time_zone) on public.organizations to authenticated;
grant update (role) on public.organization_members to authenticated;
grant delete on public.organization_members, public.organization_invitations to authenticated;
grant insert (organization_id) on public.campaigns to authenticated;
