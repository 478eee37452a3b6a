// Multipart uploads against the real S3 server: parts of exactly the planned size (signed), an interrupted upload that
// resumes from the list of stored parts, abort.
import assert from 'node:assert/strict';
import { createInterviewFixture } from './fixtures.ts';
import { download, objectExists, paddedMp4, s3ErrorCode, uploads } from './uploads-support.ts';

const MIB = 1024 * 1024;

async function multipartGrant(f: Awaited<ReturnType<typeof createInterviewFixture>>, size: number) {
  return await uploads('', {
    token: f.candidate.accessToken,
    body: {
      session_id: f.sessionId,
      question_id: f.questionIds[0],
      content_type: 'video/mp4',
      size_bytes: size,
      method: 'multipart',
    },
  });
}

async function putPart(url: string, bytes: Uint8Array<ArrayBuffer>) {
  const res = await fetch(url, { method: 'PUT', body: bytes });
  const body = await res.text();
  return { status: res.status, body, etag: res.headers.get('etag') };
}

Deno.test('a multipart upload interrupted after its first part resumes from the stored parts and completes', async () => {
  const f = await createInterviewFixture();
  const video = paddedMp4(6 * MIB + 12_345);
  const grant = await multipartGrant(f, video.length);
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  const plan = grant.body.multipart;
  assert.equal(plan.part_size_bytes, 5 * MIB, 'parts are at least 5 MiB');
  assert.equal(plan.part_count, 2);
  assert.deepEqual(plan.parts.map((p: { size_bytes: number }) => p.size_bytes), [5 * MIB, video.length - 5 * MIB]);

  const first = await putPart(plan.parts[0].url, video.slice(0, 5 * MIB));
  assert.equal(first.status, 200, first.body);
  // ... the connection drops here: part 2 never arrives.

  const early = await uploads(`/${grant.body.response_id}/complete`, {
    token: f.candidate.accessToken,
    method: 'POST',
  });
  assert.equal(early.status, 409);
  assert.equal(early.body.error.code, 'multipart_incomplete');
  assert.deepEqual(early.body.error.details.missing_parts, [2]);

  const resume = await uploads(`/${grant.body.response_id}/multipart`, { token: f.candidate.accessToken });
  assert.equal(resume.status, 200, JSON.stringify(resume.body));
  assert.deepEqual(resume.body.uploaded_parts.map((p: { part_number: number }) => p.part_number), [1]);
  assert.deepEqual(
    resume.body.parts.map((p: { part_number: number }) => p.part_number),
    [2],
    'only the missing part is asked for',
  );
  const second = await putPart(resume.body.parts[0].url, video.slice(5 * MIB));
  assert.equal(second.status, 200, second.body);

  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.size_bytes, video.length);
  assert.equal(done.body.session_status, 'completed');

  const play = await uploads(`/${grant.body.response_id}/playback`, { token: f.manager.accessToken });
  assert.equal(play.status, 200);
  assert.deepEqual(await download(play.body.url), video, 'the assembled video reads back byte for byte');

  const again = await uploads(`/${grant.body.response_id}/complete`, {
    token: f.candidate.accessToken,
    method: 'POST',
  });
  assert.equal(again.status, 200, 'complete stays idempotent after the multipart upload is closed');
});

Deno.test('asking for the same multipart recording again resumes the same upload instead of spending a take', async () => {
  const f = await createInterviewFixture({ maxTakes: 1 });
  const video = paddedMp4(5 * MIB + 1000);
  const grant = await multipartGrant(f, video.length);
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  assert.equal((await putPart(grant.body.multipart.parts[0].url, video.slice(0, 5 * MIB))).status, 200);
  const again = await multipartGrant(f, video.length);
  assert.equal(again.status, 201, JSON.stringify(again.body));
  assert.equal(again.body.reused, true);
  assert.equal(again.body.multipart.upload_id, grant.body.multipart.upload_id);
  assert.deepEqual(again.body.multipart.parts.map((p: { part_number: number }) => p.part_number), [2]);
});

Deno.test('a part of another size than planned is refused by the S3 server (its Content-Length is signed)', async () => {
  const f = await createInterviewFixture();
  const grant = await multipartGrant(f, 5 * MIB + 10);
  const short = await putPart(grant.body.multipart.parts[0].url, new Uint8Array(MIB));
  assert.equal(short.status, 403);
  assert.equal(s3ErrorCode(short.body), 'SignatureDoesNotMatch');
});

Deno.test('aborting a multipart upload fails the take and discards its parts', async () => {
  const f = await createInterviewFixture();
  const video = paddedMp4(5 * MIB + 10);
  const grant = await multipartGrant(f, video.length);
  assert.equal((await putPart(grant.body.multipart.parts[0].url, video.slice(0, 5 * MIB))).status, 200);
  const abort = await uploads(`/${grant.body.response_id}/multipart`, {
    token: f.candidate.accessToken,
    method: 'DELETE',
  });
  assert.equal(abort.status, 200, JSON.stringify(abort.body));
  assert.equal(abort.body.status, 'failed');
  const status = await uploads(`/${grant.body.response_id}/multipart`, { token: f.candidate.accessToken });
  assert.equal(status.status, 409);
  assert.equal(status.body.error.code, 'response_not_pending');
  const late = await putPart(grant.body.multipart.parts[1].url, video.slice(5 * MIB));
  assert.equal(late.status, 404, 'the S3 server no longer knows the upload');
  assert.equal(s3ErrorCode(late.body), 'NoSuchUpload');
  assert.equal(await objectExists(grant.body.object_key), false);
  const other = await uploads(`/${grant.body.response_id}/multipart`, {
    token: f.manager.accessToken,
    method: 'DELETE',
  });
  assert.equal(other.status, 404, 'only the candidate manages their upload');
});

