// The SMTP client against a real Mailpit: the stack's one when MAILPIT_URL/SMTP_PORT are set, else one started here.
// A second, strict Mailpit (password file, recipient allow-list) is always started here to prove refusals.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildMessage, dotStuff, encodeHeaderWord, isSmtpError, sendMail, SmtpError } from './smtp.ts';

const MAILPIT_BIN = Deno.env.get('MAILPIT_BIN') ?? new URL('../.local/bin/mailpit', import.meta.url).pathname;

function freePort(): number {
  const listener = Deno.listen({ hostname: '127.0.0.1', port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

interface Mailpit {
  api: string;
  smtpPort: number;
  stop: () => Promise<void>;
}

async function startMailpit(extraArgs: string[] = []): Promise<Mailpit> {
  const dir = await Deno.makeTempDir({ prefix: 'smtp-test-' });
  const smtpPort = freePort();
  const httpPort = freePort();
  const child = new Deno.Command(MAILPIT_BIN, {
    args: [
      '--smtp',
      `127.0.0.1:${smtpPort}`,
      '--listen',
      `127.0.0.1:${httpPort}`,
      '--database',
      join(dir, 'mail.db'),
      ...extraArgs,
    ],
    stdout: 'null',
    stderr: 'null',
  }).spawn();
  const api = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const res = await fetch(`${api}/api/v1/messages`);
      await res.body?.cancel();
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('mailpit did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    api,
    smtpPort,
    stop: async () => {
      child.kill('SIGTERM');
      await child.status;
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function sharedMailpit(): Promise<Mailpit> {
  const url = Deno.env.get('MAILPIT_URL');
  const port = Deno.env.get('SMTP_PORT');
  if (url && port) return { api: url.replace(/\/$/, ''), smtpPort: Number(port), stop: async () => {} };
  return await startMailpit(['--smtp-auth-accept-any', '--smtp-auth-allow-insecure']);
}

async function messageTo(api: string, address: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await fetch(`${api}/api/v1/search?query=${encodeURIComponent(`to:"${address}"`)}`);
    const { messages } = await res.json();
    if (messages.length > 0) {
      const full = await (await fetch(`${api}/api/v1/message/${messages[0].ID}`)).json();
      const headers = await (await fetch(`${api}/api/v1/message/${messages[0].ID}/headers`)).json();
      return { ...full, headers } as {
        Subject: string;
        Text: string;
        HTML: string;
        MessageID: string;
        headers: Record<string, string[]>;
      };
    }
    if (Date.now() > deadline) throw new Error(`no message to ${address}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}@example.test`;

Deno.test('smtp client', async (t) => {
  const mailpit = await sharedMailpit();
  const transport = { host: '127.0.0.1', port: mailpit.smtpPort };
  try {
    await t.step('delivers a multipart message with a UTF-8 subject, custom headers and a Message-ID', async () => {
      const to = unique('multi');
      const sent = await sendMail(transport, {
        from: 'Interviews Team <no-reply@interviews.test>',
        to,
        subject: 'Entretien vidéo — invitation ✅',
        text: 'Bonjour Zoë,\nvotre lien: https://example.test/i/abc',
        html: '<p>Bonjour <b>Zoë</b></p>',
        headers: { 'X-Invitation-Id': 'inv-123' },
      });
      assert.match(sent.response, /^250 /);
      assert.deepEqual(sent.accepted, [to]);
      const message = await messageTo(mailpit.api, to);
      assert.equal(message.Subject, 'Entretien vidéo — invitation ✅');
      assert.equal(message.Text.replace(/\r\n/g, '\n').trim(), 'Bonjour Zoë,\nvotre lien: https://example.test/i/abc');
      assert.match(message.HTML, /<b>Zoë<\/b>/);
      assert.deepEqual(message.headers['X-Invitation-Id'], ['inv-123']);
      assert.equal(`<${message.MessageID}>`, sent.messageId);
    });

    await t.step('keeps lines that start with a dot (dot-stuffing) and a text-only message', async () => {
      const to = unique('dots');
      await sendMail(transport, {
        from: 'no-reply@interviews.test',
        to,
        subject: 'dots',
        text: 'first\n.\n..two dots\nlast',
      });
      const message = await messageTo(mailpit.api, to);
      assert.equal(message.Text.replace(/\r\n/g, '\n').trim(), 'first\n.\n..two dots\nlast');
      assert.equal(message.HTML, '');
    });

    await t.step('refuses a header value with a line break before connecting', async () => {
      await assert.rejects(
        sendMail({ host: '127.0.0.1', port: 1 }, {
          from: 'a@b.test',
          to: 'c@d.test',
          subject: 'x\r\nBcc: evil@x.test',
          text: 'x',
        }),
        (error) => isSmtpError(error) && error.code === 'smtp_invalid_message',
      );
    });
  } finally {
    await mailpit.stop();
  }
});

Deno.test('smtp client: authentication and refusals against a strict server', async (t) => {
  const dir = await Deno.makeTempDir({ prefix: 'smtp-auth-' });
  const authFile = join(dir, 'passwords');
  await Deno.writeTextFile(authFile, 'mailer:s3cret\n');
  const strict = await startMailpit([
    '--smtp-auth-file',
    authFile,
    '--smtp-auth-allow-insecure',
    '--smtp-allowed-recipients',
    '@allowed\\.test$',
  ]);
  try {
    await t.step('AUTH with the right password delivers', async () => {
      const to = unique('auth').replace('example.test', 'allowed.test');
      await sendMail({ host: '127.0.0.1', port: strict.smtpPort, user: 'mailer', pass: 's3cret' }, {
        from: 'no-reply@interviews.test',
        to,
        subject: 'authenticated',
        text: 'hello',
      });
      assert.equal((await messageTo(strict.api, to)).Subject, 'authenticated');
    });

    await t.step('a wrong password is a permanent refusal (smtp_rejected)', async () => {
      await assert.rejects(
        sendMail({ host: '127.0.0.1', port: strict.smtpPort, user: 'mailer', pass: 'wrong' }, {
          from: 'no-reply@interviews.test',
          to: 'x@allowed.test',
          subject: 's',
          text: 't',
        }),
        (error) => error instanceof SmtpError && error.code === 'smtp_rejected' && error.replyCode === 535,
      );
    });

    await t.step('a recipient the server refuses is smtp_rejected', async () => {
      await assert.rejects(
        sendMail({ host: '127.0.0.1', port: strict.smtpPort, user: 'mailer', pass: 's3cret' }, {
          from: 'no-reply@interviews.test',
          to: 'someone@elsewhere.test',
          subject: 's',
          text: 't',
        }),
        (error) => error instanceof SmtpError && error.code === 'smtp_rejected' && (error.replyCode ?? 0) >= 500,
      );
    });
  } finally {
    await strict.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test('smtp client: no server listening is smtp_unavailable', async () => {
  await assert.rejects(
    sendMail({ host: '127.0.0.1', port: freePort() }, { from: 'a@b.test', to: 'c@d.test', subject: 's', text: 't' }),
    (error) => isSmtpError(error) && error.code === 'smtp_unavailable',
  );
});

Deno.test('smtp client: a server that never answers times out as smtp_unavailable', async () => {
  const listener = Deno.listen({ hostname: '127.0.0.1', port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  try {
    const started = Date.now();
    await assert.rejects(
      sendMail({ host: '127.0.0.1', port: (listener.addr as Deno.NetAddr).port, timeoutMs: 300 }, {
        from: 'a@b.test',
        to: 'c@d.test',
        subject: 's',
        text: 't',
      }),
      (error) => isSmtpError(error) && error.code === 'smtp_unavailable' && /within 300 ms/.test(error.message),
    );
    assert.ok(Date.now() - started < 5_000);
  } finally {
    listener.close();
    for (const conn of held) conn.close();
    await accepting.catch(() => {});
  }
});

Deno.test('smtp message building: RFC 2047 subject, dot-stuffing, CRLF', () => {
  assert.equal(encodeHeaderWord('plain ascii'), 'plain ascii');
  assert.match(encodeHeaderWord('héllo'), /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
  assert.equal(dotStuff('a\n.b\n..c'), 'a\r\n..b\r\n...c\r\n.\r\n');
  const raw = buildMessage({
    from: 'a@b.test',
    to: ['c@d.test', 'e@f.test'],
    subject: 's',
    text: 't',
    html: '<p>t</p>',
  }, '<id@b.test>');
  assert.match(raw, /^To: c@d\.test, e@f\.test\r$/m);
  assert.match(raw, /^Content-Type: multipart\/alternative; boundary="/m);
  assert.ok(!/[^\r]\n/.test(raw), 'every line ends with CRLF');
});
