import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The generated database types live in the repository's shared/ folder, outside this app.
export default defineConfig({
  plugins: [react()],
  server: { port: 3000, strictPort: true, host: '127.0.0.1', fs: { allow: ['../..'] } },
  preview: { port: 3000, strictPort: true, host: '127.0.0.1' },
});
