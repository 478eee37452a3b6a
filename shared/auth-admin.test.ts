// The Auth client's failure mapping, against a local HTTP listener that answers as GoTrue v2.196.0 does (a stand-in
// for these unit tests only; tests/invitations.test.ts and tests/activation*.test.ts run against the real GoTrue).
import assert from 'node:assert/strict';
import { authAdmin, AuthApiFailure, fromAuthError } from './auth-admin.ts';

Deno.test('an unreachable, failing or throttling Auth server is 503 auth_unavailable', () => {
  for (
    const error of [
      new TypeError('fetch failed'),
      new AuthApiFailure(500, 'unexpected_failure', 'boom'),
      new AuthApiFailure(429, 'over_request_rate_limit', 'slow down'),
    ]
  ) {
    const mapped = fromAuthError(error);
    assert.equal(mapped.status, 503);
    assert.equal(mapped.code, 'auth_unavailable');
  }
});

Deno.test('a password the Auth server finds weak is 422 weak_password', () => {
  const mapped = fromAuthError(new AuthApiFailure(422, 'weak_password', 'Password is known to be weak'));
  assert.equal(mapped.status, 422);
  assert.equal(mapped.code, 'weak_password');
});

Deno.test('an address taken by another account is 409 account_conflict', () => {
  const mapped = fromAuthError(new AuthApiFailure(422, 'email_exists', 'already registered'));
  assert.equal(mapped.status, 409);
  assert.equal(mapped.code, 'account_conflict');
});

Deno.test('any other refusal is a 500 that does not show the Auth server message', () => {
  const mapped = fromAuthError(new AuthApiFailure(403, 'not_admin', 'User not allowed'));
  assert.equal(mapped.status, 500);
  assert.equal(mapped.message, 'Internal server error');
});

/** Serves `answer` for every request; returns the client pointed at it. */
function againstStub(answer: (req: Request) => Response | Promise<Response>, timeoutMs = 2000) {
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, answer);
  const auth = authAdmin({
    supabaseUrl: `http://127.0.0.1:${server.addr.port}`,
    serviceRoleKey: 'service-role-key',
    anonKey: 'anon-key',
  }, timeoutMs);
  return { auth, close: () => server.shutdown() };
}

Deno.test('createUser: an address that exists, or that a parallel call created first (GoTrue 500 23505), is not created', async () => {
  const answers = [
    Response.json({
      code: 422,
      error_code: 'email_exists',
      msg: 'A user with this email address has already been registered',
    }, { status: 422 }),
    Response.json({
      code: '23505',
      message: 'duplicate key value violates unique constraint "users_email_partial_key"',
    }, { status: 500 }),
  ];
  for (const answer of answers) {
    const stub = againstStub(() => answer.clone());
    try {
      assert.deepEqual(await stub.auth.createUser({ email: 'a@example.test' }), { created: false });
    } finally {
      await stub.close();
    }
  }
});

Deno.test('createUser sends the service role key and returns the new id; any other 500 is auth_unavailable', async () => {
  let seen: Headers | null = null;
  const ok = againstStub((req) => {
    seen = req.headers;
    return Response.json({ id: '6f2d0349-8ed7-4c03-832f-435a48d53deb' });
  });
  try {
    assert.deepEqual(await ok.auth.createUser({ email: 'a@example.test' }), {
      created: true,
      id: '6f2d0349-8ed7-4c03-832f-435a48d53deb',
    });
    assert.equal(seen!.get('authorization'), 'Bearer service-role-key');
  } finally {
    await ok.close();
  }
  const failing = againstStub(() => Response.json({ code: 500, msg: 'Database error' }, { status: 500 }));
  try {
    await assert.rejects(failing.auth.createUser({ email: 'a@example.test' }), { code: 'auth_unavailable' });
  } finally {
    await failing.close();
  }
});

Deno.test('a call the Auth server never answers gives up after the timeout as auth_unavailable', async () => {
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  const stub = againstStub(async () => {
    await held;
    return new Response('late');
  }, 200);
  try {
    const started = Date.now();
    await assert.rejects(stub.auth.updateUser('id', { password: 'x' }), { code: 'auth_unavailable' });
    assert.ok(Date.now() - started < 2000);
  } finally {
    release();
    await stub.close();
  }
});

Deno.test('deleting a user that is already gone counts as deleted', async () => {
  const stub = againstStub(() =>
    Response.json({ code: 404, error_code: 'user_not_found', msg: 'User not found' }, { status: 404 })
  );
  try {
    await stub.auth.deleteUser('6f2d0349-8ed7-4c03-832f-435a48d53deb');
  } finally {
    await stub.close();
  }
});
