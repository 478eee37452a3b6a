// The uploads function end to end: real WebM/MP4 bytes through presigned POST and PUT against the S3 server (which
// checks signatures and policies), verification at complete, playback, and every refusal with who refuses it.
import assert from 'node:assert/strict';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { decodeJwt } from 'jose';
import postgres from 'postgres';
import { insertPendingTake } from '../functions/uploads/service.ts';
import type { Claims } from '../shared/auth.ts';
import { createSql } from '../shared/db.ts';
import { createInterviewFixture, joinCampaignOrganization, withoutTriggers } from './fixtures.ts';
import { browserFormPost, env, eventually, signedInClient } from './support.ts';
import { download, MP4, objectExists, s3, s3ErrorCode, sendWithGrant, uploads, WEBM } from './uploads-support.ts';

const KEY = /^campaigns\/[0-9a-f-]{36}\/sessions\/[0-9a-f-]{36}\/[0-9a-f-]{36}\/\d+-[0-9a-f-]{36}\.(webm|mp4)$/;

async function grantFor(
  f: Awaited<ReturnType<typeof createInterviewFixture>>,
  extra: Record<string, unknown> = {},
  questionIndex = 0,
) {
  return await uploads('', {
    token: f.candidate.accessToken,
    body: {
      session_id: f.sessionId,
      question_id: f.questionIds[questionIndex],
      content_type: 'video/webm;codecs=vp8,opus',
      size_bytes: WEBM.length,
      duration_seconds: 1,
      ...extra,
    },
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// real bytes, each method
// ---------------------------------------------------------------------------------------------------------------------

Deno.test('a WebM sent with a presigned POST is verified, submitted, and played back byte for byte', async () => {
  const f = await createInterviewFixture();
  const grant = await grantFor(f);
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  assert.equal(grant.body.method, 'post');
  assert.match(grant.body.object_key, KEY);
  assert.ok(
    grant.body.object_key.startsWith(`campaigns/${f.campaignId}/sessions/${f.sessionId}/${f.questionIds[0]}/1-`),
  );
  const grantLeft = Date.parse(grant.body.expires_at) - Date.now();
  assert.ok(grantLeft <= 900_000 && grantLeft > 60_000, `the default grant lives 15 minutes (${grantLeft} ms left)`);
  assert.equal(grant.body.post.fields.key, grant.body.object_key);

  const sent = await sendWithGrant(grant.body, WEBM);
  assert.ok(sent.status >= 200 && sent.status < 300, `${sent.status} ${await sent.text()}`);
  await sent.body?.cancel();

  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.is_submitted, true);
  assert.equal(done.body.size_bytes, WEBM.length);
  assert.equal(done.body.session_status, 'completed', 'submitting the only question completes the session');

  for (const viewer of [f.candidate, f.manager]) {
    const play = await uploads(`/${grant.body.response_id}/playback`, { token: viewer.accessToken });
    assert.equal(play.status, 200, JSON.stringify(play.body));
    const playLeft = Date.parse(play.body.expires_at) - Date.now();
    assert.ok(playLeft <= 900_000 && playLeft > 60_000, `playback URLs live 15 minutes (${playLeft} ms left)`);
    assert.deepEqual(await download(play.body.url), WEBM);
  }
});

Deno.test('an MP4 sent with a presigned PUT (Content-Type and Content-Length signed) plays back byte for byte', async () => {
  const f = await createInterviewFixture();
  const grant = await grantFor(f, { method: 'put', content_type: 'video/mp4', size_bytes: MP4.length });
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  assert.match(grant.body.object_key, /\.mp4$/);
  assert.deepEqual(grant.body.put.headers, { 'content-type': 'video/mp4', 'content-length': String(MP4.length) });
  assert.match(grant.body.put.url, /X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost/);

  const sent = await sendWithGrant(grant.body, MP4);
  assert.equal(sent.status, 200, await sent.text());
  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  const play = await uploads(`/${grant.body.response_id}/playback`, { token: f.manager.accessToken });
  assert.equal(play.status, 200);
  assert.equal(play.body.content_type, 'video/mp4');
  assert.deepEqual(await download(play.body.url), MP4);
});

Deno.test('content types: codecs parameters are accepted and normalized to the exact string the grant pins', async () => {
  const f = await createInterviewFixture();
  const grant = await grantFor(f, { content_type: 'Video/WebM; codecs="vp9, opus"' });
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  assert.equal(grant.body.content_type, 'video/webm;codecs=vp9,opus');
  assert.equal(grant.body.post.fields['Content-Type'], 'video/webm;codecs=vp9,opus');
  const sent = await sendWithGrant(grant.body, WEBM);
  assert.ok(sent.ok, await sent.text());
  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.content_type, 'video/webm;codecs=vp9,opus');
});

// ---------------------------------------------------------------------------------------------------------------------
// complete
// ---------------------------------------------------------------------------------------------------------------------

Deno.test('complete before the video reached storage is a 409 upload_not_found; afterwards it succeeds, idempotently', async () => {
  const f = await createInterviewFixture({ questions: 2 });
  const grant = await grantFor(f);
  const early = await uploads(`/${grant.body.response_id}/complete`, {
    token: f.candidate.accessToken,
    method: 'POST',
  });
  assert.equal(early.status, 409);
  assert.equal(early.body.error.code, 'upload_not_found');

  assert.ok((await sendWithGrant(grant.body, WEBM)).ok);
  const first = await uploads(`/${grant.body.response_id}/complete`, {
    token: f.candidate.accessToken,
    method: 'POST',
  });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.session_status, 'in_progress', 'one question of two answered');
  const again = await uploads(`/${grant.body.response_id}/complete`, {
    token: f.candidate.accessToken,
    method: 'POST',
  });
  assert.equal(again.status, 200);
  assert.equal(again.body.submitted_at, first.body.submitted_at, 'the second complete changes nothing');
});

