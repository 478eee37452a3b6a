// Inviting candidates, one or a thousand at a time, through one code path.
//
// Order of work, so that a failure leaves nothing half-made:
//   1. as the caller: the campaign exists for them, they may edit it, it is open (no account is created otherwise);
//   2. service: find existing accounts by email (the caller cannot read auth.users); staff emails are refused;
//   3. GoTrue admin API: create the missing placeholder accounts, 8 at a time ("already exists" -> look it up);
//   4. ONE transaction as the caller (RLS applies to the session insert): candidate rows, sessions (on conflict do
//      nothing: the same campaign and email give the same session), token hashes and queued emails;
//   5. after commit: send the new emails (the outbox worker retries what fails).
// A GoTrue outage in step 3 fails the affected rows before any candidate row or session exists.
import { z } from '@hono/zod-openapi';
import type { Claims } from '../../shared/auth.ts';
import type { AppConfig } from '../../shared/config.ts';
import { asService, asUser, type Sql, sql as processSql, type Tx } from '../../shared/db.ts';
import {
  AppError,
  conflict,
  forbidden,
  notFound,
  toValidationIssues,
  unprocessable,
  validationFailed,
} from '../../shared/errors.ts';
import { email as emailSchema, singleLine, timestamp, timeZone, webUrl } from '../../shared/validation.ts';
import { authAdmin } from '../../shared/auth-admin.ts';
import { createPlaceholderUser } from './placeholders.ts';
import { issueToken } from './tokens.ts';

export const LOCALES = ['fr', 'en'] as const;
export const locale = z.enum(LOCALES).openapi({ description: 'Language of the emails', example: 'fr' });

/** One candidate to invite (the body of POST /invitations without campaign_id, a row of a bulk upload). */
export const InviteRowSchema = z
  .object({
    email: emailSchema,
    first_name: singleLine(100).optional().openapi({
      example: 'Ada',
      description: 'As this company knows the person: kept on its invitation, seen only by its team',
    }),
    last_name: singleLine(100).optional().openapi({ example: 'Lovelace' }),
    phone: singleLine(50).optional().openapi({ example: '+33 6 12 34 56 78' }),
    linkedin_url: webUrl.optional(),
    deadline: timestamp.optional().openapi({
      description: "This candidate's deadline; defaults to the campaign's end date",
    }),
    locale: locale.optional(),
    time_zone: timeZone.optional().openapi({
      description: "The candidate's IANA time zone, for the dates in their emails (the API stays UTC); defaults to " +
        "the organization's. 400 invalid_time_zone otherwise",
    }),
  })
  .openapi('InvitationRow');
export type InviteRow = z.infer<typeof InviteRowSchema>;

export type RowOutcome =
  | {
    status: 'created' | 'existing';
    session_id: string;
    candidate_id: string;
    user_id: string;
    email: string;
    session_status: string;
    deadline: string;
    time_zone: string;
    email_status: string | null;
  }
  | { status: 'error'; email: string | null; error: AppError };

export interface InviteContext {
  claims: Claims;
  config: AppConfig;
  db?: Sql;
}

export interface InviteResult {
  outcomes: RowOutcome[];
  /** Outbox rows queued by this request, to send after the response. */
  outboxIds: string[];
  /** Where the time went (logged by the bulk route). */
  timings: { accounts_ms: number; accounts_created: number; transaction_ms: number };
}

/** Placeholder accounts created in parallel: enough to hide GoTrue's latency, few enough not to flood it. */
const CREATE_CONCURRENCY = 8;

interface CampaignForInvite {
  id: string;
  end_date: Date;
}

/** Step 1: 404 campaign_not_found, 403 not_campaign_editor, 409 campaign_not_open. */
export async function checkCampaign(ctx: InviteContext, campaignId: string): Promise<CampaignForInvite> {
  const [campaign] = await asUser(
    ctx.claims,
    (tx) =>
      tx<{ id: string; status: string; end_date: Date; can_edit: boolean }[]>`
      select c.id, c.status, c.end_date, private.can_edit_campaign(c.id) as can_edit
        from public.campaigns c where c.id = ${campaignId}`,
    ctx.db,
  );
  if (!campaign) throw notFound('campaign_not_found', 'No such campaign, or it is not shared with you');
  if (!campaign.can_edit) {
    throw forbidden('not_campaign_editor', 'Only the campaign owner or an editor can invite candidates');
  }
  if (campaign.status === 'closed' || campaign.status === 'archived' || campaign.end_date.getTime() <= Date.now()) {
    throw conflict('campaign_not_open', 'The campaign is closed, archived or past its end date');
  }
  return campaign;
}

