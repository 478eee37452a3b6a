// SMTP through shared/mail.ts against real Mailpit servers started here, with a certificate authority and a server
// certificate this file makes with openssl: STARTTLS required and implicit TLS deliver (read back through Mailpit's
// API), a plaintext client is refused by a server that requires TLS, the transport refuses to talk in clear to a
// server without STARTTLS unless plaintext is allowed, an untrusted certificate is refused. Also the message details
// the hand-written client got wrong: a sender name with a comma, non-ASCII subjects, a subject with a line break.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { isMailError, type MailMessage, smtpTransport } from '../shared/mail.ts';

const MAILPIT_BIN = Deno.env.get('MAILPIT_BIN') ?? new URL('../.local/bin/mailpit', import.meta.url).pathname;

function freePort(): number {
  const listener = Deno.listen({ hostname: '127.0.0.1', port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command('openssl', { args, cwd, stdout: 'null', stderr: 'piped' }).output();
  if (!out.success) throw new Error(`openssl ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`);
}

/** A CA and a server certificate it signed for localhost and 127.0.0.1, valid for one day. */
async function makeCertificates(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=mail-tls test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  ], dir);
  await openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'], dir);
  await Deno.writeTextFile(
    join(dir, 'server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  await openssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '1',
    '-extfile',
    'server.ext',
  ], dir);
  return {
    ca: await Deno.readTextFile(join(dir, 'ca.pem')),
    cert: join(dir, 'server.pem'),
    key: join(dir, 'server.key'),
  };
}

interface Mailpit {
  api: string;
  smtpPort: number;
  /** Synchronous, so that it can run on unload. */
  stop: () => void;
}