Deno.test('two concurrent completes of one take submit it exactly once', async () => {
  const f = await createInterviewFixture();
  const grant = await grantFor(f);
  assert.ok((await sendWithGrant(grant.body, WEBM)).ok);
  const complete = () =>
    uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  const [a, b] = await Promise.all([complete(), complete()]);
  assert.equal(a.status, 200, JSON.stringify(a.body));
  assert.equal(b.status, 200, JSON.stringify(b.body));
  assert.equal(a.body.submitted_at, b.body.submitted_at);

  const { data: takes } = await f.candidate.client.from('video_responses').select('is_submitted, submitted_at')
    .eq('session_id', f.sessionId);
  assert.deepEqual(takes?.map((t) => t.is_submitted), [true]);
  const { data: audit, error } = await f.manager.client.from('audit_log').select('details')
    .eq('entity_id', f.sessionId).eq('action', 'session.status_changed');
  assert.equal(error, null);
  assert.equal(audit?.filter((r) => r.details.to === 'completed').length, 1, 'the session completed once');
});

Deno.test('a complete whose check fails after a parallel complete finished the take answers as that one did', async () => {
  // Made deterministic with a row lock: this complete finds the stored video is not what was granted and goes to
  // fail the take; the lock holds it there while a parallel complete (the same SQL, as the superuser) submits the take.
  const f = await createInterviewFixture();
  const grant = await grantFor(f, { size_bytes: WEBM.length + 100 });
  assert.ok((await sendWithGrant(grant.body, WEBM)).ok);
  const id = grant.body.response_id;
  const sql = postgres(env('SUPABASE_DB_URL'), { max: 2, onnotice: () => {} });
  try {
    const parallel = await sql.reserve();
    await parallel`begin`;
    await parallel`select id from public.video_responses where id = ${id} for update`;
    const done = uploads(`/${id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
    await eventually(async () =>
      (await sql`select 1 from pg_stat_activity
                  where wait_event_type = 'Lock' and query like '%reject_response_upload%'`).length > 0
    );
    await parallel`select public.complete_response_upload(${id}, ${WEBM.length})`;
    await parallel`commit`;
    parallel.release();
    const answer = await done;
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.is_submitted, true);
    assert.equal(await objectExists(grant.body.object_key), true, "the submitted take's video is kept");
    const [logged] = await sql`select count(*)::int as n from public.video_deletions where response_id = ${id}`;
    assert.equal(logged.n, 0, 'no deletion was logged');
  } finally {
    await sql.end({ timeout: 5 });
  }
});

Deno.test('a stored video that is not what was granted is rejected at complete and deleted from storage', async () => {
  const f = await createInterviewFixture();
  // The POST policy allows 1 byte .. campaign cap, so a client can store another size than it declared.
  const grant = await grantFor(f, { size_bytes: WEBM.length + 100 });
  assert.ok((await sendWithGrant(grant.body, WEBM)).ok);
  assert.equal(await objectExists(grant.body.object_key), true);

  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 422, JSON.stringify(done.body));
  assert.equal(done.body.error.code, 'upload_mismatch');
  assert.deepEqual(done.body.error.details.actual.size_bytes, WEBM.length);
  assert.equal(await objectExists(grant.body.object_key), false, 'the S3 server no longer holds the object');

  const { data: take } = await f.candidate.client.from('video_responses').select('status').eq(
    'id',
    grant.body.response_id,
  )
    .single();
  assert.equal(take?.status, 'failed');
  const { data: log } = await f.manager.client.from('video_deletions').select('reason, deleted_at')
    .eq('response_id', grant.body.response_id);
  assert.equal(log?.length, 1);
  assert.equal(log?.[0].reason, 'verification_failed');
  assert.ok(log?.[0].deleted_at, 'the deletion is confirmed in the log');
  const again = await uploads(`/${grant.body.response_id}/complete`, {
    token: f.candidate.accessToken,
    method: 'POST',
  });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'response_failed');
});

Deno.test('a stored video of another type than granted is rejected at complete (422 upload_mismatch) and deleted', async () => {
  const f = await createInterviewFixture();
  const grant = await grantFor(f, { content_type: 'video/webm', size_bytes: WEBM.length });
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  // The signed POST pins the type, so the other type is stored with the store's own credentials, at the granted key:
  // the size is right, only the type differs.
  await s3.send(
    new PutObjectCommand({
      Bucket: env('S3_BUCKET'),
      Key: grant.body.object_key,
      Body: WEBM,
      ContentType: 'video/mp4',
    }),
  );
  assert.equal(await objectExists(grant.body.object_key), true);

  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 422, JSON.stringify(done.body));
  assert.equal(done.body.error.code, 'upload_mismatch');
  assert.deepEqual(done.body.error.details, {
    expected: { size_bytes: WEBM.length, content_type: 'video/webm' },
    actual: { size_bytes: WEBM.length, content_type: 'video/mp4' },
  });
  assert.equal(await objectExists(grant.body.object_key), false, 'the S3 server no longer holds the object');

  const { data: take } = await f.candidate.client.from('video_responses').select('status, is_submitted')
    .eq('id', grant.body.response_id).single();
  assert.deepEqual(take, { status: 'failed', is_submitted: false });
  const { data: log } = await f.manager.client.from('video_deletions').select('object_key, reason, deleted_at')
    .eq('response_id', grant.body.response_id);
  assert.equal(log?.length, 1);
  assert.equal(log?.[0].object_key, grant.body.object_key);
  assert.equal(log?.[0].reason, 'verification_failed');
  assert.ok(log?.[0].deleted_at, 'the deletion is confirmed in the log');
  const play = await uploads(`/${grant.body.response_id}/playback`, { token: f.manager.accessToken });
  assert.equal(play.status, 409, 'a rejected take has nothing to play');
  assert.equal(play.body.error.code, 'response_not_uploaded');
});

Deno.test('a retried request for the same recording gets the same pending take, not a new one', async () => {
  const f = await createInterviewFixture({ maxTakes: 1 });
  const first = await grantFor(f);
  const retry = await grantFor(f);
  assert.equal(retry.status, 201, JSON.stringify(retry.body));
  assert.equal(retry.body.response_id, first.body.response_id);
  assert.equal(retry.body.reused, true);
  assert.equal(first.body.reused, false);
  // The retry is answered by the one-query reuse path, the first request by the insert: both describe the same take.
  const described = (g: typeof first.body) => [g.object_key, g.take_number, g.max_takes, g.max_video_bytes];
  assert.deepEqual(described(retry.body), described(first.body));
  assert.ok(Math.abs(Date.parse(retry.body.expires_at) - Date.parse(first.body.expires_at)) < 60_000);
});

Deno.test('an upload request leaves its pooled connection with its own role and no claims, granted or refused', async () => {
  const f = await createInterviewFixture({ questions: 2 });
  const db = createSql({ dbUrl: env('SUPABASE_DB_URL'), dbPoolMax: 1 });
  try {
    const state = async () => {
      const [row] =
        await db`select current_user as role, coalesce(current_setting('request.jwt.claims', true), '') as c`;
      return { ...row };
    };
    const claims = decodeJwt(f.candidate.accessToken) as Claims;
    const take = { sessionId: f.sessionId, contentType: 'video/webm', size: 1000, duration: null };
    const granted = await insertPendingTake(db, claims, { ...take, questionId: f.questionIds[0] });
    assert.equal(granted.take_number, 1);
    assert.deepEqual(await state(), { role: 'postgres', c: '' });
    await assert.rejects(insertPendingTake(db, claims, { ...take, questionId: f.questionIds[1] }), {
      code: 'question_not_revealed',
    });
    assert.deepEqual(await state(), { role: 'postgres', c: '' });
  } finally {
    await db.end({ timeout: 5 });
  }
});

// ---------------------------------------------------------------------------------------------------------------------
// refusals, and who refuses
// ---------------------------------------------------------------------------------------------------------------------

Deno.test('too big: the function refuses a declared size over the cap; the S3 server refuses a larger POST body or PUT body', async () => {
  const f = await createInterviewFixture({ maxVideoBytes: 10_000, maxTakes: 5 });
  const declared = await grantFor(f, { size_bytes: 10_001 });
  assert.equal(declared.status, 413, 'refused by the function');
  assert.equal(declared.body.error.code, 'response_too_large');

  const post = await grantFor(f, { size_bytes: 9_000 });
  assert.equal(post.status, 201);
  const tooBig = await browserFormPost(
    post.body.post.url,
    post.body.post.fields,
    new Uint8Array(10_001),
    post.body.content_type,
  );
  const tooBigBody = await tooBig.text();
  assert.equal(tooBig.status, 400, 'refused by the S3 server (content-length-range)');
  assert.equal(s3ErrorCode(tooBigBody), 'EntityTooLarge');

  const put = await grantFor(f, { method: 'put', size_bytes: WEBM.length });
  const longer = await fetch(put.body.put.url, {
    method: 'PUT',
    body: new Uint8Array(WEBM.length + 1),
    headers: { 'content-type': put.body.content_type },
  });
  assert.equal(longer.status, 403, 'refused by the S3 server (Content-Length is signed)');
  assert.equal(s3ErrorCode(await longer.text()), 'SignatureDoesNotMatch');
  assert.equal(await objectExists(put.body.object_key), false);
});

Deno.test('wrong type: the function refuses types off the allow-list; the S3 server refuses another type than granted', async () => {
  const f = await createInterviewFixture({ maxTakes: 5 });
  for (const type of ['video/quicktime', 'text/html', 'application/octet-stream']) {
    const refused = await grantFor(f, { content_type: type });
    assert.equal(refused.status, 415, `${type}: refused by the function`);
    assert.equal(refused.body.error.code, 'unsupported_content_type');
  }
  const badParam = await grantFor(f, { content_type: 'video/webm;charset=utf-8' });
  assert.equal(badParam.status, 400);
  assert.equal(badParam.body.error.code, 'invalid_content_type');

  const post = await grantFor(f);
  const asHtml = await browserFormPost(
    post.body.post.url,
    { ...post.body.post.fields, 'Content-Type': 'text/html' },
    WEBM,
    'text/html',
  );
  assert.equal(asHtml.status, 403, 'refused by the S3 server (policy pins Content-Type)');
  assert.equal(s3ErrorCode(await asHtml.text()), 'AccessDenied');

  const put = await grantFor(f, { method: 'put', size_bytes: WEBM.length + 1 });
  const putHtml = await fetch(put.body.put.url, {
    method: 'PUT',
    body: new Uint8Array(WEBM.length + 1),
    headers: { 'content-type': 'text/html' },
  });
  assert.equal(putHtml.status, 403, 'refused by the S3 server (Content-Type is signed)');
  assert.equal(s3ErrorCode(await putHtml.text()), 'SignatureDoesNotMatch');
});

Deno.test('expired URL: a 1-second grant is refused by the S3 server once it has expired', async () => {
  const f = await createInterviewFixture({ maxTakes: 5 });
  const post = await grantFor(f, { expires_in_seconds: 1 });
  const put = await grantFor(f, { expires_in_seconds: 1, method: 'put', size_bytes: WEBM.length + 1 });
  assert.equal(post.status, 201);
  assert.equal(put.status, 201);
  await new Promise((r) => setTimeout(r, 2_500));
  const latePost = await sendWithGrant(post.body, WEBM);
  assert.equal(latePost.status, 403, 'POST refused by the S3 server');
  assert.equal(s3ErrorCode(await latePost.text()), 'AccessDenied');
  const latePut = await sendWithGrant(put.body, new Uint8Array(WEBM.length + 1));
  assert.equal(latePut.status, 403, 'PUT refused by the S3 server');
  assert.equal(s3ErrorCode(await latePut.text()), 'AccessDenied');
  assert.equal(await objectExists(post.body.object_key), false);
});

Deno.test('tampered signature: the S3 server refuses the POST and the PUT', async () => {
  const f = await createInterviewFixture({ maxTakes: 5 });
  const flip = (s: string) => (s[0] === 'a' ? 'b' : 'a') + s.slice(1);
  const post = await grantFor(f);
  const badPost = await browserFormPost(
    post.body.post.url,
    { ...post.body.post.fields, 'X-Amz-Signature': flip(post.body.post.fields['X-Amz-Signature']) },
    WEBM,
    post.body.content_type,
  );
  assert.equal(badPost.status, 403);
  assert.equal(s3ErrorCode(await badPost.text()), 'SignatureDoesNotMatch');

  const put = await grantFor(f, { method: 'put', size_bytes: WEBM.length + 1 });
  const url = new URL(put.body.put.url);
  url.searchParams.set('X-Amz-Signature', flip(url.searchParams.get('X-Amz-Signature')!));
  const badPut = await fetch(url, {
    method: 'PUT',
    body: new Uint8Array(WEBM.length + 1),
    headers: { 'content-type': put.body.content_type },
  });
  assert.equal(badPut.status, 403);
  assert.equal(s3ErrorCode(await badPut.text()), 'SignatureDoesNotMatch');
  assert.equal(await objectExists(post.body.object_key), false);
});

Deno.test('a key outside the grant: the S3 server refuses it for POST and PUT', async () => {
  const f = await createInterviewFixture({ maxTakes: 5 });
  const post = await grantFor(f);
  const otherKey = post.body.object_key.replace(/[^/]+$/, 'someone-else.webm');
  const movedPost = await browserFormPost(
    post.body.post.url,
    { ...post.body.post.fields, key: otherKey },
    WEBM,
    post.body.content_type,
  );
  assert.equal(movedPost.status, 403, 'POST: the policy pins the key');
  assert.equal(s3ErrorCode(await movedPost.text()), 'AccessDenied');

  const put = await grantFor(f, { method: 'put', size_bytes: WEBM.length + 1 });
  const url = new URL(put.body.put.url);
  url.pathname = url.pathname.replace(/[^/]+$/, 'someone-else.webm');
  const movedPut = await fetch(url, {
    method: 'PUT',
    body: new Uint8Array(WEBM.length + 1),
    headers: { 'content-type': put.body.content_type },
  });
  assert.equal(movedPut.status, 403, 'PUT: the key is part of the signature');
  assert.equal(s3ErrorCode(await movedPut.text()), 'SignatureDoesNotMatch');
  assert.equal(await objectExists(otherKey), false);
});

Deno.test("another candidate's session: the function answers 404 session_not_found", async () => {
  const f = await createInterviewFixture();
  const other = await f.addCandidate();
  const answer = await uploads('', {
    token: other.candidate.accessToken,
    body: { session_id: f.sessionId, question_id: f.questionIds[0], content_type: 'video/webm', size_bytes: 100 },
  });
  assert.equal(answer.status, 404);
  assert.equal(answer.body.error.code, 'session_not_found');
  const manager = await uploads('', {
    token: f.manager.accessToken,
    body: { session_id: f.sessionId, question_id: f.questionIds[0], content_type: 'video/webm', size_bytes: 100 },
  });
  assert.equal(manager.status, 404, 'not even the campaign owner records takes');
});

Deno.test('a question not revealed yet: the function answers 409 question_not_revealed', async () => {
  const f = await createInterviewFixture({ questions: 2 });
  const answer = await grantFor(f, {}, 1);
  assert.equal(answer.status, 409);
  assert.equal(answer.body.error.code, 'question_not_revealed');
});

Deno.test('after the deadline: the function answers 409 session_deadline_passed', async () => {
  const f = await createInterviewFixture();
  await withoutTriggers((tx) =>
    tx`update public.interview_sessions set deadline = now() - interval '1 second' where id = ${f.sessionId}`
  );
  const answer = await grantFor(f);
  assert.equal(answer.status, 409);
  assert.equal(answer.body.error.code, 'session_deadline_passed');
});

Deno.test('beyond max_takes: the function answers 409 max_takes_reached', async () => {
  const f = await createInterviewFixture({ maxTakes: 2 });
  assert.equal((await grantFor(f, { size_bytes: 1000 })).status, 201);
  assert.equal((await grantFor(f, { size_bytes: 2000 })).status, 201);
  const third = await grantFor(f, { size_bytes: 3000 });
  assert.equal(third.status, 409);
  assert.equal(third.body.error.code, 'max_takes_reached');
});

Deno.test('a legacy filename only has to end in the extension of its type, and never reaches the key', async () => {
  const f = await createInterviewFixture({ maxTakes: 5 });
  const mismatch = await grantFor(f, { filename: 'answer.mp4' });
  assert.equal(mismatch.status, 400);
  assert.equal(mismatch.body.error.code, 'filename_extension_not_allowed');
  const exe = await grantFor(f, { filename: 'answer.exe' });
  assert.equal(exe.status, 400);
  const hostile = await grantFor(f, { filename: '../../other-campaign/evil name.WEBM' });
  assert.equal(hostile.status, 201, JSON.stringify(hostile.body));
  assert.match(hostile.body.object_key, KEY);
  assert.doesNotMatch(hostile.body.object_key, /evil|other-campaign|\.\./);
});

Deno.test('requests without a user token, or with a malformed body, are refused before anything is recorded', async () => {
  const f = await createInterviewFixture();
  const anonymous = await uploads('', {
    body: { session_id: f.sessionId, question_id: f.questionIds[0], content_type: 'video/webm', size_bytes: 1 },
  });
  assert.equal(anonymous.status, 401);
  const anonKey = await uploads('', {
    token: env('SUPABASE_ANON_KEY'),
    body: { session_id: f.sessionId, question_id: f.questionIds[0], content_type: 'video/webm', size_bytes: 1 },
  });
  assert.equal(anonKey.status, 401);
  const invalid = await uploads('', { token: f.candidate.accessToken, body: { session_id: 'nope', size_bytes: -1 } });
  assert.equal(invalid.status, 400);
  assert.equal(invalid.body.error.code, 'validation_failed');
  const tooLong = await grantFor(f, { expires_in_seconds: 3600 });
  assert.equal(tooLong.status, 400, 'no grant lives longer than 15 minutes');
  const { data } = await f.candidate.client.from('video_responses').select('id').eq('session_id', f.sessionId);
  assert.deepEqual(data, []);
});

// ---------------------------------------------------------------------------------------------------------------------
// playback
// ---------------------------------------------------------------------------------------------------------------------

Deno.test('playback: the owner, collaborators and the candidate get the video; anyone else gets 404', async () => {
  const f = await createInterviewFixture();
  const reviewer = await signedInClient({ role: 'hiring_manager' });
  await joinCampaignOrganization(f.campaignId, reviewer.userId);
  const { error } = await f.manager.client.from('campaign_collaborators')
    .insert({ campaign_id: f.campaignId, user_id: reviewer.userId, role: 'reviewer' });
  assert.equal(error, null);
  const other = await f.addCandidate();
  const stranger = await signedInClient({ role: 'hiring_manager' });

  const grant = await grantFor(f);
  const pendingPlay = await uploads(`/${grant.body.response_id}/playback`, { token: f.manager.accessToken });
  assert.equal(pendingPlay.status, 409, 'nothing to play before the upload is complete');
  assert.equal(pendingPlay.body.error.code, 'response_not_uploaded');
  assert.ok((await sendWithGrant(grant.body, WEBM)).ok);
  assert.equal(
    (await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' })).status,
    200,
  );

  for (const [who, user] of [['owner', f.manager], ['reviewer', reviewer], ['candidate', f.candidate]] as const) {
    const play = await uploads(`/${grant.body.response_id}/playback`, { token: user.accessToken });
    assert.equal(play.status, 200, `${who}: ${JSON.stringify(play.body)}`);
  }
  for (const [who, user] of [['another candidate', other.candidate], ['another hiring manager', stranger]] as const) {
    const play = await uploads(`/${grant.body.response_id}/playback`, { token: user.accessToken });
    assert.equal(play.status, 404, who);
    assert.equal(play.body.error.code, 'response_not_found');
  }
  const unknown = await uploads(`/${crypto.randomUUID()}/playback`, { token: f.manager.accessToken });
  assert.equal(unknown.status, 404, 'an unknown id looks the same as a forbidden one');
  assert.equal((await uploads(`/${grant.body.response_id}/playback`, {})).status, 401);
  const notMine = await uploads(`/${grant.body.response_id}/complete`, {
    token: f.manager.accessToken,
    method: 'POST',
  });
  assert.equal(notMine.status, 404, 'only the candidate completes their own take');
});

Deno.test('playback: an editor collaborator and an admin get a signed URL that reads the video back', async () => {
  const f = await createInterviewFixture();
  const [editor, admin] = await Promise.all([
    signedInClient({ role: 'hiring_manager' }),
    signedInClient({ appRole: 'admin' }),
  ]);
  await joinCampaignOrganization(f.campaignId, editor.userId);
  const { error } = await f.manager.client.from('campaign_collaborators')
    .insert({ campaign_id: f.campaignId, user_id: editor.userId, role: 'editor' });
  assert.equal(error, null);

  const grant = await grantFor(f);
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  assert.ok((await sendWithGrant(grant.body, WEBM)).ok);
  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 200, JSON.stringify(done.body));

  for (const [who, user] of [['editor', editor], ['admin', admin]] as const) {
    const play = await uploads(`/${grant.body.response_id}/playback`, { token: user.accessToken });
    assert.equal(play.status, 200, `${who}: ${JSON.stringify(play.body)}`);
    assert.equal(play.body.response_id, grant.body.response_id);
    assert.equal(play.body.content_type, 'video/webm;codecs=vp8,opus');
    assert.equal(play.body.size_bytes, WEBM.length);
    assert.deepEqual(await download(play.body.url), WEBM, `${who}: the signed URL reads the video back`);
  }
});

Deno.test('the OpenAPI document of the function lists every route', async () => {
  const res = await fetch(`${env('SUPABASE_URL')}/functions/v1/uploads/openapi.json`);
  assert.equal(res.status, 200);
  const doc = await res.json();
  for (
    const path of [
      '/uploads',
      '/uploads/{response_id}/complete',
      '/uploads/{response_id}/playback',
      '/uploads/{response_id}/multipart',
      '/uploads/sessions/{session_id}',
      '/uploads/users/{user_id}',
      '/uploads/retention/run',
    ]
  ) {
    assert.ok(doc.paths[path], `${path} is documented (has: ${Object.keys(doc.paths).join(', ')})`);
  }
  assert.ok(doc.components.schemas.UploadRequest);
});

Deno.test('two identical upload requests at the same moment share one take', async () => {
  const f = await createInterviewFixture({ maxTakes: 3 });
  const [a, b] = await Promise.all([grantFor(f), grantFor(f)]);
  assert.equal(a.status, 201, JSON.stringify(a.body));
  assert.equal(b.status, 201, JSON.stringify(b.body));
  assert.equal(a.body.response_id, b.body.response_id);
  assert.deepEqual([a.body.reused, b.body.reused].sort(), [false, true]);
});
