import assert from 'node:assert/strict';
import { fromHex, hashToken, issueToken, newToken, openToken, sealToken, toHex } from './tokens.ts';

Deno.test('a token is 256 random bits in base64url', () => {
  const token = newToken();
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(newToken(), token);
});

Deno.test('the stored hash is sha256 of the UTF-8 token', async () => {
  // sha256("abc"), the FIPS 180-2 test vector.
  assert.equal(toHex(await hashToken('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

Deno.test('a sealed token opens with the same key and not with another', async () => {
  const sealed = await sealToken('the-token', 'key-one');
  assert.equal(await openToken(sealed, 'key-one'), 'the-token');
  await assert.rejects(() => openToken(sealed, 'key-two'));
  const tampered = sealed.slice();
  tampered[20] ^= 1;
  await assert.rejects(() => openToken(tampered, 'key-one'));
});

Deno.test('issueToken gives the hash and sealed token as hex the database decodes', async () => {
  const issued = await issueToken('service-key');
  assert.equal(issued.hashHex, toHex(await hashToken(issued.token)));
  assert.equal(await openToken(fromHex(issued.secretHex), 'service-key'), issued.token);
  assert.deepEqual(fromHex('\\x0aff'), new Uint8Array([10, 255]));
});
