// The five periodic jobs, run by the real pg_cron and (for the four in edge functions) pg_net, scheduled by the same
// private.schedule_jobs() call the README gives hosted users. Each job must show a successful run in
// cron.job_run_details and have done its work: the queued invitation email is delivered, the overdue session is
// expired, and every HTTP call pg_net made was answered 200.
import assert from 'node:assert/strict';
import { createInterviewFixture, superuser, withoutTriggers } from './fixtures.ts';
import {
  call,
  hiringManager,
  mailsArrived,
  openCampaign,
  outboxRows,
  person,
  withMailpitDown,
} from './invitations-support.ts';
import { env, eventually } from './support.ts';

const JOB_NAMES = [
  'invitation-outbox',
  'invitation-reminders',
  'session-expiry',
  'video-retention',
  'webhook-deliveries',
];

Deno.test('scheduled jobs: pg_cron runs each of the five jobs, and each does its work', async () => {
  const manager = await hiringManager();
  const campaignId = await openCampaign(manager.client, 'Scheduled jobs');
  const invitee = person('cron');
  // With the mail server down, the send right after the invitation fails and the email stays queued: only the outbox
  // job can deliver it (its retry is made due at once).
  const invited = await withMailpitDown(async () => {
    const answer = await call('', { token: manager.accessToken, body: { campaign_id: campaignId, ...invitee } });
    await eventually(async () => (await outboxRows(answer.body.session_id))[0]?.attempts > 0);
    return answer;
  });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
  await superuser((sql) =>
    sql`update private.email_outbox set next_attempt_at = now() where session_id = ${invited.body.session_id}`
  );
  const overdue = await createInterviewFixture({ start: false, reveal: false });
  await withoutTriggers((tx) =>
    tx`update public.interview_sessions set deadline = now() - interval '1 minute' where id = ${overdue.sessionId}`
  );

  await superuser(async (sql) => {
    const since = new Date();
    const [{ last_response: lastResponseBefore }] = await sql`
      select coalesce(max(id), 0)::bigint as last_response from net._http_response`;
    try {
      const jobs = await sql`select job_name, schedule, command from private.schedule_jobs(${env('SUPABASE_URL')})`;
      assert.deepEqual(jobs.map((j) => j.job_name), JOB_NAMES);
      for (const job of jobs.filter((j) => j.job_name !== 'session-expiry')) {
        assert.match(job.command, /net\.http_post/, job.job_name);
        assert.match(job.command, /vault\.decrypted_secrets/, `${job.job_name} reads the key from Vault`);
        assert.doesNotMatch(job.command, new RegExp(env('SUPABASE_SERVICE_ROLE_KEY')), 'no key in cron.job');
      }
      // Every job once a minute, so that one minute shows them all (the outbox, reminders and retention run less often).
      await sql`select cron.alter_job(jobid, schedule := '* * * * *') from cron.job`;

      const runs = await eventually(async () => {
        const rows = await sql<{ jobname: string; status: string; return_message: string }[]>`
          select j.jobname, d.status, d.return_message
            from cron.job_run_details d join cron.job j using (jobid)
           where d.start_time >= ${since} and d.status in ('succeeded', 'failed')`;
        return JOB_NAMES.every((name) => rows.some((r) => r.jobname === name)) && rows;
      }, 130_000);
      for (const run of runs) assert.equal(run.status, 'succeeded', `${run.jobname}: ${run.return_message}`);

      const responses = await eventually(async () => {
        const rows = await sql<{ status_code: number | null; content: string | null; error_msg: string | null }[]>`
          select status_code, content, error_msg from net._http_response where id > ${lastResponseBefore}`;
        return rows.length >= 4 && rows;
      }, 60_000);
      for (const r of responses) assert.equal(r.status_code, 200, `${r.content ?? ''} ${r.error_msg ?? ''}`);
    } finally {
      await sql`select cron.unschedule(jobid) from cron.job`;
    }
  });

  await mailsArrived(invitee.email, 1);
  const [outbox] = await outboxRows(invited.body.session_id);
  assert.equal(outbox.status, 'sent');
  const [session] = await superuser((sql) =>
    sql`select status from public.interview_sessions where id = ${overdue.sessionId}`
  );
  assert.equal(session.status, 'expired');
});

Deno.test('scheduled jobs: schedule_jobs refuses a project URL that is not an http(s) URL', async () => {
  await superuser(async (sql) => {
    await assert.rejects(sql`select private.schedule_jobs('not a url')`, /project_url_invalid/);
    assert.equal((await sql`select count(*)::int as n from cron.job`)[0].n, 0, 'nothing was scheduled');
  });
});
