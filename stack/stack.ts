// Starts the whole local Supabase platform natively: Postgres, Auth, PostgREST, the S3 server, Mailpit, the functions
// server and the gateway. `deno task dev` runs it on the Supabase CLI's ports; `deno task test` runs a throwaway copy.
import { type CORSRule, CreateBucketCommand, PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import { parse as parseToml } from 'smol-toml';
import { join } from 'node:path';
import { ensureTools, exists, type Log, PROJECT_ROOT, run, type Tools } from './tools.ts';
import { loadOrCreateKeys, type StackKeys } from './keys.ts';
import { authSettings, site } from './auth-settings.ts';
import { buildSpa } from './spa.ts';

export interface Ports {
  api: number;
  db: number;
  mailApi: number;
  smtp: number;
  s3: number;
  auth: number;
  rest: number;
  functions: number;
  /** The reference SPA (examples/spa), built and served as static files. */
  app: number;
}

export const DEV_PORTS: Ports = {
  api: 54321,
  db: 54322,
  mailApi: 54324,
  smtp: 54325,
  s3: 54330,
  auth: 54331,
  rest: 54332,
  functions: 54333,
  app: 3000,
};

export const VIDEO_BUCKET = 'videos';
const S3_ACCESS_KEY = 'local-access-key';
const S3_SECRET_KEY = 'local-secret-key-for-the-video-bucket';

export interface StackOptions {
  dataDir: string;
  ports: Ports;
  log: Log;
  /** Test stacks trade durability for speed. */
  throwaway: boolean;
  /** Wipe the database before starting. */
  reset?: boolean;
  /** Run the project's periodic jobs with pg_cron (dev); a test stack leaves them to the tests that want them. */
  scheduleJobs: boolean;
}

export interface RunningStack {
  env: Record<string, string>;
  keys: StackKeys;
  ports: Ports;
  tools: Tools;
  dbUrl: string;
  /** Where the reference SPA (examples/spa) is served. */
  appUrl: string;
  /** What GoTrue's health endpoint reports through the gateway, as a client sees it. */
  authVersion: string;
  /** Resolves when a service exits on its own; the stack is already stopping then. */
  died: Promise<{ service: string; logTail: string }>;
  stop(): Promise<void>;
  /** Stops one service on purpose (a test of what happens while the mail server is down, say). */
  pause(name: string): Promise<void>;
  /** Starts a paused service again with the same command. */
  resume(name: string): Promise<void>;
}

interface Service {
  name: string;
  child: Deno.ChildProcess;
  logPath: string;
  stopSignal: Deno.Signal;
  paused: boolean;
  restart: () => Promise<Service>;
}

export function freePort(): number {
  const listener = Deno.listen({ hostname: '127.0.0.1', port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

export function freePorts(): Ports {
  const entries = Object.keys(DEV_PORTS).map((k) => [k, freePort()] as const);
  return Object.fromEntries(entries) as unknown as Ports;
}

function assertPortsFree(ports: Ports): void {
  for (const [service, port] of Object.entries(ports)) {
    try {
      Deno.listen({ hostname: '127.0.0.1', port }).close();
    } catch {
      throw new Error(
        `port ${port} (${service}) is already in use; stop whatever holds it (\`ss -ltnp 'sport = :${port}'\`)`,
      );
    }
  }
}

async function tail(path: string, lines = 30): Promise<string> {
  try {
    return (await Deno.readTextFile(path)).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const isRoot = Deno.uid() === 0;

/** Postgres refuses to run as root; on CI and these machines we are root, so its binaries run as `postgres`. */
export function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return isRoot ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', cmd, ...args]] : [cmd, args];
}

/** A new, empty cluster in `pgData`, as the local stack creates it (trust auth on loopback only, UTF-8). */
export async function createCluster(pgBin: string, pgData: string): Promise<void> {
  await Deno.mkdir(pgData, { recursive: true });
  if (isRoot) await run('chown', ['-R', 'postgres:postgres', pgData]);
  const [cmd, args] = asPostgres(join(pgBin, 'initdb'), [
    '-D',
    pgData,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  await run(cmd, args);
}

/** The server settings of a local cluster: loopback only, pg_cron and pg_net preloaded as on hosted Supabase. */
export function postgresSettings(port: number, throwaway: boolean): string[] {
  return [
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=200',
    '-c',
    'shared_buffers=256MB',
    '-c',
    'log_min_messages=warning',
    '-c',
    'shared_preload_libraries=pg_cron,pg_net',
    '-c',
    'cron.database_name=postgres',
    ...(throwaway ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
  ];
}

async function pump(stream: ReadableStream<Uint8Array>, file: Deno.FsFile): Promise<void> {
  for await (const chunk of stream) await file.write(chunk);
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, service?: Service) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  const logTail = service ? `\n--- last lines of ${service.logPath} ---\n${await tail(service.logPath)}` : '';
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000}s${logTail}`);
}

async function httpOk(url: string, init?: RequestInit): Promise<boolean> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2000) });
  await res.body?.cancel();
  return res.ok;
}

async function readConfigToml(): Promise<Record<string, unknown>> {
  return parseToml(await Deno.readTextFile(join(PROJECT_ROOT, 'supabase', 'config.toml'))) as Record<string, unknown>;
}

function get(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>(
    (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
    obj,
  );
}

/** The origins a browser app of this project runs on: the site URL and those of the additional redirect URLs. */
export function browserOrigins(config: Record<string, unknown>): string[] {
  const { siteUrl, redirectUrls } = site(config);
  const origins = [siteUrl, ...redirectUrls].flatMap((url) => {
    try {
      return [new URL(url.replace(/\*+/g, '')).origin];
    } catch {
      return [];
    }
  });
  return [...new Set(origins)];
}

/** The browser origins plus the reference SPA's own, once: the functions and the bucket must both accept it. */
export function withAppOrigin(origins: string[], appOrigin: string): string[] {
  return [...new Set([...origins, new URL(appOrigin).origin])];
}

export async function startStack(opts: StackOptions): Promise<RunningStack> {
  const { dataDir, ports, log } = opts;
  const started = Date.now();
  const tools = await ensureTools(log);
  assertPortsFree(ports);

  const logDir = join(dataDir, 'logs');
  const pgData = join(dataDir, 'db');
  const s3Root = join(dataDir, 's3');
  if (opts.reset && await exists(pgData)) {
    log('resetting the database (the data folder is wiped)');
    await Deno.remove(pgData, { recursive: true });
    await Deno.remove(join(dataDir, 'seeded')).catch(() => {});
  }
  await Deno.mkdir(logDir, { recursive: true });
  await Deno.mkdir(s3Root, { recursive: true });
  await Deno.mkdir(join(dataDir, 'mail'), { recursive: true });
  const keys = await loadOrCreateKeys(dataDir, !opts.throwaway);
  const config = await readConfigToml();

  const services: Service[] = [];
  let stopping = false;
  let reportDeath: (d: { service: string; logTail: string }) => void = () => {};
  const died = new Promise<{ service: string; logTail: string }>((resolve) => (reportDeath = resolve));

  async function spawn(
    name: string,
    cmd: string,
    args: string[],
    env: Record<string, string> = {},
    stopSignal: Deno.Signal = 'SIGTERM',
  ) {
    const logPath = join(logDir, `${name}.log`);
    const file = await Deno.open(logPath, { create: true, append: true });
    // A session of its own: Ctrl-C in the terminal reaches only the stack's owner, which then stops the services in
    // order, instead of every service dying at once (and being reported as a crash).
    const child = new Deno.Command('setsid', {
      args: [cmd, ...args],
      env,
      stdin: 'null',
      stdout: 'piped',
      stderr: 'piped',
      cwd: PROJECT_ROOT,
    }).spawn();
    const service: Service = {
      name,
      child,
      logPath,
      stopSignal,
      paused: false,
      restart: () => spawn(name, cmd, args, env, stopSignal),
    };
    const existing = services.findIndex((s) => s.name === name);
    if (existing >= 0) services[existing] = service;
    else services.push(service);
    Promise.all([pump(child.stdout, file), pump(child.stderr, file)]).finally(() => file.close());
    child.status.then(async (status) => {
      if (stopping || service.paused) return;
      reportDeath({ service: name, logTail: `${name} exited with code ${status.code}\n${await tail(logPath)}` });
    });
    return service;
  }

  function byName(name: string): Service {
    const service = services.find((s) => s.name === name);
    if (!service) throw new Error(`no service named ${name}`);
    return service;
  }

  async function pause(name: string) {
    const service = byName(name);
    if (service.paused) return;
    service.paused = true;
    service.child.kill(service.stopSignal);
    await service.child.status;
  }

  async function resume(name: string) {
    const service = byName(name);
    if (!service.paused) return;
    await service.restart();
  }

  // One shutdown however often it is asked for (Ctrl-C twice, SIGINT then SIGTERM): every caller waits for the same one.
  let stopped: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopping = true;
    return stopped ??= (async () => {
      for (const service of [...services].reverse()) {
        if (service.paused) continue;
        try {
          service.child.kill(service.stopSignal);
        } catch { /* already gone */ }
        const timer = setTimeout(() => {
          try {
            service.child.kill('SIGKILL');
          } catch { /* already gone */ }
        }, 10_000);
        await service.child.status;
        clearTimeout(timer);
      }
    })();
  }

  try {
    // Postgres: the project's own cluster.
    if (!await exists(join(pgData, 'PG_VERSION'))) {
      log(`creating the Postgres cluster in ${pgData}`);
      await createCluster(tools.pgBin, pgData);
    }
    const pgSettings = postgresSettings(ports.db, opts.throwaway);
    const [pgCmd, pgArgs] = asPostgres(join(tools.pgBin, 'postgres'), ['-D', pgData, ...pgSettings]);
    const pg = await spawn('postgres', pgCmd, pgArgs, {}, 'SIGINT');
    await waitFor(
      'postgres',
      async () => {
        const out = await new Deno.Command(join(tools.pgBin, 'pg_isready'), {
          args: ['-h', '127.0.0.1', '-p', String(ports.db)],
          stdout: 'null',
          stderr: 'null',
        }).output();
        return out.success;
      },
      30_000,
      pg,
    );
    log(`postgres ready on ${ports.db}`);

    const dbUrl = `postgresql://postgres:postgres@127.0.0.1:${ports.db}/postgres`;
    const psql = (args: string[]) =>
      run(join(tools.pgBin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', dbUrl, ...args]);
    await psql(['-f', join(PROJECT_ROOT, 'stack', 'platform.sql')]);

    // Auth: its own migrations first, since the project's migrations put triggers on auth.users.
    const apiUrl = `http://127.0.0.1:${ports.api}`;
    const authEnv = authSettings({
      config,
      keys,
      dbUrl: `postgresql://supabase_auth_admin:postgres@127.0.0.1:${ports.db}/postgres`,
      port: ports.auth,
      apiUrl,
      smtpPort: ports.smtp,
      relaxedRateLimits: opts.throwaway,
    });
    // The reference SPA's origin: on the dev ports it is config.toml's site URL; a test stack's SPA runs on a free
    // port, and its emails (invitations, password resets) must link there.
    const appOrigin = `http://127.0.0.1:${ports.app}`;
    if (opts.throwaway) authEnv.GOTRUE_SITE_URL = appOrigin;
    authEnv.GOTRUE_URI_ALLOW_LIST = [authEnv.GOTRUE_URI_ALLOW_LIST, `${appOrigin}/**`].filter(Boolean).join(',');
    const origins = withAppOrigin(browserOrigins(config), appOrigin);
    await run(tools.auth, ['migrate'], { env: authEnv });

    log('applying supabase/migrations with the Supabase CLI');
    await run(tools.supabase, ['migration', 'up', '--db-url', `${dbUrl}?sslmode=disable`], { cwd: PROJECT_ROOT });
    const seededMarker = join(dataDir, 'seeded');
    if (!await exists(seededMarker)) {
      log('loading supabase/seed.sql');
      await psql(['-f', join(PROJECT_ROOT, 'supabase', 'seed.sql')]);
      await Deno.writeTextFile(seededMarker, new Date().toISOString());
    }

    const mail = await spawn('mailpit', tools.mailpit, [
      '--listen',
      `127.0.0.1:${ports.mailApi}`,
      '--smtp',
      `127.0.0.1:${ports.smtp}`,
      '--database',
      join(dataDir, 'mail', 'mailpit.db'),
      '--smtp-auth-accept-any',
      '--smtp-auth-allow-insecure',
    ]);
    const s3 = await spawn('s3', tools.versitygw, [
      '--access',
      S3_ACCESS_KEY,
      '--secret',
      S3_SECRET_KEY,
      '--port',
      `127.0.0.1:${ports.s3}`,
      'posix',
      s3Root,
    ]);
    const auth = await spawn('auth', tools.auth, ['serve'], authEnv);
    const rest = await spawn('rest', tools.postgrest, [], {
      PGRST_DB_URI: `postgresql://authenticator:postgres@127.0.0.1:${ports.db}/postgres`,
      PGRST_DB_SCHEMAS: ((get(config, 'api.schemas') as string[] | undefined) ?? ['public']).join(','),
      PGRST_DB_EXTRA_SEARCH_PATH:
        ((get(config, 'api.extra_search_path') as string[] | undefined) ?? ['public', 'extensions']).join(','),
      PGRST_DB_ANON_ROLE: 'anon',
      PGRST_DB_MAX_ROWS: String(get(config, 'api.max_rows') ?? 1000),
      PGRST_DB_POOL: '20',
      PGRST_JWT_SECRET: JSON.stringify(keys.postgrestJwks),
      PGRST_SERVER_HOST: '127.0.0.1',
      PGRST_SERVER_PORT: String(ports.rest),
      PGRST_ADMIN_SERVER_PORT: '',
      PGRST_DB_CHANNEL_ENABLED: 'true',
      PGRST_LOG_LEVEL: 'warn',
    });

    const s3Endpoint = `http://127.0.0.1:${ports.s3}`;
    const env: Record<string, string> = {
      SUPABASE_URL: apiUrl,
      SUPABASE_ANON_KEY: keys.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: keys.serviceRoleKey,
      SUPABASE_DB_URL: dbUrl,
      SUPABASE_JWT_SECRET: keys.jwtSecret,
      SUPABASE_JWKS: JSON.stringify(keys.publicJwks),
      JWT_ISSUER: `${apiUrl}/auth/v1`,
      MAILPIT_URL: `http://127.0.0.1:${ports.mailApi}`,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(ports.smtp),
      // Mailpit here offers no TLS: plain SMTP on loopback, which the functions refuse unless told so.
      SMTP_ALLOW_PLAINTEXT: 'true',
      MAIL_FROM: 'Interviews <no-reply@interviews.local>',
      S3_ENDPOINT: s3Endpoint,
      S3_REGION: 'us-east-1',
      S3_BUCKET: VIDEO_BUCKET,
      S3_ACCESS_KEY_ID: S3_ACCESS_KEY,
      S3_SECRET_ACCESS_KEY: S3_SECRET_KEY,
      S3_FORCE_PATH_STYLE: 'true',
      APP_SITE_URL: authEnv.GOTRUE_SITE_URL,
      CORS_ORIGINS: origins.join(','),
      // The tests' webhook listener is plain http on 127.0.0.1, which the webhooks function refuses unless told so.
      WEBHOOKS_ALLOW_LOOPBACK_HTTP: 'true',
    };
    const functions = await spawn('functions', Deno.execPath(), [
      'run',
      '-A',
      '--no-prompt',
      join(PROJECT_ROOT, 'stack', 'functions-server.ts'),
    ], {
      ...env,
      FUNCTIONS_PORT: String(ports.functions),
    });
    const gateway = await spawn('gateway', Deno.execPath(), ['run', '-A', join(PROJECT_ROOT, 'stack', 'gateway.ts')], {
      GATEWAY_PORT: String(ports.api),
      AUTH_UPSTREAM: `http://127.0.0.1:${ports.auth}`,
      REST_UPSTREAM: `http://127.0.0.1:${ports.rest}`,
      FUNCTIONS_UPSTREAM: `http://127.0.0.1:${ports.functions}`,
      ANON_KEY: keys.anonKey,
      SERVICE_ROLE_KEY: keys.serviceRoleKey,
    });

    await waitFor('mailpit', () => httpOk(`${env.MAILPIT_URL}/readyz`), 30_000, mail);
    await waitFor(
      's3 (versitygw)',
      async () => {
        const conn = await Deno.connect({ hostname: '127.0.0.1', port: ports.s3 });
        conn.close();
        return true;
      },
      30_000,
      s3,
    );
    await ensureBucket(env, origins);
    await waitFor('auth', () => httpOk(`http://127.0.0.1:${ports.auth}/health`), 60_000, auth);
    await waitFor('postgrest', () => httpOk(`http://127.0.0.1:${ports.rest}/`), 60_000, rest);
    await waitFor(
      'functions server',
      () => httpOk(`http://127.0.0.1:${ports.functions}/_internal/health`),
      120_000,
      functions,
    );
    await waitFor(
      'gateway',
      () => httpOk(`${apiUrl}/auth/v1/health`, { headers: { apikey: keys.anonKey } }),
      30_000,
      gateway,
    );
    const spaDir = join(dataDir, 'spa');
    await buildSpa({ outDir: spaDir, supabaseUrl: apiUrl, anonKey: keys.anonKey, log });
    const app = await spawn('app', Deno.execPath(), ['run', '-A', join(PROJECT_ROOT, 'stack', 'spa-server.ts')], {
      SPA_ROOT: spaDir,
      SPA_PORT: String(ports.app),
    });
    await waitFor('app (the reference SPA)', () => httpOk(`${appOrigin}/_health`), 30_000, app);
    await psql([
      '-v',
      `service_role_key=${keys.serviceRoleKey}`,
      '-v',
      `project_url=${apiUrl}`,
      '-v',
      `schedule=${opts.scheduleJobs}`,
      '-f',
      join(PROJECT_ROOT, 'stack', 'jobs.sql'),
    ]);
    if (opts.scheduleJobs) log('scheduled jobs: pg_cron runs the outbox, reminders, retention and session expiry');
    log(`stack ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);

    const health = await fetch(`${apiUrl}/auth/v1/health`, { headers: { apikey: keys.anonKey } });
    const authVersion = String((await health.json()).version);
    log(`auth: GoTrue ${authVersion}`);
    return { env, keys, ports, tools, dbUrl, appUrl: appOrigin, authVersion, died, stop, pause, resume };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * The CORS rule a browser app needs to upload to the bucket and play back from it: the same rule the README tells
 * production users to set on their bucket (with their own origins).
 */
export function bucketCorsRule(origins: string[]): CORSRule {
  return {
    AllowedOrigins: origins,
    AllowedMethods: ['GET', 'HEAD', 'PUT', 'POST'],
    AllowedHeaders: ['*'],
    ExposeHeaders: ['ETag'],
    MaxAgeSeconds: 3600,
  };
}

async function ensureBucket(env: Record<string, string>, origins: string[]): Promise<void> {
  const s3 = new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
  });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: env.S3_BUCKET }));
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw e;
  }
  try {
    await s3.send(
      new PutBucketCorsCommand({ Bucket: env.S3_BUCKET, CORSConfiguration: { CORSRules: [bucketCorsRule(origins)] } }),
    );
  } finally {
    s3.destroy();
  }
}

export function statusText(stack: RunningStack): string {
  const { env, keys, ports } = stack;
  const rows: [string, string][] = [
    ['App URL', `${stack.appUrl} (examples/spa)`],
    ['API URL', env.SUPABASE_URL],
    ['REST URL', `${env.SUPABASE_URL}/rest/v1`],
    ['Auth URL', `${env.SUPABASE_URL}/auth/v1`],
    ['Functions URL', `${env.SUPABASE_URL}/functions/v1`],
    ['JWKS URL', `${env.SUPABASE_URL}/auth/v1/.well-known/jwks.json`],
    ['DB URL', env.SUPABASE_DB_URL],
    ['Mailpit API URL', env.MAILPIT_URL],
    ['SMTP', `127.0.0.1:${ports.smtp}`],
    ['S3 URL', `${env.S3_ENDPOINT} (bucket ${env.S3_BUCKET}, region ${env.S3_REGION})`],
    ['S3 Access Key', env.S3_ACCESS_KEY_ID],
    ['S3 Secret Key', env.S3_SECRET_ACCESS_KEY],
    ['JWT secret', keys.jwtSecret],
    ['anon key', keys.anonKey],
    ['service_role key', keys.serviceRoleKey],
    ['Auth server', `GoTrue ${stack.authVersion} (supabase/auth)`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padStart(width)}: ${v}`).join('\n');
}
