// The analytics function: campaign reports, the recruiter's dashboard and the CSV export.
import { buildAnalyticsApp } from './app.ts';

Deno.serve(buildAnalyticsApp().fetch);
