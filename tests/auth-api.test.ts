// The Auth API as supabase-js sees it through the gateway: sign-up, sign-in, refresh, user updates, sign-out, the
// admin API, email links and the invite email. Locally this is the real GoTrue (supabase/auth); every expectation here
// is GoTrue's behaviour, so the same tests hold against hosted Supabase Auth.
import assert from 'node:assert/strict';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { isAuthApiError, isAuthWeakPasswordError } from '@supabase/supabase-js';
import { anonClient, env, eventually, mailsTo, mailText, serviceClient, uniqueEmail } from './support.ts';

const PASSWORD = 'a-long-test-password-1';
const authUrl = () => `${env('SUPABASE_URL')}/auth/v1`;
const appUrl = () => env('APP_SITE_URL');

async function signUpAndIn(email = uniqueEmail('auth')) {
  const client = anonClient();
  const { data, error } = await client.auth.signUp({
    email,
    password: PASSWORD,
    options: { data: { role: 'candidate', display_name: 'Ada' } },
  });
  assert.equal(error, null);
  assert.ok(data.session, 'confirmations are off in supabase/config.toml, so sign-up returns a session');
  return { client, email, session: data.session, user: data.user! };
}

/** Raw call to the Auth API without supabase-js, to see GoTrue's legacy error body. */
async function authFetch(path: string, init: RequestInit & { token?: string } = {}) {
  const headers = new Headers(init.headers);
  headers.set('apikey', env('SUPABASE_ANON_KEY'));
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  const res = await fetch(`${authUrl()}${path}`, { ...init, headers, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

function fragmentOf(location: string | null): URLSearchParams {
  assert.ok(location, 'a redirect location');
  return new URLSearchParams(location.slice(location.indexOf('#') + 1));
}

Deno.test('sign-up returns a session whose ES256 access token verifies against the published JWKS', async () => {
  const { session, email, user } = await signUpAndIn();
  const jwks = createRemoteJWKSet(new URL(`${authUrl()}/.well-known/jwks.json`));
  const { payload, protectedHeader } = await jwtVerify(session.access_token, jwks, {
    issuer: authUrl(),
    audience: 'authenticated',
  });
  assert.equal(protectedHeader.alg, 'ES256');
  assert.ok(protectedHeader.kid);
  assert.equal(payload.sub, user.id);
  assert.equal(payload.email, email);
  assert.equal(payload.role, 'authenticated');
  assert.equal(payload.aal, 'aal1');
  assert.equal(typeof payload.session_id, 'string');
  assert.equal(payload.is_anonymous, false);
  assert.deepEqual((payload.amr as Array<{ method: string }>).map((a) => a.method), ['password']);
  assert.equal((payload.app_metadata as Record<string, unknown>).provider, 'email');
  assert.equal(session.token_type, 'bearer');
  assert.equal(session.expires_in, 3600);
  assert.equal(user.identities?.[0]?.provider, 'email');
});

Deno.test('the JWKS endpoint publishes public keys only, each with kid, alg and use', async () => {
  const res = await fetch(`${authUrl()}/.well-known/jwks.json`);
  assert.equal(res.status, 200);
  const { keys } = await res.json();
  assert.ok(keys.length >= 1);
  for (const key of keys) {
    assert.equal(key.d, undefined, 'no private part');
    assert.equal(key.alg, 'ES256');
    assert.equal(key.use, 'sig');
    assert.ok(key.kid);
  }
});

Deno.test('a password shorter than the minimum is refused as weak_password (422)', async () => {
  const { error } = await anonClient().auth.signUp({ email: uniqueEmail('weak'), password: 'short' });
  assert.ok(isAuthWeakPasswordError(error));
  assert.equal(error.code, 'weak_password');
  assert.equal(error.status, 422);
  assert.deepEqual(error.reasons, ['length']);
});

Deno.test('signing up again with a registered email is refused as user_already_exists', async () => {
  const { email } = await signUpAndIn();
  const { error } = await anonClient().auth.signUp({ email, password: PASSWORD });
  assert.ok(isAuthApiError(error));
  assert.equal(error.code, 'user_already_exists');
  assert.equal(error.status, 422);
});

Deno.test('a wrong password is invalid_credentials (400), and so is an unknown email', async () => {
  const { email } = await signUpAndIn();
  for (
    const attempt of [{ email, password: 'not-the-password' }, { email: uniqueEmail('nobody'), password: PASSWORD }]
  ) {
    const { data, error } = await anonClient().auth.signInWithPassword(attempt);
    assert.equal(data.session, null);
    assert.equal(error?.code, 'invalid_credentials');
    assert.equal(error?.status, 400);
  }
});

Deno.test('refreshing rotates the refresh token within the same session', async () => {
  const { client, session } = await signUpAndIn();
  const { data, error } = await client.auth.refreshSession();
  assert.equal(error, null);
  assert.notEqual(data.session!.refresh_token, session.refresh_token);
  assert.equal(decodeJwt(data.session!.access_token).session_id, decodeJwt(session.access_token).session_id);
});

Deno.test('a user can change user_metadata and password but not app_metadata or role', async () => {
  const { client, email, user } = await signUpAndIn();
  const { data, error } = await client.auth.updateUser({
    data: { display_name: 'Grace' },
    password: 'another-long-password-2',
  });
  assert.equal(error, null);
  assert.equal(data.user!.user_metadata.display_name, 'Grace');

  // app_metadata is for the service role only: GoTrue refuses the whole PUT /user (403 not_admin) and changes nothing.
  const token = (await client.auth.getSession()).data.session!.access_token;
  const raw = await authFetch('/user', {
    method: 'PUT',
    token,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app_metadata: { role: 'admin' }, role: 'service_role', data: { display_name: 'Eve' } }),
  });
  assert.equal(raw.status, 403, JSON.stringify(raw.body));
  assert.equal(raw.body.error_code, 'not_admin');

  const got = await client.auth.getUser();
  assert.equal(got.data.user!.user_metadata.display_name, 'Grace');
  assert.equal(got.data.user!.role, 'authenticated');
  assert.deepEqual(got.data.user!.app_metadata, user.app_metadata);
  const oldPassword = await anonClient().auth.signInWithPassword({ email, password: PASSWORD });
  assert.equal(oldPassword.error?.code, 'invalid_credentials');
  const newPassword = await anonClient().auth.signInWithPassword({ email, password: 'another-long-password-2' });
  assert.equal(newPassword.error, null);
});

Deno.test('signing out ends the session: its access token and refresh token stop working', async () => {
  const { client, session } = await signUpAndIn();
  const { error } = await client.auth.signOut();
  assert.equal(error, null);
  const user = await authFetch('/user', { token: session.access_token });
  assert.equal(user.status, 403);
  assert.equal(user.body.error_code, 'session_not_found');
  const refreshed = await anonClient().auth.refreshSession({ refresh_token: session.refresh_token });
  assert.equal(refreshed.error?.code, 'refresh_token_not_found');
});

Deno.test('the admin API creates, lists, reads, updates and deletes users', async () => {
  const admin = serviceClient().auth.admin;
  const email = uniqueEmail('admin-made');
  const created = await admin.createUser({
    email,
    password: PASSWORD,
    email_confirm: true,
    app_metadata: { tier: 'gold' },
    user_metadata: { display_name: 'Made' },
  });
  assert.equal(created.error, null);
  const user = created.data.user!;
  assert.ok(user.email_confirmed_at);
  assert.equal(user.app_metadata.tier, 'gold');
  assert.equal(user.app_metadata.provider, 'email');
  assert.deepEqual(user.app_metadata.providers, ['email']);

  const duplicate = await admin.createUser({ email, password: PASSWORD });
  assert.equal(duplicate.error?.code, 'email_exists');

  const page = await admin.listUsers({ page: 1, perPage: 1 });
  assert.equal(page.error, null);
  assert.equal(page.data.users.length, 1);
  assert.ok((page.data as { total: number }).total >= 1);

  const fetched = await admin.getUserById(user.id);
  assert.equal(fetched.data.user?.email, email);

  const updated = await admin.updateUserById(user.id, { app_metadata: { plan: 'team' }, password: 'set-by-admin-123' });
  assert.equal(updated.error, null);
  assert.equal(updated.data.user!.app_metadata.tier, 'gold', 'app_metadata is merged, not replaced');
  assert.equal(updated.data.user!.app_metadata.plan, 'team');
  const signIn = await anonClient().auth.signInWithPassword({ email, password: 'set-by-admin-123' });
  assert.equal(signIn.error, null);
  assert.equal((decodeJwt(signIn.data.session!.access_token).app_metadata as Record<string, unknown>).plan, 'team');

  assert.equal((await admin.deleteUser(user.id)).error, null);
  const gone = await admin.getUserById(user.id);
  assert.equal(gone.error?.code, 'user_not_found');
  assert.equal(gone.error?.status, 404);
  const after = await anonClient().auth.signInWithPassword({ email, password: 'set-by-admin-123' });
  assert.equal(after.error?.code, 'invalid_credentials');
});

Deno.test('admin routes refuse a signed-in user token and the anon key with 403 not_admin', async () => {
  const { session } = await signUpAndIn();
  for (const token of [session.access_token, env('SUPABASE_ANON_KEY')]) {
    const res = await authFetch('/admin/users', { token });
    assert.equal(res.status, 403);
    assert.equal(res.body.error_code, 'not_admin');
  }
  const viaClient = await anonClient().auth.admin.listUsers();
  assert.equal(viaClient.error?.code, 'not_admin');
});

Deno.test('a generated magic link signs the user in once through /verify and then is spent', async () => {
  const { email, user } = await signUpAndIn();
  const { data, error } = await serviceClient().auth.admin.generateLink({
    type: 'magiclink',
    email,
    options: { redirectTo: `${appUrl()}/welcome` },
  });
  assert.equal(error, null);
  assert.equal(data.properties.verification_type, 'magiclink');
  assert.match(data.properties.email_otp, /^\d{6}$/);
  assert.ok(data.properties.action_link.startsWith(`${authUrl()}/verify?`));

  const first = await fetch(data.properties.action_link, { redirect: 'manual' });
  await first.body?.cancel();
  assert.equal(first.status, 303);
  assert.ok(first.headers.get('location')!.startsWith(`${appUrl()}/welcome#`));
  const tokens = fragmentOf(first.headers.get('location'));
  assert.equal(tokens.get('type'), 'magiclink');
  assert.equal(decodeJwt(tokens.get('access_token')!).sub, user.id);
  assert.ok(tokens.get('refresh_token'));

  const second = await fetch(data.properties.action_link, { redirect: 'manual' });
  await second.body?.cancel();
  assert.equal(fragmentOf(second.headers.get('location')).get('error_code'), 'otp_expired');
});

Deno.test('a recovery link verified with its token hash gives a session that can set a new password', async () => {
  const { email } = await signUpAndIn();
  const link = await serviceClient().auth.admin.generateLink({ type: 'recovery', email });
  assert.equal(link.error, null);
  const client = anonClient();
  const verified = await client.auth.verifyOtp({ type: 'recovery', token_hash: link.data.properties.hashed_token });
  assert.equal(verified.error, null);
  assert.ok(verified.data.session);
  assert.equal((await client.auth.updateUser({ password: 'recovered-password-9' })).error, null);
  assert.equal((await anonClient().auth.signInWithPassword({ email, password: 'recovered-password-9' })).error, null);
  const reused = await anonClient().auth.verifyOtp({ type: 'recovery', token_hash: link.data.properties.hashed_token });
  assert.equal(reused.error?.code, 'otp_expired');
});

Deno.test('inviting a user sends the invite email, and its link confirms the user and signs them in', async () => {
  const email = uniqueEmail('invited');
  const { data, error } = await serviceClient().auth.admin.inviteUserByEmail(email, {
    data: { display_name: 'Invited' },
    redirectTo: `${appUrl()}/accept`,
  });
  assert.equal(error, null);
  assert.ok(data.user?.invited_at);
  assert.equal(data.user?.email_confirmed_at, undefined);

  const [message] = await eventually(async () => {
    const found = await mailsTo(email);
    return found.length > 0 ? found : undefined;
  });
  assert.equal(message.Subject, "You've been invited", "GoTrue's default invite subject");
  const { Text } = await mailText(message.ID);
  const link = Text.match(/https?:\/\/\S+\/verify\?\S+/)?.[0];
  assert.ok(link, 'the email carries a /verify link');
  assert.ok(link.startsWith(`${authUrl()}/verify?`));

  const res = await fetch(link, { redirect: 'manual' });
  await res.body?.cancel();
  assert.equal(res.status, 303);
  assert.ok(res.headers.get('location')!.startsWith(`${appUrl()}/accept#`));
  const tokens = fragmentOf(res.headers.get('location'));
  assert.equal(tokens.get('type'), 'invite');
  const me = await authFetch('/user', { token: tokens.get('access_token')! });
  assert.equal(me.status, 200);
  assert.equal(me.body.email, email);
  assert.ok(me.body.email_confirmed_at);
  assert.equal(decodeProtectedHeader(tokens.get('access_token')!).alg, 'ES256');
});
