// The one client of the Auth server (GoTrue) the functions use: its admin API with the service role key, and the
// password sign-in that hands a new session back. Plain HTTP to GoTrue's documented routes (through the project URL,
// as on hosted Supabase), one timeout for every call (a hung Auth server must not hold a transaction or a row lock),
// and one meaning for each kind of failure. Not supabase-js: it turns every 5xx into a "retryable fetch error" and
// drops the body, and GoTrue's answer to a lost creation race is a 500 whose body says so.
import type { AppConfig } from './config.ts';
import { AppError, internal, unavailable } from './errors.ts';

export const AUTH_TIMEOUT_MS = 10_000;

export interface AuthSession {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  expires_at: number | null;
  token_type: string;
}

/** The admin API's user attributes the functions set. */
export interface UserAttributes {
  email?: string;
  password?: string;
  /** A bcrypt (or argon2) hash GoTrue stores as is, instead of hashing a password. */
  password_hash?: string;
  email_confirm?: boolean;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
}

/** A new user's id, or `created: false` when the address already has an account (before or during the call). */
export type CreateUserResult = { created: true; id: string } | { created: false };

export interface AuthAdmin {
  createUser(attributes: UserAttributes): Promise<CreateUserResult>;
  /** Updates one user; GoTrue applies every attribute of one call in one transaction. */
  updateUser(id: string, attributes: UserAttributes): Promise<void>;
  /** Deletes one user; a user already gone counts as deleted. */
  deleteUser(id: string): Promise<void>;
  /** Signs in with email and password, as the SPA would. */
  signIn(email: string, password: string): Promise<AuthSession>;
  /**
   * Signs a user in without a password: a magic-link token from the admin API (generate_link, which sends no email),
   * verified at once (POST /verify with its token_hash), as the link's landing page would.
   */
  signInWithoutPassword(email: string): Promise<AuthSession>;
}

/** A refusal from GoTrue: its HTTP status and error code (`error_code`, or `code` for database errors). */
export class AuthApiFailure extends Error {
  constructor(readonly status: number, readonly code: string | null, message: string) {
    super(message);
    this.name = 'AuthApiFailure';
  }
}

const EXISTS_CODES = new Set(['email_exists', 'user_already_exists']);

/** Sign-ins by link raced by others for the same account before the Auth server's refusal counts as trouble. */
const SIGN_IN_ATTEMPTS = 8;

/**
 * What an Auth failure means for our callers: 503 auth_unavailable when the server cannot be reached, fails or
 * throttles us; 422 weak_password; 409 account_conflict for an address another account holds; anything else is a bug
 * on our side, logged and answered 500 without GoTrue's message.
 */
export function fromAuthError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (!(error instanceof AuthApiFailure) || error.status >= 500 || error.status === 429) {
    return unavailable('auth_unavailable', 'The Auth server is unavailable. Try again in a moment.', error);
  }
  if (error.code === 'weak_password') {
    return new AppError(422, 'weak_password', error.message, { reasons: ['auth_server'] }, { cause: error });
  }
  if (EXISTS_CODES.has(error.code ?? '')) return accountConflict(error);
  return internal(error);
}

/** 409 account_conflict: the address belongs to another account than the one the caller meant. */
export function accountConflict(cause?: unknown): AppError {
  return new AppError(
    409,
    'account_conflict',
    'Another account already uses this email address. Contact the person who invited you.',
    undefined,
    { cause },
  );
}

/**
 * GoTrue reports an address that has an account as 422 email_exists; when a parallel call created it between its
 * own check and its insert, as a 500 carrying Postgres' unique violation (23505).
 */
function alreadyExists(error: unknown): boolean {
  return error instanceof AuthApiFailure &&
    (EXISTS_CODES.has(error.code ?? '') || (error.status === 500 && error.code === '23505'));
}

