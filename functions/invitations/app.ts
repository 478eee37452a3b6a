// The invitations function's app: the shared function shell (createApp) with the invitation routes mounted.
import { mailConfig } from '../../shared/config.ts';
import { createApp } from '../../shared/http.ts';
import { mountRoutes, type RouteDeps } from './routes.ts';

export function buildInvitationsApp(deps: Partial<RouteDeps> = {}) {
  const app = createApp('invitations');
  // Parsed now: a missing or refused mail setting fails the start-up, not the first email.
  mountRoutes(app, { ...deps, mail: deps.mail ?? mailConfig() });
  return app;
}
