import assert from 'node:assert/strict';
import { createRoute, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import postgres from 'postgres';
import { requireUser } from './auth.ts';
import { conflict, notFound, unprocessable } from './errors.ts';
import { bearerAuth, createApp, createRouter, errorResponses } from './http.ts';
import { createLogger, type LogLevel } from './log.ts';
import { createTestAuth, TEST_SITE_URL, testConfig } from './testing.ts';

const ORIGIN = TEST_SITE_URL;

interface LogLine {
  level: LogLevel;
  msg: string;
  [field: string]: unknown;
}

function build(configOverrides: Record<string, string> = {}) {
  const lines: LogLine[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => lines.push(JSON.parse(line)) });
  const app = createApp('demo', { config: testConfig(configOverrides), logger });

  app.get('/ok', (c) => c.json({ ok: true, requestId: c.get('requestId') }));
  app.get('/conflict', () => {
    throw conflict('campaign_closed', 'The campaign is closed');
  });
  app.get('/unprocessable', () => {
    throw unprocessable('weak_password', 'Too short', { min_length: 10 });
  });
  app.get('/hidden', () => {
    throw notFound();
  });
  app.get('/zod', () => {
    z.object({ n: z.number() }).parse({ n: 'x' });
    return new Response('unreachable');
  });
  app.get('/http-exception', () => {
    throw new HTTPException(413, { message: 'Payload too large' });
  });
  app.get('/postgres', () => {
    throw Object.assign(new postgres.PostgresError('duplicate key value violates unique constraint "x_key"'), {
      code: '23505',
      constraint_name: 'x_key',
    });
  });
  app.get('/crash', () => {
    throw new Error('connection string postgres://postgres:hunter2@db leaked');
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/items/{id}',
      security: bearerAuth,
      request: {
        params: z.object({ id: z.uuid() }),
        body: {
          required: true,
          content: { 'application/json': { schema: z.object({ name: z.string().min(2), count: z.number().int() }) } },
        },
      },
      responses: {
        201: {
          description: 'Created',
          content: { 'application/json': { schema: z.object({ id: z.string(), name: z.string() }) } },
        },
        ...errorResponses(400, 401),
      },
    }),
    (c) => c.json({ id: c.req.valid('param').id, name: c.req.valid('json').name }, 201),
  );
  return { app, lines };
}

async function json(res: Response) {
  return await res.json();
}

Deno.test('a domain error answers its status and { error: { code, message, details? } }', async () => {
  const { app } = build();
  const res = await app.request('/demo/conflict');
  assert.equal(res.status, 409);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.deepEqual(await json(res), { error: { code: 'campaign_closed', message: 'The campaign is closed' } });
  const res422 = await app.request('/demo/unprocessable');
  assert.equal(res422.status, 422);
  assert.deepEqual(await json(res422), {
    error: { code: 'weak_password', message: 'Too short', details: { min_length: 10 } },
  });
  assert.equal((await app.request('/demo/hidden')).status, 404);
});

Deno.test('a ZodError thrown by a handler is 400 validation_failed with its issues', async () => {
  const { app } = build();
  const res = await app.request('/demo/zod');
  assert.equal(res.status, 400);
  const body = await json(res);
  assert.equal(body.error.code, 'validation_failed');
  assert.equal(body.error.details.issues[0].path, 'n');
});

Deno.test('a request failing the route schema is 400 validation_failed naming each field and its location', async () => {
  const { app } = build();
  const res = await app.request(`/demo/items/${crypto.randomUUID()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'x', count: 1.5 }),
  });
  assert.equal(res.status, 400);
  const body = await json(res);
  assert.equal(body.error.code, 'validation_failed');
  assert.deepEqual(
    body.error.details.issues.map((i: { path: string; in: string }) => `${i.in}:${i.path}`).sort(),
    ['json:count', 'json:name'],
  );
  const badParam = await app.request('/demo/items/not-a-uuid', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'xy', count: 1 }),
  });
  assert.equal(badParam.status, 400);
  assert.equal((await json(badParam)).error.details.issues[0].in, 'param');
});

Deno.test('a valid request reaches the handler with the parsed values', async () => {
  const { app } = build();
  const id = crypto.randomUUID();
  const res = await app.request(`/demo/items/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'widget', count: 2 }),
  });
  assert.equal(res.status, 201);
  assert.deepEqual(await json(res), { id, name: 'widget' });
});

