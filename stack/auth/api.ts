// GoTrue's REST API, the subset supabase-js (auth-js) and the admin API use, with GoTrue's routes, JSON shapes and
// error codes. Routes carry no /auth/v1 prefix: the gateway strips it, as Kong does on Supabase.
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type postgres from 'postgres';
import { z } from 'zod';
import type { AuthConfig } from './config.ts';
import { parseDuration } from './config.ts';
import { actionLink, type MailType, sendAuthMail } from './mailer.ts';
import type { Tokens } from './tokens.ts';

type Sql = postgres.Sql;
type Tx = postgres.TransactionSql | postgres.Sql;
// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;

const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const VERSION = 'v2.189.0-standin';

/** A GoTrue HTTP error: status, snake_case error code, message, and optional extra body fields. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const badRequest = (code: string, msg: string) => new ApiError(400, code, msg);
const unprocessable = (code: string, msg: string) => new ApiError(422, code, msg);
const forbidden = (code: string, msg: string) => new ApiError(403, code, msg);
const notFound = (code: string, msg: string) => new ApiError(404, code, msg);

interface Env {
  Variables: { claims: Record<string, unknown>; user: Row; sessionId: string | null };
}

// ---------- helpers ----------

function iso(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return value instanceof Date ? value.toISOString() : String(value);
}

/** GoTrue's token hash: hex(SHA-224(email + otp)). */
function tokenHash(email: string, otp: string): string {
  return createHash('sha224').update(email + otp).digest('hex');
}

function randomOtp(length: number): string {
  const digits = crypto.getRandomValues(new Uint32Array(length));
  return Array.from(digits, (d) => String(d % 10)).join('');
}

function randomToken(length = 12): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

function validateEmail(raw: unknown): string {
  const email = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (!email) throw badRequest('validation_failed', 'An email address is required');
  if (email.length > 255) throw badRequest('validation_failed', 'An email address is too long');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw badRequest('email_address_invalid', 'Unable to validate email address: invalid format');
  }
  return email;
}

function mergeMetadata(current: Row | null, update: Row | null | undefined): Row {
  const result: Row = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(update ?? {})) {
    if (value === null) delete result[key];
    else result[key] = value;
  }
  return result;
}

