// What the uploads routes do, with plain inputs and outputs: grant an upload, verify and complete it, hand out
// playback, carry out deletions (retention, erasure). The database decides who may record what (RLS and the triggers
// of the interviews migration); this module signs, and checks the store against what was granted.
import type { Claims } from '../../shared/auth.ts';
import { asService, asUser, claimsStatement, type Sql, sqlLiteral } from '../../shared/db.ts';
import {
  AppError,
  badRequest,
  conflict,
  fromPostgresError,
  isPostgresError,
  notFound,
  unavailable,
} from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import { ALLOWED_BASE_TYPES, filenameMatches, normalizeContentType } from './content-types.ts';
import { recordingDuration } from './duration.ts';
import {
  abortMultipart,
  completeMultipart,
  copyVerified,
  createMultipart,
  deleteObject,
  deletePrefix,
  headObject,
  listParts,
  MAX_GRANT_SECONDS,
  MAX_PARTS,
  MIN_PART_SIZE,
  partLength,
  type PartPlan,
  planParts,
  readRange,
  signGet,
  signPart,
  signPost,
  signPut,
  type Store,
  type UploadedPart,
} from './storage.ts';

export interface Deps {
  sql: Sql;
  store: Store;
  log: Logger;
}

export type UploadMethod = 'post' | 'put' | 'multipart' | 'stream';

export interface UploadRequest {
  session_id: string;
  question_id: string;
  content_type: string;
  /** Required except for `stream`, whose size is known only at complete. */
  size_bytes?: number;
  duration_seconds?: number;
  method: UploadMethod;
  filename?: string;
  /** Shorter grants than the 15-minute maximum, if the client wants them. */
  expires_in_seconds?: number;
}

export interface PartGrant {
  part_number: number;
  size_bytes: number;
  url: string;
}

export interface MultipartGrant {
  upload_id: string;
  part_size_bytes: number;
  part_count: number;
  uploaded_parts: Array<{ part_number: number; size_bytes: number; etag: string }>;
  /** Signed PUTs for the parts not uploaded yet (Content-Length signed). */
  parts: PartGrant[];
}

export interface UploadGrant {
  response_id: string;
  object_key: string;
  take_number: number;
  max_takes: number;
  /** True when this repeats a pending take of the same recording instead of spending a new take. */
  reused: boolean;
  method: UploadMethod;
  content_type: string;
  size_bytes: number | null;
  max_video_bytes: number;
  expires_at: string;
  post?: { url: string; fields: Record<string, string> };
  put?: { url: string; headers: Record<string, string> };
  multipart?: MultipartGrant;
  stream?: StreamGrant;
}

/** Upload while recording: ask `POST /uploads/{response_id}/parts` for each part as the recorder produces it. */
export interface StreamGrant {
  upload_id: string;
  /** Every part but the last must be at least this long (S3's rule). */
  min_part_size_bytes: number;
  max_parts: number;
  /** The parts already stored: empty for a new take, what a retried request resumes from otherwise. */
  uploaded_parts: MultipartGrant['uploaded_parts'];
}

interface PendingTake {
  response_id: string;
  campaign_id: string;
  object_key: string;
  take_number: number;
  max_takes: number;
  max_video_bytes: string | number;
  reused: boolean;
  /** The end of the answer window plus the grace: no grant outlives it. */
  window_closes_at: Date;
}

/**
 * A grant's lifetime: what was asked (at most MAX_GRANT_SECONDS), and never past the answer window's close plus
 * grace, so that a URL signed at the start of a short answer cannot carry a recording made after it. 0 once closed.
 */
export function grantSeconds(requested: number, windowClosesAt: Date, now = Date.now()): number {
  const left = Math.floor((windowClosesAt.getTime() - now) / 1000);
  return Math.max(0, Math.min(requested, MAX_GRANT_SECONDS, left));
}

/** The key of a take's verified copy: beside the upload key, a name no grant is ever signed for. */
export function verifiedKey(objectKey: string): string {
  return objectKey.replace(/(\.[a-z0-9]+)?$/, '.verified$1');
}

/** The refusals of the recording rules, as the candidate's client should see them. */
function fromRecordingError(error: unknown): unknown {
  if (!isPostgresError(error)) return error;
  // RLS (or the trigger's own check) refusing a take in someone else's session: 404, so session ids do not leak.
  if (error.code === '42501' || error.code === '23503') {
    return notFound('session_not_found', 'No such interview session of yours');
  }
  if (error.message === 'response_too_large') {
    const message = error.detail ?? 'The video is larger than this campaign allows';
    return new AppError(413, 'response_too_large', message, undefined, { cause: error });
  }
  return fromPostgresError(error);
}

