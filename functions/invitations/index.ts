// The invitations function: invite candidates (one or in bulk), manage invitations, and the outbox and reminder
// workers the scheduled jobs call with the service role.
import { buildInvitationsApp } from './app.ts';

Deno.serve(buildInvitationsApp().fetch);
