// POST /invitations and the management routes, through the gateway against the real stack: placeholder accounts in
// the auth server, rows under RLS, tokens and emails in Mailpit.
import assert from 'node:assert/strict';
import { superuser } from './fixtures.ts';
import {
  anonClient,
  env,
  eventually,
  mailsTo,
  mailText,
  serviceClient,
  signedInClient,
  stackService,
} from './support.ts';
import {
  call,
  countsFor,
  hiringManager,
  latestMailText,
  mailsArrived,
  openCampaign,
  outboxRows,
  person,
  sha256Hex,
  share,
  tokenInText,
  tokenRow,
} from './invitations-support.ts';

const owner = await hiringManager('Acme');
const campaignId = await openCampaign(owner.client, 'Data engineer');

function invite(body: Record<string, unknown>, token = owner.accessToken) {
  return call('', { token, body: { campaign_id: campaignId, ...body } });
}

Deno.test('an invitation creates a placeholder account, the candidate and the session, and emails a link', async () => {
  const who = person();
  const res = await invite({ ...who, phone: '+33 6 00 00 00 00' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.email, who.email);
  assert.equal(res.body.session_status, 'invited');
  assert.equal(res.body.email_status, 'queued');

  const { data: user } = await serviceClient().auth.admin.getUserById(res.body.user_id);
  assert.equal(user.user?.app_metadata.role, 'candidate');
  assert.equal(user.user?.app_metadata.invitation_pending, true);
  assert.ok(user.user?.email_confirmed_at, 'confirmed, so that signing up with the address cannot take it over');
  const account = await superuser(async (sql) => {
    const [row] = await sql`select encrypted_password, last_sign_in_at from auth.users where id = ${res.body.user_id}`;
    return row;
  });
  assert.equal(account.last_sign_in_at, null, 'nobody has signed in to a placeholder');
  assert.match(account.encrypted_password, /^\$2a\$10\$[./A-Za-z0-9]{53}$/, 'the random hash the function chose');
  for (const password of ['', 'password', who.email]) {
    const { error } = await anonClient().auth.signInWithPassword({ email: who.email, password });
    assert.ok(error, `no sign-in with ${JSON.stringify(password)}`);
  }

  const [mail] = await mailsArrived(who.email);
  const message = await mailText(mail.ID);
  assert.equal(message.Subject, 'Invitation à un entretien vidéo : Data engineer');
  assert.match(message.Text, /« Data engineer » de Acme/);
  assert.ok(message.Text.includes(`${env('APP_SITE_URL')}/activate?token=`));
  const token = tokenInText(message.Text);
  assert.equal(token.length, 43, '256 bits in base64url');
  const stored = await tokenRow(res.body.session_id);
  assert.equal(stored?.token_hash, await sha256Hex(token), 'only sha256(token) is stored');
  assert.equal(stored?.expires_at.toISOString(), new Date(res.body.deadline).toISOString());
  const [outbox] = await outboxRows(res.body.session_id);
  assert.equal(outbox.status, 'sent');
  assert.equal(outbox.secret, null, 'the sealed token is erased once the email is sent');

  // The recruiter sees the email status on the session, through RLS.
  const session = await eventually(async () => {
    const { data } = await owner.client.from('interview_sessions').select('email_status, email_attempts, email_sent_at')
      .eq('id', res.body.session_id).single();
    return data?.email_status === 'sent' ? data : null;
  });
  assert.equal(session.email_attempts, 1);
  assert.ok(session.email_sent_at);
});

Deno.test('signing up with an invited address does not hand out the placeholder account', async () => {
  const who = person('takeover');
  const res = await invite(who);
  assert.equal(res.status, 201);
  const { data, error: refused } = await anonClient().auth.signUp({
    email: who.email,
    password: 'attacker-password-1',
  });
  assert.equal(refused?.code, 'user_already_exists', JSON.stringify(refused));
  assert.equal(refused?.status, 422);
  assert.equal(data.session, null, 'no session');
  assert.equal(data.user, null, 'no user');
  const account = await superuser(async (sql) => {
    const [row] = await sql`
      select raw_app_meta_data ->> 'invitation_pending' as pending, last_sign_in_at from auth.users
       where id = ${res.body.user_id}`;
    return row;
  });
  assert.equal(account.pending, 'true', 'the placeholder still waits for its token');
  assert.equal(account.last_sign_in_at, null);
  const { error } = await anonClient().auth.signInWithPassword({ email: who.email, password: 'attacker-password-1' });
  assert.equal(error?.code, 'invalid_credentials', 'the attacker cannot sign in with the password they chose');
});

Deno.test('inviting the same email again answers 200 with the same session and sends nothing more', async () => {
  const who = person();
  const first = await invite(who);
  assert.equal(first.status, 201);
  await mailsArrived(who.email);
  const again = await invite({ ...who, email: who.email.toUpperCase() });
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.equal(again.body.session_id, first.body.session_id);
  assert.equal(again.body.user_id, first.body.user_id);
  assert.deepEqual(await countsFor(who.email), { users: 1, candidates: 1, sessions: 1 });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await mailsTo(who.email)).length, 1);
});

