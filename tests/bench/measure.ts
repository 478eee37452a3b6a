// The benchmark's measurements. Each one takes its baseline in the same run, right beside it.
import autocannon from 'autocannon';
import { importJWK, type JWK, SignJWT } from 'jose';
import type postgres from 'postgres';
import type { StorageConfig } from '../../shared/config.ts';
import { createS3Client } from '../../shared/s3.ts';
import { recordingDuration } from '../../functions/uploads/duration.ts';
import { verifiedKey } from '../../functions/uploads/service.ts';
import { MIN_PART_SIZE, readRange } from '../../functions/uploads/storage.ts';
import { type Actors, emailPrefix } from './dataset.ts';

// ---------------------------------------------------------------------------------------------------------------------
// statistics
// ---------------------------------------------------------------------------------------------------------------------

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  mean: number;
  min: number;
  max: number;
}

/** The nearest-rank percentile `p` (0 to 1) of samples sorted ascending. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** p50 of `a` ÷ p50 of `b`, from the unrounded samples (a 0.3 ms query's p50s rounded to 0.01 ms move it by 4%). */
export function medianRatio(a: number[], b: number[]): number {
  const median = (xs: number[]) => percentile([...xs].sort((x, y) => x - y), 0.5);
  return Math.round((median(a) / median(b)) * 100) / 100;
}

