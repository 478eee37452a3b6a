// What the activation tests share: invitations made directly in the database (a session and a token, as the
// invitations function stores them), calls to the activation function through the gateway, and the attempt
// counters, which the tests empty so that the per-address limit (every test request comes from 127.0.0.1) only
// bites where a test means it to.
import postgres from 'postgres';
import { env, serviceClient, signedInClient, uniqueEmail } from './support.ts';

export type Db = postgres.Sql;

/** A superuser connection for one test; always `await db.end()` (the helpers below do it for you). */
export function openDb(): Db {
  return postgres(env('SUPABASE_DB_URL'), { max: 3, onnotice: () => {} });
}

/** Runs `fn` with a fresh superuser connection and closes it, with the attempt counters emptied before and after. */
export async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = openDb();
  try {
    await resetAttemptCounters(db);
    return await fn(db);
  } finally {
    await resetAttemptCounters(db).catch(() => {});
    await db.end();
  }
}

export async function resetAttemptCounters(db: Db): Promise<void> {
  await db`delete from private.rate_limit_hits where bucket like 'activation%'`;
}

export function activationUrl(path = ''): string {
  return `${env('SUPABASE_URL')}/functions/v1/activation${path}`;
}

export interface Answer {
  status: number;
  headers: Headers;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** POST /activation with a JSON body, as the SPA sends it (the anon key as apikey, no user). */
export async function postActivation(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(activationUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: env('SUPABASE_ANON_KEY'), ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

export async function getPreview(token: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(activationUrl(`/${encodeURIComponent(token)}`), {
    headers: { apikey: env('SUPABASE_ANON_KEY'), ...headers },
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** A new token as the invitations function makes it: 32 random bytes, base64url without padding. */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

let hiringManager: Promise<{ userId: string }> | undefined;

/** One hiring manager (of company Acme) per test module, signed up through the Auth API. */
export function acmeHiringManager(): Promise<{ userId: string }> {
  return hiringManager ??= signedInClient({ role: 'hiring_manager', data: { company: 'Acme' } })
    .then(({ userId }) => ({ userId }));
}

/** An active campaign of the hiring manager, ending in 10 days. */
export async function createCampaign(db: Db, title = 'Backend engineer'): Promise<string> {
  const { userId } = await acmeHiringManager();
  const [{ id }] = await db`
    insert into public.campaigns (owner_id, title, status, start_date, end_date)
    values (${userId}, ${title}, 'active', now(), now() + interval '10 days') returning id`;
  return id;
}

export interface Invitation {
  token: string;
  email: string;
  /** Null when the candidate row has no auth user (`withUser: false`). */
  userId: string | null;
  candidateId: string;
  sessionId: string;
  campaignId: string;
}

/**
 * What the invitations function leaves behind, made directly: a placeholder auth user created with the admin API
 * (no password, role candidate in app_metadata), its candidate row, a session in a campaign and a live token whose
 * hash is stored.
 *
 * `placeholder` is the shape of the new auth user: 'pending' (the default) is confirmed with
 * app_metadata.invitation_pending = true, the shape that sign-up cannot take over (see /work/notes and the README);
 * 'unconfirmed' is an unconfirmed user without the flag, which activation accepts too.
 */
export async function invite(
  db: Db,
  options: {
    email?: string;
    campaignId?: string;
    withUser?: boolean;
    placeholder?: 'pending' | 'unconfirmed';
    firstName?: string;
    lastName?: string;
  } = {},
): Promise<Invitation> {
  const email = options.email ?? uniqueEmail('invited');
  const campaignId = options.campaignId ?? await createCampaign(db);
  let userId: string | null = null;
  const [existing] = await db`select id from auth.users where lower(email) = lower(${email})`;
  if (existing) {
    userId = existing.id;
  } else if (options.withUser ?? true) {
    const pending = (options.placeholder ?? 'pending') === 'pending';
    const { data, error } = await serviceClient().auth.admin.createUser({
      email,
      email_confirm: pending,
      app_metadata: pending ? { role: 'candidate', invitation_pending: true } : { role: 'candidate' },
      user_metadata: { first_name: options.firstName ?? 'Ivy', last_name: options.lastName ?? 'Invited' },
    });
    if (error) throw error;
    userId = data.user.id;
  }
  const [candidate] = await db`
    insert into public.candidates (email, first_name, last_name)
    values (${email}, ${options.firstName ?? 'Ivy'}, ${options.lastName ?? 'Invited'})
    on conflict (lower(email)) do update set email = excluded.email
    returning id`;
  const { userId: ownerId } = await acmeHiringManager();
  const [session] = await db`
    insert into public.interview_sessions (campaign_id, candidate_id, invited_by)
    values (${campaignId}, ${candidate.id}, ${ownerId}) returning id, deadline`;
  const token = newToken();
  await db`
    insert into private.invitation_tokens (session_id, token_hash, expires_at)
    values (${session.id}, sha256(convert_to(${token}, 'UTF8')), ${session.deadline})`;
  return { token, email, userId, candidateId: candidate.id, sessionId: session.id, campaignId };
}

export async function tokenRow(db: Db, sessionId: string) {
  const [row] =
    await db`select used_at, revoked_at, expires_at from private.invitation_tokens where session_id = ${sessionId}`;
  return row as { used_at: Date | null; revoked_at: Date | null; expires_at: Date };
}

/**
 * Whether the account still waits for its invitation token, read from what GoTrue keeps: `invitation_pending` in
 * app_metadata (only the service role writes it; activation clears it) and no sign-in ever. Not the password hash:
 * GoTrue's admin createUser without a password stores the hash of a random one.
 */
export async function awaitsActivation(db: Db, email: string): Promise<boolean> {
  const [row] = await db`
    select coalesce((raw_app_meta_data ->> 'invitation_pending')::boolean, false) and last_sign_in_at is null as pending
      from auth.users where lower(email) = lower(${email})`;
  return row?.pending ?? false;
}

/** The payload of a JWT, unverified (the tests read claims the server put there). */
export function jwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1].replaceAll('-', '+').replaceAll('_', '/');
  return JSON.parse(atob(part + '='.repeat((4 - part.length % 4) % 4)));
}
