// Managing one invitation (resend, deadline, withdraw) as the caller, and queueing reminders as the service.
import type { Claims } from '../../shared/auth.ts';
import type { AppConfig } from '../../shared/config.ts';
import { asService, asUser, type Sql, sql as processSql, type Tx } from '../../shared/db.ts';
import { conflict, forbidden, notFound } from '../../shared/errors.ts';
import { issueToken } from './tokens.ts';

export interface ManageContext {
  claims: Claims;
  config: AppConfig;
  db?: Sql;
}

export interface SessionView {
  session_id: string;
  campaign_id: string;
  candidate_id: string;
  status: string;
  deadline: string;
  time_zone: string;
  email_status: string | null;
  email_attempts: number;
  email_sent_at: string | null;
  reminder_sent_at: string | null;
}

interface SessionRow {
  id: string;
  campaign_id: string;
  candidate_id: string;
  status: string;
  deadline: Date;
  time_zone: string;
  email_status: string | null;
  email_attempts: number;
  email_sent_at: Date | null;
  reminder_sent_at: Date | null;
}

/** The columns of a SessionRow, as a fragment of the transaction's queries. */
function sessionColumns(tx: Tx) {
  return tx`id, campaign_id, candidate_id, status::text as status, deadline,
            coalesce(time_zone, private.session_time_zone(id)) as time_zone, email_status, email_attempts,
            email_sent_at, reminder_sent_at`;
}

export function view(row: SessionRow): SessionView {
  return {
    session_id: row.id,
    campaign_id: row.campaign_id,
    candidate_id: row.candidate_id,
    status: row.status,
    deadline: row.deadline.toISOString(),
    time_zone: row.time_zone,
    email_status: row.email_status,
    email_attempts: row.email_attempts,
    email_sent_at: row.email_sent_at?.toISOString() ?? null,
    reminder_sent_at: row.reminder_sent_at?.toISOString() ?? null,
  };
}

/** The session as the caller sees it, when they may edit its campaign: 404 session_not_found, 403 not_campaign_editor. */
async function editableSession(tx: Tx, sessionId: string): Promise<SessionRow> {
  const [row] = await tx<(SessionRow & { can_edit: boolean })[]>`
    select ${sessionColumns(tx)}, private.can_edit_campaign(campaign_id) as can_edit
      from public.interview_sessions where id = ${sessionId}`;
  if (!row) throw notFound('session_not_found', 'No such invitation, or it is not shared with you');
  if (!row.can_edit) throw forbidden('not_campaign_editor', 'Only the campaign owner or an editor can do this');
  return row;
}

/** A new token (the previous link stops working) and a new invitation email. Returns the outbox id. */
export async function resend(
  ctx: ManageContext,
  sessionId: string,
  locale: string | null,
): Promise<{ session: SessionView; outboxId: string }> {
  return await asUser(ctx.claims, async (tx) => {
    const session = await editableSession(tx, sessionId);
    if (session.status !== 'invited') {
      throw conflict(
        'invitation_not_pending',
        `The candidate's session is ${session.status}: there is nothing to resend`,
      );
    }
    const issued = await issueToken(ctx.config.serviceRoleKey);
    // Token hashes and the outbox: no client privilege; the definer function checks the caller's right again.
    const [queued] = await tx<{ id: string }[]>`
      select q as id from private.queue_invitation_emails(${
      tx.json([{ session_id: sessionId, token_hash: issued.hashHex, secret: issued.secretHex, locale }])
    }) q`;
    const [fresh] = await tx<SessionRow[]>`
      select ${sessionColumns(tx)} from public.interview_sessions where id = ${sessionId}`;
    return { session: view(fresh), outboxId: queued.id };
  }, ctx.db ?? processSql);
}

/**
 * Moves the candidate's deadline (the token's expiry and queued emails follow, by trigger). An expired session
 * reopens with it (public.reopen_session: invited again, or in progress; the reminder is armed again) and the
 * candidate is emailed: the outbox id to send is returned.
 */
