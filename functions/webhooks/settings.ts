// Settings of the webhooks function beyond the shared configuration, parsed once at start-up with zod.
import { z } from 'zod';
import { ConfigError, type Env } from '../../shared/config.ts';

export interface WebhookSettings {
  /** Plain http and loopback destinations allowed: the local stack and tests only, never in production. */
  allowLoopback: boolean;
  /** Attempts of one delivery before it is marked failed (the backoff doubles from 30 s, capped at 6 h). */
  maxAttempts: number;
  /** An endpoint whose failures last this long without a success is disabled. */
  disableAfterHours: number;
}

const schema = z.object({
  WEBHOOKS_ALLOW_LOOPBACK_HTTP: z.stringbool().default(false),
  WEBHOOKS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(22),
  WEBHOOKS_DISABLE_AFTER_HOURS: z.coerce.number().min(0.01).max(24 * 30).default(72),
});

export function loadWebhookSettings(env: Env = Deno.env.toObject()): WebhookSettings {
  const read = (name: keyof z.input<typeof schema>) => env[name]?.trim() || undefined;
  const result = schema.safeParse({
    WEBHOOKS_ALLOW_LOOPBACK_HTTP: read('WEBHOOKS_ALLOW_LOOPBACK_HTTP'),
    WEBHOOKS_MAX_ATTEMPTS: read('WEBHOOKS_MAX_ATTEMPTS'),
    WEBHOOKS_DISABLE_AFTER_HOURS: read('WEBHOOKS_DISABLE_AFTER_HOURS'),
  });
  if (!result.success) {
    const names = [...new Set(result.error.issues.map((i) => String(i.path[0])))];
    throw new ConfigError(names, `invalid webhooks configuration: ${names.join(', ')}`);
  }
  return {
    allowLoopback: result.data.WEBHOOKS_ALLOW_LOOPBACK_HTTP,
    maxAttempts: result.data.WEBHOOKS_MAX_ATTEMPTS,
    disableAfterHours: result.data.WEBHOOKS_DISABLE_AFTER_HOURS,
  };
}
