// The webhooks function: signed deliveries of the organization's events to its ATS (Standard Webhooks), the worker
// the scheduled job calls with the service role, endpoint creation and replays.
import { buildWebhooksApp } from './app.ts';

Deno.serve(buildWebhooksApp().fetch);
