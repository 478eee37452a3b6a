// The activation function: invited candidates set their password with the token from their invitation email.
import { createApp } from '../../shared/http.ts';
import { activationRoutes } from './routes.ts';
import { loadActivationSettings } from './settings.ts';

const app = createApp('activation');
app.route('/', activationRoutes({ settings: loadActivationSettings() }));

Deno.serve(app.fetch);
