// Two ways to upload a take. While recording (StreamingUpload, `method: stream`): the take is granted when the
// recording starts, and every 5 MiB of recorded video goes up as one part (POST /uploads/{id}/parts signs a URL of
// exactly that part's size) while the camera keeps recording; the rest goes as the last part once it stops. After
// recording (uploadTake, the fallback when the stream grant cannot be had): POST /uploads asks for a multipart grant (signed PUT URLs, one per part of
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
  multipart?: MultipartState;
  stream?: {
    upload_id: string;
    min_part_size_bytes: number;
    max_parts: number;
    uploaded_parts: Array<{ part_number: number }>;
  };
}

export interface CompletedTake {
  response_id: string;
  is_submitted: boolean;
  session_status: string;
  duration_seconds: number | null;
}

export type UploadPhase =
  | { kind: 'requesting' }
  | {
    kind: 'uploading';
    sent: number;
    total: number;
    take: number;
    maxTakes: number;
  }
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
function putPart(
  url: string,
  body: Blob,
  onProgress: (loaded: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(
        new ApiError(
          xhr.status,
          xhr.status === 403 ? 'upload_url_expired' : 'storage_error',
          xhr.statusText,
        ),
      );
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The upload was interrupted'));
    xhr.ontimeout = xhr.onerror;
    xhr.send(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits before the next attempt: until the browser is back online, or the back-off delay, whichever is later. */
async function backOff(
  attempt: number,
  onWait: (seconds: number) => void,
): Promise<void> {
  const seconds = Math.min(2 ** attempt, 10);
  onWait(seconds);
  await sleep(seconds * 1000);
  while (!navigator.onLine) {
    await new Promise((r) => addEventListener('online', r, { once: true }));
  }
}

function retryable(error: unknown): boolean {
  return error instanceof ApiError &&
    (error.retryable || error.code === 'upload_url_expired');
}

/** Runs `step`, retrying what a network loss or an outage causes, up to about two minutes. */
async function withRetry<T>(
  step: () => Promise<T>,
  onWait: (seconds: number) => void,
): Promise<T> {
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
  let state = grant.multipart!;
  const partSize = state.part_size_bytes;

  for (let attempt = 0;; attempt++) {
    try {
      const stored = new Set(state.uploaded_parts.map((p) => p.part_number));
      let sent = [...stored].reduce(
        (n, p) => n + Math.min(partSize, recording.size - (p - 1) * partSize),
        0,
      );
      for (const part of state.parts) {
        if (stored.has(part.part_number)) continue;
        const start = (part.part_number - 1) * partSize;
        const base = sent;
        await putPart(
          part.url,
          recording.slice(start, start + part.size_bytes),
          (loaded) =>
            onPhase({
              kind: 'uploading',
              sent: base + loaded,
              total: recording.size,
              take: take!,
              maxTakes,
            }),
        );
        sent += part.size_bytes;
      }
      onPhase({ kind: 'verifying' });
      return await callFunction<CompletedTake>(
        `uploads/${grant.response_id}/complete`,
        { method: 'POST' },
      );
    } catch (error) {
      const missing = error instanceof ApiError &&
        error.code === 'multipart_incomplete';
      if ((!retryable(error) && !missing) || attempt >= 20) throw error;
      await backOff(Math.min(attempt, 3), onWait);
      // What the bucket holds now, and fresh URLs for the rest.
      state = await withRetry(
        () =>
          callFunction<MultipartState>(
            `uploads/${grant.response_id}/multipart`,
          ),
        onWait,
      );
    }
  }
}

/** Upload while recording: parts go up as the recording grows; `finish()` sends the rest and submits the take. */
export class StreamingUpload {
  #pending: Blob[] = [];
  #pendingBytes = 0;
  #nextPart = 1;
  #sent = 0;
  #recorded = 0;
  #queue: Promise<void> = Promise.resolve();

  private constructor(
    readonly grant: UploadGrant,
    private readonly onPhase: (phase: UploadPhase) => void,
  ) {}

  /** Grants the take (it counts from now on) and opens its multipart upload. */
  static async start(
    input: {
      sessionId: string;
      questionId: string;
      contentType: string;
      onPhase: (phase: UploadPhase) => void;
    },
  ): Promise<StreamingUpload> {
    const request = () =>
      callFunction<UploadGrant>('uploads', {
        body: {
          session_id: input.sessionId,
          question_id: input.questionId,
          content_type: input.contentType,
          method: 'stream',
        },
      });
    const grant = await request();
    if (grant.reused && grant.stream!.uploaded_parts.length > 0) {
      // A pending take that already holds parts of an earlier recording (its give-up never reached the server):
      // a new recording must not continue it.
      await new StreamingUpload(grant, input.onPhase).abandon();
      return new StreamingUpload(await request(), input.onPhase);
    }
    return new StreamingUpload(grant, input.onPhase);
  }

  get take(): number {
    return this.grant.take_number;
  }

  /** A chunk from MediaRecorder; a part goes up as soon as enough is buffered (S3's 5 MiB minimum). */
  push(chunk: Blob): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.size;
    this.#recorded += chunk.size;
    if (this.#pendingBytes >= this.grant.stream!.min_part_size_bytes) {
      this.#flush();
    }
  }

  #flush(): void {
    const body = new Blob(this.#pending);
    this.#pending = [];
    this.#pendingBytes = 0;
    const partNumber = this.#nextPart++;
    this.#queue = this.#queue.then(() => this.#sendPart(partNumber, body));
    // Awaited by finish(); until then a failure must not be reported as unhandled.
    this.#queue.catch(() => {});
  }

  async #sendPart(partNumber: number, body: Blob): Promise<void> {
    const onWait = (retryInSeconds: number) => this.onPhase({ kind: 'offline', retryInSeconds, take: this.take });
    for (let attempt = 0;; attempt++) {
      try {
        // A fresh URL on every attempt: the part is signed for its exact size, and an old URL may have expired.
        const part = await callFunction<Part>(
          `uploads/${this.grant.response_id}/parts`,
          {
            body: { part_number: partNumber, size_bytes: body.size },
          },
        );
        const base = this.#sent;
        await putPart(part.url, body, (loaded) =>
          this.onPhase({
            kind: 'uploading',
            sent: base + loaded,
            total: Math.max(this.#recorded, base + loaded),
            take: this.take,
            maxTakes: this.grant.max_takes,
          }));
        this.#sent += body.size;
        return;
      } catch (error) {
        if (!retryable(error) || attempt >= 20) throw error;
        await backOff(Math.min(attempt, 3), onWait);
      }
    }
  }

  /** After the recording stopped: the last part, then verification and submission (POST /uploads/{id}/complete). */
  async finish(): Promise<CompletedTake> {
    if (this.#pendingBytes > 0 || this.#nextPart === 1) this.#flush();
    await this.#queue;
    this.onPhase({ kind: 'verifying' });
    return await withRetry(
      () =>
        callFunction<CompletedTake>(
          `uploads/${this.grant.response_id}/complete`,
          { method: 'POST' },
        ),
      (retryInSeconds) => this.onPhase({ kind: 'offline', retryInSeconds, take: this.take }),
    );
  }

  /** Gives the take up (a re-take): the parts are discarded, and the take stays counted. */
  async abandon(): Promise<void> {
    await callFunction(`uploads/${this.grant.response_id}/multipart`, {
      method: 'DELETE',
    }).catch(() => {});
  }
}
