// Uploading one recorded take, resumably: POST /uploads asks for a multipart grant (signed PUT URLs, one per part of
// exactly its size), the browser PUTs the parts straight to the bucket, and POST /uploads/{id}/complete verifies the
// stored video and submits the take. On a network loss the upload waits and retries; it then asks
// GET /uploads/{id}/multipart which parts the bucket already holds and gets fresh URLs for the others, so nothing is
// sent twice and the take (the same response_id) is never lost or counted again.
import { ApiError, callFunction } from './api.ts';

interface Part {
  part_number: number;
  size_bytes: number;
  url: string;
}

interface MultipartState {
  upload_id: string;
  part_size_bytes: number;
  part_count: number;
  uploaded_parts: Array<{ part_number: number }>;
  parts: Part[];
}

export interface UploadGrant {
  response_id: string;
  take_number: number;
  max_takes: number;
  reused: boolean;
  content_type: string;
  multipart: MultipartState;
}

export interface CompletedTake {
  response_id: string;
  is_submitted: boolean;
  session_status: string;
  duration_seconds: number | null;
}

export type UploadPhase =
  | { kind: 'requesting' }
  | { kind: 'uploading'; sent: number; total: number; take: number; maxTakes: number }
  | { kind: 'offline'; retryInSeconds: number; take: number | null }
  | { kind: 'verifying' };

export interface UploadInput {
  sessionId: string;
  questionId: string;
  recording: Blob;
  durationSeconds: number;
  onPhase: (phase: UploadPhase) => void;
}

/** PUTs one part with XMLHttpRequest, for upload progress events. */
function putPart(url: string, body: Blob, onProgress: (loaded: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300
        ? resolve()
        : reject(new ApiError(xhr.status, xhr.status === 403 ? 'upload_url_expired' : 'storage_error', xhr.statusText));
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The upload was interrupted'));
    xhr.ontimeout = xhr.onerror;
    xhr.send(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits before the next attempt: until the browser is back online, or the back-off delay, whichever is later. */
async function backOff(attempt: number, onWait: (seconds: number) => void): Promise<void> {
  const seconds = Math.min(2 ** attempt, 10);
  onWait(seconds);
  await sleep(seconds * 1000);
  while (!navigator.onLine) await new Promise((r) => addEventListener('online', r, { once: true }));
}

function retryable(error: unknown): boolean {
  return error instanceof ApiError && (error.retryable || error.code === 'upload_url_expired');
}

/** Runs `step`, retrying what a network loss or an outage causes, up to about two minutes. */
async function withRetry<T>(step: () => Promise<T>, onWait: (seconds: number) => void): Promise<T> {
  for (let attempt = 0;; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!retryable(error) || attempt >= 20) throw error;
      await backOff(Math.min(attempt, 3), onWait);
    }
  }
}

export async function uploadTake(input: UploadInput): Promise<CompletedTake> {
  const { recording, onPhase } = input;
  let take: number | null = null;
  let maxTakes = 0;
  const onWait = (retryInSeconds: number) => onPhase({ kind: 'offline', retryInSeconds, take });

  onPhase({ kind: 'requesting' });
  // Asking again with the same size and type reuses the pending take rather than spending a new one.
  const grant = await withRetry(
    () =>
      callFunction<UploadGrant>('uploads', {
        body: {
          session_id: input.sessionId,
          question_id: input.questionId,
          content_type: recording.type,
          size_bytes: recording.size,
          duration_seconds: Math.round(input.durationSeconds * 100) / 100,
          method: 'multipart',
        },
      }),
    onWait,
  );
  take = grant.take_number;
  maxTakes = grant.max_takes;
  const partSize = grant.multipart.part_size_bytes;
  let state: MultipartState = grant.multipart;

  for (let attempt = 0;; attempt++) {
    try {
      const stored = new Set(state.uploaded_parts.map((p) => p.part_number));
      let sent = [...stored].reduce((n, p) => n + Math.min(partSize, recording.size - (p - 1) * partSize), 0);
      for (const part of state.parts) {
        if (stored.has(part.part_number)) continue;
        const start = (part.part_number - 1) * partSize;
        const base = sent;
        await putPart(
          part.url,
          recording.slice(start, start + part.size_bytes),
          (loaded) => onPhase({ kind: 'uploading', sent: base + loaded, total: recording.size, take: take!, maxTakes }),
        );
        sent += part.size_bytes;
      }
      onPhase({ kind: 'verifying' });
      return await callFunction<CompletedTake>(`uploads/${grant.response_id}/complete`, { method: 'POST' });
    } catch (error) {
      const missing = error instanceof ApiError && error.code === 'multipart_incomplete';
      if ((!retryable(error) && !missing) || attempt >= 20) throw error;
      await backOff(Math.min(attempt, 3), onWait);
      // What the bucket holds now, and fresh URLs for the rest.
      state = await withRetry(
        () => callFunction<MultipartState>(`uploads/${grant.response_id}/multipart`),
        onWait,
      );
    }
  }
}
