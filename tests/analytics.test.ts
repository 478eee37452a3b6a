// The analytics function through the gateway, for real users, on data whose expected numbers are computed here in
// TypeScript from the very rows the test inserts (never read back from the database).
//
// The campaign's history is generated from a seeded PRNG (so a failure reproduces) and written as the superuser with
// triggers off, since no API can backdate an interview; the users, campaigns, questions and sharing go through
// supabase-js as their owners. The seed test reads the demo campaigns' rows back as the superuser (the seed is SQL)
// and computes their expected reports the same way.
import assert from 'node:assert/strict';
import postgres from 'postgres';
import { anonClient, env, signedInClient, uniqueEmail } from './support.ts';
import { joinCampaignOrganization } from './fixtures.ts';

type Status = 'invited' | 'in_progress' | 'completed' | 'expired' | 'withdrawn';
type Reviewer = 'owner' | 'editor' | 'reviewer';

interface Take {
  id: string;
  question: number;
  submitted: boolean;
  duration: number | null;
}
interface Evaluation {
  responseId: string;
  question: number;
  reviewer: Reviewer;
  score: number;
}
interface SessionRow {
  id: string;
  candidateId: string;
  email: string;
  firstName: string;
  lastName: string;
  status: Status;
  invitedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  expiredAt: Date | null;
  withdrawnAt: Date | null;
  deadline: Date;
  reveals: Array<{ question: number; at: Date }>;
  takes: Take[];
  evaluations: Evaluation[];
  decision: 'advance' | 'hold' | 'reject' | null;
}

const DAY = 86_400_000;
const base = env('SUPABASE_URL');

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A campaign history: every status, drops at every question, retakes, 0-3 reviewers per answer. */
function generateSessions(seed: number, count: number, questionCount: number, runId: string): SessionRow[] {
  const random = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[int(0, items.length - 1)];
  const now = Date.now();
  const sessions: SessionRow[] = [];
  for (let i = 0; i < count; i++) {
    // The first five cover each status for sure, then chance decides.
    const status: Status = i < 5
      ? (['invited', 'in_progress', 'completed', 'expired', 'withdrawn'] as const)[i]
      : pick(['invited', 'in_progress', 'completed', 'completed', 'completed', 'expired', 'withdrawn'] as const);
    const invitedAt = new Date(now - int(2, 12) * DAY - int(0, 86_399) * 1000);
    const started = status !== 'invited' && !(status !== 'in_progress' && status !== 'completed' && random() < 0.3);
    const startedAt = started ? new Date(invitedAt.getTime() + int(60, 2 * 86_400) * 1000) : null;
    const s: SessionRow = {
      id: crypto.randomUUID(),
      candidateId: crypto.randomUUID(),
      email: `analytics-${runId}-${i}@example.test`,
      firstName: i === 3 ? '=HYPERLINK("x")' : `Cand${i}`,
      lastName: i === 4 ? 'Doe, "Jr"' : `Last${i}`,
      status,
      invitedAt,
      startedAt,
      completedAt: null,
      expiredAt: null,
      withdrawnAt: null,
      deadline: new Date(now + 20 * DAY),
      reveals: [],
      takes: [],
      evaluations: [],
      decision: null,
    };
    if (startedAt) {
      const reached = status === 'completed' ? questionCount : int(1, questionCount);
      let at = startedAt.getTime();
      for (let q = 0; q < reached; q++) {
        at += int(30, 300) * 1000;
        s.reveals.push({ question: q, at: new Date(at) });
        const last = q === reached - 1;
        // Answered unless this is where an unfinished session stopped (and sometimes even then).
        const answered = status === 'completed' || !last ? random() < 0.92 : random() < 0.4;
        const takeCount = answered ? int(1, 3) : int(0, 2);
        for (let t = 0; t < takeCount; t++) {
          const submitted = answered && t === takeCount - 1;
          s.takes.push({
            id: crypto.randomUUID(),
            question: q,
            submitted,
            duration: submitted || random() < 0.5 ? int(500, 12_000) / 100 : null,
          });
        }
      }
      const endAt = new Date(at + int(60, 600) * 1000);
      if (status === 'completed') s.completedAt = endAt;
      if (status === 'expired') s.expiredAt = endAt;
      if (status === 'withdrawn') s.withdrawnAt = endAt;
    } else if (status === 'expired') {
      s.expiredAt = new Date(invitedAt.getTime() + 3 * DAY);
    } else if (status === 'withdrawn') {
      s.withdrawnAt = new Date(invitedAt.getTime() + DAY);
    }
    for (const take of s.takes.filter((t) => t.submitted)) {
      const reviewers = (['owner', 'editor', 'reviewer'] as const).filter(() => random() < 0.55);
      for (const reviewer of reviewers) {
        s.evaluations.push({ responseId: take.id, question: take.question, reviewer, score: int(1, 5) });
      }
    }
    if (status === 'completed' && random() < 0.5) s.decision = pick(['advance', 'hold', 'reject'] as const);
    sessions.push(s);
  }
  return sessions;
}

