// The auth stand-in's configuration: GoTrue's own GOTRUE_* variables, parsed once with zod at start-up.
import { z } from 'zod';
import type { JWK } from 'jose';

const bool = (fallback: boolean) =>
  z.string().optional().transform((value) =>
    value === undefined || value === '' ? fallback : ['true', '1', 'yes'].includes(value.toLowerCase())
  );
const int = (fallback: number) =>
  z.string().optional().transform((value, ctx) => {
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) {
      ctx.addIssue({ code: 'custom', message: 'must be a non-negative integer' });
      return z.NEVER;
    }
    return n;
  });
const list = z.string().optional().transform((value) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean));
/** Go duration strings as GoTrue reads them ("60s", "1m", "1h30m"); a bare number is seconds. */
const duration = (fallbackSeconds: number) =>
  z.string().optional().transform((value, ctx) => {
    if (value === undefined || value === '') return fallbackSeconds;
    const seconds = parseDuration(value);
    if (seconds === null) {
      ctx.addIssue({ code: 'custom', message: 'must be a duration like 60s or 1h' });
      return z.NEVER;
    }
    return seconds;
  });

/** Go's time.ParseDuration subset (h, m, s, ms), in seconds; a bare number counts as seconds. */
export function parseDuration(value: string): number | null {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  let rest = value;
  while (rest) {
    const match = rest.match(/^(\d+(?:\.\d+)?)(ms|h|m|s)/);
    if (!match) return null;
    total += Number(match[1]) * units[match[2]];
    rest = rest.slice(match[0].length);
  }
  return total;
}

const required = (name: string) =>
  z.string({ error: `missing required environment variable ${name}` }).min(
    1,
    `missing required environment variable ${name}`,
  );

const dbSchema = z.object({
  GOTRUE_DB_DATABASE_URL: required('GOTRUE_DB_DATABASE_URL'),
});

const serveSchema = dbSchema.extend({
  GOTRUE_API_HOST: z.string().optional(),
  GOTRUE_API_PORT: z.string().optional(),
  PORT: z.string().optional(),
  API_EXTERNAL_URL: required('API_EXTERNAL_URL').pipe(z.url()),
  GOTRUE_SITE_URL: required('GOTRUE_SITE_URL').pipe(z.url()),
  GOTRUE_URI_ALLOW_LIST: list,
  GOTRUE_JWT_SECRET: required('GOTRUE_JWT_SECRET'),
  GOTRUE_JWT_KEYS: z.string().optional(),
  GOTRUE_JWT_VALID_METHODS: z.string().optional(),
  GOTRUE_JWT_EXP: int(3600),
  GOTRUE_JWT_AUD: z.string().default('authenticated'),
  GOTRUE_JWT_ISSUER: z.string().optional(),
  GOTRUE_JWT_ADMIN_ROLES: z.string().optional(),
  GOTRUE_JWT_DEFAULT_GROUP_NAME: z.string().default('authenticated'),
  GOTRUE_SMTP_HOST: z.string().optional(),
  GOTRUE_SMTP_PORT: int(587),
  GOTRUE_SMTP_USER: z.string().optional(),
  GOTRUE_SMTP_PASS: z.string().optional(),
  GOTRUE_SMTP_ADMIN_EMAIL: z.string().default('admin@localhost'),
  GOTRUE_SMTP_SENDER_NAME: z.string().optional(),
  // GoTrue's own default is 1m; the Supabase CLI's local stack sets 1s ([auth.email] max_frequency), as we do.
  GOTRUE_SMTP_MAX_FREQUENCY: duration(1),
  GOTRUE_MAILER_AUTOCONFIRM: bool(false),
  GOTRUE_MAILER_OTP_EXP: int(86400),
  GOTRUE_MAILER_OTP_LENGTH: int(6),
  GOTRUE_MAILER_URLPATHS_INVITE: z.string().default('/verify'),
  GOTRUE_MAILER_URLPATHS_CONFIRMATION: z.string().default('/verify'),
  GOTRUE_MAILER_URLPATHS_RECOVERY: z.string().default('/verify'),
  GOTRUE_MAILER_URLPATHS_EMAIL_CHANGE: z.string().default('/verify'),
  GOTRUE_MAILER_SUBJECTS_INVITE: z.string().default('You have been invited'),
  GOTRUE_MAILER_SUBJECTS_CONFIRMATION: z.string().default('Confirm Your Email'),
  GOTRUE_MAILER_SUBJECTS_RECOVERY: z.string().default('Reset Your Password'),
  GOTRUE_MAILER_SUBJECTS_MAGIC_LINK: z.string().default('Your Magic Link'),
  GOTRUE_MAILER_SUBJECTS_EMAIL_CHANGE: z.string().default('Confirm Email Change'),
  GOTRUE_HOOK_CUSTOM_ACCESS_TOKEN_ENABLED: bool(false),
  GOTRUE_HOOK_CUSTOM_ACCESS_TOKEN_URI: z.string().optional(),
  GOTRUE_PASSWORD_MIN_LENGTH: int(6),
  GOTRUE_DISABLE_SIGNUP: bool(false),
  GOTRUE_EXTERNAL_EMAIL_ENABLED: bool(true),
  GOTRUE_RATE_LIMIT_EMAIL_SENT: int(30),
  GOTRUE_SECURITY_REFRESH_TOKEN_ROTATION_ENABLED: bool(true),
  GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL: int(10),
});

