// Domain errors with an HTTP status and a stable machine `code` (clients switch on `code`, never on `message`), and
// the one place that turns Postgres errors into them.
//
// SQL convention, shared with the migrations: a rule the database enforces raises with a snake_case code as its
// message and, optionally, a sentence for humans as its detail:
//   raise exception using errcode = 'P0001', message = 'deadline_passed', detail = 'The deadline has passed.';
//     -> 409 deadline_passed (a state or business rule: retrying the same request cannot succeed now)
//   raise exception using errcode = '23514', message = 'end_before_start';             -> 422 end_before_start
//   raise exception using errcode = '42501', message = 'not_campaign_owner';           -> 403 not_campaign_owner
//   raise exception using errcode = 'P0002', message = 'session_not_found';            -> 404 session_not_found
//   raise sqlstate 'PT429' using message = 'too_many_attempts';                        -> 429 too_many_attempts
// (PTnnn is PostgREST's own "answer with status nnn" convention, so the SPA sees the same status through PostgREST.)
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import postgres from 'postgres';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** An error a function answers with: `status`, a stable `code`, a human `message`, optional `details`. */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toJSON(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** 400: the request is malformed (prefer `validationFailed` for schema errors). */
export function badRequest(code = 'bad_request', message = 'Bad request', details?: unknown): AppError {
  return new AppError(400, code, message, details);
}

/**
 * Issue codes that name what is wrong precisely enough to be the error's own code (a schema refinement sets them in
 * its `params.code`), so that clients can switch on them: `invalid_time_zone`.
 */
const DOMAIN_VALIDATION_CODES = new Set(['invalid_time_zone']);

/**
 * 400 `validation_failed`: the body, query or path does not match the schema; or 400 with the issue's own code when
 * one of the issues carries a domain code (`invalid_time_zone`).
 */
export function validationFailed(
  issues: ValidationIssue[],
  message = 'The request is invalid',
): AppError {
  const domain = issues.find((issue) => DOMAIN_VALIDATION_CODES.has(issue.code));
  if (domain) return new AppError(400, domain.code, `${domain.path || 'value'} ${domain.message}`, { issues });
  return new AppError(400, 'validation_failed', message, { issues });
}

/** 422: well-formed but semantically invalid (a weak password, an end date before the start). */
export function unprocessable(
  code = 'unprocessable',
  message = 'The request cannot be processed',
  details?: unknown,
): AppError {
  return new AppError(422, code, message, details);
}

/** 401: no credentials or bad ones (`missing_token`, `invalid_token`). */
export function unauthorized(code = 'unauthorized', message = 'Authentication required', details?: unknown): AppError {
  return new AppError(401, code, message, details);
}

/** 403: authenticated but not allowed. Use `notFound` instead when existence itself must not leak. */
export function forbidden(code = 'forbidden', message = 'Not allowed', details?: unknown): AppError {
  return new AppError(403, code, message, details);
}

export function notFound(code = 'not_found', message = 'Not found', details?: unknown): AppError {
  return new AppError(404, code, message, details);
}

/** 409: the request conflicts with the current state (already exists, closed campaign, race lost). */
export function conflict(code = 'conflict', message = 'Conflict with the current state', details?: unknown): AppError {
  return new AppError(409, code, message, details);
}

export function tooManyRequests(
  code = 'too_many_requests',
  message = 'Too many requests, try again later',
  details?: unknown,
): AppError {
  return new AppError(429, code, message, details);
}

/** 500: never carries the underlying message to the client; pass the original as `cause` so it is logged. */
export function internal(cause?: unknown, code = 'internal_error'): AppError {
  return new AppError(500, code, 'Internal server error', undefined, { cause });
}

/** 503: a dependency (database, S3, SMTP, GoTrue) is unreachable. */
export function unavailable(
  code = 'service_unavailable',
  message = 'A dependency is unavailable',
  cause?: unknown,
): AppError {
  return new AppError(503, code, message, undefined, { cause });
}

export interface ValidationIssue {
  /** Dotted path inside the validated part, e.g. `rows.3.email`; empty for the whole value. */
  path: string;
  code: string;
  message: string;
  /** Which part of the request: json, query, param, header, form. */
  in?: string;
}

/** The domain code a custom zod issue carries in `params.code`, if any. */
function domainCodeOf(issue: { code: string; params?: unknown }): string | null {
  const code = issue.code === 'custom' && typeof issue.params === 'object' && issue.params !== null
    ? (issue.params as { code?: unknown }).code
    : undefined;
  return typeof code === 'string' ? code : null;
}

/** Flattens zod issues into the `details.issues` of a `validation_failed` error. */
export function toValidationIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; code: string; message: string; params?: unknown }>,
  location?: string,
): ValidationIssue[] {
  return issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    code: domainCodeOf(issue) ?? issue.code,
    message: issue.message,
    ...(location ? { in: location } : {}),
  }));
}

