// The invitations function: invite candidates (one or in bulk), manage invitations, and the outbox and reminder
// workers the scheduler calls with the service role. Routes live in routes.ts.
import { mailConfig } from '../../shared/config.ts';
import { createApp } from '../../shared/http.ts';
import { mountRoutes } from './routes.ts';

const app = createApp('invitations');
// Parsed now: a missing SMTP variable fails the start-up, not the first email.
mountRoutes(app, { mail: mailConfig() });

Deno.serve(app.fetch);