Deno.test('20 parallel invitations of one email give one user, one candidate, one session and one email', async () => {
  const who = person('race');
  const answers = await Promise.all(Array.from({ length: 20 }, () => invite(who)));
  const statuses = answers.map((a) => a.status).sort();
  assert.deepEqual(statuses, [
    200,
    200,
    200,
    200,
    200,
    200,
    200,
    200,
    200,
    200,
    200,
    200,
    200,
    200,
    200,
    200,
    200,
    200,
    200,
    201,
  ], JSON.stringify(answers.find((a) => a.status >= 300)?.body));
  assert.equal(new Set(answers.map((a) => a.body.session_id)).size, 1);
  assert.deepEqual(await countsFor(who.email), { users: 1, candidates: 1, sessions: 1 });
  await mailsArrived(who.email, 1);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await mailsTo(who.email)).length, 1);
});

Deno.test('an English invitation uses the English template', async () => {
  const who = person();
  const res = await invite({ ...who, locale: 'en' });
  assert.equal(res.status, 201);
  await mailsArrived(who.email);
  const message = await latestMailText(who.email);
  assert.equal(message.Subject, 'Invitation to a video interview: Data engineer');
  assert.match(message.Text, /Hello Ada,/);
  assert.match(message.Text, /"Data engineer" at Acme/);
});

Deno.test('an existing candidate account is invited without a new account', async () => {
  const candidate = await signedInClient({ role: 'candidate', data: { first_name: 'Cid' } });
  const res = await invite({ email: candidate.email, first_name: 'Other', last_name: 'Name' });
  assert.equal(res.status, 201);
  assert.equal(res.body.user_id, candidate.userId);
  // The candidate now sees the session, and their own first name was not overwritten by the recruiter's input.
  const { data } = await candidate.client.rpc('my_interviews');
  assert.equal(data.length, 1);
  const { data: me } = await candidate.client.from('candidates').select('first_name').single();
  assert.equal(me?.first_name, 'Cid');
  // An active account cannot be activated: its email links to the interview, and no token is stored.
  await mailsArrived(candidate.email, 1);
  const message = await latestMailText(candidate.email);
  assert.ok(message.Text.includes(`${env('APP_SITE_URL')}/interviews/${res.body.session_id}`), message.Text);
  assert.ok(!message.Text.includes('/activate?token='));
  assert.equal(await tokenRow(res.body.session_id), undefined);
});

Deno.test('emails of hiring managers and admins are refused alike (409 email_not_invitable), naming no role', async () => {
  const manager = await hiringManager('Other');
  const admin = await signedInClient({ appRole: 'admin' });
  const answers = [];
  for (const email of [manager.email, admin.email]) {
    const res = await invite({ email, first_name: 'X', last_name: 'Y' });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'email_not_invitable');
    assert.equal(res.body.error.details, undefined, 'no role, nothing else');
    answers.push(res.body.error);
  }
  assert.deepEqual(answers[0], answers[1], 'a recruiter and an admin cannot be told apart');
  assert.equal((await countsFor(manager.email)).candidates, 0);
});

