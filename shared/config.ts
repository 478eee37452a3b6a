// The functions' configuration: read from the environment once, validated with zod, and turned into typed values.
// A bad environment fails at start-up with one line naming every missing or invalid variable, never later with an
// undefined deep inside a request. Storage and mail have their own schemas, so a function that never touches S3
// does not need the S3 variables.
//
// Nothing here runs at import time: `config()`, `storageConfig()` and `mailConfig()` parse on first call and cache;
// tests call the `load*` functions with an explicit environment.
import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from './log.ts';

export type Env = Record<string, string | undefined>;

/** The environment does not hold a usable configuration. `variables` names the culprits. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly variables: string[], message: string) {
    super(message);
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError;
}

export interface JsonWebKeySet {
  keys: Array<Record<string, unknown> & { kty: string }>;
}

export interface JwtConfig {
  /** Public keys for ES256/RS256 user tokens; null means fetch `jwksUrl`. */
  jwks: JsonWebKeySet | null;
  jwksUrl: string;
  /** Legacy HS256 secret; null means HS256 tokens are refused (the service role key is still matched exactly). */
  secret: string | null;
  /** Expected `iss` of user tokens. */
  issuer: string;
}

export interface AppConfig {
  /** Without a trailing slash. */
  supabaseUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  dbUrl: string;
  dbPoolMax: number;
  jwt: JwtConfig;
  /** Origin of the SPA, used in email links. Without a trailing slash. */
  siteUrl: string;
  /** Origins allowed by CORS, or '*' for any. */
  corsOrigins: string[] | '*';
  logLevel: LogLevel;
}

export interface StorageConfig {
  /** null for AWS S3 (the SDK derives the endpoint from the region). */
  endpoint: string | null;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

/** Mail over SMTP (the default transport). */
export interface SmtpMailConfig {
  /** Absent means smtp, as MAIL_TRANSPORT's default. */
  transport?: 'smtp';
  host: string;
  port: number;
  user: string | null;
  pass: string | null;
  /** Implicit TLS from the first byte (port 465); otherwise STARTTLS, required unless `allowPlaintext`. */
  secure: boolean;
  /** Plain SMTP when the server offers no STARTTLS: only for a local server such as Mailpit. */
  allowPlaintext?: boolean;
  /** `address` or `Name <address>`. */
  from: string;
}

/** Mail through an HTTPS email API (Resend's REST shape: POST {apiUrl}/emails with a bearer key). */
export interface ApiMailConfig {
  transport: 'api';
  /** Without a trailing slash. */
  apiUrl: string;
  apiKey: string;
  from: string;
}

export type MailConfig = SmtpMailConfig | ApiMailConfig;

/** Hosted Supabase Edge Functions cannot open connections to these ports. */
export const BLOCKED_SMTP_PORTS: readonly number[] = [25, 587];

// ---------------------------------------------------------------------------------------------------------------------
// variable parsers: each message completes the sentence "<VARIABLE> ..."
// ---------------------------------------------------------------------------------------------------------------------

const missing = (iss: { input?: unknown }) => (iss.input === undefined ? 'is missing' : 'must be a string');

function text() {
  return z.string({ error: missing });
}

function httpUrl() {
  return text().transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL' });
      return z.NEVER;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL' });
      return z.NEVER;
    }
    return value.replace(/\/+$/, '');
  });
}

function postgresUrl() {
  return text().refine((value) => /^postgres(ql)?:\/\/.+/.test(value), 'must be a postgres:// URL');
}

