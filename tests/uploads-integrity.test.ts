// Recording integrity, tried as a hostile candidate would with only the public API: a grant never outlives the
// answer window, a recording that reaches the store after the window is refused and deleted, and once a take is
// verified, re-using its old grant changes nothing a reviewer plays back.
import assert from 'node:assert/strict';
import { createInterviewFixture, superuser, withoutTriggers } from './fixtures.ts';
import { download, objectExists, paddedMp4, sendWithGrant, storedKey, uploads, WEBM } from './uploads-support.ts';

type Fixture = Awaited<ReturnType<typeof createInterviewFixture>>;

function grantFor(f: Fixture, extra: Record<string, unknown> = {}) {
  return uploads('', {
    token: f.candidate.accessToken,
    body: {
      session_id: f.sessionId,
      question_id: f.questionIds[0],
      content_type: 'video/webm',
      size_bytes: WEBM.length,
      ...extra,
    },
  });
}

/** Moves the end of the first question's answer window (what only time would do). */
function closeWindowAt(f: Fixture, closesAt: string) {
  return withoutTriggers((tx) =>
    tx`update public.question_reveals set answer_closes_at = ${closesAt}::timestamptz
        where session_id = ${f.sessionId} and question_id = ${f.questionIds[0]}`
  );
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

Deno.test('a grant expires with the answer window (plus the 30 s grace), not 15 minutes later', async () => {
  const f = await createInterviewFixture();
  await closeWindowAt(f, new Date(Date.now() + 10_000).toISOString());
  for (const method of ['post', 'put', 'multipart']) {
    const grant = await grantFor(f, { method });
    assert.equal(grant.status, 201, JSON.stringify(grant.body));
    const left = Date.parse(grant.body.expires_at) - Date.now();
    assert.ok(left <= 41_000 && left > 30_000, `${method}: ${left} ms left`);
  }
  const post = await grantFor(f, { method: 'post' });
  const policy = JSON.parse(atob(post.body.post.fields.Policy));
  const policyLeft = Date.parse(policy.expiration) - Date.now();
  assert.ok(policyLeft <= 41_000, `the S3 server enforces the same expiry (${policyLeft} ms in the signed policy)`);

  await closeWindowAt(f, new Date(Date.now() - 60_000).toISOString());
  const late = await grantFor(f);
  assert.equal(late.status, 409);
  assert.equal(late.body.error.code, 'answer_window_closed');
});

Deno.test('a recording that reached the store after the answer window is refused at complete and deleted', async () => {
  const f = await createInterviewFixture();
  const grant = await grantFor(f);
  assert.ok((await sendWithGrant(grant.body, WEBM)).ok);
  // The candidate waited: the window (and its grace) closed before the bytes were stored.
  await closeWindowAt(f, new Date(Date.now() - 120_000).toISOString());
  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 409, JSON.stringify(done.body));
  assert.equal(done.body.error.code, 'upload_too_late');
  assert.ok(done.body.error.details.received_at);
  assert.equal(await objectExists(grant.body.object_key), false, 'the late video is deleted');
  const [take] = await superuser((sql) =>
    sql`select status, is_submitted from public.video_responses where id = ${grant.body.response_id}`
  );
  assert.deepEqual({ ...take }, { status: 'failed', is_submitted: false });
});

Deno.test('the database refuses a late take even from the service role (upload_too_late)', async () => {
  const f = await createInterviewFixture();
  const grant = await grantFor(f);
  await closeWindowAt(f, new Date(Date.now() - 120_000).toISOString());
  await assert.rejects(
    superuser((sql) => sql`select public.complete_response_upload(${grant.body.response_id}, ${WEBM.length}, now())`),
    /upload_too_late/,
  );
});

Deno.test('after verification, re-using the old POST grant with other bytes changes nothing a reviewer plays', async () => {
  const f = await createInterviewFixture();
  const grant = await grantFor(f, { method: 'post' });
  assert.ok((await sendWithGrant(grant.body, WEBM)).ok);
  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  const verified = await storedKey(grant.body.response_id);
  assert.notEqual(verified, grant.body.object_key, 'the verified bytes live at a key no grant names');
  assert.ok(verified.startsWith(grant.body.object_key.replace(/[^/]*$/, '')), "in the take's own folder");

  const forged = WEBM.slice();
  forged.fill(0x42, 200, 400);
  const reused = await sendWithGrant(grant.body, forged);
  assert.ok(reused.ok, 'the store still accepts the old grant until it expires');
  await reused.body?.cancel();

  const play = await uploads(`/${grant.body.response_id}/playback`, { token: f.manager.accessToken });
  assert.equal(play.status, 200);
  assert.equal(await sha256(await download(play.body.url)), await sha256(WEBM), 'the reviewer gets the verified bytes');
  const again = await uploads(`/${grant.body.response_id}/complete`, {
    token: f.candidate.accessToken,
    method: 'POST',
  });
  assert.equal(again.status, 200, 'completing again changes nothing');
  assert.equal(await storedKey(grant.body.response_id), verified);

  const [pending] = await superuser((sql) =>
    sql`select object_key, is_prefix, deleted_at from public.video_deletions
         where response_id = ${grant.body.response_id} and reason = 'superseded'`
  );
  assert.deepEqual({ ...pending }, { object_key: grant.body.object_key, is_prefix: true, deleted_at: null });
  const run = await uploads('/retention/run', { token: Deno.env.get('SUPABASE_SERVICE_ROLE_KEY'), method: 'POST' });
  assert.equal(run.status, 200);
  assert.equal(
    await objectExists(grant.body.object_key),
    false,
    'the next retention run sweeps what the old grant wrote',
  );
  assert.equal(await objectExists(verified), true);
});

