import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { EXCERPT_BYTES, type Message, messageBody, sendMessage } from './deliver.ts';

const SECRET = `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`;

interface Received {
  body: string;
  headers: Record<string, string>;
}

/** A listener on a free loopback port; `answer` decides each response. */
function listen(answer: (req: Request) => Response | Promise<Response>) {
  const received: Received[] = [];
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, async (req) => {
    received.push({ body: await req.text(), headers: Object.fromEntries(req.headers) });
    return await answer(req);
  });
  return { url: `http://127.0.0.1:${server.addr.port}/hooks`, received, close: () => server.shutdown() };
}

function message(url: string, overrides: Partial<Message> = {}): Message {
  return {
    id: crypto.randomUUID(),
    url,
    secret: SECRET,
    type: 'session.completed',
    occurredAt: new Date('2026-12-02T10:00:00Z'),
    payload: { session_id: 's1', status: 'completed' },
    ...overrides,
  };
}

Deno.test('send: the receiver verifies the signature with standardwebhooks, and a tampered body is refused', async () => {
  const listener = listen(() => new Response('ok'));
  try {
    const sent = message(listener.url);
    const result = await sendMessage(sent, { allowLoopback: true });
    assert.equal(result.outcome, 'succeeded');
    assert.equal(result.statusCode, 200);
    assert.equal(result.excerpt, 'ok');
    const [got] = listener.received;
    assert.equal(got.headers['webhook-id'], sent.id);
    assert.match(got.headers['webhook-timestamp'], /^\d{10}$/);
    assert.match(got.headers['webhook-signature'], /^v1,[A-Za-z0-9+/]+=*$/);
    assert.equal(got.headers['content-type'], 'application/json');
    const verified = new Webhook(SECRET).verify(got.body, got.headers) as Record<string, unknown>;
    assert.deepEqual(verified, {
      type: 'session.completed',
      timestamp: '2026-12-02T10:00:00.000Z',
      data: { session_id: 's1', status: 'completed' },
    });
    const tampered = got.body.replace('completed', 'withdrawn');
    assert.throws(() => new Webhook(SECRET).verify(tampered, got.headers), /No matching signature/);
    const otherSecret = `whsec_${btoa('x'.repeat(32))}`;
    assert.throws(() => new Webhook(otherSecret).verify(got.body, got.headers), /No matching signature/);
  } finally {
    await listener.close();
  }
});

Deno.test('send: a 500 is an http_error with the answer excerpt, truncated to 1 KB', async () => {
  const listener = listen(() => new Response('é'.repeat(5000), { status: 500 }));
  try {
    const result = await sendMessage(message(listener.url), { allowLoopback: true });
    assert.equal(result.outcome, 'http_error');
    assert.equal(result.statusCode, 500);
    assert.ok(result.excerpt !== null && new TextEncoder().encode(result.excerpt).length <= EXCERPT_BYTES);
    assert.ok(result.excerpt.startsWith('éé'));
  } finally {
    await listener.close();
  }
});

Deno.test('send: redirects are not followed', async () => {
  let followed = false;
  const target = listen(() => {
    followed = true;
    return new Response('ok');
  });
  const redirecting = listen(() => Response.redirect(target.url, 307));
  try {
    const result = await sendMessage(message(redirecting.url), { allowLoopback: true });
    assert.equal(result.outcome, 'redirect');
    assert.equal(result.statusCode, 307);
    assert.equal(followed, false);
  } finally {
    await redirecting.close();
    await target.close();
  }
});

Deno.test('send: no answer within the timeout is a timeout', async () => {
  let release = () => {};
  const held = new Promise<void>((resolve) => release = resolve);
  const listener = listen(async () => {
    await held;
    return new Response('late');
  });
  try {
    const result = await sendMessage(message(listener.url), { allowLoopback: true, timeoutMs: 200 });
    assert.equal(result.outcome, 'timeout');
    assert.equal(result.statusCode, null);
    assert.ok(result.durationMs >= 150 && result.durationMs < 2000, String(result.durationMs));
  } finally {
    release();
    await listener.close();
  }
});

Deno.test('send: a refused destination is never contacted', async () => {
  const listener = listen(() => new Response('ok'));
  try {
    const result = await sendMessage(message(listener.url), { allowLoopback: false });
    assert.equal(result.outcome, 'url_refused');
    assert.match(result.error ?? '', /^https_required/);
    assert.equal(listener.received.length, 0);
  } finally {
    await listener.close();
  }
});

Deno.test('send: nobody listening is a network error', async () => {
  const listener = listen(() => new Response('ok'));
  await listener.close();
  const result = await sendMessage(message(listener.url), { allowLoopback: true });
  assert.equal(result.outcome, 'network_error');
});

Deno.test('message body: the Standard Webhooks shape, type, timestamp and data', () => {
  assert.equal(
    messageBody({ type: 'decision.made', occurredAt: new Date(0), payload: { decision: 'advance' } }),
    '{"type":"decision.made","timestamp":"1970-01-01T00:00:00.000Z","data":{"decision":"advance"}}',
  );
});
