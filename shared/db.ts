// The database: one postgres.js pool per function instance, and the two ways to use it.
//
// `asUser(claims, fn)` runs fn in a transaction as the caller, exactly as PostgREST runs a request: the token's role
// and the whole claim set are set transaction-locally, so RLS and auth.uid() apply to function code as they do to the
// SPA. `asService(fn)` runs as the connection's own role (postgres), past RLS: only for what the user must not do
// directly, and every call site says why.
//
// Round trips matter (the benchmark counts them). `prepare: false` (required behind Supabase's transaction pooler)
// makes postgres.js send every query that has parameters as two round trips (Parse/Describe, then Bind/Execute), so
// the claims step is sent as one parameterless simple-protocol message, pipelined with the first query of fn.
// Measured through a delaying proxy: asUser around one parameterless query takes 3 round trips (BEGIN, claims + query,
// COMMIT), the same as a bare transaction; each query with parameters adds one more (the Describe).
import postgres from 'postgres';
import { config } from './config.ts';

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

/** The claims `asUser` needs: a role and whatever else the token carried (sub, email, user_role...). */
export interface DbClaims {
  role: string;
  sub?: string;
  [claim: string]: unknown;
}

/** The roles a token may switch to; anything else runs as `authenticated`. */
const TOKEN_ROLES = new Set(['anon', 'authenticated', 'service_role']);

export function createSql(options: { dbUrl: string; dbPoolMax: number }): Sql {
  return postgres(options.dbUrl, {
    prepare: false,
    max: options.dbPoolMax,
    idle_timeout: 20,
    connect_timeout: 10,
    connection: { application_name: 'edge-functions' },
    // Notices (e.g. "relation already exists, skipping") are not errors; postgres.js would print them.
    onnotice: () => {},
  });
}

/** The pool of this function instance, created on first use from `config()`, so importing this module is free. */
export const sql: Sql = lazySql(() => createSql(config()));

/** A pool created by `create` on first use; `sql` is one. */
export function lazySql(create: () => Sql): Sql {
  let instance: Sql | undefined;
  const get = (): Sql => instance ??= create();
  // An arrow function target: callable (sql`...`, sql(identifier)) and without a non-configurable `prototype`.
  const target = (() => {}) as unknown as Sql;
  return new Proxy(target, {
    apply: (_target, _this, args: unknown[]) =>
      Reflect.apply(get() as unknown as (...a: unknown[]) => unknown, undefined, args),
    get: (_target, property) => Reflect.get(get(), property),
    has: (_target, property) => Reflect.has(get(), property),
  });
}

/** A string literal that is safe whatever `standard_conforming_strings` says: E'' with \ and ' escaped. */
export function sqlLiteral(value: string): string {
  return `E'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/**
 * The statements that make the rest of the transaction run as the token's bearer (what PostgREST does with
 * set_config). SET LOCAL rather than `select set_config(...)`: a utility statement is not planned and sends no row back
 * (the select echoed the whole claim set to the client on every call). The subject is set on its own as well:
 * auth.uid() reads `request.jwt.claim.sub` before it parses the whole claim set as jsonb, which took 6-7% of Postgres's
 * time for a retried upload request (pgbench, the benchmark's calls).
 */
export function claimsStatement(claims: DbClaims): string {
  const role = TOKEN_ROLES.has(claims.role) ? claims.role : 'authenticated';
  const subject = typeof claims.sub === 'string' ? `; set local request.jwt.claim.sub = ${sqlLiteral(claims.sub)}` : '';
  return `set local role ${role}; set local request.jwt.claims = ${sqlLiteral(JSON.stringify(claims))}${subject}`;
}

/**
 * Runs `fn` in a transaction as the user of `claims` (role + request.jwt.claims, transaction-local), so RLS applies.
 * Commits when fn resolves, rolls back when it throws.
 */
export async function asUser<T>(claims: DbClaims, fn: (tx: Tx) => Promise<T>, db: Sql = sql): Promise<T> {
  const statement = claimsStatement(claims);
  return await db.begin(async (tx) => {
    // Sent now, not awaited: fn's first query goes out in the same round trip, behind it.
    const setup = tx.unsafe(statement).execute();
    const work = fn(tx);
    // Marks a rejection of fn as handled while the setup is awaited; the rejection still reaches `await work` below.
    work.catch(() => {});
    try {
      await setup;
    } catch (error) {
      // Every query fn sent after the failed setup fails too (the transaction is aborted). Wait for fn to finish so
      // that nothing it does can reach the connection after the rollback, outside the transaction.
      await work.catch(() => {});
      throw error;
    }
    return await work;
  }) as T;
}

/**
 * Runs `fn` in a transaction as the connection's role, past RLS. Only for what the user must not do directly
 * (token hashes, the outbox, another user's rows on purpose); say why at the call site.
 */
export async function asService<T>(fn: (tx: Tx) => Promise<T>, db: Sql = sql): Promise<T> {
  return await db.begin(fn) as T;
}