/**
 * Inserts (or reuses) the pending take as the caller and returns what signing needs, in ONE round trip: the claims
 * and the call travel as one simple-protocol message, which Postgres runs as one implicit transaction (the
 * transaction-local role and claims end with it; an error rolls everything back).
 */
export async function insertPendingTake(
  sql: Sql,
  claims: Claims,
  take: { sessionId: string; questionId: string; contentType: string; size: number | null; duration: number | null },
): Promise<PendingTake> {
  // Every value is validated by the route schema (uuids, integers) and then quoted: no parameter protocol needed.
  const call = `select * from private.request_upload_grant(${sqlLiteral(take.sessionId)}::uuid, ` +
    `${sqlLiteral(take.questionId)}::uuid, ${sqlLiteral(take.contentType)}, ${
      take.size === null ? 'null' : Math.trunc(take.size)
    }::bigint, ` +
    `${take.duration === null ? 'null' : sqlLiteral(String(take.duration))}::numeric)`;
  let results: unknown;
  try {
    results = await sql.unsafe(`${claimsStatement(claims)};\n${call}`);
  } catch (error) {
    throw fromRecordingError(error);
  }
  // Several statements: postgres.js answers with one result per statement, the call's last.
  const [row] = (results as unknown[][]).at(-1) as unknown as PendingTake[];
  if (!row?.window_closes_at) throw new Error('request_upload_grant returned no take or no answer window');
  return { ...row, window_closes_at: new Date(row.window_closes_at) };
}

export async function requestUpload(deps: Deps, claims: Claims, input: UploadRequest): Promise<UploadGrant> {
  const parsed = normalizeContentType(input.content_type);
  if (!parsed.ok) {
    throw parsed.reason === 'not_allowed'
      ? new AppError(415, 'unsupported_content_type', `Videos must be one of: ${ALLOWED_BASE_TYPES.join(', ')}`, {
        allowed: ALLOWED_BASE_TYPES,
      })
      : badRequest('invalid_content_type', 'Only a `codecs` parameter is accepted (e.g. video/webm;codecs=vp8,opus)');
  }
  if (input.filename !== undefined && !filenameMatches(input.filename, parsed.format)) {
    throw badRequest(
      'filename_extension_not_allowed',
      `The file name must end in .${parsed.format.extension} for ${parsed.format.base}`,
    );
  }
  const take = await insertPendingTake(deps.sql, claims, {
    sessionId: input.session_id,
    questionId: input.question_id,
    contentType: parsed.contentType,
    size: input.size_bytes ?? null,
    duration: input.duration_seconds ?? null,
  });
  const expiresIn = grantSeconds(input.expires_in_seconds ?? MAX_GRANT_SECONDS, take.window_closes_at);
  if (expiresIn < 1) throw conflict('answer_window_closed', 'The answer time for this question is over');
  const grant: UploadGrant = {
    response_id: take.response_id,
    object_key: take.object_key,
    take_number: take.take_number,
    max_takes: take.max_takes,
    reused: take.reused,
    method: input.method,
    content_type: parsed.contentType,
    size_bytes: input.size_bytes ?? null,
    max_video_bytes: Number(take.max_video_bytes),
    expires_at: new Date(Date.now() + expiresIn * 1000).toISOString(),
  };
  if (input.method === 'post') {
    grant.post = await signPost(deps.store, {
      key: take.object_key,
      contentType: parsed.contentType,
      maxBytes: Number(take.max_video_bytes),
      expiresIn,
    });
  } else if (input.method === 'put') {
    grant.put = await signPut(deps.store, {
      key: take.object_key,
      contentType: parsed.contentType,
      size: input.size_bytes!,
      expiresIn,
    });
  } else if (input.method === 'stream') {
    grant.stream = await startStream(deps, take, parsed.contentType);
  } else {
    grant.multipart = await startOrResumeMultipart(deps, take, parsed.contentType, input.size_bytes!, expiresIn);
  }
  return grant;
}

interface MultipartRow {
  upload_id: string;
  part_size: string | number;
  part_count: number;
  is_streaming: boolean;
}

async function multipartRow(sql: Sql, responseId: string): Promise<MultipartRow | null> {
  // Service role: the upload id table is closed to clients (an upload id names an S3 upload of one key).
  const rows = await asService(
    (tx) =>
      tx<MultipartRow[]>`select upload_id, part_size, part_count, is_streaming from private.multipart_uploads
                          where response_id = ${responseId}`,
    sql,
  );
  return rows[0] ?? null;
}

/** Nothing was granted: gives a new take back rather than let a store outage cost the candidate one. */
async function releaseNewTake(deps: Deps, take: PendingTake): Promise<void> {
  if (take.reused) return;
  await asService(
    (tx) => tx`delete from public.video_responses where id = ${take.response_id} and status = 'pending'`,
    deps.sql,
  ).catch((e) => deps.log.error('could not release a take after a store failure', { error: e }));
}

