// The old REST contract's data-access rows, replayed as the SPA now does them: supabase-js against the real
// PostgREST and auth server, signed in as real users, with RLS, triggers and RPCs deciding. Each test names the old
// endpoint it replaces; README "The old API, mapped" lists the same calls with the statuses and codes asserted here.
import assert from 'node:assert/strict';
import type { PostgrestError, SupabaseClient } from '@supabase/supabase-js';
import { decodeJwt } from 'jose';
import { acceptPrivacyNotice, createInterviewFixture, joinCampaignOrganization } from './fixtures.ts';
import { anonClient, serviceClient, signedInClient, uniqueEmail } from './support.ts';

type Signed = Awaited<ReturnType<typeof signedInClient>>;

const hour = 3600_000;
const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();

/** Asserts a PostgREST error as a client sees it: HTTP status, SQLSTATE-or-PGRST code and (when given) message. */
function assertPgError(
  result: { error: PostgrestError | null; status: number },
  status: number,
  code: string,
  message?: string,
) {
  assert.ok(result.error, `expected ${code}, got data`);
  assert.equal(result.status, status, JSON.stringify(result.error));
  assert.equal(result.error.code, code, JSON.stringify(result.error));
  if (message !== undefined) assert.equal(result.error.message, message);
}

function hiringManager(first: string, company = 'Acme Corp') {
  return signedInClient({ role: 'hiring_manager', data: { first_name: first, last_name: 'Test', company } });
}

async function candidateIdOf(user: Signed): Promise<string> {
  const { data, error } = await user.client.rpc('me');
  assert.equal(error, null);
  return (data as { candidate_id: string }).candidate_id;
}

/** Owner creates a campaign with questions as the SPA's campaign form does (two inserts). */
async function createCampaign(
  owner: SupabaseClient,
  options: { status?: string; startsInMs?: number; questions?: number; title?: string } = {},
) {
  const campaign = await owner.from('campaigns').insert({
    title: options.title ?? 'Backend engineer',
    description: 'Postgres and APIs',
    status: options.status ?? 'active',
    start_date: iso(options.startsInMs ?? 1500),
    end_date: iso(14 * 24 * hour),
    answer_time_seconds: 60,
  }).select().single();
  assert.equal(campaign.error, null, JSON.stringify(campaign.error));
  assert.equal(campaign.status, 201);
  const questions = await owner.from('questions').insert(
    Array.from({ length: options.questions ?? 2 }, (_, i) => ({
      campaign_id: campaign.data!.id,
      position: i + 1,
      prompt: `Question ${i + 1}?`,
      think_time_seconds: 0,
    })),
  ).select().order('position');
  assert.equal(questions.error, null, JSON.stringify(questions.error));
  return { campaign: campaign.data!, questions: questions.data! };
}

/** Owner (or editor) invites a signed-up candidate through PostgREST ("Owners and editors can invite candidates"). */
async function invite(inviter: SupabaseClient, campaignId: string, candidateId: string) {
  const { data, error } = await inviter.from('interview_sessions')
    .insert({ campaign_id: campaignId, candidate_id: candidateId }).select().single();
  assert.equal(error, null, JSON.stringify(error));
  return data!;
}

/**
 * A shared world on top of tests/fixtures.ts: the owner's active, started campaign with two questions, reviewer and
 * editor collaborators, candidate A invited (not started); a stranger hiring manager with their own campaign and
 * candidate B; an admin.
 */
async function world() {
  const [owner, stranger, reviewer, editor, admin] = await Promise.all([
    hiringManager('Olivia'),
    hiringManager('Stan', 'Other Inc'),
    hiringManager('Rita'),
    hiringManager('Ed'),
    signedInClient({ appRole: 'admin' }),
  ]);
  const [mine, theirs] = await Promise.all([
    createInterviewFixture({ manager: owner, questions: 2, answerTimeSeconds: 60, start: false, reveal: false }),
    createInterviewFixture({ manager: stranger, start: false, reveal: false }),
  ]);
  await joinCampaignOrganization(mine.campaignId, reviewer.userId, editor.userId);
  const shared = await owner.client.from('campaign_collaborators').insert([
    { campaign_id: mine.campaignId, user_id: reviewer.userId, role: 'reviewer' },
    { campaign_id: mine.campaignId, user_id: editor.userId, role: 'editor' },
  ]);
  assert.equal(shared.error, null, JSON.stringify(shared.error));
  const campaign = await owner.client.from('campaigns').select().eq('id', mine.campaignId).single();
  const questions = await owner.client.from('questions').select().eq('campaign_id', mine.campaignId).order('position');
  return {
    owner,
    reviewer,
    editor,
    stranger,
    admin,
    candidateA: mine.candidate,
    candidateB: theirs.candidate,
    candidateAId: mine.candidateId,
    candidateBId: theirs.candidateId,
    campaign: campaign.data!,
    questions: questions.data!,
    strangersCampaignId: theirs.campaignId,
    sessionA: { id: mine.sessionId },
    sessionB: { id: theirs.sessionId },
  };
}

