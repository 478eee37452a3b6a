// Runs the project's periodic jobs against the local stack, as pg_cron (with pg_net for the functions) does on hosted
// Supabase; the README's "Scheduled jobs" shows that schedule. Each job is a POST, under the project URL, that only the
// service role may make: a function route, or an RPC through PostgREST.

export interface Job {
  name: string;
  path: string; // under SUPABASE_URL
  everySeconds: number;
}

export const JOBS: Job[] = [
  { name: 'invitation-outbox', path: '/functions/v1/invitations/outbox/run', everySeconds: 10 },
  { name: 'invitation-reminders', path: '/functions/v1/invitations/reminders/run', everySeconds: 10 },
  { name: 'session-expiry', path: '/rest/v1/rpc/expire_overdue_sessions', everySeconds: 60 },
  { name: 'video-retention', path: '/functions/v1/uploads/retention/run', everySeconds: 3600 },
];

/** One run of a job, as the scheduler makes it. */
export async function runJob(env: Record<string, string>, job: Job): Promise<Response> {
  const key = env.SUPABASE_SERVICE_ROLE_KEY;
  return await fetch(`${env.SUPABASE_URL}${job.path}`, {
    method: 'POST',
    headers: { apikey: key, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: '{}',
  });
}

export function startScheduler(env: Record<string, string>, log: (line: string) => void, jobs: Job[] = JOBS) {
  const timers = jobs.map((job) =>
    setInterval(async () => {
      try {
        const res = await runJob(env, job);
        const body = await res.text();
        if (!res.ok) log(`job ${job.name} answered ${res.status}: ${body.slice(0, 200)}`);
      } catch (e) {
        log(`job ${job.name} failed: ${(e as Error).message}`);
      }
    }, job.everySeconds * 1000)
  );
  return { stop: () => timers.forEach(clearInterval) };
}
