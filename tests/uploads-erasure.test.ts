// Retention and the right to erasure: videos really disappear from the S3 server (asked directly, HEAD -> 404), the
// rows go with them, and public.video_deletions keeps the proof.
import assert from 'node:assert/strict';
import { createInterviewFixture, joinCampaignOrganization, withoutTriggers } from './fixtures.ts';
import { anonClient, env, signedInClient } from './support.ts';
import { objectExists, sendWithGrant, storedKey, uploads, WEBM } from './uploads-support.ts';

type Fixture = Awaited<ReturnType<typeof createInterviewFixture>>;

/** Records, uploads and completes one real take of the first revealed question; returns its grant. */
async function answer(f: Fixture, session = { id: f.sessionId, token: f.candidate.accessToken }) {
  const grant = await uploads('', {
    token: session.token,
    body: {
      session_id: session.id,
      question_id: f.questionIds[0],
      content_type: 'video/webm',
      size_bytes: WEBM.length,
    },
  });
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  assert.ok((await sendWithGrant(grant.body, WEBM)).ok);
  const done = await uploads(`/${grant.body.response_id}/complete`, { token: session.token, method: 'POST' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  const key = await storedKey(grant.body.response_id);
  assert.equal(await objectExists(key), true, 'the verified copy is stored');
  assert.equal(await objectExists(grant.body.object_key), false, 'the upload key it was copied from is swept');
  return {
    response_id: grant.body.response_id as string,
    object_key: key,
    upload_key: grant.body.object_key as string,
  };
}

async function runRetention(token = env('SUPABASE_SERVICE_ROLE_KEY')) {
  return await uploads('/retention/run', { token, method: 'POST' });
}

Deno.test('the retention run deletes the videos of sessions past their campaign retention and logs the proof', async () => {
  const f = await createInterviewFixture({ retentionDays: 30 });
  const old = await answer(f);
  const recent = await f.addCandidate();
  const kept = await answer(f, { id: recent.sessionId, token: recent.candidate.accessToken });
  // The first session ended 31 days ago; the second just now.
  await withoutTriggers((tx) =>
    tx`update public.interview_sessions set completed_at = now() - interval '31 days' where id = ${f.sessionId}`
  );

  const run = await runRetention();
  assert.equal(run.status, 200, JSON.stringify(run.body));
  assert.ok(run.body.objects_deleted.includes(old.object_key));
  assert.equal(await objectExists(old.object_key), false, 'the S3 server no longer holds the expired video');
  assert.equal(await objectExists(kept.object_key), true, 'a video inside the retention period stays');

  const { data: log, error } = await f.manager.client.from('video_deletions')
    .select('object_key, is_prefix, reason, deleted_at').eq('session_id', f.sessionId).order('id');
  assert.equal(error, null);
  const objectRow = log?.find((r) => !r.is_prefix);
  assert.equal(objectRow?.object_key, old.object_key);
  assert.equal(objectRow?.reason, 'retention');
  assert.ok(objectRow?.deleted_at, 'the log holds the time the store confirmed the deletion');

  const play = await uploads(`/${old.response_id}/playback`, { token: f.manager.accessToken });
  assert.equal(play.status, 410);
  assert.equal(play.body.error.code, 'video_deleted');
  const { data: row } = await f.manager.client.from('video_responses').select('is_submitted, video_deleted_at')
    .eq('id', old.response_id).single();
  assert.equal(row?.is_submitted, true, 'the take and its metadata stay; only the video goes');
  assert.ok(row?.video_deleted_at);

  const second = await runRetention();
  assert.equal(second.status, 200);
  assert.ok(!second.body.objects_deleted.includes(old.object_key), 'a video is deleted once');
});

Deno.test('the retention run is for the service role only', async () => {
  const user = await signedInClient({ role: 'hiring_manager' });
  assert.equal((await runRetention(user.accessToken)).status, 403);
  assert.equal((await uploads('/retention/run', { method: 'POST' })).status, 401);
  assert.equal((await runRetention(env('SUPABASE_ANON_KEY'))).status, 403);
});

Deno.test('the owner erases a candidate from a campaign: session, responses, evaluations and videos are gone', async () => {
  const f = await createInterviewFixture({ questions: 2 });
  const take = await answer(f);
  await f.revealNext();
  // A second question granted but never completed: its object must go too.
  const pending = await uploads('', {
    token: f.candidate.accessToken,
    body: {
      session_id: f.sessionId,
      question_id: f.questionIds[1],
      content_type: 'video/webm',
      size_bytes: WEBM.length,
    },
  });
  assert.ok((await sendWithGrant(pending.body, WEBM)).ok);
  const { error: rated } = await f.manager.client.from('evaluations').insert({
    response_id: take.response_id,
    score: 4,
  });
  assert.equal(rated, null);

  const reviewer = await signedInClient({ role: 'hiring_manager' });
  await joinCampaignOrganization(f.campaignId, reviewer.userId);
  await f.manager.client.from('campaign_collaborators').insert({
    campaign_id: f.campaignId,
    user_id: reviewer.userId,
    role: 'editor',
  });
  for (
    const [who, token] of [['an editor', reviewer.accessToken], ['the candidate', f.candidate.accessToken]] as const
  ) {
    const refused = await uploads(`/sessions/${f.sessionId}`, { token, method: 'DELETE' });
    assert.equal(refused.status, 404, who);
    assert.equal(refused.body.error.code, 'session_not_found');
  }

  const erased = await uploads(`/sessions/${f.sessionId}`, { token: f.manager.accessToken, method: 'DELETE' });
  assert.equal(erased.status, 200, JSON.stringify(erased.body));
  assert.deepEqual(erased.body.objects_deleted.sort(), [take.object_key, pending.body.object_key].sort());
  assert.equal(await objectExists(take.object_key), false);
  assert.equal(await objectExists(pending.body.object_key), false);

  const { data: sessions } = await f.manager.client.from('interview_sessions').select('id').eq('id', f.sessionId);
  assert.deepEqual(sessions, []);
  const { data: responses } = await f.manager.client.from('video_responses').select('id').eq('session_id', f.sessionId);
  assert.deepEqual(responses, []);
  const { data: evaluations } = await f.manager.client.from('evaluations').select('id').eq(
    'response_id',
    take.response_id,
  );
  assert.deepEqual(evaluations, []);
  const { data: log } = await f.manager.client.from('video_deletions').select(
    'object_key, reason, deleted_at, is_prefix',
  )
    .eq('session_id', f.sessionId);
  assert.equal(log?.filter((r) => !r.is_prefix && r.reason === 'erasure' && r.deleted_at).length, 2);
  assert.equal(
    log?.filter((r) => r.is_prefix && r.reason === 'erasure' && !r.deleted_at).length,
    1,
    'the folder is swept again until old grants expire',
  );
  assert.deepEqual(
    log?.filter((r) => r.reason === 'superseded').map((r) => [r.object_key, r.is_prefix, r.deleted_at]),
    [[take.upload_key, true, null]],
    'so is the upload key the verified copy replaced',
  );

  const again = await uploads(`/sessions/${f.sessionId}`, { token: f.manager.accessToken, method: 'DELETE' });
  assert.equal(again.status, 404);
});

Deno.test('an admin erases a candidate from a campaign they do not own: session, responses and videos are gone', async () => {
  const f = await createInterviewFixture();
  const take = await answer(f);
  const admin = await signedInClient({ appRole: 'admin' });

  const erased = await uploads(`/sessions/${f.sessionId}`, { token: admin.accessToken, method: 'DELETE' });
  assert.equal(erased.status, 200, JSON.stringify(erased.body));
  assert.deepEqual(erased.body.objects_deleted, [take.object_key]);
  assert.equal(await objectExists(take.object_key), false, 'the S3 server no longer holds the video');

  for (const [who, client] of [['the admin', admin.client], ['the owner', f.manager.client]] as const) {
    const { data: sessions, error } = await client.from('interview_sessions').select('id').eq('id', f.sessionId);
    assert.equal(error, null);
    assert.deepEqual(sessions, [], `${who} no longer sees the session`);
    const { data: responses } = await client.from('video_responses').select('id').eq('session_id', f.sessionId);
    assert.deepEqual(responses, [], `${who} no longer sees the responses`);
  }
  const { data: log } = await admin.client.from('video_deletions')
    .select('object_key, reason, requested_by, deleted_at, is_prefix').eq('session_id', f.sessionId);
  const objectRow = log?.find((r) => !r.is_prefix);
  assert.equal(objectRow?.object_key, take.object_key);
  assert.equal(objectRow?.reason, 'erasure');
  assert.equal(objectRow?.requested_by, admin.userId, 'the log names the admin who erased');
  assert.ok(objectRow?.deleted_at, 'the store confirmed the deletion');

  const play = await uploads(`/${take.response_id}/playback`, { token: f.manager.accessToken });
  assert.equal(play.status, 404);
  assert.equal(play.body.error.code, 'response_not_found');
  const again = await uploads(`/sessions/${f.sessionId}`, { token: admin.accessToken, method: 'DELETE' });
  assert.equal(again.status, 404);
  assert.equal(again.body.error.code, 'session_not_found');
});

Deno.test('a video uploaded with a grant signed before the erasure is swept by the next retention run', async () => {
  const f = await createInterviewFixture();
  const grant = await uploads('', {
    token: f.candidate.accessToken,
    body: {
      session_id: f.sessionId,
      question_id: f.questionIds[0],
      content_type: 'video/webm',
      size_bytes: WEBM.length,
    },
  });
  const erased = await uploads(`/sessions/${f.sessionId}`, { token: f.manager.accessToken, method: 'DELETE' });
  assert.equal(erased.status, 200);
  assert.ok((await sendWithGrant(grant.body, WEBM)).ok, 'the old grant is still valid at the S3 server');
  assert.equal(await objectExists(grant.body.object_key), true);
  assert.equal((await runRetention()).status, 200);
  assert.equal(await objectExists(grant.body.object_key), false);
});

Deno.test('an admin erases a candidate account: the user, their sessions and their videos are gone', async () => {
  const f = await createInterviewFixture();
  const take = await answer(f);
  const admin = await signedInClient({ appRole: 'admin' });

  const notAdmin = await uploads(`/users/${f.candidate.userId}`, { token: f.manager.accessToken, method: 'DELETE' });
  assert.equal(notAdmin.status, 403);
  assert.equal(notAdmin.body.error.code, 'admin_required');

  const erased = await uploads(`/users/${f.candidate.userId}`, { token: admin.accessToken, method: 'DELETE' });
  assert.equal(erased.status, 200, JSON.stringify(erased.body));
  assert.equal(await objectExists(take.object_key), false);
  const { data: sessions } = await f.manager.client.from('interview_sessions').select('id').eq(
    'campaign_id',
    f.campaignId,
  );
  assert.deepEqual(sessions, []);
  const signIn = await anonClient().auth.signInWithPassword({
    email: f.candidate.email,
    password: 'a-long-test-password-1',
  });
  assert.ok(signIn.error, 'the account no longer exists');
  const { data: log } = await admin.client.from('video_deletions').select('reason, deleted_at').eq(
    'object_key',
    take.object_key,
  );
  assert.equal(log?.[0]?.reason, 'account_erasure');
  assert.ok(log?.[0]?.deleted_at);
  assert.equal(
    (await uploads(`/users/${f.candidate.userId}`, { token: admin.accessToken, method: 'DELETE' })).status,
    404,
  );
});

Deno.test("an admin erases a hiring manager's account: their campaigns and every video in them are gone", async () => {
  const f = await createInterviewFixture();
  const take = await answer(f);
  const admin = await signedInClient({ appRole: 'admin' });
  const erased = await uploads(`/users/${f.manager.userId}`, { token: admin.accessToken, method: 'DELETE' });
  assert.equal(erased.status, 200, JSON.stringify(erased.body));
  assert.equal(await objectExists(take.object_key), false);
  const { data: campaigns } = await admin.client.from('campaigns').select('id').eq('id', f.campaignId);
  assert.deepEqual(campaigns, []);
  const self = await uploads(`/users/${admin.userId}`, { token: admin.accessToken, method: 'DELETE' });
  assert.equal(self.status, 409);
  assert.equal(self.body.error.code, 'cannot_erase_self');
});

Deno.test('a session the owner deletes directly through PostgREST leaves no video behind after the next retention run', async () => {
  const f = await createInterviewFixture();
  const take = await answer(f);
  const { data, error } = await f.manager.client.from('interview_sessions').delete().eq('id', f.sessionId).select('id');
  assert.equal(error, null);
  assert.equal(data?.length, 1);
  assert.equal(await objectExists(take.object_key), true, 'PostgREST cannot reach the store');
  const run = await runRetention();
  assert.equal(run.status, 200, JSON.stringify(run.body));
  assert.equal(await objectExists(take.object_key), false, 'the queued video went with the next run');
  const { data: log } = await f.manager.client.from('video_deletions').select('reason, requested_by, deleted_at')
    .eq('object_key', take.object_key);
  assert.equal(log?.length, 1);
  assert.equal(log?.[0].requested_by, f.manager.userId);
  assert.ok(log?.[0].deleted_at);
});