/** Candidate answers every question: reveal, record a take, and the uploads function (service role) completes it. */
async function answerAll(candidate: SupabaseClient, sessionId: string, count: number) {
  await acceptPrivacyNotice(candidate, sessionId);
  const started = await candidate.rpc('start_interview', { p_session_id: sessionId });
  assert.equal(started.error, null, JSON.stringify(started.error));
  const responseIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const revealed = await candidate.rpc('reveal_next_question', { p_session_id: sessionId });
    assert.equal(revealed.error, null, JSON.stringify(revealed.error));
    const take = await candidate.from('video_responses').insert({
      session_id: sessionId,
      question_id: revealed.data.question_id,
      content_type: 'video/webm',
      size_bytes: 1000,
      duration_seconds: 12.5,
    }).select().single();
    assert.equal(take.error, null, JSON.stringify(take.error));
    const done = await serviceClient().rpc('complete_response_upload', { p_response_id: take.data!.id });
    assert.equal(done.error, null, JSON.stringify(done.error));
    responseIds.push(take.data!.id);
  }
  return responseIds;
}

// ---------------------------------------------------------------------------------------------------------------------
// auth: login, register, refresh, verify (supabase-js auth)
// ---------------------------------------------------------------------------------------------------------------------

Deno.test('register: signUp with a role provisions that role; me() and the token claim agree', async () => {
  const email = uniqueEmail('register');
  const supabase = anonClient();
  const { data, error } = await supabase.auth.signUp({
    email,
    password: 'a-long-test-password-1',
    options: { data: { role: 'hiring_manager', first_name: 'Hana', last_name: 'Hiring', company: 'Acme Corp' } },
  });
  assert.equal(error, null);
  assert.ok(data.session, 'sign-up signs in when email confirmation is off (config.toml)');
  assert.equal(decodeJwt(data.session.access_token).user_role, 'hiring_manager');
  const me = await supabase.rpc('me');
  assert.equal(me.error, null);
  assert.equal(me.data.role, 'hiring_manager');
  assert.equal(me.data.company, 'Acme Corp');
  assert.equal(me.data.email, email);
});

Deno.test('register: asking for the admin role at sign-up gives a candidate', async () => {
  const supabase = anonClient();
  const { data, error } = await supabase.auth.signUp({
    email: uniqueEmail('would-be-admin'),
    password: 'a-long-test-password-1',
    options: { data: { role: 'admin' } },
  });
  assert.equal(error, null);
  assert.equal(decodeJwt(data.session!.access_token).user_role, 'candidate');
  assert.equal((await supabase.rpc('me')).data.role, 'candidate');
});

Deno.test('login: signInWithPassword returns a session whose token carries user_role; a bad password is 400', async () => {
  const { email } = await hiringManager('Lena');
  const supabase = anonClient();
  const ok = await supabase.auth.signInWithPassword({ email, password: 'a-long-test-password-1' });
  assert.equal(ok.error, null);
  assert.equal(decodeJwt(ok.data.session!.access_token).user_role, 'hiring_manager');
  const bad = await anonClient().auth.signInWithPassword({ email, password: 'wrong-password-99' });
  assert.equal(bad.error?.status, 400);
  assert.equal(bad.error?.code, 'invalid_credentials');
});

Deno.test('refresh: refreshSession issues a new access token that PostgREST accepts', async () => {
  const { client } = await hiringManager('Rafa');
  const before = (await client.auth.getSession()).data.session!;
  const { data, error } = await client.auth.refreshSession();
  assert.equal(error, null);
  assert.notEqual(data.session!.refresh_token, before.refresh_token, 'the refresh token rotates');
  assert.equal(decodeJwt(data.session!.access_token).user_role, 'hiring_manager');
  const me = await client.rpc('me');
  assert.equal(me.data.role, 'hiring_manager');
  // GoTrue checks a refresh token's shape first (400 validation_failed), then looks a well-formed one up.
  const malformed = await anonClient().auth.refreshSession({ refresh_token: 'not-a-refresh-token' });
  assert.equal(malformed.error?.status, 400);
  assert.equal(malformed.error?.code, 'validation_failed');
  const unknown = await anonClient().auth.refreshSession({ refresh_token: 'abcdefghijkl' });
  assert.equal(unknown.error?.status, 400);
  assert.equal(unknown.error?.code, 'refresh_token_not_found');
});

Deno.test('verify: getUser(token) accepts a live token and refuses a forged one', async () => {
  const { accessToken, userId } = await hiringManager('Vera');
  const supabase = anonClient();
  const ok = await supabase.auth.getUser(accessToken);
  assert.equal(ok.error, null);
  assert.equal(ok.data.user!.id, userId);
  const [header, payload] = accessToken.split('.');
  const forged = await supabase.auth.getUser(`${header}.${payload}.${'A'.repeat(86)}`);
  assert.ok(forged.error);
  assert.equal(forged.error.status, 403);
  assert.equal(forged.error.code, 'bad_jwt');
  const claims = await supabase.auth.getClaims(accessToken);
  assert.equal(claims.error, null);
  assert.equal(claims.data!.claims.sub, userId);
});