/** Staff and admin addresses are refused like any address that cannot be invited: the answer names no role. */
function notInvitable(): AppError {
  return conflict('email_not_invitable', 'This address cannot be invited as a candidate');
}

interface Account {
  id: string;
  role: string | null;
}

async function findAccounts(db: Sql, emails: string[], caseInsensitive: boolean): Promise<Map<string, Account>> {
  if (emails.length === 0) return new Map();
  // Service: the caller may not read auth.users or other people's profiles; only id and role leave this query.
  const rows = await asService((tx) =>
    caseInsensitive
      ? tx<{ email: string; id: string; role: string | null }[]>`
          select lower(u.email) as email, u.id, p.role::text as role
            from auth.users u left join public.profiles p on p.id = u.id
           where lower(u.email) = any (${emails}::text[])`
      : tx<{ email: string; id: string; role: string | null }[]>`
          select lower(u.email) as email, u.id, p.role::text as role
            from auth.users u left join public.profiles p on p.id = u.id
           where u.email = any (${emails}::text[])`, db);
  return new Map(rows.map((r) => [r.email, { id: r.id, role: r.role }]));
}

type QuotaKind = 'invitation' | 'placeholder_account';

const QUOTA_EXCEEDED: Record<QuotaKind, { code: string; what: string }> = {
  invitation: { code: 'invitation_quota_exceeded', what: 'new invitations' },
  placeholder_account: { code: 'placeholder_quota_exceeded', what: 'new candidate accounts' },
};

/**
 * 429 invitation_quota_exceeded / placeholder_quota_exceeded when `requested` more uses exceed what the caller's
 * account or the campaign's organization may still use (private.my_quota_refusal; admins have no quota). Asked before
 * anything is created, for a clear answer; the database enforces the same budgets again where the rows are written.
 */
async function checkQuota(ctx: InviteContext, db: Sql, campaignId: string, kind: QuotaKind, requested: number) {
  if (requested === 0) return;
  const [refusal] = await asUser(
    ctx.claims,
    (tx) =>
      tx<{ scope: string; period: string; max_count: number; remaining: number; retry_after_seconds: number | null }[]>`
      select scope, period, max_count, remaining, retry_after_seconds
        from private.my_quota_refusal(${campaignId}, ${kind}, ${requested})`,
    db,
  );
  if (!refusal) return;
  const { code, what } = QUOTA_EXCEEDED[kind];
  throw new AppError(
    429,
    code,
    `This ${refusal.scope} may make ${refusal.remaining} more ${what} now (at most ${refusal.max_count} per ` +
      `${refusal.period}); this request needs ${requested}. Nothing was created.`,
    {
      scope: refusal.scope,
      period: refusal.period,
      limit: refusal.max_count,
      remaining: refusal.remaining,
      requested,
      ...(refusal.retry_after_seconds ? { retry_after_seconds: refusal.retry_after_seconds } : {}),
    },
  );
}

/** How many of `emails` would be new invitations: no session in this campaign yet, whoever invited them. */
async function countNewInvitations(db: Sql, campaignId: string, emails: string[]): Promise<number> {
  if (emails.length === 0) return 0;
  // Service: the caller may not see every session of the campaign.
  const [{ fresh }] = await asService((tx) =>
    tx<{ fresh: number }[]>`
      select count(*)::int as fresh from unnest(${emails}::text[]) e
       where not exists (select 1 from public.interview_sessions s join public.candidates c on c.id = s.candidate_id
                          where s.campaign_id = ${campaignId} and lower(c.email) = e)`, db);
  return fresh;
}

/**
 * Takes the placeholder budget for `emails` before their accounts exist (refused whole, PT429, past it: the database
 * serializes concurrent requests), and returns a function that records which accounts were made.
 */
