// One benchmark run against a running stack: generate the dataset, then the measurements, each beside its baseline.
// The benchmark never fails a build: a part that cannot run (a function not deployed yet) is reported as not
// measured, and the run goes on.
import postgres from 'postgres';
import { cleanUp, generate, type Generated, type Scale, tenthOf } from './dataset.ts';
import {
  type AnalyticsResult,
  type CompleteResult,
  type Dataset,
  type HttpResult,
  type InviteResult,
  measureAnalytics,
  measureBulkInvite,
  measureComplete,
  measureHttp,
  measurePartSigning,
  measureRls,
  partSigningNotMeasured,
  type PartSigningResult,
  type RlsResult,
  type TokenSigner,
} from './measure.ts';
import { measureEmailOutbox, measureWebhooks, throughputNotMeasured, type ThroughputResult } from './delivery.ts';
import { measureSignIn, signInNotMeasured, type SignInResult } from './sign-in.ts';
import { type BenchResults, type GrowthPoint, machineInfo } from './report.ts';
import type { StorageConfig } from '../../shared/config.ts';

export interface BenchOptions {
  dbUrl: string;
  /** SUPABASE_URL: the gateway (functions under /functions/v1, GoTrue under /auth/v1). */
  apiUrl: string;
  keys: { anon: string; serviceRole: string };
  mailpitUrl: string;
  sign: TokenSigner;
  scale: Scale;
  iterations: number;
  http: { connections: number; seconds: number };
  /** Rows per bulk invitation; each size is measured as JSON and as CSV. */
  inviteSizes: number[];
  /** Takes uploaded and completed for the complete measure (each needs its own upload session). */
  completeTakes: number;
  /** Events queued at once for each outbox throughput measure (emails, webhooks). */
  deliveries: number;
  /** Activations, and as many link sign-ins (each uses an invitation of its own). */
  signIns: number;
  storage: StorageConfig;
  /** Delete the run's data afterwards (runs on a shared stack). */
  cleanUp: boolean;
  /**
   * The growth table: the database parts measured on a dataset ten times smaller (tenthOf(scale)) too, generated in
   * the database at `dbUrl`. That is a second Postgres of the same build, settings and schema (deno task bench starts
   * one), so that the full dataset is not among the small one's other tenants; each query's runs alternate between
   * the two. The smoke test passes its own database: it checks the pipeline, not the figures. `done` is called once
   * the database measures are over.
   */
  growth?: { dbUrl: string; done?: () => Promise<void> };
  log?: (line: string) => void;
}

/**
 * The inviter invites a few thousand people within minutes; an account's budget is 1,000 new invitations and 1,000 new
 * accounts an hour (and the stricter tiers of accounts and organizations younger than a day apply to a fresh
 * dataset). The inviter and its organization are made established once.
 */
async function establishInviter(db: postgres.Sql, inviter: string): Promise<void> {
  await db`update public.profiles set created_at = now() - interval '30 days' where id = ${inviter}`;
  await db`update public.organizations set created_at = now() - interval '30 days'
            where id in (select organization_id from public.organization_members where user_id = ${inviter})`;
}

/** The quotas count a ledger of uses, not the sessions: moving it out of the quota windows frees the budget. */
async function freeInviteQuota(db: postgres.Sql, inviter: string): Promise<void> {
  await db`update private.quota_uses set used_at = used_at - interval '2 days' where account_id = ${inviter}`;
}

function describeThroughput(r: ThroughputResult): string {
  return r.available
    ? `${r.delivered}/${r.events} in ${r.seconds} s = ${r.eventsPerSecond}/s, latency p50 ${r.latency?.p50} ms`
    : `not measured: ${r.note}`;
}

function describeSignIn(r: SignInResult): string {
  return r.available
    ? `activation p50 ${r.activation?.p50} ms (password sign-in ${r.passwordSignIn?.p50} ms), ` +
      `link p50 ${r.link?.p50} ms (magic link ${r.magicLink?.p50} ms)`
    : `not measured: ${r.note}`;
}