function toSession(s: AuthSession & { expires_at?: number }): AuthSession {
  return {
    access_token: s.access_token,
    refresh_token: s.refresh_token,
    expires_in: s.expires_in,
    expires_at: s.expires_at ?? null,
    token_type: s.token_type,
  };
}

/** The Auth server of `config`, through its public URL (the gateway), as on hosted Supabase. */
export function authAdmin(
  config: Pick<AppConfig, 'supabaseUrl' | 'serviceRoleKey' | 'anonKey'>,
  timeoutMs = AUTH_TIMEOUT_MS,
): AuthAdmin {
  /** One call; its JSON body, or an AuthApiFailure (refused) or a network error (unreachable, timed out). */
  async function call<T>(method: string, path: string, key: string, body?: unknown): Promise<T> {
    const res = await fetch(`${config.supabaseUrl}/auth/v1${path}`, {
      method,
      headers: {
        apikey: key,
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> | null = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // a proxy's HTML error page, say: the status alone decides
    }
    if (res.ok) return parsed as T;
    const code = parsed?.error_code ?? parsed?.code;
    const message = parsed?.msg ?? parsed?.message ?? parsed?.error_description ?? text.slice(0, 200);
    throw new AuthApiFailure(res.status, typeof code === 'string' ? code : null, String(message));
  }

  // The service role: creating, changing or deleting someone else's account is what a user must never do.
  const asAdmin = <T>(method: string, path: string, body?: unknown) =>
    call<T>(method, path, config.serviceRoleKey, body);

  return {
    async createUser(attributes) {
      try {
        const user = await asAdmin<{ id: string }>('POST', '/admin/users', attributes);
        return { created: true, id: user.id };
      } catch (error) {
        if (alreadyExists(error)) return { created: false };
        throw fromAuthError(error);
      }
    },
    async updateUser(id, attributes) {
      await asAdmin('PUT', `/admin/users/${encodeURIComponent(id)}`, attributes).catch((error) => {
        throw fromAuthError(error);
      });
    },
    async deleteUser(id) {
      await asAdmin('DELETE', `/admin/users/${encodeURIComponent(id)}`).catch((error) => {
        if (error instanceof AuthApiFailure && error.status === 404) return;
        throw fromAuthError(error);
      });
    },
    async signIn(email, password) {
      try {
        const s = await call<AuthSession & { expires_at?: number }>(
          'POST',
          '/token?grant_type=password',
          config.anonKey,
          { email, password },
        );
        return toSession(s);
      } catch (error) {
        throw fromAuthError(error);
      }
    },
    async signInWithoutPassword(email) {
      // GoTrue keeps one magic-link token per user: two sign-ins at once (two devices) can replace each other's
      // token between generate_link and verify, and the loser's verify is refused (403 otp_expired). It then asks
      // for a new one after a random pause (so racers spread out); a refusal that persists is the Auth server's
      // trouble, not the caller's (503).
      for (let attempt = 1;; attempt++) {
        if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * attempt));
        try {
          // The service role: minting a sign-in for someone is what only the server may do.
          const link = await asAdmin<{ hashed_token?: string; properties?: { hashed_token?: string } }>(
            'POST',
            '/admin/generate_link',
            { type: 'magiclink', email },
          );
          const tokenHash = link.hashed_token ?? link.properties?.hashed_token;
          if (!tokenHash) throw new AuthApiFailure(502, null, 'generate_link answered no hashed_token');
          const s = await call<AuthSession & { expires_at?: number }>('POST', '/verify', config.anonKey, {
            type: 'magiclink',
            token_hash: tokenHash,
          });
          return toSession(s);
        } catch (error) {
          const replaced = error instanceof AuthApiFailure && (error.status === 403 || error.code === 'otp_expired');
          if (replaced && attempt < SIGN_IN_ATTEMPTS) continue;
          if (replaced) {
            throw unavailable('auth_unavailable', 'The Auth server refused the sign-in link. Try again.', error);
          }
          throw fromAuthError(error);
        }
      }
    },
  };
}
