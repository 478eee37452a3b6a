// What activation asks of the Auth server, over the project's one Auth client (shared/auth-admin.ts): set a
// password and confirm the email, create a confirmed candidate when an invited candidate row has no auth user yet,
// and sign in to hand back a session. Routes take an `Accounts` so that tests can put a failing one in its place.
import { accountConflict, AUTH_TIMEOUT_MS, authAdmin, type AuthSession } from '../../shared/auth-admin.ts';
import type { AppConfig } from '../../shared/config.ts';
import { createPlaceholderUser } from '../invitations/placeholders.ts';

export type { AuthSession };

export interface Accounts {
  /** Sets the password of an existing user, confirms their email and clears app_metadata.invitation_pending. */
  setPassword(userId: string, password: string): Promise<void>;
  /** Creates a confirmed candidate user with this password (the candidate row is linked by the sign-up trigger). */
  createCandidate(email: string, password: string): Promise<string>;
  /** Signs in with email and password, as the SPA would. */
  signIn(email: string, password: string): Promise<AuthSession>;
  /** Creates a placeholder candidate (no usable password, invitation pending) for a candidate row without a user. */
  createPlaceholder(email: string): Promise<string>;
  /** A session for this account without its password (the email link is the credential). */
  signInByLink(email: string): Promise<AuthSession>;
}

export function goTrueAccounts(config: AppConfig, timeoutMs = AUTH_TIMEOUT_MS): Accounts {
  const auth = authAdmin(config, timeoutMs);
  return {
    // One call, so GoTrue applies all three in one transaction: no state where the account is half activated.
    setPassword: (userId, password) =>
      auth.updateUser(userId, { password, email_confirm: true, app_metadata: { invitation_pending: false } }),
    async createCandidate(email, password) {
      const result = await auth.createUser({
        email,
        password,
        email_confirm: true,
        app_metadata: { role: 'candidate' },
      });
      if (!result.created) throw accountConflict();
      return result.id;
    },
    signIn: (email, password) => auth.signIn(email, password),
    async createPlaceholder(email) {
      const result = await createPlaceholderUser(auth, { email });
      if (!result.created) throw accountConflict();
      return result.id;
    },
    signInByLink: (email) => auth.signInWithoutPassword(email),
  };
}