// ---------------------------------------------------------------------------------------------------------------------
// Postgres
// ---------------------------------------------------------------------------------------------------------------------

export type PostgresError = postgres.PostgresError;

export function isPostgresError(error: unknown): error is PostgresError {
  return error instanceof postgres.PostgresError;
}

/** The fields of a postgres.js PostgresError that the mapping reads. */
export interface PostgresErrorLike {
  code: string;
  message: string;
  detail?: string;
  hint?: string;
  constraint_name?: string;
  column_name?: string;
  table_name?: string;
}

export interface FromPostgresOptions {
  /**
   * What an insufficient_privilege (42501, RLS included) becomes: 403 by default, or 404 where telling "exists
   * but not yours" from "does not exist" would leak ids.
   */
  forbiddenAs?: 'forbidden' | 'not_found';
}

const STATUS_CODES: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  410: 'gone',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'too_many_requests',
  500: 'internal_error',
  503: 'service_unavailable',
};

/** The generic code of a status, for errors that carry no code of their own (HTTPException, PTnnn). */
export function codeForStatus(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'internal_error' : 'request_failed');
}

const MACHINE_CODE = /^[a-z][a-z0-9_]{2,62}$/;

function machineCode(error: PostgresErrorLike): string | null {
  return MACHINE_CODE.test(error.message) ? error.message : null;
}

function humanize(code: string): string {
  const sentence = code.replaceAll('_', ' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** Maps a Postgres error to an AppError (statuses per the convention at the top of this file). Unknown codes -> 500. */
export function fromPostgresError(error: PostgresErrorLike, options: FromPostgresOptions = {}): AppError {
  const ours = machineCode(error);
  const make = (status: ContentfulStatusCode, fallbackCode: string, fallbackMessage: string, details?: unknown) =>
    ours
      ? new AppError(status, ours, error.detail ?? humanize(ours), details, { cause: error })
      : new AppError(status, fallbackCode, fallbackMessage, details, { cause: error });
  const constraint = error.constraint_name ? { constraint: error.constraint_name } : undefined;
  const code = error.code;

  const pt = /^PT([45]\d\d)$/.exec(code);
  if (pt) {
    const status = Number(pt[1]) as ContentfulStatusCode;
    if (status >= 500 && !ours) return internal(error);
    // A refusal that knows when to come back says so in its hint (the Retry-After of the answer).
    const retryAfter = /^retry_after_seconds=(\d+)$/.exec(error.hint ?? '');
    const details = retryAfter ? { retry_after_seconds: Number(retryAfter[1]) } : undefined;
    return make(status, codeForStatus(status), humanize(codeForStatus(status)), details);
  }

  switch (code) {
    case 'P0001': // raise exception
      return make(409, 'rule_violation', 'The request breaks a rule of the data');
    case 'P0002': // no_data_found
      return make(404, 'not_found', 'Not found');
    case '42501': // insufficient_privilege, including RLS "new row violates row-level security policy"
      return options.forbiddenAs === 'not_found'
        ? make(404, 'not_found', 'Not found')
        : make(403, 'forbidden', 'Not allowed');
    case '23505': // unique_violation
      return make(409, 'conflict', 'Already exists', constraint);
    case '23503': // foreign_key_violation
      return make(409, 'reference_violation', 'A referenced row is missing or still referenced', constraint);
    case '23514': // check_violation
      return make(422, 'check_violation', 'A value breaks a constraint', constraint);
    case '23502': // not_null_violation
      return make(
        422,
        'not_null_violation',
        'A required value is missing',
        error.column_name ? { column: error.column_name } : undefined,
      );
    case '23P01': // exclusion_violation
      return make(409, 'conflict', 'Conflicts with an existing row', constraint);
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
    case '55P03': // lock_not_available
      return make(409, 'transaction_conflict', 'A concurrent change got there first, retry');
    case '57014': // query_canceled (statement_timeout)
      return make(503, 'database_timeout', 'The database took too long');
    case '53300': // too_many_connections
    case '57P01': // admin_shutdown
    case '57P03': // cannot_connect_now
      return make(503, 'database_unavailable', 'The database is unavailable');
  }
  if (code.startsWith('22')) return make(422, 'invalid_value', 'A value is invalid');
  if (code.startsWith('08')) return make(503, 'database_unavailable', 'The database is unavailable');
  return internal(error);
}

/** postgres.js failures to reach the database at all (not SQL errors). */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (!(error instanceof Error) || isPostgresError(error)) return false;
  const code = (error as { code?: unknown }).code;
  return error instanceof Deno.errors.ConnectionRefused ||
    (typeof code === 'string' &&
      ['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT', 'ECONNREFUSED'].includes(
        code,
      ));
}
