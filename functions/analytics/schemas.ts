// The shapes the analytics SQL functions return, as zod schemas for the OpenAPI document (and the types the routes
// answer with). Rates are 0..1 with four decimals; times are in seconds; null means "no data" (never 0 in disguise).
import { z } from '@hono/zod-openapi';

const count = z.number().int().min(0);
const rate = z.number().min(0).max(1).nullable();
const timestamp = z.string().openapi({ example: '2026-11-26T08:00:00+00:00' });

export const CampaignReportSchema = z
  .object({
    campaign: z.object({
      id: z.uuid(),
      title: z.string(),
      status: z.enum(['draft', 'active', 'closed', 'archived']),
      start_date: timestamp,
      end_date: timestamp,
    }),
    generated_at: timestamp,
    funnel: z.object({
      invited: count.openapi({ description: 'Every session of the campaign' }),
      email_opened: count.nullable().openapi({ description: 'Null: invitation emails carry no open tracking' }),
      started: count.openapi({ description: 'Sessions that reached in_progress, whatever happened next' }),
      completed: count,
      expired: count,
      withdrawn: count,
      not_started: count.openapi({ description: 'Still invited' }),
      in_progress: count,
    }),
    completion_rate: rate.openapi({ description: 'completed / invited; null without sessions' }),
    time_to_complete_seconds: z.object({ median: z.number().nullable(), p90: z.number().nullable() }),
    questions: z.array(z.object({
      question_id: z.uuid(),
      position: z.number().int(),
      prompt: z.string(),
      is_practice: z.boolean(),
      reached: count.openapi({ description: 'Sessions the question was revealed in' }),
      answered: count.openapi({ description: 'Sessions with a submitted take' }),
      dropped: count.openapi({ description: 'Ended sessions whose last revealed question this is, unanswered' }),
      avg_takes: z.number().nullable().openapi({ description: 'Takes per session, among sessions with a take' }),
      avg_answer_seconds: z.number().nullable().openapi({ description: 'Duration of submitted takes' }),
      avg_score: z.number().nullable(),
      evaluations: count,
    })),
    reviewer_agreement: z.object({
      rated_responses: count,
      multi_rated_responses: count.openapi({ description: 'Responses rated by two reviewers or more' }),
      avg_spread: z.number().nullable().openapi({ description: 'Mean of max - min score per multi-rated response' }),
      max_spread: z.number().nullable(),
      avg_stddev: z.number().nullable(),
      within_one_point: rate.openapi({ description: 'Share of multi-rated responses with a spread of 1 or less' }),
    }),
    timeline: z.array(
      z.object({ date: z.string().openapi({ example: '2026-11-26' }), invitations: count, completions: count }),
    ),
  })
  .openapi('CampaignReport');
export type CampaignReport = z.infer<typeof CampaignReportSchema>;

const statusCounts = z.object({
  total: count,
  invited: count,
  in_progress: count,
  completed: count,
  expired: count,
  withdrawn: count,
});

export const DashboardSchema = z
  .object({
    generated_at: timestamp,
    campaigns: z.object({ total: count, active: count, draft: count, closed: count, archived: count }),
    candidates: count.openapi({ description: 'Distinct candidates invited to the campaigns the caller can read' }),
    sessions: statusCounts,
    completion_rate: rate,
    average_score: z.number().nullable(),
    evaluations: count,
    awaiting_my_review: count.openapi({ description: 'Submitted responses the caller has not rated yet' }),
    needs_attention: z.array(z.object({
      campaign_id: z.uuid(),
      title: z.string(),
      end_date: timestamp,
      invited: count,
      not_started: count,
      not_started_rate: z.number(),
    })),
  })
  .openapi('Dashboard');
export type Dashboard = z.infer<typeof DashboardSchema>;

export interface CampaignExportRow {
  session_id: string;
  candidate_id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  status: string;
  invited_at: string;
  started_at: string | null;
  completed_at: string | null;
  expired_at: string | null;
  withdrawn_at: string | null;
  deadline: string;
  time_to_complete_seconds: number | null;
  answered: number;
  evaluations: number;
  average_score: number | null;
  decision: string | null;
  question_scores: Array<number | null>;
}

export interface CampaignExport {
  campaign: { id: string; title: string };
  questions: Array<{ question_id: string; position: number; prompt: string }>;
  rows: CampaignExportRow[];
}