// ---------------------------------------------------------------------------------------------------------------------
// me
// ---------------------------------------------------------------------------------------------------------------------

Deno.test('me: a candidate gets their normalized profile with candidate_id; anon gets 401', async () => {
  const candidate = await signedInClient({
    role: 'candidate',
    data: {
      first_name: 'Cara',
      last_name: 'Candidate',
      phone: '+1 555 0100',
      linkedin_url: 'https://linkedin.com/in/cara',
    },
  });
  const { data, error } = await candidate.client.rpc('me');
  assert.equal(error, null);
  assert.equal(data.id, candidate.userId);
  assert.equal(data.role, 'candidate');
  assert.equal(data.first_name, 'Cara');
  assert.equal(data.linkedin_url, 'https://linkedin.com/in/cara');
  assert.match(data.candidate_id, /^[0-9a-f-]{36}$/);
  assert.equal(data.company, null);

  const anon = await anonClient().rpc('me');
  assertPgError(anon, 401, '42501', 'permission denied for function me');
});

Deno.test('me: a user edits their own names but cannot change their role (column grant: 403 42501)', async () => {
  const { client, userId } = await hiringManager('Mo');
  const renamed = await client.from('profiles').update({ first_name: 'Maurice' }).eq('id', userId).select().single();
  assert.equal(renamed.error, null);
  assert.equal(renamed.data.first_name, 'Maurice');
  const promoted = await client.from('profiles').update({ role: 'admin' }).eq('id', userId);
  assertPgError(promoted, 403, '42501', 'permission denied for table profiles');
  assert.equal((await client.rpc('me')).data.role, 'hiring_manager');
});

// ---------------------------------------------------------------------------------------------------------------------
// campaigns CRUD with questions
// ---------------------------------------------------------------------------------------------------------------------

Deno.test('campaigns: create with questions, list, retrieve with ordered questions, update, delete a draft', async () => {
  const owner = await hiringManager('Carla');
  const { campaign, questions } = await createCampaign(owner.client, {
    status: 'draft',
    startsInMs: hour,
    questions: 3,
  });
  assert.equal(campaign.owner_id, owner.userId, 'owner_id defaults to the caller');
  assert.equal(campaign.think_time_seconds, 30, 'campaign defaults apply');
  assert.deepEqual(questions.map((q) => [q.position, q.answer_time_seconds, q.max_takes]), [[1, 60, 3], [2, 60, 3], [
    3,
    60,
    3,
  ]], 'omitted question limits come from the campaign');

  const list = await owner.client.from('campaigns').select('id, title, status').order('created_at');
  assert.equal(list.error, null);
  assert.deepEqual(list.data!.map((c) => c.id), [campaign.id], 'a hiring manager lists only their campaigns');

  const one = await owner.client.from('campaigns').select('*, questions(id, position, prompt)')
    .eq('id', campaign.id).order('position', { referencedTable: 'questions', ascending: false }).single();
  assert.equal(one.error, null);
  assert.deepEqual(one.data!.questions.map((q: { position: number }) => q.position), [3, 2, 1]);

  const updated = await owner.client.from('campaigns').update({ title: 'Staff engineer', status: 'active' })
    .eq('id', campaign.id).select().single();
  assert.equal(updated.error, null);
  assert.equal(updated.data!.title, 'Staff engineer');

  const reordered = await owner.client.from('questions').update({ prompt: 'Edited?' })
    .eq('id', questions[0].id).select('prompt').single();
  assert.equal(reordered.data?.prompt, 'Edited?');

  const activeDelete = await owner.client.from('campaigns').delete().eq('id', campaign.id).select();
  assert.equal(activeDelete.error, null);
  assert.deepEqual(activeDelete.data, [], 'a non-draft campaign is not deleted (RLS filters it out)');

  await owner.client.from('campaigns').update({ status: 'draft' }).eq('id', campaign.id);
  const deleted = await owner.client.from('campaigns').delete().eq('id', campaign.id);
  assert.equal(deleted.status, 204);
  const gone = await owner.client.from('campaigns').select().eq('id', campaign.id).single();
  assertPgError(gone, 406, 'PGRST116');
  const orphanQuestions = await owner.client.from('questions').select('id').eq('campaign_id', campaign.id);
  assert.deepEqual(orphanQuestions.data, [], 'questions go with their campaign');
});

Deno.test('campaigns: a start in the past is 400 23514 campaign_start_in_past, on create and on update', async () => {
  const owner = await hiringManager('Dora');
  const past = await owner.client.from('campaigns').insert({
    title: 'Too late',
    start_date: iso(-hour),
    end_date: iso(24 * hour),
  }).select().single();
  assertPgError(past, 400, '23514', 'campaign_start_in_past');
  assert.equal(past.error!.details, 'start_date must not be in the past.');

  const { campaign } = await createCampaign(owner.client, { status: 'draft', startsInMs: hour });
  const moved = await owner.client.from('campaigns').update({ start_date: iso(-hour) }).eq('id', campaign.id);
  assertPgError(moved, 400, '23514', 'campaign_start_in_past');
});

