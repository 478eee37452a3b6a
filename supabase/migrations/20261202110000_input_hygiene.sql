-- Input hygiene where PostgREST writes land: a human text that reaches an email header, a subject or a file name
-- (campaign titles; people's names, company, department, phone) is one line, without control characters; a URL
-- column holds an http(s) URL. Each rule is a CHECK named after what it guards, so a client sees a stable name:
-- 400 23514 `new row for relation "…" violates check constraint "<name>"`.
--
-- The constraints are NOT VALID: they hold for every new or changed row, and a hosted project with older data still
-- migrates (VALIDATE CONSTRAINT them once old rows are clean).
--
-- What a user types at sign-up (user_metadata, copied by the provisioning trigger) is cleaned instead of refused:
-- GoTrue would answer a refused insert with a 500, so control characters become spaces, lengths are cut to the
-- column's limit, and a URL that is not http(s) is dropped.

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- True when `value` is one line of text: no control character (tab, CR, LF, NUL, ESC, …).
create function private.is_single_line(value text)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select value is null or value !~ '[[:cntrl:]]'
$$;

-- True when `value` is an absolute http(s) URL without spaces or control characters.
create function private.is_web_url(value text)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select value is null or value ~* '^https?://[^[:space:][:cntrl:]/?#]+([/?#][^[:space:][:cntrl:]]*)?$'
$$;

-- One field of user_metadata made fit for a column: control characters become spaces, then trimmed and cut.
create function private.clean_line(value text, max_length integer)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select left(btrim(regexp_replace(value, '[[:cntrl:]]+', ' ', 'g')), max_length)
$$;

-- user_metadata as the provisioning trigger may copy it: each field the profile tables read, cleaned.
create function private.clean_user_meta(meta jsonb)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select (coalesce(meta, '{}'::jsonb)
    || jsonb_strip_nulls(jsonb_build_object(
         'first_name', private.clean_line(meta ->> 'first_name', 100),
         'last_name', private.clean_line(meta ->> 'last_name', 100),
         'company', private.clean_line(meta ->> 'company', 200),
         'department', private.clean_line(meta ->> 'department', 200),
         'phone', nullif(private.clean_line(meta ->> 'phone', 50), ''))))
    - (case when private.is_web_url(meta ->> 'linkedin_url') and char_length(meta ->> 'linkedin_url') <= 500
            then '' else 'linkedin_url' end)
    - (case when nullif(private.clean_line(meta ->> 'phone', 50), '') is null then 'phone' else '' end)
$$;

revoke all on function private.clean_line(text, integer) from public, anon, authenticated;
revoke all on function private.clean_user_meta(jsonb) from public, anon, authenticated;
revoke all on function private.is_single_line(text) from public, anon;
revoke all on function private.is_web_url(text) from public, anon;
-- The CHECK constraints call these as the writing role.
grant execute on function private.is_single_line(text) to authenticated, service_role;
grant execute on function private.is_web_url(text) to authenticated, service_role;

-- =====================================================================================================================
-- constraints
-- =====================================================================================================================

alter table public.campaigns
  add constraint campaign_title_single_line check (private.is_single_line(title)) not valid;

alter table public.profiles
  add constraint profile_names_single_line
    check (private.is_single_line(first_name) and private.is_single_line(last_name)) not valid;

alter table public.hiring_managers
  add constraint hiring_manager_fields_single_line
    check (private.is_single_line(company) and private.is_single_line(department) and private.is_single_line(phone))
    not valid;

alter table public.candidates
  add constraint candidate_fields_single_line
    check (private.is_single_line(first_name) and private.is_single_line(last_name) and private.is_single_line(phone))
    not valid,
  add constraint candidate_linkedin_url_is_web_url check (private.is_web_url(linkedin_url)) not valid;

-- =====================================================================================================================
-- provisioning: the same functions as before, reading cleaned metadata
-- =====================================================================================================================

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
  meta jsonb := private.clean_user_meta(new.raw_user_meta_data);
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

create or replace function private.provision_role_rows(p_user_id uuid, p_email text, p_role public.app_role, p_meta jsonb)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  meta jsonb := private.clean_user_meta(p_meta);
begin
  if p_role = 'hiring_manager' then
    insert into public.hiring_managers (id, company, department, phone)
    values (p_user_id, coalesce(meta ->> 'company', ''), coalesce(meta ->> 'department', ''), meta ->> 'phone')
    on conflict (id) do nothing;
  elsif p_role = 'candidate' then
    if p_email is null then
      raise exception using errcode = '23514', message = 'candidate_email_required';
    end if;
    -- An invitation may have created the candidate row already: link it instead of creating a second one.
    insert into public.candidates (user_id, email, first_name, last_name, phone, linkedin_url)
    values (p_user_id, p_email, coalesce(meta ->> 'first_name', ''), coalesce(meta ->> 'last_name', ''),
            meta ->> 'phone', meta ->> 'linkedin_url')
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
