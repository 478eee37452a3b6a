// The Auth server (GoTrue) calls activation needs: set a password and confirm the email through the admin API, create
// a confirmed candidate when an invited candidate row has no auth user yet, and sign in to hand back a session.
// Every call has a timeout, so a hung Auth server cannot hold the activation transaction (and its token row lock).
import {
  createClient,
  isAuthApiError,
  isAuthError,
  isAuthRetryableFetchError,
  type SupabaseClient,
} from '@supabase/supabase-js';
import type { AppConfig } from '../../shared/config.ts';
import { AppError, internal, unavailable } from '../../shared/errors.ts';

export interface AuthSession {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  expires_at: number | null;
  token_type: string;
}

export interface Accounts {
  /** Sets the password of an existing user, confirms their email and clears app_metadata.invitation_pending. */
  setPassword(userId: string, password: string): Promise<void>;
  /** Creates a confirmed candidate user with this password (the candidate row is linked by the sign-up trigger). */
  createCandidate(email: string, password: string): Promise<string>;
  /** Signs in with email and password, as the SPA would. */
  signIn(email: string, password: string): Promise<AuthSession>;
}

export const AUTH_TIMEOUT_MS = 10_000;

/** What an Auth API failure means for the caller of activation. */
export function fromAuthError(error: unknown): AppError {
  if (isAuthRetryableFetchError(error) || (isAuthError(error) && (error.status ?? 0) >= 500)) {
    return unavailable('auth_unavailable', 'The Auth server is unavailable. Try again in a moment.', error);
  }
  if (isAuthApiError(error)) {
    if (error.code === 'weak_password') {
      return new AppError(422, 'weak_password', error.message, { reasons: ['auth_server'] }, { cause: error });
    }
    if (error.code === 'email_exists' || error.code === 'user_already_exists') {
      return new AppError(
        409,
        'account_conflict',
        'Another account already uses this email address. Contact the person who invited you.',
        undefined,
        { cause: error },
      );
    }
  }
  return internal(error);
}

function timedFetch(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const signal = init?.signal
      ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs);
    return fetch(input, { ...init, signal });
  };
}

function client(url: string, key: string, timeoutMs: number): SupabaseClient {
  return createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { fetch: timedFetch(timeoutMs) },
  });
}

/** The Auth server of `config`, through its public URL (the gateway), as on hosted Supabase. */
export function goTrueAccounts(config: AppConfig, timeoutMs = AUTH_TIMEOUT_MS): Accounts {
  // The service role: setting a password without knowing the old one is an admin action.
  const admin = client(config.supabaseUrl, config.serviceRoleKey, timeoutMs).auth.admin;
  return {
    async setPassword(userId, password) {
      // One call, so GoTrue applies all three in one transaction: no state where the account is half activated.
      const { error } = await admin.updateUserById(userId, {
        password,
        email_confirm: true,
        app_metadata: { invitation_pending: false },
      });
      if (error) throw fromAuthError(error);
    },
    async createCandidate(email, password) {
      const { data, error } = await admin.createUser({
        email,
        password,
        email_confirm: true,
        app_metadata: { role: 'candidate' },
      });
      if (error) throw fromAuthError(error);
      return data.user.id;
    },
    async signIn(email, password) {
      // A fresh anon client per sign-in: the session must not be kept by (or shared through) this module.
      const { data, error } = await client(config.supabaseUrl, config.anonKey, timeoutMs).auth.signInWithPassword({
        email,
        password,
      });
      if (error) throw fromAuthError(error);
      const s = data.session;
      return {
        access_token: s.access_token,
        refresh_token: s.refresh_token,
        expires_in: s.expires_in,
        expires_at: s.expires_at ?? null,
        token_type: s.token_type,
      };
    },
  };
}