Deno.test('campaigns: an end not after the start is 400 23514 campaign_end_not_after_start', async () => {
  const owner = await hiringManager('Eve');
  const reversed = await owner.client.from('campaigns').insert({
    title: 'Backwards',
    start_date: iso(2 * hour),
    end_date: iso(hour),
  }).select().single();
  assertPgError(reversed, 400, '23514', 'campaign_end_not_after_start');
  assert.equal(reversed.error!.details, 'end_date must be after start_date.');

  const { campaign } = await createCampaign(owner.client, { status: 'draft', startsInMs: hour });
  const shortened = await owner.client.from('campaigns').update({ end_date: campaign.start_date }).eq(
    'id',
    campaign.id,
  );
  assertPgError(shortened, 400, '23514', 'campaign_end_not_after_start');
});

Deno.test('campaigns: invalid input is 400 with the constraint code (empty title 23514, bad status 22P02)', async () => {
  const owner = await hiringManager('Ines');
  const empty = await owner.client.from('campaigns').insert({
    title: '',
    start_date: iso(hour),
    end_date: iso(2 * hour),
  });
  assertPgError(empty, 400, '23514');
  const status = await owner.client.from('campaigns')
    .insert({ title: 'x', status: 'paused', start_date: iso(hour), end_date: iso(2 * hour) });
  assertPgError(status, 400, '22P02', 'invalid input value for enum campaign_status: "paused"');
});

Deno.test('campaigns: others cannot read, change or delete a campaign; candidates cannot create one', async () => {
  const w = await world();
  for (const who of [w.stranger, w.candidateA]) {
    const read = await who.client.from('campaigns').select().eq('id', w.campaign.id);
    assert.deepEqual(read.data, []);
    const update = await who.client.from('campaigns').update({ title: 'Hijacked' }).eq('id', w.campaign.id).select();
    assert.deepEqual(update.data, [], 'an update of an invisible row changes nothing');
  }
  const retrieved = await w.stranger.client.from('campaigns').select().eq('id', w.campaign.id).single();
  assertPgError(retrieved, 406, 'PGRST116');
  const byCandidate = await w.candidateA.client.from('campaigns')
    .insert({ title: 'Mine', start_date: iso(hour), end_date: iso(2 * hour) });
  assertPgError(byCandidate, 403, '42501', 'new row violates row-level security policy for table "campaigns"');
  const forSomeoneElse = await w.stranger.client.from('campaigns')
    .insert({ owner_id: w.owner.userId, title: 'Planted', start_date: iso(hour), end_date: iso(2 * hour) });
  assertPgError(forSomeoneElse, 403, '42501');
  const intoOthers = await w.stranger.client.from('questions').insert({
    campaign_id: w.campaign.id,
    prompt: 'Planted?',
  });
  assertPgError(intoOthers, 403, '42501', 'new row violates row-level security policy for table "questions"');

  const viaReviewer = await w.reviewer.client.from('campaigns').select('id, title').eq('id', w.campaign.id).single();
  assert.equal(viaReviewer.data?.id, w.campaign.id, 'a collaborator reads the shared campaign');
  const reviewerEdit = await w.reviewer.client.from('questions').update({ prompt: 'Changed' })
    .eq('campaign_id', w.campaign.id).select();
  assert.deepEqual(reviewerEdit.data, [], 'a reviewer cannot edit questions');
  const editorEdit = await w.editor.client.from('questions').update({ prompt: 'Sharper?' })
    .eq('id', w.questions[1].id).select('prompt');
  assert.deepEqual(editorEdit.data, [{ prompt: 'Sharper?' }], 'an editor edits questions');

  const all = await w.admin.client.from('campaigns').select('id').in('id', [w.campaign.id, w.strangersCampaignId]);
  assert.equal(all.data?.length, 2, 'the admin sees every campaign');
});

Deno.test('campaigns: an answered question is locked (409 PT409 question_locked)', async () => {
  const w = await world();
  await answerAll(w.candidateA.client, w.sessionA.id, 1);
  const edit = await w.owner.client.from('questions').update({ prompt: 'Changed after the fact' }).eq(
    'id',
    w.questions[0].id,
  );
  assertPgError(edit, 409, 'PT409', 'question_locked');
  const remove = await w.owner.client.from('questions').delete().eq('id', w.questions[0].id);
  assertPgError(remove, 409, 'PT409', 'question_locked');
  const untouched = await w.owner.client.from('questions').update({ prompt: 'Still editable?' })
    .eq('id', w.questions[1].id).select('prompt');
  assert.deepEqual(untouched.data, [{ prompt: 'Still editable?' }]);
});

// ---------------------------------------------------------------------------------------------------------------------
// a campaign's sessions, the sessions list by role, invitations through PostgREST
// ---------------------------------------------------------------------------------------------------------------------

