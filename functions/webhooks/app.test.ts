import assert from 'node:assert/strict';
import { createLogger } from '../../shared/log.ts';
import { createTestAuth } from '../../shared/testing.ts';
import { buildWebhooksApp } from './app.ts';

const settings = { allowLoopback: false, maxAttempts: 20, disableAfterHours: 72 };
const ORG = '6f1c1e52-3a4b-4c5d-8e9f-0a1b2c3d4e5f';

async function setup() {
  const auth = await createTestAuth();
  const app = buildWebhooksApp({
    config: auth.config,
    settings,
    logger: createLogger({ level: 'error' }),
    resolve: (host) => Promise.resolve(host === 'ats.example.com' ? ['93.184.216.34'] : ['10.0.0.1']),
  });
  const user = await auth.userToken({ user_role: 'hiring_manager' });
  const call = (path: string, init: RequestInit & { token?: string } = {}) =>
    app.request(`/webhooks${path}`, {
      method: 'POST',
      ...init,
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
    });
  return { auth, app, user, call };
}

async function errorCode(res: Response) {
  const body = await res.json();
  return `${res.status} ${body.error?.code}`;
}

Deno.test('webhooks routes: no token is 401, a user token on the worker is 403', async () => {
  const { call, user } = await setup();
  assert.equal(await errorCode(await call('/endpoints', { body: '{}' })), '401 missing_token');
  assert.equal(await errorCode(await call('/run')), '401 missing_token');
  assert.equal(await errorCode(await call('/run', { token: user })), '403 service_role_required');
  assert.equal(await errorCode(await call(`/deliveries/${ORG}/replay`)), '401 missing_token');
});

Deno.test('webhooks routes: malformed bodies and parameters are 4xx with stable codes, before any database call', async () => {
  const { call, user, auth } = await setup();
  const cases: Array<[string, RequestInit & { token?: string }, string]> = [
    ['/endpoints', { token: user, body: '{"organization_id":' }, '400 invalid_json'],
    ['/endpoints', { token: user, body: '[]' }, '400 validation_failed'],
    [
      '/endpoints',
      { token: user, body: JSON.stringify({ organization_id: 'x', url: 'https://a', event_types: [] }) },
      '400 validation_failed',
    ],
    ['/endpoints', {
      token: user,
      body: JSON.stringify({
        organization_id: ORG,
        url: 'https://ats.example.com/h',
        event_types: ['session.deleted'],
      }),
    }, '400 validation_failed'],
    ['/endpoints', {
      token: user,
      body: JSON.stringify({ organization_id: ORG, url: 'http://ats.example.com/h', event_types: ['session.invited'] }),
    }, '422 webhook_url_refused'],
    ['/endpoints', {
      token: user,
      body: JSON.stringify({
        organization_id: ORG,
        url: 'https://intranet.example.com/h',
        event_types: ['decision.made'],
      }),
    }, '422 webhook_url_refused'],
    ['/deliveries/not-a-uuid/replay', { token: user }, '400 validation_failed'],
    ['/run', { token: auth.serviceRoleKey, body: 'nope' }, '400 invalid_json'],
    ['/run', { token: auth.serviceRoleKey, body: '{"limit":0}' }, '400 validation_failed'],
    ['/run', { token: auth.serviceRoleKey, body: '{"limit":"many"}' }, '400 validation_failed'],
  ];
  for (const [path, init, expected] of cases) {
    assert.equal(await errorCode(await call(path, init)), expected, `${path} ${init.body}`);
  }
});

Deno.test('webhooks routes: the refusal of a destination says why', async () => {
  const { call, user } = await setup();
  const res = await call('/endpoints', {
    token: user,
    body: JSON.stringify({
      organization_id: ORG,
      url: 'https://intranet.example.com/h',
      event_types: ['decision.made'],
    }),
  });
  assert.equal(res.status, 422);
  assert.deepEqual((await res.json()).error.details, { reason: 'address_not_allowed' });
});

Deno.test('webhooks routes: the OpenAPI document lists the three routes', async () => {
  const { app } = await setup();
  const doc = await (await app.request('/webhooks/openapi.json')).json();
  assert.deepEqual(Object.keys(doc.paths).sort(), [
    '/webhooks/deliveries/{delivery_id}/replay',
    '/webhooks/endpoints',
    '/webhooks/health',
    '/webhooks/run',
  ]);
});
