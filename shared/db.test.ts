// Needs a database: runs under `deno task test` (SUPABASE_DB_URL set), skipped otherwise. The SQL-building parts at
// the bottom run everywhere.
import assert from 'node:assert/strict';
import { asService, asUser, claimsStatement, createSql, lazySql, type Sql, sqlLiteral } from './db.ts';
import { fromPostgresError, isPostgresError } from './errors.ts';
import { createApp } from './http.ts';
import { createLogger } from './log.ts';
import { testConfig } from './testing.ts';

const dbUrl = Deno.env.get('SUPABASE_DB_URL');
const ignore = !dbUrl;

/** One connection, so that what a transaction leaves behind on its connection is visible to the next one. */
function oneConnection(): Sql {
  return createSql({ dbUrl: dbUrl ?? '', dbPoolMax: 1 });
}

async function withDb(fn: (db: Sql) => Promise<void>) {
  const db = oneConnection();
  try {
    await fn(db);
  } finally {
    await db.end();
  }
}

function userClaims(overrides: Record<string, unknown> = {}) {
  return {
    sub: crypto.randomUUID(),
    role: 'authenticated',
    aud: 'authenticated',
    email: 'ada@example.test',
    user_role: 'hiring_manager',
    exp: Math.floor(Date.now() / 1000) + 3600,
    ...overrides,
  };
}

Deno.test({
  name: 'asUser runs as authenticated with the claims PostgREST would set: auth.uid() is the sub',
  ignore,
  fn: () =>
    withDb(async (db) => {
      const claims = userClaims();
      const [row] = await asUser(claims, (tx) =>
        tx`select current_user as role, auth.uid() as uid, auth.jwt() ->> 'user_role' as user_role,
                  auth.jwt() ->> 'email' as email`, db);
      assert.deepEqual({ ...row }, {
        role: 'authenticated',
        uid: claims.sub,
        user_role: 'hiring_manager',
        email: 'ada@example.test',
      });
    }),
});

Deno.test({
  name: 'asUser applies RLS: a user sees only the rows a policy gives them, the service sees all',
  ignore,
  fn: () =>
    withDb(async (db) => {
      const alice = crypto.randomUUID();
      const bob = crypto.randomUUID();
      // A temp table lives on this session's only connection and vanishes with it.
      await asService(async (tx) => {
        await tx`create temp table rls_probe (owner uuid not null, note text not null)`;
        await tx`alter table rls_probe enable row level security`;
        await tx`create policy "Owners read their probes" on rls_probe for select to authenticated using (owner = (select auth.uid()))`;
        await tx`grant select on rls_probe to authenticated`;
        await tx`insert into rls_probe values (${alice}, 'alice'), (${bob}, 'bob')`;
      }, db);
      const seen = await asUser(userClaims({ sub: alice }), (tx) => tx`select note from rls_probe order by note`, db);
      assert.deepEqual(seen.map((r) => r.note), ['alice']);
      const all = await asService((tx) => tx`select note from rls_probe order by note`, db);
      assert.deepEqual(all.map((r) => r.note), ['alice', 'bob']);
    }),
});

Deno.test({
  name: 'claims with quotes and backslashes reach the database intact',
  ignore,
  fn: () =>
    withDb(async (db) => {
      const claims = userClaims({
        email: "o'brien@example.test",
        user_metadata: { note: `it's a \\ back\\slash "quoted" '); drop table x; --`, emoji: 'é😀' },
      });
      const [row] = await asUser(claims, (tx) => tx`select auth.jwt() as jwt`, db);
      assert.deepEqual(row.jwt, claims);
    }),
});

Deno.test({
  name: 'the token role decides the database role; an unknown role falls back to authenticated',
  ignore,
  fn: () =>
    withDb(async (db) => {
      const roleOf = async (role: string) =>
        (await asUser({ role, sub: crypto.randomUUID() }, (tx) => tx`select current_user as r`, db))[0].r;
      assert.equal(await roleOf('anon'), 'anon');
      assert.equal(await roleOf('service_role'), 'service_role');
      assert.equal(await roleOf('postgres'), 'authenticated');
      assert.equal(await roleOf('supabase_admin'), 'authenticated');
    }),
});

Deno.test({
  name: 'after asUser the pooled connection is back to its own role with no claims, after a commit or a throw',
  ignore,
  fn: () =>
    withDb(async (db) => {
      const state = async () => ({
        ...(await db`select current_user as role, coalesce(current_setting('request.jwt.claims', true), '') as claims`)[
          0
        ],
      });
      await asUser(userClaims(), (tx) => tx`select 1`, db);
      assert.deepEqual(await state(), { role: 'postgres', claims: '' });
      await assert.rejects(
        asUser(userClaims(), async (tx) => {
          await tx`select 1`;
          throw new Error('handler failed');
        }, db),
        /handler failed/,
      );
      assert.deepEqual(await state(), { role: 'postgres', claims: '' });
    }),
});

