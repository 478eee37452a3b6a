// Signed webhooks through the gateway, against real GoTrue, PostgREST, storage and the webhooks function: an ATS
// (a local listener on a free port, plain http to 127.0.0.1, which the test stack allows) verifies every message with
// the standardwebhooks library, receives each event type once per change, sees a retry after a 500, and refuses a
// tampered body. Endpoints are managed by the organization's owner; other companies see and do nothing.
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { createInterviewFixture, superuser, withoutTriggers } from './fixtures.ts';
import { hiringManager, latestMailText, mailsArrived, runOutbox, type SignedIn } from './invitations-support.ts';
import { env } from './support.ts';
import { sendWithGrant, uploads, WEBM } from './uploads-support.ts';

interface Received {
  id: string;
  body: string;
  headers: Record<string, string>;
}

/** The ATS: records every request and answers what `answer` says (200 by default). */
function listener(answer: (n: number) => number = () => 200) {
  const received: Received[] = [];
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, async (req) => {
    const body = await req.text();
    received.push({ id: req.headers.get('webhook-id') ?? '', body, headers: Object.fromEntries(req.headers) });
    const status = answer(received.length);
    return new Response(status === 200 ? 'thanks' : 'ATS down', { status });
  });
  return { url: `http://127.0.0.1:${server.addr.port}/ats/hooks`, received, close: () => server.shutdown() };
}

