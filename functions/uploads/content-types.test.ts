import assert from 'node:assert/strict';
import { filenameMatches, normalizeContentType, VIDEO_FORMATS } from './content-types.ts';

Deno.test('WebM and MP4 are allowed, with or without codecs, and normalized to one exact string', () => {
  const cases: Array<[string, string]> = [
    ['video/webm', 'video/webm'],
    ['Video/WebM', 'video/webm'],
    ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp8,opus'],
    ['video/webm; codecs="vp9, opus"', 'video/webm;codecs=vp9,opus'],
    ['video/mp4;codecs=avc1.42E01E,mp4a.40.2', 'video/mp4;codecs=avc1.42E01E,mp4a.40.2'],
    ['video/webm;', 'video/webm'],
  ];
  for (const [input, expected] of cases) {
    const result = normalizeContentType(input);
    assert.ok(result.ok, input);
    assert.equal(result.contentType, expected, input);
  }
});

Deno.test('types off the allow-list are refused as not allowed', () => {
  for (const type of ['video/quicktime', 'text/html', 'video/webm2', 'application/octet-stream', '', 'video']) {
    assert.deepEqual(normalizeContentType(type), { ok: false, reason: 'not_allowed' }, type);
  }
});

Deno.test('parameters other than one well-formed codecs list are refused (nothing else reaches a signed header)', () => {
  for (
    const type of [
      'video/webm;charset=utf-8',
      'video/webm;codecs=vp8;codecs=vp9',
      'video/webm;codecs=vp8\r\nx-amz-acl: public-read',
      'video/webm;codecs=<script>',
      'video/webm;codecs',
      'video/webm;codecs=' + 'a'.repeat(300),
    ]
  ) {
    assert.equal(normalizeContentType(type).ok, false, type);
  }
});

Deno.test('a legacy filename only has to carry the extension of its type', () => {
  const [webm, mp4] = VIDEO_FORMATS;
  assert.equal(filenameMatches('answer.webm', webm), true);
  assert.equal(filenameMatches('../../x/Answer.WEBM', webm), true);
  assert.equal(filenameMatches('answer.mp4', webm), false);
  assert.equal(filenameMatches('answer.webm.exe', webm), false);
  assert.equal(filenameMatches('answer', mp4), false);
  assert.equal(filenameMatches('clip.mp4', mp4), true);
});
