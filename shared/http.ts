// The Hono app every function starts from: `createApp('<name>')` gives an OpenAPIHono under `/<name>` with a request
// id, one JSON log line per request, CORS (on errors too), one error handler that answers
// `{ error: { code, message, details? } }`, a JSON 404, zod validation errors as 400 `validation_failed`, the OpenAPI
// document at `/<name>/openapi.json` and `/<name>/health` (one database round trip, no auth).
import { createRoute, OpenAPIHono, type OpenAPIHonoOptions, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type AppConfig, config as processConfig } from './config.ts';
import { createSql, type Sql, sql as processSql } from './db.ts';
import {
  AppError,
  codeForStatus,
  fromPostgresError,
  internal,
  isAppError,
  isDatabaseUnreachable,
  isPostgresError,
  notFound,
  toValidationIssues,
  unavailable,
  validationFailed,
} from './errors.ts';
import { createLogger, type Logger } from './log.ts';

/** Variables every request carries (`c.get('requestId')`, `c.var.log`...). */
export type AppVariables = {
  requestId: string;
  config: AppConfig;
  /** The request's logger: every line carries fn and request_id. */
  log: Logger;
  /** The `code` of the error answered, for the request log line. */
  errorCode: string | undefined;
};
export type AppEnv = { Variables: AppVariables };

export interface CreateAppOptions {
  /** Defaults to `config()` (the process environment), parsed now so a bad environment fails at start-up. */
  config?: AppConfig;
  /** The pool `/health` queries; defaults to the module's `sql`, or to a pool of `config` when one is given. */
  sql?: Sql;
  /** Base logger; defaults to JSON lines on stdout/stderr at the configured level. */
  logger?: Logger;
  /** `info.version` of the OpenAPI document. */
  version?: string;
}

export const CORS_ALLOW_HEADERS = ['authorization', 'apikey', 'content-type', 'x-client-info', 'x-request-id'];
export const CORS_ALLOW_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const REQUEST_ID = /^[\w.:=-]{1,128}$/;
const FUNCTION_NAME = /^[a-z][a-z0-9_-]*$/;

/** The OpenAPI security requirement of routes that need a bearer token: `security: bearerAuth`. */
export const bearerAuth: Array<Record<string, string[]>> = [{ bearerAuth: [] }];

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

const ERROR_DESCRIPTIONS: Partial<Record<number, string>> = {
  400: 'Invalid request (`validation_failed`, `invalid_json`, `bad_request`)',
  401: 'Missing or invalid access token (`missing_token`, `invalid_token`)',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Well-formed but invalid',
  429: 'Too many requests',
  500: 'Internal error (`internal_error`)',
  503: 'A dependency is unavailable',
};

type ErrorResponse = { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } };

/** Error responses for `createRoute({ responses: { 200: ..., ...errorResponses(400, 401, 404) } })`. */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, ErrorResponse> {
  const responses = {} as Record<S, ErrorResponse>;
  for (const status of statuses) {
    responses[status] = {
      description: ERROR_DESCRIPTIONS[status] ?? codeForStatus(status),
      content: { 'application/json': { schema: ErrorSchema } },
    };
  }
  return responses;
}

/** Validation failures of zod-openapi routes: thrown, so `onError` answers them like every other error. */
export const defaultHook: OpenAPIHonoOptions<AppEnv>['defaultHook'] = (result) => {
  if (!result.success) throw validationFailed(toValidationIssues(result.error.issues, result.target));
};