async function startOrResumeMultipart(
  deps: Deps,
  take: PendingTake,
  contentType: string,
  size: number,
  expiresIn: number,
): Promise<MultipartGrant> {
  const plan = planParts(size);
  const row = await resumeUpload(deps, take) ??
    await startUpload(deps, take, contentType, {
      part_size: plan.partSize,
      part_count: plan.partCount,
      is_streaming: false,
    });
  return await multipartState(deps, take.object_key, size, row, expiresIn, row.fresh ? [] : undefined);
}

/** Creates the multipart upload of a take recorded and uploaded at once; a store failure gives the take back. */
async function startStream(deps: Deps, take: PendingTake, contentType: string): Promise<StreamGrant> {
  const row = await resumeUpload(deps, take) ??
    await startUpload(deps, take, contentType, { part_size: MIN_PART_SIZE, part_count: 0, is_streaming: true });
  return {
    upload_id: row.upload_id,
    min_part_size_bytes: MIN_PART_SIZE,
    max_parts: MAX_PARTS,
    uploaded_parts: row.fresh ? [] : (await streamState(deps, take.object_key, row)).uploaded_parts,
  };
}

/** A retried request (a lost response, a reload) resumes the take's upload with what it already holds. */
async function resumeUpload(deps: Deps, take: PendingTake): Promise<(MultipartRow & { fresh: false }) | null> {
  const existing = take.reused ? await multipartRow(deps.sql, take.response_id) : null;
  return existing && { ...existing, fresh: false };
}

/**
 * Creates a take's multipart upload in the store and records it. A store failure gives a new take back. When a
 * retry running beside this request recorded the take's upload first, that one is kept and this one aborted.
 */
async function startUpload(
  deps: Deps,
  take: PendingTake,
  contentType: string,
  plan: Omit<MultipartRow, 'upload_id'>,
): Promise<MultipartRow & { fresh: boolean }> {
  let uploadId: string;
  try {
    uploadId = await createMultipart(deps.store, take.object_key, contentType);
  } catch (error) {
    await releaseNewTake(deps, take);
    throw error;
  }
  // Service role: see multipartRow.
  const kept = await asService(
    (tx) =>
      tx`insert into private.multipart_uploads (response_id, upload_id, part_size, part_count, is_streaming)
         values (${take.response_id}, ${uploadId}, ${plan.part_size}, ${plan.part_count}, ${plan.is_streaming})
         on conflict (response_id) do nothing
         returning upload_id`,
    deps.sql,
  );
  if (kept.length > 0) return { ...plan, upload_id: uploadId, fresh: true };
  await abortMultipart(deps.store, take.object_key, uploadId)
    .catch((e) => deps.log.error('could not abort a duplicate multipart upload', { error: e }));
  const winner = await multipartRow(deps.sql, take.response_id);
  if (!winner) throw new Error("the take's multipart upload conflicted, then was gone");
  return { ...winner, fresh: false };
}

export interface StreamPart extends PartGrant {
  expires_at: string;
}

/**
 * Candidate, while recording: a signed URL for one part of exactly `size` bytes. Refused once the answer window has
 * closed, and when the parts stored so far plus this one would pass the campaign's size cap.
 */
export async function streamPart(
  deps: Deps,
  claims: Claims,
  responseId: string,
  part: { part_number: number; size_bytes: number },
): Promise<StreamPart> {
  const take = await ownTake(deps.sql, claims, responseId);
  if (take.status !== 'pending') throw conflict('response_not_pending', `This take is ${take.status}`);
  const row = await multipartRow(deps.sql, responseId);
  if (!row?.is_streaming) {
    throw notFound('stream_upload_not_found', 'This take was not granted an upload while recording');
  }
  const expiresIn = grantSeconds(MAX_GRANT_SECONDS, new Date(take.window_closes_at));
  if (expiresIn < 1) throw conflict('answer_window_closed', 'The answer time for this question is over');
  const stored = await listParts(deps.store, take.object_key, row.upload_id);
  if (stored === null) throw conflict('multipart_upload_closed', 'This upload was already completed or aborted');
  const others = stored.filter((p) => p.partNumber !== part.part_number).reduce((sum, p) => sum + p.size, 0);
  if (others + part.size_bytes > Number(take.max_video_bytes)) {
    throw new AppError(413, 'response_too_large', 'The recording would be larger than this campaign allows', {
      max_video_bytes: Number(take.max_video_bytes),
      stored_bytes: others,
    });
  }
  return {
    part_number: part.part_number,
    size_bytes: part.size_bytes,
    url: await signPart(deps.store, {
      key: take.object_key,
      uploadId: row.upload_id,
      partNumber: part.part_number,
      length: part.size_bytes,
      expiresIn,
    }),
    expires_at: new Date(Date.now() + expiresIn * 1000).toISOString(),
  };
}

