// Runs the project's periodic jobs against the local stack, as pg_cron + pg_net do on hosted Supabase (the README
// shows that schedule). Each job is a POST to a function route that only the service role may call.

export interface Job {
  name: string;
  path: string; // under /functions/v1
  everySeconds: number;
}

export const JOBS: Job[] = [
  { name: 'invitation-outbox', path: '/invitations/outbox/run', everySeconds: 10 },
  { name: 'invitation-reminders', path: '/invitations/reminders/run', everySeconds: 10 },
  { name: 'video-retention', path: '/uploads/retention/run', everySeconds: 3600 },
];

export function startScheduler(env: Record<string, string>, log: (line: string) => void, jobs: Job[] = JOBS) {
  const timers = jobs.map((job) =>
    setInterval(async () => {
      try {
        const res = await fetch(`${env.SUPABASE_URL}/functions/v1${job.path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${env.SUPABASE_SERVICE_ROLE_KEY}`, 'content-type': 'application/json' },
          body: '{}',
        });
        const body = await res.text();
        if (!res.ok) log(`job ${job.name} answered ${res.status}: ${body.slice(0, 200)}`);
      } catch (e) {
        log(`job ${job.name} failed: ${(e as Error).message}`);
      }
    }, job.everySeconds * 1000)
  );
  return { stop: () => timers.forEach(clearInterval) };
}
