import assert from 'node:assert/strict';
import { ConfigError } from '../../shared/config.ts';
import { loadWebhookSettings } from './settings.ts';

Deno.test('webhook settings: https only, 22 attempts and 72 hours unless told otherwise', () => {
  assert.deepEqual(loadWebhookSettings({}), { allowLoopback: false, maxAttempts: 22, disableAfterHours: 72 });
  assert.deepEqual(
    loadWebhookSettings({
      WEBHOOKS_ALLOW_LOOPBACK_HTTP: 'true',
      WEBHOOKS_MAX_ATTEMPTS: '5',
      WEBHOOKS_DISABLE_AFTER_HOURS: '0.5',
    }),
    { allowLoopback: true, maxAttempts: 5, disableAfterHours: 0.5 },
  );
});

Deno.test('webhook settings: a bad value fails the start-up naming the variable', () => {
  for (
    const [name, value] of [
      ['WEBHOOKS_ALLOW_LOOPBACK_HTTP', 'maybe'],
      ['WEBHOOKS_MAX_ATTEMPTS', '0'],
      ['WEBHOOKS_MAX_ATTEMPTS', 'many'],
      ['WEBHOOKS_DISABLE_AFTER_HOURS', '-1'],
    ]
  ) {
    assert.throws(() => loadWebhookSettings({ [name]: value }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.variables, [name]);
      return true;
    });
  }
});
