// The S3 side of uploads: signing grants (POST policy, PUT, multipart parts, GET) and asking the store what it holds.
// Every call takes the client and bucket explicitly, so the same code serves AWS S3, Supabase Storage's S3 endpoint,
// R2, MinIO and the local versitygw; only the storage configuration differs.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { AppError, unavailable } from '../../shared/errors.ts';

/** The longest any URL this function signs stays valid (the SQL side assumes the same: private.upload_grant_ttl). */
export const MAX_GRANT_SECONDS = 900;
/** S3's smallest part (every part but the last). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PARTS = 10_000;

export interface Store {
  client: S3Client;
  bucket: string;
}

/** Turns a failure to reach the store into a 503; S3's own answers (404, 403...) are left to the caller. */
async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof AppError) throw error;
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === undefined || status >= 500) {
      throw unavailable('storage_unavailable', 'The video store is unavailable', error);
    }
    throw error;
  }
}

function s3Status(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function s3Code(error: unknown): string | undefined {
  return (error as { name?: string; Code?: string })?.Code ?? (error as { name?: string })?.name;
}

export interface PostGrant {
  url: string;
  fields: Record<string, string>;
}

/**
 * A browser form POST that can only create `key`, with exactly `contentType`, of 1 to `maxBytes` bytes: the store
 * checks the policy, so a hostile client cannot widen it.
 *
 * The policy is the one @aws-sdk/s3-presigned-post writes (a test compares the two field for field), built here
 * because the SDK's createPresignedPost spent 85-100 µs on each grant, the largest part of POST /uploads' own CPU
 * time, resolving the endpoint rules and hashing the credentials again each time; this takes about 28 µs.
 */
export async function signPost(
  store: Store,
  grant: { key: string; contentType: string; maxBytes: number; expiresIn: number },
  now = new Date(Date.now() + store.client.config.systemClockOffset),
): Promise<PostGrant> {
  const region = await store.client.config.region();
  const credentials = await store.client.config.credentials();
  const signingDate = iso8601(now).replace(/[-:]/g, '');
  const shortDate = signingDate.slice(0, 8);
  // The fields and conditions in @aws-sdk/s3-presigned-post's order; a test holds the two byte for byte equal.
  const fields: Record<string, string> = {
    'Content-Type': grant.contentType,
    bucket: store.bucket,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${credentials.accessKeyId}/${shortDate}/${region}/s3/aws4_request`,
    'X-Amz-Date': signingDate,
    ...(credentials.sessionToken ? { 'X-Amz-Security-Token': credentials.sessionToken } : {}),
  };
  const expiration = new Date(now.getTime() + Math.min(grant.expiresIn, MAX_GRANT_SECONDS) * 1000);
  const policy = Buffer.from(JSON.stringify({
    expiration: iso8601(expiration),
    conditions: [
      ['content-length-range', 1, grant.maxBytes],
      ['eq', '$Content-Type', grant.contentType],
      ...Object.entries(fields).map(([name, value]) => ({ [name]: value })),
      { key: grant.key },
    ],
  })).toString('base64');
  const signature = createHmac('sha256', signingKey(credentials, shortDate, region)).update(policy).digest('hex');
  return {
    url: await bucketUrl(store, grant.key),
    fields: { ...fields, key: grant.key, Policy: policy, 'X-Amz-Signature': signature },
  };
}

/** A time as S3 policies write it: ISO 8601 to the second. */
const iso8601 = (time: Date) => time.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The day's SigV4 signing key (four HMACs of the secret), derived once per day, region and credentials: the SDK's
 * own cache still hashes the credentials on every call.
 */
function signingKey(
  credentials: { accessKeyId: string; secretAccessKey: string },
  day: string,
  region: string,
): Buffer {
  const id = `${credentials.accessKeyId}:${credentials.secretAccessKey}:${day}:${region}`;
  if (signingKeyCache?.id !== id) {
    let key: Buffer | string = `AWS4${credentials.secretAccessKey}`;
    for (const part of [day, region, 's3', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
    signingKeyCache = { id, key: key as Buffer };
  }
  return signingKeyCache.key;
}
let signingKeyCache: { id: string; key: Buffer } | undefined;

/**
 * The URL a POST for the bucket goes to, resolved by the SDK's endpoint rules once per client (they do not depend on
 * the key): resolving them took a third of each grant's signing time.
 */
async function bucketUrl(store: Store, key: string): Promise<string> {
  let url = bucketUrls.get(store.client)?.get(store.bucket);
  if (url === undefined) {
    ({ url } = await createPresignedPost(store.client, { Bucket: store.bucket, Key: key }));
    const urls = bucketUrls.get(store.client) ?? new Map<string, string>();
    bucketUrls.set(store.client, urls.set(store.bucket, url));
  }
  return url;
}
const bucketUrls = new WeakMap<S3Client, Map<string, string>>();

export interface PutGrant {
  url: string;
  /** Headers the request must carry exactly: both are part of the signature. */
  headers: Record<string, string>;
}

const SIGNED_BODY_HEADERS = new Set(['content-type', 'content-length']);
// A part has no type of its own (the SDK would otherwise sign a default application/octet-stream the browser never
// sends): only its length is pinned.
const SIGNED_PART_HEADERS = new Set(['content-length']);

/** A PUT of exactly `size` bytes of `contentType` to `key`: both headers are signed, so neither can change. */
export async function signPut(
  store: Store,
  grant: { key: string; contentType: string; size: number; expiresIn: number },
): Promise<PutGrant> {
  const url = await getSignedUrl(
    store.client,
    new PutObjectCommand({
      Bucket: store.bucket,
      Key: grant.key,
      ContentType: grant.contentType,
      ContentLength: grant.size,
    }),
    { expiresIn: Math.min(grant.expiresIn, MAX_GRANT_SECONDS), signableHeaders: SIGNED_BODY_HEADERS },
  );
  return { url, headers: { 'content-type': grant.contentType, 'content-length': String(grant.size) } };
}

/** A GET of `key`, for playback. */
export async function signGet(store: Store, key: string, expiresIn: number): Promise<string> {
  return await getSignedUrl(store.client, new GetObjectCommand({ Bucket: store.bucket, Key: key }), {
    expiresIn: Math.min(expiresIn, MAX_GRANT_SECONDS),
  });
}

export interface PartPlan {
  partSize: number;
  partCount: number;
}

/** Part size and count for `size` bytes: at least 5 MiB a part, at most 10,000 parts, whole MiB. */
export function planParts(size: number): PartPlan {
  const mib = 1024 * 1024;
  const partSize = Math.max(MIN_PART_SIZE, Math.ceil(size / MAX_PARTS / mib) * mib);
  return { partSize, partCount: Math.max(1, Math.ceil(size / partSize)) };
}

/** Length of part `partNumber` (1-based): partSize, except the last part, which holds the rest. */
export function partLength(size: number, plan: PartPlan, partNumber: number): number {
  return partNumber < plan.partCount ? plan.partSize : size - plan.partSize * (plan.partCount - 1);
}

export async function createMultipart(store: Store, key: string, contentType: string): Promise<string> {
  const out = await call(() =>
    store.client.send(new CreateMultipartUploadCommand({ Bucket: store.bucket, Key: key, ContentType: contentType }))
  );
  if (!out.UploadId) throw new Error('CreateMultipartUpload returned no UploadId');
  return out.UploadId;
}

/** A PUT of part `partNumber` with its exact length signed (so every part has the planned size). */
export async function signPart(
  store: Store,
  part: { key: string; uploadId: string; partNumber: number; length: number; expiresIn: number },
): Promise<string> {
  return await getSignedUrl(
    store.client,
    new UploadPartCommand({
      Bucket: store.bucket,
      Key: part.key,
      UploadId: part.uploadId,
      PartNumber: part.partNumber,
      ContentLength: part.length,
    }),
    { expiresIn: Math.min(part.expiresIn, MAX_GRANT_SECONDS), signableHeaders: SIGNED_PART_HEADERS },
  );
}

export interface UploadedPart {
  partNumber: number;
  size: number;
  etag: string;
}

/** The parts the store holds for an upload, or null when the upload no longer exists (completed or aborted). */
export async function listParts(store: Store, key: string, uploadId: string): Promise<UploadedPart[] | null> {
  const parts: UploadedPart[] = [];
  let marker: string | undefined;
  try {
    do {
      const out = await call(() =>
        store.client.send(
          new ListPartsCommand({ Bucket: store.bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }),
        )
      );
      for (const p of out.Parts ?? []) {
        if (p.PartNumber !== undefined && p.ETag !== undefined) {
          parts.push({ partNumber: p.PartNumber, size: p.Size ?? 0, etag: p.ETag });
        }
      }
      marker = out.IsTruncated ? out.NextPartNumberMarker : undefined;
    } while (marker);
  } catch (error) {
    if (s3Status(error) === 404 || s3Code(error) === 'NoSuchUpload') return null;
    throw error;
  }
  return parts.sort((a, b) => a.partNumber - b.partNumber);
}

/** Completes an upload; false when the store no longer knows it (an earlier complete got there first). */
export async function completeMultipart(
  store: Store,
  key: string,
  uploadId: string,
  parts: UploadedPart[],
): Promise<boolean> {
  try {
    await call(() =>
      store.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: store.bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
        }),
      )
    );
    return true;
  } catch (error) {
    if (s3Status(error) === 404 || s3Code(error) === 'NoSuchUpload') return false;
    throw error;
  }
}

export async function abortMultipart(store: Store, key: string, uploadId: string): Promise<void> {
  try {
    await call(() =>
      store.client.send(new AbortMultipartUploadCommand({ Bucket: store.bucket, Key: key, UploadId: uploadId }))
    );
  } catch (error) {
    if (s3Status(error) === 404 || s3Code(error) === 'NoSuchUpload') return;
    throw error;
  }
}

export interface StoredObject {
  size: number;
  contentType: string | null;
  /** When the store received the object (its own clock, to the second). */
  lastModified: Date | null;
  etag: string | null;
}

/** What the store holds at `key` (HEAD), or null when nothing is there. */
export async function headObject(store: Store, key: string): Promise<StoredObject | null> {
  try {
    const out = await call(() => store.client.send(new HeadObjectCommand({ Bucket: store.bucket, Key: key })));
    return {
      size: out.ContentLength ?? 0,
      contentType: out.ContentType ?? null,
      lastModified: out.LastModified ?? null,
      etag: out.ETag ?? null,
    };
  } catch (error) {
    if (s3Status(error) === 404 || s3Code(error) === 'NotFound' || s3Code(error) === 'NoSuchKey') return null;
    throw error;
  }
}

/**
 * Copies the object at `from` to `to` inside the bucket, only if it is still the object that was checked (its ETag):
 * bytes written meanwhile with an old grant are never copied. False when `from` is gone or has changed.
 */
export async function copyVerified(store: Store, from: string, to: string, etag: string): Promise<boolean> {
  try {
    await call(() =>
      store.client.send(
        new CopyObjectCommand({
          Bucket: store.bucket,
          Key: to,
          CopySource: `${store.bucket}/${from.split('/').map(encodeURIComponent).join('/')}`,
          CopySourceIfMatch: etag,
          MetadataDirective: 'COPY',
        }),
      )
    );
    return true;
  } catch (error) {
    const status = s3Status(error);
    if (status === 404 || status === 412 || s3Code(error) === 'NoSuchKey' || s3Code(error) === 'PreconditionFailed') {
      return false;
    }
    throw error;
  }
}

/** Bytes [start, end) of the object at `key`: one ranged GET. */
export async function readRange(store: Store, key: string, start: number, end: number): Promise<Uint8Array> {
  if (end <= start) return new Uint8Array();
  const out = await call(() =>
    store.client.send(new GetObjectCommand({ Bucket: store.bucket, Key: key, Range: `bytes=${start}-${end - 1}` }))
  );
  return await out.Body!.transformToByteArray();
}

/** Deletes `key`; deleting what is not there succeeds (S3 semantics). */
export async function deleteObject(store: Store, key: string): Promise<void> {
  try {
    await call(() => store.client.send(new DeleteObjectCommand({ Bucket: store.bucket, Key: key })));
  } catch (error) {
    if (s3Status(error) === 404) return;
    throw error;
  }
}

/** Deletes every object under `prefix` and aborts every multipart upload there. Returns how many objects went. */
export async function deletePrefix(store: Store, prefix: string): Promise<number> {
  let deleted = 0;
  let token: string | undefined;
  do {
    const out = await call(() =>
      store.client.send(new ListObjectsV2Command({ Bucket: store.bucket, Prefix: prefix, ContinuationToken: token }))
    );
    for (const object of out.Contents ?? []) {
      if (!object.Key) continue;
      await deleteObject(store, object.Key);
      deleted++;
    }
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  let keyMarker: string | undefined;
  let idMarker: string | undefined;
  do {
    const out = await call(() =>
      store.client.send(
        new ListMultipartUploadsCommand({
          Bucket: store.bucket,
          Prefix: prefix,
          KeyMarker: keyMarker,
          UploadIdMarker: idMarker,
        }),
      )
    );
    for (const upload of out.Uploads ?? []) {
      if (upload.Key && upload.UploadId) await abortMultipart(store, upload.Key, upload.UploadId);
    }
    keyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
    idMarker = out.IsTruncated ? out.NextUploadIdMarker : undefined;
  } while (keyMarker);
  return deleted;
}
