// The mail module without a mail server: the HTTPS transport against a local Deno.serve listener that stands in for
// the email API (no real email API is reachable from the tests), the SMTP transport's failures that need no server,
// and the header rules. SMTP against a real server (Mailpit, plain and TLS) is in tests/mail-tls.test.ts.
import assert from 'node:assert/strict';
import { loadMailConfig } from './config.ts';
import { apiTransport, createMailTransport, isMailError, MailError, oneLine, smtpTransport } from './mail.ts';

interface Received {
  path: string;
  authorization: string | null;
  contentType: string | null;
  idempotencyKey: string | null;
  body: Record<string, unknown>;
}

/** A stand-in for Resend's POST /emails: records each request and answers what `answer` says. */
function emailApiStandIn(answer: (body: Record<string, unknown>) => Response | Promise<Response>) {
  const received: Received[] = [];
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, async (req) => {
    const body = await req.json();
    received.push({
      path: new URL(req.url).pathname,
      authorization: req.headers.get('authorization'),
      contentType: req.headers.get('content-type'),
      idempotencyKey: req.headers.get('idempotency-key'),
      body,
    });
    return await answer(body);
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, received, close: () => server.shutdown() };
}

const message = {
  from: '"Dupont, Marie" <rh@example.test>',
  to: 'zoe@example.test',
  subject: 'Entretien vidéo : Développeur\r\nBcc: evil@example.test',
  text: 'Bonjour Zoë',
  html: '<p>Bonjour Zoë</p>',
  headers: { 'X-Outbox-Id': 'abc' },
};

Deno.test('email API stand-in: POST /emails with the bearer key, one-line headers, the idempotency key; id back', async () => {
  const api = emailApiStandIn(() => Response.json({ id: 'em_123' }));
  try {
    const transport = apiTransport({ url: `${api.url}/`, apiKey: 're_test' });
    const sent = await transport.send({ ...message, idempotencyKey: 'outbox-1' });
    assert.deepEqual(sent, { messageId: 'em_123' });
    assert.equal(api.received.length, 1);
    const [request] = api.received;
    assert.equal(request.path, '/emails');
    assert.equal(request.authorization, 'Bearer re_test');
    assert.equal(request.contentType, 'application/json');
    assert.equal(request.idempotencyKey, 'outbox-1');
    assert.deepEqual(request.body, {
      from: '"Dupont, Marie" <rh@example.test>',
      to: ['zoe@example.test'],
      subject: 'Entretien vidéo : Développeur Bcc: evil@example.test',
      text: 'Bonjour Zoë',
      html: '<p>Bonjour Zoë</p>',
      headers: { 'X-Outbox-Id': 'abc' },
    });
  } finally {
    await api.close();
  }
});

Deno.test('email API stand-in: 400 and 422 are permanent refusals; 401, 429 and 500 are retried', async () => {
  const statuses = [400, 422, 401, 429, 500];
  const api = emailApiStandIn((body) =>
    Response.json({ name: 'error', message: `answered ${body.subject}` }, { status: Number(body.subject) })
  );
  try {
    const transport = apiTransport({ url: api.url, apiKey: 'k' });
    for (const status of statuses) {
      const error = await transport.send({ ...message, subject: String(status) }).then(
        () => assert.fail(`${status} must fail`),
        (e) => e,
      );
      assert.ok(isMailError(error), String(error));
      assert.equal(error.status, status);
      assert.equal(error.code, status === 400 || status === 422 ? 'mail_rejected' : 'mail_unavailable', `${status}`);
      assert.equal(error.permanent, status === 400 || status === 422, `${status}`);
      assert.match(error.message, new RegExp(`HTTP ${status} .*answered ${status}`));
    }
  } finally {
    await api.close();
  }
});

Deno.test('email API: nothing listening, or no answer in time, is mail_unavailable', async () => {
  const closed = emailApiStandIn(() => Response.json({}));
  const url = closed.url;
  await closed.close();
  await assert.rejects(
    apiTransport({ url, apiKey: 'k' }).send(message),
    (e) => isMailError(e) && e.code === 'mail_unavailable',
  );
  const slow = emailApiStandIn(() => new Promise((resolve) => setTimeout(() => resolve(Response.json({})), 2_000)));
  try {
    const started = Date.now();
    await assert.rejects(
      apiTransport({ url: slow.url, apiKey: 'k', timeoutMs: 200 }).send(message),
      (e) => isMailError(e) && e.code === 'mail_unavailable' && /within 200 ms/.test(e.message),
    );
    assert.ok(Date.now() - started < 1_500);
  } finally {
    await slow.close();
  }
});

Deno.test('MAIL_TRANSPORT=api builds the HTTPS transport from the configuration', async () => {
  const api = emailApiStandIn(() => Response.json({ id: 'em_cfg' }));
  try {
    const config = loadMailConfig({
      MAIL_TRANSPORT: 'api',
      MAIL_API_URL: api.url,
      MAIL_API_KEY: 're_cfg',
      MAIL_FROM: 'a@example.test',
    });
    assert.deepEqual(await createMailTransport(config).send({ ...message, from: config.from }), {
      messageId: 'em_cfg',
    });
    assert.equal(api.received[0].authorization, 'Bearer re_cfg');
  } finally {
    await api.close();
  }
});

Deno.test('a message without a valid recipient or with a bad header name fails before anything is sent', async () => {
  const api = emailApiStandIn(() => Response.json({ id: 'never' }));
  try {
    for (
      const transport of [apiTransport({ url: api.url, apiKey: 'k' }), smtpTransport({ host: '127.0.0.1', port: 1 })]
    ) {
      await assert.rejects(
        transport.send({ ...message, to: 'not an address' }),
        (e) => isMailError(e) && e.code === 'mail_invalid_message' && e.permanent,
      );
      await assert.rejects(
        transport.send({ ...message, headers: { 'Bad Name': 'x' } }),
        (e) => isMailError(e) && e.code === 'mail_invalid_message',
      );
    }
    assert.equal(api.received.length, 0);
  } finally {
    await api.close();
  }
});

Deno.test('SMTP: no server listening is mail_unavailable, and so is a server that never answers', async () => {
  const listener = Deno.listen({ hostname: '127.0.0.1', port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  try {
    const started = Date.now();
    await assert.rejects(
      smtpTransport({ host: '127.0.0.1', port, allowPlaintext: true, timeoutMs: 300 }).send(message),
      (e) => isMailError(e) && e.code === 'mail_unavailable' && !e.permanent,
    );
    assert.ok(Date.now() - started < 5_000);
  } finally {
    listener.close();
    for (const conn of held) conn.close();
    await accepting.catch(() => {});
  }
  await assert.rejects(
    smtpTransport({ host: '127.0.0.1', port, allowPlaintext: true, timeoutMs: 2_000 }).send(message),
    (e) => isMailError(e) && e.code === 'mail_unavailable',
  );
});

Deno.test('header values lose their line breaks, nothing else', () => {
  assert.equal(oneLine('Développeur\r\nsenior'), 'Développeur senior');
  assert.equal(oneLine('a \n\n b\rc'), 'a b c');
  assert.equal(oneLine('"Dupont, Marie" <rh@example.test>'), '"Dupont, Marie" <rh@example.test>');
  const error = new MailError('mail_rejected', 'x', { replyCode: 550 });
  assert.equal(error.name, 'MailError');
  assert.equal(error.replyCode, 550);
});