function integer(min: number, max: number) {
  return text().transform((value, ctx) => {
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max}` });
      return z.NEVER;
    }
    return n;
  });
}

function boolean() {
  return text().transform((value, ctx) => {
    const v = value.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    ctx.addIssue({ code: 'custom', message: 'must be true or false' });
    return z.NEVER;
  });
}

const jwkSchema = z.looseObject({ kty: z.string() });
const jwksSchema = z.union([z.object({ keys: z.array(jwkSchema).min(1) }), z.array(jwkSchema).min(1)]);

function jwks() {
  return text().transform((value, ctx): JsonWebKeySet => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON (a JWKS: {"keys": [...]})' });
      return z.NEVER;
    }
    const result = jwksSchema.safeParse(parsed);
    if (!result.success) {
      ctx.addIssue({ code: 'custom', message: 'must be a JWKS with at least one key ({"keys": [{"kty": ...}]})' });
      return z.NEVER;
    }
    return Array.isArray(result.data) ? { keys: result.data } : result.data;
  });
}

function origins() {
  return text().transform((value, ctx): string[] | '*' => {
    const list = value.split(',').map((o) => o.trim()).filter((o) => o.length > 0);
    if (list.includes('*')) return '*';
    const result: string[] = [];
    for (const entry of list) {
      let origin: string | null = null;
      try {
        const url = new URL(entry);
        if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === entry.replace(/\/+$/, '')) {
          origin = url.origin;
        }
      } catch {
        // reported below
      }
      if (!origin) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a comma list of origins like https://app.example.com or * (bad: ${entry})`,
        });
        return z.NEVER;
      }
      result.push(origin);
    }
    if (result.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'must list at least one origin (or *)' });
      return z.NEVER;
    }
    return result;
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------------------------------------------------

const appSchema = z
  .object({
    SUPABASE_URL: httpUrl(),
    SUPABASE_ANON_KEY: text(),
    SUPABASE_SERVICE_ROLE_KEY: text(),
    SUPABASE_DB_URL: postgresUrl(),
    SUPABASE_JWKS: jwks().optional(),
    SUPABASE_JWT_SECRET: text().optional(),
    JWT_ISSUER: text().optional(),
    APP_SITE_URL: httpUrl(),
    CORS_ORIGINS: origins().optional(),
    DB_POOL_MAX: integer(1, 100).default(5),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  })
  .transform((env): AppConfig => ({
    supabaseUrl: env.SUPABASE_URL,
    anonKey: env.SUPABASE_ANON_KEY,
    serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY,
    dbUrl: env.SUPABASE_DB_URL,
    dbPoolMax: env.DB_POOL_MAX,
    jwt: {
      jwks: env.SUPABASE_JWKS ?? null,
      jwksUrl: `${env.SUPABASE_URL}/auth/v1/.well-known/jwks.json`,
      secret: env.SUPABASE_JWT_SECRET ?? null,
      issuer: env.JWT_ISSUER ?? `${env.SUPABASE_URL}/auth/v1`,
    },
    siteUrl: env.APP_SITE_URL,
    corsOrigins: env.CORS_ORIGINS ?? [new URL(env.APP_SITE_URL).origin],
    logLevel: env.LOG_LEVEL,
  }));

const storageSchema = z
  .object({
    S3_ENDPOINT: httpUrl().optional(),
    S3_REGION: text().default('us-east-1'),
    S3_BUCKET: text().default('videos'),
    S3_ACCESS_KEY_ID: text(),
    S3_SECRET_ACCESS_KEY: text(),
    S3_FORCE_PATH_STYLE: boolean().default(false),
  })
  .transform((env): StorageConfig => ({
    endpoint: env.S3_ENDPOINT ?? null,
    region: env.S3_REGION,
    bucket: env.S3_BUCKET,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
  }));

function mailFrom() {
  return text().refine((v) => /^[^<>]*<[^\s<>@]+@[^\s<>@]+>$|^[^\s<>@]+@[^\s<>@]+$/.test(v.trim()), {
    message: 'must be an address or "Name <address>"',
  });
}

const mailTransportSchema = z.object({
  MAIL_TRANSPORT: z.enum(['smtp', 'api'], { error: 'must be smtp or api' }).default('smtp'),
});

