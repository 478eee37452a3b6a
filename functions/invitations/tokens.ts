// Invitation tokens: 256 random bits as base64url text. The database stores only sha256(utf8(token)) in
// private.invitation_tokens (the activation function looks tokens up by that hash). Until its email is sent, the
// outbox keeps the token encrypted with AES-GCM under a key derived from the service role key, so a copy of the
// database alone never yields a usable link.

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.startsWith('\\x') ? hex.slice(2) : hex;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** A new token: 32 random bytes, base64url without padding (43 characters). */
export function newToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** sha256 of the token's UTF-8 bytes: the value of private.invitation_tokens.token_hash. */
export async function hashToken(token: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(token)));
}

const keys = new Map<string, Promise<CryptoKey>>();

/** The outbox key: HKDF-SHA256 of the service role key. Rotating that key makes queued emails fail (not leak). */
function outboxKey(serviceRoleKey: string): Promise<CryptoKey> {
  let key = keys.get(serviceRoleKey);
  if (!key) {
    key = (async () => {
      const material = await crypto.subtle.importKey('raw', encoder.encode(serviceRoleKey), 'HKDF', false, [
        'deriveKey',
      ]);
      return await crypto.subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode('invitations/email-outbox/v1') },
        material,
        { name: 'AES-GCM', length: 256 },
        false,
        ['encrypt', 'decrypt'],
      );
    })();
    keys.set(serviceRoleKey, key);
  }
  return key;
}

/** nonce (12 bytes) || AES-GCM ciphertext of the token. */
export async function sealToken(token: string, serviceRoleKey: string): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await outboxKey(serviceRoleKey), encoder.encode(token)),
  );
  const out = new Uint8Array(iv.length + sealed.length);
  out.set(iv);
  out.set(sealed, iv.length);
  return out;
}

/** The token sealed by `sealToken`; throws when the key changed or the bytes were altered. */
export async function openToken(sealed: Uint8Array, serviceRoleKey: string): Promise<string> {
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: sealed.slice(0, 12) },
    await outboxKey(serviceRoleKey),
    sealed.slice(12),
  );
  return new TextDecoder().decode(plain);
}

export interface IssuedToken {
  token: string;
  /** hex of sha256(token), for the SQL functions (decode(..., 'hex')). */
  hashHex: string;
  /** hex of the sealed token, for the outbox. */
  secretHex: string;
}

export async function issueToken(serviceRoleKey: string): Promise<IssuedToken> {
  const token = newToken();
  return {
    token,
    hashHex: toHex(await hashToken(token)),
    secretHex: toHex(await sealToken(token, serviceRoleKey)),
  };
}