Deno.test('malformed JSON is a 400 invalid_json in the same shape, as where routes parse bodies themselves', async () => {
  const { app } = build();
  const res = await app.request(`/demo/items/${crypto.randomUUID()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"name": ',
  });
  assert.equal(res.status, 400);
  assert.equal((await json(res)).error.code, 'invalid_json');
});

Deno.test('an HTTPException keeps its status and gets a code', async () => {
  const { app } = build();
  const res = await app.request('/demo/http-exception');
  assert.equal(res.status, 413);
  assert.deepEqual(await json(res), { error: { code: 'payload_too_large', message: 'Payload too large' } });
});

Deno.test('a Postgres error reaching the handler is mapped (23505 -> 409 conflict)', async () => {
  const { app } = build();
  const res = await app.request('/demo/postgres');
  assert.equal(res.status, 409);
  assert.deepEqual(await json(res), {
    error: { code: 'conflict', message: 'Already exists', details: { constraint: 'x_key' } },
  });
});

Deno.test('an unknown error is 500 internal_error without its message, logged with the request id', async () => {
  const { app, lines } = build();
  const res = await app.request('/demo/crash', { headers: { 'x-request-id': 'req-crash-1' } });
  assert.equal(res.status, 500);
  const text = await res.text();
  assert.deepEqual(JSON.parse(text), { error: { code: 'internal_error', message: 'Internal server error' } });
  assert.ok(!text.includes('hunter2'));
  const failure = lines.find((l) => l.msg === 'request failed');
  assert.ok(failure, 'the error is logged');
  assert.equal(failure.request_id, 'req-crash-1');
  assert.equal(failure.level, 'error');
  assert.match(JSON.stringify(failure.error), /hunter2@db leaked/);
});

Deno.test('an unknown route is a JSON 404 not_found', async () => {
  const { app } = build();
  const res = await app.request('/demo/nowhere');
  assert.equal(res.status, 404);
  assert.equal((await json(res)).error.code, 'not_found');
});

Deno.test('CORS headers are on successful responses for an allowed origin', async () => {
  const { app } = build();
  const res = await app.request('/demo/ok', { headers: { origin: ORIGIN } });
  assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
  assert.equal(
    res.headers.get('access-control-expose-headers'),
    'x-request-id,content-disposition,retry-after',
  );
  assert.match(res.headers.get('vary') ?? '', /Origin/);
});

Deno.test('CORS headers are on error responses too', async () => {
  const { app } = build();
  for (const path of ['/demo/conflict', '/demo/crash', '/demo/nowhere', '/demo/zod']) {
    const res = await app.request(path, { headers: { origin: ORIGIN } });
    await res.body?.cancel();
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN, path);
  }
  const auth = await createTestAuth();
  const secured = createApp('secured', {
    config: auth.config,
    logger: createLogger({ level: 'error', sink: () => {} }),
  });
  secured.get('/me', requireUser(), (c) => c.json({ sub: c.get('claims').sub }));
  const res401 = await secured.request('/secured/me', { headers: { origin: ORIGIN } });
  assert.equal(res401.status, 401);
  assert.equal(res401.headers.get('access-control-allow-origin'), ORIGIN);
  await res401.body?.cancel();
});

Deno.test('a preflight is answered 204 with the allowed methods and headers, before any auth', async () => {
  const { app } = build();
  const res = await app.request('/demo/items/123', {
    method: 'OPTIONS',
    headers: {
      origin: ORIGIN,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
  const allowHeaders = (res.headers.get('access-control-allow-headers') ?? '').split(',');
  for (const header of ['authorization', 'apikey', 'content-type', 'x-client-info', 'x-request-id']) {
    assert.ok(allowHeaders.includes(header), header);
  }
  assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
  assert.ok(res.headers.get('x-request-id'));
});

Deno.test('an origin not in CORS_ORIGINS gets no Access-Control-Allow-Origin', async () => {
  const { app } = build();
  const res = await app.request('/demo/ok', { headers: { origin: 'https://evil.example.com' } });
  await res.body?.cancel();
  assert.equal(res.headers.get('access-control-allow-origin'), null);
  const preflight = await app.request('/demo/ok', {
    method: 'OPTIONS',
    headers: { origin: 'https://evil.example.com' },
  });
  assert.equal(preflight.headers.get('access-control-allow-origin'), null);
});

Deno.test('CORS_ORIGINS=* allows any origin', async () => {
  const { app } = build({ CORS_ORIGINS: '*' });
  const res = await app.request('/demo/ok', { headers: { origin: 'https://anything.example.com' } });
  await res.body?.cancel();
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
});

Deno.test('a valid x-request-id is echoed and used in the context and logs', async () => {
  const { app, lines } = build();
  const res = await app.request('/demo/ok', { headers: { 'x-request-id': 'abc-123_DEF' } });
  assert.equal(res.headers.get('x-request-id'), 'abc-123_DEF');
  assert.equal((await json(res)).requestId, 'abc-123_DEF');
  assert.equal(lines.find((l) => l.msg === 'request')?.request_id, 'abc-123_DEF');
});

Deno.test('a missing or invalid x-request-id is replaced by a fresh uuid, errors included', async () => {
  const { app } = build();
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const none = await app.request('/demo/conflict');
  await none.body?.cancel();
  assert.match(none.headers.get('x-request-id') ?? '', uuid);
  const bad = await app.request('/demo/ok', { headers: { 'x-request-id': 'has spaces <script>' } });
  await bad.body?.cancel();
  assert.match(bad.headers.get('x-request-id') ?? '', uuid);
  const long = await app.request('/demo/ok', { headers: { 'x-request-id': 'a'.repeat(200) } });
  await long.body?.cancel();
  assert.match(long.headers.get('x-request-id') ?? '', uuid);
});

Deno.test('each request logs one JSON line with ts, level, request_id, fn, method, path, status, ms', async () => {
  const { app, lines } = build();
  const id = crypto.randomUUID();
  await (await app.request(`/demo/items/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'line-1' },
    body: JSON.stringify({ name: 'widget', count: 2 }),
  })).body?.cancel();
  const requestLines = lines.filter((l) => l.msg === 'request');
  assert.equal(requestLines.length, 1);
  const line = requestLines[0];
  assert.equal(line.level, 'info');
  assert.equal(line.request_id, 'line-1');
  assert.equal(line.fn, 'demo');
  assert.equal(line.method, 'POST');
  assert.equal(line.path, '/demo/items/:id', 'the route pattern: path values stay out of the logs');
  assert.equal(line.status, 201);
  assert.equal(typeof line.ms, 'number');
  assert.ok(!Number.isNaN(Date.parse(String(line.ts))));
});

