// The local stand-in for Supabase's API gateway (Kong): one port, Supabase's URL layout, the same apikey rule.
// /auth/v1/* -> Auth, /rest/v1/* -> PostgREST, /functions/v1/* -> the functions server.

function required(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`gateway: missing environment variable ${name}`);
  return value;
}

const port = Number(required('GATEWAY_PORT'));
const upstreams: Record<string, string> = {
  auth: required('AUTH_UPSTREAM'),
  rest: required('REST_UPSTREAM'),
  functions: required('FUNCTIONS_UPSTREAM'),
};
const apiKeys = new Set([required('ANON_KEY'), required('SERVICE_ROLE_KEY')]);

// Auth routes that Supabase's gateway leaves open: links clicked from emails, and the public keys.
const OPEN_AUTH_PATHS = ['/verify', '/callback', '/authorize', '/.well-known/jwks.json'];
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD',
  'access-control-allow-headers':
    'authorization, apikey, content-type, content-profile, accept-profile, prefer, range, x-client-info, x-supabase-api-version, x-request-id, x-upsert',
  'access-control-expose-headers':
    'content-range, content-location, x-total-count, link, x-request-id, x-supabase-api-version',
  'access-control-max-age': '3600',
};
const UNFORWARDABLE_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
// Hop-by-hop and host, and content-length too: fetch sets it from a buffered body, and a streamed one goes chunked.
// accept-encoding and x-forwarded-* are set by the gateway itself.
const DROPPED_REQUEST_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'accept-encoding',
  'x-forwarded-host',
  'x-forwarded-proto',
]);
const HOP_BY_HOP_RESPONSE = ['connection', 'keep-alive', 'transfer-encoding'];

function errorResponse(status: number, message: string): Response {
  return Response.json({ message }, { status, headers: CORS_HEADERS });
}

function route(pathname: string): { upstream: string; path: string; needsKey: boolean; cors: boolean } | null {
  const match = pathname.match(/^\/(auth|rest|functions)\/v1(\/.*)?$/);
  if (!match) return null;
  const [, kind, rest = '/'] = match;
  if (kind === 'functions') return { upstream: upstreams.functions, path: rest, needsKey: false, cors: false };
  const needsKey = !(kind === 'auth' && OPEN_AUTH_PATHS.some((p) => rest.startsWith(p)));
  return { upstream: upstreams[kind], path: rest, needsKey, cors: true };
}

// Kong (nginx) reads a request body whole before it opens the upstream request. A body of a declared length up to
// this size is read the same way and sent with its length; a larger or unsized one is streamed.
const BUFFERED_BODY_BYTES = 8 * 1024 * 1024;

async function forwardedBody(req: Request): Promise<BodyInit | null> {
  const length = Number(req.headers.get('content-length') ?? NaN);
  if (!req.body || !(length <= BUFFERED_BODY_BYTES)) return req.body;
  return await req.arrayBuffer();
}

async function handle(req: Request, info: Deno.ServeHandlerInfo): Promise<Response> {
  const url = new URL(req.url);
  if (url.pathname === '/_gateway/health') return Response.json({ status: 'ok' });
  const target = route(url.pathname);
  if (!target) return errorResponse(404, 'no Route matched with those values');
  // Methods fetch() refuses to send (and that no upstream serves): refused here, as Kong answers them.
  if (UNFORWARDABLE_METHODS.has(req.method.toUpperCase())) return errorResponse(405, 'Method not allowed');
  // Functions answer their own CORS preflight, as on Supabase.
  if (req.method === 'OPTIONS' && target.cors) return new Response(null, { status: 204, headers: CORS_HEADERS });

  // One pass over the request's headers (a Headers copy and its edits cost as much as the proxying itself).
  const headers: [string, string][] = [];
  let apiKey = url.searchParams.get('apikey');
  let hasAuthorization = false;
  let forwardedFor: string | null = null;
  for (const [name, value] of req.headers) {
    if (name === 'apikey') apiKey = value;
    else if (name === 'authorization') hasAuthorization = true;
    else if (name === 'x-forwarded-for') {
      forwardedFor = value;
      continue;
    }
    if (!DROPPED_REQUEST_HEADERS.has(name)) headers.push([name, value]);
  }
  if (target.needsKey) {
    if (!apiKey) return errorResponse(401, 'No API key found in request');
    if (!apiKeys.has(apiKey)) return errorResponse(401, 'Invalid API key');
    if (!hasAuthorization) headers.push(['authorization', `Bearer ${apiKey}`]);
  }
  const remote = info.remoteAddr as Deno.NetAddr;
  headers.push(
    ['accept-encoding', 'identity'],
    ['x-forwarded-for', forwardedFor ? `${forwardedFor}, ${remote.hostname}` : remote.hostname],
    ['x-forwarded-host', url.host],
    ['x-forwarded-proto', url.protocol.replace(':', '')],
  );

  let body: BodyInit | null;
  try {
    body = await forwardedBody(req);
  } catch {
    return errorResponse(400, 'the request body ended before its declared length');
  }
  let upstreamRes: Response;
  try {
    upstreamRes = await fetch(`${target.upstream}${target.path}${url.search}`, {
      method: req.method,
      headers,
      body,
      redirect: 'manual',
    });
  } catch (e) {
    return errorResponse(502, `upstream unavailable: ${(e as Error).message}`);
  }
  // A function's answer goes back as it came unless it carries a hop-by-hop header (Deno.serve frames it again).
  if (!target.cors && !HOP_BY_HOP_RESPONSE.some((h) => upstreamRes.headers.has(h))) return upstreamRes;
  const resHeaders = new Headers(upstreamRes.headers);
  for (const h of HOP_BY_HOP_RESPONSE) resHeaders.delete(h);
  if (target.cors) { for (const [k, v] of Object.entries(CORS_HEADERS)) resHeaders.set(k, v); }
  return new Response(upstreamRes.body, {
    status: upstreamRes.status,
    statusText: upstreamRes.statusText,
    headers: resHeaders,
  });
}

Deno.serve({ hostname: '127.0.0.1', port, onListen: () => console.log(`gateway listening on ${port}`) }, handle);
