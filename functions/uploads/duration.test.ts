import assert from 'node:assert/strict';
import { type ByteSource, recordingDuration, webmDurationFromTail } from './duration.ts';

const fixture = (name: string) => Deno.readFile(new URL(`../../tests/fixtures/${name}`, import.meta.url));

/** A source over bytes that counts what is read, as ranged GETs would. */
function source(bytes: Uint8Array) {
  const counted = { read: 0 };
  const src: ByteSource = {
    size: bytes.length,
    read: (start, end) => {
      counted.read += end - start;
      return Promise.resolve(bytes.slice(start, end));
    },
  };
  return { src, counted };
}

Deno.test('the duration of an MP4 and of a WebM with a duration header is read from the file', async () => {
  for (const [name, type] of [['clip.mp4', 'video/mp4'], ['clip.webm', 'video/webm']]) {
    const { src } = source(await fixture(name));
    const seconds = await recordingDuration(src, type);
    assert.ok(seconds !== null && Math.abs(seconds - 1) < 0.1, `${name}: ${seconds}`);
  }
});

Deno.test("a WebM without a duration (MediaRecorder's kind, written live) is measured from its last cluster", async () => {
  for (const [name, expected] of [['recorder-3s.webm', 3], ['recorder-20s.webm', 20]] as const) {
    const { src } = source(await fixture(name));
    const seconds = await recordingDuration(src, 'video/webm');
    assert.ok(seconds !== null && Math.abs(seconds - expected) < 0.2, `${name}: ${seconds}`);
  }
});

Deno.test('the last cluster in the tail gives the duration: the timecode scale from the head, nothing between', () => {
  return fixture('recorder-20s.webm').then((bytes) => {
    const seconds = webmDurationFromTail(bytes.slice(0, 4096), bytes.slice(bytes.length - 16 * 1024));
    assert.ok(seconds !== null && Math.abs(seconds - 20) < 0.2, `${seconds}`);
  });
});

Deno.test('a 20 s live WebM of several MB is measured with bounded reads, never read whole', async () => {
  // Made with Debian's ffmpeg as MediaRecorder writes: to a pipe (no duration, clusters of unknown size).
  const out = await new Deno.Command('ffmpeg', {
    args: [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=320x240:rate=30,noise=alls=80:allf=t',
      '-t',
      '20',
      '-c:v',
      'libvpx',
      '-b:v',
      '2M',
      '-live',
      '1',
      '-f',
      'webm',
      'pipe:1',
    ],
    stdout: 'piped',
  }).output();
  assert.ok(out.success, 'ffmpeg made the recording');
  const { src, counted } = source(out.stdout);
  assert.ok(out.stdout.length > 2 * 1024 * 1024, `${out.stdout.length} bytes`);
  const seconds = await recordingDuration(src, 'video/webm');
  assert.ok(seconds !== null && Math.abs(seconds - 20) < 0.2, `${seconds}`);
  console.log(`${counted.read} of ${out.stdout.length} bytes read`);
  assert.ok(counted.read < out.stdout.length / 2, `${counted.read} of ${out.stdout.length} bytes read`);
});

Deno.test('bytes that are not a video give no duration', async () => {
  const { src } = source(new TextEncoder().encode('not a video at all, just text '.repeat(100)));
  assert.equal(await recordingDuration(src, 'video/webm'), null);
  assert.equal(webmDurationFromTail(new Uint8Array(), new Uint8Array([0x1f, 0x43, 0xb6, 0x75])), null);
});