/** Completes a take uploaded while recording: parts 1..n with nothing missing, all but the last at least 5 MiB. */
async function finishStream(deps: Deps, take: OwnTake, row: MultipartRow): Promise<void> {
  const parts = await listParts(deps.store, take.object_key, row.upload_id);
  if (parts === null) return; // completed by an earlier call: the HEAD after decides
  parts.sort((a, b) => a.partNumber - b.partNumber);
  const missing: number[] = [];
  const last = parts.at(-1)?.partNumber ?? 0;
  for (let n = 1; n <= last; n++) if (!parts.some((p) => p.partNumber === n)) missing.push(n);
  if (parts.length === 0 || missing.length > 0) {
    throw conflict('multipart_incomplete', 'Some parts are missing: upload them, then complete', {
      missing_parts: missing,
    });
  }
  const short = parts.slice(0, -1).filter((p) => p.size < MIN_PART_SIZE).map((p) => p.partNumber);
  if (short.length > 0) {
    throw conflict('part_too_small', `Every part but the last must be at least ${MIN_PART_SIZE} bytes`, {
      parts: short,
    });
  }
  const total = parts.reduce((sum, p) => sum + p.size, 0);
  if (total > Number(take.max_video_bytes)) {
    throw new AppError(413, 'response_too_large', 'The recording is larger than this campaign allows');
  }
  await completeMultipart(deps.store, take.object_key, row.upload_id, parts);
}

async function multipartState(
  deps: Deps,
  key: string,
  size: number,
  row: MultipartRow,
  expiresIn: number,
  known?: UploadedPart[],
): Promise<MultipartGrant> {
  const plan: PartPlan = { partSize: Number(row.part_size), partCount: row.part_count };
  const uploaded = known ?? await listParts(deps.store, key, row.upload_id);
  if (uploaded === null) {
    throw conflict('multipart_upload_closed', 'This multipart upload was already completed or aborted');
  }
  // A part counts as done only with its planned size (a short part is uploaded again).
  const done = new Set(
    uploaded.filter((p) => p.size === partLength(size, plan, p.partNumber)).map((p) => p.partNumber),
  );
  const parts: PartGrant[] = [];
  for (let n = 1; n <= plan.partCount; n++) {
    if (done.has(n)) continue;
    const length = partLength(size, plan, n);
    parts.push({
      part_number: n,
      size_bytes: length,
      url: await signPart(deps.store, { key, uploadId: row.upload_id, partNumber: n, length, expiresIn }),
    });
  }
  return {
    upload_id: row.upload_id,
    part_size_bytes: plan.partSize,
    part_count: plan.partCount,
    uploaded_parts: uploaded.filter((p) => done.has(p.partNumber)).map((p) => ({
      part_number: p.partNumber,
      size_bytes: p.size,
      etag: p.etag,
    })),
    parts,
  };
}

/** What a take uploaded while recording holds so far (to resume after a reload); parts are asked for one by one. */
async function streamState(deps: Deps, key: string, row: MultipartRow): Promise<MultipartGrant> {
  const uploaded = await listParts(deps.store, key, row.upload_id);
  if (uploaded === null) throw conflict('multipart_upload_closed', 'This upload was already completed or aborted');
  return {
    upload_id: row.upload_id,
    part_size_bytes: MIN_PART_SIZE,
    part_count: 0,
    uploaded_parts: uploaded.map((p) => ({ part_number: p.partNumber, size_bytes: p.size, etag: p.etag })),
    parts: [],
  };
}

/** A take as its own candidate sees it (RLS), or 404. */
interface OwnTake {
  id: string;
  session_id: string;
  campaign_id: string;
  object_key: string;
  content_type: string;
  size_bytes: string | number | null;
  status: 'pending' | 'uploaded' | 'failed';
  is_submitted: boolean;
  submitted_at: Date | null;
  video_deleted_at: Date | null;
  window_closes_at: Date;
  answer_time_seconds: number;
  max_video_bytes: string | number;
}

/**
 * How much longer than the question's answer time a recording may be: the encoder's last frame, the recorder's
 * start and stop, a second of timer drift.
 */
export const DURATION_TOLERANCE_SECONDS = 2;