async function reservePlaceholders(ctx: InviteContext, db: Sql, campaignId: string, emails: string[]) {
  await checkQuota(ctx, db, campaignId, 'placeholder_account', emails.length);
  const reservations = emails.length === 0 ? [] : await asUser(
    ctx.claims,
    (tx) =>
      tx<{ email: string; reservation_id: string }[]>`
      select email, reservation_id from private.reserve_placeholder_accounts(${campaignId}, ${emails}::text[])`,
    db,
  );
  const reservationOf = new Map(reservations.map((r) => [r.email, r.reservation_id]));
  return async (created: Map<string, string>) => {
    const pairs = [...created].filter(([email]) => reservationOf.has(email));
    if (pairs.length === 0) return;
    await asService(
      (tx) =>
        tx`select private.record_placeholder_accounts(${pairs.map(([email]) => reservationOf.get(email)!)}::bigint[],
                                                   ${pairs.map(([, id]) => id)}::uuid[])`,
      db,
    );
  };
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}

/**
 * Invites `rows` (already validated) into a campaign checked by `checkCampaign`. Returns one outcome per row, in
 * order. Throws only for whole-request failures (database down, the campaign closing meanwhile).
 */
export async function inviteRows(
  ctx: InviteContext,
  campaignId: string,
  rows: Array<InviteRow | AppError>,
  defaults: { locale: typeof LOCALES[number] },
): Promise<InviteResult> {
  const db = ctx.db ?? processSql;
  const outcomes: Array<RowOutcome | undefined> = new Array(rows.length);
  const rowErrors = new Map<string, AppError>();

  // The first row of each email does the work; later duplicates report the same session as existing.
  const firstRow = new Map<string, InviteRow>();
  rows.forEach((row, index) => {
    if (row instanceof AppError) {
      outcomes[index] = { status: 'error', email: null, error: row };
    } else if (row.deadline && Date.parse(row.deadline) <= Date.now()) {
      outcomes[index] = {
        status: 'error',
        email: row.email,
        error: unprocessable('session_deadline_in_past', 'The deadline must be in the future'),
      };
    } else if (!firstRow.has(row.email)) {
      firstRow.set(row.email, row);
    }
  });
  const emails = [...firstRow.keys()].sort();

  // Before any account exists: the caller's budget of new invitations (the database enforces it again at insert).
  await checkQuota(ctx, db, campaignId, 'invitation', await countNewInvitations(db, campaignId, emails));

  // Step 2 and 3: an account per email.
  const started = performance.now();
  const auth = authAdmin(ctx.config);
  const accounts = await findAccounts(db, emails, false);
  const missing = emails.filter((e) => !accounts.has(e));
  const recordPlaceholders = await reservePlaceholders(ctx, db, campaignId, missing);
  const raced: string[] = [];
  const createdAccounts = new Map<string, string>();
  await pool(missing, CREATE_CONCURRENCY, async (email) => {
    const row = firstRow.get(email)!;
    try {
      const created = await createPlaceholderUser(auth, row);
      if (created.created) {
        accounts.set(email, { id: created.id, role: 'candidate' });
        createdAccounts.set(email, created.id);
      } else raced.push(email);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      rowErrors.set(email, error);
    }
  });
  await recordPlaceholders(createdAccounts);
  // Created by someone else since step 2 (a parallel invite, a sign-up): use that account.
  for (const [email, account] of await findAccounts(db, raced, true)) accounts.set(email, account);
  for (const email of raced) {
    if (!accounts.has(email)) {
      rowErrors.set(email, conflict('transaction_conflict', 'The account changed meanwhile, retry'));
    }
  }
  for (const email of emails) {
    const role = accounts.get(email)?.role;
    if (role === 'hiring_manager' || role === 'admin') rowErrors.set(email, notInvitable());
  }

  // Step 4: one transaction as the caller.
  const accountsDone = performance.now();
  const ready = emails.filter((e) => !rowErrors.has(e));
  const byEmail = new Map<string, Extract<RowOutcome, { status: 'created' | 'existing' }>>();
  let outboxIds: string[] = [];
  if (ready.length > 0) {
    await asUser(ctx.claims, async (tx: Tx) => {
      const candidates = await tx<{ email: string; candidate_id: string }[]>`
        select email, candidate_id from private.invite_upsert_candidates(${campaignId}, ${
        tx.json(ready.map((email) => ({ email })))
      })`;
      const candidateOf = new Map(candidates.map((c) => [c.email, c.candidate_id]));
      // What the company typed about each person stays on its own session (the candidate row is the person's).
      const items = ready.map((e) => {
        const r = firstRow.get(e)!;
        return {
          candidate_id: candidateOf.get(e)!,
          deadline: r.deadline ?? null,
          first_name: r.first_name ?? '',
          last_name: r.last_name ?? '',
          phone: r.phone ?? null,
          linkedin_url: r.linkedin_url ?? null,
          time_zone: r.time_zone ?? null,
        };
      });
      // RLS decides here: the policy lets only owners and editors insert sessions into a campaign.
      const inserted = await tx<{ id: string }[]>`
        insert into public.interview_sessions (campaign_id, candidate_id, deadline, invited_first_name,
                                               invited_last_name, invited_phone, invited_linkedin_url, time_zone)
        select ${campaignId}::uuid, x.candidate_id, x.deadline, x.first_name, x.last_name, x.phone, x.linkedin_url,
               x.time_zone
          from jsonb_to_recordset(${tx.json(items)})
               as x(candidate_id uuid, deadline timestamptz, first_name text, last_name text, phone text,
                    linkedin_url text, time_zone text)
         order by x.candidate_id
        on conflict (campaign_id, candidate_id) do nothing
        returning id`;
      const createdIds = new Set(inserted.map((r) => r.id));
      const sessions = await tx<
        {
          id: string;
          candidate_id: string;
          status: string;
          deadline: Date;
          time_zone: string;
          email_status: string | null;
        }[]
      >`
        select id, candidate_id, status::text as status, deadline, private.session_time_zone(id) as time_zone,
               email_status
          from public.interview_sessions
         where campaign_id = ${campaignId} and candidate_id = any (${items.map((i) => i.candidate_id)}::uuid[])`;
      const sessionOf = new Map(sessions.map((s) => [s.candidate_id, s]));

      const toQueue: Array<{ session_id: string; token_hash: string; secret: string; locale: string }> = [];
      for (const email of ready) {
        const session = sessionOf.get(candidateOf.get(email)!)!;
        const created = createdIds.has(session.id);
        if (created) {
          const issued = await issueToken(ctx.config.serviceRoleKey);
          toQueue.push({
            session_id: session.id,
            token_hash: issued.hashHex,
            secret: issued.secretHex,
            locale: firstRow.get(email)!.locale ?? defaults.locale,
          });
        }
        byEmail.set(email, {
          status: created ? 'created' : 'existing',
          session_id: session.id,
          candidate_id: session.candidate_id,
          user_id: accounts.get(email)!.id,
          email,
          session_status: session.status,
          deadline: session.deadline.toISOString(),
          time_zone: session.time_zone,
          email_status: created ? 'queued' : session.email_status,
        });
      }
      if (toQueue.length > 0) {
        // Token hashes and the outbox: no client privilege; the definer function checks the caller's right again.
        const queued = await tx<{ id: string }[]>`
          select q as id from private.queue_invitation_emails(${tx.json(toQueue)}) q`;
        outboxIds = queued.map((q) => q.id);
      }
    }, db);
  }

  rows.forEach((row, index) => {
    if (outcomes[index] || row instanceof AppError) return;
    const error = rowErrors.get(row.email);
    if (error) {
      outcomes[index] = { status: 'error', email: row.email, error };
      return;
    }
    const done = byEmail.get(row.email)!;
    const first = firstRow.get(row.email) === row;
    outcomes[index] = first ? done : { ...done, status: 'existing' };
  });
  const timings = {
    accounts_ms: Math.round(accountsDone - started),
    accounts_created: missing.length - raced.length,
    transaction_ms: Math.round(performance.now() - accountsDone),
  };
  return { outcomes: outcomes as RowOutcome[], outboxIds, timings };
}

/** A bulk row that failed validation, as the AppError its outcome reports. */
export function invalidRow(issues: z.core.$ZodIssue[]): AppError {
  return validationFailed(toValidationIssues(issues), 'The row is invalid');
}
