// The video formats a take may be recorded in. MediaRecorder reports types such as `video/webm;codecs=vp8,opus` or
// `video/mp4;codecs=avc1.42E01E,mp4a.40.2`: the base type must be on the allow-list, `codecs` is the only parameter
// accepted, and the type is normalized once here, because the browser must send back exactly the string the grant
// pins (the POST policy's Content-Type, the PUT signature's content-type header).

export interface VideoFormat {
  /** Base media type, lowercase. */
  base: string;
  /** File extension of the object key (the database builds the key from the base type the same way). */
  extension: string;
}

export const VIDEO_FORMATS: readonly VideoFormat[] = [
  { base: 'video/webm', extension: 'webm' },
  { base: 'video/mp4', extension: 'mp4' },
];

export const ALLOWED_BASE_TYPES = VIDEO_FORMATS.map((f) => f.base);

const CODECS = /^[A-Za-z0-9.+-]+(,[A-Za-z0-9.+-]+)*$/;

export type ContentTypeResult =
  | { ok: true; contentType: string; format: VideoFormat }
  | { ok: false; reason: 'not_allowed' | 'bad_parameters' };

/** Parses and normalizes a content type: `video/webm; codecs="vp9, opus"` -> `video/webm;codecs=vp9,opus`. */
export function normalizeContentType(input: string): ContentTypeResult {
  if (input.length > 200) return { ok: false, reason: 'bad_parameters' };
  const [rawBase, ...params] = input.split(';');
  const base = rawBase.trim().toLowerCase();
  const format = VIDEO_FORMATS.find((f) => f.base === base);
  if (!format) return { ok: false, reason: 'not_allowed' };
  let codecs: string | null = null;
  for (const param of params) {
    if (param.trim() === '') continue;
    const eq = param.indexOf('=');
    if (eq < 0) return { ok: false, reason: 'bad_parameters' };
    const name = param.slice(0, eq).trim().toLowerCase();
    let value = param.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    value = value.replaceAll(/\s+/g, '');
    if (name !== 'codecs' || codecs !== null || !CODECS.test(value)) return { ok: false, reason: 'bad_parameters' };
    codecs = value;
  }
  return { ok: true, contentType: codecs ? `${base};codecs=${codecs}` : base, format };
}

/**
 * Whether an old client's `filename` is acceptable: only its extension is read, and it must be the allow-listed
 * extension of the content type. Nothing else of it goes anywhere (keys are built by the database).
 */
export function filenameMatches(filename: string, format: VideoFormat): boolean {
  const match = /\.([A-Za-z0-9]{1,10})$/.exec(filename.trim());
  return match !== null && match[1].toLowerCase() === format.extension;
}