export async function changeDeadline(
  ctx: ManageContext,
  sessionId: string,
  deadline: string,
): Promise<{ session: SessionView; outboxId: string | null }> {
  return await asUser(ctx.claims, async (tx) => {
    const session = await editableSession(tx, sessionId);
    if (session.status === 'expired') {
      await tx`select 1 from public.reopen_session(${sessionId}, ${deadline})`;
      const issued = await issueToken(ctx.config.serviceRoleKey);
      // Token hashes and the outbox: no client privilege; the definer function checks the caller's right again.
      const [queued] = await tx<{ id: string }[]>`
        select q as id from private.queue_invitation_emails(${
        tx.json([{ session_id: sessionId, token_hash: issued.hashHex, secret: issued.secretHex, locale: null }])
      }) q`;
      const [reopened] = await tx<SessionRow[]>`
        select ${sessionColumns(tx)} from public.interview_sessions where id = ${sessionId}`;
      return { session: view(reopened), outboxId: queued.id };
    }
    if (session.status !== 'invited' && session.status !== 'in_progress') {
      throw conflict(
        'session_not_open',
        `The candidate's session is ${session.status}: its deadline no longer matters`,
      );
    }
    // RLS decides here too: "Owners and editors can change deadlines". The database refuses a past deadline.
    const [row] = await tx<SessionRow[]>`
      update public.interview_sessions set deadline = ${deadline}
       where id = ${sessionId}
      returning ${sessionColumns(tx)}`;
    if (!row) throw forbidden('not_campaign_editor', 'Only the campaign owner or an editor can do this');
    return { session: view(row), outboxId: null };
  }, ctx.db ?? processSql);
}

/**
 * Sets the candidate's time zone (the dates in their emails; queued emails follow, by trigger). RLS decides: "Owners
 * and editors can change deadlines" covers the session's row.
 */
export async function changeTimeZone(ctx: ManageContext, sessionId: string, timeZone: string): Promise<SessionView> {
  return await asUser(ctx.claims, async (tx) => {
    await editableSession(tx, sessionId);
    const [row] = await tx<SessionRow[]>`
      update public.interview_sessions set time_zone = ${timeZone}
       where id = ${sessionId}
      returning ${sessionColumns(tx)}`;
    if (!row) throw forbidden('not_campaign_editor', 'Only the campaign owner or an editor can do this');
    return view(row);
  }, ctx.db ?? processSql);
}

/** Withdraws the invitation: the session becomes withdrawn, its token dies and its queued emails are cancelled. */
export async function withdraw(ctx: ManageContext, sessionId: string): Promise<SessionView> {
  return await asUser(ctx.claims, async (tx) => {
    await editableSession(tx, sessionId);
    await tx`select 1 from public.withdraw_interview(${sessionId})`;
    const [row] = await tx<SessionRow[]>`
      select ${sessionColumns(tx)} from public.interview_sessions where id = ${sessionId}`;
    return view(row);
  }, ctx.db ?? processSql);
}

/**
 * Queues the reminder of every session due for one (deadline within 24 h, not completed, none sent yet). A candidate
 * who has not activated gets a fresh activation link (the previous one stops working). Returns the outbox ids.
 */
export async function queueReminders(config: AppConfig, limit: number, db: Sql = processSql): Promise<string[]> {
  // Service: a scheduled job with no user; it reads every campaign's sessions and writes tokens and the outbox.
  return await asService(async (tx) => {
    const due = await tx<{ session_id: string; needs_token: boolean }[]>`
      select session_id, needs_token from private.due_reminder_sessions(${limit})`;
    if (due.length === 0) return [];
    const items = [];
    for (const row of due) {
      if (row.needs_token) {
        const issued = await issueToken(config.serviceRoleKey);
        items.push({ session_id: row.session_id, token_hash: issued.hashHex, secret: issued.secretHex });
      } else {
        items.push({ session_id: row.session_id, token_hash: null, secret: null });
      }
    }
    const queued = await tx<{ id: string }[]>`select q as id from private.queue_reminder_emails(${tx.json(items)}) q`;
    return queued.map((q) => q.id);
  }, db);
}
