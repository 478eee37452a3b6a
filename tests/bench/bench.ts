// One benchmark run against a running stack: generate the dataset, then the four measurements, each beside its
// baseline. The benchmark never fails a build: a part that cannot run (a function not deployed yet) is reported as
// not measured, and the run goes on.
import postgres from 'postgres';
import { cleanUp, generate, type Scale, tenthOf } from './dataset.ts';
import {
  type AnalyticsResult,
  type CompleteResult,
  type HttpResult,
  type InviteResult,
  measureAnalytics,
  measureBulkInvite,
  measureComplete,
  measureHttp,
  measureRls,
  type RlsResult,
  type TokenSigner,
} from './measure.ts';
import { type BenchResults, type GrowthPoint, machineInfo } from './report.ts';
import type { StorageConfig } from '../../shared/config.ts';

export interface BenchOptions {
  dbUrl: string;
  /** `${SUPABASE_URL}/functions/v1` */
  functionsUrl: string;
  sign: TokenSigner;
  scale: Scale;
  iterations: number;
  http: { connections: number; seconds: number };
  /** Rows per bulk invitation; each size is measured as JSON and as CSV. */
  inviteSizes: number[];
  /** Takes uploaded and completed for the complete measure (each needs its own upload session). */
  completeTakes: number;
  storage: StorageConfig;
  /** Delete the run's data afterwards (runs on a shared stack). */
  cleanUp: boolean;
  /**
   * Measure the database parts first on a dataset ten times smaller (tenthOf(scale)), deleted before the full one is
   * generated, for the growth table.
   */
  growth?: boolean;
  log?: (line: string) => void;
}

export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const log = options.log ?? (() => {});
  const startedAt = new Date().toISOString();
  const tag = crypto.randomUUID().slice(0, 8);
  const db = postgres(options.dbUrl, { max: 2, onnotice: () => {}, idle_timeout: 5 });
  try {
    const [{ version }] = await db`select split_part(version(), ' on ', 1) as version`;
    let growth: GrowthPoint | null = null;
    if (options.growth) {
      const scale = tenthOf(options.scale);
      const smallTag = crypto.randomUUID().slice(0, 8);
      log(`growth: generating the dataset ten times smaller (${JSON.stringify(scale)})`);
      const small = await generate(db, scale, smallTag);
      log(`growth: dataset in ${small.seconds.toFixed(1)} s: ${JSON.stringify(small.counts)}`);
      const rls = await measureRls(db, small.actors, options.iterations);
      for (const q of rls) log(`   ${q.name}: ${q.rls.p50} ms vs ${q.service.p50} ms = ${q.ratio}x`);
      const analytics = await measureAnalytics(db, small.actors, options.iterations);
      for (const a of analytics) log(`   ${a.name}: p50 ${a.stats.p50} ms, p95 ${a.stats.p95} ms (${a.detail})`);
      await cleanUp(db, smallTag);
      growth = { scale, counts: small.counts, seconds: small.seconds, rls, analytics };
    }
    log(`generating the dataset (${JSON.stringify(options.scale)})`);
    const generated = await generate(db, options.scale, tag);
    log(`dataset in ${generated.seconds.toFixed(1)} s: ${JSON.stringify(generated.counts)}`);
    const { actors, ...dataset } = generated;

    log('1. RLS overhead');
    const rls: RlsResult[] = await measureRls(db, actors, options.iterations);
    for (const q of rls) log(`   ${q.name}: ${q.rls.p50} ms vs ${q.service.p50} ms = ${q.ratio}x`);
    log('2. analytics');
    const analytics: AnalyticsResult[] = await measureAnalytics(db, actors, options.iterations);
    for (const a of analytics) log(`   ${a.name}: p50 ${a.stats.p50} ms, p95 ${a.stats.p95} ms (${a.detail})`);

    log('3. HTTP');
    let http: HttpResult | null = null;
    try {
      http = await measureHttp(options.functionsUrl, actors, options.sign, options.http);
      log(
        `   bare ${http.bare.rps} req/s, uploads ${
          http.uploads.available ? `${http.uploads.rps} req/s` : http.uploads.note
        }`,
      );
    } catch (error) {
      log(`   HTTP not measured: ${error}`);
    }
    log('4. bulk invite');
    const invites: InviteResult[] = [];
    // The bench invites 2,202 people within a minute; an account's budget is 1,000 new invitations and 1,000 new
    // accounts an hour (and the stricter tiers of accounts and organizations younger than a day apply to a fresh
    // dataset). The inviter and its organization are made established, and each measure's invitations and accounts
    // are moved out of the quota windows before the next one.
    await db`update public.profiles set created_at = now() - interval '30 days' where id = ${actors.inviter}`;
    await db`update public.organizations set created_at = now() - interval '30 days'
              where id in (select organization_id from public.organization_members where user_id = ${actors.inviter})`;
    for (const format of ['json', 'csv'] as const) {
      for (const rows of options.inviteSizes) {
        // The quotas count a ledger of uses, not the sessions: moving it back frees the budget.
        await db`update private.quota_uses set used_at = used_at - interval '2 days'
                  where account_id = ${actors.inviter}`;
        try {
          const invite = await measureBulkInvite(options.functionsUrl, actors, options.sign, rows, format);
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
      complete = await measureComplete(
        options.functionsUrl,
        actors,
        options.sign,
        options.storage,
        options.completeTakes,
      );
      log(
        `   ${
          complete.available
            ? `complete p50 ${complete.complete?.p50} ms, duration read p50 ${complete.duration?.p50} ms`
            : complete.note
        }`,
      );
    } catch (error) {
      log(`   complete not measured: ${error}`);
    }
    if (options.cleanUp) await cleanUp(db, tag);
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
      growth,
      settings: { iterations: options.iterations, ...options.http, inviteSizes: options.inviteSizes },
    };
  } finally {
    await db.end();
  }
}