/** Nearest-rank percentiles over milliseconds, rounded to 0.01 ms. */
export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => percentile(sorted, p);
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    n: sorted.length,
    p50: r(rank(0.5)),
    p95: r(rank(0.95)),
    mean: r(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
    min: r(sorted[0] ?? NaN),
    max: r(sorted[sorted.length - 1] ?? NaN),
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// acting as a user, as PostgREST does
// ---------------------------------------------------------------------------------------------------------------------

export type AppRole = 'hiring_manager' | 'candidate' | 'admin';

/** The claims PostgREST would put in request.jwt.claims for this user's access token. */
export function userClaims(userId: string, appRole: AppRole, email = `${userId}@bench.test`) {
  return {
    sub: userId,
    role: 'authenticated',
    aud: 'authenticated',
    email,
    user_role: appRole,
    aal: 'aal1',
    session_id: crypto.randomUUID(),
    is_anonymous: false,
  };
}

type Tx = postgres.TransactionSql;

/** Runs `fn` in a transaction as `claims` (set local role + request.jwt.claims), or as service_role when null. */
async function inTransaction<T>(db: postgres.Sql, claims: Record<string, unknown> | null, fn: (tx: Tx) => Promise<T>) {
  return await db.begin(async (tx) => {
    const role = claims ? 'authenticated' : 'service_role';
    const jwt = claims ?? { role: 'service_role' };
    await tx`select set_config('role', ${role}, true), set_config('request.jwt.claims', ${JSON.stringify(jwt)}, true)`;
    return await fn(tx);
  }) as T;
}

// ---------------------------------------------------------------------------------------------------------------------
// 1. RLS overhead
// ---------------------------------------------------------------------------------------------------------------------

/** The set of campaigns a manager may read, written out by hand for the service-role baseline. */
const VIEWABLE = `(select c.id from public.campaigns c where c.owner_id = $1
                   union all
                   select cc.campaign_id from public.campaign_collaborators cc where cc.user_id = $1)`;

/** PostgREST answers with the rows as one JSON array, built in the database. */
const asJson = (inner: string) => `select coalesce(json_agg(_t), '[]')::text as body from (${inner}) _t`;

export interface RlsQuery {
  name: string;
  /** Who runs it through PostgREST. */
  actor: keyof Pick<Actors, 'dashboardManager' | 'bigCampaignOwner' | 'reviewer' | 'candidateUser'>;
  appRole: AppRole;
  /** As the user: RLS does the filtering. $1 = the user's id, $2 = the campaign where needed. */
  rls: string;
  /** As service_role (no RLS) with the equivalent filter written out. Same parameters. */
  service: string;
  campaign?: boolean;
}

export const RLS_QUERIES: RlsQuery[] = [
  {
    name: "recruiter's sessions list",
    actor: 'dashboardManager',
    appRole: 'hiring_manager',
    // interview_sessions?select=id,status,invited_at,deadline,campaigns(title),candidates(first_name,last_name,email)
    //   &order=invited_at.desc&limit=50
    rls: asJson(`
      select s.id, s.status, s.invited_at, s.deadline, c.title, ca.first_name, ca.last_name, ca.email
        from public.interview_sessions s
        left join lateral (select c1.title from public.campaigns c1 where c1.id = s.campaign_id) c on true
        left join lateral (select ca1.first_name, ca1.last_name, ca1.email from public.candidates ca1
                            where ca1.id = s.candidate_id) ca on true
       where $1::uuid is not null
       order by s.invited_at desc limit 50`),
    service: asJson(`
      select s.id, s.status, s.invited_at, s.deadline, c.title, ca.first_name, ca.last_name, ca.email
        from public.interview_sessions s
        left join lateral (select c1.title from public.campaigns c1 where c1.id = s.campaign_id) c on true
        left join lateral (select ca1.first_name, ca1.last_name, ca1.email from public.candidates ca1
                            where ca1.id = s.candidate_id) ca on true
       where s.campaign_id in ${VIEWABLE}
       order by s.invited_at desc limit 50`),
  },
  {
    name: "a campaign's responses",
    actor: 'bigCampaignOwner',
    appRole: 'hiring_manager',
    campaign: true,
    // video_responses?campaign_id=eq.<id>&order=created_at.desc&limit=100
    rls: asJson(`
      select v.id, v.session_id, v.question_id, v.take_number, v.status, v.is_submitted, v.duration_seconds,
             v.created_at
        from public.video_responses v
       where v.campaign_id = $2 and $1::uuid is not null
       order by v.created_at desc limit 100`),
    service: asJson(`
      select v.id, v.session_id, v.question_id, v.take_number, v.status, v.is_submitted, v.duration_seconds,
             v.created_at
        from public.video_responses v
       where v.campaign_id = $2 and $2 in ${VIEWABLE}
       order by v.created_at desc limit 100`),
  },
  {
    name: 'candidates list',
    actor: 'bigCampaignOwner',
    appRole: 'hiring_manager',
    // candidates?select=id,email,first_name,last_name&order=created_at.desc&limit=50
    rls: asJson(`
      select ca.id, ca.email, ca.first_name, ca.last_name
        from public.candidates ca
       where $1::uuid is not null
       order by ca.created_at desc limit 50`),
    service: asJson(`
      select ca.id, ca.email, ca.first_name, ca.last_name
        from public.candidates ca
       where ca.id in (select s.candidate_id from public.interview_sessions s where s.campaign_id in ${VIEWABLE})
       order by ca.created_at desc limit 50`),
  },
  {
    name: "a candidate's interviews",
    actor: 'candidateUser',
    appRole: 'candidate',
    // interview_sessions?select=id,status,deadline,invited_at,completed_at&order=invited_at.desc (as the candidate)
    rls: asJson(`
      select s.id, s.status, s.deadline, s.invited_at, s.completed_at
        from public.interview_sessions s
       where $1::uuid is not null
       order by s.invited_at desc`),
    service: asJson(`
      select s.id, s.status, s.deadline, s.invited_at, s.completed_at
        from public.interview_sessions s
       where s.candidate_id = (select ca.id from public.candidates ca where ca.user_id = $1)
       order by s.invited_at desc`),
  },
  {
    name: "reviewer's pending evaluations",
    actor: 'reviewer',
    appRole: 'hiring_manager',
    // rpc('pending_reviews', { p_limit: 50 }): PostgREST has no filter for "no evaluation of mine exists"
    rls: asJson(`
      select p.response_id as id, p.session_id, p.question_id, p.submitted_at
        from public.pending_reviews(50) p
       where $1::uuid is not null`),
    service: asJson(`
      select v.id, v.session_id, v.question_id, v.submitted_at
        from public.video_responses v
       where v.is_submitted and v.campaign_id in ${VIEWABLE}
         and not exists (select 1 from public.evaluations e where e.response_id = v.id and e.reviewer_id = $1)
       order by v.submitted_at, v.id limit 50`),
  },
];

export interface RlsResult {
  name: string;
  rls: Stats;
  service: Stats;
  /** p50 as the user / p50 as service role. */
  ratio: number;
  rows: { rls: number; service: number };
  indexes: { rls: string[]; service: string[] };
  seqScans: { rls: string[]; service: string[] };
  explain: { rls: string; service: string };
}

/** Index names and sequentially scanned tables of a text plan. */
export function planSummary(plan: string): { indexes: string[]; seqScans: string[] } {
  const indexes = new Set<string>();
  const seqScans = new Set<string>();
  for (
    const m of plan.matchAll(
      /(?:Index Scan|Index Only Scan|Index Scan Backward|Index Only Scan Backward) using (\S+) on (\S+)/g,
    )
  ) {
    indexes.add(m[1]);
  }
  for (const m of plan.matchAll(/Bitmap Index Scan on (\S+)/g)) indexes.add(m[1]);
  for (const m of plan.matchAll(/Seq Scan on (\S+)/g)) seqScans.add(m[1]);
  return { indexes: [...indexes].sort(), seqScans: [...seqScans].sort() };
}

async function explain(db: postgres.Sql, claims: Record<string, unknown> | null, query: string, params: string[]) {
  const rows = await inTransaction(
    db,
    claims,
    (tx) => tx.unsafe(`explain (analyze, costs off, timing off, summary off) ${query}`, params),
  );
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

/** A dataset the database measures run on: its database and its actors. */
export interface Dataset {
  db: postgres.Sql;
  actors: Actors;
}

/**
 * Each query `iterations` times per mode on each dataset, answered per dataset in the order given. The runs are
 * interleaved (every dataset, as the user then as service role, in turn), so that the machine's drift hits every
 * figure alike: the RLS ratio compares the two modes, the growth table the datasets.
 */
export async function measureRls(datasets: Dataset[], iterations: number, budgetMs = 30_000): Promise<RlsResult[][]> {
  const results: RlsResult[][] = datasets.map(() => []);
  for (const q of RLS_QUERIES) {
    const on = datasets.map(({ db, actors }) => {
      const userId = actors[q.actor];
      return {
        db,
        claims: userClaims(userId, q.appRole),
        params: q.campaign ? [userId, actors.bigCampaign] : [userId],
      };
    });
    const run = async (d: (typeof on)[number], asUser: boolean) =>
      await inTransaction(d.db, asUser ? d.claims : null, async (tx) => {
        const t0 = performance.now();
        const [row] = await tx.unsafe(asUser ? q.rls : q.service, d.params, { prepare: true });
        return { ms: performance.now() - t0, rows: (JSON.parse(row.body) as unknown[]).length };
      });
    // Warm-up: pages in shared buffers, and past the 5 custom plans after which a prepared statement (PostgREST
    // prepares every query) may switch to its generic plan.
    for (let i = 0; i < 6; i++) for (const d of on) await run(d, true), await run(d, false);
    const samples = on.map(() => ({ user: [] as number[], service: [] as number[], rows: { rls: 0, service: 0 } }));
    const started = performance.now();
    // A query that turns out very slow stops at its time budget (with at least 3 rounds) so the run still ends.
    for (let i = 0; i < iterations && (i < 3 || performance.now() - started < budgetMs); i++) {
      for (const [k, d] of on.entries()) {
        const a = await run(d, true);
        const b = await run(d, false);
        samples[k].user.push(a.ms);
        samples[k].service.push(b.ms);
        samples[k].rows = { rls: a.rows, service: b.rows };
      }
    }
    for (const [k, d] of on.entries()) {
      const { user, service, rows } = samples[k];
      const plans = {
        rls: await explain(d.db, d.claims, q.rls, d.params),
        service: await explain(d.db, null, q.service, d.params),
      };
      const s = { rls: planSummary(plans.rls), service: planSummary(plans.service) };
      results[k].push({
        name: q.name,
        rls: stats(user),
        service: stats(service),
        ratio: medianRatio(user, service),
        rows,
        indexes: { rls: s.rls.indexes, service: s.service.indexes },
        seqScans: { rls: s.rls.seqScans, service: s.service.seqScans },
        explain: plans,
      });
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------------------------------
// 2. analytics
// ---------------------------------------------------------------------------------------------------------------------

export interface AnalyticsResult {
  name: string;
  stats: Stats;
  detail: string;
}

interface AnalyticsCase {
  name: string;
  claims: ReturnType<typeof userClaims>;
  query: string;
  params: string[];
  /** Run as postgres before each timed run, untimed. */
  before?: string;
}

/** The analytics measures of one dataset. */
async function analyticsCases(db: postgres.Sql, actors: Actors): Promise<AnalyticsCase[]> {
  // The owner's rating that the write measure changes, found beforehand (untimed).
  const [rating] = await db`
    select e.id from public.evaluations e
     where e.campaign_id = ${actors.bigCampaign} and e.reviewer_id = ${actors.bigCampaignOwner}
     order by e.id limit 1`;
  return [
    {
      name: 'campaign report (big campaign), kept',
      claims: userClaims(actors.bigCampaignOwner, 'hiring_manager'),
      query: 'select public.campaign_report($1)::text as body',
      params: [actors.bigCampaign],
    },
    {
      // What the first reader after a write pays: before each run (untimed, as postgres) a rating of the campaign
      // changes, which drops the kept report.
      name: 'campaign report (big campaign), after a change',
      claims: userClaims(actors.bigCampaignOwner, 'hiring_manager'),
      query: 'select public.campaign_report($1)::text as body',
      params: [actors.bigCampaign],
      before: `update public.evaluations set score = 6 - score
                where id = (select e.id from public.evaluations e where e.campaign_id = $1 order by e.id limit 1)`,
    },
    {
      // The write the report's counts cost: the owner changes one of their ratings (RLS, audit, the kept report
      // dropped, the session's counts recomputed), in its own transaction.
      name: 'a rating changed (big campaign), the write',
      claims: userClaims(actors.bigCampaignOwner, 'hiring_manager'),
      query: `with changed as (update public.evaluations set score = 6 - score where id = $1 returning id)
              select json_build_object('updated', count(*))::text as body from changed`,
      params: [rating?.id ?? '00000000-0000-0000-0000-000000000000'],
    },
    {
      name: 'dashboard (manager with many campaigns)',
      claims: userClaims(actors.dashboardManager, 'hiring_manager'),
      query: 'select public.analytics_dashboard()::text as body',
      params: [],
    },
  ];
}

function describeBody(body: Record<string, unknown>): string {
  return 'funnel' in body
    ? `${(body.funnel as { invited: number }).invited} sessions, ${(body.questions as unknown[]).length} questions`
    : 'campaigns' in body
    ? `${(body.campaigns as { total: number }).total} campaigns, ${(body.sessions as { total: number }).total} sessions`
    : `${body.updated} row updated`;
}

/**
 * The SQL behind the analytics endpoints, as the user (the edge function adds one round trip and JSON encoding), on
 * each dataset, answered per dataset in the order given; the datasets' runs are interleaved, as in measureRls.
 */
export async function measureAnalytics(datasets: Dataset[], iterations: number): Promise<AnalyticsResult[][]> {
  const cases = await Promise.all(datasets.map(({ db, actors }) => analyticsCases(db, actors)));
  const results: AnalyticsResult[][] = datasets.map(() => []);
  for (let c = 0; c < cases[0].length; c++) {
    const run = async (k: number) => {
      const { db } = datasets[k];
      const measure = cases[k][c];
      if (measure.before) await db.unsafe(measure.before, measure.params);
      return await inTransaction(db, measure.claims, async (tx) => {
        const t0 = performance.now();
        const [row] = await tx.unsafe(measure.query, measure.params, { prepare: true });
        return { ms: performance.now() - t0, body: JSON.parse(row.body) as Record<string, unknown> };
      });
    };
    for (let i = 0; i < 6; i++) for (const k of datasets.keys()) await run(k);
    const samples = datasets.map(() => ({ ms: [] as number[], body: {} as Record<string, unknown> }));
    const started = performance.now();
    for (let i = 0; i < iterations && (i < 3 || performance.now() - started < 30_000); i++) {
      for (const k of datasets.keys()) {
        const r = await run(k);
        samples[k].ms.push(r.ms);
        samples[k].body = r.body;
      }
    }
    for (const k of datasets.keys()) {
      results[k].push({ name: cases[k][c].name, stats: stats(samples[k].ms), detail: describeBody(samples[k].body) });
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------------------------------
// 3. HTTP
// ---------------------------------------------------------------------------------------------------------------------

/** Signs access tokens the way the auth server does (ES256 with the stack's key, or the legacy HS256 secret). */
export type TokenSigner = (claims: Record<string, unknown>) => Promise<string>;

export async function tokenSigner(
  options: { issuer: string; privateJwk?: JWK; hs256Secret?: string },
): Promise<TokenSigner> {
  const now = () => Math.floor(Date.now() / 1000);
  if (options.privateJwk) {
    const key = await importJWK(options.privateJwk, 'ES256');
    return (claims) =>
      new SignJWT({ ...claims, iss: options.issuer, iat: now(), exp: now() + 3600 })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: options.privateJwk!.kid }).sign(key);
  }
  if (!options.hs256Secret) throw new Error('tokenSigner: a private JWK or the HS256 secret is needed');
  const secret = new TextEncoder().encode(options.hs256Secret);
  return (claims) =>
    new SignJWT({ ...claims, iss: options.issuer, iat: now(), exp: now() + 3600 })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
}

export interface HttpStats {
  name: string;
  url: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** Status codes seen, e.g. { "2xx": 9000 }. */
  statuses: Record<string, number>;
  available: boolean;
  note?: string;
}

interface Cannon {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  '1xx': number;
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
}

async function cannon(
  name: string,
  url: string,
  options: {
    connections: number;
    seconds: number;
    method: 'GET' | 'POST';
    /** Each request's body and headers, and its path when it is not the URL's. */
    body?: () => { body: string; headers: Record<string, string>; path?: string };
  },
): Promise<HttpStats> {
  const request = options.body
    ? {
      method: options.method,
      setupRequest: (req: Record<string, unknown>) => {
        const { body, headers, path } = options.body!();
        return {
          ...req,
          ...(path ? { path } : {}),
          body,
          headers: { ...(req.headers as Record<string, string> ?? {}), ...headers },
        };
      },
    }
    : { method: options.method };
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    requests: [request],
  }) as unknown as Cannon;
  return {
    name,
    url,
    requests: result.requests.total,
    rps: Math.round(result.requests.average * 10) / 10,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    statuses: { '2xx': result['2xx'], '4xx': result['4xx'], '5xx': result['5xx'] },
    available: true,
  };
}

/** A shorter run first, so that the measured one starts with warm connections, pools and JIT. */
const warmUp = (options: { connections: number; seconds: number }) => ({
  connections: options.connections,
  seconds: Math.max(1, Math.round(options.seconds / 5)),
});

const BARE_ENDPOINT = 'bare endpoint (GET health: 1 DB round trip, no JWT)';

/** Rounds of the bare endpoint and the measured one, one after the other: the ratio is the median round's. */
export const HTTP_ROUNDS = 3;

interface RoundsResult {
  bare: HttpStats;
  measured: HttpStats;
  ratio: number | null;
  /** Each round's ratio, in the order run. */
  rounds: Array<number | null>;
}

/**
 * The bare endpoint and `measure` in HTTP_ROUNDS alternating rounds of a share of `options.seconds` each, after one
 * warm-up of both: on a shared machine the throughput drifts by a third within a minute, and a single long run of
 * each compared whichever moments they fell on. Answers the stats of the round with the median ratio.
 */
async function interleavedWithBare(
  bareUrl: string,
  options: { connections: number; seconds: number },
  measure: (options: { connections: number; seconds: number }) => Promise<HttpStats>,
): Promise<RoundsResult> {
  await cannon('warm-up', bareUrl, { ...warmUp(options), method: 'GET' });
  await measure(warmUp(options));
  const share = { connections: options.connections, seconds: Math.max(1, Math.round(options.seconds / HTTP_ROUNDS)) };
  const runs: Array<{ bare: HttpStats; measured: HttpStats; ratio: number | null }> = [];
  for (let round = 0; round < HTTP_ROUNDS; round++) {
    const bare = await cannon(BARE_ENDPOINT, bareUrl, { ...share, method: 'GET' });
    const measured = await measure(share);
    runs.push({ bare, measured, ratio: rpsRatio(measured, bare) });
  }
  const ranked = [...runs].sort((a, b) => (a.ratio ?? -1) - (b.ratio ?? -1));
  const median = ranked[Math.floor(ranked.length / 2)];
  return { ...median, rounds: runs.map((r) => r.ratio) };
}

function notMeasured(name: string, url: string, note: string): HttpStats {
  return {
    name,
    url,
    requests: 0,
    rps: 0,
    p50: 0,
    p99: 0,
    non2xx: 0,
    errors: 0,
    statuses: {},
    available: false,
    note: `not measured: ${note}`,
  };
}

const rpsRatio = (candidate: HttpStats, bare: HttpStats) =>
  candidate.available && bare.rps ? Math.round((candidate.rps / bare.rps) * 100) / 100 : null;

/** The headers of a request made by one of the benchmark's candidates. */
async function asCandidate(u: Actors['uploads'][number], sign: TokenSigner): Promise<Record<string, string>> {
  return {
    'content-type': 'application/json',
    authorization: `Bearer ${await sign(userClaims(u.userId, 'candidate', u.email))}`,
  };
}

export interface HttpResult {
  bare: HttpStats;
  uploads: HttpStats;
  /** uploads rps / bare rps, of the median round. */
  ratio: number | null;
  /** Each round's ratio. */
  rounds: Array<number | null>;
}

/**
 * The uploads request endpoint (JWT verification, one DB round trip, signing) against the bare endpoint of the
 * same function (`/uploads/health`: one DB round trip, no JWT), through the gateway. Each uploads request is made
 * by one of the benchmark's in-progress candidates in turn; a repeat for the same question reuses the pending take.
 */
export async function measureHttp(
  functionsUrl: string,
  actors: Actors,
  sign: TokenSigner,
  options: { connections: number; seconds: number },
): Promise<HttpResult> {
  const probe = await fetch(`${functionsUrl}/uploads/health`);
  await probe.body?.cancel();
  const uploadsReady = probe.ok;
  const bareUrl = uploadsReady ? `${functionsUrl}/uploads/health` : `${functionsUrl}/analytics/health`;
  // Every request built before the clock starts: the client shares the machine, and its own work is not measured.
  const requests = await Promise.all(actors.uploads.map(async (u) => ({
    headers: await asCandidate(u, sign),
    body: JSON.stringify({
      session_id: u.sessionId,
      question_id: u.questionId,
      content_type: 'video/webm;codecs=vp8,opus',
      size_bytes: 2_000_000,
      duration_seconds: 42,
    }),
  })));
  let next = 0;
  const uploadBody = () => requests[next++ % requests.length];
  // One request first, so a broken endpoint is reported as such rather than measured.
  const first = uploadBody();
  const check = await fetch(`${functionsUrl}/uploads`, { method: 'POST', body: first.body, headers: first.headers });
  const checkText = await check.text();
  let result: RoundsResult;
  if (check.ok) {
    const name = 'uploads request (POST: JWT, 1 DB round trip, signing)';
    result = await interleavedWithBare(
      bareUrl,
      options,
      (o) => cannon(name, `${functionsUrl}/uploads`, { ...o, method: 'POST', body: uploadBody }),
    );
  } else {
    const note = `the first request answered ${check.status} ${checkText.slice(0, 200)}`;
    const bare = await cannon(BARE_ENDPOINT, bareUrl, { ...options, method: 'GET' });
    result = {
      bare,
      measured: notMeasured('uploads request (POST)', `${functionsUrl}/uploads`, note),
      ratio: null,
      rounds: [],
    };
  }
  const { bare, measured: uploads, ratio, rounds } = result;
  if (!uploadsReady) bare.note = 'the uploads function was not serving /uploads/health; measured /analytics/health';
  return { bare, uploads, ratio, rounds };
}

export interface PartSigningResult {
  /** Streaming takes the requests cycle over, one per candidate. */
  takes: number;
  bare: HttpStats;
  parts: HttpStats;
  /** parts rps / bare rps, of the median round. */
  ratio: number | null;
  /** Each round's ratio. */
  rounds: Array<number | null>;
}

const PART_URL = 'part URL (POST: JWT, 2 database transactions, a ListParts of the store, signing)';

export function partSigningNotMeasured(functionsUrl: string, takes: number, note: string): PartSigningResult {
  return {
    takes,
    bare: notMeasured(BARE_ENDPOINT, `${functionsUrl}/uploads/health`, 'the part URLs were not measured'),
    parts: notMeasured(PART_URL, `${functionsUrl}/uploads/{response_id}/parts`, note),
    ratio: null,
    rounds: [],
  };
}

/** How many part numbers each take's requests cycle through. */
const SIGNED_PARTS_PER_TAKE = 100;

/**
 * Upload while recording: each candidate starts a streaming take (POST /uploads, method stream), then the requests
 * cycle over those takes asking for the URL of one minimum-size part (POST /uploads/{id}/parts: JWT, the take and
 * its upload read, the stored parts listed from the store, signing), in rounds alternating with the bare endpoint.
 * A part URL stores nothing, so nothing ever counts against the size cap and a part number can be asked again.
 */
export async function measurePartSigning(
  functionsUrl: string,
  actors: Actors,
  sign: TokenSigner,
  options: { connections: number; seconds: number },
): Promise<PartSigningResult> {
  const takes: Array<{ path: string; headers: Record<string, string> }> = [];
  for (const u of actors.uploads) {
    const headers = await asCandidate(u, sign);
    const res = await fetch(`${functionsUrl}/uploads`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        session_id: u.sessionId,
        question_id: u.questionId,
        content_type: 'video/webm;codecs=vp8,opus',
        method: 'stream',
      }),
    });
    const grant = await res.json();
    if (!res.ok) {
      const note = `the streaming grant answered ${res.status} ${JSON.stringify(grant).slice(0, 200)}`;
      return partSigningNotMeasured(functionsUrl, takes.length, note);
    }
    takes.push({ path: new URL(`${functionsUrl}/uploads/${grant.response_id}/parts`).pathname, headers });
  }
  let next = 0;
  const partBody = () => {
    const n = next++;
    const take = takes[n % takes.length];
    const partNumber = 1 + Math.floor(n / takes.length) % SIGNED_PARTS_PER_TAKE;
    return { ...take, body: JSON.stringify({ part_number: partNumber, size_bytes: MIN_PART_SIZE }) };
  };
  // One request first, so a broken endpoint is reported as such rather than measured.
  const first = partBody();
  const check = await fetch(new URL(first.path, functionsUrl), {
    method: 'POST',
    headers: first.headers,
    body: first.body,
  });
  const checkText = await check.text();
  if (!check.ok) {
    const note = `the first request answered ${check.status} ${checkText.slice(0, 200)}`;
    return partSigningNotMeasured(functionsUrl, takes.length, note);
  }
  // autocannon takes one URL: each request sets its own take's path.
  const { bare, measured: parts, ratio, rounds } = await interleavedWithBare(
    `${functionsUrl}/uploads/health`,
    options,
    (o) => cannon(PART_URL, `${functionsUrl}/uploads`, { ...o, method: 'POST', body: partBody }),
  );
  parts.url = `${functionsUrl}/uploads/{response_id}/parts`;
  return { takes: takes.length, bare, parts, ratio, rounds };
}

// ---------------------------------------------------------------------------------------------------------------------
// 4. bulk invitations
// ---------------------------------------------------------------------------------------------------------------------

export type InviteFormat = 'json' | 'csv';

export interface InviteResult {
  rows: number;
  format: InviteFormat;
  seconds: number | null;
  created: number;
  errors: number;
  status: number | null;
  available: boolean;
  note?: string;
}

/**
 * POST /invitations/bulk?campaign_id= with `rows` new candidates as a JSON array or a CSV body, as the campaign's
 * owner: the time of the whole request (placeholder accounts, candidates, sessions, tokens and queued emails; the
 * sending happens after the answer). `label` names the addresses: `bench-<tag>-<label>-<format><rows>-<i>@bench.test`.
 */
export async function measureBulkInvite(
  functionsUrl: string,
  actors: Actors,
  sign: TokenSigner,
  rows: number,
  format: InviteFormat,
  label = 'invite',
): Promise<InviteResult> {
  const token = await sign(userClaims(actors.inviter, 'hiring_manager'));
  const invitations = Array.from({ length: rows }, (_, i) => ({
    email: `${emailPrefix(actors.tag)}${label}-${format}${rows}-${i}@bench.test`,
    first_name: 'Bulk',
    last_name: `Candidate ${i}`,
    locale: i % 2 ? 'fr' : 'en',
  }));
  const body = format === 'json' ? JSON.stringify(invitations) : [
    'email,first_name,last_name,locale',
    ...invitations.map((r) => `${r.email},${r.first_name},${r.last_name},${r.locale}`),
  ].join('\n');
  const contentType = format === 'json' ? 'application/json' : 'text/csv';
  const t0 = performance.now();
  let res: Response;
  try {
    res = await fetch(`${functionsUrl}/invitations/bulk?campaign_id=${actors.inviteCampaign}`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
      body,
    });
  } catch (error) {
    return { rows, format, seconds: null, created: 0, errors: 0, status: null, available: false, note: String(error) };
  }
  const text = await res.text();
  const seconds = Math.round((performance.now() - t0) / 10) / 100;
  if (!res.ok) {
    return {
      rows,
      format,
      seconds: null,
      created: 0,
      errors: 0,
      status: res.status,
      available: false,
      note: `answered ${res.status}: ${text.slice(0, 300)}`,
    };
  }
  const answer = JSON.parse(text);
  const results: Array<{ status: string }> = answer.results;
  return {
    rows,
    format,
    seconds,
    created: results.filter((r) => r.status === 'created').length,
    errors: results.filter((r) => r.status === 'error').length,
    status: res.status,
    available: true,
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// 5. complete (verification at the end of a take)
// ---------------------------------------------------------------------------------------------------------------------

export interface CompleteResult {
  takes: number;
  complete: Stats | null;
  /**
   * Plain complete: the same POST again once the take is uploaded. The function then skips the store entirely (no
   * HEAD, no duration read, no copy, no sweep): JWT, the take read, the database's submit (idempotent by then).
   */
  plain: Stats | null;
  /** What the verification adds: complete minus plain complete, at p50 and at p95. */
  added: { p50: number; p95: number } | null;
  /** The part of complete that reads the recording's duration from the store (ranged GETs), measured alone. */
  duration: Stats | null;
  available: boolean;
  note?: string;
}

const CLIP = await Deno.readFile(new URL('../fixtures/clip.webm', import.meta.url));

function completeNotMeasured(takes: number, note: string): CompleteResult {
  return { takes, complete: null, plain: null, added: null, duration: null, available: false, note };
}

/**
 * For `takes` candidates: a PUT grant, the real 1 s clip uploaded, then POST complete timed (HEAD, duration read,
 * copy to the verified key, the database's submit), and right after it the same POST again, which finds the take
 * uploaded and skips the verification (plain complete). Beside them, the duration read alone against the same
 * objects, so the share of the duration verification is its own figure.
 */
export async function measureComplete(
  functionsUrl: string,
  actors: Actors,
  sign: TokenSigner,
  storage: StorageConfig,
  takes: number,
): Promise<CompleteResult> {
  const samples: number[] = [];
  const plainSamples: number[] = [];
  const keys: string[] = [];
  for (const u of actors.uploads.slice(0, takes)) {
    const headers = await asCandidate(u, sign);
    const grantRes = await fetch(`${functionsUrl}/uploads`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        session_id: u.sessionId,
        question_id: u.questionId,
        content_type: 'video/webm',
        size_bytes: CLIP.length,
        method: 'put',
      }),
    });
    const grant = await grantRes.json();
    if (!grantRes.ok) {
      return completeNotMeasured(samples.length, `grant ${grantRes.status}: ${JSON.stringify(grant).slice(0, 200)}`);
    }
    const put = await fetch(grant.put.url, { method: 'PUT', body: CLIP, headers: { 'content-type': 'video/webm' } });
    await put.body?.cancel();
    const completeTake = () => timedPost(`${functionsUrl}/uploads/${grant.response_id}/complete`, headers);
    const verified = await completeTake();
    if (!verified.ok) {
      return completeNotMeasured(samples.length, `complete ${verified.status}: ${verified.text.slice(0, 200)}`);
    }
    const again = await completeTake();
    if (!again.ok) {
      return completeNotMeasured(samples.length, `plain complete ${again.status}: ${again.text.slice(0, 200)}`);
    }
    samples.push(verified.ms);
    plainSamples.push(again.ms);
    keys.push(verifiedKey(grant.object_key));
  }
  const store = { client: createS3Client(storage), bucket: storage.bucket };
  const durationSamples: number[] = [];
  for (const key of keys) {
    const t0 = performance.now();
    await recordingDuration(
      { size: CLIP.length, read: (start, end) => readRange(store, key, start, end) },
      'video/webm',
    );
    durationSamples.push(performance.now() - t0);
  }
  store.client.destroy();
  if (samples.length === 0) return completeNotMeasured(0, 'no take to complete');
  const [complete, plain] = [stats(samples), stats(plainSamples)];
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    takes: samples.length,
    complete,
    plain,
    added: { p50: r(complete.p50 - plain.p50), p95: r(complete.p95 - plain.p95) },
    duration: stats(durationSamples),
    available: true,
  };
}

/** One POST (with a JSON body when given), timed to the end of its answer. */
export async function timedPost(url: string, headers: Record<string, string>, body?: unknown) {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { ms: performance.now() - t0, ok: res.ok, status: res.status, text };
}
