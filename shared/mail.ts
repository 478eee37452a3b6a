// One small mail interface for the invitation outbox, with two transports chosen by configuration:
// - SMTP through nodemailer (address parsing and quoting, RFC 2047, dot-stuffing, STARTTLS are its job): implicit TLS
//   on 465, STARTTLS required on any other port, plaintext only when the configuration allows it (the local Mailpit);
// - an HTTPS email API in Resend's REST shape (POST {url}/emails with a bearer key), which needs no SMTP port at all.
// Every failure is a MailError with a stable `code`; `mail_rejected` and `mail_invalid_message` are the failures
// a retry cannot fix, which the outbox marks failed at once.
import nodemailer from 'nodemailer';
import type { ApiMailConfig, MailConfig, SmtpMailConfig } from './config.ts';

export interface MailMessage {
  /** `address` or `Display Name <address>` (a name with a comma is quoted: `"Dupont, Marie" <rh@…>`). */
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  /** The same key on a retry lets an email API drop a duplicate (SMTP has no such thing). */
  idempotencyKey?: string;
}

export interface SentMail {
  /** The SMTP Message-ID or the API's id; null when the API gives none. */
  messageId: string | null;
}

export interface MailTransport {
  send(message: MailMessage): Promise<SentMail>;
}

/**
 * `mail_unavailable`: not sent this time (no connection, timeout, TLS or authentication failure, a 4xx reply, an API
 * outage), worth retrying. `mail_rejected`: the server refused this message for good (an SMTP 5xx reply to its
 * envelope or data, an HTTP 400/422). `mail_invalid_message`: the message cannot be sent as it is (no valid recipient,
 * a bad header name).
 */
export type MailErrorCode = 'mail_unavailable' | 'mail_rejected' | 'mail_invalid_message';

