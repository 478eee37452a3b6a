// uploads: signed video uploads (POST, PUT, multipart), verification, playback, retention and erasure.
import { createUploadsApp } from './routes.ts';

const app = createUploadsApp();

Deno.serve(app.fetch);