const smtpSchema = z
  .object({
    SMTP_HOST: text(),
    SMTP_PORT: integer(1, 65535).default(465),
    SMTP_USER: text().optional(),
    SMTP_PASS: text().optional(),
    SMTP_SECURE: boolean().optional(),
    SMTP_ALLOW_PLAINTEXT: boolean().default(false),
    SMTP_ALLOW_BLOCKED_PORTS: boolean().default(false),
    MAIL_FROM: mailFrom(),
  })
  // Checked even when another variable is invalid, so one run reports every problem.
  .superRefine((env, ctx) => {
    if ((env.SMTP_USER === undefined) !== (env.SMTP_PASS === undefined)) {
      const path = env.SMTP_USER === undefined ? 'SMTP_USER' : 'SMTP_PASS';
      ctx.addIssue({ code: 'custom', path: [path], message: 'is missing (SMTP_USER and SMTP_PASS go together)' });
    }
    // Refused here rather than at the first email: on hosted Supabase every send would time out, and the outbox
    // would retry each invitation for two hours before marking it failed.
    if (
      typeof env.SMTP_PORT === 'number' && BLOCKED_SMTP_PORTS.includes(env.SMTP_PORT) &&
      env.SMTP_ALLOW_BLOCKED_PORTS !== true
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_PORT'],
        message: `is ${env.SMTP_PORT}, which hosted Supabase Edge Functions cannot reach (ports 25 and 587 are ` +
          'blocked): use 465 (implicit TLS) or another port such as 2525, or MAIL_TRANSPORT=api ' +
          '(SMTP_ALLOW_BLOCKED_PORTS=true where the functions run self-hosted)',
      });
    }
  }, { when: () => true })
  .transform((env): SmtpMailConfig => ({
    transport: 'smtp',
    host: env.SMTP_HOST,
    port: env.SMTP_PORT,
    user: env.SMTP_USER ?? null,
    pass: env.SMTP_PASS ?? null,
    secure: env.SMTP_SECURE ?? env.SMTP_PORT === 465,
    allowPlaintext: env.SMTP_ALLOW_PLAINTEXT,
    from: env.MAIL_FROM.trim(),
  }));

const mailApiSchema = z
  .object({
    MAIL_API_URL: httpUrl().default('https://api.resend.com'),
    MAIL_API_KEY: text(),
    MAIL_FROM: mailFrom(),
  })
  .transform((env): ApiMailConfig => ({
    transport: 'api',
    apiUrl: env.MAIL_API_URL,
    apiKey: env.MAIL_API_KEY,
    from: env.MAIL_FROM.trim(),
  }));

// ---------------------------------------------------------------------------------------------------------------------
// parsing
// ---------------------------------------------------------------------------------------------------------------------

function parse<T>(schema: z.ZodType<T>, env: Env, what: string): T {
  // An empty variable (`S3_ENDPOINT=` in an env file) means unset, so defaults apply and "missing" is reported.
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') cleaned[key] = value.trim();
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const variables: string[] = [];
  const problems: string[] = [];
  for (const issue of result.error.issues) {
    const variable = String(issue.path[0] ?? '?');
    if (variables.includes(variable)) continue;
    variables.push(variable);
    problems.push(`${variable} ${issue.message}`);
  }
  throw new ConfigError(variables, `invalid ${what} configuration: ${problems.join('; ')}`);
}

/** Parses the configuration every function needs. Throws a ConfigError with a one-line message. */
export function loadConfig(env: Env = Deno.env.toObject()): AppConfig {
  return parse(appSchema, env, 'function');
}

/** Parses the S3 settings (uploads, erasure). */
export function loadStorageConfig(env: Env = Deno.env.toObject()): StorageConfig {
  return parse(storageSchema, env, 'storage');
}

/** Parses the mail settings (invitation outbox): SMTP, or an HTTPS email API with MAIL_TRANSPORT=api. */
export function loadMailConfig(env: Env = Deno.env.toObject()): MailConfig {
  const { MAIL_TRANSPORT } = parse(mailTransportSchema, env, 'mail');
  return MAIL_TRANSPORT === 'api' ? parse(mailApiSchema, env, 'mail') : parse(smtpSchema, env, 'mail');
}

let appConfig: AppConfig | undefined;
let storage: StorageConfig | undefined;
let mail: MailConfig | undefined;

/** The process environment's configuration, parsed on first use and then cached. */
export function config(): AppConfig {
  return appConfig ??= loadConfig();
}

export function storageConfig(): StorageConfig {
  return storage ??= loadStorageConfig();
}

export function mailConfig(): MailConfig {
  return mail ??= loadMailConfig();
}
