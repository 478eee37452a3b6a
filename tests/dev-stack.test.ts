// `deno task dev` itself, as a developer runs it: on a fresh data folder it comes up on the Supabase CLI's ports with
// every service answering through the gateway on 54321, Ctrl-C (SIGINT to its process group, as a terminal sends it)
// stops every process it started, a restart keeps the data, and a port already taken is named.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { DEV_PORTS } from '../stack/stack.ts';
import { LOCAL_DIR, PROJECT_ROOT, SOURCE_BUILDS } from '../stack/tools.ts';

const API = `http://127.0.0.1:${DEV_PORTS.api}`;
const READY_LINE = '[dev] running; Ctrl-C stops every service';

interface DevRun {
  pgid: number;
  output: () => string;
  exited: Promise<Deno.CommandStatus>;
}

/** Starts `deno task dev` in a session of its own (so a signal can reach its whole group, as Ctrl-C does). */
function startDev(dataDir: string): DevRun {
  const env: Record<string, string> = { DEV_DATA_DIR: dataDir, NO_COLOR: '1' };
  for (
    const name of [
      'PATH',
      'HOME',
      'DENO_DIR',
      'PG_BIN',
      ...Object.values(SOURCE_BUILDS).map((b) => b.sourceVariable),
    ]
  ) {
    const value = Deno.env.get(name);
    if (value) env[name] = value;
  }
  const child = new Deno.Command('setsid', {
    args: [Deno.execPath(), 'task', 'dev'],
    cwd: PROJECT_ROOT,
    clearEnv: true,
    env,
    stdin: 'null',
    stdout: 'piped',
    stderr: 'piped',
  }).spawn();
  let text = '';
  const decoder = new TextDecoder();
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  };
  const drained = Promise.all([collect(child.stdout), collect(child.stderr)]);
  return { pgid: child.pid, output: () => text, exited: drained.then(() => child.status) };
}

async function until(run: DevRun, line: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let done = false;
  run.exited.then(() => (done = true));
  while (!run.output().includes(line)) {
    if (done) throw new Error(`deno task dev exited before "${line}":\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${line}" within ${timeoutMs / 1000}s:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The processes still running of a dev run: its own group (the task and dev.ts), and the services of its folder. */
async function leftovers(run: DevRun, dataDir: string): Promise<string> {
  const pgrep = async (args: string[]) =>
    new TextDecoder().decode((await new Deno.Command('pgrep', { args, stdout: 'piped' }).output()).stdout).trim();
  return [await pgrep(['-a', '-g', String(run.pgid)]), await pgrep(['-a', '-f', dataDir])].filter(Boolean).join('\n');
}

/** A fresh data folder under .local (the services run as other users, who cannot enter a private temp folder). */
async function freshDataDir(): Promise<string> {
  const dir = join(LOCAL_DIR, `dev-test-${crypto.randomUUID().slice(0, 8)}`);
  await Deno.mkdir(dir, { recursive: true });
  return dir;
}

/** Ports of the dev stack that something listens on (a developer's own `deno task dev`, say). */
function listenersOnDevPorts(): string[] {
  const out = new Deno.Command('ss', { args: ['-Hltn'], stdout: 'piped' }).outputSync();
  const listening = new Set(
    new TextDecoder().decode(out.stdout).split('\n').map((line) => Number(line.split(/\s+/)[3]?.split(':').pop())),
  );
  return Object.entries(DEV_PORTS).filter(([, port]) => listening.has(port)).map(([name, port]) => `${name} ${port}`);
}

/**
 * Waits until every dev port can be bound. Without a listener a port can still be taken for up to a minute: the
 * suite's own client connections get ephemeral ports, 54321 among them, which then sit in TIME_WAIT.
 */
async function devPortsFree(): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (portsInUse().length > 0) {
    if (Date.now() > deadline) throw new Error(`dev ports still taken after 2 minutes: ${portsInUse().join(', ')}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function portsInUse(): string[] {
  return Object.entries(DEV_PORTS).flatMap(([name, port]) => {
    try {
      Deno.listen({ hostname: '127.0.0.1', port }).close();
      return [];
    } catch {
      return [`${name} ${port}`];
    }
  });
}

async function ctrlC(run: DevRun): Promise<Deno.CommandStatus> {
  Deno.kill(-run.pgid, 'SIGINT');
  const status = await Promise.race([
    run.exited,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('still running 60 s after Ctrl-C')), 60_000)),
  ]);
  return status;
}

