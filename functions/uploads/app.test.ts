// The routes without a database or a store: authentication, validation, the allow-list and the OpenAPI document.
// (Everything that reaches the database or S3 is proven against the real stack in tests/uploads*.test.ts.)
import assert from 'node:assert/strict';
import { createSql } from '../../shared/db.ts';
import { createTestAuth } from '../../shared/testing.ts';
import { buildUploadsApp } from './app.ts';

const auth = await createTestAuth();
// A closed port: a request that got past validation would fail with 503, which no test below expects.
const sql = createSql(auth.config);
const app = buildUploadsApp({
  config: auth.config,
  sql,
  storage: {
    endpoint: 'http://127.0.0.1:9',
    region: 'us-east-1',
    bucket: 'videos',
    accessKeyId: 'k',
    secretAccessKey: 's',
    forcePathStyle: true,
  },
});

const body = {
  session_id: crypto.randomUUID(),
  question_id: crypto.randomUUID(),
  content_type: 'video/webm',
  size_bytes: 1000,
};

async function post(path: string, json: unknown, token?: string) {
  const res = await app.request(`/uploads${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(json),
  });
  return { status: res.status, body: await res.json() };
}

Deno.test('requesting an upload needs a user token', async () => {
  const none = await post('', body);
  assert.equal(none.status, 401);
  assert.equal(none.body.error.code, 'missing_token');
  const anon = await post('', body, auth.anonKey);
  assert.equal(anon.status, 401);
});

Deno.test('a video type off the allow-list is a 415 before anything is recorded', async () => {
  const token = await auth.userToken({ user_role: 'candidate' });
  const res = await post('', { ...body, content_type: 'video/quicktime' }, token);
  assert.equal(res.status, 415);
  assert.equal(res.body.error.code, 'unsupported_content_type');
  assert.deepEqual(res.body.error.details.allowed, ['video/webm', 'video/mp4']);
});

Deno.test('a malformed request is a 400 validation_failed naming the fields', async () => {
  const token = await auth.userToken();
  const res = await post(
    '',
    { ...body, session_id: 'x', size_bytes: 0, method: 'ftp', expires_in_seconds: 901 },
    token,
  );
  assert.equal(res.status, 400);
  const paths = res.body.error.details.issues.map((i: { path: string }) => i.path).sort();
  assert.deepEqual(paths, ['expires_in_seconds', 'method', 'session_id', 'size_bytes']);
  const badId = await app.request(`/uploads/not-a-uuid/playback`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(badId.status, 400);
});

Deno.test('the retention run refuses user tokens', async () => {
  const res = await post('/retention/run', {}, await auth.userToken({ user_role: 'admin' }));
  assert.equal(res.status, 403);
  assert.equal(res.body.error.code, 'service_role_required');
});

Deno.test('the OpenAPI document describes the request body and every route', async () => {
  const res = await app.request('/uploads/openapi.json');
  const doc = await res.json();
  assert.deepEqual(Object.keys(doc.paths).sort(), [
    '/uploads',
    '/uploads/health',
    '/uploads/me',
    '/uploads/retention/run',
    '/uploads/sessions/{session_id}',
    '/uploads/share/open',
    '/uploads/share/rate',
    '/uploads/users/{user_id}',
    '/uploads/{response_id}/complete',
    '/uploads/{response_id}/multipart',
    '/uploads/{response_id}/parts',
    '/uploads/{response_id}/playback',
  ]);
  // size_bytes is required for every method but stream, which the schema's refinement checks.
  assert.deepEqual(doc.components.schemas.UploadRequest.required.sort(), [
    'content_type',
    'question_id',
    'session_id',
  ]);
  assert.ok(doc.paths['/uploads/{response_id}/parts'].post.requestBody);
});

Deno.test('the share endpoints need no account but validate the body before anything is counted or read', async () => {
  for (
    const [path, json] of [
      ['/share/open', {}],
      ['/share/open', { token: '' }],
      ['/share/rate', { token: 'x', response_id: 'not-a-uuid', score: 3 }],
      ['/share/rate', { token: 'x', response_id: crypto.randomUUID(), score: 0 }],
      ['/share/rate', { token: 'x', response_id: crypto.randomUUID(), score: 3, comment: 'x'.repeat(5001) }],
    ] as const
  ) {
    const res = await post(path, json);
    assert.equal(res.status, 400, `${path} ${JSON.stringify(json)}`);
    assert.equal(res.body.error.code, 'validation_failed');
  }
  const doc = await (await app.request('/uploads/openapi.json')).json();
  assert.equal(doc.paths['/uploads/share/open'].post.security, undefined, 'documented as public');
  assert.ok(doc.components.schemas.SharedSession);
});
