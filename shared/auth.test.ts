import assert from 'node:assert/strict';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createTokenVerifier, optionalUser, requireServiceRole, requireUser } from './auth.ts';
import { isAppError } from './errors.ts';
import { bearerAuth, createApp, errorResponses } from './http.ts';
import { createRoute, z } from '@hono/zod-openapi';
import { createTestAuth, type TestAuth, testConfig } from './testing.ts';

const auth = await createTestAuth();

function appFor(testAuth: TestAuth = auth) {
  const app = createApp('authdemo', { config: testAuth.config });
  app.get(
    '/me',
    requireUser(),
    (c) => c.json({ sub: c.get('claims').sub, role: c.get('claims').role, token: c.get('accessToken') }),
  );
  app.get('/maybe', optionalUser(), (c) => c.json({ sub: c.get('claims')?.sub ?? null }));
  app.post('/worker', requireServiceRole(), (c) => c.json({ ran: true }));
  return app;
}
const app = appFor();

async function call(path: string, token?: string, method = 'GET') {
  const res = await app.request(path, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: await res.json() };
}

async function expectInvalid(token: string, reason: string) {
  const { status, body } = await call('/authdemo/me', token);
  assert.equal(status, 401);
  assert.equal(body.error.code, 'invalid_token');
  assert.equal(body.error.details.reason, reason, body.error.message);
}