/** The database measures, 1. RLS overhead and 2. analytics, of each dataset (answered in the same order). */
async function measureDatabase(
  datasets: Dataset[],
  iterations: number,
  log: (line: string) => void,
): Promise<Array<{ rls: RlsResult[]; analytics: AnalyticsResult[] }>> {
  const label = (k: number) => (datasets.length > 1 ? `[${k === 0 ? 'full' : '1/10'}] ` : '');
  log('1. RLS overhead');
  const rls = await measureRls(datasets, iterations);
  for (const [k, results] of rls.entries()) {
    for (const q of results) log(`   ${label(k)}${q.name}: ${q.rls.p50} ms vs ${q.service.p50} ms = ${q.ratio}x`);
  }
  log('2. analytics');
  const analytics = await measureAnalytics(datasets, iterations);
  for (const [k, results] of analytics.entries()) {
    for (const a of results) log(`   ${label(k)}${a.name}: p50 ${a.stats.p50} ms, p95 ${a.stats.p95} ms (${a.detail})`);
  }
  return datasets.map((_, k) => ({ rls: rls[k], analytics: analytics[k] }));
}

export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const log = options.log ?? (() => {});
  const functionsUrl = `${options.apiUrl}/functions/v1`;
  const startedAt = new Date().toISOString();
  const tag = crypto.randomUUID().slice(0, 8);
  const db = postgres(options.dbUrl, { max: 2, onnotice: () => {}, idle_timeout: 5 });
  // Bulk loads and deletes run on a connection of their own, closed afterwards, so the measured queries never run in
  // a backend that has just loaded a dataset: PostgREST's pool never would, and such a backend answered the first
  // pass of queries slower (a candidate's interviews at 1.23-1.28x its baseline, 1.07x on fresh connections).
  const onLoader = async <T>(work: (loader: postgres.Sql) => Promise<T>, url = options.dbUrl): Promise<T> => {
    const loader = postgres(url, { max: 1, onnotice: () => {} });
    try {
      return await work(loader);
    } finally {
      await loader.end();
    }
  };
  const growthDb = options.growth
    ? postgres(options.growth.dbUrl, { max: 2, onnotice: () => {}, idle_timeout: 5 })
    : null;
  try {
    const [{ version }] = await db`select split_part(version(), ' on ', 1) as version`;
    let small: (Generated & { scale: Scale; tag: string }) | null = null;
    if (options.growth) {
      const scale = tenthOf(options.scale);
      const smallTag = crypto.randomUUID().slice(0, 8);
      log(`growth: generating the dataset ten times smaller (${JSON.stringify(scale)})`);
      small = {
        scale,
        tag: smallTag,
        ...await onLoader((loader) => generate(loader, scale, smallTag), options.growth.dbUrl),
      };
      log(`growth: dataset in ${small.seconds.toFixed(1)} s: ${JSON.stringify(small.counts)}`);
    }
    log(`generating the dataset (${JSON.stringify(options.scale)})`);
    const generated = await onLoader((loader) => generate(loader, options.scale, tag));
    log(`dataset in ${generated.seconds.toFixed(1)} s: ${JSON.stringify(generated.counts)}`);
    const { actors, ...dataset } = generated;

    const datasets: Dataset[] = [
      { db, actors },
      ...(small && growthDb ? [{ db: growthDb, actors: small.actors }] : []),
    ];
    const [{ rls, analytics }, smallMeasured] = await measureDatabase(datasets, options.iterations, log);
    let growth: GrowthPoint | null = null;
    if (small && smallMeasured) {
      growth = {
        scale: small.scale,
        counts: small.counts,
        seconds: small.seconds,
        ...smallMeasured,
        interleaved: true,
      };
      if (options.cleanUp) await onLoader((loader) => cleanUp(loader, small!.tag), options.growth!.dbUrl);
      await growthDb?.end();
      await options.growth?.done?.();
    }

    log('3. HTTP');
    let http: HttpResult | null = null;
    try {
      http = await measureHttp(functionsUrl, actors, options.sign, options.http);
      log(
        `   bare ${http.bare.rps} req/s, uploads ${
          http.uploads.available ? `${http.uploads.rps} req/s` : http.uploads.note
        } (median round; ratios ${http.rounds.join(', ')})`,
      );
    } catch (error) {
      log(`   HTTP not measured: ${error}`);
    }
    // Before complete, which completes the upload sessions (their one question submitted).
    log('6. part URLs while recording');
    const partSigning: PartSigningResult = await measurePartSigning(functionsUrl, actors, options.sign, options.http)
      .catch((error) => partSigningNotMeasured(functionsUrl, 0, String(error)));
    log(
      `   bare ${partSigning.bare.rps} req/s, part URLs ${
        partSigning.parts.available ? `${partSigning.parts.rps} req/s` : partSigning.parts.note
      } (median round; ratios ${partSigning.rounds.join(', ')})`,
    );
    await establishInviter(db, actors.inviter);
    // Before the bulk invitations, which leave up to two thousand emails queued (no scheduler sends them here) that
    // would stand in front of these.
    log('7. outbox throughput');
    const services = { functionsUrl, serviceRoleKey: options.keys.serviceRole, mailpitUrl: options.mailpitUrl };
    await freeInviteQuota(db, actors.inviter);
    const email = await measureEmailOutbox(services, actors, options.sign, options.deliveries)
      .catch((error) => throughputNotMeasured(options.deliveries, String(error)));
    log(`   emails: ${describeThroughput(email)}`);
    const webhooks = await measureWebhooks(db, services, actors, options.sign, options.deliveries)
      .catch((error) => throughputNotMeasured(options.deliveries, String(error)));
    log(`   webhooks: ${describeThroughput(webhooks)}`);
    log('8. activation and link sign-in');
    await freeInviteQuota(db, actors.inviter);
    const signIn = await measureSignIn(
      db,
      { apiUrl: options.apiUrl, anonKey: options.keys.anon, serviceRoleKey: options.keys.serviceRole },
      actors,
      options.signIns,
    ).catch((error) => signInNotMeasured(options.signIns, String(error)));
    log(`   ${describeSignIn(signIn)}`);
    log('4. bulk invite');
    const invites: InviteResult[] = [];
    for (const format of ['json', 'csv'] as const) {
      for (const rows of options.inviteSizes) {
        await freeInviteQuota(db, actors.inviter);
        try {
          const invite = await measureBulkInvite(functionsUrl, actors, options.sign, rows, format);
          invites.push(invite);
          log(`   ${rows} rows as ${format}: ${invite.available ? `${invite.seconds} s` : invite.note}`);
        } catch (error) {
          log(`   bulk invite of ${rows} rows as ${format} not measured: ${error}`);
        }
      }
    }
    log('5. complete');
    let complete: CompleteResult | null = null;
    try {
      complete = await measureComplete(functionsUrl, actors, options.sign, options.storage, options.completeTakes);
      log(
        `   ${
          complete.available
            ? `complete p50 ${complete.complete?.p50} ms, plain complete p50 ${complete.plain?.p50} ms, ` +
              `duration read p50 ${complete.duration?.p50} ms`
            : complete.note
        }`,
      );
    } catch (error) {
      log(`   complete not measured: ${error}`);
    }
    if (options.cleanUp) await onLoader((loader) => cleanUp(loader, tag));
    return {
      startedAt,
      scale: options.scale,
      machine: await machineInfo(version),
      dataset,
      rls,
      analytics,
      http,
      invites,
      complete,
      partSigning,
      email,
      webhooks,
      signIn,
      growth,
      settings: {
        iterations: options.iterations,
        ...options.http,
        inviteSizes: options.inviteSizes,
        deliveries: options.deliveries,
        signIns: options.signIns,
      },
    };
  } finally {
    await db.end();
    await growthDb?.end();
  }
}