Deno.test('a take first granted as multipart and then sent with a single PUT completes from the stored object', async () => {
  const f = await createInterviewFixture({ maxTakes: 1 });
  const video = paddedMp4(5 * MIB + 10);
  const multipart = await multipartGrant(f, video.length);
  assert.equal(multipart.status, 201, JSON.stringify(multipart.body));
  const put = await uploads('', {
    token: f.candidate.accessToken,
    body: {
      session_id: f.sessionId,
      question_id: f.questionIds[0],
      content_type: 'video/mp4',
      size_bytes: video.length,
      method: 'put',
    },
  });
  assert.equal(put.status, 201, JSON.stringify(put.body));
  assert.equal(put.body.response_id, multipart.body.response_id, 'the same take, no second one spent');
  const sent = await fetch(put.body.put.url, { method: 'PUT', body: video, headers: { 'content-type': 'video/mp4' } });
  assert.equal(sent.status, 200, await sent.text());
  const done = await uploads(`/${put.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  const late = await putPart(multipart.body.multipart.parts[0].url, video.slice(0, 5 * MIB));
  assert.equal(late.status, 404, 'the unused multipart upload was aborted');
});

Deno.test('a take granted a presigned POST has no multipart upload: resuming or aborting one is 404 multipart_upload_not_found', async () => {
  const f = await createInterviewFixture();
  const grant = await uploads('', {
    token: f.candidate.accessToken,
    body: {
      session_id: f.sessionId,
      question_id: f.questionIds[0],
      content_type: 'video/mp4',
      size_bytes: 5 * MIB + 10,
      method: 'post',
    },
  });
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  assert.equal(grant.body.multipart, undefined);

  const resume = await uploads(`/${grant.body.response_id}/multipart`, { token: f.candidate.accessToken });
  assert.equal(resume.status, 404, JSON.stringify(resume.body));
  assert.equal(resume.body.error.code, 'multipart_upload_not_found');
  const abort = await uploads(`/${grant.body.response_id}/multipart`, {
    token: f.candidate.accessToken,
    method: 'DELETE',
  });
  assert.equal(abort.status, 404, JSON.stringify(abort.body));
  assert.equal(abort.body.error.code, 'multipart_upload_not_found');
  const { data: take } = await f.candidate.client.from('video_responses').select('status')
    .eq('id', grant.body.response_id).single();
  assert.equal(take?.status, 'pending', 'the refused abort leaves the take as it was');
});

Deno.test('after a multipart upload completed, resuming it is 409 response_not_pending and a new grant 409 question_already_submitted', async () => {
  const f = await createInterviewFixture({ questions: 2 });
  const video = paddedMp4(5 * MIB + 10);
  const grant = await multipartGrant(f, video.length);
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  const [part1, part2] = grant.body.multipart.parts;
  assert.equal((await putPart(part1.url, video.slice(0, 5 * MIB))).status, 200);
  assert.equal((await putPart(part2.url, video.slice(5 * MIB))).status, 200);
  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.session_status, 'in_progress', 'one question of two answered');

  const resume = await uploads(`/${grant.body.response_id}/multipart`, { token: f.candidate.accessToken });
  assert.equal(resume.status, 409, JSON.stringify(resume.body));
  assert.equal(resume.body.error.code, 'response_not_pending');
  // The same recording asked for again is not the (uploaded) take: a new take would be spent, and is refused.
  const again = await multipartGrant(f, video.length);
  assert.equal(again.status, 409, JSON.stringify(again.body));
  assert.equal(again.body.error.code, 'question_already_submitted');
  const { data: takes } = await f.candidate.client.from('video_responses').select('id, status')
    .eq('session_id', f.sessionId);
  assert.deepEqual(takes, [{ id: grant.body.response_id, status: 'uploaded' }]);
  assert.deepEqual(
    await download(
      (await uploads(`/${grant.body.response_id}/playback`, {
        token: f.manager.accessToken,
      })).body.url,
    ),
    video,
  );
});

Deno.test('a pending take whose multipart upload the store already closed is 409 multipart_upload_closed on resume', async () => {
  const f = await createInterviewFixture();
  const video = paddedMp4(5 * MIB + 10);
  const grant = await multipartGrant(f, video.length);
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  const [part1, part2] = grant.body.multipart.parts;
  assert.equal((await putPart(part1.url, video.slice(0, 5 * MIB))).status, 200);
  assert.equal((await putPart(part2.url, video.slice(5 * MIB))).status, 200);
  // The candidate withdraws before completing: complete assembles the parts at the S3 server, then the database
  // refuses to submit a take of a session that is no longer in progress, and the take stays pending.
  const { error } = await f.candidate.client.rpc('withdraw_interview', { p_session_id: f.sessionId });
  assert.equal(error, null);
  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 409, JSON.stringify(done.body));
  assert.equal(done.body.error.code, 'session_not_in_progress');
  assert.equal(await objectExists(grant.body.object_key), true, 'the S3 server completed the multipart upload');
  const { data: take } = await f.candidate.client.from('video_responses').select('status')
    .eq('id', grant.body.response_id).single();
  assert.equal(take?.status, 'pending');

  const resume = await uploads(`/${grant.body.response_id}/multipart`, { token: f.candidate.accessToken });
  assert.equal(resume.status, 409, JSON.stringify(resume.body));
  assert.equal(resume.body.error.code, 'multipart_upload_closed');
  const late = await putPart(part2.url, video.slice(5 * MIB));
  assert.equal(late.status, 404, 'the S3 server no longer knows the upload');
  assert.equal(s3ErrorCode(late.body), 'NoSuchUpload');
});