async function webhooks(path: string, options: { token?: string; body?: unknown; raw?: string } = {}) {
  const headers: Record<string, string> = { apikey: env('SUPABASE_ANON_KEY') };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${env('SUPABASE_URL')}/functions/v1/webhooks${path}`, { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the assertion message
  }
  // deno-lint-ignore no-explicit-any
  return { status: res.status, body: parsed as any };
}

/** Runs the worker until nothing is due (the scheduled job does the same every 10 seconds to a minute). */
async function runWorker() {
  const totals = { claimed: 0, succeeded: 0, retrying: 0, failed: 0, disabled_endpoints: 0 };
  for (let i = 0; i < 10; i++) {
    const run = await webhooks('/run', { token: env('SUPABASE_SERVICE_ROLE_KEY'), body: {} });
    assert.equal(run.status, 200, JSON.stringify(run.body));
    for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += run.body[key];
    if (run.body.claimed === 0) break;
  }
  return totals;
}

async function organizationOf(manager: SignedIn): Promise<string> {
  const { data, error } = await manager.client.from('organizations').select('id');
  assert.equal(error, null);
  return data![0].id;
}

async function register(manager: SignedIn, url: string, eventTypes: string[], campaignId?: string) {
  const created = await webhooks('/endpoints', {
    token: manager.accessToken,
    body: { organization_id: await organizationOf(manager), url, event_types: eventTypes, campaign_id: campaignId },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body as { id: string; secret: string };
}

const ALL_EVENTS = [
  'session.invited',
  'session.started',
  'session.completed',
  'session.expired',
  'session.withdrawn',
  'response.submitted',
  'evaluation.created',
  'decision.made',
  'session.erased',
];

Deno.test('webhooks: the ATS receives each event type once per change, signed, and refuses a tampered body', async () => {
  const ats = listener();
  try {
    const manager = await hiringManager('Webhook Corp');
    const endpoint = await register(manager, ats.url, ALL_EVENTS);
    assert.match(endpoint.secret, /^whsec_[A-Za-z0-9+/]+=*$/);

    // Invited and started (the fixture), one answer uploaded and submitted, which completes the one-question session.
    const f = await createInterviewFixture({ manager });
    const grant = await uploads('', {
      token: f.candidate.accessToken,
      body: {
        session_id: f.sessionId,
        question_id: f.questionIds[0],
        content_type: 'video/webm;codecs=vp8,opus',
        size_bytes: WEBM.length,
        duration_seconds: 1,
      },
    });
    assert.equal(grant.status, 201, JSON.stringify(grant.body));
    const sent = await sendWithGrant(grant.body, WEBM);
    await sent.body?.cancel();
    const done = await uploads(`/${grant.body.response_id}/complete`, {
      token: f.candidate.accessToken,
      method: 'POST',
    });
    assert.equal(done.body.session_status, 'completed', JSON.stringify(done.body));
    // Rated and decided.
    const rated = await manager.client.from('evaluations').insert({ response_id: grant.body.response_id, score: 4 });
    assert.equal(rated.error, null);
    const decided = await manager.client.from('session_decisions').insert({
      session_id: f.sessionId,
      decision: 'advance',
    });
    assert.equal(decided.error, null);
    // A second candidate withdraws; a third one's deadline passes, they are given a new one, then erased.
    const second = await f.addCandidate({ start: false, reveal: false });
    const withdrawn = await second.candidate.client.rpc('withdraw_interview', { p_session_id: second.sessionId });
    assert.equal(withdrawn.error, null);
    const third = await f.addCandidate({ start: false, reveal: false });
    await withoutTriggers((tx) =>
      tx`update public.interview_sessions set deadline = now() - interval '1 minute' where id = ${third.sessionId}`
    );
    await superuser((sql) => sql`select public.expire_overdue_sessions()`);
    // Reopened with a new deadline: invited again.
    const reopened = await manager.client.rpc('reopen_session', {
      p_session_id: third.sessionId,
      p_deadline: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    });
    assert.equal(reopened.error, null, JSON.stringify(reopened.error));
    const erased = await manager.client.rpc('erase_session', { p_session_id: third.sessionId });
    assert.equal(erased.error, null);

    const totals = await runWorker();
    assert.equal(totals.failed, 0);
    const types = ats.received.map((r) => JSON.parse(r.body).type).sort();
    assert.deepEqual(types, [
      'decision.made',
      'evaluation.created',
      'response.submitted',
      'session.completed',
      'session.erased',
      'session.expired',
      'session.invited',
      'session.invited',
      'session.invited',
      'session.invited',
      'session.started',
      'session.withdrawn',
    ]);
    assert.equal(new Set(ats.received.map((r) => r.id)).size, ats.received.length, 'one webhook-id per delivery');

    const verifier = new Webhook(endpoint.secret);
    for (const message of ats.received) {
      const verified = verifier.verify(message.body, message.headers) as {
        type: string;
        data: Record<string, unknown>;
      };
      assert.equal(message.headers['user-agent'], 'interviews-webhooks/1');
      assert.doesNotMatch(message.body, /object_key|campaigns\/|token/i, `${verified.type} carries no key or token`);
      if (verified.type.startsWith('session.') && verified.type !== 'session.erased') {
        assert.equal(verified.data.campaign_id, f.campaignId);
      }
    }
    const completed = ats.received.find((r) => JSON.parse(r.body).type === 'session.completed')!;
    const data = JSON.parse(completed.body).data;
    assert.equal(data.session_id, f.sessionId);
    assert.equal(data.status, 'completed');
    assert.equal(data.candidate.email, f.candidate.email);
    const submitted = JSON.parse(ats.received.find((r) => JSON.parse(r.body).type === 'response.submitted')!.body);
    assert.equal(submitted.data.response_id, grant.body.response_id);
    assert.equal(submitted.data.take_number, 1);

    // Tampering with a received body, or signing with another secret, fails the library's verification.
    const tampered = completed.body.replace('"completed"', '"withdrawn"');
    assert.notEqual(tampered, completed.body);
    assert.throws(() => verifier.verify(tampered, completed.headers), /No matching signature/);
    const late = { ...completed.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 3600) };
    assert.throws(() => verifier.verify(completed.body, late), /too old/i);

    // The owner reads every delivery and attempt through PostgREST.
    const { data: deliveries } = await manager.client.from('webhook_deliveries').select('id, status, attempts');
    assert.equal(deliveries!.length, 12);
    assert.ok(deliveries!.every((d) => d.status === 'succeeded' && d.attempts === 1));
    const { data: attempts } = await manager.client.from('webhook_delivery_attempts')
      .select('status_code, outcome, response_excerpt, duration_ms');
    assert.equal(attempts!.length, 12);
    assert.ok(
      attempts!.every((a) => a.status_code === 200 && a.outcome === 'succeeded' && a.response_excerpt === 'thanks'),
    );
  } finally {
    await ats.close();
  }
});

Deno.test('webhooks: a 500 is retried with backoff, every attempt is logged, and the owner can replay', async () => {
  const ats = listener((n) => (n === 1 ? 500 : 200));
  try {
    const manager = await hiringManager('Retry Corp');
    const endpoint = await register(manager, ats.url, ['session.invited']);
    const f = await createInterviewFixture({ manager, start: false, reveal: false });

    assert.equal((await runWorker()).retrying, 1);
    assert.equal(ats.received.length, 1);
    const [delivery] = (await manager.client.from('webhook_deliveries').select('id, status, attempts, next_attempt_at'))
      .data!;
    assert.equal(delivery.status, 'pending');
    const wait = Date.parse(delivery.next_attempt_at) - Date.now();
    assert.ok(wait > 20_000 && wait <= 31_000, `the first retry waits 30 seconds (${wait} ms)`);
    assert.equal((await runWorker()).claimed, 0, 'nothing is sent before the retry is due');

    await superuser((sql) =>
      sql`update public.webhook_deliveries set next_attempt_at = now() where id = ${delivery.id}`
    );
    assert.equal((await runWorker()).succeeded, 1);
    assert.equal(ats.received.length, 2);
    assert.equal(ats.received[0].id, ats.received[1].id, 'a retry keeps its webhook-id');
    const verifier = new Webhook(endpoint.secret);
    for (const r of ats.received) {
      assert.equal((verifier.verify(r.body, r.headers) as { type: string }).type, 'session.invited');
    }
    assert.equal(JSON.parse(ats.received[1].body).data.session_id, f.sessionId);

    const { data: attempts } = await manager.client.from('webhook_delivery_attempts')
      .select('status_code, outcome, response_excerpt').order('attempted_at');
    assert.deepEqual(attempts, [
      { status_code: 500, outcome: 'http_error', response_excerpt: 'ATS down' },
      { status_code: 200, outcome: 'succeeded', response_excerpt: 'thanks' },
    ]);

    // Another company neither sees the delivery nor replays it; the owner does, and it is sent at once.
    const stranger = await hiringManager('Other Corp');
    assert.deepEqual((await stranger.client.from('webhook_deliveries').select('id')).data, []);
    assert.deepEqual((await stranger.client.from('webhook_delivery_attempts').select('id')).data, []);
    assert.deepEqual((await stranger.client.from('webhook_endpoints').select('id')).data, []);
    const refused = await webhooks(`/deliveries/${delivery.id}/replay`, { token: stranger.accessToken });
    assert.equal(refused.status, 404);
    assert.equal(refused.body.error.code, 'webhook_delivery_not_found');
    const replay = await webhooks(`/deliveries/${delivery.id}/replay`, { token: manager.accessToken });
    assert.equal(replay.status, 202, JSON.stringify(replay.body));
    assert.equal(replay.body.status, 'pending');
    const deadline = Date.now() + 10_000;
    while (ats.received.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(ats.received.length, 3, 'the replay is sent right away');
    assert.equal(ats.received[2].id, delivery.id);
  } finally {
    await ats.close();
  }
});

Deno.test('webhooks: an endpoint failing for more than three days is disabled, its owner emailed, and sent nothing more', async () => {
  const ats = listener(() => 503);
  try {
    const manager = await hiringManager('Flaky Corp');
    const endpoint = await register(manager, ats.url, ['session.invited', 'session.started']);
    const f = await createInterviewFixture({ manager, start: false, reveal: false });
    await superuser((sql) =>
      sql`update public.webhook_endpoints set failing_since = now() - interval '73 hours' where id = ${endpoint.id}`
    );
    assert.equal((await runWorker()).disabled_endpoints, 1);
    const { data: row } = await manager.client.from('webhook_endpoints').select('enabled, disabled_reason').single();
    assert.deepEqual(row, { enabled: false, disabled_reason: 'failing' });
    // Its owner is emailed, through the email outbox.
    assert.equal((await runOutbox()).status, 200);
    await mailsArrived(manager.email, 1);
    const mail = await latestMailText(manager.email);
    assert.equal(mail.Subject, `Webhook désactivé : ${new URL(ats.url).host}`);
    assert.match(mail.Text, /Webhook Corp|Flaky Corp/);
    assert.doesNotMatch(mail.Text, /\/ats\/hooks/, 'the host only, not the path');
    await f.candidate.client.rpc('start_interview', { p_session_id: f.sessionId });
    assert.equal((await runWorker()).claimed, 0);
    assert.equal(ats.received.length, 1, 'a disabled endpoint is sent nothing');
    const replay = await webhooks(
      `/deliveries/${(await manager.client.from('webhook_deliveries').select('id')).data![0].id}/replay`,
      {
        token: manager.accessToken,
      },
    );
    assert.equal(replay.status, 409);
    assert.equal(replay.body.error.code, 'webhook_endpoint_disabled');
    // Enabled again through PostgREST, its count of failures starts afresh.
    const enabled = await manager.client.from('webhook_endpoints').update({ enabled: true }).eq('id', endpoint.id)
      .select('enabled, disabled_reason, failing_since');
    assert.deepEqual(enabled.data, [{ enabled: true, disabled_reason: null, failing_since: null }]);
  } finally {
    await ats.close();
  }
});

Deno.test('webhooks: endpoints are created only by their organization, the secret is shown once, bad input is 4xx', async () => {
  const [owner, stranger] = await Promise.all([hiringManager('Secret Corp'), hiringManager('Nosy Corp')]);
  const org = await organizationOf(owner);
  const forOther = await webhooks('/endpoints', {
    token: stranger.accessToken,
    body: { organization_id: org, url: 'https://93.184.216.34/hooks', event_types: ['session.invited'] },
  });
  assert.equal(forOther.status, 403);
  assert.equal(forOther.body.error.code, 'not_organization_admin');
  const direct = await owner.client.from('webhook_endpoints')
    .insert({ organization_id: org, url: 'https://93.184.216.34/hooks', event_types: ['session.invited'] });
  assert.equal(direct.error?.code, '42501', 'no direct insert: creation returns the secret');

  const created = await register(owner, 'https://93.184.216.34/hooks', ['decision.made']);
  const { data } = await owner.client.from('webhook_endpoints').select('*');
  assert.equal(data!.length, 1);
  assert.ok(!JSON.stringify(data).includes(created.secret), 'the secret is not readable afterwards');
  const rotated = await owner.client.rpc('rotate_webhook_secret', { p_endpoint_id: created.id });
  assert.match(rotated.data.secret, /^whsec_/);
  assert.notEqual(rotated.data.secret, created.secret);

  const cases: Array<[unknown, string]> = [
    [
      { organization_id: org, url: 'https://10.0.0.1/hooks', event_types: ['decision.made'] },
      '422 webhook_url_refused',
    ],
    [
      { organization_id: org, url: 'http://93.184.216.34/hooks', event_types: ['decision.made'] },
      '422 webhook_url_refused',
    ],
    [{ organization_id: org, url: 'https://93.184.216.34/hooks', event_types: ['nope'] }, '400 validation_failed'],
    [{
      organization_id: org,
      url: 'https://93.184.216.34/hooks',
      event_types: ['decision.made'],
      campaign_id: crypto.randomUUID(),
    }, '422 webhook_campaign_not_in_organization'],
    [{ organization_id: org, url: 'ftp://93.184.216.34/', event_types: ['decision.made'] }, '422 webhook_url_refused'],
  ];
  for (const [body, expected] of cases) {
    const res = await webhooks('/endpoints', { token: owner.accessToken, body });
    assert.equal(`${res.status} ${res.body.error?.code}`, expected, JSON.stringify(body));
  }
  const malformed = await webhooks('/endpoints', { token: owner.accessToken, raw: '{"url":' });
  assert.equal(`${malformed.status} ${malformed.body.error.code}`, '400 invalid_json');
  const anon = await webhooks('/run', { token: env('SUPABASE_ANON_KEY'), body: {} });
  assert.equal(`${anon.status} ${anon.body.error.code}`, '403 service_role_required');
  const user = await webhooks('/run', { token: owner.accessToken, body: {} });
  assert.equal(`${user.status} ${user.body.error.code}`, '403 service_role_required');
});