export interface AuthConfig {
  dbUrl: string;
  host: string;
  port: number;
  externalUrl: string;
  siteUrl: string;
  uriAllowList: string[];
  jwt: {
    secret: string;
    keys: JWK[];
    signingKey: JWK | null;
    validMethods: string[];
    exp: number;
    aud: string;
    issuer: string;
    adminRoles: string[];
    defaultGroup: string;
  };
  smtp: {
    host: string | null;
    port: number;
    user?: string;
    pass?: string;
    adminEmail: string;
    senderName?: string;
    maxFrequencySeconds: number;
  };
  mailer: {
    autoconfirm: boolean;
    otpExpSeconds: number;
    otpLength: number;
    urlPaths: { invite: string; confirmation: string; recovery: string; emailChange: string };
    subjects: { invite: string; confirmation: string; recovery: string; magiclink: string; emailChange: string };
  };
  hook: { schema: string; fn: string } | null;
  passwordMinLength: number;
  disableSignup: boolean;
  emailEnabled: boolean;
  rateLimitEmailSent: number;
  refreshTokenRotation: boolean;
  refreshTokenReuseSeconds: number;
}

function fail(message: string): never {
  console.error(`auth stand-in: ${message}`);
  Deno.exit(1);
}

function parseEnv<T extends z.ZodType>(schema: T, env: Record<string, string>): z.output<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue.path[0] ?? '');
    fail(
      issue.message.startsWith('missing') ? issue.message : `invalid environment variable ${name}: ${issue.message}`,
    );
  }
  return result.data;
}

export function loadDbUrl(env = Deno.env.toObject()): string {
  return parseEnv(dbSchema, { ...env, GOTRUE_DB_DATABASE_URL: env.GOTRUE_DB_DATABASE_URL ?? env.DATABASE_URL ?? '' })
    .GOTRUE_DB_DATABASE_URL;
}

