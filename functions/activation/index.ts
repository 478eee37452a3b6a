// The activation function: invited candidates set their password with the token from their invitation email.
import { buildActivationApp } from './app.ts';

Deno.serve(buildActivationApp().fetch);
