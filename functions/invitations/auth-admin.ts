// The one GoTrue admin call invitations need: create a placeholder account (no usable password, role `candidate` and
// invitation_pending in app_metadata, which only the service role can set). Uses the service role key because
// creating someone else's account is exactly what a user must not do through the public API.
import type { AppConfig } from '../../shared/config.ts';
import { AppError, internal, unavailable } from '../../shared/errors.ts';

export interface PlaceholderProfile {
  email: string;
  first_name: string;
  last_name: string;
  phone?: string | null;
  linkedin_url?: string | null;
}

/** The new user's id, or `exists` when GoTrue already has an account with that email. */
export type CreateResult = { created: true; id: string } | { created: false };

const TIMEOUT_MS = 10_000;

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A password hash that no password matches, for one placeholder: bcrypt's format (`$2a$10$`, a 22-character salt and
 * a 31-character digest) filled with random characters instead of the output of hashing anything. GoTrue stores the
 * `password_hash` it is given after checking only that format, so it computes no bcrypt (given no password, it would
 * hash a random one at cost 10 for every placeholder: 61.6 s for 1,000 invitations). Signing in would need a password
 * whose bcrypt under that salt is those 184 random bits: nobody has one, not even us, and each placeholder's differs.
 * Activation replaces it with the candidate's own password.
 */
export function unusablePasswordHash(): string {
  const random = crypto.getRandomValues(new Uint8Array(53));
  return `$2a$10$${Array.from(random, (b) => BCRYPT_ALPHABET[b & 63]).join('')}`;
}

function authUnavailable(cause: unknown, message = 'The auth server is unavailable, nothing was created'): AppError {
  return unavailable('auth_unavailable', message, cause);
}

export async function createPlaceholderUser(config: AppConfig, profile: PlaceholderProfile): Promise<CreateResult> {
  let res: Response;
  try {
    res = await fetch(`${config.supabaseUrl}/auth/v1/admin/users`, {
      method: 'POST',
      headers: {
        apikey: config.serviceRoleKey,
        authorization: `Bearer ${config.serviceRoleKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        email: profile.email,
        password_hash: unusablePasswordHash(),
        // Confirmed on purpose: with sign-up confirmations off (config.toml), signing up with the address of an
        // UNCONFIRMED account hands that account out, so an attacker who knows an invited address could take it over.
        // A confirmed account refuses sign-up; invitation_pending (only the service role can write app_metadata) is
        // what tells activation that the account still waits for its token. No usable password either way.
        email_confirm: true,
        app_metadata: { role: 'candidate', invitation_pending: true },
        // The provisioning trigger copies these into the candidate row it links or creates.
        user_metadata: {
          first_name: profile.first_name,
          last_name: profile.last_name,
          ...(profile.phone ? { phone: profile.phone } : {}),
          ...(profile.linkedin_url ? { linkedin_url: profile.linkedin_url } : {}),
        },
      }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw authUnavailable(error);
  }
  const body = await res.json().catch(() => null) as
    | { id?: string; error_code?: string; code?: string | number }
    | null;
  if (res.ok && typeof body?.id === 'string') return { created: true, id: body.id };
  // GoTrue answers 422 email_exists when the account existed before the call. When a parallel call created it
  // between GoTrue's own existence check and its insert, it answers 500 with the Postgres unique violation (23505).
  const code = body?.error_code ?? body?.code;
  if (res.status === 422 && (code === 'email_exists' || code === 'user_already_exists')) return { created: false };
  if (res.status === 500 && body?.code === '23505') return { created: false };
  const failure = new Error(`GoTrue admin createUser answered ${res.status}: ${JSON.stringify(body)?.slice(0, 300)}`);
  if (res.status >= 500 || res.status === 429) throw authUnavailable(failure);
  // Any other refusal is a bug on our side (we validated the email); it is logged, never shown.
  throw internal(failure);
}
