// The routes of the invitations function. Handlers validate, call the modules beside them, and answer.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { HonoRequest } from 'hono';
import type { AppConfig } from '../../shared/config.ts';
import type { Logger } from '../../shared/log.ts';
import { requireServiceRole, requireUser } from '../../shared/auth.ts';
import type { MailConfig } from '../../shared/config.ts';
import { type Sql, sql as processSql } from '../../shared/db.ts';
import { AppError, badRequest, toValidationIssues, validationFailed } from '../../shared/errors.ts';
import { type AppEnv, bearerAuth, errorResponses } from '../../shared/http.ts';
import { email, timestamp, timeZone, uuid, uuidParam } from '../../shared/validation.ts';
import { acceptColleagueInvitation, inviteColleague } from './colleagues.ts';
import { CsvError, csvObjects } from './csv.ts';
import { checkCampaign, invalidRow, inviteRows, InviteRowSchema, locale, type RowOutcome } from './invite.ts';
import { changeDeadline, changeTimeZone, queueReminders, resend, withdraw } from './manage.ts';
import { AFTER_RESPONSE_BUDGET_MS, AFTER_RESPONSE_SEND_LIMIT, afterResponse, runOutbox } from './outbox.ts';

export const MAX_BULK_ROWS = 1000;

/** What the background send needs from a request's context. */
type RequestScope = { var: { config: AppConfig; log: Logger } };

export interface RouteDeps {
  mail: MailConfig;
  /** The pool (defaults to the process pool). */
  sql?: Sql;
}

const InviteBody = InviteRowSchema.extend({ campaign_id: uuid }).openapi('InvitationRequest');

const Invitation = z
  .object({
    session_id: uuid,
    candidate_id: uuid,
    user_id: uuid.openapi({ description: "The candidate's auth user (a placeholder until activation)" }),
    email: z.string(),
    session_status: z.string().openapi({ example: 'invited' }),
    deadline: z.string(),
    time_zone: z.string().openapi({ description: "The candidate's IANA time zone for their emails" }),
    email_status: z.string().nullable().openapi({
      description: 'queued, sent, failed or cancelled',
      example: 'queued',
    }),
  })
  .openapi('Invitation');

const Session = z
  .object({
    session_id: uuid,
    campaign_id: uuid,
    candidate_id: uuid,
    status: z.string(),
    deadline: z.string(),
    time_zone: z.string(),
    email_status: z.string().nullable(),
    email_attempts: z.number().int(),
    email_sent_at: z.string().nullable(),
    reminder_sent_at: z.string().nullable(),
  })
  .openapi('InvitationSession');

const BulkResult = z
  .object({
    row: z.number().int().openapi({ description: 'Index of the row in the request (0-based, header excluded)' }),
    status: z.enum(['created', 'existing', 'error']),
    email: z.string().nullable(),
    session_id: uuid.optional(),
    candidate_id: uuid.optional(),
    user_id: uuid.optional(),
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).optional(),
  })
  .openapi('BulkInvitationResult');

const ColleagueInvitationBody = z
  .object({
    organization_id: uuid,
    email,
    role: z.enum(['admin', 'member']).default('member').openapi({ description: 'The role on joining' }),
    locale: locale.optional(),
  })
  .openapi('ColleagueInvitationRequest');

const ColleagueInvitation = z
  .object({
    id: uuid,
    organization_id: uuid,
    email: z.string(),
    role: z.enum(['admin', 'member']),
    expires_at: z.string().openapi({ description: 'The link works until then (7 days)' }),
  })
  .openapi('ColleagueInvitation');

const AcceptColleagueBody = z
  .object({
    token: z.string().min(20).max(200).regex(/^[A-Za-z0-9_-]+$/).openapi({ description: 'The token from the link' }),
  })
  .openapi('AcceptColleagueInvitationRequest');

const Membership = z
  .object({ organization_id: uuid, role: z.enum(['owner', 'admin', 'member']) })
  .openapi('OrganizationMembership');

const WorkerResult = z.object({ claimed: z.number(), sent: z.number(), retrying: z.number(), failed: z.number() });

function errorJson(outcome: Extract<RowOutcome, { status: 'error' }>) {
  return outcome.error.toJSON().error;
}

