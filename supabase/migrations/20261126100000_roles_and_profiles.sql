-- Roles and profiles.
--
-- Every auth user gets a profile with one role (hiring_manager, candidate, admin), provisioned by a trigger on
-- auth.users, plus a role row: hiring_managers (company, department, phone) or candidates (email, names, phone,
-- LinkedIn). Candidate rows may exist before their auth user (an invitation creates them); the trigger links the
-- user to the row with the same email. A role written to app_metadata after the insert (GoTrue's admin createUser
-- does that) moves the profile to that role. The role reaches the JWT as the claim `user_role` through the custom
-- access token hook, and policies read it through private.current_user_role().
--
-- Nobody changes their own role or identity columns (id, role, email, user_id): authenticated users hold UPDATE
-- only on the editable columns, granted column by column. Email changes flow from auth.users.
--
-- Also sets up schema `private` (permission helpers, never exposed by PostgREST) and the function privileges: no
-- EXECUTE for public/anon by default; each function below is granted explicitly.

-- =====================================================================================================================
-- schema and default privileges
-- =====================================================================================================================

create schema if not exists private;
revoke all on schema private from public;
-- Policies call the helpers in `private` as the requesting role, so that role needs USAGE (PostgREST never exposes it).
grant usage on schema private to authenticated;

alter default privileges in schema public revoke execute on functions from public, anon;
alter default privileges in schema private revoke execute on functions from public, anon, authenticated;
-- These cannot remove the built-in EXECUTE that PUBLIC (so anon) holds on every new function: each migration revokes
-- it explicitly (`revoke all on function ... from public, anon`) and grants per role. 00-schema-wide-guarantees
-- checks it.

-- =====================================================================================================================
-- types
-- =====================================================================================================================

create type public.app_role as enum ('hiring_manager', 'candidate', 'admin');

-- =====================================================================================================================
-- tables
-- =====================================================================================================================

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  role public.app_role not null,
  email text,
  first_name text not null default '' check (char_length(first_name) <= 100),
  last_name text not null default '' check (char_length(last_name) <= 100),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.profiles is 'One row per auth user: role and display names. Provisioned by a trigger on auth.users.';
alter table public.profiles enable row level security;

