// The webhooks function's app: the shared function shell (createApp) with the endpoint, replay and worker routes.
// Endpoints are otherwise managed through PostgREST (public.webhook_endpoints, under RLS); the routes here are what
// needs the function: creation with the destination checked against DNS, an immediate send of a replay, the worker.
import { createRoute, OpenAPIHono, type OpenAPIHonoOptions, z } from '@hono/zod-openapi';
import type { HonoRequest } from 'hono';
import { requireServiceRole, requireUser, type UserVariables } from '../../shared/auth.ts';
import { asUser, type Sql, sql as processSql } from '../../shared/db.ts';
import { badRequest, toValidationIssues, unprocessable, validationFailed } from '../../shared/errors.ts';
import {
  type AppEnv,
  bearerAuth,
  createApp,
  type CreateAppOptions,
  defaultHook,
  errorResponses,
} from '../../shared/http.ts';
import type { Logger } from '../../shared/log.ts';
import { uuid, uuidParam } from '../../shared/validation.ts';
import { type AttemptResult, type Message, runDeliveries } from './deliver.ts';
import { checkDestination, DestinationRefused } from './destination.ts';
import { loadWebhookSettings, type WebhookSettings } from './settings.ts';

type Env = { Variables: AppEnv['Variables'] & UserVariables };

export interface WebhooksOptions extends CreateAppOptions {
  settings?: WebhookSettings;
  /** Replaces the real send (unit tests). */
  send?: (message: Message) => Promise<AttemptResult>;
  resolve?: (hostname: string) => Promise<string[]>;
}

export const EVENT_TYPES = [
  'session.invited',
  'session.started',
  'session.completed',
  'session.expired',
  'session.withdrawn',
  'response.submitted',
  'evaluation.created',
  'decision.made',
  'session.erased',
] as const;

const EndpointBody = z
  .object({
    organization_id: uuid,
    url: z.string().min(1).max(500).openapi({ example: 'https://ats.example.com/hooks/interviews' }),
    event_types: z.array(z.enum(EVENT_TYPES)).min(1).max(EVENT_TYPES.length),
    campaign_id: uuid.nullable().optional().openapi({ description: 'Only events of this campaign' }),
    description: z.string().max(200).optional(),
  })
  .openapi('WebhookEndpointRequest');

const Endpoint = z
  .object({
    id: uuid,
    organization_id: uuid,
    campaign_id: uuid.nullable(),
    url: z.string(),
    description: z.string(),
    event_types: z.array(z.string()),
    enabled: z.boolean(),
    created_at: z.string(),
    secret: z.string().openapi({ description: 'The signing secret (whsec_...): shown this once only' }),
  })
  .openapi('WebhookEndpointCreated');

const Delivery = z
  .object({ id: uuid, endpoint_id: uuid, event_type: z.string(), status: z.string(), next_attempt_at: z.string() })
  .openapi('WebhookDelivery');

const RunResult = z
  .object({
    claimed: z.number(),
    succeeded: z.number(),
    retrying: z.number(),
    failed: z.number(),
    disabled_endpoints: z.number(),
  })
  .openapi('WebhookRunResult');

const RunBody = z.object({ limit: z.number().int().min(1).max(500).optional() });