Deno.test("sessions: a campaign's sessions with their candidates, for owner and collaborators only", async () => {
  const w = await world();
  for (const member of [w.owner, w.reviewer, w.editor, w.admin]) {
    const { data, error } = await member.client.from('interview_sessions')
      .select('id, status, deadline, invited_email, candidates(email, first_name, last_name)')
      .eq('campaign_id', w.campaign.id);
    assert.equal(error, null);
    assert.equal(data!.length, 1);
    assert.equal(data![0].id, w.sessionA.id);
    assert.equal(data![0].status, 'invited');
    assert.equal(
      Date.parse(data![0].deadline),
      Date.parse(w.campaign.end_date),
      'the deadline defaults to the campaign end',
    );
    // Not started: the company sees the address it invited, not yet the person's own row (an admin sees all).
    assert.equal(data![0].invited_email, w.candidateA.email);
    if (member === w.admin) assert.notEqual(data![0].candidates, null);
    else assert.equal(data![0].candidates, null);
  }
  const stranger = await w.stranger.client.from('interview_sessions').select('id').eq('campaign_id', w.campaign.id);
  assert.deepEqual(stranger.data, []);
  const secret = await w.owner.client.from('interview_sessions').select('token_hash').eq('id', w.sessionA.id);
  assertPgError(secret, 400, '42703');
});

Deno.test('sessions: the list is filtered by role (owner, reviewer, stranger, candidate A, candidate B, admin)', async () => {
  const w = await world();
  const ids = async (who: Signed) => {
    const { data, error } = await who.client.from('interview_sessions').select('id')
      .in('id', [w.sessionA.id, w.sessionB.id]).order('id');
    assert.equal(error, null);
    return data!.map((s) => s.id).sort();
  };
  assert.deepEqual(await ids(w.owner), [w.sessionA.id]);
  assert.deepEqual(await ids(w.reviewer), [w.sessionA.id]);
  assert.deepEqual(await ids(w.stranger), [w.sessionB.id]);
  assert.deepEqual(await ids(w.candidateA), [w.sessionA.id]);
  assert.deepEqual(await ids(w.candidateB), [w.sessionB.id]);
  assert.deepEqual(await ids(w.admin), [w.sessionA.id, w.sessionB.id].sort());
  const anon = await anonClient().from('interview_sessions').select('id');
  assertPgError(anon, 401, '42501', 'permission denied for table interview_sessions');
});

Deno.test('sessions: invitations through PostgREST: editors may, reviewers and candidates may not; one per candidate', async () => {
  const w = await world();
  const byReviewer = await w.reviewer.client.from('interview_sessions')
    .insert({ campaign_id: w.campaign.id, candidate_id: w.candidateBId });
  assertPgError(byReviewer, 403, '42501', 'new row violates row-level security policy for table "interview_sessions"');
  const selfMade = await w.candidateB.client.from('interview_sessions')
    .insert({ campaign_id: w.campaign.id, candidate_id: w.candidateBId });
  assertPgError(selfMade, 403, '42501');
  const byEditor = await invite(w.editor.client, w.campaign.id, w.candidateBId);
  assert.equal(byEditor.invited_by, w.editor.userId);
  const twice = await w.owner.client.from('interview_sessions')
    .insert({ campaign_id: w.campaign.id, candidate_id: w.candidateBId });
  assertPgError(twice, 409, '23505');
  const pastDeadline = await w.owner.client.from('interview_sessions')
    .update({ deadline: iso(-hour) }).eq('id', w.sessionA.id);
  assertPgError(pastDeadline, 400, '23514', 'session_deadline_in_past');
  const byHand = await w.owner.client.from('interview_sessions').update({ status: 'completed' }).eq(
    'id',
    w.sessionA.id,
  );
  assertPgError(byHand, 403, '42501', 'permission denied for table interview_sessions');
});

// ---------------------------------------------------------------------------------------------------------------------
// start, reveal, respond
// ---------------------------------------------------------------------------------------------------------------------