create table public.hiring_managers (
  id uuid primary key references public.profiles (id) on delete cascade,
  company text not null default '' check (char_length(company) <= 200),
  department text not null default '' check (char_length(department) <= 200),
  phone text check (char_length(phone) <= 50),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.hiring_managers is 'Hiring-manager details; id is the auth user id.';
alter table public.hiring_managers enable row level security;

create table public.candidates (
  id uuid primary key default gen_random_uuid(),
  user_id uuid unique references auth.users (id) on delete cascade,
  email text not null check (email like '%_@_%' and char_length(email) <= 320),
  first_name text not null default '' check (char_length(first_name) <= 100),
  last_name text not null default '' check (char_length(last_name) <= 100),
  phone text check (char_length(phone) <= 50),
  linkedin_url text check (char_length(linkedin_url) <= 500),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.candidates is
  'A person invited to or signed up for interviews. user_id is null until the person has an auth user.';
alter table public.candidates enable row level security;

-- =====================================================================================================================
-- indexes
-- =====================================================================================================================

create unique index candidates_email_lower_key on public.candidates (lower(email));

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

create function private.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create trigger profiles_set_updated_at before update on public.profiles
  for each row execute function private.set_updated_at();
create trigger hiring_managers_set_updated_at before update on public.hiring_managers
  for each row execute function private.set_updated_at();
create trigger candidates_set_updated_at before update on public.candidates
  for each row execute function private.set_updated_at();

-- The role-specific row of a user: hiring_managers for a hiring manager, a linked candidates row for a candidate.
create function private.provision_role_rows(p_user_id uuid, p_email text, p_role public.app_role, p_meta jsonb)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_role = 'hiring_manager' then
    insert into public.hiring_managers (id, company, department, phone)
    values (p_user_id, coalesce(p_meta ->> 'company', ''), coalesce(p_meta ->> 'department', ''), p_meta ->> 'phone')
    on conflict (id) do nothing;
  elsif p_role = 'candidate' then
    if p_email is null then
      raise exception using errcode = '23514', message = 'candidate_email_required';
    end if;
    -- An invitation may have created the candidate row already: link it instead of creating a second one.
    insert into public.candidates (user_id, email, first_name, last_name, phone, linkedin_url)
    values (p_user_id, p_email, coalesce(p_meta ->> 'first_name', ''), coalesce(p_meta ->> 'last_name', ''),
            p_meta ->> 'phone', p_meta ->> 'linkedin_url')
    on conflict (lower(email)) do update
      set user_id = excluded.user_id,
          first_name = case when public.candidates.first_name = '' then excluded.first_name
                            else public.candidates.first_name end,
          last_name = case when public.candidates.last_name = '' then excluded.last_name
                           else public.candidates.last_name end,
          phone = coalesce(public.candidates.phone, excluded.phone),
          linkedin_url = coalesce(public.candidates.linkedin_url, excluded.linkedin_url)
      where public.candidates.user_id is null;
  end if;
end
$$;

-- Provisions profile + role row for a new auth user. The role comes from app_metadata (service role only); for a self
-- sign-up it comes from user_metadata, where only hiring_manager and candidate are accepted. Default: candidate.
create function private.handle_new_auth_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  app_role_text text := new.raw_app_meta_data ->> 'role';
  user_role_text text := new.raw_user_meta_data ->> 'role';
  chosen public.app_role;
  meta jsonb := coalesce(new.raw_user_meta_data, '{}'::jsonb);
begin
  if app_role_text in ('hiring_manager', 'candidate', 'admin') then
    chosen := app_role_text::public.app_role;
  elsif user_role_text in ('hiring_manager', 'candidate') then
    chosen := user_role_text::public.app_role;
  else
    chosen := 'candidate';
  end if;

  insert into public.profiles (id, role, email, first_name, last_name)
  values (new.id, chosen, new.email, coalesce(meta ->> 'first_name', ''), coalesce(meta ->> 'last_name', ''));
  perform private.provision_role_rows(new.id, new.email, chosen, meta);
  return new;
end
$$;

create trigger on_auth_user_created after insert on auth.users
  for each row execute function private.handle_new_auth_user();

-- GoTrue's admin createUser inserts the user with app_metadata {provider, providers} only and writes the caller's
-- app_metadata (our `role`) in a later UPDATE of the same transaction, so the insert trigger provisions such a user
-- from user_metadata (a candidate by default). This trigger corrects the profile when app_metadata's role arrives or
-- changes. Only the service role can write app_metadata, so the role it carries is trusted. (interview_sessions is
-- created by the interviews migration; PL/pgSQL resolves it when the trigger runs.)
create function private.handle_auth_user_app_role_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  wanted public.app_role := (new.raw_app_meta_data ->> 'role')::public.app_role;
  previous public.app_role;
begin
  select p.role into previous from public.profiles p where p.id = new.id;
  if previous is null or previous = wanted then
    return new;
  end if;

  update public.profiles set role = wanted where id = new.id;
  if previous = 'candidate' then
    -- The candidate row provisioned by default goes; one that holds interviews stays, unlinked from the account.
    delete from public.candidates c
     where c.user_id = new.id
       and not exists (select 1 from public.interview_sessions s where s.candidate_id = c.id);
    update public.candidates set user_id = null where user_id = new.id;
  end if;
  perform private.provision_role_rows(new.id, new.email, wanted, coalesce(new.raw_user_meta_data, '{}'::jsonb));
  return new;
end
$$;

create trigger on_auth_user_app_role_changed after update of raw_app_meta_data on auth.users
  for each row
  when (new.raw_app_meta_data ->> 'role' in ('hiring_manager', 'candidate', 'admin')
        and old.raw_app_meta_data ->> 'role' is distinct from new.raw_app_meta_data ->> 'role')
  execute function private.handle_auth_user_app_role_change();

-- Keeps the identity email in step with auth.users (the only place an email can change).
create function private.handle_auth_user_email_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.profiles set email = new.email where id = new.id;
  if new.email is not null then
    begin
      update public.candidates set email = new.email where user_id = new.id;
    exception when unique_violation then
      -- Another (unlinked) candidate row holds that address: keep the old one rather than fail the auth update.
      null;
    end;
  end if;
  return new;
end
$$;

create trigger on_auth_user_email_changed after update of email on auth.users
  for each row when (old.email is distinct from new.email)
  execute function private.handle_auth_user_email_change();

-- A candidate's names live in both profiles and candidates; an edit to either reaches the other.
create function private.sync_candidate_names_from_profile()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.role = 'candidate' then
    update public.candidates
       set first_name = new.first_name, last_name = new.last_name
     where user_id = new.id
       and (first_name, last_name) is distinct from (new.first_name, new.last_name);
  end if;
  return new;
end
$$;

create trigger profiles_sync_candidate_names after update of first_name, last_name on public.profiles
  for each row execute function private.sync_candidate_names_from_profile();

create function private.sync_profile_names_from_candidate()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.user_id is not null then
    update public.profiles
       set first_name = new.first_name, last_name = new.last_name
     where id = new.user_id
       and (first_name, last_name) is distinct from (new.first_name, new.last_name);
  end if;
  return new;
end
$$;

create trigger candidates_sync_profile_names after update of first_name, last_name on public.candidates
  for each row execute function private.sync_profile_names_from_candidate();

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- The policy helpers are PL/pgSQL: a security-definer SQL function is never inlined and is planned again on every
-- call (about 0.3 ms per helper per statement, most of a small PostgREST request under RLS), while PL/pgSQL keeps its
-- plans for the life of the connection, which PostgREST pools (about 0.05 ms warm; PostgreSQL 15, EXPLAIN ANALYZE).

-- The caller's role: the `user_role` claim of the access token, or the profile when the claim is absent (tokens
-- minted before the hook existed, tests). A role change reaches policies when the token is refreshed.
create function private.current_user_role()
returns public.app_role
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  claim text := auth.jwt() ->> 'user_role';
  found_role public.app_role;
begin
  if claim in ('hiring_manager', 'candidate', 'admin') then
    return claim::public.app_role;
  end if;
  select p.role into found_role from public.profiles p where p.id = auth.uid();
  return found_role;
end
$$;

create function private.is_admin()
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(private.current_user_role() = 'admin', false)
$$;

-- The candidates.id of the caller, or null when the caller is not a candidate.
create function private.my_candidate_id()
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  found_id uuid;
begin
  select c.id into found_id from public.candidates c where c.user_id = auth.uid();
  return found_id;
end
$$;

revoke all on function private.current_user_role() from public;
revoke all on function private.is_admin() from public;
revoke all on function private.my_candidate_id() from public;
grant execute on function private.current_user_role() to authenticated;
grant execute on function private.is_admin() to authenticated;
grant execute on function private.my_candidate_id() to authenticated;

-- Finds or creates the candidate row for an email (case-insensitive) without touching a linked row's data.
-- For the invitations code (a security-definer RPC of its own); not callable by clients.
create function private.ensure_candidate(
  p_email text,
  p_first_name text default '',
  p_last_name text default '',
  p_phone text default null,
  p_linkedin_url text default null
)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  found_id uuid;
begin
  insert into public.candidates (email, first_name, last_name, phone, linkedin_url)
  values (trim(p_email), coalesce(p_first_name, ''), coalesce(p_last_name, ''), p_phone, p_linkedin_url)
  on conflict (lower(email)) do update
    set first_name = case when public.candidates.first_name = '' then excluded.first_name
                          else public.candidates.first_name end,
        last_name = case when public.candidates.last_name = '' then excluded.last_name
                         else public.candidates.last_name end,
        phone = coalesce(public.candidates.phone, excluded.phone),
        linkedin_url = coalesce(public.candidates.linkedin_url, excluded.linkedin_url)
  returning id into found_id;
  return found_id;
end
$$;

revoke all on function private.ensure_candidate(text, text, text, text, text) from public;
revoke all on function private.set_updated_at() from public;
revoke all on function private.handle_new_auth_user() from public;
revoke all on function private.provision_role_rows(uuid, text, public.app_role, jsonb) from public, anon, authenticated;
revoke all on function private.handle_auth_user_app_role_change() from public, anon, authenticated;
revoke all on function private.handle_auth_user_email_change() from public;
revoke all on function private.sync_candidate_names_from_profile() from public;
revoke all on function private.sync_profile_names_from_candidate() from public;

-- =====================================================================================================================
-- policies
-- =====================================================================================================================

create policy "Users can read their own profile" on public.profiles
  for select to authenticated
  using (id = (select auth.uid()));

create policy "Admins can read every profile" on public.profiles
  for select to authenticated
  using ((select private.is_admin()));

create policy "Users can update their own names" on public.profiles
  for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

-- The custom access token hook runs as supabase_auth_admin and reads the role.
create policy "The auth server can read roles for access tokens" on public.profiles
  for select to supabase_auth_admin
  using (true);

create policy "Hiring managers can read their own details" on public.hiring_managers
  for select to authenticated
  using (id = (select auth.uid()));

create policy "Admins can read every hiring manager" on public.hiring_managers
  for select to authenticated
  using ((select private.is_admin()));

create policy "Hiring managers can update their own details" on public.hiring_managers
  for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

create policy "Candidates can read their own record" on public.candidates
  for select to authenticated
  using (user_id = (select auth.uid()));

create policy "Admins can read every candidate" on public.candidates
  for select to authenticated
  using ((select private.is_admin()));

create policy "Candidates can update their own record" on public.candidates
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

create policy "Admins can update any candidate" on public.candidates
  for update to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

create policy "Admins can create candidates" on public.candidates
  for insert to authenticated
  with check ((select private.is_admin()));

create policy "Admins can delete candidates" on public.candidates
  for delete to authenticated
  using ((select private.is_admin()));

-- =====================================================================================================================
-- grants and public API
-- =====================================================================================================================

revoke all on public.profiles, public.hiring_managers, public.candidates from anon, authenticated;
grant select on public.profiles, public.hiring_managers, public.candidates to authenticated;
grant update (first_name, last_name) on public.profiles to authenticated;
grant update (company, department, phone) on public.hiring_managers to authenticated;
grant insert (email, first_name, last_name, phone, linkedin_url) on public.candidates to authenticated;
grant update (first_name, last_name, phone, linkedin_url) on public.candidates to authenticated;
grant delete on public.candidates to authenticated;

grant usage on schema public to supabase_auth_admin;
grant select on public.profiles to supabase_auth_admin;

-- Custom access token hook (config.toml [auth.hook.custom_access_token]): adds `user_role`, keeps every other claim.
create function public.custom_access_token_hook(event jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  claims jsonb := coalesce(event -> 'claims', '{}'::jsonb);
  found_role public.app_role;
begin
  select p.role into found_role from public.profiles p where p.id = (event ->> 'user_id')::uuid;
  if found_role is null then
    claims := claims - 'user_role';
  else
    claims := jsonb_set(claims, '{user_role}', to_jsonb(found_role::text));
  end if;
  return jsonb_set(event, '{claims}', claims);
end
$$;

revoke all on function public.custom_access_token_hook(jsonb) from public, anon, authenticated;
grant execute on function public.custom_access_token_hook(jsonb) to supabase_auth_admin;

-- The caller's normalized profile (replaces GET /api/auth/me). Null when the caller has no profile.
create function public.me()
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p.id,
    'email', p.email,
    'role', p.role,
    'first_name', coalesce(nullif(c.first_name, ''), p.first_name),
    'last_name', coalesce(nullif(c.last_name, ''), p.last_name),
    'company', h.company,
    'department', h.department,
    'phone', coalesce(h.phone, c.phone),
    'linkedin_url', c.linkedin_url,
    'candidate_id', c.id,
    'created_at', p.created_at,
    'updated_at', p.updated_at
  )
  from public.profiles p
  left join public.hiring_managers h on h.id = p.id
  left join public.candidates c on c.user_id = p.id
  where p.id = auth.uid()
$$;

revoke all on function public.me() from public, anon;
grant execute on function public.me() to authenticated;