/** A sub-app for one resource, to mount with `app.route('/', router)` after its routes are defined. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook });
}

const HONO_MALFORMED_JSON = 'Malformed JSON in request body';

/** Any thrown value as the AppError that answers it. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof z.ZodError) return validationFailed(toValidationIssues(error.issues));
  if (error instanceof HTTPException) {
    // Hono's JSON validator, before zod sees anything: the same code as the routes that parse bodies themselves.
    if (error.status === 400 && error.message === HONO_MALFORMED_JSON) {
      return new AppError(400, 'invalid_json', 'The body is not valid JSON', undefined, { cause: error });
    }
    const status = error.status as ContentfulStatusCode;
    const code = codeForStatus(status);
    if (status >= 500) return internal(error, code);
    return new AppError(status, code, error.message || code.replaceAll('_', ' '), undefined, { cause: error });
  }
  if (isPostgresError(error)) return fromPostgresError(error);
  if (isDatabaseUnreachable(error)) return unavailable('database_unavailable', 'The database is unavailable', error);
  return internal(error);
}

function answerError(error: unknown, c: Context<AppEnv>): Response {
  const appError = toAppError(error);
  c.set('errorCode', appError.code);
  const log = c.get('log');
  if (appError.status >= 500) {
    // The client gets a generic message; the log gets the real error, tied to the request id.
    log.error('request failed', { code: appError.code, error: appError.cause ?? appError });
  } else {
    log.debug('request refused', { code: appError.code, status: appError.status, message: appError.message });
  }
  // Every 429 that says when to come back says it in the header too, as HTTP clients and proxies read it.
  const retryAfter = (appError.details as { retry_after_seconds?: unknown } | undefined)?.retry_after_seconds;
  if (appError.status === 429 && typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
  return c.json(appError.toJSON(), appError.status);
}

/** Builds the app of function `name`, served under `/<name>`. */
export function createApp<N extends string>(name: N, options: CreateAppOptions = {}) {
  if (!FUNCTION_NAME.test(name)) throw new TypeError(`invalid function name: ${name}`);
  const cfg = options.config ?? processConfig();
  // postgres() opens no connection until the first query, so an app built in a unit test costs nothing here.
  const db = options.sql ?? (options.config ? createSql(options.config) : processSql);
  const baseLogger = (options.logger ?? createLogger({ level: cfg.logLevel })).child({ fn: name });

  const app = new OpenAPIHono<AppEnv>({ defaultHook }).basePath(`/${name}`);

  app.use('*', async (c, next) => {
    const started = performance.now();
    const given = c.req.header('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    const log = baseLogger.child({ request_id: requestId });
    c.set('requestId', requestId);
    c.set('config', cfg);
    c.set('log', log);
    c.set('errorCode', undefined);
    c.header('x-request-id', requestId);
    let status = 500;
    try {
      await next();
      status = c.res.status;
    } finally {
      // The route pattern, not the raw path: paths can carry secrets (activation tokens) and ids that defeat grouping.
      const pattern = routePath(c, -1);
      const line = {
        method: c.req.method,
        path: pattern && !pattern.endsWith('*') ? pattern : c.req.path,
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(c.get('errorCode') ? { code: c.get('errorCode') } : {}),
      };
      if (status >= 500) log.error('request', line);
      else log.info('request', line);
    }
  });

  app.use(
    '*',
    cors({
      origin: cfg.corsOrigins === '*' ? '*' : cfg.corsOrigins,
      allowHeaders: CORS_ALLOW_HEADERS,
      allowMethods: CORS_ALLOW_METHODS,
      // The SPA reads these cross-origin: the request id for support, the CSV's file name, when to retry a 429.
      exposeHeaders: ['x-request-id', 'content-disposition', 'retry-after'],
      maxAge: 600,
    }),
  );

  app.onError((error, c) => answerError(error, c));
  app.notFound((c) => {
    c.set('errorCode', 'not_found');
    return c.json(notFound('not_found', `No route for ${c.req.method} ${c.req.path}`).toJSON(), 404);
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: "A user's access token from Supabase Auth (or the service role key where stated)",
  });

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: name, version: options.version ?? '1.0.0' },
    servers: [{ url: `${cfg.supabaseUrl}/functions/v1` }],
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      summary: 'Liveness with one database round trip (no auth)',
      responses: {
        200: {
          description: 'The function and its database answer',
          content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
        },
        ...errorResponses(503),
      },
    }),
    async (c) => {
      try {
        await db`select 1`;
      } catch (error) {
        throw unavailable('database_unavailable', 'The database is unavailable', error);
      }
      return c.json({ status: 'ok' as const }, 200);
    },
  );

  return app;
}

export type App = ReturnType<typeof createApp>;