Deno.test('closed, archived and ended campaigns refuse invitations with 409 campaign_not_open', async () => {
  for (const how of ['closed', 'archived', 'ended'] as const) {
    const id = await openCampaign(owner.client, `Campaign ${how}`);
    if (how === 'ended') {
      await superuser((sql) =>
        sql.begin(async (tx) => {
          await tx`set local session_replication_role = replica`;
          await tx`update public.campaigns set start_date = now() - interval '2 days', end_date = now() - interval '1 day' where id = ${id}`;
        })
      );
    } else {
      const { error } = await owner.client.from('campaigns').update({ status: how }).eq('id', id);
      assert.equal(error, null);
    }
    const who = person();
    const res = await call('', { token: owner.accessToken, body: { campaign_id: id, ...who } });
    assert.equal(res.status, 409, how);
    assert.equal(res.body.error.code, 'campaign_not_open');
    assert.deepEqual(await countsFor(who.email), { users: 0, candidates: 0, sessions: 0 }, 'nothing was created');
  }
});

Deno.test('strangers and candidates get 404, a reviewer 403 not_campaign_editor, editors and admins may invite and manage', async () => {
  const [stranger, candidate, reviewer, editor] = await Promise.all([
    hiringManager('Globex'),
    signedInClient({ role: 'candidate' }),
    hiringManager('Acme'),
    hiringManager('Acme'),
  ]);
  await share(owner.client, campaignId, reviewer.userId, 'reviewer');
  await share(owner.client, campaignId, editor.userId, 'editor');
  for (const who of [stranger, candidate]) {
    const target = person();
    const res = await invite(target, who.accessToken);
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'campaign_not_found');
    assert.deepEqual(await countsFor(target.email), { users: 0, candidates: 0, sessions: 0 });
  }
  const refused = await invite(person(), reviewer.accessToken);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'not_campaign_editor');
  const unknown = await call('', { token: owner.accessToken, body: { campaign_id: crypto.randomUUID(), ...person() } });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, 'campaign_not_found');
  const allowed = await invite(person(), editor.accessToken);
  assert.equal(allowed.status, 201, JSON.stringify(allowed.body));
  const admin = await signedInClient({ appRole: 'admin' });
  const byAdmin = await invite(person(), admin.accessToken);
  assert.equal(byAdmin.status, 201, JSON.stringify(byAdmin.body));

  // The management routes follow the same rule.
  const deadline = new Date(Date.now() + 5 * 86_400_000).toISOString();
  for (
    const [method, path, body] of [
      ['PATCH', `/${allowed.body.session_id}`, { deadline }],
      ['DELETE', `/${allowed.body.session_id}`, undefined],
      ['POST', `/${allowed.body.session_id}/resend`, {}],
    ] as const
  ) {
    const asReviewer = await call(path, { method, token: reviewer.accessToken, body });
    assert.equal(asReviewer.status, 403, `${method} ${path}`);
    assert.equal(asReviewer.body.error.code, 'not_campaign_editor');
    const asStranger = await call(path, { method, token: stranger.accessToken, body });
    assert.equal(asStranger.status, 404, `${method} ${path}`);
    assert.equal(asStranger.body.error.code, 'session_not_found');
  }
  const asCandidate = await call(`/${allowed.body.session_id}`, { method: 'DELETE', token: candidate.accessToken });
  assert.equal(asCandidate.status, 404);
  const byEditor = await call(`/${allowed.body.session_id}`, {
    method: 'PATCH',
    token: editor.accessToken,
    body: { deadline },
  });
  assert.equal(byEditor.status, 200, JSON.stringify(byEditor.body));
});

