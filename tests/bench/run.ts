// `deno task bench`: the benchmark on its own throwaway stack (free ports, own data folder), then the results as
// markdown and JSON in tests/bench/results/. It never fails CI: it reports what it measured, targets met or not.
//
//   deno task bench                  full scale (about 2-3 minutes here)
//   deno task bench --scale=smoke    the tiny dataset, to check the pipeline end to end
//   deno task bench --keep           keep the stack's data folder and logs
//
// The database measures run on a dataset ten times smaller too, for the growth table: it is generated in a second
// throwaway stack started beside the first (its Postgres is the same build, settings and schema), and each query's
// runs alternate between the two datasets. That stack is stopped once the database measures are over.
import { join } from 'node:path';
import { loadStorageConfig } from '../../shared/config.ts';
import { freePorts, type RunningStack, startStack } from '../../stack/stack.ts';
import { LOCAL_DIR, PROJECT_ROOT } from '../../stack/tools.ts';
import { runBench } from './bench.ts';
import { FULL_SCALE, SMOKE_SCALE } from './dataset.ts';
import { tokenSigner } from './measure.ts';
import { toMarkdown, writeResults } from './report.ts';

const smoke = Deno.args.includes('--scale=smoke');
const keep = Deno.args.includes('--keep');
const log = (line: string) => console.log(`[bench] ${line}`);
const dataDir = join(LOCAL_DIR, `bench-${Date.now().toString(36)}`);
const growthDir = `${dataDir}-growth`;

let stack: RunningStack | undefined;
let growthStack: RunningStack | undefined;
let code = 0;
// Ctrl-C (or a CI timeout) still stops every service of the throwaway stack.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  Deno.addSignalListener(signal, async () => {
    log(`${signal}: stopping the stack`);
    await growthStack?.stop();
    await stack?.stop();
    Deno.exit(130);
  });
}
try {
  stack = await startStack({ dataDir, ports: await freePorts(), log, throwaway: true, scheduleJobs: false });
  log('starting a second stack for the growth dataset');
  growthStack = await startStack({
    dataDir: growthDir,
    ports: await freePorts(),
    log: (line) => log(`growth stack: ${line}`),
    throwaway: true,
    scheduleJobs: false,
  });
  const growthDbUrl = growthStack.dbUrl;
  const results = await runBench({
    dbUrl: stack.dbUrl,
    apiUrl: stack.env.SUPABASE_URL,
    keys: { anon: stack.keys.anonKey, serviceRole: stack.keys.serviceRoleKey },
    mailpitUrl: stack.env.MAILPIT_URL,
    sign: await tokenSigner({ issuer: stack.env.JWT_ISSUER, privateJwk: stack.keys.signingKey }),
    scale: smoke ? SMOKE_SCALE : FULL_SCALE,
    iterations: smoke ? 10 : 100,
    http: smoke ? { connections: 8, seconds: 2 } : { connections: 32, seconds: 15 },
    inviteSizes: smoke ? [1, 5, 20] : [1, 100, 1000],
    completeTakes: smoke ? 3 : 40,
    deliveries: smoke ? 10 : 200,
    signIns: smoke ? 3 : 30,
    storage: loadStorageConfig(stack.env),
    cleanUp: false,
    growth: { dbUrl: growthDbUrl, done: () => growthStack!.stop() },
    log,
  });
  const dir = join(PROJECT_ROOT, 'tests', 'bench', 'results', ...(smoke ? ['smoke'] : []));
  const paths = await writeResults(dir, results);
  console.log(`\n${toMarkdown(results)}`);
  log(`written: ${paths.join(', ')}`);
} catch (error) {
  // Not a test: report and leave the exit code to say the run itself broke (never a missed target).
  console.error(`[bench] the run failed: ${error instanceof Error ? error.stack : error}`);
  code = 1;
} finally {
  await growthStack?.stop();
  await stack?.stop();
  if (keep || code !== 0) log(`stack data and logs kept in ${dataDir} and ${growthDir}`);
  else {
    for (const dir of [dataDir, growthDir]) await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
Deno.exit(code);