Deno.test('start: start_interview moves invited to in_progress once; other callers get 404 session_not_found', async () => {
  const w = await world();
  const notMine = await w.candidateB.client.rpc('start_interview', { p_session_id: w.sessionA.id });
  assertPgError(notMine, 404, 'PT404', 'session_not_found');
  const byOwner = await w.owner.client.rpc('start_interview', { p_session_id: w.sessionA.id });
  assertPgError(byOwner, 404, 'PT404', 'session_not_found');

  const unconsented = await w.candidateA.client.rpc('start_interview', { p_session_id: w.sessionA.id });
  assertPgError(unconsented, 409, 'PT409', 'privacy_notice_not_accepted');
  await acceptPrivacyNotice(w.candidateA.client, w.sessionA.id);
  const started = await w.candidateA.client.rpc('start_interview', { p_session_id: w.sessionA.id });
  assert.equal(started.error, null);
  assert.equal(started.data.status, 'in_progress');
  assert.ok(started.data.started_at);
  const again = await w.candidateA.client.rpc('start_interview', { p_session_id: w.sessionA.id });
  assert.equal(again.data.started_at, started.data.started_at, 'starting twice is idempotent');

  const hidden = await w.candidateA.client.from('questions').select('id, prompt');
  assert.deepEqual(hidden.data, [], 'no question is visible before it is revealed');
  const first = await w.candidateA.client.rpc('reveal_next_question', { p_session_id: w.sessionA.id });
  assert.equal(first.error, null);
  assert.equal(first.data.prompt, 'Question 1?');
  assert.equal(first.data.question_count, 2);
  const visible = await w.candidateA.client.from('questions').select('prompt');
  assert.deepEqual(visible.data, [{ prompt: 'Question 1?' }]);

  const early = await w.candidateA.client.from('video_responses').insert({
    session_id: w.sessionA.id,
    question_id: w.questions[1].id,
    content_type: 'video/webm',
  });
  assertPgError(early, 409, 'PT409', 'question_not_revealed');
});

Deno.test('start: refused before the campaign starts (campaign_not_started) and in a draft (campaign_not_active)', async () => {
  const owner = await hiringManager('Sara');
  const candidate = await signedInClient({ role: 'candidate' });
  const candidateId = await candidateIdOf(candidate);
  const later = await createCampaign(owner.client, { startsInMs: hour });
  const draft = await createCampaign(owner.client, { status: 'draft', title: 'Draft' });
  const s1 = await invite(owner.client, later.campaign.id, candidateId);
  const s2 = await invite(owner.client, draft.campaign.id, candidateId);
  await acceptPrivacyNotice(candidate.client, s1.id);
  await acceptPrivacyNotice(candidate.client, s2.id);
  assertPgError(
    await candidate.client.rpc('start_interview', { p_session_id: s1.id }),
    409,
    'PT409',
    'campaign_not_started',
  );
  assertPgError(
    await candidate.client.rpc('start_interview', { p_session_id: s2.id }),
    409,
    'PT409',
    'campaign_not_active',
  );
});

Deno.test('start: a completed session cannot start again (409 invalid_status_transition)', async () => {
  const w = await world();
  await answerAll(w.candidateA.client, w.sessionA.id, 2);
  const after = await w.candidateA.client.from('interview_sessions').select('status').eq('id', w.sessionA.id).single();
  assert.equal(after.data!.status, 'completed', 'submitting the last answer completes the session');
  const again = await w.candidateA.client.rpc('start_interview', { p_session_id: w.sessionA.id });
  assertPgError(again, 409, 'PT409', 'invalid_status_transition');
  assert.equal(again.error!.details, 'A session cannot go from completed to in_progress.');
});

// ---------------------------------------------------------------------------------------------------------------------
// candidates
// ---------------------------------------------------------------------------------------------------------------------

Deno.test('candidates: hiring managers list only candidates who started their interviews; a candidate only themselves', async () => {
  const w = await world();
  const list = async (who: Signed) => {
    const { data, error } = await who.client.from('candidates').select('id, email, first_name, last_name')
      .in('id', [w.candidateAId, w.candidateBId]);
    assert.equal(error, null);
    return data!.map((c) => c.id).sort();
  };
  // Before a candidate takes part, a company sees only what it supplied itself (on the session), not the person's row.
  assert.deepEqual(await list(w.owner), []);
  assert.deepEqual(await list(w.reviewer), []);
  assert.deepEqual(await list(w.stranger), []);
  assert.deepEqual(await list(w.candidateA), [w.candidateAId]);
  assert.deepEqual(await list(w.admin), [w.candidateAId, w.candidateBId].sort());
  await acceptPrivacyNotice(w.candidateA.client, w.sessionA.id);
  const started = await w.candidateA.client.rpc('start_interview', { p_session_id: w.sessionA.id });
  assert.equal(started.error, null, JSON.stringify(started.error));
  assert.deepEqual(await list(w.owner), [w.candidateAId]);
  assert.deepEqual(await list(w.reviewer), [w.candidateAId]);
  assert.deepEqual(await list(w.stranger), [], 'another company still does not');

  const edit = await w.owner.client.from('candidates').update({ first_name: 'Renamed' }).eq('id', w.candidateAId)
    .select();
  assert.deepEqual(edit.data, [], "a hiring manager cannot edit a candidate's record");
  const own = await w.candidateA.client.from('candidates').update({ phone: '+44 20 0000' }).eq('id', w.candidateAId)
    .select('phone').single();
  assert.equal(own.data?.phone, '+44 20 0000', 'a candidate edits their own contact details');
  const email = await w.candidateA.client.from('candidates').update({ email: 'new@example.test' }).eq(
    'id',
    w.candidateAId,
  );
  assertPgError(email, 403, '42501', 'permission denied for table candidates');
});

// ---------------------------------------------------------------------------------------------------------------------
// a candidate's own interviews, and the detail of one
// ---------------------------------------------------------------------------------------------------------------------