async function ownTake(sql: Sql, claims: Claims, responseId: string): Promise<OwnTake> {
  const rows = await asUser(
    claims,
    (tx) =>
      tx<OwnTake[]>`select v.id, v.session_id, v.campaign_id, v.object_key, v.content_type, v.size_bytes, v.status,
                           v.is_submitted, v.submitted_at, v.video_deleted_at,
                           r.answer_closes_at + private.answer_grace() as window_closes_at,
                           l.answer_time_seconds, private.my_session_upload_limit(v.session_id) as max_video_bytes
                      from public.video_responses v
                      join public.question_reveals r on r.session_id = v.session_id and r.question_id = v.question_id
                      -- The accommodated answer time (extra time granted to this session), as the window is.
                      cross join lateral private.session_question_limits(v.session_id, v.question_id) l
                     where v.id = ${responseId} and v.session_id = any (private.my_session_ids())`,
    sql,
  );
  if (!rows[0]) throw notFound('response_not_found', 'No such response of yours');
  return rows[0];
}

export interface MultipartStatus extends MultipartGrant {
  response_id: string;
  expires_at: string;
}

/** Candidate: the parts already stored and fresh URLs for the missing ones (resume after an interruption). */
export async function multipartStatus(deps: Deps, claims: Claims, responseId: string): Promise<MultipartStatus> {
  const take = await ownTake(deps.sql, claims, responseId);
  if (take.status !== 'pending') throw conflict('response_not_pending', `This take is ${take.status}`);
  const row = await multipartRow(deps.sql, responseId);
  if (!row) throw notFound('multipart_upload_not_found', 'This take was not granted a multipart upload');
  // Re-signed part URLs follow the grant's rule: never past the answer window.
  const expiresIn = grantSeconds(MAX_GRANT_SECONDS, new Date(take.window_closes_at));
  if (expiresIn < 1) throw conflict('answer_window_closed', 'The answer time for this question is over');
  const state = row.is_streaming
    ? await streamState(deps, take.object_key, row)
    : await multipartState(deps, take.object_key, Number(take.size_bytes), row, expiresIn);
  return {
    response_id: responseId,
    expires_at: new Date(Date.now() + expiresIn * 1000).toISOString(),
    ...state,
  };
}

/** Candidate: abandons a multipart upload. The take is failed (it still counts) and its parts are discarded. */
export async function abortMultipartUpload(deps: Deps, claims: Claims, responseId: string) {
  const take = await ownTake(deps.sql, claims, responseId);
  const row = await multipartRow(deps.sql, responseId);
  if (!row) throw notFound('multipart_upload_not_found', 'This take was not granted a multipart upload');
  if (take.status === 'uploaded') throw conflict('response_not_pending', 'This take is already uploaded');
  await abortMultipart(deps.store, take.object_key, row.upload_id);
  // Service role: only the uploads function moves a take's status (fail_response_upload is not granted to users).
  const [failed] = await asService((tx) => tx`select * from public.fail_response_upload(${responseId})`, deps.sql);
  return { response_id: responseId, status: failed.status as string };
}

interface CompletedRow {
  is_submitted: boolean;
  submitted_at: Date | null;
  size_bytes: string;
  content_type: string;
  duration_seconds: string | null;
  session_id: string;
}

export interface CompletedTake {
  response_id: string;
  status: 'uploaded';
  is_submitted: boolean;
  submitted_at: string | null;
  size_bytes: number;
  content_type: string;
  /** Read from the stored file at complete. */
  duration_seconds: number | null;
  session_status: string;
}

/**
 * Candidate: the store is asked (HEAD) what it holds at the take's key. If it is exactly what was granted (size and
 * type) and reached the store inside the answer window (plus grace; for a multipart upload, the moment this function
 * completes it), the verified bytes are copied to a key no grant covers, and the take becomes uploaded and submitted
 * with that key (the session completes after its last question); the upload key is swept until its grants expire.
 * A late or mismatched object is deleted and the take failed. Idempotent, and safe under concurrent calls:
 * complete_response_upload locks the row, so a take is submitted once.
 */
