// Activation of an invited (placeholder) account, and the landing-page preview. Plain inputs and outputs; the HTTP
// layer is routes.ts.
//
// Order of operations, so that a failure midway leaves nothing half-done:
//   1. in one transaction: consume the token (a conditional update that holds the row lock until commit, so a
//      concurrent activation with the same token waits, then finds it used), check the password;
//   2. still inside it: set the password and confirm the email through the Auth admin API. If that fails, the
//      transaction rolls back and the token stays usable;
//   3. still inside it: store the names/phone/LinkedIn given on the form, then commit;
//   4. after commit: sign in with the new password for the session returned to the SPA. If only that fails, the
//      account is active and the answer says so with `session: null` (the SPA sends the person to the login page).
// The one window left: the commit failing after step 2. The password is then set but the token unused, and a
// retry answers account_already_active ("log in instead"), which is true: the person can log in with it.
import type { Sql } from '../../shared/db.ts';
import { asService } from '../../shared/db.ts';
import { AppError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import type { Accounts, AuthSession } from './accounts.ts';
import { describePasswordProblems, MIN_PASSWORD_LENGTH, passwordProblems } from './password-policy.ts';
import { hashToken } from './token.ts';

export interface ActivationInput {
  token: string;
  password: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  linkedin_url?: string;
}

export interface ActivationResult {
  user: { id: string; email: string };
  interview_session_id: string;
  /** Null only when the account was activated but the sign-in right after failed. */
  session: AuthSession | null;
}

/** The campaign's privacy notice, as the candidate must accept it before recording. */
export interface PrivacyNotice {
  version: number;
  text: string;
  controller: string;
  contact: string | null;
  retention_days: number;
  updated_at: string;
}

export interface InvitationPreview {
  campaign_title: string;
  company: string;
  deadline: string;
  /** The candidate's IANA time zone, to show the deadline in (the deadline itself is UTC). */
  time_zone: string;
  privacy_notice: PrivacyNotice;
}

export interface LinkSignInResult {
  user: { id: string; email: string };
  interview_session_id: string;
  session: AuthSession;
  /** Always false: the account stays a placeholder; a password can be set later. */
  password_set: false;
}

export interface ActivationDeps {
  sql: Sql;
  accounts: Accounts;
  log: Logger;
}

function weakPassword(password: string): AppError | null {
  const reasons = passwordProblems(password);
  if (reasons.length === 0) return null;
  return new AppError(422, 'weak_password', describePasswordProblems(reasons), {
    reasons,
    min_length: MIN_PASSWORD_LENGTH,
  });
}

export async function activate(input: ActivationInput, deps: ActivationDeps): Promise<ActivationResult> {
  const tokenHash = await hashToken(input.token);
  // The database owner: token hashes and auth.users are out of every client role's reach, and the caller has no
  // account to act as yet (the token is their only credential).
  const activated = await asService(async (tx) => {
    const [target] = await tx<{ session_id: string; candidate_id: string; user_id: string | null; email: string }[]>`
      select session_id, candidate_id, user_id, email from private.consume_invitation_token(${tokenHash})`;
    const weak = weakPassword(input.password);
    if (weak) throw weak;
    // Nothing of ours locks the candidate row before this call: creating a user fires the sign-up trigger, which
    // links that row, and a lock held here would make the Auth server wait for this transaction (a deadlock
    // through HTTP that only the timeout would break).
    const userId = target.user_id
      ? (await deps.accounts.setPassword(target.user_id, input.password), target.user_id)
      : await deps.accounts.createCandidate(target.email, input.password);
    await tx`select private.apply_activation_profile(${target.candidate_id}, ${input.first_name ?? null},
      ${input.last_name ?? null}, ${input.phone ?? null}, ${input.linkedin_url ?? null})`;
    return { userId, email: target.email, sessionId: target.session_id };
  }, deps.sql);

  let session: AuthSession | null = null;
  try {
    session = await deps.accounts.signIn(activated.email, input.password);
  } catch (error) {
    deps.log.warn('account activated, but signing in failed', { error, user_id: activated.userId });
  }
  return {
    user: { id: activated.userId, email: activated.email },
    interview_session_id: activated.sessionId,
    session,
  };
}

export async function previewInvitation(token: string, sql: Sql): Promise<InvitationPreview> {
  const tokenHash = await hashToken(token);
  // The database owner, for the same reason as activate(); a single read needs no transaction.
  const [row] = await sql<
    { campaign_title: string; company: string; deadline: Date; time_zone: string; privacy_notice: PrivacyNotice }[]
  >`
    select campaign_title, company, deadline, time_zone, privacy_notice
      from private.invitation_preview(${tokenHash})`;
  return {
    campaign_title: row.campaign_title,
    company: row.company,
    deadline: row.deadline.toISOString(),
    time_zone: row.time_zone,
    privacy_notice: row.privacy_notice,
  };
}

/**
 * Link-only access: the email's token is exchanged for a Supabase session, without a password. The token is counted,
 * not consumed (the same link works again until it dies), and the account stays a placeholder (invitation_pending),
 * so the password path stays open. A candidate row without an account (invited before accounts were made at
 * invitation) gets its placeholder first.
 */
export async function signInByLink(token: string, deps: ActivationDeps): Promise<LinkSignInResult> {
  const tokenHash = await hashToken(token);
  // The database owner, as for activate(): token hashes are out of every client role's reach.
  const [target] = await deps.sql<{ session_id: string; user_id: string | null; email: string }[]>`
    select session_id, user_id, email from private.record_link_sign_in(${tokenHash})`;
  const userId = target.user_id ?? await deps.accounts.createPlaceholder(target.email);
  const session = await deps.accounts.signInByLink(target.email);
  return {
    user: { id: userId, email: target.email },
    interview_session_id: target.session_id,
    session,
    password_set: false,
  };
}
