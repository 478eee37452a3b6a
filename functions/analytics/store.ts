// Where the numbers come from: one SQL function call per request, run as the caller (role + claims, as PostgREST),
// so RLS decides what is counted. The functions are in supabase/migrations/20261126130000_analytics.sql, and
// campaign_report, which keeps the team's report, in 20261126130300_campaign_report_cache.sql.
import type { Claims } from '../../shared/auth.ts';
import { asUser, type Sql, sql as processSql } from '../../shared/db.ts';
import type { CampaignExport, CampaignReport, Dashboard } from './schemas.ts';

export interface DashboardOptions {
  attentionDays: number;
  attentionRatio: number;
}

/** Null means the caller cannot read the campaign (or it does not exist): the routes answer 404. */
export interface AnalyticsStore {
  campaignReport(claims: Claims, campaignId: string): Promise<CampaignReport | null>;
  dashboard(claims: Claims, options: DashboardOptions): Promise<Dashboard>;
  campaignExport(claims: Claims, campaignId: string): Promise<CampaignExport | null>;
}

export function sqlStore(db: Sql = processSql): AnalyticsStore {
  return {
    campaignReport: (claims, campaignId) =>
      asUser(claims, async (tx) => {
        const [row] = await tx`select public.campaign_report(${campaignId}::uuid) as report`;
        return (row?.report ?? null) as CampaignReport | null;
      }, db),
    dashboard: (claims, options) =>
      asUser(claims, async (tx) => {
        const [row] = await tx`
          select public.analytics_dashboard(${options.attentionDays}::integer, ${options.attentionRatio}::numeric)
                   as dashboard`;
        return row.dashboard as Dashboard;
      }, db),
    campaignExport: (claims, campaignId) =>
      asUser(claims, async (tx) => {
        const [row] = await tx`select public.campaign_export(${campaignId}::uuid) as export`;
        return (row?.export ?? null) as CampaignExport | null;
      }, db),
  };
}
