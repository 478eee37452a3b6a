// Unit-test support for code built on shared/: a complete configuration without a running stack, and real signed
// tokens (an ES256 key made for the test, published as SUPABASE_JWKS, plus the legacy HS256 secret and keys), so
// routes can be exercised with app.request() and real JWT verification. Never imported by function code.
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { type AppConfig, type Env, loadConfig } from './config.ts';
import type { Claims } from './auth.ts';

export const TEST_SUPABASE_URL = 'http://127.0.0.1:54321';
export const TEST_ISSUER = `${TEST_SUPABASE_URL}/auth/v1`;
export const TEST_JWT_SECRET = 'a-test-only-hs256-secret-of-at-least-32-characters';
export const TEST_SITE_URL = 'http://localhost:3000';

/** The environment of a function, complete but pointing nowhere real (the DB URL is unreachable on purpose). */
export function testEnv(overrides: Env = {}): Env {
  return {
    SUPABASE_URL: TEST_SUPABASE_URL,
    SUPABASE_ANON_KEY: 'test-anon-key',
    SUPABASE_SERVICE_ROLE_KEY: 'test-service-role-key',
    SUPABASE_DB_URL: 'postgresql://postgres@127.0.0.1:9/postgres?sslmode=disable',
    SUPABASE_JWT_SECRET: TEST_JWT_SECRET,
    APP_SITE_URL: TEST_SITE_URL,
    LOG_LEVEL: 'error',
    ...overrides,
  };
}

export function testConfig(overrides: Env = {}): AppConfig {
  return loadConfig(testEnv(overrides));
}

export interface TestAuth {
  /** Configuration whose SUPABASE_JWKS holds the test's public key and whose keys are real HS256 legacy keys. */
  config: AppConfig;
  anonKey: string;
  serviceRoleKey: string;
  /** An ES256 user token as Supabase Auth issues it; `claims` override or add claims (undefined removes one). */
  userToken(claims?: Partial<Claims>, options?: { expiresIn?: number; kid?: string }): Promise<string>;
  /** Signs anything with the legacy HS256 secret. */
  signHs256(payload: JWTPayload): Promise<string>;
}

export async function createTestAuth(overrides: Env = {}): Promise<TestAuth> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = crypto.randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const secret = new TextEncoder().encode(overrides.SUPABASE_JWT_SECRET ?? TEST_JWT_SECRET);
  const signHs256 = (payload: JWTPayload) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
  const far = Math.floor(Date.now() / 1000) + 10 * 365 * 24 * 3600;
  const anonKey = await signHs256({ iss: 'supabase-demo', role: 'anon', exp: far });
  const serviceRoleKey = await signHs256({ iss: 'supabase-demo', role: 'service_role', exp: far });
  const config = testConfig({
    SUPABASE_JWKS: JSON.stringify({ keys: [jwk] }),
    SUPABASE_ANON_KEY: anonKey,
    SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey,
    ...overrides,
  });

  async function userToken(claims: Partial<Claims> = {}, options: { expiresIn?: number; kid?: string } = {}) {
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      iss: config.jwt.issuer,
      aud: 'authenticated',
      sub: crypto.randomUUID(),
      role: 'authenticated',
      email: 'user@example.test',
      session_id: crypto.randomUUID(),
      aal: 'aal1',
      is_anonymous: false,
      iat: now,
      exp: now + (options.expiresIn ?? 3600),
      ...claims,
    };
    for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
    return await new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: options.kid ?? kid })
      .sign(privateKey);
  }

  return { config, anonKey, serviceRoleKey, userToken, signHs256 };
}
