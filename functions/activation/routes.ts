// HTTP routes of the activation function (mounted under /activation by index.ts). No route needs a signed-in user:
// the invitation token is the credential.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { type AppEnv, createRouter, errorResponses } from '../../shared/http.ts';
import { AppError, toValidationIssues, validationFailed } from '../../shared/errors.ts';
import { type Sql, sql as processSql } from '../../shared/db.ts';
import type { AppConfig } from '../../shared/config.ts';
import { singleLine, webUrl } from '../../shared/validation.ts';
import { type Accounts, goTrueAccounts } from './accounts.ts';
import { activate, previewInvitation, signInByLink } from './activate.ts';
import { clientIp } from './client-ip.ts';
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH } from './password-policy.ts';
import { countAttempt, PER_IP, PER_TOKEN } from './rate-limits.ts';
import type { ActivationSettings } from './settings.ts';
import { hashToken } from './token.ts';

export interface ActivationRouteDeps {
  settings: ActivationSettings;
  sql?: Sql;
  /** The Auth server; defaults to the one at the configuration's SUPABASE_URL. */
  accounts?: (config: AppConfig) => Accounts;
}

const token = z.string().min(1).max(512).openapi({
  description: 'The invitation token from the email link (`/activate?token=...`): 43 base64url characters',
  example: 'q3X0cD9k2mVn8yZbLr4TfHs1uWj6aEoPiGx5NdQlK7c',
});

const ActivationBody = z
  .object({
    token,
    password: z.string().max(1024).openapi({
      description: `At least ${MIN_PASSWORD_LENGTH} characters with a letter and a digit, at most ` +
        `${MAX_PASSWORD_BYTES} bytes (422 weak_password otherwise)`,
      example: 'correct-horse-7',
    }),
    first_name: singleLine(100).optional().openapi({ example: 'Ada' }),
    last_name: singleLine(100).optional().openapi({ example: 'Lovelace' }),
    phone: singleLine(50).optional().openapi({ example: '+33 6 12 34 56 78' }),
    linkedin_url: webUrl.optional(),
  })
  .openapi('ActivationRequest');

const Session = z
  .object({
    access_token: z.string(),
    refresh_token: z.string(),
    expires_in: z.number(),
    expires_at: z.number().nullable(),
    token_type: z.string(),
  })
  .openapi('AuthSession', { description: 'Pass to supabase.auth.setSession({ access_token, refresh_token })' });

const ActivationResult = z
  .object({
    user: z.object({ id: z.uuid(), email: z.string() }),
    interview_session_id: z.uuid(),
    session: Session.nullable().openapi({
      description: 'Null only if the account was activated but signing in right after failed: send the person ' +
        'to the login page',
    }),
  })
  .openapi('ActivationResult');

const PrivacyNotice = z
  .object({
    version: z.number().int().openapi({ description: 'Accept exactly this version (rpc accept_privacy_notice)' }),
    text: z.string(),
    controller: z.string().openapi({ description: 'The organization responsible for the data' }),
    contact: z.string().nullable().openapi({ description: "How to reach the controller (the owner's address)" }),
    retention_days: z.number().int().openapi({ description: 'Videos are deleted this many days after the end' }),
    updated_at: z.string(),
  })
  .openapi('PrivacyNotice');

const Preview = z
  .object({
    campaign_title: z.string().openapi({ example: 'Backend engineer' }),
    company: z.string().openapi({ example: 'Acme' }),
    deadline: z.iso.datetime({ offset: true }).openapi({ example: '2026-12-01T18:00:00.000Z' }),
    time_zone: z.string().openapi({ example: 'Europe/Paris', description: "The candidate's zone, for display" }),
    privacy_notice: PrivacyNotice,
  })
  .openapi('InvitationPreview');

const LinkBody = z.object({ token }).openapi('LinkSignInRequest');

const LinkResult = z
  .object({
    user: z.object({ id: z.uuid(), email: z.string() }),
    interview_session_id: z.uuid(),
    session: Session,
    password_set: z.literal(false).openapi({
      description: 'The account has no password; POST /activation/password with a link, or ' +
        'supabase.auth.updateUser({ password }) while signed in, sets one',
    }),
  })
  .openapi('LinkSignInResult');

const TOKEN_ERRORS = '`invitation_not_found` (404), `invitation_used` (409), `invitation_expired` or ' +
  '`invitation_revoked` (410), `account_already_active` (400: log in instead), `too_many_attempts` (429, with ' +
  'Retry-After)';

function activateRouteAt(path: '/' | '/password') {
  return createRoute({
    method: 'post',
    path,
    summary: 'Activate an invited account: set its password with the invitation token and get a session',
    description: 'Replaces the old candidate "register" for invited candidates. The token is required: knowing the ' +
      `email is not enough (403 \`invitation_required\` without it). Errors: ${TOKEN_ERRORS}, \`weak_password\` ` +
      '(422), `account_conflict` (409), `auth_unavailable` (503).',
    request: { body: { required: true, content: { 'application/json': { schema: ActivationBody } } } },
    responses: {
      200: { description: 'Activated', content: { 'application/json': { schema: ActivationResult } } },
      ...errorResponses(400, 403, 404, 409, 410, 422, 429, 503),
    },
  });
}

