// The deploy path, rehearsed offline: `supabase db push --db-url` into a fresh cluster that holds only what a new
// hosted project holds before any migration (the platform bootstrap, GoTrue's own migrations, pg_cron and pg_net
// loadable), then the schema it built must be the one the local stack built with `supabase migration up`.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { authSettings } from '../stack/auth-settings.ts';
import { loadOrCreateKeys } from '../stack/keys.ts';
import { asPostgres, createCluster, freePort, postgresSettings } from '../stack/stack.ts';
import { LOCAL_DIR, PROJECT_ROOT, run } from '../stack/tools.ts';
import { env } from './support.ts';

const pgBin = env('PG_BIN');

async function waitUntilReady(port: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ready = await new Deno.Command(join(pgBin, 'pg_isready'), {
      args: ['-h', '127.0.0.1', '-p', String(port)],
      stdout: 'null',
      stderr: 'null',
    }).output();
    if (ready.success) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the rehearsal cluster did not start');
}

/** The schema of the project's own objects, as pg_dump prints it, without its version banner. */
async function projectSchema(dbUrl: string): Promise<string> {
  const dump = await run(join(pgBin, 'pg_dump'), [
    '--schema-only',
    '--no-owner',
    '--no-privileges',
    '--schema=public',
    '--schema=private',
    dbUrl,
  ]);
  return dump.split('\n').filter((line) => !/^-- Dumped (from|by)/.test(line) && !/^\\(un)?restrict /.test(line))
    .join('\n');
}

Deno.test('deploy: `supabase db push` into a fresh hosted-like database builds the schema the local stack has', async () => {
  const dataDir = join(LOCAL_DIR, `push-rehearsal-${crypto.randomUUID().slice(0, 8)}`);
  const pgData = join(dataDir, 'db');
  await createCluster(pgBin, pgData);
  const port = freePort();
  const [pgCmd, pgArgs] = asPostgres(join(pgBin, 'postgres'), ['-D', pgData, ...postgresSettings(port, true)]);
  const server = new Deno.Command(pgCmd, { args: pgArgs, stdout: 'null', stderr: 'null' }).spawn();
  try {
    await waitUntilReady(port);
    const dbUrl = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
    await run(join(pgBin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', dbUrl, '-f', 'stack/platform.sql'], {
      cwd: PROJECT_ROOT,
    });
    // What a hosted project's Auth has done before the project's first migration.
    const authEnv = authSettings({
      config: {},
      keys: await loadOrCreateKeys(dataDir, false),
      dbUrl: `postgresql://supabase_auth_admin:postgres@127.0.0.1:${port}/postgres`,
      port: freePort(),
      apiUrl: 'http://127.0.0.1:1',
      smtpPort: 1,
      relaxedRateLimits: false,
    });
    await run(join(LOCAL_DIR, 'bin', 'auth'), ['migrate'], { env: authEnv });

    const push = new Deno.Command(env('SUPABASE_CLI'), {
      args: ['db', 'push', '--db-url', `${dbUrl}?sslmode=disable`],
      cwd: PROJECT_ROOT,
      stdin: 'piped',
      stdout: 'piped',
      stderr: 'piped',
    }).spawn();
    const writer = push.stdin.getWriter();
    await writer.write(new TextEncoder().encode('y\n'));
    await writer.close();
    const pushed = await push.output();
    const log = new TextDecoder().decode(pushed.stdout) + new TextDecoder().decode(pushed.stderr);
    assert.ok(pushed.success, log);
    assert.match(log, /Finished supabase db push/);

    const migrations = Array.from(Deno.readDirSync(join(PROJECT_ROOT, 'supabase', 'migrations'))).length;
    const [{ n }] = JSON.parse(
      await run(join(pgBin, 'psql'), [
        '-X',
        '-tA',
        '-d',
        dbUrl,
        '-c',
        "select json_agg(json_build_object('n', count)) from (select count(*) from supabase_migrations.schema_migrations) c",
      ]),
    );
    assert.equal(n, migrations, 'every migration is recorded as applied');

    const pushedSchema = await projectSchema(dbUrl);
    const localSchema = await projectSchema(env('SUPABASE_DB_URL'));
    assert.ok(pushedSchema.length > 10_000, 'the dump holds the schema');
    assert.equal(pushedSchema, localSchema, 'db push and migration up build the same public and private schemas');
  } finally {
    server.kill('SIGINT');
    await server.status;
    await Deno.remove(dataDir, { recursive: true });
  }
});
