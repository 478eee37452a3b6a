// `deno task types`: writes shared/database.types.ts, the `Database` type of the typed supabase-js client, from the
// live schema, the way `supabase gen types typescript --local` does it.
//
// The Supabase CLI runs postgres-meta's type generator in Docker (image supabase/postgres-meta:v0.99.0 for CLI
// 2.117.0): `node dist/server/server.js` with PG_META_GENERATE_TYPES=typescript and the env below, and writes its
// stdout to the file. There is no Docker here, so the same release of the same program runs from its npm package
// under Deno, with the same environment; the output is what the CLI would write.
//
//   deno task types              migrates a throwaway database (same as `deno task test`) and writes the file
//   deno task types --check      exits 1 when the committed file differs from a fresh generation
//   SUPABASE_DB_URL=... deno task types    generate from that database instead of starting a stack
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { freePorts, startStack } from './stack.ts';
import { LOCAL_DIR, PROJECT_ROOT } from './tools.ts';

/** The postgres-meta release the pinned Supabase CLI uses for `gen types` (its Dockerfile names v0.99.0). */
export const POSTGRES_META_VERSION = '0.99.0';
export const TYPES_FILE = join(PROJECT_ROOT, 'shared', 'database.types.ts');
const META_DIR = join(LOCAL_DIR, 'postgres-meta');
const META_SERVER = join(META_DIR, 'node_modules', '@supabase', 'postgres-meta', 'dist', 'server', 'server.js');

/** Installs the npm package into .local/postgres-meta once (Node runs it, as in the CLI's Docker image). */
async function ensurePostgresMeta(): Promise<string> {
  const pkg = join(META_DIR, 'node_modules', '@supabase', 'postgres-meta', 'package.json');
  const installed = await Deno.readTextFile(pkg).then((t) => JSON.parse(t).version).catch(() => null);
  if (installed === POSTGRES_META_VERSION) return META_SERVER;
  console.error(`[types] installing @supabase/postgres-meta ${POSTGRES_META_VERSION} into ${META_DIR}`);
  await Deno.mkdir(META_DIR, { recursive: true });
  const { code, stderr } = await new Deno.Command('npm', {
    args: [
      'install',
      '--no-audit',
      '--no-fund',
      '--omit=dev',
      '--prefix',
      META_DIR,
      `@supabase/postgres-meta@${POSTGRES_META_VERSION}`,
    ],
    stdout: 'null',
    stderr: 'piped',
  }).output();
  if (code !== 0) throw new Error(`npm install @supabase/postgres-meta failed:\n${new TextDecoder().decode(stderr)}`);
  return META_SERVER;
}

/** Schemas the CLI includes by default: public plus config.toml's [api] schemas. */
export async function includedSchemas(): Promise<string[]> {
  const config = parse(await Deno.readTextFile(join(PROJECT_ROOT, 'supabase', 'config.toml')));
  const api = (config.api ?? {}) as { schemas?: string[] };
  return [...new Set(['public', ...(api.schemas ?? [])])];
}

/** Runs postgres-meta's TypeScript generator against `dbUrl` and returns its output (the file's content). */
export async function generateTypes(dbUrl: string): Promise<string> {
  const url = new URL(dbUrl);
  url.searchParams.set('sslmode', 'disable');
  const child = new Deno.Command('node', {
    args: [await ensurePostgresMeta()],
    cwd: META_DIR,
    env: {
      PG_META_DB_URL: url.toString(),
      PG_META_GENERATE_TYPES: 'typescript',
      PG_META_GENERATE_TYPES_INCLUDED_SCHEMAS: (await includedSchemas()).join(','),
      PG_META_GENERATE_TYPES_SWIFT_ACCESS_CONTROL: 'internal',
      // The CLI detects one-to-one relationships unless the database requires SSL (a local one never does).
      PG_META_GENERATE_TYPES_DETECT_ONE_TO_ONE_RELATIONSHIPS: 'true',
      NO_COLOR: '1',
    },
    stdout: 'piped',
    stderr: 'piped',
  });
  const { code, stdout, stderr } = await child.output();
  const out = new TextDecoder().decode(stdout);
  if (code !== 0 || !out.includes('export type Database')) {
    throw new Error(`postgres-meta type generation failed (exit ${code}):\n${new TextDecoder().decode(stderr)}${out}`);
  }
  return out;
}

async function withDatabase<T>(work: (dbUrl: string) => Promise<T>): Promise<T> {
  const given = Deno.env.get('SUPABASE_DB_URL');
  if (given) return await work(given);
  const log = (line: string) => console.error(`[types] ${line}`);
  const dataDir = join(LOCAL_DIR, `types-${Date.now().toString(36)}`);
  const stack = await startStack({ dataDir, ports: freePorts(), log, throwaway: true, scheduleJobs: false });
  try {
    return await work(stack.env.SUPABASE_DB_URL);
  } finally {
    await stack.stop();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const check = Deno.args.includes('--check');
  const fresh = await withDatabase(generateTypes);
  const committed = await Deno.readTextFile(TYPES_FILE).catch(() => '');
  if (check) {
    if (committed !== fresh) {
      console.error('shared/database.types.ts is stale: run `deno task types` and commit the result');
      Deno.exit(1);
    }
    console.error('shared/database.types.ts is up to date');
  } else {
    await Deno.writeTextFile(TYPES_FILE, fresh);
    console.error(`wrote ${TYPES_FILE} (${fresh.split('\n').length} lines)`);
  }
}
