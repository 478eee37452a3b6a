// Serves the built SPA: its files, and index.html for every other path (the app routes in the browser).
// SPA_ROOT: the build folder; SPA_PORT: the port (127.0.0.1).
import { extname, join, normalize } from 'node:path';

const root = Deno.env.get('SPA_ROOT');
const port = Number(Deno.env.get('SPA_PORT'));
if (!root || !port) throw new Error('SPA_ROOT and SPA_PORT are required');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
};

async function file(path: string): Promise<Response | null> {
  try {
    const body = await Deno.readFile(path);
    const type = TYPES[extname(path)] ?? 'application/octet-stream';
    // Hashed asset names change with every build; index.html must always be fresh.
    const cache = path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    return new Response(body, { headers: { 'content-type': type, 'cache-control': cache } });
  } catch {
    return null;
  }
}

Deno.serve({ hostname: '127.0.0.1', port, onListen: () => {} }, async (req) => {
  const { pathname } = new URL(req.url);
  if (pathname === '/_health') return new Response('ok');
  const relative = normalize(decodeURIComponent(pathname)).replace(/^(\.\.(\/|$))+/, '');
  const found = relative !== '/' && await file(join(root, relative));
  return found || (await file(join(root, 'index.html')))!;
});
