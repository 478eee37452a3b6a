import { buildAnalyticsApp } from './app.ts';

const app = buildAnalyticsApp();
Deno.serve(app.fetch);
