import assert from 'node:assert/strict';
import { z } from '@hono/zod-openapi';
import { email, pagination, timestamp, uuid, uuidParam } from './validation.ts';

Deno.test('email is trimmed and lowercased before it is checked', () => {
  assert.equal(email.parse('  Ada.Lovelace@Example.COM '), 'ada.lovelace@example.com');
  assert.equal(email.safeParse('not an email').success, false);
  assert.equal(email.safeParse(`${'a'.repeat(250)}@x.io`).success, false);
});

Deno.test('pagination has defaults and a cap', () => {
  assert.deepEqual(pagination.parse({}), { limit: 25, offset: 0 });
  assert.deepEqual(pagination.parse({ limit: '10', offset: '20' }), { limit: 10, offset: 20 });
  assert.equal(pagination.safeParse({ limit: '1000' }).success, false);
  assert.equal(pagination.safeParse({ offset: '-1' }).success, false);
});

Deno.test('uuid and timestamp accept only their formats', () => {
  assert.equal(uuid.safeParse(crypto.randomUUID()).success, true);
  assert.equal(uuid.safeParse('123').success, false);
  assert.equal(timestamp.safeParse('2026-03-01T12:00:00Z').success, true);
  assert.equal(timestamp.safeParse('2026-03-01T12:00:00+02:00').success, true);
  assert.equal(timestamp.safeParse('next tuesday').success, false);
});

Deno.test('uuidParam builds a params schema keyed by the name', () => {
  const params = uuidParam('session_id');
  const id = crypto.randomUUID();
  assert.deepEqual(params.parse({ session_id: id }), { session_id: id });
  assert.equal(params.safeParse({ session_id: 'x' }).success, false);
  const _typed: z.infer<typeof params> = { session_id: id };
});
