// JWT verification and the auth middlewares.
//
// User tokens come from Supabase Auth: ES256 (or RS256) signed with a key published in the project's JWKS, or HS256
// with the legacy secret on older projects. They must carry our issuer, audience `authenticated`, an expiry and a
// subject. The legacy anon and service_role API keys are HS256 JWTs too, with iss `supabase` (hosted) or
// `supabase-demo` (CLI) and no audience; those issuers are accepted for those two roles only.
import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  type JWTPayload,
  jwtVerify,
} from 'jose';
import { z } from 'zod';
import type { AppConfig, JwtConfig } from './config.ts';
import { AppError, forbidden, unauthorized, unavailable } from './errors.ts';

/** The verified claims of a user's access token, as Supabase Auth issues them. */
export interface Claims {
  sub: string;
  role: string;
  exp: number;
  iss?: string;
  aud?: string | string[];
  iat?: number;
  email?: string;
  phone?: string;
  /** Our role (hiring_manager, candidate, admin), added by the custom access token hook. */
  user_role?: string;
  session_id?: string;
  is_anonymous?: boolean;
  aal?: string;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
  [claim: string]: unknown;
}

/** What a verified token is: a user's session, or one of the two legacy API keys. */
export type VerifiedToken =
  | { kind: 'user'; claims: Claims }
  | { kind: 'anon' | 'service_role'; claims: JWTPayload & { role: string } };

export type TokenVerifier = (token: string) => Promise<VerifiedToken>;

/** Hono variables set by `requireUser()`. */
export type UserVariables = { claims: Claims; accessToken: string };
/** Hono variables set by `optionalUser()`: null without a user token. */
export type OptionalUserVariables = { claims: Claims | null; accessToken: string | null };

/** What the auth middlewares read from the context (set by `createApp`). */
type ConfigVariables = { config: AppConfig };

export const USER_AUDIENCE = 'authenticated';
const LEGACY_KEY_ISSUERS = ['supabase', 'supabase-demo'];
const ASYMMETRIC_ALGORITHMS = ['ES256', 'RS256'];
const CLOCK_TOLERANCE_SECONDS = 5;

const userClaimsSchema = z.looseObject({
  sub: z.string().min(1),
  role: z.string().min(1),
  exp: z.number(),
  email: z.string().optional(),
  user_role: z.string().optional(),
  session_id: z.string().optional(),
});

type InvalidReason = 'malformed' | 'algorithm' | 'signature' | 'expired' | 'claims' | 'unknown_key';

function invalidToken(reason: InvalidReason, message: string, cause?: unknown): AppError {
  return new AppError(401, 'invalid_token', message, { reason }, { cause });
}

function fromJoseError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof joseErrors.JWTExpired) return invalidToken('expired', 'The access token has expired', error);
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return invalidToken('claims', `The access token is not valid here (${error.claim})`, error);
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return invalidToken('signature', 'The access token signature is invalid', error);
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey) {
    return invalidToken('unknown_key', 'The access token was signed with an unknown key', error);
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed || error instanceof joseErrors.JOSENotSupported) {
    return invalidToken('algorithm', 'The access token algorithm is not accepted', error);
  }
  if (error instanceof joseErrors.JWKSTimeout || !(error instanceof joseErrors.JOSEError)) {
    // The JWKS could not be fetched: we cannot tell a good token from a bad one.
    return unavailable('jwks_unavailable', 'The signing keys could not be loaded', error);
  }
  return invalidToken('malformed', 'The access token is malformed', error);
}

export interface VerifierOptions {
  /** Verified tokens remembered (most recent first out when full). 0 turns the memory off. */
  cacheSize?: number;
  /** Seconds since the epoch; tests move it. */
  now?: () => number;
}

/** A verified token is remembered at most this long, whatever its own expiry (key rotation takes effect by then). */
const REMEMBER_SECONDS = 60;

/**
 * Builds a verifier for one JWT configuration. The JWKS (local or remote) is loaded once per verifier.
 *
 * An SPA sends the same access token with every request until it refreshes it, and an ES256 signature check costs
 * about 0.4 ms of this single-threaded runtime, so a verified token is remembered for up to a minute: a later request
 * with the same token skips the signature and claim checks, but never outlives the token's `exp`.
 */
export function createTokenVerifier(jwt: JwtConfig, options: VerifierOptions = {}): TokenVerifier {
  const now = options.now ?? (() => Date.now() / 1000);
  const verify = createUncachedVerifier(jwt, now);
  const cacheSize = options.cacheSize ?? 5_000;
  const remembered = new Map<string, { verified: VerifiedToken; until: number }>();

  return async (token: string): Promise<VerifiedToken> => {
    const hit = remembered.get(token);
    if (hit && now() < hit.until) return hit.verified;
    if (hit) remembered.delete(token);
    const verified = await verify(token);
    if (cacheSize > 0) {
      const exp = typeof verified.claims.exp === 'number' ? verified.claims.exp + CLOCK_TOLERANCE_SECONDS : Infinity;
      if (remembered.size >= cacheSize) remembered.delete(remembered.keys().next().value!);
      remembered.set(token, { verified, until: Math.min(exp, now() + REMEMBER_SECONDS) });
    }
    return verified;
  };
}

