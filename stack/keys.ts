// The signing keys of a local stack: Supabase's legacy HS256 secret (anon and service_role keys) and an ES256 key
// pair for user tokens, as Supabase now recommends. Kept in the stack's data folder so a restart keeps sessions valid.
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { join } from 'node:path';
import { exists } from './tools.ts';

// The Supabase CLI's well-known local secret: the dev stack then hands out the same anon and service_role keys as
// `supabase start`, so snippets from the Supabase docs work unchanged. Never use it anywhere but locally.
const DEMO_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const DEMO_KEY_EXPIRY = 1983812996;

export interface StackKeys {
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
  signingKey: JWK; // private ES256 JWK with kid, key_ops ["sign"]
  publicJwks: { keys: JWK[] }; // what /.well-known/jwks.json serves
  postgrestJwks: { keys: JWK[] }; // the public keys plus the HS256 secret as an `oct` key
}

async function legacyKey(secret: string, role: 'anon' | 'service_role'): Promise<string> {
  return await new SignJWT({ iss: 'supabase-demo', role, exp: DEMO_KEY_EXPIRY })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}

function base64url(text: string): string {
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export async function loadOrCreateKeys(dataDir: string, demoSecret: boolean): Promise<StackKeys> {
  const path = join(dataDir, 'keys.json');
  let stored: { jwtSecret: string; signingKey: JWK };
  if (await exists(path)) {
    stored = JSON.parse(await Deno.readTextFile(path));
  } else {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    const kid = crypto.randomUUID();
    stored = {
      jwtSecret: demoSecret ? DEMO_JWT_SECRET : base64url(crypto.getRandomValues(new Uint8Array(32)).join('-')),
      signingKey: { ...jwk, kid, alg: 'ES256', use: 'sig', key_ops: ['sign'] },
    };
    await Deno.writeTextFile(path, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  const { d: _private, key_ops: _ops, ...publicKey } = stored.signingKey;
  const publicJwk: JWK = { ...publicKey, key_ops: ['verify'] };
  const secretJwk: JWK = { kty: 'oct', k: base64url(stored.jwtSecret), alg: 'HS256' };
  return {
    jwtSecret: stored.jwtSecret,
    anonKey: await legacyKey(stored.jwtSecret, 'anon'),
    serviceRoleKey: await legacyKey(stored.jwtSecret, 'service_role'),
    signingKey: stored.signingKey,
    publicJwks: { keys: [publicJwk] },
    postgrestJwks: { keys: [publicJwk, secretJwk] },
  };
}