Deno.test('re-signing multipart part URLs after the answer window is refused (answer_window_closed)', async () => {
  const f = await createInterviewFixture();
  const grant = await grantFor(f, { method: 'multipart' });
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  await closeWindowAt(f, new Date(Date.now() - 120_000).toISOString());
  const resume = await uploads(`/${grant.body.response_id}/multipart`, { token: f.candidate.accessToken });
  assert.equal(resume.status, 409, JSON.stringify(resume.body));
  assert.equal(resume.body.error.code, 'answer_window_closed');
});

Deno.test('a take granted before the deadline and stored inside its window is accepted after the expiry job ran', async () => {
  const f = await createInterviewFixture();
  const grant = await grantFor(f);
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  // The deadline passes while the candidate records; the expiry job runs.
  await withoutTriggers((tx) =>
    tx`update public.interview_sessions set deadline = now() - interval '1 second' where id = ${f.sessionId}`
  );
  await superuser((sql) => sql`select public.expire_overdue_sessions()`);
  assert.ok((await sendWithGrant(grant.body, WEBM)).ok);
  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.is_submitted, true);
  assert.equal(done.body.session_status, 'completed', 'its only question answered, the session completes');
});

const RECORDER_3S = await Deno.readFile(new URL('./fixtures/recorder-3s.webm', import.meta.url));
const RECORDER_20S = await Deno.readFile(new URL('./fixtures/recorder-20s.webm', import.meta.url));

Deno.test("the take's duration is read from the file (a WebM written live, without a duration header), not the client's", async () => {
  const f = await createInterviewFixture({ answerTimeSeconds: 10 });
  const grant = await grantFor(f, { size_bytes: RECORDER_3S.length, duration_seconds: 9 });
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  assert.ok((await sendWithGrant(grant.body, RECORDER_3S)).ok);
  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.ok(Math.abs(done.body.duration_seconds - 3) < 0.2, `${done.body.duration_seconds}`);
  const [take] = await superuser((sql) =>
    sql`select duration_seconds from public.video_responses where id = ${grant.body.response_id}`
  );
  assert.ok(Math.abs(Number(take.duration_seconds) - 3) < 0.2, 'the verified duration replaces the claimed 9 s');
});

Deno.test('a recording longer than the answer time (20 s for 10 s) is refused and deleted: recording_too_long', async () => {
  const f = await createInterviewFixture({ answerTimeSeconds: 10 });
  const grant = await grantFor(f, { size_bytes: RECORDER_20S.length, duration_seconds: 10 });
  assert.ok((await sendWithGrant(grant.body, RECORDER_20S)).ok);
  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 422, JSON.stringify(done.body));
  assert.equal(done.body.error.code, 'recording_too_long');
  assert.equal(done.body.error.details.answer_time_seconds, 10);
  assert.ok(done.body.error.details.duration_seconds > 19);
  assert.equal(await objectExists(grant.body.object_key), false);
});

Deno.test('bytes that are not a video, of the granted size and type, are refused and deleted: recording_unreadable', async () => {
  const f = await createInterviewFixture();
  const bytes = crypto.getRandomValues(new Uint8Array(WEBM.length));
  const grant = await grantFor(f);
  assert.ok((await sendWithGrant(grant.body, bytes)).ok);
  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 422, JSON.stringify(done.body));
  assert.equal(done.body.error.code, 'recording_unreadable');
  assert.equal(await objectExists(grant.body.object_key), false);
});

const MIB = 1024 * 1024;

async function putPart(url: string, bytes: Uint8Array<ArrayBuffer>) {
  const res = await fetch(url, { method: 'PUT', body: bytes });
  await res.body?.cancel();
  return res.status;
}

