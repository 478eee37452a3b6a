// The benchmark's results as JSON and as the markdown table the README shows.
import type { Generated, Scale } from './dataset.ts';
import type { ThroughputResult } from './delivery.ts';
import type {
  AnalyticsResult,
  CompleteResult,
  HttpResult,
  HttpStats,
  InviteResult,
  PartSigningResult,
  RlsResult,
  Stats,
} from './measure.ts';
import { HTTP_ROUNDS } from './measure.ts';
import type { SignInResult } from './sign-in.ts';

export const TARGETS = {
  rlsRatio: 1.3,
  reportP95: 25,
  dashboardP95: 50,
  uploadsShareOfBare: 0.5,
  inviteSeconds: 15,
};

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  postgres: string;
  deno: string;
}

/** The database measures on the dataset ten times smaller (tenthOf), for the growth table. */
export interface GrowthPoint {
  scale: Scale;
  counts: Record<string, number>;
  seconds: number;
  rls: RlsResult[];
  analytics: AnalyticsResult[];
  /**
   * Measured in a database of its own beside the full dataset's, each query's runs alternating between the two. Runs
   * before 2026-12-03T19:00 measured the small dataset first, in the same database, minutes before the full one.
   */
  interleaved?: boolean;
}

export interface BenchResults {
  startedAt: string;
  scale: Scale;
  machine: Machine;
  dataset: Omit<Generated, 'actors'>;
  rls: RlsResult[];
  analytics: AnalyticsResult[];
  http: HttpResult | null;
  invites: InviteResult[];
  complete: CompleteResult | null;
  partSigning: PartSigningResult;
  email: ThroughputResult;
  webhooks: ThroughputResult;
  signIn: SignInResult;
  growth?: GrowthPoint | null;
  settings: {
    iterations: number;
    connections: number;
    seconds: number;
    inviteSizes: number[];
    /** Events per outbox throughput measure. */
    deliveries: number;
    /** Activations, and as many link sign-ins. */
    signIns: number;
  };
}

export async function machineInfo(postgresVersion: string): Promise<Machine> {
  const read = (path: string) => Deno.readTextFile(path).catch(() => '');
  const cpuinfo = await read('/proc/cpuinfo');
  const meminfo = await read('/proc/meminfo');
  const kb = Number(/MemTotal:\s+(\d+)/.exec(meminfo)?.[1] ?? 0);
  return {
    cpu: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    cores: navigator.hardwareConcurrency,
    memoryGiB: Math.round((kb / 1024 / 1024) * 10) / 10,
    os: `${Deno.build.os} ${Deno.osRelease()} (${Deno.build.arch})`,
    postgres: postgresVersion,
    deno: Deno.version.deno,
  };
}

const ms = (x: number) => `${x.toFixed(2)} ms`;
const percentiles = (x: Stats) => `p50 ${ms(x.p50)}, p95 ${ms(x.p95)}`;
const times = (a: Stats, b: Stats) => `${(a.p50 / b.p50).toFixed(2)}×`;
const met = (ok: boolean | null) => (ok === null ? 'n/a' : ok ? 'yes' : '**no**');
const n = (x: number) => x.toLocaleString('en-US');

