// GoTrue's environment, derived from supabase/config.toml's [auth] section the way the Supabase CLI derives it for
// `supabase start` (its start command maps each setting to a GOTRUE_* variable). Only where the local stack differs
// from the CLI's containers (ports, hosts, signing keys, the mail catcher) do the values come from the stack itself.
import type { StackKeys } from './keys.ts';

export interface AuthSettingsInput {
  config: Record<string, unknown>;
  keys: StackKeys;
  dbUrl: string;
  port: number;
  apiUrl: string;
  smtpPort: number;
  /** Test stacks raise GoTrue's rate limits: hundreds of sign-ups and emails a minute come from one address. */
  relaxedRateLimits: boolean;
}

function get(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>(
    (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
    obj,
  );
}

/** The Supabase CLI's defaults for settings config.toml may leave out. */
const CLI_DEFAULTS = {
  site_url: 'http://127.0.0.1:3000',
  jwt_expiry: 3600,
  minimum_password_length: 6,
  refresh_token_reuse_interval: 10,
  max_frequency: '1s',
  otp_length: 6,
  otp_expiry: 3600,
  rate_limit: { email_sent: 2, token_refresh: 150, token_verifications: 30, anonymous_users: 30, sign_in_sign_ups: 30 },
};

export function site(config: Record<string, unknown>): { siteUrl: string; redirectUrls: string[] } {
  return {
    siteUrl: String(get(config, 'auth.site_url') ?? CLI_DEFAULTS.site_url),
    redirectUrls: (get(config, 'auth.additional_redirect_urls') as string[] | undefined) ?? [],
  };
}

export function authSettings(input: AuthSettingsInput): Record<string, string> {
  const { config, keys, apiUrl } = input;
  const auth = (key: string) => get(config, `auth.${key}`);
  const flag = (key: string, fallback: boolean) => String((auth(key) as boolean | undefined) ?? fallback);
  const rate = (key: keyof typeof CLI_DEFAULTS.rate_limit) =>
    String(input.relaxedRateLimits ? 100_000 : auth(`rate_limit.${key}`) ?? CLI_DEFAULTS.rate_limit[key]);
  const { siteUrl, redirectUrls } = site(config);
  const env: Record<string, string> = {
    GOTRUE_DB_DRIVER: 'postgres',
    GOTRUE_DB_DATABASE_URL: input.dbUrl,
    GOTRUE_API_HOST: '127.0.0.1',
    GOTRUE_API_PORT: String(input.port),
    API_EXTERNAL_URL: `${apiUrl}/auth/v1`,
    GOTRUE_SITE_URL: siteUrl,
    GOTRUE_URI_ALLOW_LIST: redirectUrls.join(','),
    GOTRUE_DISABLE_SIGNUP: String(auth('enable_signup') === false),
    GOTRUE_JWT_SECRET: keys.jwtSecret,
    GOTRUE_JWT_KEYS: JSON.stringify([keys.signingKey]),
    GOTRUE_JWT_VALID_METHODS: 'HS256,RS256,ES256',
    GOTRUE_JWT_EXP: String(auth('jwt_expiry') ?? CLI_DEFAULTS.jwt_expiry),
    GOTRUE_JWT_AUD: 'authenticated',
    GOTRUE_JWT_ISSUER: `${apiUrl}/auth/v1`,
    GOTRUE_JWT_ADMIN_ROLES: 'service_role',
    GOTRUE_JWT_DEFAULT_GROUP_NAME: 'authenticated',
    GOTRUE_EXTERNAL_EMAIL_ENABLED: flag('email.enable_signup', true),
    GOTRUE_EXTERNAL_ANONYMOUS_USERS_ENABLED: flag('enable_anonymous_sign_ins', false),
    GOTRUE_MAILER_AUTOCONFIRM: String(auth('email.enable_confirmations') !== true),
    GOTRUE_MAILER_SECURE_EMAIL_CHANGE_ENABLED: flag('email.double_confirm_changes', true),
    GOTRUE_MAILER_OTP_LENGTH: String(auth('email.otp_length') ?? CLI_DEFAULTS.otp_length),
    GOTRUE_MAILER_OTP_EXP: String(auth('email.otp_expiry') ?? CLI_DEFAULTS.otp_expiry),
    GOTRUE_SMTP_MAX_FREQUENCY: String(auth('email.max_frequency') ?? CLI_DEFAULTS.max_frequency),
    GOTRUE_MAILER_URLPATHS_INVITE: '/auth/v1/verify',
    GOTRUE_MAILER_URLPATHS_CONFIRMATION: '/auth/v1/verify',
    GOTRUE_MAILER_URLPATHS_RECOVERY: '/auth/v1/verify',
    GOTRUE_MAILER_URLPATHS_EMAIL_CHANGE: '/auth/v1/verify',
    // The CLI sends GoTrue's mail to its mail catcher (Inbucket) unless [auth.email.smtp] names a server: ours is Mailpit.
    GOTRUE_SMTP_HOST: String(auth('email.smtp.host') ?? '127.0.0.1'),
    GOTRUE_SMTP_PORT: String(auth('email.smtp.host') ? auth('email.smtp.port') ?? 587 : input.smtpPort),
    GOTRUE_SMTP_ADMIN_EMAIL: String(auth('email.smtp.admin_email') ?? 'admin@email.com'),
    GOTRUE_SMTP_SENDER_NAME: String(auth('email.smtp.sender_name') ?? 'Admin'),
    GOTRUE_PASSWORD_MIN_LENGTH: String(auth('minimum_password_length') ?? CLI_DEFAULTS.minimum_password_length),
    GOTRUE_SECURITY_REFRESH_TOKEN_ROTATION_ENABLED: flag('enable_refresh_token_rotation', true),
    GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL: String(
      auth('refresh_token_reuse_interval') ?? CLI_DEFAULTS.refresh_token_reuse_interval,
    ),
    GOTRUE_RATE_LIMIT_EMAIL_SENT: rate('email_sent'),
    GOTRUE_RATE_LIMIT_TOKEN_REFRESH: rate('token_refresh'),
    GOTRUE_RATE_LIMIT_VERIFY: rate('token_verifications'),
    GOTRUE_RATE_LIMIT_ANONYMOUS_USERS: rate('anonymous_users'),
    GOTRUE_RATE_LIMIT_OTP: rate('sign_in_sign_ups'),
    // Unset, GoTrue's pool keeps at most 2 idle connections, so parallel requests reconnect to Postgres each time
    // (a backend fork per admin call: 23 s of 1,000 placeholder creations went there). Hosted Supabase sizes the
    // pool per instance; locally it is fixed here.
    GOTRUE_DB_MAX_POOL_SIZE: '20',
    GOTRUE_DB_MAX_IDLE_POOL_SIZE: '20',
    GOTRUE_LOG_LEVEL: 'warn',
  };
  const smtpUser = auth('email.smtp.user');
  if (smtpUser) {
    env.GOTRUE_SMTP_USER = String(smtpUser);
    env.GOTRUE_SMTP_PASS = String(auth('email.smtp.pass') ?? '');
  }
  const hook = (name: string) => ({ enabled: auth(`hook.${name}.enabled`) === true, uri: auth(`hook.${name}.uri`) });
  const accessTokenHook = hook('custom_access_token');
  if (accessTokenHook.enabled && typeof accessTokenHook.uri === 'string') {
    env.GOTRUE_HOOK_CUSTOM_ACCESS_TOKEN_ENABLED = 'true';
    env.GOTRUE_HOOK_CUSTOM_ACCESS_TOKEN_URI = accessTokenHook.uri;
  }
  return env;
}