Deno.test('upload while recording: parts asked for one by one, a reload in the middle resumes from what is stored', async () => {
  const f = await createInterviewFixture();
  const recording = paddedMp4(11 * MIB); // as MediaRecorder hands it over: 5 MiB, 5 MiB, then the last 1 MiB
  const grant = await grantFor(f, { method: 'stream', content_type: 'video/mp4', size_bytes: undefined });
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  assert.equal(grant.body.size_bytes, null);
  assert.equal(grant.body.stream.min_part_size_bytes, 5 * MIB);
  const part = (n: number, size: number) =>
    uploads(`/${grant.body.response_id}/parts`, {
      token: f.candidate.accessToken,
      body: { part_number: n, size_bytes: size },
    });

  const first = await part(1, 5 * MIB);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(await putPart(first.body.url, recording.slice(0, 5 * MIB)), 200);

  // The page reloads: what is stored is asked for, and the recording goes on from there.
  const resumed = await uploads(`/${grant.body.response_id}/multipart`, { token: f.candidate.accessToken });
  assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
  assert.deepEqual(resumed.body.uploaded_parts.map((p: { part_number: number }) => p.part_number), [1]);

  const wrongSize = await part(2, 5 * MIB);
  assert.equal(await putPart(wrongSize.body.url, recording.slice(5 * MIB, 6 * MIB)), 403, 'each URL signs its length');
  const second = await part(2, 5 * MIB);
  assert.equal(await putPart(second.body.url, recording.slice(5 * MIB, 10 * MIB)), 200);
  const third = await part(3, MIB);
  assert.equal(await putPart(third.body.url, recording.slice(10 * MIB)), 200);

  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.size_bytes, 11 * MIB, 'the size is what the store holds');
  const play = await uploads(`/${grant.body.response_id}/playback`, { token: f.manager.accessToken });
  assert.equal(await sha256(await download(play.body.url)), await sha256(recording));
});

Deno.test('a retried stream request resumes its take: same response, same upload, the parts it holds', async () => {
  const f = await createInterviewFixture();
  const stream = () => grantFor(f, { method: 'stream', content_type: 'video/mp4', size_bytes: undefined });
  const first = await stream();
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.deepEqual(first.body.stream.uploaded_parts, []);
  const part = await uploads(`/${first.body.response_id}/parts`, {
    token: f.candidate.accessToken,
    body: { part_number: 1, size_bytes: 5 * MIB },
  });
  assert.equal(await putPart(part.body.url, paddedMp4(5 * MIB)), 200);

  // The response was lost (or the page reloaded): the client asks again.
  const retry = await stream();
  assert.equal(retry.status, 201, JSON.stringify(retry.body));
  assert.equal(retry.body.response_id, first.body.response_id);
  assert.equal(retry.body.take_number, 1, 'no take was spent');
  assert.equal(retry.body.reused, true);
  assert.equal(retry.body.stream.upload_id, first.body.stream.upload_id);
  assert.deepEqual(retry.body.stream.uploaded_parts.map((p: { part_number: number }) => p.part_number), [1]);

  const sized = await grantFor(f, { method: 'multipart', content_type: 'video/mp4', size_bytes: 5 * MIB });
  assert.equal(sized.status, 201, JSON.stringify(sized.body));
  assert.notEqual(sized.body.response_id, first.body.response_id, 'a sized request is another recording');
  assert.equal(sized.body.reused, false);
});

Deno.test('upload while recording keeps the size cap at every part and the answer window', async () => {
  const f = await createInterviewFixture({ maxVideoBytes: 6 * MIB });
  const grant = await grantFor(f, { method: 'stream', content_type: 'video/mp4', size_bytes: undefined });
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  const part = (n: number, size: number) =>
    uploads(`/${grant.body.response_id}/parts`, {
      token: f.candidate.accessToken,
      body: { part_number: n, size_bytes: size },
    });
  const first = await part(1, 5 * MIB);
  assert.equal(await putPart(first.body.url, paddedMp4(5 * MIB)), 200);
  const over = await part(2, 2 * MIB);
  assert.equal(over.status, 413, JSON.stringify(over.body));
  assert.equal(over.body.error.code, 'response_too_large');
  await closeWindowAt(f, new Date(Date.now() - 120_000).toISOString());
  const late = await part(2, MIB);
  assert.equal(late.status, 409);
  assert.equal(late.body.error.code, 'answer_window_closed');
});

Deno.test('a stream take needs no size, every other method does (400 validation_failed)', async () => {
  const f = await createInterviewFixture();
  const res = await grantFor(f, { method: 'put', size_bytes: undefined });
  assert.equal(res.status, 400);
  assert.equal(res.body.error.code, 'validation_failed');
});

Deno.test('during the think time no take can be granted (409 think_time_not_over), and right after it can', async () => {
  const f = await createInterviewFixture({ thinkTimeSeconds: 20 });
  const early = await grantFor(f);
  assert.equal(early.status, 409, JSON.stringify(early.body));
  assert.equal(early.body.error.code, 'think_time_not_over');
  await withoutTriggers((tx) =>
    tx`update public.question_reveals set answer_opens_at = now() - interval '1 second'
        where session_id = ${f.sessionId} and question_id = ${f.questionIds[0]}`
  );
  const onTime = await grantFor(f);
  assert.equal(onTime.status, 201, JSON.stringify(onTime.body));
});
