// The analytics function: the campaign report, the dashboard and the CSV export. Every number comes from one SQL
// function call made as the caller (see store.ts), so the edge function does no counting of its own.
import { createRoute, OpenAPIHono, type OpenAPIHonoOptions, z } from '@hono/zod-openapi';
import { requireUser, type UserVariables } from '../../shared/auth.ts';
import { notFound } from '../../shared/errors.ts';
import {
  type AppEnv,
  bearerAuth,
  createApp,
  type CreateAppOptions,
  defaultHook,
  errorResponses,
} from '../../shared/http.ts';
import { uuidParam } from '../../shared/validation.ts';
import { contentDisposition, type CsvCell, toCsv } from './csv.ts';
import { type CampaignExport, CampaignReportSchema, DashboardSchema } from './schemas.ts';
import { type AnalyticsStore, sqlStore } from './store.ts';

type Env = { Variables: AppEnv['Variables'] & UserVariables };

export interface AnalyticsOptions extends CreateAppOptions {
  store?: AnalyticsStore;
}

const campaignNotFound = () => notFound('campaign_not_found', 'No campaign with this id that you can see');

const EXPORT_COLUMNS = [
  'session_id',
  'candidate_id',
  'email',
  'first_name',
  'last_name',
  'status',
  'invited_at',
  'started_at',
  'completed_at',
  'expired_at',
  'withdrawn_at',
  'deadline',
  'time_to_complete_seconds',
  'answered',
  'evaluations',
  'average_score',
  'decision',
] as const;

/** The export as CSV: the fixed columns, then one `q<position>_score` column per question, in order. */
export function exportCsv(data: CampaignExport): string {
  const header = [...EXPORT_COLUMNS, ...data.questions.map((q) => `q${q.position}_score`)];
  const rows = data.rows.map((row): CsvCell[] => [
    ...EXPORT_COLUMNS.map((column) => row[column] as CsvCell),
    ...data.questions.map((_, i) => row.question_scores[i] ?? null),
  ]);
  return toCsv(header, rows);
}

export function buildAnalyticsApp(options: AnalyticsOptions = {}) {
  const app = createApp('analytics', options);
  const store = options.store ?? sqlStore(options.sql);
  // The shared hook only throws validation errors; it reads nothing the user variables would change.
  const routes = new OpenAPIHono<Env>({ defaultHook: defaultHook as OpenAPIHonoOptions<Env>['defaultHook'] });
  routes.use('/campaigns/*', requireUser());
  routes.use('/dashboard', requireUser());

  routes.openapi(
    createRoute({
      method: 'get',
      path: '/campaigns/{campaign_id}',
      summary: 'The report of one campaign (owner, collaborators, admins)',
      description: 'Funnel, completion, time to complete, per-question numbers, reviewer agreement and a daily ' +
        'timeline. Scores count what the caller may read (blind review applies to reviewers).',
      security: bearerAuth,
      request: { params: uuidParam('campaign_id') },
      responses: {
        200: { description: 'The report', content: { 'application/json': { schema: CampaignReportSchema } } },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const report = await store.campaignReport(c.var.claims, c.req.valid('param').campaign_id);
      if (!report) throw campaignNotFound();
      c.header('cache-control', 'private, no-store');
      return c.json(report, 200);
    },
  );

  routes.openapi(
    createRoute({
      method: 'get',
      path: '/campaigns/{campaign_id}/export.csv',
      summary: 'One CSV row per candidate of a campaign, with status, times and scores',
      security: bearerAuth,
      request: { params: uuidParam('campaign_id') },
      responses: {
        200: {
          description: 'CSV (RFC 4180, UTF-8, CRLF), as an attachment',
          content: { 'text/csv': { schema: z.string() } },
        },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const data = await store.campaignExport(c.var.claims, c.req.valid('param').campaign_id);
      if (!data) throw campaignNotFound();
      return c.body(exportCsv(data), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': contentDisposition(data.campaign.title, new Date()),
        'cache-control': 'private, no-store',
      });
    },
  );

  routes.openapi(
    createRoute({
      method: 'get',
      path: '/dashboard',
      summary: "The caller's overview across the campaigns they can read",
      security: bearerAuth,
      request: {
        query: z.object({
          attention_days: z.coerce.number().int().min(1).max(90).default(7).openapi({
            description: 'A campaign needs attention when it ends within this many days...',
          }),
          attention_ratio: z.coerce.number().min(0).max(1).default(0.5).openapi({
            description: '...and at least this share of its candidates have not started',
          }),
        }),
      },
      responses: {
        200: { description: 'The dashboard', content: { 'application/json': { schema: DashboardSchema } } },
        ...errorResponses(400, 401),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const dashboard = await store.dashboard(c.var.claims, {
        attentionDays: query.attention_days,
        attentionRatio: query.attention_ratio,
      });
      c.header('cache-control', 'private, no-store');
      return c.json(dashboard, 200);
    },
  );

  app.route('/', routes);
  return app;
}
