// The auth stand-in: a GoTrue-compatible auth server for the LOCAL stack and tests only. Never deployed.
//
// Why it exists: hosted Supabase runs GoTrue (supabase/auth), but GoTrue cannot be installed on these machines (the
// Go module proxy refuses every github.com/supabase/* module, and there is no Docker). So this server takes its place
// locally. It reads GoTrue's own GOTRUE_* variables, creates GoTrue's `auth` schema (same tables, columns and
// auth.uid()/role()/email()/jwt()), and serves the part of GoTrue's REST API that supabase-js (auth-js) and the admin
// API use, with GoTrue's JSON shapes and error codes. Product code and tests talk to it exactly as to real Supabase.
//
//   deno run -A stack/auth/server.ts migrate   create/update the auth schema, then exit
//   deno run -A stack/auth/server.ts serve     check the schema, then serve HTTP until SIGTERM/SIGINT
import postgres from 'postgres';
import { createApi } from './api.ts';
import { loadConfig, loadDbUrl } from './config.ts';
import { Tokens } from './tokens.ts';

const SCHEMA_VERSION = 'standin-1';
const schemaFile = new URL('./schema.sql', import.meta.url);

function connect(url: string, max = 10) {
  return postgres(url, { max, onnotice: () => {}, connection: { application_name: 'auth-standin' } });
}

async function migrate(sql: postgres.Sql): Promise<void> {
  const [{ ok }] = await sql`select has_schema_privilege('extensions', 'usage') as ok`;
  if (!ok) {
    throw new Error('the database role needs USAGE on schema extensions (pgcrypto hashes the passwords)');
  }
  // One transaction and an advisory lock, so two starts at once cannot interleave.
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('auth-standin-migrate'))`;
    await tx.unsafe(await Deno.readTextFile(schemaFile));
  });
}

async function isMigrated(sql: postgres.Sql): Promise<boolean> {
  const [{ exists }] = await sql`select to_regclass('auth.schema_migrations') is not null as exists`;
  if (!exists) return false;
  const rows = await sql`select 1 from auth.schema_migrations where version = ${SCHEMA_VERSION}`;
  return rows.length > 0;
}

async function main(): Promise<void> {
  const command = Deno.args[0] ?? 'serve';
  if (command === 'migrate') {
    const sql = connect(loadDbUrl(), 1);
    try {
      await migrate(sql);
      console.log(JSON.stringify({ level: 'info', msg: 'auth schema is up to date', version: SCHEMA_VERSION }));
    } finally {
      await sql.end();
    }
    return;
  }
  if (command !== 'serve') {
    console.error(`auth stand-in: unknown command ${command} (use migrate or serve)`);
    Deno.exit(2);
  }

  const config = loadConfig();
  const sql = connect(config.dbUrl);
  if (!(await isMigrated(sql))) await migrate(sql);
  const app = createApi(config, sql, new Tokens(config));

  const controller = new AbortController();
  const server = Deno.serve({
    hostname: config.host,
    port: config.port,
    signal: controller.signal,
    onListen: ({ hostname, port }) =>
      console.log(
        JSON.stringify({ level: 'info', msg: `auth stand-in (GoTrue API) listening on http://${hostname}:${port}` }),
      ),
  }, app.fetch);

  const stop = () => controller.abort();
  Deno.addSignalListener('SIGTERM', stop);
  Deno.addSignalListener('SIGINT', stop);
  await server.finished;
  await sql.end({ timeout: 5 });
}

try {
  await main();
} catch (error) {
  console.error(`auth stand-in: ${(error as Error).message}`);
  Deno.exit(1);
}