/** A JSON body that may be empty (pg_cron posts `{}`; a hand call may post nothing). */
async function optionalJson<T extends z.ZodType>(req: HonoRequest, schema: T): Promise<z.infer<T>> {
  const text = await req.text();
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

/** Runs work after the response where the platform allows it (EdgeRuntime.waitUntil), logging a failure. */
function afterResponse(work: Promise<unknown>, log: Logger): void {
  const guarded = work.catch((error) => log.error('background webhook send failed', { error }));
  const edge = (globalThis as { EdgeRuntime?: { waitUntil?: (promise: Promise<unknown>) => void } }).EdgeRuntime;
  if (typeof edge?.waitUntil === 'function') edge.waitUntil(guarded);
}

export function buildWebhooksApp(options: WebhooksOptions = {}) {
  const app = createApp('webhooks', options);
  // Parsed now: a bad setting fails the start-up, not the first delivery.
  const settings = options.settings ?? loadWebhookSettings();
  const db: Sql = options.sql ?? processSql;
  const workerDeps = (log: Logger) => ({ sql: db, settings, log, send: options.send });
  const routes = new OpenAPIHono<Env>({ defaultHook: defaultHook as OpenAPIHonoOptions<Env>['defaultHook'] });

  routes.openapi(
    createRoute({
      method: 'post',
      path: '/endpoints',
      summary: 'Register a webhook endpoint (owner or admin of the organization); the secret is returned this once',
      description: 'The URL must be https and resolve to public addresses only. Equivalent to the RPC ' +
        '`create_webhook_endpoint`, which checks everything but DNS.',
      middleware: [requireUser()] as const,
      security: bearerAuth,
      request: { body: { required: true, content: { 'application/json': { schema: EndpointBody } } } },
      responses: {
        201: { description: 'Registered', content: { 'application/json': { schema: Endpoint } } },
        ...errorResponses(400, 401, 403, 409, 422, 503),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      try {
        await checkDestination(body.url, { allowLoopback: settings.allowLoopback, resolve: options.resolve });
      } catch (error) {
        if (!(error instanceof DestinationRefused)) throw error;
        throw unprocessable('webhook_url_refused', error.message, { reason: error.code });
      }
      const [row] = await asUser(
        c.var.claims,
        (tx) =>
          tx<{ endpoint: z.infer<typeof Endpoint> }[]>`
            select public.create_webhook_endpoint(${body.organization_id}, ${body.url}, ${body.event_types},
              ${body.campaign_id ?? null}, ${body.description ?? ''}) as endpoint`,
        db,
      );
      c.header('cache-control', 'no-store');
      return c.json(row.endpoint, 201);
    },
  );

  routes.openapi(
    createRoute({
      method: 'post',
      path: '/deliveries/{delivery_id}/replay',
      summary: 'Send a delivery again now, with the same webhook-id (owner or admin of the organization)',
      middleware: [requireUser()] as const,
      security: bearerAuth,
      request: { params: uuidParam('delivery_id') },
      responses: {
        202: { description: 'Queued and being sent', content: { 'application/json': { schema: Delivery } } },
        ...errorResponses(400, 401, 404, 409, 503),
      },
    }),
    async (c) => {
      const { delivery_id } = c.req.valid('param');
      const [delivery] = await asUser(
        c.var.claims,
        (tx) =>
          tx<z.infer<typeof Delivery>[]>`
            select id, endpoint_id, event_type, status, next_attempt_at::text
              from public.replay_webhook_delivery(${delivery_id})`,
        db,
      );
      // After commit, in the background; the scheduled run picks it up if this send does not happen.
      afterResponse(
        runDeliveries(workerDeps(c.var.log), { limit: 1, ids: [delivery_id], budgetMs: 10_000 }),
        c.var.log,
      );
      return c.json(delivery, 202);
    },
  );

  routes.openapi(
    createRoute({
      method: 'post',
      path: '/run',
      summary: 'Worker: send due deliveries, with retries and backoff (service role only)',
      middleware: [requireServiceRole()] as const,
      security: bearerAuth,
      request: {
        body: { required: false, content: { 'application/json': { schema: RunBody.partial() } } },
      },
      responses: {
        200: { description: 'What this run did', content: { 'application/json': { schema: RunResult } } },
        ...errorResponses(400, 401, 403, 503),
      },
    }),
    async (c) => {
      const body = await optionalJson(c.req, RunBody);
      const result = await runDeliveries(workerDeps(c.var.log), { limit: body.limit ?? 200 });
      return c.json(result, 200);
    },
  );

  app.route('/', routes);
  return app;
}
