// Attempt limits of the public activation endpoints, counted in the database (private.hit_rate_limit) because the
// function runs as many instances. Tokens are 256 random bits, so these limits are not what stops guessing; they
// cap the cost one caller can impose (bcrypt, Auth API calls) and slow down anyone replaying a stolen link.
import type { Sql } from '../../shared/db.ts';
import { AppError } from '../../shared/errors.ts';

export interface Limit {
  bucket: string;
  maxHits: number;
  windowSeconds: number;
}

/** Every request to /activation (preview or activation) from one address. */
export const PER_IP: Limit = { bucket: 'activation_ip', maxHits: 30, windowSeconds: 10 * 60 };
/** Activation attempts (POST) with one token, from anywhere. */
export const PER_TOKEN: Limit = { bucket: 'activation_token', maxHits: 10, windowSeconds: 15 * 60 };

/** 429 `too_many_attempts`; `details.retry_after_seconds` says when to come back (also sent as Retry-After). */
export class TooManyAttempts extends AppError {
  constructor(readonly retryAfterSeconds: number, limit: Limit) {
    super(429, 'too_many_attempts', `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, {
      retry_after_seconds: retryAfterSeconds,
      limit: limit.bucket,
    });
  }
}

/**
 * Counts one attempt against each limit, in order, and throws TooManyAttempts at the first one that is full (later
 * limits are then not counted). The counts commit whatever the request does next.
 */
export async function countAttempt(sql: Sql, attempts: Array<{ limit: Limit; key: string }>): Promise<void> {
  // The database owner's connection: the counters are in `private`, out of every client role's reach.
  const refused = await sql.begin(async (tx) => {
    for (const { limit, key } of attempts) {
      const [{ wait }] = await tx<{ wait: number }[]>`
        select private.hit_rate_limit(${limit.bucket}, ${key}, ${limit.maxHits},
                                      make_interval(secs => ${limit.windowSeconds})) as wait`;
      if (wait > 0) return { limit, wait };
    }
    return null;
  });
  if (refused) throw new TooManyAttempts(refused.wait, refused.limit);
}