export function toMarkdown(r: BenchResults): string {
  const lines: string[] = [];
  lines.push(
    `Run ${r.startedAt} on ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB RAM, ` +
      `${r.machine.os}; ${r.machine.postgres}; Deno ${r.machine.deno}. Everything (Postgres, PostgREST, auth, ` +
      `functions server, gateway and the load generator) shares this machine.`,
  );
  lines.push('');
  const c = r.dataset.counts;
  lines.push(
    `Dataset generated in ${r.dataset.seconds.toFixed(1)} s inside Postgres: ${n(c.hiring_managers ?? 0)} ` +
      `hiring managers, ${n(c.campaigns ?? 0)} campaigns, ${n(c.interview_sessions ?? 0)} sessions ` +
      `(${n(c.big_campaign_sessions ?? 0)} in the big campaign), ${n(c.video_responses ?? 0)} responses, ` +
      `${n(c.evaluations ?? 0)} evaluations, ${n(c.question_reveals ?? 0)} question reveals; the dashboard's manager ` +
      `owns ${n(c.dashboard_campaigns ?? 0)} campaigns.`,
  );
  lines.push('');
  lines.push('| # | Measure | Result | Baseline (same run) | Ratio | Target | Met |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const q of r.rls) {
    lines.push(
      `| 1 | RLS: ${q.name} (${q.rows.rls} rows) | p50 ${ms(q.rls.p50)}, p95 ${ms(q.rls.p95)} | ` +
        `service role + explicit filter: p50 ${ms(q.service.p50)}, p95 ${ms(q.service.p95)} | ${
          q.ratio.toFixed(2)
        }× | ` +
        `≤ ${TARGETS.rlsRatio}× | ${met(q.ratio <= TARGETS.rlsRatio)} |`,
    );
  }
  for (const a of r.analytics) {
    const target = a.name.startsWith('campaign')
      ? TARGETS.reportP95
      : a.name.startsWith('dashboard')
      ? TARGETS.dashboardP95
      : null;
    lines.push(
      `| 2 | ${a.name}: ${a.detail} | p50 ${ms(a.stats.p50)}, p95 ${ms(a.stats.p95)} | – | – | ` +
        `${target === null ? '–' : `p95 ≤ ${target} ms`} | ${target === null ? '–' : met(a.stats.p95 <= target)} |`,
    );
  }
  if (r.http) {
    const { bare, uploads } = r.http;
    const ratio = exactRatio(r.http.ratio, uploads, bare);
    lines.push(
      `| 3 | HTTP: POST /functions/v1/uploads, ${r.settings.connections} connections | ${throughputCell(uploads)} | ` +
        `${bareCell(bare)} | ${ratioCell(ratio, r.http.rounds)} | ≥ ${TARGETS.uploadsShareOfBare} | ` +
        `${met(ratio === null ? null : ratio >= TARGETS.uploadsShareOfBare)} |`,
    );
  }
  for (const i of r.invites ?? []) {
    lines.push(
      `| 4 | Bulk invite of ${
        n(i.rows)
      } candidates as ${i.format.toUpperCase()} (POST /functions/v1/invitations/bulk) | ` +
        `${
          i.available ? `${i.seconds} s (${i.created} created, ${i.errors} errors)` : i.note ?? 'not measured'
        } | – | – | ` +
        `≤ ${TARGETS.inviteSeconds} s | ${
          met(i.available && i.seconds !== null ? i.seconds <= TARGETS.inviteSeconds : null)
        } |`,
    );
  }
  if (r.complete) lines.push(completeRow(r.complete));
  lines.push(partSigningRow(r.partSigning, r.settings.connections));
  lines.push(
    deliveryRow(
      `Email outbox: ${r.email.events} invitation emails from one commit (POST /functions/v1/invitations/bulk) to ` +
        `Mailpit, sent by the request's after-response send and POST /functions/v1/invitations/outbox/run`,
      r.email,
    ),
    deliveryRow(
      `Webhooks: ${r.webhooks.events} session.invited events from one commit to a listener in the bench ` +
        `(signatures verified), sent by POST /functions/v1/webhooks/run`,
      r.webhooks,
    ),
  );
  lines.push(...signInRows(r.signIn));
  if (r.growth) lines.push('', ...growthMarkdown(r, r.growth));
  lines.push('');
  lines.push('Index use (EXPLAIN ANALYZE of each RLS query, as the user and as the service-role baseline):');
  lines.push('');
  lines.push('| Query | As the user: indexes | seq scans | Service role: indexes | seq scans |');
  lines.push('|---|---|---|---|---|');
  for (const q of r.rls) {
    const list = (xs: string[]) => (xs.length ? xs.map((x) => `\`${x}\``).join(', ') : '–');
    lines.push(
      `| ${q.name} | ${list(q.indexes.rls)} | ${list(q.seqScans.rls)} | ${list(q.indexes.service)} | ` +
        `${list(q.seqScans.service)} |`,
    );
  }
  lines.push('');
  lines.push(
    `Settings: ${r.settings.iterations} timed runs per query and mode (interleaved, after 6 warm-ups so that prepared statements reach their generic plans; at most 30 s per query), ` +
      `database times measured from a client on the same host around the query alone (role and claims are set first ` +
      `in the same transaction, as PostgREST does); HTTP with autocannon for ${r.settings.seconds} s per endpoint ` +
      `through the gateway after a warm-up, in ${HTTP_ROUNDS} rounds that alternate the bare endpoint and the ` +
      `measured one (the machine's throughput drifts within a minute), with the figures of the median round. ` +
      `Outbox throughput: ${r.settings.deliveries} events per outbox, the ` +
      `senders called back to back (the scheduled jobs call them every 10 s to a minute), latency from the commit ` +
      `(the moment it returned) to each arrival (Mailpit's receipt time; the listener's clock). Activation and link ` +
      `sign-in: ${r.settings.signIns} accounts each, one call at a time, each with an invitation of its own.`,
  );
  return lines.join('\n') + '\n';
}

function throughputCell(x: HttpStats): string {
  return x.available
    ? `${n(x.rps)} req/s, p50 ${x.p50} ms, p99 ${x.p99} ms (${n(x.requests)} requests, ${x.non2xx} non-2xx)`
    : x.note ?? 'not measured';
}

