// Route behaviour that needs no database: validation, the token requirement, the OpenAPI document, CORS. The rest is
// proven through the gateway in tests/activation*.test.ts.
import assert from 'node:assert/strict';
import { createSql } from '../../shared/db.ts';
import { createApp } from '../../shared/http.ts';
import { createLogger } from '../../shared/log.ts';
import { TEST_SITE_URL, testConfig } from '../../shared/testing.ts';
import { activationRoutes } from './routes.ts';

function testApp() {
  const config = testConfig();
  const app = createApp('activation', { config, logger: createLogger({ level: 'error', sink: () => {} }) });
  // The test configuration's database URL points at a closed port: only the last test reaches it.
  app.route('/', activationRoutes({ settings: { trustedProxyHops: 1 }, sql: createSql(config) }));
  return app;
}

async function post(body: unknown) {
  const res = await testApp().request('/activation', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

Deno.test('activating by email and password alone, as the old register did, is 403 invitation_required', async () => {
  const { status, body } = await post({ email: 'ada@example.test', password: 'a-good-password-1' });
  assert.equal(status, 403);
  assert.equal(body.error.code, 'invitation_required');
});

Deno.test('an empty or non-text token is 403 invitation_required', async () => {
  for (const token of ['', 42, null]) {
    const { status, body } = await post({ token, password: 'a-good-password-1' });
    assert.equal(status, 403, `token ${JSON.stringify(token)}`);
    assert.equal(body.error.code, 'invitation_required');
  }
});

Deno.test('a token without a password is 400 validation_failed naming the field', async () => {
  const { status, body } = await post({ token: 'x'.repeat(43) });
  assert.equal(status, 400);
  assert.equal(body.error.code, 'validation_failed');
  assert.deepEqual(body.error.details.issues.map((i: { path: string }) => i.path), ['password']);
});

Deno.test('a LinkedIn URL must be http(s): javascript: is refused', async () => {
  const { status, body } = await post({
    token: 'x'.repeat(43),
    password: 'a-good-password-1',
    linkedin_url: 'javascript:alert(1)',
  });
  assert.equal(status, 400);
  assert.equal(body.error.details.issues[0].path, 'linkedin_url');
});

Deno.test('the OpenAPI document describes activation and the preview', async () => {
  const res = await testApp().request('/activation/openapi.json');
  assert.equal(res.status, 200);
  const doc = await res.json();
  assert.ok(doc.paths['/activation'].post, 'POST /activation');
  assert.ok(doc.paths['/activation/{token}'].get, 'GET /activation/{token}');
  assert.deepEqual(Object.keys(doc.components.schemas.InvitationPreview.properties).sort(), [
    'campaign_title',
    'company',
    'deadline',
    'privacy_notice',
    'time_zone',
  ]);
  assert.ok(doc.paths['/activation/link'].post, 'POST /activation/link');
  assert.ok(doc.paths['/activation/password'].post, 'POST /activation/password');
  assert.ok(doc.components.schemas.ActivationRequest.required.includes('token'));
  for (const status of ['403', '404', '409', '410', '422', '429']) {
    assert.ok(doc.paths['/activation'].post.responses[status], `documents ${status}`);
  }
});

Deno.test('the SPA origin passes the CORS preflight, with the request id exposed', async () => {
  const res = await testApp().request('/activation', {
    method: 'OPTIONS',
    headers: {
      origin: TEST_SITE_URL,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), TEST_SITE_URL);
});

Deno.test('errors carry the CORS header and a request id', async () => {
  const res = await testApp().request('/activation', {
    method: 'POST',
    headers: { origin: TEST_SITE_URL, 'content-type': 'application/json', 'x-request-id': 'req-123' },
    body: '{}',
  });
  assert.equal(res.status, 403);
  assert.equal(res.headers.get('access-control-allow-origin'), TEST_SITE_URL);
  assert.equal(res.headers.get('x-request-id'), 'req-123');
  await res.body?.cancel();
});

Deno.test('with the database down an activation is refused with 503, before anything else happens', async () => {
  const { status, body } = await post({ token: 'x'.repeat(43), password: 'a-good-password-1' });
  assert.equal(status, 503);
  assert.equal(body.error.code, 'database_unavailable');
});
