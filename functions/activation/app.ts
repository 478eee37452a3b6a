// The activation function's app: the shared function shell (createApp) with the activation routes mounted.
import { createApp } from '../../shared/http.ts';
import { type ActivationRouteDeps, activationRoutes } from './routes.ts';
import { loadActivationSettings } from './settings.ts';

export function buildActivationApp(deps: Partial<ActivationRouteDeps> = {}) {
  const app = createApp('activation');
  // Parsed now: an invalid ACTIVATION_TRUSTED_PROXY_HOPS fails the start-up, not the first request.
  app.route('/', activationRoutes({ ...deps, settings: deps.settings ?? loadActivationSettings() }));
  return app;
}