function createUncachedVerifier(jwt: JwtConfig, now: () => number): TokenVerifier {
  const keySet = jwt.jwks ? createLocalJWKSet(jwt.jwks) : createRemoteJWKSet(new URL(jwt.jwksUrl));
  const secret = jwt.secret ? new TextEncoder().encode(jwt.secret) : null;

  function asUser(payload: JWTPayload): VerifiedToken {
    const parsed = userClaimsSchema.safeParse(payload);
    if (!parsed.success) throw invalidToken('claims', 'The access token lacks a subject or role');
    return { kind: 'user', claims: parsed.data as Claims };
  }

  return async (token: string): Promise<VerifiedToken> => {
    try {
      let alg: string | undefined;
      try {
        alg = decodeProtectedHeader(token).alg;
      } catch (error) {
        throw invalidToken('malformed', 'The access token is malformed', error);
      }

      if (alg && ASYMMETRIC_ALGORITHMS.includes(alg)) {
        const { payload } = await jwtVerify(token, keySet, {
          algorithms: ASYMMETRIC_ALGORITHMS,
          issuer: jwt.issuer,
          audience: USER_AUDIENCE,
          requiredClaims: ['exp', 'sub'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: new Date(now() * 1000),
        });
        return asUser(payload);
      }

      if (alg === 'HS256') {
        if (!secret) throw invalidToken('algorithm', 'HS256 tokens are not accepted (no JWT secret configured)');
        const { payload } = await jwtVerify(token, secret, {
          algorithms: ['HS256'],
          requiredClaims: ['exp'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: new Date(now() * 1000),
        });
        const role = payload.role;
        if (
          (role === 'anon' || role === 'service_role') && payload.iss !== undefined &&
          (LEGACY_KEY_ISSUERS.includes(payload.iss) || payload.iss === jwt.issuer)
        ) {
          return { kind: role, claims: { ...payload, role } };
        }
        if (payload.iss !== jwt.issuer) throw invalidToken('claims', 'The access token is not valid here (iss)');
        const aud = payload.aud;
        if (!(aud === USER_AUDIENCE || (Array.isArray(aud) && aud.includes(USER_AUDIENCE)))) {
          throw invalidToken('claims', 'The access token is not valid here (aud)');
        }
        return asUser(payload);
      }

      throw invalidToken('algorithm', 'The access token algorithm is not accepted');
    } catch (error) {
      throw fromJoseError(error);
    }
  };
}

const verifiers = new WeakMap<JwtConfig, TokenVerifier>();

/** The verifier of a configuration, created on first use (so the remote JWKS cache lives as long as the config). */
export function verifierFor(config: AppConfig): TokenVerifier {
  let verifier = verifiers.get(config.jwt);
  if (!verifier) {
    verifier = createTokenVerifier(config.jwt);
    verifiers.set(config.jwt, verifier);
  }
  return verifier;
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined | null): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1] : null;
}

/** Compares secrets in time independent of where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

const PUBLISHABLE_KEY_PREFIX = 'sb_publishable_';

function noUserToken(): AppError {
  return unauthorized('missing_token', 'Sign in first: this endpoint needs a user access token');
}

async function verifyRequest(
  authorization: string | undefined,
  config: AppConfig,
): Promise<{ token: string; verified: VerifiedToken } | null> {
  const token = bearerToken(authorization);
  // What supabase-js sends when nobody is signed in: the project's anon key (recognised without the JWT secret, which
  // hosted functions are not given) or a publishable key, which is not a JWT at all.
  if (!token || timingSafeEqual(token, config.anonKey) || token.startsWith(PUBLISHABLE_KEY_PREFIX)) return null;
  return { token, verified: await verifierFor(config)(token) };
}

/** Requires a signed-in user's token; puts its claims on `c.var.claims`. 401 `missing_token` / `invalid_token`. */
export function requireUser(): MiddlewareHandler<{ Variables: ConfigVariables & UserVariables }> {
  return createMiddleware<{ Variables: ConfigVariables & UserVariables }>(async (c, next) => {
    const result = await verifyRequest(c.req.header('authorization'), c.get('config'));
    // The anon key is what supabase-js sends when nobody is signed in: a valid token, but no user.
    if (!result || result.verified.kind !== 'user') throw noUserToken();
    c.set('claims', result.verified.claims);
    c.set('accessToken', result.token);
    await next();
  });
}

/** Like `requireUser`, but a request without a user (no token, or the anon key) passes with `claims` null. */
export function optionalUser(): MiddlewareHandler<{ Variables: ConfigVariables & OptionalUserVariables }> {
  return createMiddleware<{ Variables: ConfigVariables & OptionalUserVariables }>(async (c, next) => {
    const result = await verifyRequest(c.req.header('authorization'), c.get('config'));
    if (result && result.verified.kind === 'user') {
      c.set('claims', result.verified.claims);
      c.set('accessToken', result.token);
    } else {
      c.set('claims', null);
      c.set('accessToken', null);
    }
    await next();
  });
}

/**
 * Requires the service role: the configured SUPABASE_SERVICE_ROLE_KEY itself, or a verified token whose role is
 * service_role. 401 without a valid token, 403 `service_role_required` with any other valid one.
 */
export function requireServiceRole(): MiddlewareHandler<{ Variables: ConfigVariables }> {
  return createMiddleware<{ Variables: ConfigVariables }>(async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (!token) throw unauthorized('missing_token', 'This endpoint needs the service role key');
    // An exact match needs no JWT secret, which a deployed function may not have (SUPABASE_JWT_SECRET is optional).
    if (!timingSafeEqual(token, c.get('config').serviceRoleKey)) {
      const verified = await verifierFor(c.get('config'))(token);
      if (verified.kind !== 'service_role') {
        throw forbidden('service_role_required', 'This endpoint needs the service role key');
      }
    }
    await next();
  });
}