export async function completeUpload(deps: Deps, claims: Claims, responseId: string): Promise<CompletedTake> {
  const take = await ownTake(deps.sql, claims, responseId);
  if (take.status === 'failed') {
    throw conflict('response_failed', 'This take failed verification or was abandoned; record a new take');
  }
  let received: { at: Date; key: string; duration: number; size: number } | null = null;
  // A parallel complete of the same take may finish it (and move its object) while this one is still verifying: a
  // check that then fails finds the take no longer pending, and this complete answers as that one did.
  const reject = async (error: AppError): Promise<CompletedTake> => {
    if (await rejectTake(deps, take)) throw error;
    return await submitTake(deps, responseId, take.size_bytes, null);
  };
  if (take.status === 'pending') {
    let stored = await headObject(deps.store, take.object_key);
    let receivedAt = stored?.lastModified ?? null;
    const row = await multipartRow(deps.sql, responseId);
    if (row && !stored) {
      if (row.is_streaming) await finishStream(deps, take, row);
      else await finishMultipart(deps, take, row);
      receivedAt = new Date();
      stored = await headObject(deps.store, take.object_key);
    } else if (row) {
      // The object arrived another way (an earlier complete, or a single-request grant of the same take): the
      // multipart upload, if still open, only holds parts nobody needs.
      await abortMultipart(deps.store, take.object_key, row.upload_id);
    }
    if (!stored) {
      const now = await ownTake(deps.sql, claims, responseId);
      if (now.status !== 'pending') return await submitTake(deps, responseId, take.size_bytes, null);
      throw conflict('upload_not_found', 'The video has not reached storage yet: upload it, then complete');
    }
    // A take uploaded while recording declared no size: what the store holds is its size (within the cap).
    const expectedSize = take.size_bytes === null ? stored.size : Number(take.size_bytes);
    if (stored.size !== expectedSize || stored.contentType !== take.content_type) {
      return await reject(
        new AppError(422, 'upload_mismatch', 'The stored video is not what was granted; it was deleted', {
          expected: { size_bytes: expectedSize, content_type: take.content_type },
          actual: { size_bytes: stored.size, content_type: stored.contentType },
        }),
      );
    }
    const closesAt = new Date(take.window_closes_at);
    receivedAt ??= new Date();
    if (receivedAt > closesAt) {
      return await reject(
        conflict('upload_too_late', 'The video reached storage after the answer time was over; it was deleted', {
          window_closed_at: closesAt.toISOString(),
          received_at: receivedAt.toISOString(),
        }),
      );
    }
    // The real duration, from the stored file (a few ranged GETs), never the client's number.
    const duration = await recordingDuration({
      size: stored.size,
      read: (start, end) => readRange(deps.store, take.object_key, start, end),
    }, take.content_type);
    if (duration === null) {
      return await reject(
        new AppError(422, 'recording_unreadable', 'The stored file is not a readable video; it was deleted'),
      );
    }
    if (duration > take.answer_time_seconds + DURATION_TOLERANCE_SECONDS) {
      return await reject(
        new AppError(422, 'recording_too_long', 'The recording is longer than the answer time; it was deleted', {
          duration_seconds: Math.round(duration * 1000) / 1000,
          answer_time_seconds: take.answer_time_seconds,
        }),
      );
    }
    const key = verifiedKey(take.object_key);
    if (!stored.etag || !await copyVerified(deps.store, take.object_key, key, stored.etag)) {
      // Gone (a parallel complete moved it) or rewritten since the HEAD: the caller completes again.
      const now = await ownTake(deps.sql, claims, responseId);
      if (now.status !== 'pending') return await submitTake(deps, responseId, take.size_bytes, null);
      throw conflict('upload_changed', 'The video changed while it was being verified: complete again');
    }
    received = { at: receivedAt, key, duration: Math.round(duration * 1000) / 1000, size: stored.size };
  }
  const completed = await submitTake(deps, responseId, take.size_bytes, received);
  if (received) await sweepSuperseded(deps, responseId);
  return completed;
}

/** The database side of complete: uploaded (with when and where the verified bytes are) and submitted. */
async function submitTake(
  deps: Deps,
  responseId: string,
  size: string | number | null,
  received: { at: Date; key: string; duration: number; size: number } | null,
): Promise<CompletedTake> {
  // Service role: complete_response_upload is granted to the uploads function only, which has just checked the object.
  try {
    const row = await asService(async (tx) => {
      const [v] = await tx<
        CompletedRow[]
      >`select is_submitted, submitted_at, size_bytes, content_type, duration_seconds,
                                                  session_id
                             from public.complete_response_upload(${responseId}, ${received?.size ?? size},
                                                                  ${received?.at ?? null},
                                                                  ${received?.key ?? null},
                                                                  ${received?.duration ?? null})`;
      // A second statement: the first one's snapshot predates the session completion the function may have made.
      const [s] = await tx<{ status: string }[]>`select status from public.interview_sessions
                                                   where id = ${v.session_id}`;
      return { ...v, session_status: s.status };
    }, deps.sql);
    return {
      response_id: responseId,
      status: 'uploaded',
      is_submitted: row.is_submitted,
      submitted_at: row.submitted_at ? new Date(row.submitted_at).toISOString() : null,
      size_bytes: Number(row.size_bytes),
      content_type: row.content_type,
      duration_seconds: row.duration_seconds === null ? null : Number(row.duration_seconds),
      session_status: row.session_status,
    };
  } catch (error) {
    if (isPostgresError(error)) throw fromPostgresError(error);
    throw error;
  }
}

/** First sweep of the upload key a verified copy replaced; retention runs sweep it again until its grants expire. */
async function sweepSuperseded(deps: Deps, responseId: string): Promise<void> {
  const rows = await asService(
    (tx) =>
      tx<DeletionRow[]>`select id, object_key, is_prefix, reason, response_id from public.video_deletions
                         where response_id = ${responseId} and reason = 'superseded' and deleted_at is null`,
    deps.sql,
  );
  await carryOutDeletions(deps, rows).catch((error) => {
    // The store refused: the row stays pending and the next retention run deletes the key.
    deps.log.warn('superseded upload key not deleted yet', { response_id: responseId, error });
  });
}