/** The value of one line of the status table `deno task dev` prints (`  anon key: eyJ…`). */
function statusValue(output: string, label: string): string {
  const line = output.split('\n').find((l) => l.trimStart().startsWith(`${label}:`));
  assert.ok(line, `no "${label}" line in:\n${output}`);
  return line.slice(line.indexOf(':') + 1).trim();
}

async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(`${API}${path}`, { headers });
  await res.body?.cancel();
  return res;
}

Deno.test({
  name: '`deno task dev`: fresh start, every service through 54321, Ctrl-C stops it all, a restart keeps the data',
  // The dev stack uses the Supabase CLI's fixed ports: skipped (and counted as skipped) where a developer's own stack
  // listens on them.
  ignore: listenersOnDevPorts().length > 0,
  async fn() {
    await devPortsFree();
    const dataDir = await freshDataDir();
    let run = startDev(dataDir);
    try {
      await until(run, READY_LINE, 300_000);
      const first = run.output();
      assert.match(first, new RegExp(`Auth server: GoTrue ${SOURCE_BUILDS.auth.version.replaceAll('.', '\\.')}`));
      assert.match(first, /scheduled jobs: pg_cron runs/);
      const anonKey = statusValue(first, 'anon key');

      const auth = await fetch(`${API}/auth/v1/health`, { headers: { apikey: anonKey } });
      assert.equal(auth.status, 200);
      assert.equal((await auth.json()).version, SOURCE_BUILDS.auth.version);
      assert.equal((await get('/rest/v1/', { apikey: anonKey })).status, 200, 'PostgREST');
      const appUrl = statusValue(first, 'App URL').split(' ')[0];
      assert.equal(appUrl, `http://127.0.0.1:${DEV_PORTS.app}`);
      const page = await fetch(`${appUrl}/campaigns`);
      assert.equal(page.status, 200, 'the SPA answers every path with its index.html');
      assert.match(await page.text(), /<div id="root"><\/div>/);
      for (const name of ['invitations', 'activation', 'uploads', 'analytics', 'webhooks']) {
        assert.equal((await get(`/functions/v1/${name}/health`)).status, 200, name);
      }

      const supabase = createClient(API, anonKey, { auth: { persistSession: false } });
      const email = `dev-${crypto.randomUUID().slice(0, 8)}@example.test`;
      const signUp = await supabase.auth.signUp({ email, password: 'a-long-dev-password-1' });
      assert.equal(signUp.error, null);
      const seeded = await supabase.auth.signInWithPassword({
        email: 'recruiter@demo.test',
        password: 'demo-password-1',
      });
      assert.equal(seeded.error, null, 'the seed is loaded on a fresh data folder');

      const stopped = await ctrlC(run);
      assert.equal(stopped.code, 0, run.output());
      assert.equal(await leftovers(run, dataDir), '', 'no process of the dev run is left');
      assert.deepEqual(portsInUse(), [], 'every port is free again');

      run = startDev(dataDir);
      await until(run, READY_LINE, 120_000);
      assert.doesNotMatch(run.output(), /loading supabase\/seed\.sql|creating the Postgres cluster/);
      const again = await supabase.auth.signInWithPassword({ email, password: 'a-long-dev-password-1' });
      assert.equal(again.error, null, 'the user signed up before the restart is still there');
      assert.equal(await ctrlC(run).then((s) => s.code), 0);
    } finally {
      try {
        Deno.kill(-run.pgid, 'SIGKILL');
      } catch { /* already gone */ }
      await run.exited;
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});

Deno.test({
  name: '`deno task dev`: a port already taken is named, and nothing is left running',
  ignore: listenersOnDevPorts().length > 0,
  async fn() {
    await devPortsFree();
    const dataDir = await freshDataDir();
    const squatter = Deno.listen({ hostname: '127.0.0.1', port: DEV_PORTS.api });
    const run = startDev(dataDir);
    try {
      const status = await run.exited;
      assert.equal(status.code, 1);
      assert.match(run.output(), new RegExp(`port ${DEV_PORTS.api} \\(api\\) is already in use`));
      assert.equal(await leftovers(run, dataDir), '');
    } finally {
      squatter.close();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
