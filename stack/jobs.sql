-- LOCAL ONLY: what a project owner does once on hosted Supabase (README, "Scheduled jobs"), done by the local stack on
-- every start: the service role key goes into Vault, and, when :schedule is true, the four jobs are scheduled with
-- pg_cron to call this stack's gateway. Variables: service_role_key, project_url, schedule.
delete from vault.secrets where name = 'service_role_key';
select vault.create_secret(:'service_role_key', 'service_role_key') is not null as stored;
\if :schedule
select job_name, schedule from private.schedule_jobs(:'project_url');
\else
select cron.unschedule(jobid) from cron.job;
\endif
