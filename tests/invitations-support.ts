// What the invitations integration tests share: a hiring manager's open campaign, calls to the function through the
// gateway, the invitation link out of a real email, and superuser reads of what no client may read (tokens, outbox).
import type { SupabaseClient } from '@supabase/supabase-js';
import { joinCampaignOrganization, superuser } from './fixtures.ts';
import { env, eventually, mailsTo, mailText, signedInClient, stackService } from './support.ts';

export type SignedIn = Awaited<ReturnType<typeof signedInClient>>;

export interface Answer {
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
}

export function invitationsUrl(path = ''): string {
  return `${env('SUPABASE_URL')}/functions/v1/invitations${path}`;
}

/** Calls the function as `token` (a user's access token or the service role key). */
export async function call(
  path: string,
  options: { method?: string; token?: string; body?: unknown; raw?: BodyInit; type?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { apikey: env('SUPABASE_ANON_KEY') };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  if (options.type) headers['content-type'] = options.type;
  const res = await fetch(invitationsUrl(path), { method: options.method ?? 'POST', headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the assertion message
  }
  return { status: res.status, body: parsed };
}

export function hiringManager(company = 'Acme'): Promise<SignedIn> {
  return signedInClient({ role: 'hiring_manager', data: { company, first_name: 'Hana' } });
}

async function must<T>(promise: PromiseLike<{ data: T | null; error: unknown }>, what: string): Promise<T> {
  const { data, error } = await promise;
  if (error) throw new Error(`${what}: ${JSON.stringify(error)}`);
  return data as T;
}

/** An active campaign of `manager`, ending in `days` days, created through PostgREST as the SPA does. */
export async function openCampaign(manager: SupabaseClient, title = 'Data engineer', days = 10): Promise<string> {
  const row = await must<{ id: string }>(
    manager.from('campaigns').insert({
      title,
      status: 'active',
      start_date: new Date(Date.now() + 60_000).toISOString(),
      end_date: new Date(Date.now() + days * 86_400_000).toISOString(),
    }).select('id').single(),
    'campaign',
  );
  return row.id;
}

export async function share(owner: SupabaseClient, campaignId: string, userId: string, role: 'reviewer' | 'editor') {
  await joinCampaignOrganization(campaignId, userId);
  await must(owner.from('campaign_collaborators').insert({ campaign_id: campaignId, user_id: userId, role }), 'share');
}

export function person(prefix = 'cand') {
  return {
    email: `${prefix}-${crypto.randomUUID().slice(0, 8)}@example.test`,
    first_name: 'Ada',
    last_name: 'Lovelace',
  };
}

/** The token in the activation link of an email. */
export function tokenInText(text: string): string {
  const match = text.match(/\/activate\?token=([A-Za-z0-9_-]+)/);
  if (!match) throw new Error(`no activation link in: ${text}`);
  return match[1];
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Waits for `count` messages to `address` (and returns them), failing if more than `count` ever show up. */
export async function mailsArrived(address: string, count = 1, timeoutMs = 20_000) {
  return await eventually(async () => {
    const mails = await mailsTo(address);
    if (mails.length > count) throw new Error(`${mails.length} emails to ${address}, expected ${count}`);
    return mails.length === count ? mails : null;
  }, timeoutMs);
}

export async function latestMailText(address: string) {
  const [latest] = await mailsTo(address);
  return await mailText(latest.ID);
}

export interface TokenRow {
  token_hash: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

export function tokenRow(sessionId: string): Promise<TokenRow | undefined> {
  return superuser(async (sql) => {
    const [row] = await sql<TokenRow[]>`
      select encode(token_hash, 'hex') as token_hash, expires_at, used_at, revoked_at
        from private.invitation_tokens where session_id = ${sessionId}`;
    return row;
  });
}

export interface OutboxRow {
  id: string;
  kind: string;
  status: string;
  attempts: number;
  locale: string;
  secret: Uint8Array | null;
  last_error: string | null;
}

export function outboxRows(sessionId: string): Promise<OutboxRow[]> {
  return superuser((sql) =>
    sql<OutboxRow[]>`
      select id, kind, status, attempts, locale, secret, last_error from private.email_outbox
       where session_id = ${sessionId} order by created_at`
  );
}

/** Counts what exists for one email: auth users, candidate rows, sessions. */
export function countsFor(email: string) {
  return superuser(async (sql) => {
    const [row] = await sql<{ users: number; candidates: number; sessions: number }[]>`
      select (select count(*)::int from auth.users where lower(email) = lower(${email})) as users,
             (select count(*)::int from public.candidates where lower(email) = lower(${email})) as candidates,
             (select count(*)::int from public.interview_sessions s join public.candidates c on c.id = s.candidate_id
               where lower(c.email) = lower(${email})) as sessions`;
    return row;
  });
}

/** Runs the outbox worker as the scheduler does. */
export function runOutbox(limit?: number): Promise<Answer> {
  return call('/outbox/run', { token: env('SUPABASE_SERVICE_ROLE_KEY'), body: limit ? { limit } : {} });
}

/** Stops Mailpit for the duration of `fn` and waits until its API answers again. */
export async function withMailpitDown<T>(fn: () => Promise<T>): Promise<T> {
  await stackService('mailpit', 'pause');
  try {
    return await fn();
  } finally {
    await stackService('mailpit', 'resume');
    await eventually(async () => {
      try {
        const res = await fetch(`${env('MAILPIT_URL')}/api/v1/messages?limit=1`);
        await res.body?.cancel();
        return res.ok;
      } catch {
        return false;
      }
    });
  }
}