async function startMailpit(dir: string, name: string, args: string[]): Promise<Mailpit> {
  const smtpPort = freePort();
  const httpPort = freePort();
  const child = new Deno.Command(MAILPIT_BIN, {
    args: [
      '--smtp',
      `127.0.0.1:${smtpPort}`,
      '--listen',
      `127.0.0.1:${httpPort}`,
      '--database',
      join(dir, `${name}.db`),
      ...args,
    ],
    stdout: 'null',
    stderr: 'null',
  }).spawn();
  const api = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const res = await fetch(`${api}/readyz`);
      await res.body?.cancel();
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`mailpit ${name} did not start`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // The servers live as long as this file's tests; unref'd, they do not keep the test runner alive.
  child.unref();
  return {
    api,
    smtpPort,
    stop: () => {
      try {
        child.kill('SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

interface Summary {
  ID: string;
  MessageID: string;
  From: { Name: string; Address: string };
  To: { Name: string; Address: string }[];
  Subject: string;
}

/** Every message Mailpit holds for `address`, newest first (GET /api/v1/messages). */
async function messagesTo(mailpit: Mailpit, address: string): Promise<Summary[]> {
  const res = await fetch(`${mailpit.api}/api/v1/messages?limit=500`);
  const { messages } = await res.json() as { messages: Summary[] };
  return messages.filter((m) => m.To.some((to) => to.Address === address));
}

/** Waits for the one message to `address`, then reads it whole (GET /api/v1/message/{ID}, its headers, its source). */
async function arrived(mailpit: Mailpit, address: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [summary] = await messagesTo(mailpit, address);
    if (summary) {
      const full = await (await fetch(`${mailpit.api}/api/v1/message/${summary.ID}`)).json();
      const headers = await (await fetch(`${mailpit.api}/api/v1/message/${summary.ID}/headers`)).json();
      const raw = await (await fetch(`${mailpit.api}/api/v1/message/${summary.ID}/raw`)).text();
      return { summary, full, headers: headers as Record<string, string[]>, raw };
    }
    if (Date.now() > deadline) throw new Error(`no message to ${address}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}@example.test`;

function invitation(to: string, subject = 'Invitation à un entretien vidéo : Développeur·se — Zoë ✅'): MailMessage {
  return {
    from: '"Dupont, Marie" <rh@example.test>',
    to,
    subject,
    text: 'Bonjour Zoë,\n.\nvotre lien : https://app.example.test/activate?token=abc',
    html: '<p>Bonjour <b>Zoë</b></p>',
    headers: { 'X-Outbox-Id': 'outbox-1' },
  };
}

const dir = await Deno.makeTempDir({ prefix: 'mail-tls-' });
const tls = await makeCertificates(dir);
const tlsArgs = ['--smtp-tls-cert', tls.cert, '--smtp-tls-key', tls.key, '--smtp-auth-accept-any'];
const starttls = await startMailpit(dir, 'starttls', [...tlsArgs, '--smtp-require-starttls']);
const implicit = await startMailpit(dir, 'implicit', [...tlsArgs, '--smtp-require-tls']);
// No TLS at all, as the local stack's Mailpit.
const plain = await startMailpit(dir, 'plain', ['--smtp-auth-accept-any', '--smtp-auth-allow-insecure']);
const passwords = join(dir, 'passwords');
await Deno.writeTextFile(passwords, 'mailer:s3cret\n');
const strict = await startMailpit(dir, 'strict', [
  '--smtp-auth-file',
  passwords,
  '--smtp-auth-allow-insecure',
  '--smtp-allowed-recipients',
  '@allowed\\.test$',
]);
const trusted = { ca: tls.ca };

globalThis.addEventListener('unload', () => {
  for (const mailpit of [starttls, implicit, plain, strict]) mailpit.stop();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test('STARTTLS required on a submission port: the message arrives whole, with the password sent over TLS', async () => {
  const to = unique('starttls');
  const transport = smtpTransport({
    host: '127.0.0.1',
    port: starttls.smtpPort,
    user: 'mailer',
    pass: 'secret',
    tls: { ...trusted, servername: 'localhost' },
  });
  const sent = await transport.send(invitation(to));
  const { summary, full, headers, raw } = await arrived(starttls, to);
  assert.equal(`<${summary.MessageID}>`, sent.messageId);
  assert.deepEqual(summary.From, { Name: 'Dupont, Marie', Address: 'rh@example.test' });
  assert.equal(summary.Subject, 'Invitation à un entretien vidéo : Développeur·se — Zoë ✅');
  // The sender's name keeps its quotes on the wire (unquoted, the comma would make two addresses).
  assert.match(raw, /^From: "Dupont, Marie" <rh@example\.test>\r?$/m);
  // RFC 2047 encoded words: the raw header is ASCII.
  const subjectLine = raw.match(/^Subject: .*(\r?\n[ \t].*)*/m)?.[0] ?? '';
  assert.match(subjectLine, /=\?UTF-8\?[BQ]\?/i);
  assert.ok(/^[\x20-\x7e\r\n\t]*$/.test(subjectLine), subjectLine);
  assert.equal(full.Text.replace(/\r\n/g, '\n').trim(), invitation(to).text);
  assert.match(full.HTML, /<b>Zoë<\/b>/);
  assert.deepEqual(headers['X-Outbox-Id'], ['outbox-1']);
});

Deno.test('implicit TLS (port 465 style): the message arrives; an untrusted certificate is refused', async () => {
  const to = unique('implicit');
  await smtpTransport({ host: '127.0.0.1', port: implicit.smtpPort, secure: true, tls: trusted }).send(
    invitation(to, 'Rappel : votre entretien « Ingénieur » se termine bientôt'),
  );
  const { summary } = await arrived(implicit, to);
  assert.equal(summary.Subject, 'Rappel : votre entretien « Ingénieur » se termine bientôt');
  assert.equal(summary.From.Name, 'Dupont, Marie');

  const refused = unique('untrusted');
  await assert.rejects(
    smtpTransport({ host: '127.0.0.1', port: implicit.smtpPort, secure: true, timeoutMs: 5_000 }).send(
      invitation(refused),
    ),
    (e) => isMailError(e) && e.code === 'mail_unavailable' && !e.permanent,
  );
  assert.deepEqual(await messagesTo(implicit, refused), []);
});

Deno.test('a subject with a line break (a campaign title) is sent on one line, not refused', async () => {
  const to = unique('linebreak');
  await smtpTransport({ host: '127.0.0.1', port: starttls.smtpPort, tls: trusted }).send(
    invitation(to, 'Invitation : Développeur\r\nBcc: evil@example.test\nsenior'),
  );
  const { summary, headers } = await arrived(starttls, to);
  assert.equal(summary.Subject, 'Invitation : Développeur Bcc: evil@example.test senior');
  assert.equal(headers.Bcc, undefined, 'no header injected');
  assert.deepEqual(summary.To.map((t) => t.Address), [to]);
});

Deno.test('a server that requires TLS refuses a plaintext client', async () => {
  const conn = await Deno.connect({ hostname: '127.0.0.1', port: starttls.smtpPort });
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(4096);
  let pending = '';
  const reply = async (): Promise<string> => {
    // A reply is complete at a line `NNN text` (a space after the code).
    while (!/^\d{3} [^\r\n]*\r\n/m.test(pending)) {
      const n = await conn.read(buffer);
      if (n === null) throw new Error(`closed after ${pending}`);
      pending += decoder.decode(buffer.subarray(0, n));
    }
    const all = pending;
    pending = '';
    return all;
  };
  const say = (line: string) => conn.write(new TextEncoder().encode(`${line}\r\n`));
  try {
    assert.match(await reply(), /^220 /);
    await say('EHLO plaintext.test');
    assert.match(await reply(), /STARTTLS/);
    await say('MAIL FROM:<rh@example.test>');
    assert.match(await reply(), /^530 .*STARTTLS/m);
  } finally {
    conn.close();
  }
});

Deno.test('STARTTLS is required: no message (and no password) goes to a server without it, unless plaintext is allowed', async () => {
  const to = unique('cleartext');
  await assert.rejects(
    smtpTransport({ host: '127.0.0.1', port: plain.smtpPort, user: 'mailer', pass: 'secret' }).send(invitation(to)),
    (e) => isMailError(e) && e.code === 'mail_unavailable' && !e.permanent && /STARTTLS/i.test(e.message),
  );
  assert.deepEqual(await messagesTo(plain, to), []);

  await smtpTransport({ host: '127.0.0.1', port: plain.smtpPort, allowPlaintext: true }).send(invitation(to));
  assert.equal((await arrived(plain, to)).summary.From.Name, 'Dupont, Marie');
});

Deno.test('a refused recipient is a permanent mail_rejected; a wrong password is retried (mail_unavailable)', async () => {
  const login = { host: '127.0.0.1', port: strict.smtpPort, allowPlaintext: true, user: 'mailer' };
  const ok = unique('auth').replace('example.test', 'allowed.test');
  await smtpTransport({ ...login, pass: 's3cret' }).send(invitation(ok));
  assert.equal((await arrived(strict, ok)).summary.To[0].Address, ok);

  await assert.rejects(
    smtpTransport({ ...login, pass: 's3cret' }).send(invitation(unique('elsewhere'))),
    (e) => isMailError(e) && e.code === 'mail_rejected' && e.permanent && (e.replyCode ?? 0) >= 550,
  );
  // Credentials are the operator's to fix while the outbox retries, not a reason to fail every invitation at once.
  await assert.rejects(
    smtpTransport({ ...login, pass: 'wrong' }).send(invitation(unique('auth').replace('example.test', 'allowed.test'))),
    (e) => isMailError(e) && e.code === 'mail_unavailable' && e.replyCode === 535,
  );
});
