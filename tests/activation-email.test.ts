// The whole path with the real invitations function: a hiring manager invites, the invitation email arrives in
// Mailpit, the token is taken from the email's link, the candidate previews and activates, then logs in with
// supabase-js. Also: what the real invitations function leaves behind cannot be taken over by signing up.
import assert from 'node:assert/strict';
import { awaitsActivation, getPreview, jwtPayload, postActivation, withDb } from './activation-support.ts';
import { anonClient, env, eventually, mailsTo, mailText, signedInClient, uniqueEmail } from './support.ts';

const PASSWORD = 'from-the-email-1';

async function inviteThroughFunction(db: import('./activation-support.ts').Db) {
  const hm = await signedInClient({ role: 'hiring_manager', data: { company: 'Initech' } });
  const [campaign] = await db`
    insert into public.campaigns (owner_id, title, status, start_date, end_date)
    values (${hm.userId}, 'Data analyst', 'active', now(), now() + interval '7 days') returning id`;
  const email = uniqueEmail('mailed');
  const res = await fetch(`${env('SUPABASE_URL')}/functions/v1/invitations`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${hm.accessToken}`,
      apikey: env('SUPABASE_ANON_KEY'),
      'content-type': 'application/json',
    },
    body: JSON.stringify({ campaign_id: campaign.id, email, first_name: 'Mia', last_name: 'Mailed' }),
  });
  const body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body));
  return { email, sessionId: body.session_id as string, userId: body.user_id as string, managerToken: hm.accessToken };
}

/** Waits until exactly `count` emails to `email` have arrived. */
async function mailCount(email: string, count: number) {
  await eventually(async () => {
    const messages = await mailsTo(email);
    assert.ok(messages.length <= count, `${messages.length} emails to ${email}, expected ${count}`);
    return messages.length === count;
  });
}

/** The token of the activation link in the newest email to `email`. */
async function tokenFromEmail(email: string): Promise<string> {
  const [message] = await eventually(async () => {
    const messages = await mailsTo(email);
    return messages.length > 0 ? messages : null;
  });
  const { Text } = await mailText(message.ID);
  const site = env('APP_SITE_URL').replace(/\/+$/, '');
  const link = Text.match(/https?:\/\/\S+\/activate\?token=\S+/)?.[0];
  assert.ok(link, `the email carries an activation link:\n${Text}`);
  assert.ok(link.startsWith(`${site}/activate?token=`), link);
  const token = new URL(link).searchParams.get('token');
  assert.ok(token && /^[A-Za-z0-9_-]{43}$/.test(token), `a 256-bit base64url token: ${token}`);
  return token;
}

Deno.test('invite, email, activation from the link, then login with supabase-js', async () => {
  await withDb(async (db) => {
    const invited = await inviteThroughFunction(db);
    const token = await tokenFromEmail(invited.email);

    const preview = await getPreview(token);
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(preview.body.campaign_title, 'Data analyst');
    assert.equal(preview.body.company, 'Initech');

    const activated = await postActivation({ token, password: PASSWORD, phone: '+44 20 7946 0000' });
    assert.equal(activated.status, 200, JSON.stringify(activated.body));
    assert.equal(activated.body.user.id, invited.userId);
    assert.equal(activated.body.interview_session_id, invited.sessionId);

    const spa = anonClient();
    const { error: setError } = await spa.auth.setSession(activated.body.session);
    assert.equal(setError, null);
    assert.equal((await spa.auth.getUser()).data.user?.email, invited.email);

    const later = anonClient();
    const { data: login, error } = await later.auth.signInWithPassword({ email: invited.email, password: PASSWORD });
    assert.equal(error, null);
    assert.equal(jwtPayload(login.session?.access_token as string).user_role, 'candidate');
    const { data: interviews } = await later.rpc('my_interviews');
    assert.deepEqual(
      interviews.map((i: { session_id: string; title: string }) => [i.session_id, i.title]),
      [[invited.sessionId, 'Data analyst']],
    );
    const { data: me } = await later.rpc('me');
    // 'Mia' is what the company typed: it stays on that company's invitation, not on the person's own profile.
    assert.equal(me.first_name, '');
    const [session] =
      await db`select invited_first_name from public.interview_sessions where id = ${invited.sessionId}`;
    assert.equal(session.invited_first_name, 'Mia');
    assert.equal(me.phone, '+44 20 7946 0000');

    const reused = await postActivation({ token, password: 'another-password-2' });
    assert.equal(reused.body.error.code, 'invitation_used');
  });
});

Deno.test('the account the invitations function creates cannot be taken over by signing up with its email', async () => {
  await withDb(async (db) => {
    const invited = await inviteThroughFunction(db);
    const { data, error } = await anonClient().auth.signUp({ email: invited.email, password: 'attacker-password-1' });
    assert.equal(error?.code, 'user_already_exists', JSON.stringify(error));
    assert.equal(error?.status, 422);
    assert.equal(data.session, null, 'sign-up handed out no session');
    assert.equal(data.user, null);
    assert.equal(await awaitsActivation(db, invited.email), true, "the attacker's password was not set");
    const token = await tokenFromEmail(invited.email);
    const activated = await postActivation({ token, password: PASSWORD });
    assert.equal(activated.status, 200, JSON.stringify(activated.body));
  });
});

Deno.test('after a resend the old link is 404 invitation_not_found and the link in the new email activates', async () => {
  await withDb(async (db) => {
    const invited = await inviteThroughFunction(db);
    await mailCount(invited.email, 1);
    const oldToken = await tokenFromEmail(invited.email);
    const res = await fetch(`${env('SUPABASE_URL')}/functions/v1/invitations/${invited.sessionId}/resend`, {
      method: 'POST',
      headers: { authorization: `Bearer ${invited.managerToken}`, apikey: env('SUPABASE_ANON_KEY') },
    });
    const resent = await res.json();
    assert.equal(res.status, 200, JSON.stringify(resent));
    assert.equal(resent.session_id, invited.sessionId);
    await mailCount(invited.email, 2);
    const newToken = await tokenFromEmail(invited.email);
    assert.notEqual(newToken, oldToken);

    // The resend replaced the stored hash: the old token is unknown, to the preview and to activation alike.
    const preview = await getPreview(oldToken);
    assert.equal(preview.status, 404, JSON.stringify(preview.body));
    assert.equal(preview.body.error.code, 'invitation_not_found');
    const stale = await postActivation({ token: oldToken, password: PASSWORD });
    assert.equal(stale.status, 404, JSON.stringify(stale.body));
    assert.equal(stale.body.error.code, 'invitation_not_found');
    assert.equal(await awaitsActivation(db, invited.email), true, 'the old link activated nothing');

    const activated = await postActivation({ token: newToken, password: PASSWORD });
    assert.equal(activated.status, 200, JSON.stringify(activated.body));
    assert.equal(activated.body.user.id, invited.userId);
    assert.equal(activated.body.interview_session_id, invited.sessionId);
    assert.ok(activated.body.session?.access_token);
    const again = await postActivation({ token: oldToken, password: 'another-password-2' });
    assert.equal(again.status, 404, 'the old link stays dead after the activation');
    assert.equal(again.body.error.code, 'invitation_not_found');
    const { error } = await anonClient().auth.signInWithPassword({ email: invited.email, password: PASSWORD });
    assert.equal(error, null, 'the password set through the new link works');
  });
});