// ---------------------------------------------------------------------------------------------------------------------
// the expected numbers, from the rows above
// ---------------------------------------------------------------------------------------------------------------------

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const round = (
  x: number | null,
  decimals: number,
) => (x === null ? null : Math.round(x * 10 ** decimals) / 10 ** decimals);
const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/** percentile_cont: linear interpolation between the closest ranks. */
function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

function expectedReport(sessions: SessionRow[], questionCount: number) {
  const completed = sessions.filter((s) => s.status === 'completed');
  const durations = completed.filter((s) => s.startedAt).map((s) =>
    (s.completedAt!.getTime() - s.startedAt!.getTime()) / 1000
  );
  const questions = [];
  for (let q = 0; q < questionCount; q++) {
    const reachedBy = sessions.filter((s) => s.reveals.some((r) => r.question === q));
    const withTakes = sessions.map((s) => s.takes.filter((t) => t.question === q)).filter((ts) => ts.length > 0);
    const submitted = sessions.flatMap((s) => s.takes.filter((t) => t.question === q && t.submitted));
    const dropped = sessions.filter((s) => {
      if (!['completed', 'expired', 'withdrawn'].includes(s.status) || s.reveals.length === 0) return false;
      const last = s.reveals.reduce((a, b) => (b.at > a.at ? b : a));
      return last.question === q && !s.takes.some((t) => t.question === q && t.submitted);
    });
    const scores = sessions.flatMap((s) => s.evaluations.filter((e) => e.question === q).map((e) => e.score));
    questions.push({
      position: q + 1,
      reached: reachedBy.length,
      answered: submitted.length,
      dropped: dropped.length,
      avg_takes: round(mean(withTakes.map((ts) => ts.length)), 4),
      avg_answer_seconds: round(mean(submitted.filter((t) => t.duration !== null).map((t) => t.duration!)), 2),
      avg_score: round(mean(scores), 4),
      evaluations: scores.length,
    });
  }
  const byResponse = new Map<string, number[]>();
  for (const e of sessions.flatMap((s) => s.evaluations)) {
    byResponse.set(e.responseId, [...(byResponse.get(e.responseId) ?? []), e.score]);
  }
  const multi = [...byResponse.values()].filter((scores) => scores.length >= 2);
  const spreads = multi.map((xs) => Math.max(...xs) - Math.min(...xs));
  const stddevs = multi.map((xs) => {
    const m = mean(xs)!;
    return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length);
  });
  const perDay = new Map<string, { invitations: number; completions: number }>();
  const bump = (day: string, key: 'invitations' | 'completions') => {
    const entry = perDay.get(day) ?? { invitations: 0, completions: 0 };
    entry[key]++;
    perDay.set(day, entry);
  };
  for (const s of sessions) {
    bump(utcDay(s.invitedAt), 'invitations');
    if (s.status === 'completed') bump(utcDay(s.completedAt!), 'completions');
  }
  const days = [...perDay.keys()].sort();
  const timeline = [];
  if (days.length) {
    for (let t = Date.parse(days[0]); t <= Date.parse(days[days.length - 1]); t += DAY) {
      const day = new Date(t).toISOString().slice(0, 10);
      timeline.push({ date: day, ...(perDay.get(day) ?? { invitations: 0, completions: 0 }) });
    }
  }
  return {
    funnel: {
      invited: sessions.length,
      email_opened: null,
      started: sessions.filter((s) => s.startedAt).length,
      completed: completed.length,
      expired: sessions.filter((s) => s.status === 'expired').length,
      withdrawn: sessions.filter((s) => s.status === 'withdrawn').length,
      not_started: sessions.filter((s) => s.status === 'invited').length,
      in_progress: sessions.filter((s) => s.status === 'in_progress').length,
    },
    completion_rate: sessions.length ? round(completed.length / sessions.length, 4) : null,
    time_to_complete_seconds: {
      median: round(percentile(durations, 0.5), 2),
      p90: round(percentile(durations, 0.9), 2),
    },
    questions,
    reviewer_agreement: {
      rated_responses: byResponse.size,
      multi_rated_responses: multi.length,
      avg_spread: round(mean(spreads), 4),
      max_spread: spreads.length ? Math.max(...spreads) : null,
      avg_stddev: round(mean(stddevs), 4),
      within_one_point: multi.length ? round(spreads.filter((x) => x <= 1).length / multi.length, 4) : null,
    },
    timeline,
  };
}