/** Reads the rows of a bulk request: a JSON array (or {rows: [...]}), a text/csv body, or a multipart `file`. */
async function bulkRows(c: { req: HonoRequest }): Promise<unknown[]> {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  let rows: unknown;
  if (type === 'application/json') {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw badRequest('invalid_json', 'The body is not valid JSON');
    }
    rows = Array.isArray(body) ? body : (body as { rows?: unknown } | null)?.rows;
    if (!Array.isArray(rows)) throw badRequest('invalid_rows', 'Send a JSON array of rows, or {"rows": [...]}');
  } else if (type === 'text/csv' || type === 'multipart/form-data') {
    let text: string;
    if (type === 'text/csv') {
      text = await c.req.text();
    } else {
      let form: Record<string, unknown>;
      try {
        form = await c.req.parseBody();
      } catch {
        // No boundary, a truncated part, a body that is not multipart at all.
        throw badRequest('invalid_multipart', 'The multipart body cannot be read');
      }
      const file = form.file;
      if (!(file instanceof File)) throw badRequest('invalid_rows', 'Send the CSV as the multipart field `file`');
      text = await file.text();
    }
    try {
      rows = csvObjects(text);
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      throw badRequest('invalid_csv', `The CSV cannot be read: ${error.message}`, { line: error.line });
    }
  } else {
    throw new AppError(415, 'unsupported_media_type', 'Send application/json, text/csv or multipart/form-data');
  }
  const list = rows as unknown[];
  if (list.length === 0) throw badRequest('no_rows', 'The upload holds no rows');
  if (list.length > MAX_BULK_ROWS) {
    throw new AppError(413, 'too_many_rows', `At most ${MAX_BULK_ROWS} rows per request`, {
      rows: list.length,
      max: MAX_BULK_ROWS,
    });
  }
  return list;
}

