// Settings of the activation function beyond the shared configuration, parsed once at start-up with zod.
import { z } from 'zod';
import { ConfigError, type Env } from '../../shared/config.ts';

export interface ActivationSettings {
  /** How many proxies in front of the function append to X-Forwarded-For (see client-ip.ts). */
  trustedProxyHops: number;
}

const schema = z.object({
  ACTIVATION_TRUSTED_PROXY_HOPS: z.coerce.number({ error: 'must be an integer from 1 to 5' }).int().min(1).max(5)
    .default(1),
});

export function loadActivationSettings(env: Env = Deno.env.toObject()): ActivationSettings {
  const result = schema.safeParse({
    ACTIVATION_TRUSTED_PROXY_HOPS: env.ACTIVATION_TRUSTED_PROXY_HOPS?.trim() || undefined,
  });
  if (!result.success) {
    throw new ConfigError(
      ['ACTIVATION_TRUSTED_PROXY_HOPS'],
      'invalid activation configuration: ACTIVATION_TRUSTED_PROXY_HOPS must be an integer from 1 to 5',
    );
  }
  return { trustedProxyHops: result.data.ACTIVATION_TRUSTED_PROXY_HOPS };
}
