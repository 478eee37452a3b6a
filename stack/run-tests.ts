// `deno task test`: the whole suite on a throwaway stack (own data folder, free ports; the dev data is never touched).
// pgTAP through pg_prove, then `deno test` (unit and integration) with the stack's environment. Ends with one line
// `N passed, N failed`.
//
//   deno task test                      everything
//   deno task test tests/rls.test.ts    pgTAP + the given deno test paths (any deno test flags work too)
//   deno task test --only-sql           pgTAP only
//   deno task test --no-sql ...         skip pgTAP
//   deno task test --keep               keep the stack's data folder and logs afterwards
import { join } from 'node:path';
import { freePorts, type RunningStack, startStack } from './stack.ts';
import { GO_TOOLS, LOCAL_DIR, PROJECT_ROOT, run } from './tools.ts';

const args = [...Deno.args];
const flag = (name: string) => {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
};
const onlySql = flag('--only-sql');
const noSql = flag('--no-sql');
const keep = flag('--keep');
const denoTestArgs = args.filter((a) => a !== '--');

const log = (line: string) => console.log(`[test] ${line}`);
const dataDir = join(LOCAL_DIR, `test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`);
const totals = { passed: 0, failed: 0, ignored: 0 };
const started = Date.now();

async function streamAndCapture(child: Deno.ChildProcess): Promise<{ code: number; output: string }> {
  let output = '';
  const decoder = new TextDecoder();
  const copy = async (stream: ReadableStream<Uint8Array>, sink: typeof Deno.stdout) => {
    for await (const chunk of stream) {
      output += decoder.decode(chunk, { stream: true });
      await sink.write(chunk);
    }
  };
  await Promise.all([copy(child.stdout, Deno.stdout), copy(child.stderr, Deno.stderr)]);
  const { code } = await child.status;
  return { code, output };
}

async function runPgTap(env: Record<string, string>, pgProve: string | null, pgBin: string): Promise<void> {
  const dir = join(PROJECT_ROOT, 'supabase', 'tests', 'database');
  const files = [];
  for await (const e of Deno.readDir(dir)) if (e.isFile && e.name.endsWith('.sql')) files.push(join(dir, e.name));
  if (files.length === 0) return log('no pgTAP files');
  if (!pgProve) {
    totals.failed++;
    return log('pg_prove is missing: apt-get install libtap-parser-sourcehandler-pgtap-perl postgresql-15-pgtap');
  }
  const helpers = join(PROJECT_ROOT, 'supabase', 'tests', 'helpers.sql');
  try {
    await Deno.stat(helpers);
    await run(join(pgBin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', env.SUPABASE_DB_URL, '-f', helpers]);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  log(`pgTAP: ${files.length} files through pg_prove`);
  const url = new URL(env.SUPABASE_DB_URL);
  const child = new Deno.Command(pgProve, {
    args: ['-v', '-h', url.hostname, '-p', url.port, '-U', 'postgres', '-d', 'postgres', ...files.sort()],
    stdout: 'piped',
    stderr: 'piped',
  }).spawn();
  const { code, output } = await streamAndCapture(child);
  const passed = output.match(/^\s*ok \d+/gm)?.length ?? 0;
  const failed = output.match(/^\s*not ok \d+/gm)?.length ?? 0;
  totals.passed += passed;
  // A file that dies (an SQL error, a wrong plan) fails even when no single assertion did.
  totals.failed += failed || (code !== 0 ? 1 : 0);
  log(`pgTAP: ${passed} passed, ${failed} failed (pg_prove exit ${code})`);
}

async function runDenoTests(env: Record<string, string>): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ['test', '-A', '--no-prompt', ...denoTestArgs],
    env: { ...env, NO_COLOR: '1' },
    cwd: PROJECT_ROOT,
    stdout: 'piped',
    stderr: 'piped',
  }).spawn();
  const { code, output } = await streamAndCapture(child);
  const summary = output.split('\n').reverse().find((l) => /^(ok|FAILED) \|/.test(l));
  const count = (word: string) => Number(summary?.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0);
  totals.passed += count('passed');
  totals.failed += count('failed') || (code !== 0 ? 1 : 0);
  totals.ignored += count('ignored');
}

async function versions(stack: RunningStack): Promise<string> {
  const { tools } = stack;
  const v = async (cmd: string, a: string[]) => (await run(cmd, a).catch((e) => e.message)).trim().split('\n')[0];
  return [
    `postgres: ${await v(join(tools.pgBin, 'postgres'), ['--version'])}`,
    `postgrest: ${await v(tools.postgrest, ['--version'])}`,
    `s3: versitygw ${GO_TOOLS.versitygw.split('@')[1]} (posix backend)`,
    `mail: mailpit ${GO_TOOLS.mailpit.split('@')[1]}`,
    `auth: GoTrue ${stack.authVersion} (supabase/auth, ${tools.auth})`,
    `supabase cli: ${await v(tools.supabase, ['--version'])}`,
  ].join('\n       ');
}

/** Lets a test stop and restart one service: POST /services/<name>/pause|resume (mailpit, s3, auth, ...). */
function serveControl(stack: RunningStack) {
  return Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, async (req) => {
    const match = new URL(req.url).pathname.match(/^\/services\/([a-z0-9]+)\/(pause|resume)$/);
    if (req.method !== 'POST' || !match) return new Response('not found', { status: 404 });
    try {
      if (match[2] === 'pause') await stack.pause(match[1]);
      else await stack.resume(match[1]);
      return Response.json({ ok: true });
    } catch (e) {
      return Response.json({ ok: false, error: (e as Error).message }, { status: 400 });
    }
  });
}

let exitCode = 1;
let stack;
let control: Deno.HttpServer<Deno.NetAddr> | undefined;
try {
  stack = await startStack({ dataDir, ports: freePorts(), log, throwaway: true, scheduleJobs: false });
  log(`servers: ${await versions(stack)}`);
  control = serveControl(stack);
  const env = {
    ...stack.env,
    SUPABASE_CLI: stack.tools.supabase,
    PG_BIN: stack.tools.pgBin,
    STACK_DATA_DIR: dataDir,
    APP_URL: stack.appUrl,
    STACK_CONTROL_URL: `http://127.0.0.1:${control.addr.port}`,
  };
  const died = stack.died.then((d) => {
    console.error(`[test] service "${d.service}" died during the tests:\n${d.logTail}`);
    totals.failed++;
  });
  if (!noSql) await runPgTap(env, stack.tools.pgProve, stack.tools.pgBin);
  if (!onlySql) await Promise.race([runDenoTests(env), died]);
  exitCode = totals.failed === 0 ? 0 : 1;
} catch (e) {
  console.error(`[test] ${(e as Error).message}`);
  totals.failed++;
} finally {
  await control?.shutdown();
  await stack?.stop();
  if (keep || exitCode !== 0) log(`stack data and logs kept in ${dataDir}`);
  else await Deno.remove(dataDir, { recursive: true }).catch(() => {});
}
log(`finished in ${((Date.now() - started) / 1000).toFixed(0)}s`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.ignored ? `, ${totals.ignored} skipped` : ''}`);
Deno.exit(exitCode);
