// The camera and MediaRecorder: one stream for the preview and the recording, and a recorder that collects chunks.

/** The first recording format this browser supports among those the uploads function accepts. */
export function recordingType(): string {
  const candidates = [
    'video/webm;codecs=vp8,opus',
    'video/webm;codecs=vp9,opus',
    'video/webm',
    'video/mp4',
  ];
  return candidates.find((t) => MediaRecorder.isTypeSupported(t)) ??
    'video/webm';
}

export async function openCamera(): Promise<MediaStream> {
  try {
    return await navigator.mediaDevices.getUserMedia({
      video: { width: 640, height: 480 },
      audio: true,
    });
  } catch {
    throw new Error('camera_unavailable');
  }
}

export function closeCamera(stream: MediaStream | null): void {
  stream?.getTracks().forEach((t) => t.stop());
}

export interface Recording {
  blob: Blob;
  durationSeconds: number;
}

/**
 * Starts recording `stream`, handing each chunk (one a second) to `onChunk` as well; the returned function stops and
 * resolves with the whole take once the last chunk is out.
 */
export function startRecording(
  stream: MediaStream,
  onChunk?: (chunk: Blob) => void,
): () => Promise<Recording> {
  const type = recordingType();
  const recorder = new MediaRecorder(stream, { mimeType: type });
  const chunks: Blob[] = [];
  const started = performance.now();
  recorder.ondataavailable = (e) => {
    if (e.data.size === 0) return;
    chunks.push(e.data);
    onChunk?.(e.data);
  };
  recorder.start(1000);
  return () =>
    new Promise((resolve) => {
      recorder.onstop = () =>
        resolve({
          blob: new Blob(chunks, { type }),
          durationSeconds: (performance.now() - started) / 1000,
        });
      recorder.stop();
    });
}
