// Activation of invited accounts through the gateway: real Auth server, PostgREST and Postgres. Invitations are
// made directly in the database here (tests/activation-support.ts); tests/activation-email.test.ts takes the token
// from the real invitation email.
import assert from 'node:assert/strict';
import {
  activationUrl,
  awaitsActivation,
  getPreview,
  invite,
  jwtPayload,
  postActivation,
  tokenRow,
  withDb,
} from './activation-support.ts';
import { anonClient, env, eventually, stackService } from './support.ts';

const PASSWORD = 'a-new-password-7';

Deno.test('an invited candidate activates with the token, gets a session supabase-js can use, and logs in later', async () => {
  await withDb(async (db) => {
    const inv = await invite(db, { firstName: 'Ivy', lastName: 'Invited' });
    const res = await postActivation({
      token: inv.token,
      password: PASSWORD,
      first_name: 'Ada',
      phone: '+33 6 12 34 56 78',
      linkedin_url: 'https://www.linkedin.com/in/ada',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user.id, inv.userId);
    assert.equal(res.body.user.email, inv.email);
    assert.equal(res.body.interview_session_id, inv.sessionId);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.ok(res.headers.get('x-request-id'), 'a request id');

    // the SPA: setSession with the returned tokens, then act as the candidate
    const spa = anonClient();
    const { error: setError } = await spa.auth.setSession({
      access_token: res.body.session.access_token,
      refresh_token: res.body.session.refresh_token,
    });
    assert.equal(setError, null);
    const { data: me } = await spa.auth.getUser();
    assert.equal(me.user?.email, inv.email);
    assert.ok(me.user?.email_confirmed_at, 'the email is confirmed');
    assert.equal(me.user?.app_metadata.invitation_pending, false, 'the account no longer waits for activation');
    assert.equal(me.user?.app_metadata.role, 'candidate');
    assert.equal(jwtPayload(res.body.session.access_token).user_role, 'candidate');
    const { data: interviews, error } = await spa.rpc('my_interviews');
    assert.equal(error, null);
    assert.deepEqual(interviews.map((i: { session_id: string }) => i.session_id), [inv.sessionId]);
    assert.equal(interviews[0].title, 'Backend engineer');

    // the form's fields reached the candidate row; the omitted last name kept the inviter's value
    const [candidate] = await db`select first_name, last_name, phone, linkedin_url from public.candidates
                                  where id = ${inv.candidateId}`;
    assert.deepEqual({ ...candidate }, {
      first_name: 'Ada',
      last_name: 'Invited',
      phone: '+33 6 12 34 56 78',
      linkedin_url: 'https://www.linkedin.com/in/ada',
    });
    assert.ok((await tokenRow(db, inv.sessionId)).used_at, 'the token is consumed');

    // later: an ordinary login with the new password
    const later = anonClient();
    const { data: login, error: loginError } = await later.auth.signInWithPassword({
      email: inv.email,
      password: PASSWORD,
    });
    assert.equal(loginError, null);
    assert.equal(login.user?.id, inv.userId);
  });
});

Deno.test('a placeholder created unconfirmed (without invitation_pending) activates and gets its email confirmed', async () => {
  await withDb(async (db) => {
    const inv = await invite(db, { placeholder: 'unconfirmed' });
    const res = await postActivation({ token: inv.token, password: PASSWORD });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const [user] = await db`select email_confirmed_at from auth.users where id = ${inv.userId}`;
    assert.ok(user.email_confirmed_at);
    assert.equal((await postActivation({ token: inv.token, password: PASSWORD })).body.error.code, 'invitation_used');
  });
});

Deno.test('knowing the email is not enough: without the token nothing activates and nobody can log in', async () => {
  await withDb(async (db) => {
    const inv = await invite(db);
    // the old backend's "register" request: email + password for a placeholder account
    const old = await postActivation({ email: inv.email, password: PASSWORD, first_name: 'Mallory' });
    assert.equal(old.status, 403);
    assert.equal(old.body.error.code, 'invitation_required');
    // the email in place of the token, or a made-up token, is just an unknown token
    for (const token of [inv.email, 'A'.repeat(43)]) {
      const guess = await postActivation({ token, password: PASSWORD });
      assert.equal(guess.status, 404, token);
      assert.equal(guess.body.error.code, 'invitation_not_found');
    }
    assert.equal(await awaitsActivation(db, inv.email), true, 'the placeholder still waits for its token');
    const { error } = await anonClient().auth.signInWithPassword({ email: inv.email, password: PASSWORD });
    assert.equal(error?.code, 'invalid_credentials');
    const [candidate] = await db`select first_name from public.candidates where id = ${inv.candidateId}`;
    assert.equal(candidate.first_name, 'Ivy', 'the attacker did not change the candidate either');
    assert.equal((await tokenRow(db, inv.sessionId)).used_at, null, 'the real token is still usable');
  });
});

Deno.test('a token works once: the second activation is 409 invitation_used', async () => {
  await withDb(async (db) => {
    const inv = await invite(db);
    assert.equal((await postActivation({ token: inv.token, password: PASSWORD })).status, 200);
    const again = await postActivation({ token: inv.token, password: 'another-password-8' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'invitation_used');
    const { error } = await anonClient().auth.signInWithPassword({ email: inv.email, password: 'another-password-8' });
    assert.ok(error, 'the second password was not set');
    const preview = await getPreview(inv.token);
    assert.equal(preview.status, 409);
    assert.equal(preview.body.error.code, 'invitation_used');
  });
});

Deno.test('two parallel activations with one token: exactly one succeeds, and only its password works', async () => {
  await withDb(async (db) => {
    const inv = await invite(db);
    const passwords = ['first-password-1', 'second-password-2'];
    const answers = await Promise.all(passwords.map((password) => postActivation({ token: inv.token, password })));
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [200, 409], JSON.stringify(answers.map((a) => a.body)));
    const loser = answers.find((a) => a.status === 409);
    assert.equal(loser?.body.error.code, 'invitation_used');
    const winner = passwords[answers.findIndex((a) => a.status === 200)];
    const other = passwords.find((p) => p !== winner) as string;
    assert.equal((await anonClient().auth.signInWithPassword({ email: inv.email, password: winner })).error, null);
    assert.ok((await anonClient().auth.signInWithPassword({ email: inv.email, password: other })).error);
  });
});

Deno.test('an unknown token is 404 invitation_not_found, for activation and preview', async () => {
  await withDb(async () => {
    const post = await postActivation({ token: 'q3X0cD9k2mVn8yZbLr4TfHs1uWj6aEoPiGx5NdQlK7c', password: PASSWORD });
    assert.equal(post.status, 404);
    assert.equal(post.body.error.code, 'invitation_not_found');
    const get = await getPreview('q3X0cD9k2mVn8yZbLr4TfHs1uWj6aEoPiGx5NdQlK7c');
    assert.equal(get.status, 404);
    assert.deepEqual(Object.keys(get.body), ['error']);
    assert.equal(get.body.error.code, 'invitation_not_found');
  });
});

Deno.test('an expired token is 410 invitation_expired and leaves the account as it was', async () => {
  await withDb(async (db) => {
    const inv = await invite(db);
    await db`update private.invitation_tokens set expires_at = now() - interval '1 minute'
              where session_id = ${inv.sessionId}`;
    const post = await postActivation({ token: inv.token, password: PASSWORD });
    assert.equal(post.status, 410);
    assert.equal(post.body.error.code, 'invitation_expired');
    assert.equal((await getPreview(inv.token)).body.error.code, 'invitation_expired');
    assert.equal(await awaitsActivation(db, inv.email), true);
  });
});

Deno.test('a withdrawn invitation is 410 invitation_revoked', async () => {
  await withDb(async (db) => {
    const inv = await invite(db);
    // what DELETE /invitations/{id} does: the session is withdrawn and its token revoked
    await db`update public.interview_sessions set status = 'withdrawn' where id = ${inv.sessionId}`;
    await db`update private.invitation_tokens set revoked_at = now() where session_id = ${inv.sessionId}`;
    const post = await postActivation({ token: inv.token, password: PASSWORD });
    assert.equal(post.status, 410);
    assert.equal(post.body.error.code, 'invitation_revoked');
    const get = await getPreview(inv.token);
    assert.equal(get.status, 410);
    assert.equal(get.body.error.code, 'invitation_revoked');
  });
});

Deno.test('an account that already has a password is told to log in: 400 account_already_active', async () => {
  await withDb(async (db) => {
    // invited to two campaigns: two emails, two tokens; the first activation sets the password
    const first = await invite(db);
    const second = await invite(db, { email: first.email });
    assert.equal((await postActivation({ token: first.token, password: PASSWORD })).status, 200);
    const post = await postActivation({ token: second.token, password: 'another-password-8' });
    assert.equal(post.status, 400);
    assert.equal(post.body.error.code, 'account_already_active');
    assert.match(post.body.error.message, /log in/i);
    const get = await getPreview(second.token);
    assert.equal(get.status, 400);
    assert.equal(get.body.error.code, 'account_already_active');
    assert.equal((await tokenRow(db, second.sessionId)).used_at, null, 'the refused token was not consumed');
    const { error } = await anonClient().auth.signInWithPassword({ email: first.email, password: PASSWORD });
    assert.equal(error, null, 'the first password still works');
  });
});

Deno.test('a weak password is 422 weak_password with the reasons, and the token stays usable', async () => {
  await withDb(async (db) => {
    const inv = await invite(db);
    for (
      const [password, reasons] of [
        ['short1', ['too_short']],
        ['onlyletters', ['needs_digit']],
        ['1234567890', ['needs_letter']],
        ['a1'.repeat(40), ['too_long']],
      ] as const
    ) {
      const res = await postActivation({ token: inv.token, password });
      assert.equal(res.status, 422, password);
      assert.equal(res.body.error.code, 'weak_password');
      assert.deepEqual(res.body.error.details.reasons, reasons);
      assert.equal(res.body.error.details.min_length, 8);
    }
    assert.equal((await tokenRow(db, inv.sessionId)).used_at, null);
    assert.equal(await awaitsActivation(db, inv.email), true);
    assert.equal((await postActivation({ token: inv.token, password: PASSWORD })).status, 200);
  });
});

Deno.test('too many attempts with one token: the 11th within 15 minutes is 429 too_many_attempts', async () => {
  await withDb(async (db) => {
    const inv = await invite(db);
    for (let i = 1; i <= 10; i++) {
      const res = await postActivation({ token: inv.token, password: 'weak' });
      assert.equal(res.status, 422, `attempt ${i}`);
    }
    const refused = await postActivation({ token: inv.token, password: PASSWORD });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'too_many_attempts');
    assert.equal(refused.body.error.details.limit, 'activation_token');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}`);
    assert.equal(refused.body.error.details.retry_after_seconds, retryAfter);
    assert.equal(await awaitsActivation(db, inv.email), true, 'the refused attempt did nothing');
    // another token is not affected
    const other = await invite(db);
    assert.equal((await postActivation({ token: other.token, password: PASSWORD })).status, 200);
  });
});

Deno.test('too many attempts from one address: refused with 429, and a forged X-Forwarded-For does not help', async () => {
  await withDb(async (db) => {
    // Every test request reaches the function from 127.0.0.1 (the gateway appends it). Fill that address's window
    // up to one attempt below the limit (30 per 10 minutes), then let real requests do the rest.
    await db`insert into private.rate_limit_hits (bucket, key_hash)
             select 'activation_ip', sha256(convert_to('127.0.0.1', 'UTF8')) from generate_series(1, 29)`;
    const last = await getPreview('q3X0cD9k2mVn8yZbLr4TfHs1uWj6aEoPiGx5NdQlK7c');
    assert.equal(last.status, 404, 'the 30th attempt is still answered');
    const refused = await getPreview('q3X0cD9k2mVn8yZbLr4TfHs1uWj6aEoPiGx5NdQlK7c');
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'too_many_attempts');
    assert.equal(refused.body.error.details.limit, 'activation_ip');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    const post = await postActivation({ token: 'x'.repeat(43), password: PASSWORD });
    assert.equal(post.status, 429, 'activation shares the per-address limit');
    const forged = await postActivation({ token: 'x'.repeat(43), password: PASSWORD }, {
      'x-forwarded-for': '203.0.113.99',
    });
    assert.equal(forged.status, 429, 'a client-written X-Forwarded-For entry is not trusted');
  });
});

Deno.test('an Auth server failure midway leaves the token unused and the account untouched; a retry then works', async () => {
  await withDb(async (db) => {
    const inv = await invite(db);
    await stackService('auth', 'pause');
    let down;
    try {
      down = await postActivation({ token: inv.token, password: PASSWORD, first_name: 'Ada' });
    } finally {
      await stackService('auth', 'resume');
    }
    assert.equal(down.status, 503, JSON.stringify(down.body));
    assert.equal(down.body.error.code, 'auth_unavailable');
    assert.equal((await tokenRow(db, inv.sessionId)).used_at, null, 'the token was not consumed');
    const [candidate] = await db`select first_name from public.candidates where id = ${inv.candidateId}`;
    assert.equal(candidate.first_name, 'Ivy', 'the form fields were rolled back');
    await eventually(async () => {
      const res = await fetch(`${env('SUPABASE_URL')}/auth/v1/health`, {
        headers: { apikey: env('SUPABASE_ANON_KEY') },
      });
      await res.body?.cancel();
      return res.ok;
    });
    const retry = await postActivation({ token: inv.token, password: PASSWORD, first_name: 'Ada' });
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.ok(retry.body.session.access_token);
  });
});

Deno.test('the preview shows the campaign title, company, deadline, time zone and privacy notice, and nothing about the person', async () => {
  await withDb(async (db) => {
    const inv = await invite(db, { firstName: 'Secret', lastName: 'Person' });
    const res = await getPreview(inv.token);
    assert.equal(res.status, 200);
    const [session] = await db`select deadline, time_zone from public.interview_sessions where id = ${inv.sessionId}`;
    const { privacy_notice, ...rest } = res.body;
    assert.deepEqual(rest, {
      campaign_title: 'Backend engineer',
      company: 'Acme',
      deadline: session.deadline.toISOString(),
      time_zone: session.time_zone,
    });
    assert.equal(privacy_notice.version, 1, 'and the privacy notice the candidate will accept');
    assert.ok(!JSON.stringify(res.body).includes('Secret'), 'nothing about the person');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal((await tokenRow(db, inv.sessionId)).used_at, null, 'looking does not consume the token');
  });
});

Deno.test('an invited candidate row without an auth user is activated by creating a confirmed candidate user', async () => {
  await withDb(async (db) => {
    const inv = await invite(db, { withUser: false });
    assert.equal(inv.userId, null);
    const res = await postActivation({ token: inv.token, password: PASSWORD, last_name: 'Lovelace' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const [row] = await db`select c.user_id, c.last_name, p.role::text as role from public.candidates c
                             join public.profiles p on p.id = c.user_id where c.id = ${inv.candidateId}`;
    assert.deepEqual({ ...row }, { user_id: res.body.user.id, last_name: 'Lovelace', role: 'candidate' });
    assert.equal(jwtPayload(res.body.session.access_token).user_role, 'candidate');
  });
});

Deno.test('an invitation whose email belongs to another kind of account is 409 account_conflict', async () => {
  await withDb(async (db) => {
    // a hiring manager's address, invited before the invitations function refused that (or by an admin's insert)
    const { data, error } = await anonClient().auth.signUp({
      email: `hm-${crypto.randomUUID().slice(0, 8)}@example.test`,
      password: 'hm-password-123',
      options: { data: { role: 'hiring_manager' } },
    });
    assert.equal(error, null);
    const email = data.user?.email as string;
    const inv = await invite(db, { email: email.toUpperCase(), withUser: false });
    // a hiring manager has no candidate row, so the invitation's row is a new one with no user
    const [row] = await db`select user_id from public.candidates where id = ${inv.candidateId}`;
    assert.equal(row.user_id, null);
    const res = await postActivation({ token: inv.token, password: PASSWORD });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'account_conflict');
    assert.equal((await tokenRow(db, inv.sessionId)).used_at, null);
    const { error: loginError } = await anonClient().auth.signInWithPassword({ email, password: PASSWORD });
    assert.ok(loginError, "the hiring manager's password was not changed");
  });
});

Deno.test('the OpenAPI document is served through the gateway', async () => {
  const res = await fetch(activationUrl('/openapi.json'));
  assert.equal(res.status, 200);
  const doc = await res.json();
  assert.ok(doc.paths['/activation'].post);
  assert.ok(doc.paths['/activation/{token}'].get);
});
