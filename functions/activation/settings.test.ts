import assert from 'node:assert/strict';
import { isConfigError } from '../../shared/config.ts';
import { loadActivationSettings } from './settings.ts';

Deno.test('one trusted proxy (the gateway) unless configured otherwise', () => {
  assert.deepEqual(loadActivationSettings({}), { trustedProxyHops: 1 });
  assert.deepEqual(loadActivationSettings({ ACTIVATION_TRUSTED_PROXY_HOPS: ' ' }), { trustedProxyHops: 1 });
  assert.deepEqual(loadActivationSettings({ ACTIVATION_TRUSTED_PROXY_HOPS: '2' }), { trustedProxyHops: 2 });
});

Deno.test('a bad proxy count fails at start-up naming the variable', () => {
  for (const value of ['0', 'two', '1.5', '9']) {
    assert.throws(
      () => loadActivationSettings({ ACTIVATION_TRUSTED_PROXY_HOPS: value }),
      (e) => isConfigError(e) && e.variables[0] === 'ACTIVATION_TRUSTED_PROXY_HOPS',
      value,
    );
  }
});
