-- Scheduled jobs: the four periodic jobs of the project run in the database with pg_cron, and the three that live in
-- edge functions are called with pg_net, as Supabase recommends. The same function schedules them on hosted
-- Supabase and in the local stack:
--
--   select vault.create_secret('<service role key>', 'service_role_key');   -- once
--   select * from private.schedule_jobs('https://<project-ref>.supabase.co');
--
-- Each HTTP job reads the service role key from Vault when it runs, so the key is never written into cron.job.
-- Calling schedule_jobs again updates the jobs in place (pg_cron replaces a job of the same name).
--
-- Schedules: the outbox every 10 seconds where pg_cron supports second intervals (1.5+, as on hosted Supabase), else
-- every minute (Debian's pg_cron 1.4); reminders every 5 minutes; session expiry every minute; retention hourly.
--
-- Errors a caller sees (SQLSTATE, message):
--   22023 project_url_invalid   the URL is not an absolute http(s) URL

create extension if not exists pg_cron;
create extension if not exists pg_net with schema extensions;

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- The SQL a job runs to POST '{}' to one route of the project with the service role key from Vault.
create function private.job_http_post(p_url text)
returns text
language sql
immutable
set search_path = ''
as $$
  select format(
    $job$select net.http_post(
  url := %L,
  headers := jsonb_build_object(
    'Content-Type', 'application/json',
    'Authorization', 'Bearer ' || (select decrypted_secret from vault.decrypted_secrets where name = 'service_role_key')),
  body := '{}'::jsonb,
  timeout_milliseconds := 60000)$job$,
    p_url
  )
$$;

revoke all on function private.job_http_post(text) from public, anon, authenticated;

-- =====================================================================================================================
-- public API (for the project's owner: postgres in the SQL editor, or the local stack)
-- =====================================================================================================================

create function private.schedule_jobs(p_project_url text)
returns table (job_name text, schedule text, command text)
language plpgsql
set search_path = ''
as $$
declare
  v_url text := rtrim(p_project_url, '/');
  v_often text := case
    when (select e.extversion from pg_catalog.pg_extension e where e.extname = 'pg_cron') >= '1.5' then '10 seconds'
    else '* * * * *'
  end;
begin
  if v_url is null or v_url !~ '^https?://[^/\s]+(/\S*)?$' then
    raise exception 'project_url_invalid' using errcode = '22023',
      detail = 'Give the project URL, as https://<project-ref>.supabase.co.';
  end if;
  perform cron.schedule('invitation-outbox', v_often,
    private.job_http_post(v_url || '/functions/v1/invitations/outbox/run'));
  perform cron.schedule('invitation-reminders', '*/5 * * * *',
    private.job_http_post(v_url || '/functions/v1/invitations/reminders/run'));
  perform cron.schedule('video-retention', '17 * * * *',
    private.job_http_post(v_url || '/functions/v1/uploads/retention/run'));
  -- pg_cron runs a job as the role that scheduled it (postgres), which owns this function: no HTTP call needed.
  perform cron.schedule('session-expiry', '* * * * *', 'select public.expire_overdue_sessions()');
  return query
    select j.jobname::text, j.schedule::text, j.command::text
      from cron.job j
     where j.jobname in ('invitation-outbox', 'invitation-reminders', 'video-retention', 'session-expiry')
     order by j.jobname;
end
$$;

revoke all on function private.schedule_jobs(text) from public, anon, authenticated;
