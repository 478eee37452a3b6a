// The routes without a database: validation, authentication and the OpenAPI document. (Everything that reaches the
// database is proven against the real stack in tests/invitations*.test.ts.)
import assert from 'node:assert/strict';
import { createSql } from '../../shared/db.ts';
import { createApp } from '../../shared/http.ts';
import { createTestAuth } from '../../shared/testing.ts';
import { mountRoutes } from './routes.ts';

const auth = await createTestAuth({ CORS_ORIGINS: 'https://app.example.com' });
const mail = { host: '127.0.0.1', port: 9, user: null, pass: null, secure: false, from: 'x@example.com' };

// Points at a closed port: a request that gets past validation and auth fails with 503 database_unavailable.
const sql = createSql(auth.config);

function app() {
  const a = createApp('invitations', { config: auth.config, sql });
  mountRoutes(a, { mail, sql });
  return a;
}

async function call(path: string, init: RequestInit = {}) {
  const res = await app().request(`/invitations${path === '/' ? '' : path}`, init);
  return { status: res.status, body: await res.json(), headers: res.headers };
}

const json = (body: unknown, token?: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify(body),
});

Deno.test('inviting without a token is 401 missing_token', async () => {
  const res = await call('/', json({ campaign_id: crypto.randomUUID(), email: 'a@example.com' }));
  assert.equal(res.status, 401);
  assert.equal(res.body.error.code, 'missing_token');
});

Deno.test('an invitation body that breaks the schema is 400 validation_failed naming each field', async () => {
  const token = await auth.userToken();
  const res = await call(
    '/',
    json({ campaign_id: 'nope', email: 'not-an-email', first_name: '', locale: 'de' }, token),
  );
  assert.equal(res.status, 400);
  assert.equal(res.body.error.code, 'validation_failed');
  const paths = res.body.error.details.issues.map((i: { path: string }) => i.path).sort();
  assert.deepEqual(paths, ['campaign_id', 'email', 'first_name', 'locale'], 'names are optional, but not empty');
});

Deno.test('a session id that is not a uuid is 400 validation_failed', async () => {
  const token = await auth.userToken();
  const res = await call('/not-a-uuid', {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ deadline: '2030-01-01T00:00:00Z' }),
  });
  assert.equal(res.status, 400);
  assert.equal(res.body.error.code, 'validation_failed');
});

Deno.test('the workers refuse a user token with 403 service_role_required and no token with 401', async () => {
  const token = await auth.userToken();
  for (const path of ['/outbox/run', '/reminders/run']) {
    const user = await call(path, json({}, token));
    assert.equal(user.status, 403);
    assert.equal(user.body.error.code, 'service_role_required');
    const none = await call(path, json({}));
    assert.equal(none.status, 401);
  }
});

Deno.test('the outbox worker accepts the service role with an empty body and validates a given one', async () => {
  // Past auth and parsing, it needs the database, which this unit test does not have: 503 proves the body passed.
  const empty = await call('/outbox/run', {
    method: 'POST',
    headers: { authorization: `Bearer ${auth.serviceRoleKey}` },
  });
  assert.equal(empty.status, 503);
  const bad = await call('/outbox/run', json({ limit: 0 }, auth.serviceRoleKey));
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'validation_failed');
  const broken = await call('/outbox/run', {
    method: 'POST',
    headers: { authorization: `Bearer ${auth.serviceRoleKey}`, 'content-type': 'application/json' },
    body: '{',
  });
  assert.equal(broken.status, 400);
  assert.equal(broken.body.error.code, 'invalid_json');
});

Deno.test('bulk refuses other media types (415), empty uploads (400), bad CSV (400) and over 1,000 rows (413)', async () => {
  const token = await auth.userToken();
  const q = `/bulk?campaign_id=${crypto.randomUUID()}`;
  const headers = (type: string) => ({ authorization: `Bearer ${token}`, 'content-type': type });
  const xml = await call(q, { method: 'POST', headers: headers('application/xml'), body: '<rows/>' });
  assert.equal(xml.status, 415);
  assert.equal(xml.body.error.code, 'unsupported_media_type');
  const empty = await call(q, { method: 'POST', headers: headers('application/json'), body: '[]' });
  assert.equal(empty.status, 400);
  assert.equal(empty.body.error.code, 'no_rows');
  const notRows = await call(q, { method: 'POST', headers: headers('application/json'), body: '{"email": "a@b.c"}' });
  assert.equal(notRows.status, 400);
  assert.equal(notRows.body.error.code, 'invalid_rows');
  const broken = await call(q, { method: 'POST', headers: headers('application/json'), body: '[{' });
  assert.equal(broken.status, 400);
  assert.equal(broken.body.error.code, 'invalid_json');
  const noFile = new FormData();
  noFile.set('rows', 'email\nada@example.com\n');
  const multipart = await call(q, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: noFile });
  assert.equal(multipart.status, 400);
  assert.equal(multipart.body.error.code, 'invalid_rows');
  for (const body of ['[{"email": "ada@example.com"}]', '--x\r\nContent-Disposition: form-data; name="file"\r\n']) {
    const unreadable = await call(q, { method: 'POST', headers: headers('multipart/form-data'), body });
    assert.equal(unreadable.status, 400, 'a multipart type without a boundary, or a truncated part');
    assert.equal(unreadable.body.error.code, 'invalid_multipart');
  }
  const csv = await call(q, { method: 'POST', headers: headers('text/csv'), body: 'name\nada\n' });
  assert.equal(csv.status, 400);
  assert.equal(csv.body.error.code, 'invalid_csv');
  const rows = Array.from({ length: 1001 }, (_, i) => ({ email: `c${i}@example.com` }));
  const many = await call(q, { method: 'POST', headers: headers('application/json'), body: JSON.stringify(rows) });
  assert.equal(many.status, 413);
  assert.equal(many.body.error.code, 'too_many_rows');
  const noCampaign = await call('/bulk', { method: 'POST', headers: headers('application/json'), body: '[{}]' });
  assert.equal(noCampaign.status, 400);
  assert.equal(noCampaign.body.error.code, 'validation_failed');
});

Deno.test('the OpenAPI document lists every invitations route', async () => {
  const res = await call('/openapi.json');
  assert.equal(res.status, 200);
  const paths = res.body.paths;
  assert.ok(paths['/invitations'].post);
  assert.ok(paths['/invitations/bulk'].post);
  assert.ok(paths['/invitations/outbox/run'].post);
  assert.ok(paths['/invitations/reminders/run'].post);
  assert.ok(paths['/invitations/{session_id}/resend'].post);
  assert.ok(paths['/invitations/{session_id}'].patch);
  assert.ok(paths['/invitations/{session_id}'].delete);
  assert.ok(res.body.components.schemas.InvitationRow);
  assert.deepEqual(Object.keys(paths['/invitations/bulk'].post.requestBody.content).sort(), [
    'application/json',
    'multipart/form-data',
    'text/csv',
  ]);
});

Deno.test('errors carry CORS headers and the request id', async () => {
  const res = await app().request('/invitations', {
    method: 'POST',
    headers: { origin: 'https://app.example.com', 'x-request-id': 'req-123', 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(res.status, 401);
  assert.equal(res.headers.get('access-control-allow-origin'), 'https://app.example.com');
  assert.equal(res.headers.get('x-request-id'), 'req-123');
  await res.body?.cancel();
});
