-- Schema-wide guarantees: RLS everywhere, fixed search_path, indexed foreign keys, wrapped auth calls in policies,
-- one command per policy, nothing for anon, token hashes and webhook secrets out of every client's reach.
begin;
set local search_path = public, extensions, tests;
select plan(14);

select is_empty($$
  select c.oid::regclass::text
    from pg_class c
   where c.relnamespace in ('public'::regnamespace, 'private'::regnamespace)
     and c.relkind in ('r', 'p')
     and not c.relrowsecurity
$$, 'every table in public and private has row level security enabled');

select is_empty($$
  select p.oid::regprocedure::text
    from pg_proc p
   where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
     and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
     and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) cfg where cfg like 'search_path=%')
$$, 'every function in public and private has a fixed search_path');

select is_empty($$
  select p.oid::regprocedure::text
    from pg_proc p
   where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
     and p.prosecdef
     and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) cfg where cfg = 'search_path=""')
$$, 'every security definer function runs with an empty search_path');

select is_empty($$
  select c.conrelid::regclass::text || ' ' || c.conname
    from pg_constraint c
   where c.contype = 'f'
     and c.connamespace in ('public'::regnamespace, 'private'::regnamespace)
     and not exists (
       select 1 from pg_index i
        where i.indrelid = c.conrelid
          and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
          and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey
     )
$$, 'every foreign key is the leading part of an index');

select is_empty($$
  select tablename || ': ' || policyname
    from pg_policies
   where schemaname in ('public', 'private')
     and (regexp_replace(coalesce(qual, ''), '\( SELECT (auth|private)\.\w+\(\) AS \w+\)', '', 'g')
            ~ '(auth|private)\.\w+\('
       or regexp_replace(coalesce(with_check, ''), '\( SELECT (auth|private)\.\w+\(\) AS \w+\)', '', 'g')
            ~ '(auth|private)\.\w+\(')
$$, 'no policy calls auth.uid(), auth.jwt() or a private helper without wrapping it in a select');

select is_empty($$
  select tablename || ': ' || policyname from pg_policies
   where schemaname in ('public', 'private') and cmd = 'ALL'
$$, 'every policy covers exactly one command');

select is_empty($$
  select tablename || ': ' || policyname from pg_policies
   where schemaname in ('public', 'private')
     and roles <> '{authenticated}'
     and not (tablename = 'profiles' and roles = '{supabase_auth_admin}' and cmd = 'SELECT')
$$, 'every policy is for authenticated (plus the token hook''s read of profiles)');

select is_empty($$
  select c.oid::regclass::text
    from pg_class c
   where c.relnamespace in ('public'::regnamespace, 'private'::regnamespace)
     and c.relkind in ('r', 'p', 'v', 'm')
     and has_table_privilege('anon', c.oid, 'select, insert, update, delete, truncate, references, trigger')
$$, 'anon holds no privilege on any table or view');

select is_empty($$
  select p.oid::regprocedure::text
    from pg_proc p
   where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
     and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
     and has_function_privilege('anon', p.oid, 'execute')
$$, 'anon can execute no function in public or private');

select is_empty($$
  select r.rolname
    from pg_roles r
   where r.rolname in ('anon', 'authenticated', 'service_role')
     and has_table_privilege(r.rolname, 'private.invitation_tokens',
                             'select, insert, update, delete, truncate, references, trigger')
$$, 'no client role (anon, authenticated, service_role) has any privilege on invitation token hashes');

select is_empty($$
  select r.rolname || ' ' || t
    from pg_roles r, unnest(array['private.webhook_secrets', 'private.webhook_events']) t
   where r.rolname in ('anon', 'authenticated', 'service_role')
     and has_table_privilege(r.rolname, t, 'select, insert, update, delete, truncate, references, trigger')
$$, 'no client role has any privilege on webhook secrets or the webhook outbox');

select is_empty($$
  select f::text
    from unnest(array[
      'public.complete_response_upload(uuid, bigint, timestamptz, text, numeric)'::regprocedure,
      'public.fail_response_upload(uuid)'::regprocedure,
      'public.expire_overdue_sessions()'::regprocedure,
      'public.custom_access_token_hook(jsonb)'::regprocedure,
      'private.claim_webhook_deliveries(integer, integer, uuid[])'::regprocedure,
      'private.finish_webhook_attempt(uuid, integer, text, integer, integer, text, text, integer, interval)'::regprocedure,
      'private.record_webhook_event(uuid, text, jsonb)'::regprocedure,
      'private.new_webhook_secret()'::regprocedure
    ]) f
   where has_function_privilege('authenticated', f, 'execute')
$$, 'signed-in users cannot call the service-only functions');

select ok(
  has_function_privilege('supabase_auth_admin', 'public.custom_access_token_hook(jsonb)', 'execute')
  and has_table_privilege('supabase_auth_admin', 'public.profiles', 'select'),
  'the auth server can run the access token hook and read the roles it needs'
);

select is_empty($$
  select r.rolname
    from pg_roles r
   where r.rolname in ('anon', 'authenticated', 'service_role')
     and has_table_privilege(r.rolname, 'public.audit_log', 'insert, update, delete, truncate')
$$, 'no client role can write the audit log');

select * from finish();
rollback;
