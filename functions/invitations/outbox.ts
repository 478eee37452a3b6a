// The outbox worker: claims due emails (for update skip locked, with a lease), renders and sends them (SMTP or an
// email API, see shared/mail.ts),
// and finishes each row only while it still holds its claim. The same loop serves the after-commit send of a new
// invitation (only its rows) and the periodic POST /invitations/outbox/run.
//
// Runs as the pool's own role (service): the outbox has no client privilege at all, and sending is the service's job.
import type { AppConfig, MailConfig } from '../../shared/config.ts';
import type { Sql } from '../../shared/db.ts';
import type { Logger } from '../../shared/log.ts';
import { createMailTransport, isMailError, type MailTransport } from '../../shared/mail.ts';
import { type EmailKind, type EmailParams, type Locale, renderEmail } from './templates.ts';
import { colleagueJoinLink } from './colleagues.ts';
import { openToken } from './tokens.ts';

export interface OutboxDeps {
  config: AppConfig;
  mail: MailConfig;
  sql: Sql;
  log: Logger;
  /** The transport; default: the one `mail` configures. Tests may pass their own. */
  transport?: MailTransport;
}

export interface OutboxRunOptions {
  /** At most this many rows in this run. */
  limit?: number;
  /** Only these rows (the after-commit send of a request). */
  ids?: string[];
  /** Stop claiming new rows after this long (a request must end well before the platform's wall clock limit). */
  budgetMs?: number;
}

export interface OutboxRunResult {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
}

interface OutboxRow {
  id: string;
  kind: EmailKind;
  /** Null for a colleague invitation, a disabled webhook and a review digest. */
  session_id: string | null;
  locale: Locale;
  to_email: string;
  params: EmailParams;
  secret: Uint8Array | null;
  claim_id: string;
  attempts: number;
}

/** Rows claimed at once: also how many sends run in parallel. */
const CHUNK = 8;
/** Longer than the send timeout, so a claimed row is never claimed again while its send may still succeed. */
const LEASE_SECONDS = 120;
const SEND_TIMEOUT_MS = 30_000;

/**
 * The most emails a request sends after its response (a bulk invitation, the reminders run); the rest waits for the
 * scheduled outbox job. 25 sends are 4 claims of 8 in parallel: a few seconds of wall clock and well under a second of
 * CPU, far inside a hosted function's limits (150 s wall clock on the free plan, 2 s of CPU).
 */
export const AFTER_RESPONSE_SEND_LIMIT = 25;
/** No new claim after this long: even if every send times out (30 s), the work ends by about 90 s, inside 150 s. */
export const AFTER_RESPONSE_BUDGET_MS = 60_000;

/** A permanent refusal (an SMTP 5xx to the message, an API 400/422) or an unsendable message; the rest is retried. */
export function isPermanentFailure(error: unknown): boolean {
  return isMailError(error) && error.permanent;
}

/**
 * The link of an email: the webhooks settings page for a disabled endpoint; a colleague's join link; for a candidate
 * the activation link when the row carries a token, the interview page otherwise.
 */
async function linkOf(row: OutboxRow, config: AppConfig): Promise<string> {
  if (row.kind === 'webhook_disabled') return `${config.siteUrl}/settings/webhooks`;
  if (row.secret) {
    const token = await openToken(new Uint8Array(row.secret), config.serviceRoleKey);
    if (row.kind === 'colleague_invitation') return colleagueJoinLink(config, token);
    return `${config.siteUrl}/activate?token=${encodeURIComponent(token)}`;
  }
  if (row.kind === 'completion_notice') {
    return `${config.siteUrl}/campaigns/${row.params.campaign_id}/sessions/${row.session_id}`;
  }
  if (row.kind === 'review_digest') return `${config.siteUrl}/reviews`;
  return `${config.siteUrl}/interviews/${row.session_id}`;
}

export async function runOutbox(deps: OutboxDeps, options: OutboxRunOptions = {}): Promise<OutboxRunResult> {
  const limit = options.limit ?? 100;
  const ids = options.ids ?? null;
  const stopAt = Date.now() + (options.budgetMs ?? 50_000);
  const transport = deps.transport ?? createMailTransport(deps.mail, { timeoutMs: SEND_TIMEOUT_MS });
  const result: OutboxRunResult = { claimed: 0, sent: 0, retrying: 0, failed: 0 };

  async function finish(row: OutboxRow, error: string | null, permanent = false, messageId: string | null = null) {
    const [done] = await deps.sql<{ status: string | null }[]>`
      select private.finish_email_outbox(${row.id}, ${row.claim_id}, ${error}, ${permanent}, ${messageId}) as status`;
    if (done?.status === 'sent') result.sent++;
    else if (done?.status === 'failed') result.failed++;
    else if (done?.status === 'queued') result.retrying++;
    if (error) {
      deps.log.warn('email not sent', {
        outbox_id: row.id,
        kind: row.kind,
        attempt: row.attempts,
        status: done?.status ?? 'claim_lost',
        error,
      });
    }
  }

  async function deliver(row: OutboxRow) {
    let link: string;
    try {
      link = await linkOf(row, deps.config);
    } catch {
      // The key changed since the row was queued: no retry can succeed.
      await finish(row, 'token_undecryptable: the outbox key changed since this email was queued', true);
      return;
    }
    const rendered = renderEmail(row.kind, row.locale, row.params, link);
    try {
      const sent = await transport.send({
        from: deps.mail.from,
        to: row.to_email,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        headers: { 'X-Outbox-Id': row.id },
        // A retry of this row after a lost answer is the same email: an email API sends it once.
        idempotencyKey: `outbox-${row.id}`,
      });
      await finish(row, null, false, sent.messageId);
    } catch (error) {
      const permanent = isPermanentFailure(error);
      const message = error instanceof Error
        ? `${isMailError(error) ? error.code + ': ' : ''}${error.message}`
        : String(error);
      await finish(row, message, permanent);
    }
  }

  while (result.claimed < limit && Date.now() < stopAt) {
    const batch = Math.min(CHUNK, limit - result.claimed);
    const rows = await deps.sql<OutboxRow[]>`
      select id, kind, session_id, locale, to_email, params, secret, claim_id, attempts
        from private.claim_email_outbox(${batch}, ${ids}::uuid[], ${LEASE_SECONDS})`;
    if (rows.length === 0) break;
    result.claimed += rows.length;
    await Promise.all(rows.map(deliver));
  }
  return result;
}

/** Keeps `work` alive after the response: EdgeRuntime.waitUntil on Supabase, a plain pending promise elsewhere. */
export function afterResponse(work: Promise<unknown>, log: Logger): void {
  const guarded = work.catch((error) => log.error('background email send failed', { error }));
  const edge = (globalThis as { EdgeRuntime?: { waitUntil?: (promise: Promise<unknown>) => void } }).EdgeRuntime;
  if (typeof edge?.waitUntil === 'function') edge.waitUntil(guarded);
}