Deno.test("a candidate's token does not reach another candidate's invitation, through the function or PostgREST", async () => {
  // A: a signed-in candidate with an invitation of their own. B: an invited placeholder in the same campaign.
  const a = await signedInClient({ role: 'candidate' });
  const mine = await invite({ email: a.email, first_name: 'Ann', last_name: 'A' });
  assert.equal(mine.status, 201, JSON.stringify(mine.body));
  assert.equal(mine.body.user_id, a.userId);
  const b = person('victim');
  const theirs = await invite(b);
  assert.equal(theirs.status, 201, JSON.stringify(theirs.body));
  await mailsArrived(b.email, 1);
  const sessionOf = (id: string) =>
    superuser(async (sql) => {
      const [row] = await sql`select status::text as status, deadline from public.interview_sessions where id = ${id}`;
      return row;
    });
  const before = await sessionOf(theirs.body.session_id);
  const tokenBefore = await tokenRow(theirs.body.session_id);
  assert.ok(tokenBefore);

  const deadline = new Date(Date.now() + 5 * 86_400_000).toISOString();
  const routes = (id: string) =>
    [
      ['POST', `/${id}/resend`, {}],
      ['PATCH', `/${id}`, { deadline }],
      ['DELETE', `/${id}`, undefined],
    ] as const;
  for (const [method, path, body] of routes(theirs.body.session_id)) {
    const res = await call(path, { method, token: a.accessToken, body });
    assert.equal(res.status, 404, `${method} ${path}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, 'session_not_found');
  }
  // A sees their own session, so there the answer is 403: managing an invitation is the recruiter's business.
  for (const [method, path, body] of routes(mine.body.session_id)) {
    const res = await call(path, { method, token: a.accessToken, body });
    assert.equal(res.status, 403, `${method} ${path}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, 'not_campaign_editor');
  }

  // Through PostgREST: B's row is filtered out of reads and updates, and withdrawing it is session_not_found.
  const { data: read, error: readError } = await a.client.from('interview_sessions').select('id')
    .in('id', [mine.body.session_id, theirs.body.session_id]);
  assert.equal(readError, null);
  assert.deepEqual(read, [{ id: mine.body.session_id }], 'A reads their own session only');
  const { data: updated, error: updateError } = await a.client.from('interview_sessions').update({ deadline })
    .eq('id', theirs.body.session_id).select('id');
  assert.equal(updateError, null);
  assert.deepEqual(updated, []);
  const withdrawn = await a.client.rpc('withdraw_interview', { p_session_id: theirs.body.session_id });
  assert.equal(withdrawn.status, 404, JSON.stringify(withdrawn.error));
  assert.equal(withdrawn.error?.code, 'PT404');
  assert.equal(withdrawn.error?.message, 'session_not_found');

  // Nothing happened to B's invitation: same status and deadline, same live token, no second email.
  assert.deepEqual(await sessionOf(theirs.body.session_id), before);
  assert.deepEqual(await tokenRow(theirs.body.session_id), tokenBefore);
  assert.deepEqual((await outboxRows(theirs.body.session_id)).map((r) => r.kind), ['invitation']);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await mailsTo(b.email)).length, 1);
  assert.equal((await sessionOf(mine.body.session_id)).status, 'invited', "A's own session was not withdrawn either");
});

Deno.test('a deadline in the past is 422 session_deadline_in_past; a later one is kept on the session and token', async () => {
  const past = await invite({ ...person(), deadline: new Date(Date.now() - 60_000).toISOString() });
  assert.equal(past.status, 422);
  assert.equal(past.body.error.code, 'session_deadline_in_past');
  const deadline = new Date(Date.now() + 3 * 86_400_000);
  const ok = await invite({ ...person(), deadline: deadline.toISOString() });
  assert.equal(ok.status, 201);
  assert.equal(new Date(ok.body.deadline).toISOString(), deadline.toISOString());
  assert.equal((await tokenRow(ok.body.session_id))?.expires_at.toISOString(), deadline.toISOString());
});

Deno.test('with the auth server down an invitation fails with 503 auth_unavailable and leaves nothing behind', async () => {
  const who = person('outage');
  await stackService('auth', 'pause');
  let res;
  try {
    res = await invite(who);
  } finally {
    await stackService('auth', 'resume');
  }
  assert.equal(res.status, 503);
  assert.equal(res.body.error.code, 'auth_unavailable');
  assert.deepEqual(await countsFor(who.email), { users: 0, candidates: 0, sessions: 0 });
  // Once the auth server is back, the same request succeeds.
  const retried = await eventually(async () => {
    const again = await invite(who);
    return again.status === 201 ? again : null;
  });
  assert.equal(retried.status, 201);
  assert.deepEqual(await countsFor(who.email), { users: 1, candidates: 1, sessions: 1 });
});