async function finishMultipart(deps: Deps, take: OwnTake, row: MultipartRow): Promise<void> {
  const size = Number(take.size_bytes);
  const plan: PartPlan = { partSize: Number(row.part_size), partCount: row.part_count };
  const parts = await listParts(deps.store, take.object_key, row.upload_id);
  if (parts === null) return; // completed by an earlier call: the HEAD below decides
  const missing: number[] = [];
  for (let n = 1; n <= plan.partCount; n++) {
    const part = parts.find((p) => p.partNumber === n);
    if (!part || part.size !== partLength(size, plan, n)) missing.push(n);
  }
  if (missing.length > 0) {
    throw conflict('multipart_incomplete', 'Some parts are missing: resume the upload, then complete', {
      missing_parts: missing,
    });
  }
  await completeMultipart(
    deps.store,
    take.object_key,
    row.upload_id,
    parts.filter((p) => p.partNumber <= plan.partCount),
  );
}

/** Fails the take and deletes its object; false, with nothing done, when the take is no longer pending. */
async function rejectTake(deps: Deps, take: OwnTake): Promise<boolean> {
  // Service role: failing a take and logging the deletion are the uploads function's own steps.
  let deletions: { id: string }[];
  try {
    deletions = await asService(async (tx) => {
      await tx`select public.reject_response_upload(${take.id})`;
      return await tx<{ id: string }[]>`select id from public.video_deletions
                                          where response_id = ${take.id} and reason = 'verification_failed'
                                            and deleted_at is null`;
    }, deps.sql);
  } catch (error) {
    if (isPostgresError(error) && error.message === 'response_not_pending') return false;
    throw error;
  }
  await deleteObject(deps.store, take.object_key);
  await confirmDeletions(deps.sql, deletions.map((d) => d.id));
  return true;
}

async function confirmDeletions(sql: Sql, ids: Array<string | number>): Promise<string[]> {
  if (ids.length === 0) return [];
  // Service role: confirm_video_deletions is granted to the service role only.
  const rows = await asService(
    (tx) => tx<{ id: string }[]>`select public.confirm_video_deletions(${ids.map(String)}::bigint[]) as id`,
    sql,
  );
  return rows.map((r) => String(r.id));
}

export interface Playback {
  response_id: string;
  url: string;
  expires_at: string;
  content_type: string;
  size_bytes: number;
}

/** Campaign members and the take's own candidate get a short-lived GET; everyone else a 404 (RLS decides). */
export async function playback(deps: Deps, claims: Claims, responseId: string): Promise<Playback> {
  const rows = await asUser(
    claims,
    (tx) =>
      tx<OwnTake[]>`select v.id, v.object_key, v.content_type, v.size_bytes, v.status, v.video_deleted_at
                      from public.video_responses v where v.id = ${responseId}`,
    deps.sql,
  );
  const take = rows[0];
  if (!take) throw notFound('response_not_found', 'No such response');
  if (take.video_deleted_at) throw new AppError(410, 'video_deleted', 'This video was deleted (retention period)');
  if (take.status !== 'uploaded') throw conflict('response_not_uploaded', `This take is ${take.status}`);
  return {
    response_id: take.id,
    url: await signGet(deps.store, take.object_key, MAX_GRANT_SECONDS),
    expires_at: new Date(Date.now() + MAX_GRANT_SECONDS * 1000).toISOString(),
    content_type: take.content_type,
    size_bytes: Number(take.size_bytes),
  };
}

interface DeletionRow {
  id: string | number;
  object_key: string;
  is_prefix: boolean;
  reason: string;
  response_id: string | null;
}

export interface DeletionReport {
  /** Deletion log rows confirmed by this call (the store no longer holds them). */
  confirmed: number;
  /** Rows still pending: a store failure (retried by the next run) or a folder swept again until grants expire. */
  pending: number;
  /** Rows whose deletion failed this time (store unavailable); the next retention run retries them. */
  failed: number;
  objects_deleted: string[];
}

/** Deletes what the log rows name, then confirms them. A failure leaves rows pending for the next retention run. */
export async function carryOutDeletions(deps: Deps, rows: DeletionRow[]): Promise<DeletionReport> {
  const done: Array<string | number> = [];
  const deleted: string[] = [];
  let failed = 0;
  for (const row of rows) {
    try {
      if (row.is_prefix) {
        await deletePrefix(deps.store, row.object_key);
      } else {
        await deleteObject(deps.store, row.object_key);
        deleted.push(row.object_key);
      }
      done.push(row.id);
    } catch (error) {
      failed++;
      deps.log.warn('deletion failed, left for the next retention run', { id: String(row.id), error });
    }
  }
  const confirmed = await confirmDeletions(deps.sql, done);
  return { confirmed: confirmed.length, pending: rows.length - confirmed.length, failed, objects_deleted: deleted };
}

