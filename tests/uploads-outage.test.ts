// The S3 server goes away (the test stack stops it) and comes back: no answer is lost and no deletion is forgotten.
import assert from 'node:assert/strict';
import { createInterviewFixture } from './fixtures.ts';
import { env, eventually, stackService } from './support.ts';
import { objectExists, sendWithGrant, storedKey, uploads, WEBM } from './uploads-support.ts';

async function s3Answers(): Promise<boolean> {
  try {
    await objectExists('health-probe');
    return true;
  } catch {
    return false;
  }
}

async function withS3Down(fn: () => Promise<void>): Promise<void> {
  await stackService('s3', 'pause');
  try {
    await fn();
  } finally {
    await stackService('s3', 'resume');
    await eventually(s3Answers, 20_000);
  }
}

Deno.test('while the S3 server is down, complete answers 503 and the take stays pending; afterwards it completes', async () => {
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
  assert.equal(grant.status, 201);
  assert.ok((await sendWithGrant(grant.body, WEBM)).ok);

  await withS3Down(async () => {
    const down = await uploads(`/${grant.body.response_id}/complete`, {
      token: f.candidate.accessToken,
      method: 'POST',
    });
    assert.equal(down.status, 503, JSON.stringify(down.body));
    assert.equal(down.body.error.code, 'storage_unavailable');
  });
  const { data } = await f.candidate.client.from('video_responses').select('status').eq('id', grant.body.response_id)
    .single();
  assert.equal(data?.status, 'pending', 'the take was neither failed nor lost');

  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
});

Deno.test('an erasure during a storage outage removes the rows at once and the videos at the next retention run', async () => {
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
  assert.ok((await sendWithGrant(grant.body, WEBM)).ok);
  assert.equal(
    (await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' })).status,
    200,
  );
  const key = await storedKey(grant.body.response_id);

  await withS3Down(async () => {
    const erased = await uploads(`/sessions/${f.sessionId}`, { token: f.manager.accessToken, method: 'DELETE' });
    assert.equal(erased.status, 200, JSON.stringify(erased.body));
    assert.equal(erased.body.failed, 2, 'the object and the folder could not be deleted yet');
    const run = await uploads('/retention/run', { token: env('SUPABASE_SERVICE_ROLE_KEY'), method: 'POST' });
    assert.equal(run.status, 503, 'a run that could delete nothing says so (the scheduler logs it)');
  });
  const { data: sessions } = await f.manager.client.from('interview_sessions').select('id').eq('id', f.sessionId);
  assert.deepEqual(sessions, [], 'the rows went at once');
  assert.equal(await objectExists(key), true, 'the video is still there, its deletion queued');
  const { data: queued } = await f.manager.client.from('video_deletions').select('deleted_at')
    .eq('object_key', key);
  assert.deepEqual(queued, [{ deleted_at: null }]);

  const run = await uploads('/retention/run', { token: env('SUPABASE_SERVICE_ROLE_KEY'), method: 'POST' });
  assert.equal(run.status, 200, JSON.stringify(run.body));
  assert.equal(await objectExists(key), false);
  const { data: confirmed } = await f.manager.client.from('video_deletions').select('deleted_at')
    .eq('object_key', key);
  assert.ok(confirmed?.[0]?.deleted_at, 'the deletion is confirmed once the store did it');
});