Deno.test('the request line of a failed request carries its error code', async () => {
  const { app, lines } = build();
  await (await app.request('/demo/conflict')).body?.cancel();
  const line = lines.find((l) => l.msg === 'request');
  assert.equal(line?.status, 409);
  assert.equal(line?.code, 'campaign_closed');
});

Deno.test('openapi.json is an OpenAPI 3.1 document titled with the function name, with bearer auth', async () => {
  const { app } = build();
  const res = await app.request('/demo/openapi.json');
  assert.equal(res.status, 200);
  const doc = await json(res);
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.info.title, 'demo');
  assert.deepEqual(doc.components.securitySchemes.bearerAuth, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: "A user's access token from Supabase Auth (or the service role key where stated)",
  });
  assert.ok(doc.paths['/demo/health'].get);
  assert.deepEqual(doc.paths['/demo/items/{id}'].post.security, [{ bearerAuth: [] }]);
  assert.ok(doc.paths['/demo/items/{id}'].post.responses['400']);
  assert.equal(doc.servers[0].url, 'http://127.0.0.1:54321/functions/v1');
});

Deno.test('routes of a mounted router are served and documented under the base path', async () => {
  const config = testConfig();
  const app = createApp('mounted', { config, logger: createLogger({ level: 'error', sink: () => {} }) });
  const router = createRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/things',
      request: { query: z.object({ n: z.coerce.number().int() }) },
      responses: {
        200: { description: 'ok', content: { 'application/json': { schema: z.object({ n: z.number() }) } } },
      },
    }),
    (c) => c.json({ n: c.req.valid('query').n }, 200),
  );
  app.route('/', router);
  assert.deepEqual(await (await app.request('/mounted/things?n=3')).json(), { n: 3 });
  const invalid = await app.request('/mounted/things?n=x');
  assert.equal(invalid.status, 400, "the parent's validation hook applies to the router");
  assert.equal((await invalid.json()).error.code, 'validation_failed');
  const doc = await (await app.request('/mounted/openapi.json')).json();
  assert.ok(doc.paths['/mounted/things'].get);
});

Deno.test('/health answers 503 database_unavailable in the error shape when the database is down', async () => {
  // testConfig points SUPABASE_DB_URL at port 9 (discard), where nothing accepts connections.
  const { app } = build();
  const res = await app.request('/demo/health', { headers: { origin: ORIGIN } });
  assert.equal(res.status, 503);
  assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
  assert.equal((await json(res)).error.code, 'database_unavailable');
});

Deno.test('a function name that is not a path segment is refused', () => {
  assert.throws(() => createApp('Bad/Name', { config: testConfig() }), TypeError);
});