Deno.test({
  name: 'asUser commits when fn resolves and rolls back when it throws',
  ignore,
  fn: () =>
    withDb(async (db) => {
      // Settings changed with is_local = false are transactional: they survive a commit, not a rollback.
      const marker = async () => (await db`select coalesce(current_setting('probe.marker', true), '') as v`)[0].v;
      await assert.rejects(asUser(userClaims(), async (tx) => {
        await tx`select set_config('probe.marker', 'rolled-back', false)`;
        throw new Error('no');
      }, db));
      assert.equal(await marker(), '');
      await asUser(userClaims(), (tx) => tx`select set_config('probe.marker', 'committed', false)`, db);
      assert.equal(await marker(), 'committed');
    }),
});

Deno.test({
  name: 'a query RLS refuses surfaces as a PostgresError that maps to 403',
  ignore,
  fn: () =>
    withDb(async (db) => {
      await asService(async (tx) => {
        await tx`create temp table rls_write_probe (owner uuid not null)`;
        await tx`alter table rls_write_probe enable row level security`;
        await tx`create policy "Owners insert their probes" on rls_write_probe for insert to authenticated with check (owner = (select auth.uid()))`;
        await tx`grant insert on rls_write_probe to authenticated`;
      }, db);
      const error = await asUser(userClaims(), (tx) =>
        tx`insert into rls_write_probe values (${crypto.randomUUID()})`, db).then(
          () =>
            null,
          (e: unknown) =>
            e,
        );
      assert.ok(isPostgresError(error), `expected a PostgresError, got ${error}`);
      assert.equal(error.code, '42501');
      assert.equal(fromPostgresError(error).status, 403);
    }),
});

Deno.test({
  name: 'an error in fn before any query still rolls back and rejects with that error',
  ignore,
  fn: () =>
    withDb(async (db) => {
      await assert.rejects(asUser(userClaims(), () => Promise.reject(new RangeError('early')), db), RangeError);
      assert.equal((await db`select 1 as one`)[0].one, 1);
    }),
});

Deno.test({
  name: '/health does one database round trip and answers ok, without a token',
  ignore,
  fn: async () => {
    const db = oneConnection();
    try {
      const app = createApp('healthdemo', {
        config: testConfig({ SUPABASE_DB_URL: dbUrl }),
        sql: db,
        logger: createLogger({ level: 'error', sink: () => {} }),
      });
      const res = await app.request('/healthdemo/health');
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok' });
    } finally {
      await db.end();
    }
  },
});

Deno.test({
  name: 'the lazy pool is created on first use and forwards queries, transactions and end()',
  ignore,
  fn: async () => {
    let created = 0;
    const lazy = lazySql(() => {
      created++;
      return oneConnection();
    });
    assert.equal(created, 0);
    assert.equal((await lazy`select 2 as two`)[0].two, 2);
    const [row] = await asUser(userClaims(), (tx) => tx`select current_user as r`, lazy);
    assert.equal(row.r, 'authenticated');
    assert.equal(created, 1);
    await lazy.end();
  },
});

// ---------------------------------------------------------------------------------------------------------------------
// no database needed
// ---------------------------------------------------------------------------------------------------------------------

Deno.test('sqlLiteral escapes quotes and backslashes for an E string', () => {
  assert.equal(sqlLiteral(`a'b\\c`), `E'a''b\\\\c'`);
});

Deno.test('the claims statement sets role and claims transaction-locally, with an allow-listed role', () => {
  const statement = claimsStatement({ role: "authenticated'; drop table x; --", sub: 'u' });
  assert.match(
    statement,
    /^set local role authenticated; set local request\.jwt\.claims = E'.*'; set local request\.jwt\.claim\.sub = E'u'$/,
  );
  assert.ok(statement.includes(`"role":"authenticated''; drop table x; --"`), 'the quote inside the claims is doubled');
  assert.ok(claimsStatement({ role: 'authenticated', sub: "u'; --" }).endsWith(`claim.sub = E'u''; --'`));
  assert.ok(!claimsStatement({ role: 'anon' }).includes('claim.sub'), 'no subject, no claim.sub');
});

Deno.test({
  name: 'the subject set for auth.uid() ends with the transaction, like the claims: the next user never gets it',
  ignore,
  fn: () =>
    withDb(async (db) => {
      const claims = userClaims();
      await asUser(claims, (tx) => tx`select 1`, db);
      const [anon] = await asUser({ role: 'anon' }, (tx) =>
        tx`select auth.uid() as uid, current_setting('request.jwt.claim.sub', true) as sub`, db);
      assert.deepEqual({ ...anon }, { uid: null, sub: '' });
    }),
});