Deno.test("interviews: my_interviews lists a candidate's own sessions with public campaign fields only", async () => {
  const w = await world();
  const { data, error } = await w.candidateA.client.rpc('my_interviews');
  assert.equal(error, null);
  assert.equal(data.length, 1);
  const row = data[0];
  assert.equal(row.session_id, w.sessionA.id);
  assert.equal(row.status, 'invited');
  assert.equal(row.title, w.campaign.title);
  assert.equal(row.company, 'Acme Corp');
  assert.equal(row.question_count, 2);
  assert.equal(row.answered_count, 0);
  assert.ok(!('retention_days' in row) && !('owner_id' in row), 'owner-only fields are not exposed');

  const campaigns = await w.candidateA.client.from('campaigns').select('id');
  assert.deepEqual(campaigns.data, [], 'the campaigns table itself stays closed to candidates');
  const evaluations = await w.candidateA.client.from('evaluations').select('id');
  assert.deepEqual(evaluations.data, []);
  const team = await w.candidateA.client.from('campaign_collaborators').select('user_id');
  assert.deepEqual(team.data, []);
  const owner = await w.owner.client.rpc('my_interviews');
  assert.deepEqual(owner.data, [], 'a hiring manager has no interviews of their own');
});

Deno.test('interviews: the detail of one is my_interviews filtered by session_id; another candidate gets 406 PGRST116', async () => {
  const w = await world();
  await answerAll(w.candidateA.client, w.sessionA.id, 1);
  const detail = await w.candidateA.client.rpc('my_interviews').eq('session_id', w.sessionA.id).single();
  assert.equal(detail.error, null);
  const one = detail.data as { status: string; answered_count: number };
  assert.equal(one.status, 'in_progress');
  assert.equal(one.answered_count, 1);
  const responses = await w.candidateA.client.from('video_responses').select('question_id, status, is_submitted')
    .eq('session_id', w.sessionA.id);
  assert.deepEqual(responses.data, [{ question_id: w.questions[0].id, status: 'uploaded', is_submitted: true }]);
  const reveals = await w.candidateA.client.from('question_reveals').select('question_id').eq(
    'session_id',
    w.sessionA.id,
  );
  assert.equal(reveals.data?.length, 1);

  const other = await w.candidateB.client.rpc('my_interviews').eq('session_id', w.sessionA.id).single();
  assertPgError(other, 406, 'PGRST116');
  const othersResponses = await w.candidateB.client.from('video_responses').select('id').eq(
    'session_id',
    w.sessionA.id,
  );
  assert.deepEqual(othersResponses.data, []);
});

// ---------------------------------------------------------------------------------------------------------------------
// evaluations and decisions
// ---------------------------------------------------------------------------------------------------------------------

Deno.test("evaluations: blind review: a reviewer sees others' scores of a response only after rating it", async () => {
  const w = await world();
  const [r1, r2] = await answerAll(w.candidateA.client, w.sessionA.id, 2);

  const ownerRates = await w.owner.client.from('evaluations').insert([
    { response_id: r1, score: 4, comment: 'Good' },
    { response_id: r2, score: 2, comment: 'Vague' },
  ]).select('reviewer_id, session_id, campaign_id');
  assert.equal(ownerRates.error, null, JSON.stringify(ownerRates.error));
  assert.deepEqual(ownerRates.data!.map((e) => e.reviewer_id), [w.owner.userId, w.owner.userId]);
  assert.equal(ownerRates.data![0].session_id, w.sessionA.id, 'session and campaign are filled by the database');

  const before = await w.reviewer.client.from('evaluations').select('score').eq('session_id', w.sessionA.id);
  assert.deepEqual(before.data, [], "before rating, a reviewer sees no one else's scores");

  const mine = await w.reviewer.client.from('evaluations').insert({ response_id: r1, score: 5, comment: 'Great' })
    .select().single();
  assert.equal(mine.error, null);
  const after = await w.reviewer.client.from('evaluations').select('response_id, score').eq('session_id', w.sessionA.id)
    .order('score');
  assert.deepEqual(
    after.data,
    [{ response_id: r1, score: 4 }, { response_id: r1, score: 5 }],
    'after rating r1 the reviewer sees every score of r1, and still nothing of r2',
  );

  const editorView = await w.editor.client.from('evaluations').select('score').eq('session_id', w.sessionA.id);
  assert.equal(editorView.data?.length, 3, 'an editor (who decides) sees every evaluation');
  const strangerView = await w.stranger.client.from('evaluations').select('id').eq('session_id', w.sessionA.id);
  assert.deepEqual(strangerView.data, []);
  const candidateView = await w.candidateA.client.from('evaluations').select('id');
  assert.deepEqual(candidateView.data, []);

  const twice = await w.reviewer.client.from('evaluations').insert({ response_id: r1, score: 1 });
  assertPgError(twice, 409, '23505');
  const outOfRange = await w.reviewer.client.from('evaluations').insert({ response_id: r2, score: 6 });
  assertPgError(outOfRange, 400, '23514');
  const byStranger = await w.stranger.client.from('evaluations').insert({ response_id: r2, score: 1 });
  assertPgError(byStranger, 403, '42501', 'new row violates row-level security policy for table "evaluations"');
  const othersScore = await w.reviewer.client.from('evaluations').update({ score: 1 })
    .eq('reviewer_id', w.owner.userId).select();
  assert.deepEqual(othersScore.data, [], "a reviewer cannot change another reviewer's evaluation");
  // Rate anything, read the others, then align: refused, the score is final once someone else rated the answer.
  const aligned = await w.reviewer.client.from('evaluations').update({ score: 4 }).eq('id', mine.data!.id).select();
  assertPgError(aligned, 400, '23514', 'score_final');
  const comment = await w.reviewer.client.from('evaluations').update({ comment: 'Great, clear' }).eq(
    'id',
    mine.data!.id,
  )
    .select('score, comment').single();
  assert.deepEqual(comment.data, { score: 5, comment: 'Great, clear' }, 'the comment may still change');
  const first = await w.reviewer.client.from('evaluations').insert({ response_id: r2, score: 3 }).select().single();
  assert.equal(first.error, null);
  const deleted = await w.owner.client.from('evaluations').delete().eq('response_id', r2).select();
  assert.equal(deleted.data?.length, 0, 'the owner cannot delete a rating (only the admin can)');
});

