// The benchmark on a tiny dataset, inside the test suite, so that it cannot rot: every part runs end to end against
// the test stack and produces numbers. It asserts nothing about speed (the benchmark never fails a build).
import assert from 'node:assert/strict';
import postgres from 'postgres';
import { loadStorageConfig } from '../../shared/config.ts';
import { env } from '../support.ts';
import { runBench } from './bench.ts';
import { emailPrefix, SMOKE_SCALE, tenthOf } from './dataset.ts';
import { tokenSigner } from './measure.ts';
import { toMarkdown, writeResults } from './report.ts';

const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x);

Deno.test({
  name: 'the benchmark runs end to end on a tiny dataset and reports a number for every measure',
  // autocannon keeps sockets and timers of its own a moment after it resolves.
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const results = await runBench({
      dbUrl: env('SUPABASE_DB_URL'),
      apiUrl: env('SUPABASE_URL'),
      keys: { anon: env('SUPABASE_ANON_KEY'), serviceRole: env('SUPABASE_SERVICE_ROLE_KEY') },
      mailpitUrl: env('MAILPIT_URL'),
      sign: await tokenSigner({ issuer: `${env('SUPABASE_URL')}/auth/v1`, hs256Secret: env('SUPABASE_JWT_SECRET') }),
      scale: SMOKE_SCALE,
      iterations: 2,
      http: { connections: 4, seconds: 1 },
      inviteSizes: [1, 3],
      completeTakes: 2,
      deliveries: 3,
      signIns: 2,
      storage: loadStorageConfig(Deno.env.toObject()),
      cleanUp: true,
      // The test stack's own database: the smoke run checks the pipeline, not the growth figures.
      growth: { dbUrl: env('SUPABASE_DB_URL') },
    });

    assert.equal(results.dataset.counts.interview_sessions, SMOKE_SCALE.sessions);
    assert.equal(results.dataset.counts.video_responses, SMOKE_SCALE.responses);
    assert.equal(results.dataset.counts.evaluations, SMOKE_SCALE.evaluations);
    assert.equal(results.dataset.counts.big_campaign_sessions, SMOKE_SCALE.bigCampaignSessions);
    assert.equal(results.rls.length, 5);
    for (const q of results.rls) {
      assert.ok(finite(q.rls.p50) && finite(q.service.p50) && finite(q.ratio), q.name);
      assert.ok(q.explain.rls.length > 0 && q.explain.service.length > 0, `${q.name}: EXPLAIN captured`);
    }
    assert.equal(results.analytics.length, 4);
    for (const a of results.analytics) assert.ok(finite(a.stats.p50) && finite(a.stats.p95), a.name);
    assert.ok(results.growth, 'the growth measures ran');
    assert.equal(results.growth.counts.interview_sessions, tenthOf(SMOKE_SCALE).sessions);
    assert.deepEqual(results.growth.rls.map((q) => q.name), results.rls.map((q) => q.name));
    assert.deepEqual(results.growth.analytics.map((a) => a.name), results.analytics.map((a) => a.name));
    for (const a of results.growth.analytics) assert.ok(finite(a.stats.p50), `${a.name} at the smaller size`);
    assert.ok(results.http && results.http.bare.rps > 0, 'the bare endpoint was measured');
    assert.ok(results.http.uploads.available, results.http.uploads.note ?? 'the uploads endpoint answered 2xx');
    assert.ok(finite(results.http.uploads.rps) && results.http.uploads.rps > 0, 'the uploads endpoint was measured');
    assert.equal(results.http.uploads.non2xx, 0, 'every uploads request succeeded');
    assert.deepEqual(results.invites.map((i) => `${i.format} ${i.rows}`), ['json 1', 'json 3', 'csv 1', 'csv 3']);
    for (const invite of results.invites) {
      assert.ok(invite.available, invite.note ?? 'the bulk invitation answered 2xx');
      assert.ok(finite(invite.seconds), 'the bulk invitation was timed');
      assert.deepEqual([invite.created, invite.errors], [invite.rows, 0], 'every row was invited');
    }

    assert.ok(results.complete?.available, results.complete?.note ?? 'complete answered 200');
    assert.ok(finite(results.complete.complete?.p50) && finite(results.complete.duration?.p50), 'complete was timed');
    assert.equal(results.complete.plain?.n, results.complete.takes, 'plain complete was timed for every take');

    const { parts } = results.partSigning;
    assert.ok(parts.available, parts.note ?? 'the part URL endpoint answered 2xx');
    assert.equal(results.partSigning.takes, SMOKE_SCALE.uploadSessions, 'every candidate started a streaming take');
    assert.ok(parts.requests > 0 && parts.non2xx === 0, 'every part URL request succeeded');
    assert.ok(results.partSigning.bare.rps > 0, 'the bare endpoint was measured beside the part URLs');

    for (const [name, outbox] of [['emails', results.email], ['webhooks', results.webhooks]] as const) {
      assert.ok(outbox.available, outbox.note ?? `${name} arrived`);
      assert.deepEqual([outbox.events, outbox.delivered], [3, 3], `every ${name} event was delivered`);
      assert.equal(outbox.latency?.n, 3, `${name}: a latency for every event`);
    }
    assert.equal(results.webhooks.verified, 3, 'every webhook carried a valid signature');

    const { signIn } = results;
    assert.ok(signIn.available, signIn.note ?? 'activation and link sign-in answered 200');
    for (const s of [signIn.activation, signIn.passwordSignIn, signIn.link, signIn.magicLink]) {
      assert.equal(s?.n, 2, 'each sign-in and its GoTrue baseline was timed for every account');
    }

    const dir = await Deno.makeTempDir();
    try {
      const paths = await writeResults(dir, results);
      assert.ok(paths.some((p) => p.endsWith('latest.md')) && paths.some((p) => p.endsWith('latest.json')));
      const markdown = toMarkdown(results);
      assert.match(markdown, /\| 1 \| RLS: recruiter's sessions list/);
      assert.match(markdown, /\| 5 \| .* \| plain complete, .* \| [\d.]+× \|/);
      assert.match(markdown, /\| 6 \| .* \| [\d,.]+ req\/s, .* \| GET \/functions\/v1\/uploads\/health: /);
      assert.equal(markdown.match(/\| 7 \| .* \| [\d.]+ events\/s /g)?.length, 2, 'a throughput row per outbox');
      assert.equal(markdown.match(/\| 8 \| .* \| p50 .* \| [\d.]+× \|/g)?.length, 2, 'activation and link rows');
      assert.match(
        markdown,
        /\| RLS: recruiter's sessions list \| p50 .* \| p50 .* \| [\d.]+× \| [\d.]+× \| flat/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }

    // The run cleaned up after itself: nothing of it is left for the other tests to count.
    const db = postgres(env('SUPABASE_DB_URL'), { max: 1, onnotice: () => {} });
    try {
      const pattern = `bench-%`;
      const [{ users, candidates }] = await db`
        select (select count(*)::integer from auth.users where email like ${pattern} and email like '%@bench.test')
                 as users,
               (select count(*)::integer from public.candidates where email like ${pattern}
                   and email like '%@bench.test') as candidates`;
      assert.equal(users, 0);
      assert.equal(candidates, 0);
      assert.ok(emailPrefix('x').startsWith('bench-'));
    } finally {
      await db.end();
    }
  },
});
