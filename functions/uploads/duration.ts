// The real duration of a stored recording, read from the file with ranged reads (a few hundred KB at most, never the
// whole video). MP4 and WebM with a duration in their header are read by mediabunny. Chrome's MediaRecorder WebM has
// no duration and clusters of unknown size, which mediabunny can only measure by reading every byte: for those, the
// last cluster's timecode (and its last block's offset) in the file's tail gives the duration.
import { ALL_FORMATS, Input, StreamSource } from 'mediabunny';

/** Reads bytes [start, end) of the object. */
export interface ByteSource {
  size: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

/** What mediabunny may read before the tail scan takes over. */
const HEADER_BUDGET_BYTES = 512 * 1024;
/** The tail read for the last cluster, widened step by step when a cluster is longer than that. */
const TAIL_STEPS_BYTES = [256 * 1024, 1024 * 1024, 4 * 1024 * 1024];
const CHUNK_BYTES = 64 * 1024;

class BudgetExceeded extends Error {}

/** Reads in aligned chunks, each at most once, and refuses to read past `budget` bytes in all. */
function chunked(source: ByteSource, budget: number) {
  const chunks = new Map<number, Promise<Uint8Array>>();
  let spent = 0;
  const chunk = (index: number) => {
    let got = chunks.get(index);
    if (!got) {
      const start = index * CHUNK_BYTES;
      const end = Math.min(source.size, start + CHUNK_BYTES);
      spent += end - start;
      if (spent > budget) throw new BudgetExceeded();
      got = source.read(start, end);
      chunks.set(index, got);
    }
    return got;
  };
  return {
    async read(start: number, end: number): Promise<Uint8Array> {
      const out = new Uint8Array(end - start);
      for (let i = Math.floor(start / CHUNK_BYTES); i * CHUNK_BYTES < end; i++) {
        const bytes = await chunk(i);
        const from = Math.max(start, i * CHUNK_BYTES);
        const to = Math.min(end, i * CHUNK_BYTES + bytes.length);
        out.set(bytes.subarray(from - i * CHUNK_BYTES, to - i * CHUNK_BYTES), from - start);
      }
      return out;
    },
  };
}

/** Duration in seconds, or null when the file cannot be read as a video. */
export async function recordingDuration(source: ByteSource, contentType: string): Promise<number | null> {
  const reader = chunked(source, HEADER_BUDGET_BYTES);
  try {
    const input = new Input({
      formats: ALL_FORMATS,
      source: new StreamSource({ getSize: () => source.size, read: (start, end) => reader.read(start, end) }),
    });
    const seconds = await input.computeDuration();
    return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
  } catch (error) {
    if (!(error instanceof BudgetExceeded) || !contentType.startsWith('video/webm')) return null;
  }
  const head = await source.read(0, Math.min(source.size, CHUNK_BYTES));
  for (const bytes of TAIL_STEPS_BYTES) {
    const seconds = webmDurationFromTail(head, await source.read(Math.max(0, source.size - bytes), source.size));
    if (seconds !== null || bytes >= source.size) return seconds;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------------
// WebM (Matroska EBML) tail scan
// ---------------------------------------------------------------------------------------------------------------------

const CLUSTER = [0x1f, 0x43, 0xb6, 0x75];
const TIMECODE_SCALE = [0x2a, 0xd7, 0xb1];
const CLUSTER_TIMECODE = 0xe7;
const SIMPLE_BLOCK = 0xa3;
const BLOCK_GROUP = 0xa0;
const BLOCK = 0xa1;

/** An EBML variable-length integer at `at`: its value (null when all ones: "unknown size") and its length. */
function vint(bytes: Uint8Array, at: number): { value: number | null; length: number } | null {
  const first = bytes[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (at + length > bytes.length) return null;
  let value = first & (0xff >> length);
  let allOnes = value === (0xff >> length);
  for (let i = 1; i < length; i++) {
    value = value * 256 + bytes[at + i];
    allOnes &&= bytes[at + i] === 0xff;
  }
  return { value: allOnes ? null : value, length };
}

function uint(bytes: Uint8Array, at: number, length: number): number {
  let value = 0;
  for (let i = 0; i < length; i++) value = value * 256 + bytes[at + i];
  return value;
}

function indexOf(bytes: Uint8Array, pattern: number[], from: number, backwards = false): number {
  for (let i = from; backwards ? i >= 0 : i <= bytes.length - pattern.length; backwards ? i-- : i++) {
    if (pattern.every((b, k) => bytes[i + k] === b)) return i;
  }
  return -1;
}

/** The largest block timecode (relative to its cluster) among the elements that follow `at` in `bytes`. */
function lastBlockOffset(bytes: Uint8Array, at: number): number {
  let last = 0;
  while (at < bytes.length) {
    const id = bytes[at];
    const size = vint(bytes, at + 1);
    if (!size || size.value === null) break;
    const body = at + 1 + size.length;
    const block = id === SIMPLE_BLOCK ? body : id === BLOCK_GROUP && bytes[body] === BLOCK ? body + 1 : -1;
    if (block >= 0) {
      const inner = id === SIMPLE_BLOCK ? block : block + (vint(bytes, block)?.length ?? 0);
      const track = vint(bytes, inner);
      if (track && inner + track.length + 2 <= bytes.length) {
        last = Math.max(last, new DataView(bytes.buffer, bytes.byteOffset).getInt16(inner + track.length));
      }
    } else if (id === 0x1f || id === 0x1c || id === 0x1a) {
      break; // the next cluster, cues or another top-level element
    }
    at = body + size.value;
  }
  return last;
}

/** Seconds from the file's first bytes (TimecodeScale) and its last ones (the last cluster), or null. */
export function webmDurationFromTail(head: Uint8Array, tail: Uint8Array): number | null {
  let scale = 1_000_000; // Matroska's default: timecodes in milliseconds
  const scaleAt = indexOf(head, TIMECODE_SCALE, 0);
  if (scaleAt >= 0) {
    const size = vint(head, scaleAt + 3);
    if (size?.value && size.value <= 8) scale = uint(head, scaleAt + 3 + size.length, size.value);
  }
  for (let at = indexOf(tail, CLUSTER, tail.length - 4, true); at >= 0; at = indexOf(tail, CLUSTER, at - 1, true)) {
    const size = vint(tail, at + 4);
    if (!size) continue;
    const first = at + 4 + size.length;
    if (tail[first] !== CLUSTER_TIMECODE) continue;
    const tcSize = vint(tail, first + 1);
    if (!tcSize?.value || tcSize.value > 8) continue;
    const timecode = uint(tail, first + 1 + tcSize.length, tcSize.value);
    const offset = lastBlockOffset(tail, first + 1 + tcSize.length + tcSize.value);
    return ((timecode + offset) * scale) / 1e9;
  }
  return null;
}