Deno.test('evaluations: a reviewer who rates an answer first may change the score until someone else rates it', async () => {
  const w = await world();
  const [r1] = await answerAll(w.candidateA.client, w.sessionA.id, 1);
  const mine = await w.reviewer.client.from('evaluations').insert({ response_id: r1, score: 2 }).select().single();
  const changed = await w.reviewer.client.from('evaluations').update({ score: 3 }).eq('id', mine.data!.id)
    .select('score').single();
  assert.equal(changed.data?.score, 3, 'nothing of anyone else could have been read yet');
  await w.owner.client.from('evaluations').insert({ response_id: r1, score: 5 });
  const late = await w.reviewer.client.from('evaluations').update({ score: 5 }).eq('id', mine.data!.id).select();
  assertPgError(late, 400, '23514', 'score_final');
});

Deno.test('evaluations: decisions by the owner or an editor, read by a reviewer only once they rated, never by the candidate', async () => {
  const w = await world();
  const answers = await answerAll(w.candidateA.client, w.sessionA.id, 2);
  const byReviewer = await w.reviewer.client.from('session_decisions').insert({
    session_id: w.sessionA.id,
    decision: 'advance',
  });
  assertPgError(byReviewer, 403, '42501');
  const decided = await w.editor.client.from('session_decisions')
    .insert({ session_id: w.sessionA.id, decision: 'hold', note: 'Compare with the pool' }).select().single();
  assert.equal(decided.error, null);
  assert.equal(decided.data!.decided_by, w.editor.userId);
  const changed = await w.owner.client.from('session_decisions').update({ decision: 'advance' })
    .eq('session_id', w.sessionA.id).select('decision, decided_by').single();
  assert.deepEqual(changed.data, { decision: 'advance', decided_by: w.owner.userId });
  const reviewerBefore = await w.reviewer.client.from('session_decisions').select('decision')
    .eq('session_id', w.sessionA.id);
  assert.deepEqual(reviewerBefore.data, [], 'a reviewer reads no decision before rating the session');
  for (const response_id of answers.slice(0, 1)) {
    await w.reviewer.client.from('evaluations').insert({ response_id, score: 4 });
  }
  const reviewerHalf = await w.reviewer.client.from('session_decisions').select('decision')
    .eq('session_id', w.sessionA.id);
  assert.deepEqual(reviewerHalf.data, [], 'nor before rating every answer of it');
  await w.reviewer.client.from('evaluations').insert({ response_id: answers[1], score: 3 });
  const reviewerReads = await w.reviewer.client.from('session_decisions').select('decision')
    .eq('session_id', w.sessionA.id);
  assert.deepEqual(reviewerReads.data, [{ decision: 'advance' }], 'having rated the whole session, they read it');
  const candidateReads = await w.candidateA.client.from('session_decisions').select('decision');
  assert.deepEqual(candidateReads.data, []);
  const badValue = await w.owner.client.from('session_decisions').update({ decision: 'maybe' }).eq(
    'session_id',
    w.sessionA.id,
  );
  assertPgError(badValue, 400, '22P02');

  const trail = await w.owner.client.from('audit_log').select('action, actor_id').eq('campaign_id', w.campaign.id)
    .order('id');
  const actions = trail.data!.map((a) => a.action);
  assert.ok(
    actions.includes('session.invited') && actions.includes('decision.created') && actions.includes('decision.updated'),
    actions.join(', '),
  );
  const forged = await w.owner.client.from('audit_log').insert({ action: 'x', entity: 'y', entity_id: w.sessionA.id });
  assertPgError(forged, 403, '42501', 'permission denied for table audit_log');
});