Deno.test('resend issues a new token, kills the old one and sends a new email', async () => {
  const who = person();
  const first = await invite(who);
  await mailsArrived(who.email, 1);
  const oldToken = tokenInText((await latestMailText(who.email)).Text);
  const res = await call(`/${first.body.session_id}/resend`, { token: owner.accessToken, body: { locale: 'en' } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.email_status, 'queued');
  await mailsArrived(who.email, 2);
  const message = await latestMailText(who.email);
  assert.equal(message.Subject, 'Invitation to a video interview: Data engineer');
  const newToken = tokenInText(message.Text);
  assert.notEqual(newToken, oldToken);
  const stored = await tokenRow(first.body.session_id);
  assert.equal(stored?.token_hash, await sha256Hex(newToken));
  assert.notEqual(stored?.token_hash, await sha256Hex(oldToken));
});

Deno.test('resend answers 404 session_not_found, 403 not_campaign_editor and 409 invitation_not_pending', async () => {
  const missing = await call(`/${crypto.randomUUID()}/resend`, { token: owner.accessToken });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'session_not_found');

  const reviewer = await hiringManager('Acme');
  await share(owner.client, campaignId, reviewer.userId, 'reviewer');
  const invited = await invite(person());
  const refused = await call(`/${invited.body.session_id}/resend`, { token: reviewer.accessToken });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'not_campaign_editor');

  const withdrawn = await call(`/${invited.body.session_id}`, { method: 'DELETE', token: owner.accessToken });
  assert.equal(withdrawn.status, 200);
  const late = await call(`/${invited.body.session_id}/resend`, { token: owner.accessToken });
  assert.equal(late.status, 409);
  assert.equal(late.body.error.code, 'invitation_not_pending');
});

Deno.test('PATCH moves the deadline and the token expiry; past deadlines and closed sessions are refused', async () => {
  const invited = await invite(person());
  const deadline = new Date(Date.now() + 20 * 86_400_000).toISOString();
  const res = await call(`/${invited.body.session_id}`, {
    method: 'PATCH',
    token: owner.accessToken,
    body: { deadline },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(new Date(res.body.deadline).toISOString(), deadline);
  assert.equal((await tokenRow(invited.body.session_id))?.expires_at.toISOString(), deadline);

  const past = await call(`/${invited.body.session_id}`, {
    method: 'PATCH',
    token: owner.accessToken,
    body: { deadline: new Date(Date.now() - 1000).toISOString() },
  });
  assert.equal(past.status, 422);
  assert.equal(past.body.error.code, 'session_deadline_in_past');

  const stranger = await hiringManager('Globex');
  const hidden = await call(`/${invited.body.session_id}`, {
    method: 'PATCH',
    token: stranger.accessToken,
    body: { deadline },
  });
  assert.equal(hidden.status, 404);
  assert.equal(hidden.body.error.code, 'session_not_found');

  await call(`/${invited.body.session_id}`, { method: 'DELETE', token: owner.accessToken });
  const closed = await call(`/${invited.body.session_id}`, {
    method: 'PATCH',
    token: owner.accessToken,
    body: { deadline },
  });
  assert.equal(closed.status, 409);
  assert.equal(closed.body.error.code, 'session_not_open');
});

Deno.test('DELETE withdraws the invitation, revokes the token and cancels a queued email; again is harmless', async () => {
  const who = person();
  let invited;
  await stackService('mailpit', 'pause');
  try {
    invited = await invite(who);
    // The after-commit send fails while Mailpit is down: the email waits in the outbox.
    await eventually(async () => (await outboxRows(invited!.body.session_id))[0]?.attempts === 1);
    const res = await call(`/${invited.body.session_id}`, { method: 'DELETE', token: owner.accessToken });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'withdrawn');
    assert.equal(res.body.email_status, 'cancelled');
  } finally {
    await stackService('mailpit', 'resume');
  }
  const token = await tokenRow(invited.body.session_id);
  assert.ok(token?.revoked_at, 'the token is revoked');
  const [outbox] = await outboxRows(invited.body.session_id);
  assert.equal(outbox.status, 'cancelled');
  assert.equal(outbox.secret, null);
  const again = await call(`/${invited.body.session_id}`, { method: 'DELETE', token: owner.accessToken });
  assert.equal(again.status, 200);
  assert.equal(again.body.status, 'withdrawn');
});

Deno.test('withdrawing a completed interview is 409 invalid_status_transition', async () => {
  const invited = await invite(person());
  await superuser((sql) =>
    sql`update public.interview_sessions set status = 'in_progress' where id = ${invited.body.session_id}`
  );
  await superuser((sql) =>
    sql`update public.interview_sessions set status = 'completed' where id = ${invited.body.session_id}`
  );
  const res = await call(`/${invited.body.session_id}`, { method: 'DELETE', token: owner.accessToken });
  assert.equal(res.status, 409);
  assert.equal(res.body.error.code, 'invalid_status_transition');
});
