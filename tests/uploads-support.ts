// What the uploads integration tests share: calling the function, the real video files, and asking the S3 server
// directly what it holds (the proof that an object is there, or really gone).
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { superuser } from './fixtures.ts';
import { browserFormPost, env } from './support.ts';

export const s3 = new S3Client({
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
  endpoint: env('S3_ENDPOINT'),
  region: env('S3_REGION'),
  forcePathStyle: true,
  credentials: { accessKeyId: env('S3_ACCESS_KEY_ID'), secretAccessKey: env('S3_SECRET_ACCESS_KEY') },
});

export interface Answer {
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** A call to the uploads function through the gateway, as the SPA makes it. */
export async function uploads(
  path: string,
  options: { token?: string | null; method?: string; body?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${env('SUPABASE_URL')}/functions/v1/uploads${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

/** Real, playable clips made with ffmpeg (1 s, 64x48): VP8+Opus WebM and H.264 MP4. */
export const WEBM = await Deno.readFile(new URL('./fixtures/clip.webm', import.meta.url));
export const MP4 = await Deno.readFile(new URL('./fixtures/clip.mp4', import.meta.url));

/** The MP4 clip followed by a top-level `free` box: still a valid MP4, `total` bytes long (for multipart parts). */
export function paddedMp4(total: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(total);
  out.set(MP4, 0);
  const boxSize = total - MP4.length;
  new DataView(out.buffer).setUint32(MP4.length, boxSize);
  out.set(new TextEncoder().encode('free'), MP4.length + 4);
  return out;
}

/** Whether the S3 server holds `key`, asked directly (not through the function). */
export async function objectExists(key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: env('S3_BUCKET'), Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

/** Sends the bytes with a grant from POST /uploads, whichever method it is (POST form, or PUT). */
export async function sendWithGrant(
  // deno-lint-ignore no-explicit-any
  grant: any,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<Response> {
  if (grant.post) return await browserFormPost(grant.post.url, grant.post.fields, bytes, grant.content_type);
  if (grant.put) {
    return await fetch(grant.put.url, {
      method: 'PUT',
      body: bytes,
      headers: { 'content-type': grant.put.headers['content-type'] },
    });
  }
  throw new Error('no single-request grant in this answer');
}

/** Reads a playback URL back as bytes. */
export async function download(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`download answered ${res.status}: ${await res.text()}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The S3 error code in an XML error body (`<Code>SignatureDoesNotMatch</Code>`). */
export function s3ErrorCode(body: string): string | null {
  return /<Code>([^<]+)<\/Code>/.exec(body)?.[1] ?? null;
}

/** Where a take's video is now (after complete, its verified copy, not the key the grant named). */
export async function storedKey(responseId: string): Promise<string> {
  const [row] = await superuser((sql) => sql`select object_key from public.video_responses where id = ${responseId}`);
  if (!row) throw new Error(`no take ${responseId}`);
  return row.object_key;
}