export function mountRoutes(app: OpenAPIHono<AppEnv>, deps: RouteDeps) {
  const db = deps.sql ?? processSql;
  const outboxDeps = (c: RequestScope) => ({ config: c.var.config, mail: deps.mail, sql: db, log: c.var.log });
  // After commit, in the background: the response does not wait for the mail server. At most
  // AFTER_RESPONSE_SEND_LIMIT go out now; the rest, and what fails, stays queued for the scheduled outbox job.
  const sendSoon = (c: RequestScope, ids: string[]) => {
    if (ids.length === 0) return;
    const limit = Math.min(ids.length, AFTER_RESPONSE_SEND_LIMIT);
    afterResponse(runOutbox(outboxDeps(c), { ids, limit, budgetMs: AFTER_RESPONSE_BUDGET_MS }), c.var.log);
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      summary: 'Invite one candidate (owner or editor of the campaign)',
      description: 'Creates the placeholder account if needed, the candidate row and the session, and queues the ' +
        'invitation email. Idempotent: the same campaign and email answer the same session with 200.',
      middleware: [requireUser()] as const,
      security: bearerAuth,
      request: { body: { required: true, content: { 'application/json': { schema: InviteBody } } } },
      responses: {
        201: { description: 'Invited', content: { 'application/json': { schema: Invitation } } },
        200: {
          description: 'Already invited: the existing session',
          content: { 'application/json': { schema: Invitation } },
        },
        ...errorResponses(400, 401, 403, 404, 409, 422, 429, 503),
      },
    }),
    async (c) => {
      const { campaign_id, ...row } = c.req.valid('json');
      const ctx = { claims: c.var.claims, config: c.var.config, db };
      await checkCampaign(ctx, campaign_id);
      const { outcomes, outboxIds } = await inviteRows(ctx, campaign_id, [row], { locale: 'fr' });
      sendSoon(c, outboxIds);
      const outcome = outcomes[0];
      if (outcome.status === 'error') throw outcome.error;
      const { status, ...invitation } = outcome;
      return c.json(invitation, status === 'created' ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/bulk',
      summary: 'Invite up to 1,000 candidates: a JSON array, a text/csv body or a multipart `file`',
      description:
        'CSV: a header row naming the columns (email, first_name, last_name, phone, linkedin_url, time_zone, ' +
        'deadline, locale). One result per row, in order; a bad row gets its own error and does not stop the others.',
      middleware: [requireUser()] as const,
      security: bearerAuth,
      request: {
        query: z.object({
          campaign_id: uuid.openapi({ param: { name: 'campaign_id', in: 'query' } }),
          locale: locale.default('fr'),
        }),
        body: {
          required: true,
          description: 'application/json: an array of InvitationRow (or {"rows": [...]}); text/csv or multipart ' +
            'form field `file`: CSV with a header row',
          content: {
            // Plain OpenAPI schemas, not zod: documented but not validated as a whole, because each row is validated
            // on its own (one bad row must not sink the others) and the size limit has its own error.
            'application/json': {
              schema: {
                oneOf: [
                  { type: 'array', maxItems: MAX_BULK_ROWS, items: { $ref: '#/components/schemas/InvitationRow' } },
                  {
                    type: 'object',
                    properties: {
                      rows: {
                        type: 'array',
                        maxItems: MAX_BULK_ROWS,
                        items: { $ref: '#/components/schemas/InvitationRow' },
                      },
                    },
                    required: ['rows'],
                  },
                ],
              },
            },
            'text/csv': {
              schema: { type: 'string', example: 'email,first_name,last_name\nada@example.com,Ada,Lovelace\n' },
            },
            'multipart/form-data': {
              schema: {
                type: 'object',
                properties: { file: { type: 'string', format: 'binary', description: 'The CSV file' } },
                required: ['file'],
              },
            },
          },
        },
      },
      responses: {
        200: {
          description: 'One result per row',
          content: {
            'application/json': {
              schema: z.object({
                results: z.array(BulkResult),
                summary: z.object({ created: z.number(), existing: z.number(), error: z.number() }),
              }),
            },
          },
        },
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429, 503),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const ctx = { claims: c.var.claims, config: c.var.config, db };
      const raw = await bulkRows(c);
      await checkCampaign(ctx, query.campaign_id);
      const rows = raw.map((item) => {
        const parsed = InviteRowSchema.safeParse(item);
        return parsed.success ? parsed.data : invalidRow(parsed.error.issues);
      });
      const { outcomes, outboxIds, timings } = await inviteRows(ctx, query.campaign_id, rows, {
        locale: query.locale,
      });
      sendSoon(c, outboxIds);
      const summary = { created: 0, existing: 0, error: 0 };
      const results = outcomes.map((outcome, index) => {
        summary[outcome.status]++;
        if (outcome.status === 'error') {
          const email = typeof (raw[index] as { email?: unknown })?.email === 'string'
            ? (raw[index] as { email: string }).email
            : null;
          return { row: index, status: 'error' as const, email: outcome.email ?? email, error: errorJson(outcome) };
        }
        return {
          row: index,
          status: outcome.status,
          email: outcome.email,
          session_id: outcome.session_id,
          candidate_id: outcome.candidate_id,
          user_id: outcome.user_id,
        };
      });
      c.var.log.info('bulk invitation', { campaign_id: query.campaign_id, rows: rows.length, ...summary, ...timings });
      return c.json({ results, summary }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/outbox/run',
      summary: 'Outbox worker: send due emails, with retries and backoff (service role only)',
      middleware: [requireServiceRole()] as const,
      security: bearerAuth,
      request: {
        body: {
          required: false,
          content: {
            'application/json': {
              schema: z.object({ limit: z.number().int().min(1).max(500).default(100) }).partial(),
            },
          },
        },
      },
      responses: {
        200: { description: 'What this run did', content: { 'application/json': { schema: WorkerResult } } },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const body = await optionalJson(c, z.object({ limit: z.number().int().min(1).max(500).optional() }));
      const result = await runOutbox(outboxDeps(c), { limit: body.limit ?? 100 });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/reminders/run',
      summary: 'Queue the 24 h deadline reminders that are due, once per session (service role only)',
      middleware: [requireServiceRole()] as const,
      security: bearerAuth,
      responses: {
        200: {
          description: 'How many reminders were queued',
          content: { 'application/json': { schema: z.object({ queued: z.number() }) } },
        },
        ...errorResponses(401, 403),
      },
    }),
    async (c) => {
      const body = await optionalJson(c, z.object({ limit: z.number().int().min(1).max(1000).optional() }));
      const ids = await queueReminders(c.var.config, body.limit ?? 500, db);
      sendSoon(c, ids);
      return c.json({ queued: ids.length }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/colleagues',
      summary: 'Invite a colleague by email into an organization (its owners and admins)',
      description: 'Emails a link valid for 7 days; inviting the same address again replaces the link. At most 50 ' +
        'colleague invitations per organization per day.',
      middleware: [requireUser()] as const,
      security: bearerAuth,
      request: { body: { required: true, content: { 'application/json': { schema: ColleagueInvitationBody } } } },
      responses: {
        201: {
          description: 'Invited: the email is queued',
          content: { 'application/json': { schema: ColleagueInvitation } },
        },
        ...errorResponses(400, 401, 403, 409, 422, 429),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { invitation, outboxId } = await inviteColleague(
        { claims: c.var.claims, config: c.var.config, db },
        { ...body, locale: body.locale ?? 'fr' },
      );
      sendSoon(c, [outboxId]);
      return c.json(invitation, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/colleagues/accept',
      summary: 'Join the organization of a colleague invitation (signed in with the invited address)',
      middleware: [requireUser()] as const,
      security: bearerAuth,
      request: { body: { required: true, content: { 'application/json': { schema: AcceptColleagueBody } } } },
      responses: {
        200: { description: 'Joined', content: { 'application/json': { schema: Membership } } },
        ...errorResponses(400, 401, 403, 404, 410),
      },
    }),
    async (c) => {
      const { token } = c.req.valid('json');
      const membership = await acceptColleagueInvitation({ claims: c.var.claims, config: c.var.config, db }, token);
      return c.json(membership, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{session_id}/resend',
      summary: 'Send the invitation again with a new link (the previous link stops working)',
      middleware: [requireUser()] as const,
      security: bearerAuth,
      request: {
        params: uuidParam('session_id'),
        body: {
          required: false,
          content: { 'application/json': { schema: z.object({ locale: locale.optional() }) } },
        },
      },
      responses: {
        200: { description: 'A new email is queued', content: { 'application/json': { schema: Session } } },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { session_id } = c.req.valid('param');
      const body = await optionalJson(c, z.object({ locale: locale.optional() }));
      const { session, outboxId } = await resend(
        { claims: c.var.claims, config: c.var.config, db },
        session_id,
        body.locale ?? null,
      );
      sendSoon(c, [outboxId]);
      return c.json(session, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/{session_id}',
      summary: "Change this candidate's deadline or time zone; an expired session reopens with a new deadline " +
        '(the candidate is emailed)',
      middleware: [requireUser()] as const,
      security: bearerAuth,
      request: {
        params: uuidParam('session_id'),
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({ deadline: timestamp.optional(), time_zone: timeZone.optional() })
                .refine((b) => b.deadline !== undefined || b.time_zone !== undefined, {
                  message: 'give a deadline, a time_zone, or both',
                })
                .openapi('InvitationChange'),
            },
          },
        },
      },
      responses: {
        200: { description: 'The session with its new deadline', content: { 'application/json': { schema: Session } } },
        ...errorResponses(400, 401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const { session_id } = c.req.valid('param');
      const { deadline, time_zone } = c.req.valid('json');
      const ctx = { claims: c.var.claims, config: c.var.config, db };
      // The zone first, so that an email a reopening queues already shows it.
      let session = time_zone === undefined ? null : await changeTimeZone(ctx, session_id, time_zone);
      if (deadline !== undefined) {
        const changed = await changeDeadline(ctx, session_id, deadline);
        session = changed.session;
        if (changed.outboxId) sendSoon(c, [changed.outboxId]);
      }
      return c.json(session!, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{session_id}',
      summary: 'Withdraw the invitation: the session is withdrawn, the link stops working, queued emails are cancelled',
      middleware: [requireUser()] as const,
      security: bearerAuth,
      request: { params: uuidParam('session_id') },
      responses: {
        200: { description: 'The withdrawn session', content: { 'application/json': { schema: Session } } },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { session_id } = c.req.valid('param');
      const session = await withdraw({ claims: c.var.claims, config: c.var.config, db }, session_id);
      return c.json(session, 200);
    },
  );
}

/** A JSON body that may be absent (schedulers post `{}` or nothing). */
async function optionalJson<T extends z.ZodType>(c: { req: HonoRequest }, schema: T): Promise<z.infer<T>> {
  const text = await c.req.text();
  if (text.trim() === '') return {} as z.infer<T>;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('invalid_json', 'The body is not valid JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationFailed(toValidationIssues(parsed.error.issues, 'json'));
  return parsed.data;
}