function bareCell(bare: HttpStats): string {
  return bare.available
    ? `GET ${new URL(bare.url).pathname}: ${n(bare.rps)} req/s, p50 ${bare.p50} ms, p99 ${bare.p99} ms`
    : '–';
}

function completeRow(k: CompleteResult): string {
  const result = k.complete && k.added
    ? `${percentiles(k.complete)} (the verification adds ${ms(k.added.p50)} at p50, ${ms(k.added.p95)} at p95)`
    : k.note ?? 'not measured';
  const baseline = k.plain
    ? `plain complete, the same POST again once the take is uploaded (JWT, take read, idempotent submit; no HEAD, ` +
      `duration read or copy): ${percentiles(k.plain)}; the duration read alone: ${
        k.duration ? percentiles(k.duration) : '–'
      }`
    : '–';
  return `| 5 | POST /functions/v1/uploads/{id}/complete of a 1 s WebM with its verification (HEAD, duration read, ` +
    `verified copy, submit), ${k.takes} takes | ${result} | ${baseline} | ` +
    `${k.complete && k.plain ? times(k.complete, k.plain) : '–'} | – | – |`;
}

function partSigningRow(s: PartSigningResult, connections: number): string {
  return `| 6 | HTTP: POST /functions/v1/uploads/{id}/parts (a 5 MiB part URL while recording), ${s.takes} streaming ` +
    `takes, ${connections} connections | ${throughputCell(s.parts)} | ${bareCell(s.bare)} | ` +
    `${ratioCell(exactRatio(s.ratio, s.parts, s.bare), s.rounds)} | – | – |`;
}

/** The median round's ratio from its own figures, unrounded: a ratio of 0.4989 does not meet a target of 0.5. */
function exactRatio(rounded: number | null, measured: { rps: number }, bare: { rps: number }): number | null {
  return rounded === null || !bare.rps ? null : measured.rps / bare.rps;
}

/** The median round's ratio, with every round's. */
function ratioCell(ratio: number | null, rounds: Array<number | null> = []): string {
  if (ratio === null) return '–';
  const each = rounds.map((x) => (x === null ? '–' : x.toFixed(2))).join(', ');
  return rounds.length > 1 ? `${ratio.toFixed(3)} (median of rounds ${each})` : ratio.toFixed(3);
}

function deliveryRow(name: string, t: ThroughputResult): string {
  const verified = t.verified === undefined ? '' : `, ${t.verified} signatures verified`;
  const result = t.available && t.latency
    ? `${t.eventsPerSecond} events/s (${t.delivered} of ${t.events} in ${t.seconds} s, the sender called ${t.runs}×` +
      `${verified}); commit to delivery ${percentiles(t.latency)}${t.note ? `; ${t.note}` : ''}`
    : `not measured: ${t.note}`;
  return `| 7 | ${name} | ${result} | – | – | – | – |`;
}

function signInRows(s: SignInResult): string[] {
  if (!s.available) {
    return [`| 8 | Activation and link sign-in against GoTrue | not measured: ${s.note} | – | – | – | – |`];
  }
  const row = (name: string, x: Stats | null, baselineName: string, baseline: Stats | null) =>
    `| 8 | ${name}, ${s.accounts} accounts | ${x ? percentiles(x) : '–'} | ${baselineName}: ${
      baseline ? percentiles(baseline) : '–'
    } | ${x && baseline ? times(x, baseline) : '–'} | – | – |`;
  return [
    row(
      "POST /functions/v1/activation (token consumed, password set through GoTrue's admin API, password sign-in)",
      s.activation,
      "GoTrue's password sign-in of the same accounts (POST /auth/v1/token?grant_type=password)",
      s.passwordSignIn,
    ),
    row(
      "POST /functions/v1/activation/link (token counted, a magic link made by GoTrue's admin API and verified)",
      s.link,
      "GoTrue's magic link of the same accounts, called directly (admin generate_link, then verify)",
      s.magicLink,
    ),
  ];
}

const datasetLine = (c: Record<string, number>) =>
  `${n(c.campaigns ?? 0)} campaigns, ${n(c.interview_sessions ?? 0)} sessions ` +
  `(${n(c.big_campaign_sessions ?? 0)} in the big campaign), ${n(c.video_responses ?? 0)} responses, ` +
  `${n(c.evaluations ?? 0)} evaluations`;

/**
 * Measures that read the big campaign, which shrinks with the dataset: they may grow as that campaign does. The others
 * read only the measured user's own data, which is the same at both sizes: they should stay flat.
 */