function identityJson(row: Row): Row {
  return {
    identity_id: row.id,
    id: row.provider_id,
    user_id: row.user_id,
    identity_data: row.identity_data,
    provider: row.provider,
    last_sign_in_at: iso(row.last_sign_in_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    email: row.email ?? undefined,
  };
}

/** A user as GoTrue serialises models.User (empty optional fields omitted). */
function userJson(row: Row, identities: Row[]): Row {
  const out: Row = {
    id: row.id,
    aud: row.aud ?? '',
    role: row.role ?? '',
    email: row.email ?? '',
    email_confirmed_at: iso(row.email_confirmed_at),
    phone: row.phone ?? '',
    phone_confirmed_at: iso(row.phone_confirmed_at),
    confirmation_sent_at: iso(row.confirmation_sent_at),
    confirmed_at: iso(row.confirmed_at),
    recovery_sent_at: iso(row.recovery_sent_at),
    new_email: row.email_change || undefined,
    email_change_sent_at: iso(row.email_change_sent_at),
    invited_at: iso(row.invited_at),
    last_sign_in_at: iso(row.last_sign_in_at),
    app_metadata: row.raw_app_meta_data ?? {},
    user_metadata: row.raw_user_meta_data ?? {},
    identities: identities.map(identityJson),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    banned_until: iso(row.banned_until),
    is_anonymous: row.is_anonymous ?? false,
    deleted_at: iso(row.deleted_at),
  };
  if (row.is_sso_user) out.is_sso_user = true;
  return out;
}

async function loadUser(tx: Tx, id: string): Promise<Row | null> {
  const [row] = await tx`select * from auth.users where id = ${id}`;
  return row ?? null;
}

async function findUserByEmail(tx: Tx, email: string, aud: string): Promise<Row | null> {
  const [row] = await tx`
    select * from auth.users
    where instance_id = ${NIL_UUID} and lower(email) = ${email} and aud = ${aud} and is_sso_user = false`;
  return row ?? null;
}

async function fullUser(tx: Tx, id: string): Promise<Row> {
  const row = await loadUser(tx, id);
  if (!row) throw notFound('user_not_found', 'User not found');
  const identities = await tx`select * from auth.identities where user_id = ${id} order by created_at`;
  return userJson(row, identities);
}

function isBanned(row: Row): boolean {
  return row.banned_until instanceof Date && row.banned_until.getTime() > Date.now();
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^./]*';
    else if (c === '?') re += '[^./]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

// ---------- the app ----------

export function createApi(config: AuthConfig, sql: Sql, tokens: Tokens): Hono<Env> {
  const app = new Hono<Env>();
  const emailLog: number[] = [];

  function isRedirectValid(url: string | undefined | null): url is string {
    if (!url) return false;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    const site = new URL(config.siteUrl);
    if (parsed.hostname === site.hostname) return true;
    const plain = `${parsed.origin}${parsed.pathname}`.replace(/\/$/, '');
    return config.uriAllowList.some((pattern) =>
      pattern === url || globToRegExp(pattern).test(url) || globToRegExp(pattern).test(plain)
    );
  }

  function referrer(c: Context<Env>, body?: Row): string {
    const candidate = c.req.query('redirect_to') ?? body?.redirect_to ?? body?.redirectTo;
    return isRedirectValid(candidate) ? candidate : config.siteUrl;
  }

  function checkPassword(password: unknown): string {
    if (typeof password !== 'string' || password.length < config.passwordMinLength) {
      throw new ApiError(422, 'weak_password', `Password should be at least ${config.passwordMinLength} characters.`, {
        weak_password: { reasons: ['length'] },
      });
    }
    return password;
  }

  async function audit(tx: Tx, c: Context<Env>, action: string, actor: Row | null, traits?: Row) {
    const payload = {
      action,
      actor_id: actor?.id ?? NIL_UUID,
      actor_username: actor?.email ?? '',
      actor_via_sso: false,
      log_type: action.includes('token')
        ? 'token'
        : action.includes('login') || action === 'logout'
        ? 'account'
        : 'user',
      ...(traits ? { traits } : {}),
    };
    const ip = (c.req.header('x-forwarded-for') ?? '').split(',')[0].trim().slice(0, 64);
    await tx`insert into auth.audit_log_entries (instance_id, id, payload, created_at, ip_address)
             values (${NIL_UUID}, ${crypto.randomUUID()}, ${tx.json(payload)}, now(), ${ip})`;
  }

  function takeEmailBudget(): void {
    const hourAgo = Date.now() - 3600_000;
    while (emailLog.length && emailLog[0] < hourAgo) emailLog.shift();
    if (emailLog.length >= config.rateLimitEmailSent) {
      throw new ApiError(429, 'over_email_send_rate_limit', 'email rate limit exceeded');
    }
    emailLog.push(Date.now());
  }

  function checkFrequency(sentAt: unknown): void {
    if (!(sentAt instanceof Date)) return;
    const wait = sentAt.getTime() + config.smtp.maxFrequencySeconds * 1000 - Date.now();
    if (wait > 0) {
      throw new ApiError(
        429,
        'over_email_send_rate_limit',
        `For security purposes, you can only request this after ${Math.ceil(wait / 1000)} seconds.`,
      );
    }
  }

  async function mail(type: MailType, to: string, token: string, otp: string, redirectTo: string, newEmail?: string) {
    takeEmailBudget();
    try {
      await sendAuthMail(config, { type, to, token, otp, redirectTo, newEmail });
    } catch (error) {
      const what = {
        signup: 'confirmation',
        invite: 'invite',
        recovery: 'recovery',
        magiclink: 'magic link',
        email_change: 'email change',
      }[type];
      console.error(JSON.stringify({ level: 'error', msg: `error sending ${what} email`, error: String(error) }));
      throw new ApiError(500, 'unexpected_failure', `Error sending ${what} email`);
    }
  }

  /** Inserts a user and its email identity, as GoTrue's signupNewUser + createNewIdentity do. */
  async function createUser(
    tx: Tx,
    params: {
      email: string;
      password?: string | null;
      userMetadata?: Row;
      appMetadata?: Row;
      role?: string;
      confirmed?: boolean;
    },
  ): Promise<Row> {
    const id = crypto.randomUUID();
    const identityData = { sub: id, email: params.email, email_verified: !!params.confirmed, phone_verified: false };
    const appMeta = mergeMetadata({ provider: 'email', providers: ['email'] }, params.appMetadata);
    const userMeta = { ...(params.userMetadata ?? {}), ...identityData };
    try {
      await tx`
        insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
          raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at, is_sso_user, is_anonymous,
          confirmation_token, recovery_token, email_change_token_new, email_change)
        values (${NIL_UUID}, ${id}, ${config.jwt.aud}, ${params.role ?? config.jwt.defaultGroup}, ${params.email},
          case when ${params.password ?? null}::text is null then ''
               else extensions.crypt(${params.password ?? null}::text, extensions.gen_salt('bf', 10)) end,
          ${params.confirmed ? new Date() : null}, ${tx.json(appMeta)}, ${tx.json(userMeta)}, false, now(), now(),
          false, false, '', '', '', '')`;
      await tx`
        insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
        values (${id}, ${id}, ${tx.json(identityData)}, 'email', now(), now(), now())`;
    } catch (error) {
      if ((error as { code?: string }).code === '23505' && String((error as Error).message).includes('users_email')) {
        throw unprocessable('email_exists', 'A user with this email address has already been registered');
      }
      console.error(JSON.stringify({ level: 'error', msg: 'Database error saving new user', error: String(error) }));
      throw new ApiError(500, 'unexpected_failure', 'Database error saving new user');
    }
    const row = await loadUser(tx, id);
    return row as Row;
  }

  async function confirmEmail(tx: Tx, userId: string) {
    await tx`update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()), confirmation_token = '',
               raw_user_meta_data = case when raw_user_meta_data ? 'email_verified'
                 then raw_user_meta_data || '{"email_verified": true}'::jsonb else raw_user_meta_data end,
               updated_at = now()
             where id = ${userId}`;
    await tx`update auth.identities set identity_data = identity_data || '{"email_verified": true}'::jsonb, updated_at = now()
             where user_id = ${userId} and provider = 'email'`;
  }

  async function accessToken(
    tx: Tx,
    user: Row,
    sessionId: string,
    method: string,
  ): Promise<{ token: string; exp: number }> {
    const amrRows =
      await tx`select authentication_method, updated_at from auth.mfa_amr_claims where session_id = ${sessionId}`;
    const amr = amrRows.map((r) => ({
      method: r.authentication_method,
      timestamp: Math.floor(r.updated_at.getTime() / 1000),
    }));
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + config.jwt.exp;
    let claims: Row = {
      iss: config.jwt.issuer,
      aud: user.aud || config.jwt.aud,
      exp,
      iat,
      sub: user.id,
      email: user.email ?? '',
      phone: user.phone ?? '',
      app_metadata: user.raw_app_meta_data ?? {},
      user_metadata: user.raw_user_meta_data ?? {},
      role: user.role || config.jwt.defaultGroup,
      aal: 'aal1',
      amr,
      session_id: sessionId,
      is_anonymous: user.is_anonymous ?? false,
    };
    if (config.hook) {
      const input = { user_id: user.id, claims, authentication_method: method };
      const fn = `"${config.hook.schema.replaceAll('"', '""')}"."${config.hook.fn.replaceAll('"', '""')}"`;
      let output: Row;
      try {
        await tx.unsafe(`set local statement_timeout to '2s'`);
        const [row] = await tx.unsafe(`select ${fn}($1::text::jsonb) as result`, [JSON.stringify(input)]);
        output = row.result ?? {};
      } catch (error) {
        console.error(JSON.stringify({ level: 'error', msg: 'custom access token hook failed', error: String(error) }));
        throw new ApiError(
          500,
          'unexpected_failure',
          'Error running hook URI: pg-functions://postgres/' + `${config.hook.schema}/${config.hook.fn}`,
        );
      }
      if (output.error) {
        const status = Number(output.error.http_code) || 500;
        throw new ApiError(
          status,
          status >= 500 ? 'unexpected_failure' : 'unknown',
          String(output.error.message ?? 'hook error'),
        );
      }
      const out = output.claims;
      const requiredClaims = [
        'aud',
        'exp',
        'iat',
        'sub',
        'email',
        'phone',
        'role',
        'aal',
        'session_id',
        'is_anonymous',
      ];
      if (!out || typeof out !== 'object' || requiredClaims.some((k) => !(k in out))) {
        throw new ApiError(500, 'unexpected_failure', 'output claims do not conform to the expected schema');
      }
      claims = out;
    }
    return { token: await tokens.sign(claims), exp: Number(claims.exp) };
  }

  async function tokenResponse(tx: Tx, userId: string, sessionId: string, refreshToken: string, method: string) {
    const user = await loadUser(tx, userId);
    if (!user) throw notFound('user_not_found', 'User not found');
    const { token, exp } = await accessToken(tx, user, sessionId, method);
    const identities = await tx`select * from auth.identities where user_id = ${userId} order by created_at`;
    return {
      access_token: token,
      token_type: 'bearer',
      expires_in: config.jwt.exp,
      expires_at: exp,
      refresh_token: refreshToken,
      user: userJson(user, identities),
    };
  }

  /** A new session with its first refresh token (GoTrue's issueRefreshToken). */
  async function issueSession(tx: Tx, c: Context<Env>, userId: string, method: string) {
    const sessionId = crypto.randomUUID();
    const ip = (c.req.header('x-forwarded-for') ?? '').split(',')[0].trim();
    await tx`insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip, refreshed_at)
             values (${sessionId}, ${userId}, now(), now(), 'aal1', ${c.req.header('user-agent') ?? null},
                     ${/^[0-9a-f.:]+$/i.test(ip) ? ip : null}::inet, null)`;
    await tx`insert into auth.mfa_amr_claims (session_id, created_at, updated_at, authentication_method, id)
             values (${sessionId}, now(), now(), ${method}, ${crypto.randomUUID()})`;
    const refreshToken = randomToken();
    await tx`insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
             values (${NIL_UUID}, ${refreshToken}, ${userId}, false, now(), now(), null, ${sessionId})`;
    await tx`update auth.users set last_sign_in_at = now(), updated_at = now() where id = ${userId}`;
    await tx`update auth.identities set last_sign_in_at = now() where user_id = ${userId} and provider = 'email'`;
    await audit(tx, c, 'login', await loadUser(tx, userId), { provider: 'email' });
    return await tokenResponse(tx, userId, sessionId, refreshToken, method);
  }

  async function body(c: Context<Env>): Promise<Row> {
    const text = await c.req.text();
    if (!text.trim()) return {};
    try {
      const parsed = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      return parsed;
    } catch {
      throw badRequest('bad_json', 'Could not parse request body as JSON');
    }
  }

  function bearer(c: Context<Env>): string {
    const header = c.req.header('authorization') ?? '';
    const match = header.match(/^bearer\s+(\S+)$/i);
    if (!match) throw new ApiError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
    return match[1];
  }

  async function verifiedClaims(c: Context<Env>): Promise<Row> {
    try {
      return await tokens.verify(bearer(c));
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw forbidden('bad_jwt', `invalid JWT: unable to parse or verify signature, ${(error as Error).message}`);
    }
  }

  const requireUser = async (c: Context<Env>, next: () => Promise<void>) => {
    const claims = await verifiedClaims(c);
    const sub = typeof claims.sub === 'string' ? claims.sub : '';
    if (!/^[0-9a-f-]{36}$/i.test(sub)) throw forbidden('bad_jwt', 'invalid claim: missing sub claim');
    const user = await loadUser(sql, sub);
    if (!user) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist');
    const sessionId = typeof claims.session_id === 'string' && claims.session_id ? claims.session_id : null;
    if (sessionId) {
      const [session] = await sql`select id from auth.sessions where id = ${sessionId}`;
      if (!session) throw forbidden('session_not_found', 'Session from session_id claim in JWT does not exist');
    }
    c.set('claims', claims);
    c.set('user', user);
    c.set('sessionId', sessionId);
    await next();
  };

  const requireAdmin = async (c: Context<Env>, next: () => Promise<void>) => {
    const claims = await verifiedClaims(c);
    if (!config.jwt.adminRoles.includes(String(claims.role ?? ''))) throw forbidden('not_admin', 'User not allowed');
    c.set('claims', claims);
    await next();
  };

  // ---------- logging and errors ----------

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    console.log(JSON.stringify({
      time: new Date().toISOString(),
      level: 'info',
      component: 'api',
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      status: c.res.status,
      duration_ms: Math.round(performance.now() - started),
    }));
  });

  app.onError((error, c) => {
    const apiError = error instanceof ApiError ? error : null;
    if (!apiError) {
      console.error(
        JSON.stringify({ level: 'error', msg: 'unhandled error', error: String(error), stack: (error as Error).stack }),
      );
    }
    const status = apiError?.status ?? 500;
    const code = apiError?.code ?? 'unexpected_failure';
    const message = apiError?.message ?? 'Unexpected failure, please check server logs for more information';
    // GoTrue answers in the 2024-01-01 shape when the client asks for it (auth-js always does), else the legacy one.
    const version = c.req.header('x-supabase-api-version') ?? '';
    if (/^\d{4}-\d{2}-\d{2}$/.test(version) && version >= '2024-01-01') {
      c.header('X-Supabase-Api-Version', '2024-01-01');
      return c.json({ code, message, ...(apiError?.extra ?? {}) }, status as 400);
    }
    return c.json({ code: status, error_code: code, msg: message, ...(apiError?.extra ?? {}) }, status as 400);
  });

  app.notFound(() => {
    throw notFound('not_found', 'Not Found');
  });

  // ---------- public ----------

  app.get(
    '/health',
    (c) =>
      c.json({ version: VERSION, name: 'GoTrue', description: 'GoTrue is a user registration and authentication API' }),
  );

  app.get('/settings', (c) =>
    c.json({
      external: {
        anonymous_users: false,
        apple: false,
        azure: false,
        bitbucket: false,
        discord: false,
        facebook: false,
        figma: false,
        fly: false,
        github: false,
        gitlab: false,
        google: false,
        keycloak: false,
        kakao: false,
        linkedin: false,
        linkedin_oidc: false,
        notion: false,
        spotify: false,
        slack: false,
        slack_oidc: false,
        workos: false,
        twitch: false,
        twitter: false,
        email: config.emailEnabled,
        phone: false,
        zoom: false,
      },
      disable_signup: config.disableSignup,
      mailer_autoconfirm: config.mailer.autoconfirm,
      phone_autoconfirm: false,
      sms_provider: '',
      saml_enabled: false,
    }));

  app.get('/.well-known/jwks.json', (c) => {
    c.header('Cache-Control', 'public, max-age=600');
    return c.json(tokens.jwks());
  });

  app.post('/signup', async (c) => {
    if (config.disableSignup) throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
    const params = await body(c);
    if (params.phone && !params.email) throw unprocessable('phone_provider_disabled', 'Phone signups are disabled');
    if (!params.password) throw unprocessable('validation_failed', 'Signup requires a valid password');
    checkPassword(params.password);
    if (!config.emailEnabled) throw unprocessable('email_provider_disabled', 'Email signups are disabled');
    const email = validateEmail(params.email);
    const data = (params.data && typeof params.data === 'object') ? params.data : {};
    const redirectTo = referrer(c, params);

    const existing = await findUserByEmail(sql, email, config.jwt.aud);
    if (existing?.email_confirmed_at) {
      await audit(sql, c, 'user_repeated_signup', existing, { provider: 'email' });
      if (config.mailer.autoconfirm) throw unprocessable('user_already_exists', 'User already registered');
      // Unconfirmed-signup mode: answer with an obfuscated user so that the response does not reveal the account.
      const now = new Date();
      return c.json(userJson({
        ...existing,
        id: crypto.randomUUID(),
        created_at: now,
        updated_at: now,
        confirmation_sent_at: now,
        last_sign_in_at: null,
        confirmed_at: null,
        email_confirmed_at: null,
        phone_confirmed_at: null,
        raw_user_meta_data: data,
        raw_app_meta_data: { provider: 'email', providers: ['email'] },
        phone: '',
      }, []));
    }

    const result = await sql.begin(async (tx) => {
      const user = existing ?? await createUser(tx, { email, password: params.password, userMetadata: data });
      if (config.mailer.autoconfirm) {
        await audit(tx, c, 'user_signedup', user, { provider: 'email' });
        await confirmEmail(tx, user.id);
        return { session: await issueSession(tx, c, user.id, 'password') };
      }
      checkFrequency(user.confirmation_sent_at);
      await audit(tx, c, 'user_confirmation_requested', user, { provider: 'email' });
      const otp = randomOtp(config.mailer.otpLength);
      const hash = tokenHash(email, otp);
      await tx`update auth.users set confirmation_token = ${hash}, confirmation_sent_at = now() where id = ${user.id}`;
      await mail('signup', email, hash, otp, redirectTo);
      return { user: await fullUser(tx, user.id) };
    });
    return c.json(result.session ?? result.user);
  });

  app.post('/token', async (c) => {
    const grantType = c.req.query('grant_type');
    const params = await body(c);
    if (grantType === 'password') {
      if (params.phone && !params.email) throw badRequest('phone_provider_disabled', 'Phone logins are disabled');
      if (!config.emailEnabled) throw badRequest('email_provider_disabled', 'Email logins are disabled');
      const email = typeof params.email === 'string' ? params.email.trim().toLowerCase() : '';
      const password = typeof params.password === 'string' ? params.password : '';
      const user = email ? await findUserByEmail(sql, email, config.jwt.aud) : null;
      const invalid = badRequest('invalid_credentials', 'Invalid login credentials');
      if (!user) throw invalid;
      if (isBanned(user)) throw badRequest('user_banned', 'User is banned');
      const [{ ok }] = await sql`
        select coalesce(${user.encrypted_password} <> '' and
          extensions.crypt(${password}::text, ${user.encrypted_password}::text) = ${user.encrypted_password}, false) as ok`;
      if (!ok) throw invalid;
      if (!user.email_confirmed_at && !user.phone_confirmed_at) {
        throw badRequest('email_not_confirmed', 'Email not confirmed');
      }
      const session = await sql.begin((tx) => issueSession(tx, c, user.id, 'password'));
      return c.json(session);
    }
    if (grantType === 'refresh_token') {
      const token = typeof params.refresh_token === 'string' ? params.refresh_token : '';
      if (!token) throw badRequest('validation_failed', 'refresh_token required');
      const session = await sql.begin(async (tx) => {
        const [row] = await tx`select * from auth.refresh_tokens where token = ${token} for update`;
        if (!row || !row.session_id) {
          throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
        }
        const [sess] = await tx`select * from auth.sessions where id = ${row.session_id} for update`;
        if (!sess) throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
        const user = await loadUser(tx, row.user_id);
        if (!user) throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
        if (isBanned(user)) throw badRequest('user_banned', 'Invalid Refresh Token: User Banned');
        if (sess.not_after && sess.not_after.getTime() < Date.now()) {
          throw forbidden('session_expired', 'Invalid Refresh Token: Session Expired');
        }
        let next: string;
        if (row.revoked) {
          // GoTrue's reuse interval: a token revoked moments ago (a parallel refresh) still yields the active child.
          const [active] =
            await tx`select token from auth.refresh_tokens where session_id = ${row.session_id} and revoked = false
                                    order by id desc limit 1`;
          const reusable = active && row.updated_at.getTime() + config.refreshTokenReuseSeconds * 1000 > Date.now();
          if (!reusable) {
            await tx`update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = ${row.session_id} and revoked = false`;
            return { error: badRequest('refresh_token_already_used', 'Invalid Refresh Token: Already Used') };
          }
          next = active.token;
        } else if (config.refreshTokenRotation) {
          next = randomToken();
          await tx`update auth.refresh_tokens set revoked = true, updated_at = now() where id = ${row.id}`;
          await tx`insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
                   values (${NIL_UUID}, ${next}, ${row.user_id}, false, now(), now(), ${row.token}, ${row.session_id})`;
        } else {
          next = row.token;
        }
        await tx`update auth.sessions set refreshed_at = now() at time zone 'utc', updated_at = now() where id = ${row.session_id}`;
        await audit(tx, c, 'token_refreshed', user);
        return { response: await tokenResponse(tx, user.id, row.session_id, next, 'token_refresh') };
      });
      // The family revocation above must commit, so the error is thrown only after the transaction.
      if (session.error) throw session.error;
      return c.json(session.response);
    }
    throw badRequest('unsupported_grant_type', 'unsupported_grant_type');
  });

  app.get('/user', requireUser, async (c) => c.json(await fullUser(sql, c.get('user').id)));

  app.put('/user', requireUser, async (c) => {
    const params = await body(c);
    const user = c.get('user');
    const redirectTo = referrer(c, params);
    await sql.begin(async (tx) => {
      if (params.password !== undefined && params.password !== null && params.password !== '') {
        const password = checkPassword(params.password);
        const [{ same }] = await tx`
          select coalesce(${user.encrypted_password} <> '' and
            extensions.crypt(${password}::text, ${user.encrypted_password}::text) = ${user.encrypted_password}, false) as same`;
        if (same) throw unprocessable('same_password', 'New password should be different from the old password.');
        await tx`update auth.users set encrypted_password = extensions.crypt(${password}::text, extensions.gen_salt('bf', 10)),
                   updated_at = now() where id = ${user.id}`;
        await audit(tx, c, 'user_updated_password', user);
      }
      if (params.data && typeof params.data === 'object') {
        const [current] = await tx`select raw_user_meta_data from auth.users where id = ${user.id}`;
        await tx`update auth.users set raw_user_meta_data = ${
          tx.json(mergeMetadata(current.raw_user_meta_data, params.data))
        },
                   updated_at = now() where id = ${user.id}`;
      }
      if (params.email && String(params.email).trim().toLowerCase() !== (user.email ?? '')) {
        const email = validateEmail(params.email);
        const duplicate = await findUserByEmail(tx, email, user.aud ?? config.jwt.aud);
        if (duplicate && duplicate.id !== user.id) {
          throw unprocessable('email_exists', 'A user with this email address has already been registered');
        }
        if (config.mailer.autoconfirm) {
          await changeEmail(tx, user.id, email);
        } else {
          checkFrequency(user.email_change_sent_at);
          const otp = randomOtp(config.mailer.otpLength);
          const hash = tokenHash(email, otp);
          await tx`update auth.users set email_change = ${email}, email_change_token_new = ${hash}, email_change_token_current = '',
                     email_change_confirm_status = 0, email_change_sent_at = now() where id = ${user.id}`;
          await mail('email_change', email, hash, otp, redirectTo, email);
        }
      }
      await audit(tx, c, 'user_modified', user);
    });
    return c.json(await fullUser(sql, user.id));
  });

  async function changeEmail(tx: Tx, userId: string, email: string) {
    await tx`update auth.users set email = ${email}, email_change = '', email_change_token_new = '', email_change_token_current = '',
               email_change_confirm_status = 0, email_confirmed_at = coalesce(email_confirmed_at, now()),
               raw_user_meta_data = case when raw_user_meta_data ? 'email' then raw_user_meta_data || jsonb_build_object('email', ${email}::text)
                 else raw_user_meta_data end,
               updated_at = now() where id = ${userId}`;
    await tx`update auth.identities set identity_data = identity_data || jsonb_build_object('email', ${email}::text), updated_at = now()
             where user_id = ${userId} and provider = 'email'`;
  }

  app.post('/logout', requireUser, async (c) => {
    const scope = c.req.query('scope') ?? 'global';
    if (!['global', 'local', 'others'].includes(scope)) {
      throw badRequest('validation_failed', `Unsupported logout scope "${scope}"`);
    }
    const user = c.get('user');
    const sessionId = c.get('sessionId');
    await sql.begin(async (tx) => {
      if (scope === 'global' || !sessionId) await tx`delete from auth.sessions where user_id = ${user.id}`;
      else if (scope === 'local') await tx`delete from auth.sessions where id = ${sessionId}`;
      else await tx`delete from auth.sessions where user_id = ${user.id} and id <> ${sessionId}`;
      await audit(tx, c, 'logout', user);
    });
    return c.body(null, 204);
  });

  // ---------- verification (email links and OTPs) ----------

  type VerifyType = 'signup' | 'invite' | 'magiclink' | 'recovery' | 'email_change' | 'email';
  const verifyTypes = ['signup', 'invite', 'magiclink', 'recovery', 'email_change', 'email'];

  /** Finds the user a token belongs to, consumes the token and applies its effect; returns the user id. */
  async function verifyToken(tx: Tx, type: VerifyType, hash: string): Promise<string> {
    const expired = forbidden('otp_expired', 'Token has expired or is invalid');
    if (!hash) throw expired;
    const exp = config.mailer.otpExpSeconds;
    let user: Row | undefined;
    if (type === 'signup' || type === 'invite') {
      [user] = await tx`select * from auth.users where confirmation_token = ${hash}
                        and confirmation_sent_at > now() - make_interval(secs => ${exp}) for update`;
      if (!user) throw expired;
      await confirmEmail(tx, user.id);
    } else if (type === 'recovery' || type === 'magiclink') {
      [user] = await tx`select * from auth.users where recovery_token = ${hash}
                        and recovery_sent_at > now() - make_interval(secs => ${exp}) for update`;
      if (!user) throw expired;
      await tx`update auth.users set recovery_token = '', updated_at = now() where id = ${user.id}`;
      await confirmEmail(tx, user.id);
    } else if (type === 'email') {
      [user] =
        await tx`select * from auth.users where (confirmation_token = ${hash} and confirmation_sent_at > now() - make_interval(secs => ${exp}))
                        or (recovery_token = ${hash} and recovery_sent_at > now() - make_interval(secs => ${exp})) for update`;
      if (!user) throw expired;
      await tx`update auth.users set recovery_token = '', updated_at = now() where id = ${user.id}`;
      await confirmEmail(tx, user.id);
    } else {
      [user] = await tx`select * from auth.users where email_change_token_new = ${hash}
                        and email_change_sent_at > now() - make_interval(secs => ${exp}) for update`;
      if (!user) throw expired;
      await changeEmail(tx, user.id, user.email_change);
    }
    if (isBanned(user)) throw badRequest('user_banned', 'User is banned');
    return user.id;
  }

  app.post('/verify', async (c) => {
    const params = await body(c);
    const type = params.type as VerifyType;
    if (!verifyTypes.includes(type)) throw badRequest('validation_failed', `Verify requires a verification type`);
    let hash = typeof params.token_hash === 'string' ? params.token_hash : '';
    if (!hash && typeof params.token === 'string' && params.token) {
      if (params.email) {
        const email = validateEmail(params.email);
        hash = tokenHash(email, params.token.trim());
      } else {
        hash = params.token; // a link token passed as `token`
      }
    }
    if (!hash) throw badRequest('validation_failed', 'Verify requires a token or a token hash');
    const session = await sql.begin(async (tx) => {
      const userId = await verifyToken(tx, type, hash);
      return await issueSession(tx, c, userId, 'otp');
    });
    return c.json(session);
  });

  app.get('/verify', async (c) => {
    const type = c.req.query('type') as VerifyType;
    const token = c.req.query('token') ?? '';
    const redirectTo = referrer(c);
    try {
      if (!verifyTypes.includes(type)) throw badRequest('validation_failed', 'Verify requires a verification type');
      const session = await sql.begin(async (tx) => {
        const userId = await verifyToken(tx, type, token);
        return await issueSession(tx, c, userId, 'otp');
      });
      const fragment = new URLSearchParams({
        access_token: session.access_token,
        expires_at: String(session.expires_at),
        expires_in: String(session.expires_in),
        refresh_token: session.refresh_token,
        token_type: 'bearer',
        type,
      });
      return c.redirect(`${redirectTo.split('#')[0]}#${fragment.toString()}`, 303);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      const fragment = new URLSearchParams({
        error: 'access_denied',
        error_code: error.code,
        error_description: error.code === 'otp_expired' ? 'Email link is invalid or has expired' : error.message,
      });
      return c.redirect(`${redirectTo.split('#')[0]}#${fragment.toString()}`, 303);
    }
  });

  app.post('/recover', async (c) => {
    const params = await body(c);
    const email = validateEmail(params.email);
    const redirectTo = referrer(c, params);
    const user = await findUserByEmail(sql, email, config.jwt.aud);
    if (user) {
      await sql.begin(async (tx) => {
        checkFrequency(user.recovery_sent_at);
        const otp = randomOtp(config.mailer.otpLength);
        const hash = tokenHash(email, otp);
        await tx`update auth.users set recovery_token = ${hash}, recovery_sent_at = now() where id = ${user.id}`;
        await audit(tx, c, 'user_recovery_requested', user);
        await mail('recovery', email, hash, otp, redirectTo);
      });
    }
    return c.json({});
  });

  app.post('/otp', async (c) => {
    const params = await body(c);
    if (params.phone && !params.email) throw badRequest('phone_provider_disabled', 'Phone logins are disabled');
    const email = validateEmail(params.email);
    const redirectTo = referrer(c, params);
    const createUserAllowed = params.create_user !== false;
    await sql.begin(async (tx) => {
      let user = await findUserByEmail(tx, email, config.jwt.aud);
      if (!user) {
        if (!createUserAllowed || config.disableSignup) {
          throw unprocessable('otp_disabled', 'Signups not allowed for otp');
        }
        user = await createUser(tx, { email, userMetadata: params.data ?? {} });
      }
      const otp = randomOtp(config.mailer.otpLength);
      const hash = tokenHash(email, otp);
      if (!user.email_confirmed_at) {
        checkFrequency(user.confirmation_sent_at);
        await tx`update auth.users set confirmation_token = ${hash}, confirmation_sent_at = now() where id = ${user.id}`;
        await mail('signup', email, hash, otp, redirectTo);
      } else {
        checkFrequency(user.recovery_sent_at);
        await tx`update auth.users set recovery_token = ${hash}, recovery_sent_at = now() where id = ${user.id}`;
        await mail('magiclink', email, hash, otp, redirectTo);
      }
    });
    return c.json({});
  });

  // ---------- admin ----------

  app.post('/invite', requireAdmin, async (c) => {
    const params = await body(c);
    const email = validateEmail(params.email);
    const redirectTo = referrer(c, params);
    const user = await sql.begin(async (tx) => {
      let user = await findUserByEmail(tx, email, config.jwt.aud);
      if (user?.email_confirmed_at) {
        throw unprocessable('email_exists', 'A user with this email address has already been registered');
      }
      if (!user) user = await createUser(tx, { email, userMetadata: params.data ?? {} });
      await audit(tx, c, 'user_invited', null, { user_id: user.id, user_email: email });
      const otp = randomOtp(config.mailer.otpLength);
      const hash = tokenHash(email, otp);
      await tx`update auth.users set confirmation_token = ${hash}, confirmation_sent_at = now(), invited_at = now() where id = ${user.id}`;
      await mail('invite', email, hash, otp, redirectTo);
      return await fullUser(tx, user.id);
    });
    return c.json(user);
  });

  const uuidParam = (value: string) => {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
      throw notFound('validation_failed', 'user_id must be an UUID');
    }
    return value;
  };

  function banUntil(value: unknown): Date | null | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    if (value === 'none') return null;
    const seconds = typeof value === 'string' ? parseDuration(value) : null;
    if (seconds === null) throw badRequest('validation_failed', 'invalid format for ban duration: ' + String(value));
    return new Date(Date.now() + seconds * 1000);
  }

  const adminUserBody = z.object({
    email: z.string().optional(),
    phone: z.string().optional(),
    password: z.string().optional(),
    email_confirm: z.boolean().optional(),
    phone_confirm: z.boolean().optional(),
    user_metadata: z.record(z.string(), z.unknown()).nullish(),
    app_metadata: z.record(z.string(), z.unknown()).nullish(),
    role: z.string().optional(),
    ban_duration: z.string().optional(),
  }).loose();

  async function adminParams(c: Context<Env>) {
    const parsed = adminUserBody.safeParse(await body(c));
    if (!parsed.success) {
      throw badRequest('validation_failed', `Could not read params: ${parsed.error.issues[0].message}`);
    }
    return parsed.data;
  }

  app.post('/admin/users', requireAdmin, async (c) => {
    const params = await adminParams(c);
    if (params.phone && !params.email) throw badRequest('phone_provider_disabled', 'Phone signups are disabled');
    const email = validateEmail(params.email);
    if (params.password !== undefined) checkPassword(params.password);
    const user = await sql.begin(async (tx) => {
      if (await findUserByEmail(tx, email, config.jwt.aud)) {
        throw unprocessable('email_exists', 'A user with this email address has already been registered');
      }
      const created = await createUser(tx, {
        email,
        password: params.password ?? null,
        userMetadata: params.user_metadata ?? {},
        role: params.role,
        confirmed: params.email_confirm === true,
      });
      // As GoTrue's adminUserCreate: the row is inserted with {provider, providers} only, and the caller's
      // app_metadata arrives in a later UPDATE of the same transaction. Triggers on auth.users see that order.
      if (params.app_metadata && Object.keys(params.app_metadata).length > 0) {
        await tx`update auth.users set raw_app_meta_data = ${
          tx.json(mergeMetadata(created.raw_app_meta_data as Row, params.app_metadata))
        }, updated_at = now() where id = ${created.id}`;
      }
      const ban = banUntil(params.ban_duration);
      if (ban !== undefined) await tx`update auth.users set banned_until = ${ban} where id = ${created.id}`;
      await audit(tx, c, 'user_signedup', created, { provider: 'email' });
      return await fullUser(tx, created.id);
    });
    return c.json(user);
  });

  app.get('/admin/users', requireAdmin, async (c) => {
    const page = Math.max(1, Number(c.req.query('page') || 1) || 1);
    const perPage = Math.min(1000, Math.max(1, Number(c.req.query('per_page') || 50) || 50));
    const filter = c.req.query('filter') ?? '';
    const like = `%${filter.replace(/[%_\\]/g, '\\$&')}%`;
    const where = filter
      ? sql`where aud = ${config.jwt.aud} and (email ilike ${like} or raw_user_meta_data->>'full_name' ilike ${like})`
      : sql`where aud = ${config.jwt.aud}`;
    const [{ count }] = await sql`select count(*)::int as count from auth.users ${where}`;
    const rows = await sql`select * from auth.users ${where} order by created_at desc, id limit ${perPage} offset ${
      (page - 1) * perPage
    }`;
    const ids = rows.map((r) => r.id);
    const identities = ids.length
      ? await sql`select * from auth.identities where user_id = any(${ids}::uuid[]) order by created_at`
      : [];
    const users = rows.map((row) => userJson(row, identities.filter((i) => i.user_id === row.id)));
    const lastPage = Math.ceil(count / perPage);
    const pageUrl = (n: number) => `${config.externalUrl}/admin/users?page=${n}&per_page=${perPage}`;
    const links = [];
    if (page < lastPage) links.push(`<${pageUrl(page + 1)}>; rel="next"`);
    links.push(`<${pageUrl(lastPage)}>; rel="last"`);
    c.header('X-Total-Count', String(count));
    c.header('Link', links.join(', '));
    return c.json({ users, aud: config.jwt.aud });
  });

  app.get(
    '/admin/users/:id',
    requireAdmin,
    async (c) => c.json(await fullUser(sql, uuidParam(c.req.param('id') ?? ''))),
  );

  app.put('/admin/users/:id', requireAdmin, async (c) => {
    const id = uuidParam(c.req.param('id') ?? '');
    const params = await adminParams(c);
    const user = await sql.begin(async (tx) => {
      const row = await loadUser(tx, id);
      if (!row) throw notFound('user_not_found', 'User not found');
      if (params.role !== undefined) await tx`update auth.users set role = ${params.role} where id = ${id}`;
      if (params.ban_duration !== undefined) {
        const ban = banUntil(params.ban_duration);
        if (ban !== undefined) await tx`update auth.users set banned_until = ${ban} where id = ${id}`;
      }
      if (params.email !== undefined && params.email.trim().toLowerCase() !== (row.email ?? '')) {
        const email = validateEmail(params.email);
        const duplicate = await findUserByEmail(tx, email, row.aud ?? config.jwt.aud);
        if (duplicate && duplicate.id !== id) {
          throw unprocessable('email_exists', 'A user with this email address has already been registered');
        }
        await changeEmail(tx, id, email);
      }
      if (params.password !== undefined) {
        const password = checkPassword(params.password);
        await tx`update auth.users set encrypted_password = extensions.crypt(${password}::text, extensions.gen_salt('bf', 10))
                 where id = ${id}`;
      }
      if (params.email_confirm === true) await confirmEmail(tx, id);
      if (params.app_metadata) {
        const [current] = await tx`select raw_app_meta_data from auth.users where id = ${id}`;
        await tx`update auth.users set raw_app_meta_data = ${
          tx.json(mergeMetadata(current.raw_app_meta_data, params.app_metadata))
        }
                 where id = ${id}`;
      }
      if (params.user_metadata) {
        const [current] = await tx`select raw_user_meta_data from auth.users where id = ${id}`;
        await tx`update auth.users set raw_user_meta_data = ${
          tx.json(mergeMetadata(current.raw_user_meta_data, params.user_metadata))
        }
                 where id = ${id}`;
      }
      await tx`update auth.users set updated_at = now() where id = ${id}`;
      await audit(tx, c, 'user_modified', row);
      return await fullUser(tx, id);
    });
    return c.json(user);
  });

  app.delete('/admin/users/:id', requireAdmin, async (c) => {
    const id = uuidParam(c.req.param('id') ?? '');
    const params = await body(c);
    await sql.begin(async (tx) => {
      const row = await loadUser(tx, id);
      if (!row) throw notFound('user_not_found', 'User not found');
      await audit(tx, c, 'user_deleted', row, { user_id: id, user_email: row.email });
      if (params.should_soft_delete === true) {
        // GoTrue's soft delete: the row stays (so foreign keys survive), the account becomes unusable.
        await tx`delete from auth.sessions where user_id = ${id}`;
        await tx`delete from auth.identities where user_id = ${id}`;
        await tx`update auth.users set deleted_at = now(), email = null, phone = null, encrypted_password = '',
                   raw_user_meta_data = '{}'::jsonb, raw_app_meta_data = '{}'::jsonb, updated_at = now() where id = ${id}`;
      } else {
        try {
          await tx`delete from auth.users where id = ${id}`;
        } catch (error) {
          console.error(JSON.stringify({ level: 'error', msg: 'Database error deleting user', error: String(error) }));
          throw new ApiError(500, 'unexpected_failure', 'Database error deleting user');
        }
      }
    });
    return c.json({});
  });

  app.post('/admin/generate_link', requireAdmin, async (c) => {
    const params = await body(c);
    let type = String(params.type ?? '');
    const email = validateEmail(params.email);
    const redirectTo = referrer(c, params);
    const result = await sql.begin(async (tx) => {
      let user = await findUserByEmail(tx, email, config.jwt.aud);
      let password: string | null = typeof params.password === 'string' ? params.password : null;
      if (!user) {
        if (type === 'magiclink') {
          type = 'signup';
          password = null;
        } else if (['recovery', 'email_change_current', 'email_change_new'].includes(type)) {
          throw notFound('user_not_found', 'User with this email not found');
        }
      }
      const otp = randomOtp(config.mailer.otpLength);
      const hash = tokenHash(email, otp);
      let linkToken = hash;
      switch (type) {
        case 'magiclink':
        case 'recovery':
          await tx`update auth.users set recovery_token = ${hash}, recovery_sent_at = now() where id = ${user!.id}`;
          break;
        case 'invite':
          if (user?.email_confirmed_at) {
            throw unprocessable('email_exists', 'A user with this email address has already been registered');
          }
          if (!user) user = await createUser(tx, { email, userMetadata: params.data ?? {} });
          await audit(tx, c, 'user_invited', null, { user_id: user.id, user_email: email });
          await tx`update auth.users set confirmation_token = ${hash}, confirmation_sent_at = now(), invited_at = now()
                   where id = ${user.id}`;
          break;
        case 'signup':
          if (user?.email_confirmed_at) {
            throw unprocessable('email_exists', 'A user with this email address has already been registered');
          }
          if (user) {
            if (params.data) {
              await tx`update auth.users set raw_user_meta_data = ${
                tx.json(mergeMetadata(user.raw_user_meta_data, params.data))
              }
                       where id = ${user.id}`;
            }
          } else {
            if (password !== null) checkPassword(password);
            user = await createUser(tx, {
              email,
              password: password ?? crypto.randomUUID() + crypto.randomUUID(),
              userMetadata: params.data ?? {},
            });
          }
          await tx`update auth.users set confirmation_token = ${hash}, confirmation_sent_at = now() where id = ${user.id}`;
          break;
        case 'email_change_new': {
          const newEmail = validateEmail(params.new_email ?? params.newEmail);
          const duplicate = await findUserByEmail(tx, newEmail, config.jwt.aud);
          if (duplicate) {
            throw unprocessable('email_exists', 'A user with this email address has already been registered');
          }
          linkToken = tokenHash(newEmail, otp);
          await tx`update auth.users set email_change = ${newEmail}, email_change_token_new = ${linkToken},
                     email_change_token_current = '', email_change_confirm_status = 0, email_change_sent_at = now()
                   where id = ${user!.id}`;
          break;
        }
        case 'email_change_current':
          throw badRequest('validation_failed', 'Enable secure email change to generate link for current email');
        default:
          throw badRequest('validation_failed', `Invalid email action link type requested: ${type}`);
      }
      const linkType = type === 'email_change_new' ? 'email_change' : type;
      return {
        ...(await fullUser(tx, user!.id)),
        action_link: actionLink(config, linkType, linkToken, redirectTo),
        email_otp: otp,
        hashed_token: linkToken,
        verification_type: type,
        redirect_to: redirectTo,
      };
    });
    return c.json(result);
  });

  return app;
}
