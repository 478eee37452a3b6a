// 8. Activation and link-only sign-in against the real GoTrue, each beside what GoTrue alone does for the same account.
// Every call uses an invitation of its own (activation consumes its token), made beforehand and untimed.
import type postgres from 'postgres';
import { authAdmin } from '../../shared/auth-admin.ts';
import { type Actors, pendingInvitations } from './dataset.ts';
import { type Stats, stats, timedPost } from './measure.ts';

export interface SignInServices {
  /** SUPABASE_URL: the gateway in front of GoTrue and the functions. */
  apiUrl: string;
  anonKey: string;
  serviceRoleKey: string;
}

export interface SignInResult {
  accounts: number;
  /** POST /activation: the token consumed, the password set through GoTrue's admin API, then a password sign-in. */
  activation: Stats | null;
  /** GoTrue's own password sign-in (POST /auth/v1/token?grant_type=password) of each account just activated. */
  passwordSignIn: Stats | null;
  /** POST /activation/link: the token counted, a magic link made by GoTrue's admin API and verified. */
  link: Stats | null;
  /** GoTrue's own magic link sign-in (admin generate_link, then verify) of each account just signed in by link. */
  magicLink: Stats | null;
  available: boolean;
  note?: string;
}

export function signInNotMeasured(accounts: number, note: string): SignInResult {
  return { accounts, activation: null, passwordSignIn: null, link: null, magicLink: null, available: false, note };
}

/** Every bench request comes from 127.0.0.1, which the per-address limit (30 in 10 minutes) would soon refuse. */
async function resetAttemptCounters(db: postgres.Sql): Promise<void> {
  await db`delete from private.rate_limit_hits where bucket like 'activation%'`;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** `accounts` activations and as many link sign-ins, one after another, each followed by its GoTrue baseline. */
export async function measureSignIn(
  db: postgres.Sql,
  services: SignInServices,
  actors: Actors,
  accounts: number,
): Promise<SignInResult> {
  const auth = authAdmin({
    supabaseUrl: services.apiUrl,
    serviceRoleKey: services.serviceRoleKey,
    anonKey: services.anonKey,
  });
  const headers = { 'content-type': 'application/json', apikey: services.anonKey };
  const activationUrl = `${services.apiUrl}/functions/v1/activation`;
  const samples: Record<'activation' | 'passwordSignIn' | 'link' | 'magicLink', number[]> = {
    activation: [],
    passwordSignIn: [],
    link: [],
    magicLink: [],
  };
  for (const [i, invitation] of (await pendingInvitations(db, auth, actors, 'activate', accounts)).entries()) {
    const password = `bench-password-${i}-${actors.tag}`;
    await resetAttemptCounters(db);
    const activated = await timedPost(activationUrl, headers, { token: invitation.token, password });
    if (!activated.ok || JSON.parse(activated.text).session === null) {
      return signInNotMeasured(accounts, `activation ${activated.status}: ${activated.text.slice(0, 200)}`);
    }
    samples.activation.push(activated.ms);
    samples.passwordSignIn.push(await timed(() => auth.signIn(invitation.email, password)));
  }
  for (const invitation of await pendingInvitations(db, auth, actors, 'link', accounts)) {
    await resetAttemptCounters(db);
    const signedIn = await timedPost(`${activationUrl}/link`, headers, { token: invitation.token });
    if (!signedIn.ok) return signInNotMeasured(accounts, `link ${signedIn.status}: ${signedIn.text.slice(0, 200)}`);
    samples.link.push(signedIn.ms);
    samples.magicLink.push(await timed(() => auth.signInWithoutPassword(invitation.email)));
  }
  await resetAttemptCounters(db);
  return {
    accounts,
    activation: stats(samples.activation),
    passwordSignIn: stats(samples.passwordSignIn),
    link: stats(samples.link),
    magicLink: stats(samples.magicLink),
    available: accounts > 0,
  };
}
