// Delivering webhooks: one signed POST per attempt (Standard Webhooks headers, signed by the `standardwebhooks`
// library), and the worker that claims due deliveries from the database, sends them and reports each attempt.
import { Webhook } from 'standardwebhooks';
import type { Sql } from '../../shared/db.ts';
import type { Logger } from '../../shared/log.ts';
import { checkDestination, DestinationRefused } from './destination.ts';
import type { WebhookSettings } from './settings.ts';

export const TIMEOUT_MS = 5_000;
export const EXCERPT_BYTES = 1024;
/** A claimed delivery is the worker's for this long; a crashed worker's claims come back after it. */
export const LEASE_SECONDS = 60;
const BATCH = 10;

export type Outcome = 'succeeded' | 'http_error' | 'redirect' | 'timeout' | 'network_error' | 'url_refused';

export interface Message {
  /** The delivery's id: the webhook-id header, the same on every retry and replay. */
  id: string;
  url: string;
  secret: string;
  type: string;
  occurredAt: Date;
  payload: unknown;
}

export interface AttemptResult {
  outcome: Outcome;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  excerpt: string | null;
}

export interface SendOptions {
  allowLoopback: boolean;
  timeoutMs?: number;
  fetch?: typeof fetch;
  resolve?: (hostname: string) => Promise<string[]>;
  now?: () => Date;
}

/** The body of a message, as the Standard Webhooks spec shapes it: `{ type, timestamp, data }`. */
export function messageBody(message: Pick<Message, 'type' | 'occurredAt' | 'payload'>): string {
  return JSON.stringify({ type: message.type, timestamp: message.occurredAt.toISOString(), data: message.payload });
}

async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    // The rest is never read: a receiver cannot make the worker download a large answer.
    await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  // At most EXCERPT_BYTES bytes, cut on a character boundary (a partial one decodes as U+FFFD, then dropped).
  // NUL cannot be stored in a Postgres text column.
  return new TextDecoder().decode(bytes.subarray(0, EXCERPT_BYTES)).replace(/\uFFFD$/, '').replaceAll('\0', '')
    .slice(0, EXCERPT_BYTES);
}

/** One attempt: checks the destination, signs and POSTs the message, and says how it went. Never throws. */
export async function sendMessage(message: Message, options: SendOptions): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const result = (outcome: Outcome, statusCode: number | null, error: string | null, excerpt: string | null) => ({
    outcome,
    statusCode,
    durationMs: elapsed(),
    error: error?.replaceAll('\0', '').slice(0, 500) ?? null,
    excerpt,
  });
  let url: URL;
  try {
    url = await checkDestination(message.url, { allowLoopback: options.allowLoopback, resolve: options.resolve });
  } catch (error) {
    if (error instanceof DestinationRefused) {
      return result('url_refused', null, `${error.code}: ${error.message}`, null);
    }
    return result('url_refused', null, String(error), null);
  }
  const body = messageBody(message);
  const timestamp = (options.now ?? (() => new Date()))();
  let signature: string;
  try {
    signature = new Webhook(message.secret).sign(message.id, timestamp, body);
  } catch (error) {
    return result('network_error', null, `signing failed: ${error instanceof Error ? error.message : error}`, null);
  }
  const signal = AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS);
  try {
    const response = await (options.fetch ?? fetch)(url, {
      method: 'POST',
      body,
      redirect: 'manual',
      signal,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'interviews-webhooks/1',
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      },
    });
    const excerpt = await readExcerpt(response);
    if (response.status >= 200 && response.status < 300) return result('succeeded', response.status, null, excerpt);
    if (response.status >= 300 && response.status < 400) {
      return result('redirect', response.status, 'redirects are not followed', excerpt);
    }
    return result('http_error', response.status, null, excerpt);
  } catch (error) {
    if (signal.aborted) return result('timeout', null, `no answer within ${options.timeoutMs ?? TIMEOUT_MS} ms`, null);
    return result('network_error', null, error instanceof Error ? error.message : String(error), null);
  }
}

export interface WorkerDeps {
  sql: Sql;
  settings: WebhookSettings;
  log: Logger;
  send?: (message: Message) => Promise<AttemptResult>;
}

export interface RunOptions {
  /** At most this many deliveries in this run. */
  limit: number;
  /** Only these deliveries (a replay's immediate send). */
  ids?: string[];
  /** Stop claiming new batches after this long. */
  budgetMs?: number;
}

export interface RunResult {
  claimed: number;
  succeeded: number;
  retrying: number;
  failed: number;
  disabled_endpoints: number;
}

interface Claimed {
  delivery_id: string;
  attempt: number;
  url: string;
  secret: string;
  event_type: string;
  occurred_at: Date;
  payload: unknown;
}

/**
 * Claims due deliveries in batches, sends each batch in parallel and records every attempt. Runs as the database
 * owner: the secrets and the outbox are out of every client role's reach.
 */
export async function runDeliveries(deps: WorkerDeps, options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const totals: RunResult = { claimed: 0, succeeded: 0, retrying: 0, failed: 0, disabled_endpoints: 0 };
  const send = deps.send ??
    ((message: Message) => sendMessage(message, { allowLoopback: deps.settings.allowLoopback }));
  const disableAfter = `${deps.settings.disableAfterHours} hours`;
  while (totals.claimed < options.limit && Date.now() - started < (options.budgetMs ?? 50_000)) {
    const size = Math.min(BATCH, options.limit - totals.claimed);
    const ids = options.ids ?? null;
    const claimed = await deps.sql<Claimed[]>`
      select * from private.claim_webhook_deliveries(${size}, ${LEASE_SECONDS}, ${ids}::uuid[])`;
    if (claimed.length === 0) break;
    totals.claimed += claimed.length;
    await Promise.all(claimed.map(async (row) => {
      const attempt = await send({
        id: row.delivery_id,
        url: row.url,
        secret: row.secret,
        type: row.event_type,
        occurredAt: new Date(row.occurred_at),
        payload: row.payload,
      });
      const [{ status }] = await deps.sql<{ status: string }[]>`
        select private.finish_webhook_attempt(${row.delivery_id}, ${row.attempt}, ${attempt.outcome},
          ${attempt.statusCode}, ${attempt.durationMs}, ${attempt.error}, ${attempt.excerpt},
          ${deps.settings.maxAttempts}, ${disableAfter}::interval) as status`;
      if (status === 'succeeded') totals.succeeded++;
      else if (status === 'pending') totals.retrying++;
      else if (status === 'disabled') {
        totals.failed++;
        totals.disabled_endpoints++;
        deps.log.warn('webhook endpoint disabled after failing too long', { delivery_id: row.delivery_id });
      } else totals.failed++;
      if (attempt.outcome !== 'succeeded') {
        deps.log.info('webhook attempt failed', {
          delivery_id: row.delivery_id,
          attempt: row.attempt,
          outcome: attempt.outcome,
          status_code: attempt.statusCode,
        });
      }
    }));
  }
  return totals;
}