/** How long one retention run may keep paging (hosted functions get 150 s of wall clock at least). */
const RETENTION_BUDGET_MS = 60_000;

/** Service role: one retention run (queue what is due, carry out every pending deletion, page by page). */
export async function runRetention(deps: Deps, limit = 500): Promise<DeletionReport & { queued: number }> {
  const total = { queued: 0, confirmed: 0, pending: 0, failed: 0, objects_deleted: [] as string[] };
  const started = Date.now();
  let after = 0;
  while (true) {
    // Service role: the sweep reads every campaign's sessions and writes the deletion log.
    const rows = await asService(
      (tx) =>
        tx<DeletionRow[]>`select id, object_key, is_prefix, reason, response_id
                            from public.take_video_deletions(${limit}, ${after})`,
      deps.sql,
    );
    const report = await carryOutDeletions(deps, rows);
    total.queued += rows.length;
    total.confirmed += report.confirmed;
    total.pending += report.pending;
    total.failed += report.failed;
    total.objects_deleted.push(...report.objects_deleted);
    if (rows.length < limit || Date.now() - started > RETENTION_BUDGET_MS) break;
    after = Math.max(...rows.map((r) => Number(r.id)));
  }
  // The scheduler logs a failed run; the rows stay queued either way.
  if (total.failed > 0 && total.failed === total.queued) {
    throw unavailable('storage_unavailable', 'The video store is unavailable; deletions stay queued');
  }
  return total;
}

export interface ErasureReport extends DeletionReport {
  deletion_ids: string[];
}

/** Owner or admin: erases a candidate's session from a campaign (rows in SQL, then objects). */
export async function eraseSession(deps: Deps, claims: Claims, sessionId: string): Promise<ErasureReport> {
  const rows = await asUser(
    claims,
    (tx) =>
      tx<DeletionRow[]>`select id, object_key, is_prefix, reason, response_id from public.erase_session(${sessionId})`,
    deps.sql,
  ).catch((error) => {
    throw isPostgresError(error) ? fromPostgresError(error, { forbiddenAs: 'not_found' }) : error;
  });
  const report = await carryOutDeletions(deps, rows);
  return { deletion_ids: rows.map((r) => String(r.id)), ...report };
}

/** The caller's own data, everything held about them, as one JSON document (public.my_data). */
export async function ownData(deps: Pick<Deps, 'sql'>, claims: Claims): Promise<Record<string, unknown>> {
  const [row] = await asUser(
    claims,
    (tx) => tx<{ data: Record<string, unknown> }[]>`select public.my_data() as data`,
    deps.sql,
  );
  return row.data;
}

/**
 * A candidate erases their own account, through the same path as an admin's erasure: the deletions of their videos
 * are recorded as them (the SQL checks that they are a candidate), the auth user is deleted (its cascades remove the
 * rows), then the objects go.
 */
export async function eraseOwnAccount(
  deps: Deps & { authAdmin: (userId: string) => Promise<void> },
  claims: Claims,
): Promise<ErasureReport> {
  const rows = await asUser(
    claims,
    (tx) =>
      tx<DeletionRow[]>`select id, object_key, is_prefix, reason, response_id
                          from private.prepare_own_account_erasure()`,
    deps.sql,
  ).catch((error) => {
    throw isPostgresError(error) ? fromPostgresError(error) : error;
  });
  await deps.authAdmin(claims.sub);
  const report = await carryOutDeletions(deps, rows);
  return { deletion_ids: rows.map((r) => String(r.id)), ...report };
}

/**
 * Admin: erases an account and everything it owns. The deletions are recorded first (as the admin, whose role the
 * SQL checks), then the auth user is deleted through the Auth admin API (its cascades remove the rows), then the
 * objects go.
 */
export async function eraseAccount(
  deps: Deps & { authAdmin: (userId: string) => Promise<void> },
  claims: Claims,
  userId: string,
): Promise<ErasureReport> {
  const rows = await asUser(
    claims,
    (tx) =>
      tx<DeletionRow[]>`select id, object_key, is_prefix, reason, response_id
                          from private.prepare_account_erasure(${userId})`,
    deps.sql,
  ).catch((error) => {
    throw isPostgresError(error) ? fromPostgresError(error) : error;
  });
  await deps.authAdmin(userId);
  const report = await carryOutDeletions(deps, rows);
  return { deletion_ids: rows.map((r) => String(r.id)), ...report };
}
