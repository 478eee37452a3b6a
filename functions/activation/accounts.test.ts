import assert from 'node:assert/strict';
import { AuthApiError, AuthRetryableFetchError } from '@supabase/supabase-js';
import { fromAuthError } from './accounts.ts';

Deno.test('an unreachable or failing Auth server is 503 auth_unavailable', () => {
  for (
    const error of [new AuthRetryableFetchError('fetch failed', 0), new AuthApiError('boom', 500, 'unexpected_failure')]
  ) {
    const mapped = fromAuthError(error);
    assert.equal(mapped.status, 503);
    assert.equal(mapped.code, 'auth_unavailable');
  }
});

Deno.test('a password the Auth server finds weak is 422 weak_password', () => {
  const mapped = fromAuthError(new AuthApiError('Password is known to be weak', 422, 'weak_password'));
  assert.equal(mapped.status, 422);
  assert.equal(mapped.code, 'weak_password');
});

Deno.test('an address taken by another account is 409 account_conflict', () => {
  const mapped = fromAuthError(new AuthApiError('already registered', 422, 'email_exists'));
  assert.equal(mapped.status, 409);
  assert.equal(mapped.code, 'account_conflict');
});

Deno.test('any other refusal is a 500 that does not show the Auth server message', () => {
  const mapped = fromAuthError(new AuthApiError('User not allowed', 403, 'not_admin'));
  assert.equal(mapped.status, 500);
  assert.equal(mapped.message, 'Internal server error');
});