/** Numbers within half a unit of the last decimal SQL kept; everything else exactly. */
function assertNear(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    // Both sides are rounded (4 decimals, 2 for seconds); they may differ by one unit of the last decimal kept.
    const tolerance = /seconds/.test(path) ? 0.0101 : 0.000101;
    assert.ok(Math.abs(actual - expected) <= tolerance, `${path}: ${actual} is not ${expected}`);
    return;
  }
  if (expected && typeof expected === 'object') {
    assert.ok(actual && typeof actual === 'object', `${path}: ${JSON.stringify(actual)} is not an object`);
    if (Array.isArray(expected)) {
      assert.equal((actual as unknown[]).length, expected.length, `${path}: length`);
    }
    for (const [key, value] of Object.entries(expected)) {
      assertNear((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
    return;
  }
  assert.deepEqual(actual, expected, path);
}

// ---------------------------------------------------------------------------------------------------------------------
// the world
// ---------------------------------------------------------------------------------------------------------------------

const QUESTIONS = 3;

async function call(path: string, token: string | null) {
  return await fetch(`${base}/functions/v1/analytics${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

async function createCampaign(
  client: Awaited<ReturnType<typeof signedInClient>>['client'],
  title: string,
  endsInDays: number,
  status: 'active' | 'draft' = 'active',
) {
  const { data, error } = await client.from('campaigns').insert({
    title,
    status,
    start_date: new Date(Date.now() + 60_000).toISOString(),
    end_date: new Date(Date.now() + endsInDays * DAY).toISOString(),
  }).select('id').single();
  if (error) throw error;
  return data.id as string;
}

async function insertHistory(
  db: postgres.Sql,
  campaignId: string,
  questionIds: string[],
  sessions: SessionRow[],
  reviewers: Record<Reviewer, string>,
  existingCandidate?: { index: number; candidateId: string },
) {
  await db.begin(async (tx) => {
    // Backdated states and takes no API can produce; triggers (state machine, audit) are off for this transaction.
    await tx`set local session_replication_role = replica`;
    const candidates = sessions
      .filter((_, i) => i !== existingCandidate?.index)
      .map((s) => ({ id: s.candidateId, email: s.email, first_name: s.firstName, last_name: s.lastName }));
    if (candidates.length) await tx`insert into public.candidates ${tx(candidates)}`;
    await tx`insert into public.interview_sessions ${
      tx(sessions.map((s) => ({
        id: s.id,
        campaign_id: campaignId,
        candidate_id: s.candidateId,
        status: s.status,
        deadline: s.deadline,
        invited_by: reviewers.owner,
        invited_at: s.invitedAt,
        // what the inviting company typed (a trigger copies the address; triggers are off here)
        invited_email: s.email,
        invited_first_name: s.firstName,
        invited_last_name: s.lastName,
        started_at: s.startedAt,
        completed_at: s.completedAt,
        expired_at: s.expiredAt,
        withdrawn_at: s.withdrawnAt,
      })))
    }`;
    const reveals = sessions.flatMap((s) =>
      s.reveals.map((r) => ({
        session_id: s.id,
        question_id: questionIds[r.question],
        campaign_id: campaignId,
        revealed_at: r.at,
        answer_opens_at: r.at,
        answer_closes_at: new Date(r.at.getTime() + 120_000),
      }))
    );
    if (reveals.length) await tx`insert into public.question_reveals ${tx(reveals)}`;
    const takes = sessions.flatMap((s) => {
      const numbers = new Map<number, number>();
      return s.takes.map((t) => {
        const n = (numbers.get(t.question) ?? 0) + 1;
        numbers.set(t.question, n);
        return {
          id: t.id,
          session_id: s.id,
          question_id: questionIds[t.question],
          campaign_id: campaignId,
          take_number: n,
          object_key: `test/${t.id}.webm`,
          content_type: 'video/webm',
          duration_seconds: t.duration,
          status: t.submitted || t.duration !== null ? 'uploaded' : 'pending',
          is_submitted: t.submitted,
        };
      });
    });
    if (takes.length) await tx`insert into public.video_responses ${tx(takes)}`;
    const evaluations = sessions.flatMap((s) =>
      s.evaluations.map((e) => ({
        response_id: e.responseId,
        session_id: s.id,
        campaign_id: campaignId,
        reviewer_id: reviewers[e.reviewer],
        score: e.score,
      }))
    );
    if (evaluations.length) await tx`insert into public.evaluations ${tx(evaluations)}`;
    const decisions = sessions.filter((s) => s.decision).map((s) => ({
      session_id: s.id,
      campaign_id: campaignId,
      decision: s.decision,
      decided_by: reviewers.owner,
    }));
    if (decisions.length) await tx`insert into public.session_decisions ${tx(decisions)}`;
  });
}

async function buildWorld() {
  const runId = crypto.randomUUID().slice(0, 8);
  const [owner, editor, reviewer, stranger, admin, candidate] = await Promise.all([
    signedInClient({ role: 'hiring_manager' }),
    signedInClient({ role: 'hiring_manager' }),
    signedInClient({ role: 'hiring_manager' }),
    signedInClient({ role: 'hiring_manager' }),
    signedInClient({ appRole: 'admin' }),
    signedInClient({ role: 'candidate', email: uniqueEmail('analytics-candidate') }),
  ]);
  const main = await createCampaign(owner.client, 'Backend engineer, "senior"', 30);
  const empty = await createCampaign(owner.client, 'Nobody invited yet', 30);
  const unrated = await createCampaign(owner.client, 'Closing soon', 2);
  const draft = await createCampaign(owner.client, 'Next year', 60, 'draft');
  const questionIds: Record<string, string[]> = {};
  for (const id of [main, unrated]) {
    const { data, error } = await owner.client.from('questions').insert(
      Array.from({ length: QUESTIONS }, (_, i) => ({ campaign_id: id, position: i + 1, prompt: `Question ${i + 1}` })),
    ).select('id, position').order('position');
    if (error) throw error;
    questionIds[id] = data.map((q) => q.id);
  }
  await joinCampaignOrganization(main, editor.userId, reviewer.userId);
  const { error: shareError } = await owner.client.from('campaign_collaborators').insert([
    { campaign_id: main, user_id: editor.userId, role: 'editor' },
    { campaign_id: main, user_id: reviewer.userId, role: 'reviewer' },
  ]);
  if (shareError) throw shareError;

  const db = postgres(env('SUPABASE_DB_URL'), { max: 2, onnotice: () => {} });
  const [{ id: candidateRowId }] = await db`select id from public.candidates where user_id = ${candidate.userId}`;
  const reviewers = { owner: owner.userId, editor: editor.userId, reviewer: reviewer.userId };
  const mainSessions = generateSessions(20261126, 60, QUESTIONS, runId);
  // Session 0 belongs to the signed-in candidate, so a candidate of the campaign asks for its report below.
  mainSessions[0].candidateId = candidateRowId;
  mainSessions[0].email = candidate.email;
  mainSessions[0].firstName = '';
  mainSessions[0].lastName = '';
  await insertHistory(db, main, questionIds[main], mainSessions, reviewers, { index: 0, candidateId: candidateRowId });
  // Mostly not started, ending in two days, nobody rated anything: needs attention, no scores.
  const unratedSessions = generateSessions(7, 6, QUESTIONS, `${runId}-u`).map((s, i) => ({
    ...s,
    evaluations: [],
    decision: null,
    ...(i >= 2
      ? {
        status: 'invited' as const,
        startedAt: null,
        completedAt: null,
        expiredAt: null,
        withdrawnAt: null,
        reveals: [],
        takes: [],
      }
      : {}),
  }));
  await insertHistory(db, unrated, questionIds[unrated], unratedSessions, reviewers);
  await db.end();
  return {
    owner,
    editor,
    reviewer,
    stranger,
    admin,
    candidate,
    campaigns: { main, empty, unrated, draft },
    sessions: { main: mainSessions, unrated: unratedSessions },
  };
}

type World = Awaited<ReturnType<typeof buildWorld>>;
let worldPromise: Promise<World> | undefined;
const world = () => (worldPromise ??= buildWorld());

// ---------------------------------------------------------------------------------------------------------------------
// tests
// ---------------------------------------------------------------------------------------------------------------------

Deno.test('the campaign report matches numbers computed independently from the inserted rows', async () => {
  const w = await world();
  const res = await call(`/campaigns/${w.campaigns.main}`, w.owner.accessToken);
  assert.equal(res.status, 200);
  const report = await res.json();
  assert.equal(report.campaign.id, w.campaigns.main);
  assertNear(report, expectedReport(w.sessions.main, QUESTIONS));
  assert.ok(report.funnel.withdrawn > 0 && report.funnel.expired > 0, 'the data covers withdrawn and expired');
  assert.ok(report.reviewer_agreement.multi_rated_responses > 0, 'the data has responses rated twice or more');
  assert.ok(report.questions.some((q: { dropped: number }) => q.dropped > 0), 'the data has drop-offs');
});

Deno.test('a campaign without evaluations reports no scores and no agreement, not zeros', async () => {
  const w = await world();
  const report = await (await call(`/campaigns/${w.campaigns.unrated}`, w.owner.accessToken)).json();
  assertNear(report, expectedReport(w.sessions.unrated, QUESTIONS));
  assert.ok(report.questions.every((q: { avg_score: unknown }) => q.avg_score === null));
  assert.equal(report.reviewer_agreement.avg_spread, null);
});

Deno.test('a campaign without sessions reports an all-zero funnel and empty lists', async () => {
  const w = await world();
  const report = await (await call(`/campaigns/${w.campaigns.empty}`, w.owner.accessToken)).json();
  assertNear(report, expectedReport([], 0));
  assert.equal(report.completion_rate, null);
});

Deno.test('owner, editor, reviewer and admin get the report; a stranger, the candidate and nobody do not', async () => {
  const w = await world();
  const path = `/campaigns/${w.campaigns.main}`;
  const owners = await (await call(path, w.owner.accessToken)).json();
  for (const who of [w.editor, w.reviewer, w.admin]) {
    const res = await call(path, who.accessToken);
    assert.equal(res.status, 200);
    assert.deepEqual((await res.json()).funnel, owners.funnel);
  }
  for (const who of [w.stranger, w.candidate]) {
    const res = await call(path, who.accessToken);
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error.code, 'campaign_not_found');
  }
  const anonymous = await call(path, null);
  assert.equal(anonymous.status, 401);
  await anonymous.body?.cancel();
  const unknown = await call(`/campaigns/${crypto.randomUUID()}`, w.owner.accessToken);
  assert.equal(unknown.status, 404, 'an unknown campaign looks like one you cannot see');
  await unknown.body?.cancel();
});

Deno.test('a reviewer averages only the scores blind review shows them', async () => {
  const w = await world();
  const report = await (await call(`/campaigns/${w.campaigns.main}`, w.reviewer.accessToken)).json();
  const mine = new Set(
    w.sessions.main.flatMap((s) => s.evaluations.filter((e) => e.reviewer === 'reviewer')).map((e) => e.responseId),
  );
  const visible = w.sessions.main.map((s) => ({
    ...s,
    evaluations: s.evaluations.filter((e) => mine.has(e.responseId)),
  }));
  const expected = expectedReport(visible, QUESTIONS);
  assertNear(report.questions, expected.questions);
  assertNear(report.reviewer_agreement, expected.reviewer_agreement);
});

Deno.test("the dashboard sums the owner's campaigns, counts what waits for their review and flags the closing one", async () => {
  const w = await world();
  const res = await call('/dashboard', w.owner.accessToken);
  assert.equal(res.status, 200);
  const dashboard = await res.json();
  const all = [...w.sessions.main, ...w.sessions.unrated];
  const scores = all.flatMap((s) => s.evaluations.map((e) => e.score));
  const ratedByOwner = new Set(
    all.flatMap((s) => s.evaluations.filter((e) => e.reviewer === 'owner').map((e) => e.responseId)),
  );
  const count = (status: Status) => all.filter((s) => s.status === status).length;
  const unratedNotStarted = w.sessions.unrated.filter((s) => s.status === 'invited').length;
  assertNear(dashboard, {
    campaigns: { total: 4, active: 3, draft: 1, closed: 0, archived: 0 },
    candidates: new Set(all.map((s) => s.candidateId)).size,
    sessions: {
      total: all.length,
      invited: count('invited'),
      in_progress: count('in_progress'),
      completed: count('completed'),
      expired: count('expired'),
      withdrawn: count('withdrawn'),
    },
    completion_rate: round(count('completed') / all.length, 4),
    average_score: round(mean(scores), 4),
    evaluations: scores.length,
    awaiting_my_review: all.flatMap((s) => s.takes.filter((t) => t.submitted && !ratedByOwner.has(t.id))).length,
    needs_attention: [{
      campaign_id: w.campaigns.unrated,
      title: 'Closing soon',
      invited: w.sessions.unrated.length,
      not_started: unratedNotStarted,
      not_started_rate: round(unratedNotStarted / w.sessions.unrated.length, 4),
    }],
  });
});

Deno.test("a stranger and a candidate see none of the owner's numbers on their dashboards", async () => {
  const w = await world();
  for (const who of [w.stranger, w.candidate]) {
    const dashboard = await (await call('/dashboard', who.accessToken)).json();
    assert.equal(dashboard.campaigns.total, 0);
    assert.equal(dashboard.sessions.total, 0);
    assert.equal(dashboard.candidates, 0);
    assert.equal(dashboard.average_score, null);
    assert.deepEqual(dashboard.needs_attention, []);
  }
});

/** A minimal RFC 4180 reader, to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  assert.equal(cell, '', 'the document ends with CRLF');
  return rows;
}

Deno.test('the CSV export has one row per candidate with status, times and scores', async () => {
  const w = await world();
  const res = await call(`/campaigns/${w.campaigns.main}/export.csv`, w.owner.accessToken);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.match(
    res.headers.get('content-disposition') ?? '',
    /^attachment; filename="backend-engineer-senior-\d{4}-\d{2}-\d{2}\.csv"/,
  );
  const [header, ...rows] = parseCsv(await res.text());
  assert.deepEqual(header.slice(-QUESTIONS), ['q1_score', 'q2_score', 'q3_score']);
  assert.equal(rows.length, w.sessions.main.length);
  const column = (name: string) => header.indexOf(name);
  for (const s of w.sessions.main) {
    const row = rows.find((r) => r[column('session_id')] === s.id);
    assert.ok(row, `a row for session ${s.id}`);
    assert.equal(row[column('status')], s.status);
    assert.equal(row[column('email')], s.email);
    assert.equal(new Date(row[column('invited_at')]).getTime(), s.invitedAt.getTime());
    assert.equal(
      row[column('completed_at')] ? new Date(row[column('completed_at')]).getTime() : null,
      s.completedAt?.getTime() ?? null,
    );
    assert.equal(
      row[column('withdrawn_at')] ? new Date(row[column('withdrawn_at')]).getTime() : null,
      s.withdrawnAt?.getTime() ?? null,
    );
    assert.equal(Number(row[column('answered')]), s.takes.filter((t) => t.submitted).length);
    assert.equal(row[column('decision')], s.decision ?? '');
    const avg = round(mean(s.evaluations.map((e) => e.score)), 4);
    assert.equal(row[column('average_score')] === '' ? null : Number(row[column('average_score')]), avg);
    for (let q = 0; q < QUESTIONS; q++) {
      const score = round(mean(s.evaluations.filter((e) => e.question === q).map((e) => e.score)), 4);
      const cell: string = row[column(`q${q + 1}_score`)];
      assert.equal(cell === '' ? null : Number(cell), score, `session ${s.id} q${q + 1}`);
    }
  }
  const tricky = rows.find((r) => r[column('session_id')] === w.sessions.main[3].id)!;
  assert.equal(tricky[column('first_name')], `'=HYPERLINK("x")`, 'a formula in a name is defused');
  assert.equal(rows.find((r) => r[column('session_id')] === w.sessions.main[4].id)![column('last_name')], 'Doe, "Jr"');
});

Deno.test('a stranger cannot export the campaign, and an empty campaign exports just the header', async () => {
  const w = await world();
  const denied = await call(`/campaigns/${w.campaigns.main}/export.csv`, w.stranger.accessToken);
  assert.equal(denied.status, 404);
  await denied.body?.cancel();
  const empty = await call(`/campaigns/${w.campaigns.empty}/export.csv`, w.owner.accessToken);
  assert.equal(empty.status, 200);
  assert.equal(parseCsv(await empty.text()).length, 1);
});

Deno.test("on the seed data, each of the demo recruiter's campaign reports matches numbers computed from its rows", async () => {
  const { data: signIn, error } = await anonClient().auth.signInWithPassword({
    email: 'recruiter@demo.test',
    password: 'demo-password-1',
  });
  if (error) throw error;
  const db = postgres(env('SUPABASE_DB_URL'), { max: 1, onnotice: () => {} });
  try {
    const campaigns = await db`select id from public.campaigns where owner_id = ${signIn.user.id} order by title`;
    assert.equal(campaigns.length, 6, 'the demo recruiter owns six campaigns');
    let sessionsSeen = 0;
    for (const { id } of campaigns) {
      const questions = await db`select id, position from public.questions where campaign_id = ${id} order by position`;
      const index = new Map(questions.map((q, i) => [q.id as string, i]));
      const sessions = await db`
        select id, status, invited_at, started_at, completed_at, expired_at, withdrawn_at, deadline
          from public.interview_sessions where campaign_id = ${id}`;
      const reveals = await db`select session_id, question_id, revealed_at from public.question_reveals
                                where campaign_id = ${id}`;
      const takes = await db`select id, session_id, question_id, is_submitted, duration_seconds
                               from public.video_responses where campaign_id = ${id}`;
      const ratings = await db`select e.response_id, e.session_id, e.score, v.question_id
                                 from public.evaluations e join public.video_responses v on v.id = e.response_id
                                where e.campaign_id = ${id}`;
      const rows: SessionRow[] = sessions.map((s) => ({
        id: s.id,
        candidateId: '',
        email: '',
        firstName: '',
        lastName: '',
        status: s.status,
        invitedAt: s.invited_at,
        startedAt: s.started_at,
        completedAt: s.completed_at,
        expiredAt: s.expired_at,
        withdrawnAt: s.withdrawn_at,
        deadline: s.deadline,
        reveals: reveals.filter((r) => r.session_id === s.id).map((r) => ({
          question: index.get(r.question_id)!,
          at: r.revealed_at,
        })),
        takes: takes.filter((t) => t.session_id === s.id).map((t) => ({
          id: t.id,
          question: index.get(t.question_id)!,
          submitted: t.is_submitted,
          duration: t.duration_seconds === null ? null : Number(t.duration_seconds),
        })),
        evaluations: ratings.filter((e) => e.session_id === s.id).map((e) => ({
          responseId: e.response_id,
          question: index.get(e.question_id)!,
          reviewer: 'owner' as const,
          score: e.score,
        })),
        decision: null,
      }));
      const expected = expectedReport(rows, questions.length);
      expected.questions.forEach((q, i) => (q.position = questions[i].position));
      const res = await call(`/campaigns/${id}`, signIn.session.access_token);
      assert.equal(res.status, 200);
      assertNear(await res.json(), expected, `$[${id}]`);
      sessionsSeen += rows.length;
    }
    assert.ok(sessionsSeen >= 20, 'the seed campaigns hold the demo sessions');
  } finally {
    await db.end();
  }
});
