import assert from 'node:assert/strict';
import { hashToken } from './token.ts';

Deno.test('the token hash is sha256 of the UTF-8 text, as the database stores it', async () => {
  const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  // sha256("abc") from FIPS 180-2
  assert.equal(hex(await hashToken('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});
