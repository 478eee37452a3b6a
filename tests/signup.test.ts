// Self sign-up through the Auth API (supabase.auth.signUp), with the role in user_metadata: the trigger on auth.users
// accepts hiring_manager or candidate there, never admin, and the custom access token hook puts the role in the JWT
// as `user_role`. No function is involved.
import assert from 'node:assert/strict';
import { awaitsActivation, invite, jwtPayload, postActivation, withDb } from './activation-support.ts';
import { anonClient, uniqueEmail } from './support.ts';

const PASSWORD = 'sign-up-password-1';

async function signUp(email: string, data: Record<string, unknown>) {
  const client = anonClient();
  const { data: result, error } = await client.auth.signUp({ email, password: PASSWORD, options: { data } });
  assert.equal(error, null);
  assert.ok(result.session, 'confirmations are off locally: sign-up signs in');
  return { client, session: result.session, userId: result.user?.id as string };
}

Deno.test('an uninvited candidate signs up, gets a candidate row and a JWT with user_role candidate', async () => {
  const email = uniqueEmail('self-candidate');
  const { client, session, userId } = await signUp(email, {
    role: 'candidate',
    first_name: 'Cleo',
    last_name: 'Self',
    linkedin_url: 'https://www.linkedin.com/in/cleo',
  });
  assert.equal(jwtPayload(session.access_token).user_role, 'candidate');
  const { data: me, error } = await client.rpc('me');
  assert.equal(error, null);
  assert.equal(me.role, 'candidate');
  assert.equal(me.id, userId);
  const { data: rows } = await client.from('candidates').select('email, first_name, last_name, linkedin_url');
  assert.deepEqual(rows, [{
    email,
    first_name: 'Cleo',
    last_name: 'Self',
    linkedin_url: 'https://www.linkedin.com/in/cleo',
  }]);
  const { data: interviews } = await client.rpc('my_interviews');
  assert.deepEqual(interviews, [], 'an uninvited candidate has no interviews');
});

Deno.test('a hiring manager signs up with company and department, and the JWT says hiring_manager', async () => {
  const { client, session, userId } = await signUp(uniqueEmail('self-hm'), {
    role: 'hiring_manager',
    company: 'Globex',
    department: 'Sales',
  });
  assert.equal(jwtPayload(session.access_token).user_role, 'hiring_manager');
  const { data } = await client.from('hiring_managers').select('id, company, department');
  assert.deepEqual(data, [{ id: userId, company: 'Globex', department: 'Sales' }]);
  const { data: candidates } = await client.from('candidates').select('id');
  assert.deepEqual(candidates, [], 'a hiring manager gets no candidate row');
  // and can create a campaign, which a candidate cannot
  const start = new Date(Date.now() + 60_000).toISOString();
  const end = new Date(Date.now() + 10 * 86_400_000).toISOString();
  const { error } = await client.from('campaigns').insert({ title: 'Sales rep', start_date: start, end_date: end });
  assert.equal(error, null);
});

Deno.test('asking for admin in user_metadata gives a candidate, not an admin', async () => {
  const { client, session, userId } = await signUp(uniqueEmail('wannabe-admin'), { role: 'admin' });
  assert.equal(jwtPayload(session.access_token).user_role, 'candidate');
  const { data: me } = await client.rpc('me');
  assert.equal(me.role, 'candidate');
  // an admin reads every profile; this user reads only their own
  const { data: profiles } = await client.from('profiles').select('id');
  assert.deepEqual(profiles, [{ id: userId }]);
});

Deno.test('changing the role in user_metadata after sign-up changes nothing, even after a token refresh', async () => {
  const { client } = await signUp(uniqueEmail('role-changer'), { role: 'candidate' });
  const { error } = await client.auth.updateUser({ data: { role: 'admin' } });
  assert.equal(error, null);
  const { data: refreshed, error: refreshError } = await client.auth.refreshSession();
  assert.equal(refreshError, null);
  assert.equal(jwtPayload(refreshed.session?.access_token as string).user_role, 'candidate');
  const { data: me } = await client.rpc('me');
  assert.equal(me.role, 'candidate');
});

Deno.test('a sign-up without a role is a candidate', async () => {
  const { session } = await signUp(uniqueEmail('no-role'), {});
  assert.equal(jwtPayload(session.access_token).user_role, 'candidate');
});

Deno.test('a self-signed-up candidate invited later logs in: the invitation link says account_already_active', async () => {
  await withDb(async (db) => {
    const email = uniqueEmail('early-bird');
    await signUp(email, { role: 'candidate' });
    const inv = await invite(db, { email });
    const res = await postActivation({ token: inv.token, password: 'another-password-9' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'account_already_active');
    const client = anonClient();
    const { error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
    assert.equal(error, null, 'the original password is unchanged');
    const { data: interviews } = await client.rpc('my_interviews');
    assert.deepEqual(interviews.map((i: { session_id: string }) => i.session_id), [inv.sessionId]);
  });
});

Deno.test("signing up with an invited candidate's email does not take over the invited account", async () => {
  await withDb(async (db) => {
    // A confirmed placeholder: with autoconfirm, GoTrue's sign-up would confirm an UNconfirmed one and hand out its
    // session without any password (see the README, "Activation and sign-up").
    const inv = await invite(db, { placeholder: 'pending' });
    const { data, error } = await anonClient().auth.signUp({ email: inv.email, password: 'attacker-password-1' });
    assert.equal(data.session, null, 'no session');
    assert.equal(error?.code, 'user_already_exists');
    assert.equal(await awaitsActivation(db, inv.email), true);
    const res = await postActivation({ token: inv.token, password: PASSWORD });
    assert.equal(res.status, 200, 'the invited person can still activate with the token');
  });
});
