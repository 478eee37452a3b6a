// A small SMTP client over Deno.connect, with no dependency: EHLO, STARTTLS when offered, AUTH PLAIN/LOGIN when a
// user is configured, then one message as multipart/alternative (text + optional html). Used by the invitation
// outbox. Every failure surfaces as an SmtpError with a stable `code`.

export type SmtpErrorCode = 'smtp_unavailable' | 'smtp_rejected' | 'smtp_invalid_message';

/** A failed send. `replyCode` is the server's reply code when the server refused something. */
export class SmtpError extends Error {
  override name = 'SmtpError';
  constructor(
    readonly code: SmtpErrorCode,
    message: string,
    readonly replyCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isSmtpError(error: unknown): error is SmtpError {
  return error instanceof SmtpError;
}

export interface SmtpTransport {
  host: string;
  port: number;
  user?: string;
  pass?: string;
  /** Implicit TLS from the first byte (port 465). */
  secure?: boolean;
  /** STARTTLS: 'opportunistic' (default) upgrades when offered, 'required' fails when not offered. */
  startTls?: 'opportunistic' | 'required' | 'never';
  /** Name sent with EHLO. */
  clientName?: string;
  /** Whole-conversation timeout, default 30 s. */
  timeoutMs?: number;
}

export interface MailMessage {
  /** `address` or `Display Name <address>`. */
  from: string;
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  replyTo?: string;
  headers?: Record<string, string>;
}

export interface SentMail {
  messageId: string;
  /** The server's final reply to DATA, e.g. `250 2.0.0 Ok: queued as ABC`. */
  response: string;
  accepted: string[];
}

interface Reply {
  code: number;
  lines: string[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function assertHeaderSafe(name: string, value: string): void {
  if (/[\r\n]/.test(value)) {
    throw new SmtpError('smtp_invalid_message', `header ${name} must not contain a line break`);
  }
}

/** The bare address of `Name <addr>` or `addr`. */
export function addressOf(mailbox: string): string {
  const match = mailbox.match(/<([^<>]+)>\s*$/);
  const address = (match ? match[1] : mailbox).trim();
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(address)) {
    throw new SmtpError('smtp_invalid_message', `not an email address: ${mailbox}`);
  }
  return address;
}

function base64Utf8(text: string): string {
  const bytes = encoder.encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** RFC 2047 encoded words for non-ASCII header text; ASCII stays as is. */
export function encodeHeaderWord(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  // Split on code points so no encoded word cuts a UTF-8 sequence; each word stays under 75 characters.
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (encoder.encode(chunk + char).length > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${base64Utf8(word)}?=`).join('\r\n ');
}

function encodeMailbox(mailbox: string): string {
  const match = mailbox.match(/^\s*"?([^"<]*?)"?\s*<([^<>]+)>\s*$/);
  if (!match || !match[1]) return addressOf(mailbox);
  const name = match[1];
  const display = /^[\w .'-]*$/.test(name) ? `"${name}"` : encodeHeaderWord(name);
  return `${display} <${addressOf(match[2])}>`;
}

function wrapBase64(text: string): string {
  return base64Utf8(text).replace(/.{1,76}/g, '$&\r\n');
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/** The RFC 5322 message (headers and MIME body), with CRLF line ends, before dot-stuffing. */
export function buildMessage(message: MailMessage, messageId: string, date = new Date()): string {
  const to = Array.isArray(message.to) ? message.to : [message.to];
  // Check the raw values: a line break in any of them would let a caller inject headers.
  assertHeaderSafe('From', message.from);
  assertHeaderSafe('Subject', message.subject);
  for (const address of to) assertHeaderSafe('To', address);
  if (message.replyTo) assertHeaderSafe('Reply-To', message.replyTo);
  for (const [name, value] of Object.entries(message.headers ?? {})) assertHeaderSafe(name, value);
  const headers: [string, string][] = [
    ['From', encodeMailbox(message.from)],
    ['To', to.map(encodeMailbox).join(', ')],
    ['Subject', encodeHeaderWord(message.subject)],
    ['Date', date.toUTCString().replace('GMT', '+0000')],
    ['Message-ID', messageId],
    ['MIME-Version', '1.0'],
  ];
  if (message.replyTo) headers.push(['Reply-To', encodeMailbox(message.replyTo)]);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!/^[!-9;-~]+$/.test(name)) throw new SmtpError('smtp_invalid_message', `invalid header name: ${name}`);
    headers.push([name, encodeHeaderWord(value)]);
  }

  const textPart = [
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    wrapBase64(message.text),
  ];
  let body: string[];
  if (message.html === undefined) {
    body = textPart;
  } else {
    const boundary = `=_alt_${crypto.randomUUID().replaceAll('-', '')}`;
    headers.push(['Content-Type', `multipart/alternative; boundary="${boundary}"`]);
    body = [
      `--${boundary}`,
      ...textPart,
      `--${boundary}`,
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      wrapBase64(message.html),
      `--${boundary}--`,
      '',
    ];
    return [...headers.map(([n, v]) => `${n}: ${v}`), '', ...body].join('\r\n');
  }
  return [...headers.map(([n, v]) => `${n}: ${v}`), ...textPart].join('\r\n');
}

/** Dot-stuffing (RFC 5321 4.5.2) and the terminating `.` line. */
export function dotStuff(data: string): string {
  const normalized = data.replace(/\r?\n/g, '\r\n');
  const stuffed = normalized.replace(/^\./gm, '..');
  return (stuffed.endsWith('\r\n') ? stuffed : stuffed + '\r\n') + '.\r\n';
}

class SmtpConnection {
  private buffer = '';
  constructor(private conn: Deno.Conn | Deno.TlsConn) {}

  replace(conn: Deno.Conn | Deno.TlsConn): void {
    this.conn = conn;
    this.buffer = '';
  }

  get raw(): Deno.Conn {
    return this.conn as Deno.Conn;
  }

  async write(text: string): Promise<void> {
    const bytes = encoder.encode(text);
    let written = 0;
    while (written < bytes.length) written += await this.conn.write(bytes.subarray(written));
  }

  private async readLine(): Promise<string> {
    const chunk = new Uint8Array(4096);
    while (!this.buffer.includes('\r\n')) {
      const n = await this.conn.read(chunk);
      if (n === null) throw new SmtpError('smtp_unavailable', 'connection closed by the server');
      this.buffer += decoder.decode(chunk.subarray(0, n), { stream: true });
    }
    const end = this.buffer.indexOf('\r\n');
    const line = this.buffer.slice(0, end);
    this.buffer = this.buffer.slice(end + 2);
    return line;
  }

  async reply(): Promise<Reply> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.readLine();
      const match = line.match(/^(\d{3})([ -])(.*)$/);
      if (!match) throw new SmtpError('smtp_unavailable', `unexpected reply: ${line}`);
      lines.push(match[3]);
      if (match[2] === ' ') return { code: Number(match[1]), lines };
    }
  }

  async command(line: string, expect: number[], shown = line): Promise<Reply> {
    await this.write(`${line}\r\n`);
    return expectReply(await this.reply(), expect, shown);
  }

  close(): void {
    try {
      this.conn.close();
    } catch {
      // already closed
    }
  }
}

function expectReply(reply: Reply, expect: number[], what: string): Reply {
  if (!expect.includes(reply.code)) {
    const text = `${reply.code} ${reply.lines.join(' ')}`;
    // 4xx is the server saying "not now" (unavailable); 5xx is a permanent refusal.
    const code: SmtpErrorCode = reply.code >= 500 ? 'smtp_rejected' : 'smtp_unavailable';
    throw new SmtpError(code, `${what.split(' ')[0]} refused: ${text}`, reply.code);
  }
  return reply;
}

async function ehlo(smtp: SmtpConnection, name: string): Promise<Set<string>> {
  const reply = await smtp.command(`EHLO ${name}`, [250]);
  return new Set(reply.lines.slice(1).map((line) => line.toUpperCase()));
}

async function converse(smtp: SmtpConnection, transport: SmtpTransport, message: MailMessage): Promise<SentMail> {
  const clientName = transport.clientName ?? 'localhost';
  expectReply(await smtp.reply(), [220], 'greeting');
  let extensions = await ehlo(smtp, clientName);

  const startTls = transport.startTls ?? 'opportunistic';
  if (!transport.secure && startTls !== 'never') {
    if (extensions.has('STARTTLS')) {
      await smtp.command('STARTTLS', [220]);
      smtp.replace(await Deno.startTls(smtp.raw as Deno.TcpConn, { hostname: transport.host }));
      extensions = await ehlo(smtp, clientName);
    } else if (startTls === 'required') {
      throw new SmtpError('smtp_unavailable', 'the server does not offer STARTTLS');
    }
  }

  if (transport.user !== undefined) {
    const auth = [...extensions].find((line) => line.startsWith('AUTH'))?.split(/[ =]/).slice(1) ?? [];
    const pass = transport.pass ?? '';
    if (auth.includes('PLAIN') || !auth.includes('LOGIN')) {
      await smtp.command(`AUTH PLAIN ${base64Utf8(`\0${transport.user}\0${pass}`)}`, [235], 'AUTH PLAIN');
    } else {
      await smtp.command('AUTH LOGIN', [334]);
      await smtp.command(base64Utf8(transport.user), [334], 'AUTH LOGIN user');
      await smtp.command(base64Utf8(pass), [235], 'AUTH LOGIN password');
    }
  }

  const from = addressOf(message.from);
  const recipients = (Array.isArray(message.to) ? message.to : [message.to]).map(addressOf);
  if (recipients.length === 0) throw new SmtpError('smtp_invalid_message', 'no recipient');
  const messageId = `<${crypto.randomUUID()}@${domainOf(from)}>`;
  const data = buildMessage(message, messageId);

  await smtp.command(`MAIL FROM:<${from}>${extensions.has('8BITMIME') ? ' BODY=8BITMIME' : ''}`, [250]);
  for (const recipient of recipients) await smtp.command(`RCPT TO:<${recipient}>`, [250, 251]);
  await smtp.command('DATA', [354]);
  await smtp.write(dotStuff(data));
  const queued = expectReply(await smtp.reply(), [250], 'DATA');
  try {
    await smtp.command('QUIT', [221]);
  } catch {
    // the message is queued; a sloppy QUIT changes nothing
  }
  return { messageId, response: `${queued.code} ${queued.lines.join(' ')}`, accepted: recipients };
}

/** Sends one message; resolves with the server's "queued" reply, rejects with SmtpError. */
export async function sendMail(transport: SmtpTransport, message: MailMessage): Promise<SentMail> {
  // Validate before connecting, so a bad message never reaches the server half-sent.
  buildMessage(message, '<check@localhost>');
  const timeoutMs = transport.timeoutMs ?? 30_000;
  let timedOut = false;
  let smtp: SmtpConnection | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      smtp?.close();
      reject(
        new SmtpError('smtp_unavailable', `no answer from ${transport.host}:${transport.port} within ${timeoutMs} ms`),
      );
    }, timeoutMs);
  });
  const run = async (): Promise<SentMail> => {
    let conn: Deno.Conn;
    try {
      conn = transport.secure
        ? await Deno.connectTls({ hostname: transport.host, port: transport.port })
        : await Deno.connect({ hostname: transport.host, port: transport.port });
    } catch (error) {
      throw new SmtpError('smtp_unavailable', `cannot connect to ${transport.host}:${transport.port}`, undefined, {
        cause: error,
      });
    }
    smtp = new SmtpConnection(conn);
    if (timedOut) smtp.close();
    try {
      return await converse(smtp, transport, message);
    } catch (error) {
      if (error instanceof SmtpError) throw error;
      throw new SmtpError('smtp_unavailable', `SMTP conversation failed: ${String(error)}`, undefined, {
        cause: error,
      });
    } finally {
      smtp.close();
    }
  };
  try {
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
