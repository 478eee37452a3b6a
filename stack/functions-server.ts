// Serves every functions/<name>/index.ts in one Deno process, as Supabase's edge runtime does: a request for
// /<name>/... reaches the handler that <name>'s module passed to Deno.serve. The environment is the one Supabase
// injects (SUPABASE_URL, keys, SUPABASE_DB_URL) plus the project's own variables, set by stack/stack.ts.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Handler = (req: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>;

const port = Number(Deno.env.get('FUNCTIONS_PORT') ?? '54333');
const functionsDir = join(import.meta.dirname ?? '.', '..', 'functions');
const handlers = new Map<string, Handler>();
let loading: string | null = null;

const realServe = Deno.serve;
// Each function module calls Deno.serve(handler) at top level; capture the handler instead of opening a port.
(Deno as unknown as { serve: unknown }).serve = (...args: unknown[]) => {
  const handler = args.find((a) => typeof a === 'function') as Handler | undefined ??
    (args[0] as { handler?: Handler })?.handler;
  if (!loading || !handler) throw new Error('Deno.serve called outside a function module load');
  handlers.set(loading, handler);
  return {
    finished: new Promise(() => {}),
    shutdown: async () => {},
    ref() {},
    unref() {},
    addr: { transport: 'tcp', hostname: '127.0.0.1', port },
  };
};

function bootFailure(name: string, error: unknown): Handler {
  const message = error instanceof Error ? error.message : String(error);
  return () =>
    Response.json({ error: { code: 'function_boot_error', message: `${name} failed to start: ${message}` } }, {
      status: 500,
    });
}

const entries = await Array.fromAsync(Deno.readDir(functionsDir)).catch(() => [] as Deno.DirEntry[]);
for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
  if (!entry.isDirectory) continue;
  const entrypoint = join(functionsDir, entry.name, 'index.ts');
  try {
    await Deno.stat(entrypoint);
  } catch {
    continue;
  }
  loading = entry.name;
  try {
    await import(pathToFileURL(entrypoint).href);
    if (!handlers.has(entry.name)) throw new Error('index.ts did not call Deno.serve');
    console.log(JSON.stringify({ level: 'info', msg: 'function loaded', fn: entry.name }));
  } catch (e) {
    console.error(JSON.stringify({ level: 'error', msg: 'function failed to load', fn: entry.name, error: String(e) }));
    handlers.set(entry.name, bootFailure(entry.name, e));
  }
  loading = null;
}

realServe({
  hostname: '127.0.0.1',
  port,
  onListen: () => console.log(`functions server listening on ${port}: ${[...handlers.keys()].join(', ')}`),
}, (req, info) => {
  const { pathname } = new URL(req.url);
  if (pathname === '/_internal/health') return Response.json({ status: 'ok', functions: [...handlers.keys()] });
  const name = pathname.split('/')[1];
  const handler = handlers.get(name);
  if (!handler) {
    return Response.json({ error: { code: 'function_not_found', message: `no function named ${name}` } }, {
      status: 404,
    });
  }
  return handler(req, info);
});