/** A failed send. `replyCode` is the SMTP server's reply code, `status` the email API's HTTP status, when known. */
export class MailError extends Error {
  override name = 'MailError';
  readonly replyCode?: number;
  readonly status?: number;
  constructor(
    readonly code: MailErrorCode,
    message: string,
    options: { replyCode?: number; status?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.replyCode = options.replyCode;
    this.status = options.status;
  }

  /** True when sending the same message again cannot succeed. */
  get permanent(): boolean {
    return this.code === 'mail_rejected' || this.code === 'mail_invalid_message';
  }
}

export function isMailError(error: unknown): error is MailError {
  return error instanceof MailError;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+$/;

/**
 * A header value on one line. A line break can only come from data (a campaign title, say): folded into a space,
 * it neither injects a header nor fails every email of the campaign.
 */
export function oneLine(value: string): string {
  return value.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** The bare address of `Name <address>` or `address`. */
function addressOf(mailbox: string): string {
  const match = mailbox.match(/<([^<>]*)>\s*$/);
  return (match ? match[1] : mailbox).trim();
}

/** The message with every header value on one line; throws mail_invalid_message for what cannot be sent. */
function prepare(message: MailMessage): MailMessage {
  const from = oneLine(message.from);
  const to = oneLine(message.to);
  for (const [what, mailbox] of [['sender', from], ['recipient', to]]) {
    if (!ADDRESS.test(addressOf(mailbox))) {
      throw new MailError('mail_invalid_message', `not a ${what} address: ${mailbox}`);
    }
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!/^[!-9;-~]+$/.test(name)) throw new MailError('mail_invalid_message', `invalid header name: ${name}`);
    headers[name] = oneLine(value);
  }
  return { ...message, from, to, subject: oneLine(message.subject), headers };
}

/** Rejects with mail_unavailable when `work` takes longer than `ms`. */
async function within<T>(ms: number, what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new MailError('mail_unavailable', `no answer from ${what} within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// SMTP (nodemailer)
// ---------------------------------------------------------------------------------------------------------------------

export interface SmtpTransportOptions {
  host: string;
  port: number;
  user?: string | null;
  pass?: string | null;
  /** Implicit TLS from the first byte; default: port 465. */
  secure?: boolean;
  /** Without implicit TLS, send in clear when the server offers no STARTTLS; default false (STARTTLS required). */
  allowPlaintext?: boolean;
  /** Whole-send timeout, default 30 s. */
  timeoutMs?: number;
  /** The name sent with EHLO; default `localhost`. nodemailer's own default needs the OS host name. */
  clientName?: string;
  /** TLS settings for nodemailer (tests trust their own certificate authority with `ca`). */
  tls?: { ca?: string | string[]; servername?: string; rejectUnauthorized?: boolean };
}

interface NodemailerError {
  code?: string;
  responseCode?: number;
  message?: string;
}

/** nodemailer's error as a MailError: only a 5xx refusal of the envelope or the data is a permanent rejection. */
function smtpError(error: unknown, where: string): MailError {
  const e = (error ?? {}) as NodemailerError;
  const text = `${where}: ${e.message ?? String(error)}`;
  const replyCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  // 503 (bad sequence of commands) speaks of the session, not of the message: a new connection may succeed.
  if (
    (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && replyCode !== undefined && replyCode >= 500 &&
    replyCode !== 503
  ) {
    return new MailError('mail_rejected', text, { replyCode, cause: error });
  }
  // No reply code on an envelope error: nodemailer found no usable address before talking to the server.
  if (e.code === 'EENVELOPE' && replyCode === undefined) {
    return new MailError('mail_invalid_message', text, { cause: error });
  }
  // Connection, TLS (a server without STARTTLS when it is required), authentication, 4xx: an operator can fix
  // these while the outbox keeps retrying.
  return new MailError('mail_unavailable', text, { replyCode, cause: error });
}

/** SMTP through nodemailer: one connection per message, TLS as configured. */
export function smtpTransport(options: SmtpTransportOptions): MailTransport {
  const secure = options.secure ?? options.port === 465;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const where = `SMTP ${options.host}:${options.port}`;
  const transporter = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure,
    // Without implicit TLS, STARTTLS is mandatory: a relay that does not offer it never sees the password.
    requireTLS: !secure && !options.allowPlaintext,
    auth: options.user ? { user: options.user, pass: options.pass ?? '' } : undefined,
    name: options.clientName ?? 'localhost',
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    tls: { minVersion: 'TLSv1.2', ...options.tls },
    // Our messages are strings: nodemailer must never read a file or fetch a URL on their behalf.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(raw) {
      const message = prepare(raw);
      return await within(timeoutMs, where, async () => {
        try {
          const info = await transporter.sendMail({
            from: message.from,
            to: message.to,
            subject: message.subject,
            text: message.text,
            html: message.html,
            headers: message.headers,
          });
          if (info.rejected.length > 0) {
            throw new MailError('mail_rejected', `${where}: recipient refused: ${info.rejected.join(', ')}`);
          }
          return { messageId: info.messageId ?? null };
        } catch (error) {
          if (isMailError(error)) throw error;
          throw smtpError(error, where);
        }
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// HTTPS email API (Resend's REST shape)
// ---------------------------------------------------------------------------------------------------------------------

export interface ApiTransportOptions {
  /** Base URL, e.g. https://api.resend.com; the transport POSTs to `${url}/emails`. */
  url: string;
  apiKey: string;
  /** Whole-request timeout, default 30 s. */
  timeoutMs?: number;
}

/**
 * POST {url}/emails with `Authorization: Bearer <key>` and `{ from, to, subject, text, html, headers }`; 2xx with
 * `{ id }` is sent. 400 and 422 (the API refused this message) are permanent; 401, 403, 429, 5xx and network errors
 * are retried.
 */
export function apiTransport(options: ApiTransportOptions): MailTransport {
  const endpoint = `${options.url.replace(/\/+$/, '')}/emails`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const where = `email API ${new URL(endpoint).host}`;
  return {
    async send(raw) {
      const message = prepare(raw);
      return await within(timeoutMs, where, async (signal) => {
        let res: Response;
        try {
          res = await fetch(endpoint, {
            method: 'POST',
            signal,
            headers: {
              authorization: `Bearer ${options.apiKey}`,
              'content-type': 'application/json',
              ...(message.idempotencyKey ? { 'idempotency-key': message.idempotencyKey } : {}),
            },
            body: JSON.stringify({
              from: message.from,
              to: [message.to],
              subject: message.subject,
              text: message.text,
              ...(message.html === undefined ? {} : { html: message.html }),
              ...(Object.keys(message.headers ?? {}).length > 0 ? { headers: message.headers } : {}),
            }),
          });
        } catch (error) {
          throw new MailError('mail_unavailable', `${where}: ${String(error)}`, { cause: error });
        }
        const body = await res.text();
        if (res.ok) {
          let id: unknown = null;
          try {
            id = (JSON.parse(body) as { id?: unknown }).id;
          } catch {
            // a 2xx without JSON is still sent
          }
          return { messageId: typeof id === 'string' ? id : null };
        }
        const detail = `${where}: HTTP ${res.status} ${body.slice(0, 200)}`.trim();
        const code = res.status === 400 || res.status === 422 ? 'mail_rejected' : 'mail_unavailable';
        throw new MailError(code, detail, { status: res.status });
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// from the configuration
// ---------------------------------------------------------------------------------------------------------------------

function smtpFrom(config: SmtpMailConfig, timeoutMs?: number): MailTransport {
  return smtpTransport({
    host: config.host,
    port: config.port,
    user: config.user,
    pass: config.pass,
    secure: config.secure,
    allowPlaintext: config.allowPlaintext ?? false,
    timeoutMs,
    // The sender's domain is a better EHLO name than `localhost` to a relay that checks it.
    clientName: addressOf(config.from).split('@')[1],
  });
}

function apiFrom(config: ApiMailConfig, timeoutMs?: number): MailTransport {
  return apiTransport({ url: config.apiUrl, apiKey: config.apiKey, timeoutMs });
}

/** The transport MAIL_TRANSPORT names (see loadMailConfig). */
export function createMailTransport(config: MailConfig, options: { timeoutMs?: number } = {}): MailTransport {
  return config.transport === 'api' ? apiFrom(config, options.timeoutMs) : smtpFrom(config, options.timeoutMs);
}
