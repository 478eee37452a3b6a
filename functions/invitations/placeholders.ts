// Placeholder accounts: what an invitation creates in Auth for an address that has no account yet (no usable
// password, role `candidate` and invitation_pending in app_metadata, which only the service role can set).
import type { AuthAdmin, CreateUserResult } from '../../shared/auth-admin.ts';

export interface PlaceholderProfile {
  email: string;
}

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

/** Creates the placeholder of `profile`, or reports that the address has an account already. */
export function createPlaceholderUser(auth: AuthAdmin, profile: PlaceholderProfile): Promise<CreateUserResult> {
  return auth.createUser({
    email: profile.email,
    password_hash: unusablePasswordHash(),
    // Confirmed on purpose: with sign-up confirmations off (config.toml), signing up with the address of an
    // UNCONFIRMED account hands that account out, so an attacker who knows an invited address could take it over.
    // A confirmed account refuses sign-up; invitation_pending (only the service role can write app_metadata) is
    // what tells activation that the account still waits for its token. No usable password either way.
    email_confirm: true,
    app_metadata: { role: 'candidate', invitation_pending: true },
    // Nothing the inviting company typed: the account (and its candidate row) is the person's own, and another
    // company may invite the same address. What this company typed stays on its session.
  });
}