const GROWS_WITH_THE_CAMPAIGN = new Set([
  "a campaign's responses",
  'candidates list',
  "reviewer's pending evaluations",
  'campaign report (big campaign), after a change',
]);

/**
 * Each database measure at both sizes. A per-user query should stay flat while the other tenants' data grows ten
 * times; a measure over the big campaign may grow at most as the campaign does (ten times). For the RLS queries the
 * service-role baseline's own ratio is shown beside: it grows with its scans (and, in runs that measured the two
 * sizes one after the other, with any change in the machine's load between them).
 */
export function growthMarkdown(r: BenchResults, g: GrowthPoint): string[] {
  const lines = [
    `Growth: each database measure on a dataset ten times smaller (${datasetLine(g.counts)}; the measured users ` +
    `keep their own campaigns, the big campaign shrinks with the rest) and on the full one (${
      datasetLine(r.dataset.counts)
    }), ${
      g.interleaved
        ? 'same run: the smaller one in a second Postgres of the same build, settings and schema, started beside ' +
          "the first; each query's runs alternate between the two datasets, so that the machine's drift hits both " +
          'alike'
        : 'same run, same stack, the smaller one first'
    }.`,
    '',
    "| Measure | 1/10 dataset | Full dataset | Time ratio (p50, full ÷ 1/10) | Baseline's ratio | Expected | Met |",
    '|---|---|---|---|---|---|---|',
  ];
  const cell = (x: Stats, extra = '') => `p50 ${ms(x.p50)}, p95 ${ms(x.p95)}${extra}`;
  const ratioOf = (small: Stats, full: Stats) => Math.round((full.p50 / small.p50) * 100) / 100;
  const row = (name: string, small: Stats, full: Stats, extras: [string, string], baseline: string) => {
    const ratio = ratioOf(small, full);
    const linear = GROWS_WITH_THE_CAMPAIGN.has(name.replace(/^RLS: /, ''));
    // Flat: within 1.5× (two runs of a 1 ms query on a shared 2-core machine differ by that much).
    const limit = linear ? 10 : 1.5;
    lines.push(
      `| ${name} | ${cell(small, extras[0])} | ${cell(full, extras[1])} | ${ratio.toFixed(2)}× | ${baseline} | ${
        linear ? '≤ 10× (linear in the big campaign)' : 'flat (≤ 1.5×)'
      } | ${met(ratio <= limit)} |`,
    );
  };
  for (const q of r.rls) {
    const small = g.rls.find((x) => x.name === q.name);
    if (!small) continue;
    row(
      `RLS: ${q.name}`,
      small.rls,
      q.rls,
      [
        ` (${small.rows.rls} rows; ${small.ratio.toFixed(2)}× its baseline)`,
        ` (${q.rows.rls} rows; ${q.ratio.toFixed(2)}× its baseline)`,
      ],
      `${ratioOf(small.service, q.service).toFixed(2)}×`,
    );
  }
  for (const a of r.analytics) {
    const small = g.analytics.find((x) => x.name === a.name);
    if (!small) continue;
    row(a.name, small.stats, a.stats, [` (${small.detail})`, ` (${a.detail})`], '–');
  }
  return lines;
}

/** The plans in full, for the results folder. */
export function explainMarkdown(r: BenchResults): string {
  const parts = [`# EXPLAIN ANALYZE of the RLS queries (${r.startedAt})`, ''];
  for (const q of r.rls) {
    parts.push(
      `## ${q.name}`,
      '',
      'As the user (role authenticated + request.jwt.claims):',
      '',
      '```',
      q.explain.rls,
      '```',
      '',
      'As service_role with the explicit filter:',
      '',
      '```',
      q.explain.service,
      '```',
      '',
    );
  }
  return parts.join('\n');
}

/** Writes `<stamp>.json`, `<stamp>.md`, `<stamp>-explain.md` and the `latest.*` copies; returns the paths. */
export async function writeResults(dir: string, r: BenchResults): Promise<string[]> {
  await Deno.mkdir(dir, { recursive: true });
  const stamp = r.startedAt.replace(/[:.]/g, '-');
  const md = `# Benchmark ${r.startedAt}\n\n${toMarkdown(r)}`;
  const files: Array<[string, string]> = [
    [`${stamp}.json`, JSON.stringify(r, null, 2) + '\n'],
    [`${stamp}.md`, md],
    [`${stamp}-explain.md`, explainMarkdown(r)],
    ['latest.json', JSON.stringify(r, null, 2) + '\n'],
    ['latest.md', md],
  ];
  const paths = [];
  for (const [name, text] of files) {
    const path = `${dir}/${name}`;
    await Deno.writeTextFile(path, text);
    paths.push(path);
  }
  return paths;
}
