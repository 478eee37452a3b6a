// Reusable integration-test worlds built through the real APIs: a hiring manager creates a campaign and its questions
// with supabase-js (RLS applies), invites a candidate, and the candidate starts the interview and reveals questions
// through the RPCs, exactly as the SPA does. Only what no API may do (a campaign that started in the past, a deadline
// or a session end moved into the past) is done as the database superuser, through `superuser()`.
import type { SupabaseClient } from '@supabase/supabase-js';
import postgres from 'postgres';
import { env, signedInClient } from './support.ts';

export type SignedIn = Awaited<ReturnType<typeof signedInClient>>;

/** Runs `fn` with a one-off superuser connection (SUPABASE_DB_URL), closed afterwards so tests leak nothing. */
export async function superuser<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(env('SUPABASE_DB_URL'), { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Makes these hiring managers members of the campaign's organization, as if each had accepted a colleague invitation
 * (tests/organizations.test.ts drives that flow itself): a campaign is shared only within its organization.
 */
export async function joinCampaignOrganization(campaignId: string, ...userIds: string[]): Promise<void> {
  await superuser((sql) =>
    sql`insert into public.organization_members (organization_id, user_id, role)
        select c.organization_id, u.id, 'member' from public.campaigns c, unnest(${userIds}::uuid[]) u (id)
         where c.id = ${campaignId}
        on conflict do nothing`
  );
}

/** Runs statements with every trigger off (state machine, date checks, audit) for that transaction only. */
export async function withoutTriggers(fn: (tx: postgres.TransactionSql) => Promise<unknown>): Promise<void> {
  await superuser((sql) =>
    sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await fn(tx);
    })
  );
}

export interface FixtureOptions {
  /** Number of (non-practice) questions; default 1. */
  questions?: number;
  /** max_takes of every question; default 3. */
  maxTakes?: number;
  /** The campaign's upload cap; default the column default (500 MiB). */
  maxVideoBytes?: number;
  retentionDays?: number;
  thinkTimeSeconds?: number;
  answerTimeSeconds?: number;
  /** Start the interview as the candidate (default true). */
  start?: boolean;
  /** Reveal the first question (default true; implies start). */
  reveal?: boolean;
  /** Reuse an existing hiring manager (e.g. to put two sessions in one campaign). */
  manager?: SignedIn;
}

export interface RevealedQuestion {
  question_id: string;
  position: number;
  answer_closes_at: string;
  max_takes: number;
  [field: string]: unknown;
}

export interface InterviewFixture {
  manager: SignedIn;
  candidate: SignedIn;
  campaignId: string;
  questionIds: string[];
  candidateId: string;
  sessionId: string;
  /** The first question's reveal, when `reveal` was on. */
  revealed: RevealedQuestion | null;
  /** Reveals the next question as the candidate. */
  revealNext(): Promise<RevealedQuestion>;
  /** Invites one more candidate into the same campaign, started and with the first question revealed. */
  addCandidate(
    options?: { start?: boolean; reveal?: boolean },
  ): Promise<{ candidate: SignedIn; sessionId: string; candidateId: string }>;
}

async function must<T>(promise: PromiseLike<{ data: T | null; error: unknown }>, what: string): Promise<T> {
  const { data, error } = await promise;
  if (error) throw new Error(`${what}: ${JSON.stringify(error)}`);
  return data as T;
}

async function invite(
  manager: SupabaseClient,
  campaignId: string,
  candidate: SignedIn,
  start: boolean,
  reveal: boolean,
) {
  const me = await must<{ id: string }>(candidate.client.from('candidates').select('id').single(), 'candidate row');
  const session = await must<{ id: string }>(
    manager.from('interview_sessions').insert({ campaign_id: campaignId, candidate_id: me.id }).select('id').single(),
    'invite',
  );
  let revealed: RevealedQuestion | null = null;
  if (start || reveal) {
    await acceptPrivacyNotice(candidate.client, session.id);
    await must(candidate.client.rpc('start_interview', { p_session_id: session.id }), 'start');
  }
  if (reveal) {
    revealed = await must<RevealedQuestion>(
      candidate.client.rpc('reveal_next_question', { p_session_id: session.id }),
      'reveal',
    );
  }
  return { sessionId: session.id, candidateId: me.id, revealed };
}

/** Accepts the current version of the session's privacy notice as its candidate, as the SPA does before start. */
export async function acceptPrivacyNotice(candidate: SupabaseClient, sessionId: string): Promise<number> {
  const mine = await must<{ privacy_notice: { version: number } }>(
    candidate.rpc('my_interviews').eq('session_id', sessionId).single(),
    'my interview',
  );
  await must(
    candidate.rpc('accept_privacy_notice', { p_session_id: sessionId, p_version: mine.privacy_notice.version }),
    'accept the privacy notice',
  );
  return mine.privacy_notice.version;
}

/**
 * A hiring manager's active campaign with questions, and a candidate invited to it who (by default) has started the
 * interview and revealed the first question. Every user is new, so tests do not see each other's data.
 */
export async function createInterviewFixture(options: FixtureOptions = {}): Promise<InterviewFixture> {
  const [manager, candidate] = await Promise.all([
    options.manager ?? signedInClient({ role: 'hiring_manager', data: { company: 'Fixture Inc' } }),
    signedInClient({ role: 'candidate', data: { first_name: 'Cand', last_name: 'Idate' } }),
  ]);
  const campaign = await must<{ id: string }>(
    manager.client.from('campaigns').insert({
      title: `Fixture ${crypto.randomUUID().slice(0, 8)}`,
      status: 'active',
      // The database refuses a start in the past; it is moved back below so the interview can start now.
      start_date: new Date(Date.now() + 60_000).toISOString(),
      end_date: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      ...(options.maxVideoBytes ? { max_video_bytes: options.maxVideoBytes } : {}),
      ...(options.retentionDays ? { retention_days: options.retentionDays } : {}),
    }).select('id').single(),
    'campaign',
  );
  const count = options.questions ?? 1;
  const questions = await must<Array<{ id: string; position: number }>>(
    manager.client.from('questions').insert(
      Array.from({ length: count }, (_, i) => ({
        campaign_id: campaign.id,
        position: i + 1,
        prompt: `Question ${i + 1}?`,
        think_time_seconds: options.thinkTimeSeconds ?? 0,
        answer_time_seconds: options.answerTimeSeconds ?? 300,
        max_takes: options.maxTakes ?? 3,
      })),
    ).select('id, position'),
    'questions',
  );
  questions.sort((a, b) => a.position - b.position);
  await withoutTriggers((tx) =>
    tx`update public.campaigns set start_date = now() - interval '1 minute' where id = ${campaign.id}`
  );

  const reveal = options.reveal ?? true;
  const start = options.start ?? true;
  const first = await invite(manager.client, campaign.id, candidate, start, reveal);
  return {
    manager,
    candidate,
    campaignId: campaign.id,
    questionIds: questions.map((q) => q.id),
    candidateId: first.candidateId,
    sessionId: first.sessionId,
    revealed: first.revealed,
    revealNext: () =>
      must<RevealedQuestion>(candidate.client.rpc('reveal_next_question', { p_session_id: first.sessionId }), 'reveal'),
    addCandidate: async (more = {}) => {
      const other = await signedInClient({ role: 'candidate' });
      const added = await invite(manager.client, campaign.id, other, more.start ?? true, more.reveal ?? true);
      return { candidate: other, sessionId: added.sessionId, candidateId: added.candidateId };
    },
  };
}
