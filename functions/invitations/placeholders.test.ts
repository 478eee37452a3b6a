import assert from 'node:assert/strict';
import { unusablePasswordHash } from './placeholders.ts';

Deno.test('a placeholder password hash has bcrypt format, so GoTrue accepts it, and is different every time', () => {
  const hashes = Array.from({ length: 1000 }, unusablePasswordHash);
  for (const hash of hashes) assert.match(hash, /^\$2a\$10\$[./A-Za-z0-9]{53}$/);
  assert.equal(new Set(hashes).size, hashes.length);
  // Every character of the alphabet turns up: the random bits are spread over it, not stuck on a few.
  assert.equal(new Set(hashes.join('').slice(7)).size >= 64, true);
});