export function loadConfig(env = Deno.env.toObject()): AuthConfig {
  const e = parseEnv(serveSchema, {
    ...env,
    GOTRUE_DB_DATABASE_URL: env.GOTRUE_DB_DATABASE_URL ?? env.DATABASE_URL ?? '',
  });
  let keys: JWK[] = [];
  if (e.GOTRUE_JWT_KEYS) {
    try {
      const parsed = JSON.parse(e.GOTRUE_JWT_KEYS);
      keys = Array.isArray(parsed) ? parsed : parsed.keys;
      if (!Array.isArray(keys)) throw new Error('not an array');
    } catch (error) {
      fail(`invalid environment variable GOTRUE_JWT_KEYS: ${(error as Error).message}`);
    }
  }
  const signing = keys.filter((key) => key.key_ops?.includes('sign'));
  if (keys.length > 0 && signing.length !== 1) {
    fail('invalid environment variable GOTRUE_JWT_KEYS: exactly one key needs key_ops ["sign"]');
  }
  if (signing[0] && !signing[0].kid) fail('invalid environment variable GOTRUE_JWT_KEYS: the signing key needs a kid');

  let hook: AuthConfig['hook'] = null;
  if (e.GOTRUE_HOOK_CUSTOM_ACCESS_TOKEN_ENABLED) {
    const match = (e.GOTRUE_HOOK_CUSTOM_ACCESS_TOKEN_URI ?? '').match(/^pg-functions:\/\/[^/]+\/([^/]+)\/([^/]+)$/);
    if (!match) {
      fail(
        'invalid environment variable GOTRUE_HOOK_CUSTOM_ACCESS_TOKEN_URI: expected pg-functions://postgres/<schema>/<function>',
      );
    }
    hook = { schema: match[1], fn: match[2] };
  }
  const externalUrl = e.API_EXTERNAL_URL.replace(/\/+$/, '');
  return {
    dbUrl: e.GOTRUE_DB_DATABASE_URL,
    host: e.GOTRUE_API_HOST || '127.0.0.1',
    port: Number(e.GOTRUE_API_PORT || e.PORT || 9999),
    externalUrl,
    siteUrl: e.GOTRUE_SITE_URL,
    uriAllowList: e.GOTRUE_URI_ALLOW_LIST,
    jwt: {
      secret: e.GOTRUE_JWT_SECRET,
      keys,
      signingKey: signing[0] ?? null,
      validMethods: (e.GOTRUE_JWT_VALID_METHODS ?? 'HS256').split(',').map((s) => s.trim()).filter(Boolean),
      exp: e.GOTRUE_JWT_EXP,
      aud: e.GOTRUE_JWT_AUD,
      issuer: e.GOTRUE_JWT_ISSUER ?? externalUrl,
      adminRoles: (e.GOTRUE_JWT_ADMIN_ROLES ?? 'service_role,supabase_admin').split(',').map((s) => s.trim()).filter(
        Boolean,
      ),
      defaultGroup: e.GOTRUE_JWT_DEFAULT_GROUP_NAME,
    },
    smtp: {
      host: e.GOTRUE_SMTP_HOST || null,
      port: e.GOTRUE_SMTP_PORT,
      user: e.GOTRUE_SMTP_USER || undefined,
      pass: e.GOTRUE_SMTP_PASS || undefined,
      adminEmail: e.GOTRUE_SMTP_ADMIN_EMAIL,
      senderName: e.GOTRUE_SMTP_SENDER_NAME || undefined,
      maxFrequencySeconds: e.GOTRUE_SMTP_MAX_FREQUENCY,
    },
    mailer: {
      autoconfirm: e.GOTRUE_MAILER_AUTOCONFIRM,
      otpExpSeconds: e.GOTRUE_MAILER_OTP_EXP,
      otpLength: e.GOTRUE_MAILER_OTP_LENGTH,
      urlPaths: {
        invite: e.GOTRUE_MAILER_URLPATHS_INVITE,
        confirmation: e.GOTRUE_MAILER_URLPATHS_CONFIRMATION,
        recovery: e.GOTRUE_MAILER_URLPATHS_RECOVERY,
        emailChange: e.GOTRUE_MAILER_URLPATHS_EMAIL_CHANGE,
      },
      subjects: {
        invite: e.GOTRUE_MAILER_SUBJECTS_INVITE,
        confirmation: e.GOTRUE_MAILER_SUBJECTS_CONFIRMATION,
        recovery: e.GOTRUE_MAILER_SUBJECTS_RECOVERY,
        magiclink: e.GOTRUE_MAILER_SUBJECTS_MAGIC_LINK,
        emailChange: e.GOTRUE_MAILER_SUBJECTS_EMAIL_CHANGE,
      },
    },
    hook,
    passwordMinLength: e.GOTRUE_PASSWORD_MIN_LENGTH,
    disableSignup: e.GOTRUE_DISABLE_SIGNUP,
    emailEnabled: e.GOTRUE_EXTERNAL_EMAIL_ENABLED,
    rateLimitEmailSent: e.GOTRUE_RATE_LIMIT_EMAIL_SENT,
    refreshTokenRotation: e.GOTRUE_SECURITY_REFRESH_TOKEN_ROTATION_ENABLED,
    refreshTokenReuseSeconds: e.GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL,
  };
}
