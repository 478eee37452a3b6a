// JWTs of the auth stand-in: user access tokens signed with the one GOTRUE_JWT_KEYS key marked for signing (HS256
// with GOTRUE_JWT_SECRET when there is none, as GoTrue does), and verification of incoming bearer tokens signed by
// any configured key (the legacy HS256 anon/service_role keys included).
import { decodeProtectedHeader, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { AuthConfig } from './config.ts';

type Key = CryptoKey | Uint8Array;

export class Tokens {
  private signKey: Promise<Key>;
  private verifyKeys = new Map<string, Promise<Key>>();
  private secret: Uint8Array;

  constructor(private config: AuthConfig) {
    this.secret = new TextEncoder().encode(config.jwt.secret);
    const signing = config.jwt.signingKey;
    this.signKey = signing ? importJWK(signing, signing.alg ?? 'ES256') as Promise<Key> : Promise.resolve(this.secret);
    for (const key of config.jwt.keys) {
      if (key.kid && key.kty !== 'oct') {
        this.verifyKeys.set(key.kid, importJWK(publicJwk(key), key.alg ?? 'ES256') as Promise<Key>);
      }
    }
  }

  /** The public keys served at /.well-known/jwks.json. */
  jwks(): { keys: JWK[] } {
    return { keys: this.config.jwt.keys.filter((key) => key.kty !== 'oct').map(publicJwk) };
  }

  async sign(claims: Record<string, unknown>): Promise<string> {
    const signing = this.config.jwt.signingKey;
    const header = signing
      ? { alg: signing.alg ?? 'ES256', kid: signing.kid, typ: 'JWT' }
      : { alg: 'HS256', typ: 'JWT' };
    return await new SignJWT(claims as JWTPayload).setProtectedHeader(header).sign(await this.signKey);
  }

  /** Verifies signature and expiry; throws with GoTrue's message on failure. */
  async verify(token: string): Promise<JWTPayload & Record<string, unknown>> {
    const header = decodeProtectedHeader(token);
    const alg = header.alg ?? '';
    if (!this.config.jwt.validMethods.includes(alg)) throw new Error(`signing method ${alg} is invalid`);
    let key: Key | undefined;
    if (alg === 'HS256') key = this.secret;
    else if (header.kid && this.verifyKeys.has(header.kid)) key = await this.verifyKeys.get(header.kid);
    if (!key) throw new Error('unrecognized JWT kid');
    const { payload } = await jwtVerify(token, key, { algorithms: [alg] });
    return payload as JWTPayload & Record<string, unknown>;
  }
}

function publicJwk(key: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, key_ops: _ops, ...rest } = key;
  return { ...rest, alg: key.alg ?? 'ES256', use: 'sig', key_ops: ['verify'] };
}
