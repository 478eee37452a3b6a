-- Roles follow app_metadata when it is set after the user row exists.
--
-- GoTrue's admin createUser inserts the user with app_metadata {provider, providers} only, and writes the caller's
-- app_metadata (our `role`) in a later UPDATE of the same transaction. The insert trigger therefore provisions such a
-- user from user_metadata (a candidate by default); this trigger corrects the profile when app_metadata's role
-- arrives or changes. Only the service role can write app_metadata, so the role it carries is trusted.

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

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

revoke all on function private.provision_role_rows(uuid, text, public.app_role, jsonb) from public, anon, authenticated;

-- The insert trigger, now sharing provision_role_rows with the update trigger.
create or replace function private.handle_new_auth_user()
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

revoke all on function private.handle_auth_user_app_role_change() from public, anon, authenticated;

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

create trigger on_auth_user_app_role_changed after update of raw_app_meta_data on auth.users
  for each row
  when (new.raw_app_meta_data ->> 'role' in ('hiring_manager', 'candidate', 'admin')
        and old.raw_app_meta_data ->> 'role' is distinct from new.raw_app_meta_data ->> 'role')
  execute function private.handle_auth_user_app_role_change();
