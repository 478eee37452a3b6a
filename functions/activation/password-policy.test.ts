import assert from 'node:assert/strict';
import { parse } from 'smol-toml';
import {
  describePasswordProblems,
  MAX_PASSWORD_BYTES,
  MIN_PASSWORD_LENGTH,
  passwordProblems,
} from './password-policy.ts';

Deno.test('the minimum length is the one supabase/config.toml gives the Auth server', async () => {
  const toml = parse(await Deno.readTextFile(new URL('../../supabase/config.toml', import.meta.url))) as {
    auth: { minimum_password_length: number };
  };
  assert.equal(MIN_PASSWORD_LENGTH, toml.auth.minimum_password_length);
});

Deno.test('a password of letters and digits at the minimum length is accepted', () => {
  assert.deepEqual(passwordProblems('abcdefg1'), []);
  assert.deepEqual(passwordProblems('ÉTÉ2026!'), []);
});

Deno.test('a password one character short is too short', () => {
  assert.deepEqual(passwordProblems('abcdef1'), ['too_short']);
});

Deno.test('length counts characters, not bytes or UTF-16 units', () => {
  // 7 emoji (2 UTF-16 units each) plus nothing else: too short and lacking letter and digit
  assert.deepEqual(passwordProblems('😀😀😀😀😀😀😀'), ['too_short', 'needs_letter', 'needs_digit']);
  assert.deepEqual(passwordProblems('ééééééé1'), []);
});

Deno.test('a password needs a letter and a digit, in any script', () => {
  assert.deepEqual(passwordProblems('12345678'), ['needs_letter']);
  assert.deepEqual(passwordProblems('abcdefgh'), ['needs_digit']);
  assert.deepEqual(passwordProblems('!!!!!!!!'), ['needs_letter', 'needs_digit']);
  assert.deepEqual(passwordProblems('пароль٣٣٣'), []);
});

Deno.test('a password longer than bcrypt reads (72 bytes of UTF-8) is refused', () => {
  assert.deepEqual(passwordProblems('a1'.repeat(36)), []);
  assert.deepEqual(passwordProblems('a1'.repeat(36) + 'x'), ['too_long']);
  // 36 two-byte characters plus one digit: 37 characters but 73 bytes
  assert.deepEqual(passwordProblems('é'.repeat(36) + '1'), ['too_long']);
  assert.equal(MAX_PASSWORD_BYTES, 72);
});

Deno.test('the message names every unmet requirement', () => {
  assert.equal(
    describePasswordProblems(['too_short', 'needs_digit']),
    `The password needs at least ${MIN_PASSWORD_LENGTH} characters, a digit.`,
  );
});