function b64url(value: unknown): string {
  return btoa(JSON.stringify(value)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

Deno.test('a valid ES256 user token passes requireUser and its claims reach the handler', async () => {
  const sub = crypto.randomUUID();
  const token = await auth.userToken({ sub, user_role: 'hiring_manager' });
  const { status, body } = await call('/authdemo/me', token);
  assert.equal(status, 200);
  assert.deepEqual(body, { sub, role: 'authenticated', token });
});

Deno.test('an RS256 user token signed by a key of the JWKS is accepted', async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const rsa = { ...(await exportJWK(publicKey)), kid: 'rsa-1', alg: 'RS256' };
  const es = auth.config.jwt.jwks?.keys ?? [];
  const rsAuth = await createTestAuth({ SUPABASE_JWKS: JSON.stringify({ keys: [...es, rsa] }) });
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({
    iss: rsAuth.config.jwt.issuer,
    aud: 'authenticated',
    sub: 'u-1',
    role: 'authenticated',
    exp: now + 60,
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
    .sign(privateKey);
  const res = await appFor(rsAuth).request('/authdemo/me', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
});

Deno.test('an HS256 user token signed with the legacy secret is accepted', async () => {
  const now = Math.floor(Date.now() / 1000);
  const token = await auth.signHs256({
    iss: auth.config.jwt.issuer,
    aud: 'authenticated',
    sub: 'u-2',
    role: 'authenticated',
    exp: now + 60,
  });
  const { status, body } = await call('/authdemo/me', token);
  assert.equal(status, 200);
  assert.equal(body.sub, 'u-2');
});

Deno.test('no Authorization header is 401 missing_token', async () => {
  const { status, body } = await call('/authdemo/me');
  assert.equal(status, 401);
  assert.equal(body.error.code, 'missing_token');
});

Deno.test('the anon key is not a user: 401 missing_token', async () => {
  const { status, body } = await call('/authdemo/me', auth.anonKey);
  assert.equal(status, 401);
  assert.equal(body.error.code, 'missing_token');
});

Deno.test('without the JWT secret (hosted functions), the anon key and a publishable key still mean signed out', async () => {
  const hosted = await createTestAuth({ SUPABASE_JWT_SECRET: undefined });
  const hostedApp = appFor(hosted);
  for (const key of [hosted.anonKey, 'sb_publishable_abc123']) {
    const res = await hostedApp.request('/authdemo/me', { headers: { authorization: `Bearer ${key}` } });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.code, 'missing_token');
    const maybe = await hostedApp.request('/authdemo/maybe', { headers: { authorization: `Bearer ${key}` } });
    assert.deepEqual(await maybe.json(), { sub: null });
  }
});

Deno.test('an expired token is refused', async () => {
  await expectInvalid(await auth.userToken({}, { expiresIn: -120 }), 'expired');
});

Deno.test('a token from another issuer is refused', async () => {
  await expectInvalid(await auth.userToken({ iss: 'https://evil.example.com/auth/v1' }), 'claims');
});

Deno.test('a token for another audience is refused', async () => {
  await expectInvalid(await auth.userToken({ aud: 'someone-else' }), 'claims');
});

Deno.test('a token without a subject is refused', async () => {
  await expectInvalid(await auth.userToken({ sub: undefined }), 'claims');
});

Deno.test('a tampered payload breaks the signature', async () => {
  const [header, , signature] = (await auth.userToken({ sub: 'victim' })).split('.');
  const now = Math.floor(Date.now() / 1000);
  const forged = b64url({
    iss: auth.config.jwt.issuer,
    aud: 'authenticated',
    sub: 'attacker',
    role: 'authenticated',
    exp: now + 60,
  });
  await expectInvalid(`${header}.${forged}.${signature}`, 'signature');
});

Deno.test('an unsigned token (alg none) is refused', async () => {
  const now = Math.floor(Date.now() / 1000);
  const payload = b64url({
    iss: auth.config.jwt.issuer,
    aud: 'authenticated',
    sub: 'x',
    role: 'authenticated',
    exp: now + 60,
  });
  await expectInvalid(`${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.`, 'algorithm');
});

Deno.test('a token signed by a key outside the JWKS is refused', async () => {
  const other = await createTestAuth();
  await expectInvalid(await other.userToken(), 'unknown_key');
  // Same kid as ours, other key: the signature check catches it.
  const ourKid = String(auth.config.jwt.jwks?.keys[0].kid);
  await expectInvalid(await other.userToken({}, { kid: ourKid }), 'signature');
});

Deno.test('a garbage token is refused as malformed', async () => {
  await expectInvalid('not-a-jwt', 'malformed');
});

Deno.test('HS256 is refused when no legacy secret is configured', async () => {
  const noSecret = createTokenVerifier(
    testConfig({ SUPABASE_JWT_SECRET: undefined, SUPABASE_JWKS: '{"keys":[{"kty":"EC"}]}' }).jwt,
  );
  await assert.rejects(() => noSecret(auth.serviceRoleKey), (e) => isAppError(e) && e.code === 'invalid_token');
});

Deno.test('a legacy-issuer HS256 token is accepted only for the anon and service_role roles', async () => {
  const now = Math.floor(Date.now() / 1000);
  const fake = await auth.signHs256({
    iss: 'supabase',
    aud: 'authenticated',
    sub: 'x',
    role: 'authenticated',
    exp: now + 60,
  });
  await expectInvalid(fake, 'claims');
  const verify = createTokenVerifier(auth.config.jwt);
  assert.equal((await verify(await auth.signHs256({ iss: 'supabase', role: 'anon', exp: now + 60 }))).kind, 'anon');
  const elsewhere = await auth.signHs256({ iss: 'elsewhere', role: 'service_role', exp: now + 60 });
  await assert.rejects(() => verify(elsewhere), (e) => isAppError(e) && e.code === 'invalid_token');
});

Deno.test('requireServiceRole accepts the service role key', async () => {
  const { status, body } = await call('/authdemo/worker', auth.serviceRoleKey, 'POST');
  assert.equal(status, 200);
  assert.deepEqual(body, { ran: true });
});

Deno.test('requireServiceRole accepts another valid service_role token', async () => {
  const now = Math.floor(Date.now() / 1000);
  const token = await auth.signHs256({ iss: 'supabase', role: 'service_role', exp: now + 60 });
  assert.equal((await call('/authdemo/worker', token, 'POST')).status, 200);
});

Deno.test('requireServiceRole refuses a user token with 403 service_role_required', async () => {
  const { status, body } = await call('/authdemo/worker', await auth.userToken({ role: 'service_role' }), 'POST');
  assert.equal(status, 403);
  assert.equal(body.error.code, 'service_role_required');
  assert.equal((await call('/authdemo/worker', auth.anonKey, 'POST')).status, 403);
});

Deno.test('requireServiceRole refuses a missing or forged key with 401', async () => {
  assert.equal((await call('/authdemo/worker', undefined, 'POST')).body.error.code, 'missing_token');
  const forged = await (await createTestAuth({ SUPABASE_JWT_SECRET: 'another-secret-of-at-least-32-characters!!' }))
    .signHs256({
      iss: 'supabase',
      role: 'service_role',
      exp: Math.floor(Date.now() / 1000) + 60,
    });
  const { status, body } = await call('/authdemo/worker', forged, 'POST');
  assert.equal(status, 401);
  assert.equal(body.error.code, 'invalid_token');
});

Deno.test('optionalUser lets anonymous requests through and still rejects bad tokens', async () => {
  assert.deepEqual((await call('/authdemo/maybe')).body, { sub: null });
  assert.deepEqual((await call('/authdemo/maybe', auth.anonKey)).body, { sub: null });
  const sub = crypto.randomUUID();
  assert.deepEqual((await call('/authdemo/maybe', await auth.userToken({ sub }))).body, { sub });
  assert.equal((await call('/authdemo/maybe', await auth.userToken({}, { expiresIn: -120 }))).status, 401);
});

Deno.test('without SUPABASE_JWKS the keys are fetched from the auth server, once', async () => {
  const jwks = auth.config.jwt.jwks;
  let fetches = 0;
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, (req) => {
    if (new URL(req.url).pathname !== '/auth/v1/.well-known/jwks.json') return new Response('nope', { status: 404 });
    fetches++;
    return Response.json(jwks);
  });
  try {
    const url = `http://127.0.0.1:${server.addr.port}`;
    const verify = createTokenVerifier(testConfig({ SUPABASE_URL: url, JWT_ISSUER: auth.config.jwt.issuer }).jwt);
    assert.equal((await verify(await auth.userToken())).kind, 'user');
    assert.equal((await verify(await auth.userToken())).kind, 'user');
    assert.equal(fetches, 1, 'the JWKS is cached');
  } finally {
    await server.shutdown();
  }
});

Deno.test('an unreachable JWKS is a 503, not a 401', async () => {
  const verify = createTokenVerifier(
    testConfig({ SUPABASE_URL: 'http://127.0.0.1:9', JWT_ISSUER: auth.config.jwt.issuer }).jwt,
  );
  const token = await auth.userToken();
  await assert.rejects(() => verify(token), (e) => isAppError(e) && e.status === 503 && e.code === 'jwks_unavailable');
});

Deno.test('requireUser as route middleware of a zod-openapi route types and sets c.var.claims', async () => {
  const routeApp = createApp('routed', { config: auth.config });
  routeApp.openapi(
    createRoute({
      method: 'get',
      path: '/whoami',
      middleware: [requireUser()] as const,
      security: bearerAuth,
      responses: {
        200: {
          description: 'me',
          content: { 'application/json': { schema: z.object({ sub: z.string(), email: z.string().nullable() }) } },
        },
        ...errorResponses(401),
      },
    }),
    (c) => c.json({ sub: c.var.claims.sub, email: c.var.claims.email ?? null }, 200),
  );
  const sub = crypto.randomUUID();
  const ok = await routeApp.request('/routed/whoami', {
    headers: { authorization: `Bearer ${await auth.userToken({ sub })}` },
  });
  assert.deepEqual(await ok.json(), { sub, email: 'user@example.test' });
  const refused = await routeApp.request('/routed/whoami');
  assert.equal(refused.status, 401);
  await refused.body?.cancel();
  const doc = await (await routeApp.request('/routed/openapi.json')).json();
  assert.deepEqual(doc.paths['/routed/whoami'].get.security, [{ bearerAuth: [] }]);
});

Deno.test('a remembered token is served without a new check, but never past its expiry or a minute', async () => {
  let clock = Math.floor(Date.now() / 1000);
  const verify = createTokenVerifier(auth.config.jwt, { now: () => clock });
  const token = await auth.userToken({}, { expiresIn: 30 });
  const first = await verify(token);
  assert.equal(first.kind, 'user');
  assert.equal(await verify(token), first, 'the second call answers from memory');
  clock += 40; // past exp (30 s) and the clock tolerance
  await assert.rejects(verify(token), (e: unknown) => isAppError(e) && e.code === 'invalid_token');

  const longLived = await auth.userToken({}, { expiresIn: 3600 });
  const remembered = await verify(longLived);
  clock += 61;
  assert.notEqual(await verify(longLived), remembered, 'after a minute the token is checked again');
});

Deno.test('a refused token is not remembered, and the memory keeps at most cacheSize tokens', async () => {
  const verify = createTokenVerifier(auth.config.jwt, { cacheSize: 2 });
  const [a, b, c] = await Promise.all([1, 2, 3].map(() => auth.userToken({ sub: crypto.randomUUID() })));
  const first = await verify(a);
  await verify(b);
  await verify(c); // evicts a, the oldest
  assert.notEqual(await verify(a), first, 'the oldest token was forgotten and checked again');
  const tampered = `${b.split('.')[0]}.${b64url({ sub: 'someone-else', role: 'authenticated' })}.${b.split('.')[2]}`;
  await assert.rejects(verify(tampered), (e: unknown) => isAppError(e) && e.code === 'invalid_token');
  await assert.rejects(verify(tampered), (e: unknown) => isAppError(e) && e.code === 'invalid_token');
});
