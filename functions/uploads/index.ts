// The uploads function: signed video uploads (POST, PUT, multipart), verification, playback, retention and erasure.
import { buildUploadsApp } from './app.ts';

Deno.serve(buildUploadsApp().fetch);