const linkRoute = createRoute({
  method: 'post',
  path: '/link',
  summary: 'Enter the interview from the email link, without a password: the token is exchanged for a session',
  description: 'The landing page POSTs this (a GET of the link changes nothing, so email scanners consume nothing). ' +
    'The token stays usable until it expires or is replaced, and the account stays a placeholder that may set a ' +
    `password later. Errors: ${
      '`invitation_not_found` (404), `invitation_used` (409), `invitation_expired` or `invitation_revoked` (410), ' +
      '`account_already_active` (400: log in instead), `too_many_attempts` (429, with Retry-After)'
    }, \`account_conflict\` (409), \`auth_unavailable\` (503).`,
  request: { body: { required: true, content: { 'application/json': { schema: LinkBody } } } },
  responses: {
    200: { description: 'Signed in', content: { 'application/json': { schema: LinkResult } } },
    ...errorResponses(400, 403, 404, 409, 410, 429, 503),
  },
});

const previewRoute = createRoute({
  method: 'get',
  path: '/{token}',
  summary: 'What the activation landing page shows for a token: campaign title, company, deadline',
  description: `No auth. Nothing about the person invited. Errors: ${TOKEN_ERRORS}.`,
  request: { params: z.object({ token: token.openapi({ param: { name: 'token', in: 'path' } }) }) },
  responses: {
    200: { description: 'The invitation can be activated', content: { 'application/json': { schema: Preview } } },
    ...errorResponses(400, 404, 409, 410, 429),
  },
});

function invitationRequired(): AppError {
  return new AppError(403, 'invitation_required', 'Activating an account needs the invitation link sent by email.');
}

export function activationRoutes(deps: ActivationRouteDeps) {
  const sql = deps.sql ?? processSql;
  const makeAccounts = deps.accounts ?? goTrueAccounts;
  const accountsByConfig = new WeakMap<AppConfig, Accounts>();
  const accountsFor = (config: AppConfig): Accounts => {
    let accounts = accountsByConfig.get(config);
    if (!accounts) accountsByConfig.set(config, accounts = makeAccounts(config));
    return accounts;
  };
  const ipOf = (c: Context<AppEnv>) => clientIp(c.req.header('x-forwarded-for'), deps.settings.trustedProxyHops);

  const router = createRouter();

  const activateHandler = async (c: Context<AppEnv>, input: z.infer<typeof ActivationBody>) => {
    c.header('Cache-Control', 'no-store');
    const tokenKey = Array.from(await hashToken(input.token), (b) => b.toString(16).padStart(2, '0')).join('');
    await countAttempt(sql, [{ limit: PER_IP, key: ipOf(c) }, { limit: PER_TOKEN, key: tokenKey }]);
    const result = await activate(input, { sql, accounts: accountsFor(c.get('config')), log: c.get('log') });
    c.get('log').info('account activated', {
      user_id: result.user.id,
      interview_session_id: result.interview_session_id,
      signed_in: result.session !== null,
    });
    return result;
  };
  // The password path: POST /activation (the original route) and POST /activation/password are the same.
  for (const path of ['/', '/password'] as const) {
    router.openapi(
      activateRouteAt(path),
      async (c) => c.json(await activateHandler(c, c.req.valid('json')), 200),
      (result) => {
        if (result.success) return;
        // No token at all is the old "register by email" request: the invitation is what is missing.
        if (result.error.issues.some((issue) => issue.path[0] === 'token')) throw invitationRequired();
        throw validationFailed(toValidationIssues(result.error.issues, result.target));
      },
    );
  }

  router.openapi(
    linkRoute,
    async (c) => {
      c.header('Cache-Control', 'no-store');
      const { token } = c.req.valid('json');
      const tokenKey = Array.from(await hashToken(token), (b) => b.toString(16).padStart(2, '0')).join('');
      await countAttempt(sql, [{ limit: PER_IP, key: ipOf(c) }, { limit: PER_TOKEN, key: tokenKey }]);
      const result = await signInByLink(token, { sql, accounts: accountsFor(c.get('config')), log: c.get('log') });
      c.get('log').info('signed in by link', {
        user_id: result.user.id,
        interview_session_id: result.interview_session_id,
      });
      return c.json(result, 200);
    },
    (result) => {
      if (result.success) return;
      if (result.error.issues.some((issue) => issue.path[0] === 'token')) throw invitationRequired();
      throw validationFailed(toValidationIssues(result.error.issues, result.target));
    },
  );

  router.openapi(previewRoute, async (c) => {
    c.header('Cache-Control', 'no-store');
    const { token } = c.req.valid('param');
    await countAttempt(sql, [{ limit: PER_IP, key: ipOf(c) }]);
    return c.json(await previewInvitation(token, sql), 200);
  });

  return router;
}
