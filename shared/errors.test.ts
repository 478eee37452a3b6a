import assert from 'node:assert/strict';
import postgres from 'postgres';
import {
  AppError,
  badRequest,
  conflict,
  forbidden,
  fromPostgresError,
  internal,
  isAppError,
  isDatabaseUnreachable,
  isPostgresError,
  notFound,
  type PostgresErrorLike,
  tooManyRequests,
  unauthorized,
  unprocessable,
  validationFailed,
} from './errors.ts';

Deno.test('each factory gives its status and a default stable code', () => {
  const cases: Array<[AppError, number, string]> = [
    [badRequest(), 400, 'bad_request'],
    [validationFailed([]), 400, 'validation_failed'],
    [unauthorized(), 401, 'unauthorized'],
    [forbidden(), 403, 'forbidden'],
    [notFound(), 404, 'not_found'],
    [conflict(), 409, 'conflict'],
    [unprocessable(), 422, 'unprocessable'],
    [tooManyRequests(), 429, 'too_many_requests'],
    [internal(), 500, 'internal_error'],
  ];
  for (const [error, status, code] of cases) {
    assert.ok(isAppError(error));
    assert.equal(error.name, 'AppError');
    assert.equal(error.status, status);
    assert.equal(error.code, code);
  }
});

Deno.test('the JSON body has code and message, and details only when there are some', () => {
  assert.deepEqual(conflict('campaign_closed', 'The campaign is closed').toJSON(), {
    error: { code: 'campaign_closed', message: 'The campaign is closed' },
  });
  assert.deepEqual(badRequest('bad_csv', 'Row 3 is broken', { row: 3 }).toJSON(), {
    error: { code: 'bad_csv', message: 'Row 3 is broken', details: { row: 3 } },
  });
});

Deno.test('an internal error never carries the underlying message', () => {
  const error = internal(new Error('password authentication failed for user "postgres"'));
  assert.equal(error.message, 'Internal server error');
  assert.ok(!JSON.stringify(error.toJSON()).includes('password'));
  assert.ok(error.cause instanceof Error, 'the cause is kept for the log');
});

Deno.test('isAppError tells AppErrors from other errors', () => {
  assert.equal(isAppError(new Error('x')), false);
  assert.equal(isAppError({ status: 400, code: 'x', message: 'y' }), false);
  assert.equal(isAppError(notFound()), true);
});

function pg(code: string, message: string, extra: Partial<PostgresErrorLike> = {}): PostgresErrorLike {
  return { code, message, ...extra };
}

Deno.test('Postgres errors map to statuses and codes per the SQL convention', () => {
  const cases: Array<[PostgresErrorLike, number, string]> = [
    [pg('P0001', 'deadline_passed'), 409, 'deadline_passed'],
    [pg('P0001', 'Something broke in a trigger.'), 409, 'rule_violation'],
    [pg('23514', 'end_before_start'), 422, 'end_before_start'],
    [
      pg('23514', 'new row for relation "campaigns" violates check constraint "x"', { constraint_name: 'x' }),
      422,
      'check_violation',
    ],
    [pg('23505', 'duplicate key value violates unique constraint "candidates_email_key"'), 409, 'conflict'],
    [pg('23503', 'insert or update on table "x" violates foreign key constraint "y"'), 409, 'reference_violation'],
    [
      pg('23502', 'null value in column "title" violates not-null constraint', { column_name: 'title' }),
      422,
      'not_null_violation',
    ],
    [pg('42501', 'new row violates row-level security policy for table "campaigns"'), 403, 'forbidden'],
    [pg('42501', 'not_campaign_owner'), 403, 'not_campaign_owner'],
    [pg('P0002', 'session_not_found'), 404, 'session_not_found'],
    [pg('PT429', 'too_many_attempts'), 429, 'too_many_attempts'],
    [pg('PT403', 'Denied.'), 403, 'forbidden'],
    [pg('22P02', 'invalid input syntax for type uuid: "x"'), 422, 'invalid_value'],
    [pg('40001', 'could not serialize access due to concurrent update'), 409, 'transaction_conflict'],
    [pg('40P01', 'deadlock detected'), 409, 'transaction_conflict'],
    [pg('57014', 'canceling statement due to statement timeout'), 503, 'database_timeout'],
    [pg('42P01', 'relation "nope" does not exist'), 500, 'internal_error'],
    [pg('XX000', 'internal'), 500, 'internal_error'],
  ];
  for (const [error, status, code] of cases) {
    const mapped = fromPostgresError(error);
    assert.deepEqual([mapped.status, mapped.code], [status, code], `${error.code} ${error.message}`);
    assert.equal(mapped.cause, error, 'the original error is kept as the cause');
  }
});

Deno.test('a coded raise uses its detail as the message, or the code in words', () => {
  assert.equal(
    fromPostgresError(pg('P0001', 'deadline_passed', { detail: 'The deadline has passed.' })).message,
    'The deadline has passed.',
  );
  assert.equal(fromPostgresError(pg('P0001', 'deadline_passed')).message, 'Deadline passed');
});

Deno.test('constraint violations name the constraint and never echo the duplicated value', () => {
  const mapped = fromPostgresError(
    pg('23505', 'duplicate key value violates unique constraint "candidates_email_key"', {
      detail: 'Key (lower(email))=(ada@example.com) already exists.',
      constraint_name: 'candidates_email_key',
    }),
  );
  assert.deepEqual(mapped.toJSON(), {
    error: { code: 'conflict', message: 'Already exists', details: { constraint: 'candidates_email_key' } },
  });
});

Deno.test('an RLS refusal can be answered as 404 where existence must not leak', () => {
  const mapped = fromPostgresError(pg('42501', 'permission denied for table campaigns'), { forbiddenAs: 'not_found' });
  assert.deepEqual([mapped.status, mapped.code], [404, 'not_found']);
});

Deno.test('unknown Postgres errors do not leak their message', () => {
  const mapped = fromPostgresError(pg('42P01', 'relation "private.secret_table" does not exist'));
  assert.ok(!JSON.stringify(mapped.toJSON()).includes('secret_table'));
});

Deno.test('isPostgresError recognises postgres.js errors only', () => {
  const error = new postgres.PostgresError('boom');
  assert.equal(isPostgresError(error), true);
  assert.equal(isPostgresError(Object.assign(new Error('x'), { code: '23505' })), false);
});

Deno.test('connection failures are told apart from SQL errors', () => {
  assert.equal(
    isDatabaseUnreachable(Object.assign(new Error('write CONNECT_TIMEOUT'), { code: 'CONNECT_TIMEOUT' })),
    true,
  );
  assert.equal(isDatabaseUnreachable(new Deno.errors.ConnectionRefused('refused')), true);
  assert.equal(isDatabaseUnreachable(new Error('other')), false);
});

Deno.test('a 429 raised with retry_after_seconds=N as its hint carries it, for the Retry-After header', () => {
  const mapped = fromPostgresError(
    pg('PT429', 'invitation_quota_exceeded', { detail: 'At most 50.', hint: 'retry_after_seconds=120' }),
  );
  assert.deepEqual(mapped.toJSON(), {
    error: { code: 'invitation_quota_exceeded', message: 'At most 50.', details: { retry_after_seconds: 120 } },
  });
  assert.equal(fromPostgresError(pg('PT429', 'too_many_attempts', { hint: 'later' })).details, undefined);
});
