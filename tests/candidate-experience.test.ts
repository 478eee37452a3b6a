// What a candidate meets, through the gateway: the privacy notice to accept before recording, the deadline in their
// own time zone, accommodations that every rule honours, entering from the email link without a password, a receipt
// of the verified answers, and their own data (download and erasure).
import assert from 'node:assert/strict';
import { createClient } from '@supabase/supabase-js';
import { acceptPrivacyNotice, createInterviewFixture, superuser, withoutTriggers } from './fixtures.ts';
const RECORDER_20S = await Deno.readFile(new URL('./fixtures/recorder-20s.webm', import.meta.url));
import {
  call,
  hiringManager,
  latestMailText,
  mailsArrived,
  openCampaign,
  person,
  runOutbox,
  tokenInText,
} from './invitations-support.ts';
import { activationUrl, invite as inviteDirectly, resetAttemptCounters, withDb } from './activation-support.ts';
import { anonClient, env, eventually, mailsTo, mailText } from './support.ts';
import { sendWithGrant, uploads, WEBM } from './uploads-support.ts';

// deno-lint-ignore no-explicit-any
async function post(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: env('SUPABASE_ANON_KEY') },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

function sessionClient(accessToken: string) {
  return createClient(env('SUPABASE_URL'), env('SUPABASE_ANON_KEY'), {
    global: { headers: { authorization: `Bearer ${accessToken}` } },
    auth: { persistSession: false, autoRefreshToken: false },
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// 1. consent before recording
// ---------------------------------------------------------------------------------------------------------------------

Deno.test('a candidate must accept the current privacy notice before starting; a changed notice asks again', async () => {
  const f = await createInterviewFixture({ start: false, reveal: false, retentionDays: 45 });
  const refused = await f.candidate.client.rpc('start_interview', { p_session_id: f.sessionId });
  assert.equal(refused.error?.code, 'PT409');
  assert.equal(refused.error?.message, 'privacy_notice_not_accepted');

  // deno-lint-ignore no-explicit-any
  const mine: { data: any; error: unknown } = await f.candidate.client.rpc('my_interviews').eq(
    'session_id',
    f.sessionId,
  )
    .single();
  assert.equal(mine.error, null);
  assert.equal(mine.data.privacy_notice.version, 1);
  assert.equal(mine.data.privacy_notice.retention_days, 45);
  assert.match(mine.data.privacy_notice.text, /45 days/);
  assert.equal(mine.data.privacy_notice_accepted, false);

  const stale = await f.candidate.client.rpc('accept_privacy_notice', { p_session_id: f.sessionId, p_version: 2 });
  assert.equal(stale.error?.message, 'privacy_notice_changed');
  await acceptPrivacyNotice(f.candidate.client, f.sessionId);
  const started = await f.candidate.client.rpc('start_interview', { p_session_id: f.sessionId });
  assert.equal(started.error, null, JSON.stringify(started.error));

  const seen = await f.manager.client.from('interview_sessions')
    .select('privacy_notice_version_accepted, privacy_notice_accepted_at').eq('id', f.sessionId).single();
  assert.equal(seen.data!.privacy_notice_version_accepted, 1, 'the team reads the accepted version');
  assert.ok(seen.data!.privacy_notice_accepted_at, 'and when');

  const changed = await f.manager.client.from('campaigns')
    .update({
      privacy_notice: 'We keep videos 45 days. Write to privacy@fixture.test.',
      privacy_contact: 'privacy@fixture.test',
    })
    .eq('id', f.campaignId).select('privacy_notice_version').single();
  assert.equal(changed.error, null, JSON.stringify(changed.error));
  assert.equal(changed.data!.privacy_notice_version, 2);
  const again = await f.candidate.client.rpc('start_interview', { p_session_id: f.sessionId });
  assert.equal(again.error?.message, 'privacy_notice_not_accepted', 'a changed notice asks again');
  assert.equal(await acceptPrivacyNotice(f.candidate.client, f.sessionId), 2);
  assert.equal((await f.candidate.client.rpc('start_interview', { p_session_id: f.sessionId })).error, null);
});

// ---------------------------------------------------------------------------------------------------------------------
// 2. time zones
// ---------------------------------------------------------------------------------------------------------------------

Deno.test("an invitation carries the candidate's time zone: the email shows the deadline there and in UTC", async () => {
  const manager = await hiringManager();
  const campaignId = await openCampaign(manager.client);
  const who = person('tz');
  const deadline = new Date(Date.now() + 3 * 86_400_000);
  deadline.setUTCHours(17, 0, 0, 0);
  const invited = await call('', {
    token: manager.accessToken,
    body: {
      campaign_id: campaignId,
      ...who,
      deadline: deadline.toISOString(),
      time_zone: 'America/New_York',
      locale: 'en',
    },
  });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
  // deno-lint-ignore no-explicit-any
  const body = invited.body as any;
  assert.equal(body.time_zone, 'America/New_York');
  assert.equal(body.deadline, deadline.toISOString(), 'the API keeps UTC');
  await mailsArrived(who.email);
  const mail = await latestMailText(who.email);
  assert.match(mail.Text, /at 1[23]:00 \(America\/New_York\), that is .* at 17:00 UTC/);

  const defaulted = await call('', { token: manager.accessToken, body: { campaign_id: campaignId, ...person('tz2') } });
  assert.equal(defaulted.status, 201);
  // deno-lint-ignore no-explicit-any
  assert.equal((defaulted.body as any).time_zone, 'UTC', "without one, the organization's zone (UTC by default)");

  const moved = await call(`/${body.session_id}`, {
    method: 'PATCH',
    token: manager.accessToken,
    body: { time_zone: 'Asia/Tokyo' },
  });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  // deno-lint-ignore no-explicit-any
  assert.equal((moved.body as any).time_zone, 'Asia/Tokyo', 'an owner or editor changes it later');
  const resent = await call(`/${body.session_id}/resend`, { token: manager.accessToken, body: {} });
  assert.equal(resent.status, 200, JSON.stringify(resent.body));
  await mailsArrived(who.email, 2);
  assert.match((await latestMailText(who.email)).Text, /\(Asia\/Tokyo\), that is /);
  const badPatch = await call(`/${body.session_id}`, {
    method: 'PATCH',
    token: manager.accessToken,
    body: { time_zone: 'Europe/Atlantis' },
  });
  assert.equal(badPatch.status, 400);
  // deno-lint-ignore no-explicit-any
  assert.equal((badPatch.body as any).error.code, 'invalid_time_zone');
});

Deno.test('a bad time zone is 400 invalid_time_zone, alone or as a bulk row, and through PostgREST', async () => {
  const manager = await hiringManager();
  const campaignId = await openCampaign(manager.client);
  const bad = await call('', {
    token: manager.accessToken,
    body: { campaign_id: campaignId, ...person('badtz'), time_zone: 'Mars/Olympus' },
  });
  assert.equal(bad.status, 400);
  // deno-lint-ignore no-explicit-any
  assert.equal((bad.body as any).error.code, 'invalid_time_zone');
  const bulk = await call(`/bulk?campaign_id=${campaignId}`, {
    token: manager.accessToken,
    body: [{ ...person('ok'), time_zone: 'Europe/Paris' }, { ...person('bad'), time_zone: 'Nowhere/Else' }],
  });
  assert.equal(bulk.status, 200, JSON.stringify(bulk.body));
  // deno-lint-ignore no-explicit-any
  const results = (bulk.body as any).results;
  assert.equal(results[0].status, 'created');
  assert.equal(results[1].error.code, 'invalid_time_zone');
  const direct = await manager.client.from('interview_sessions').update({ time_zone: 'Not/AZone' })
    .eq('id', results[0].session_id).select('id');
  assert.equal(direct.status, 400);
  assert.equal(direct.error?.code, '23514');
  assert.match(direct.error!.message, /session_time_zone_known/);
});

// ---------------------------------------------------------------------------------------------------------------------
// 3. accommodations
// ---------------------------------------------------------------------------------------------------------------------

Deno.test('an accommodation extends the answer time and the takes for every rule; the candidate sees it', async () => {
  const f = await createInterviewFixture({ reveal: false, maxTakes: 1, answerTimeSeconds: 60 });
  const granted = await f.manager.client.from('session_accommodations')
    .insert({ session_id: f.sessionId, time_factor: 1.5, extra_takes: 1 }).select().single();
  assert.equal(granted.error, null, JSON.stringify(granted.error));
  const tooMuch = await f.manager.client.from('session_accommodations')
    .update({ time_factor: 4 }).eq('session_id', f.sessionId).select();
  assert.equal(tooMuch.error?.code, '23514');
  const byCandidate = await f.candidate.client.from('session_accommodations')
    .update({ extra_takes: 5 }).eq('session_id', f.sessionId).select();
  assert.deepEqual(byCandidate.data, [], 'the candidate cannot raise their own');

  // deno-lint-ignore no-explicit-any
  const mine: { data: any } = await f.candidate.client.rpc('my_interviews').eq('session_id', f.sessionId).single();
  assert.equal(Number(mine.data.accommodation.time_factor), 1.5);
  const revealed = await f.revealNext();
  assert.equal(revealed.answer_time_seconds, 90);
  assert.equal(revealed.max_takes, 2);
  const window = Date.parse(revealed.answer_closes_at) - Date.parse(revealed.answer_opens_at as string);
  assert.equal(window, 90_000, 'the stored window is the accommodated one');

  const ask = (size: number) =>
    uploads('', {
      token: f.candidate.accessToken,
      body: { session_id: f.sessionId, question_id: f.questionIds[0], content_type: 'video/webm', size_bytes: size },
    });
  const first = await ask(WEBM.length);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal(first.body.max_takes, 2);
  assert.equal((await ask(WEBM.length + 1)).status, 201, 'the extra take');
  const third = await ask(WEBM.length + 2);
  assert.equal(third.status, 409);
  assert.equal(third.body.error.code, 'max_takes_reached');

  const audit = await f.manager.client.from('audit_log').select('action, details')
    .eq('entity_id', f.sessionId).eq('action', 'session.accommodation_changed');
  assert.equal(audit.data!.length, 1, 'the grant is in the session audit trail (the refused change is not)');
});

Deno.test('extra seconds let a 20 s recording through a 10 s question: complete reads the accommodated time', async () => {
  const f = await createInterviewFixture({ reveal: false, answerTimeSeconds: 10 });
  const granted = await f.manager.client.from('session_accommodations')
    .insert({ session_id: f.sessionId, extra_seconds: 15 }).select().single();
  assert.equal(granted.error, null, JSON.stringify(granted.error));
  const revealed = await f.revealNext();
  assert.equal(revealed.answer_time_seconds, 25);
  assert.equal(revealed.think_time_seconds, 15, 'extra seconds are thinking time too');
  const ask = () =>
    uploads('', {
      token: f.candidate.accessToken,
      body: {
        session_id: f.sessionId,
        question_id: f.questionIds[0],
        content_type: 'video/webm',
        size_bytes: RECORDER_20S.length,
      },
    });
  const early = await ask();
  assert.equal(early.status, 409);
  assert.equal(early.body.error.code, 'think_time_not_over', 'the accommodated think time holds for the function');
  // The 15 s of thinking, passed (what only time would do).
  await withoutTriggers((tx) =>
    tx`update public.question_reveals set answer_opens_at = now()
        where session_id = ${f.sessionId} and question_id = ${f.questionIds[0]}`
  );
  const grant = await ask();
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  assert.ok((await sendWithGrant(grant.body, RECORDER_20S)).ok);
  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.ok(done.body.duration_seconds > 19, 'the 20 s answer is kept (without the accommodation: recording_too_long)');
});

// ---------------------------------------------------------------------------------------------------------------------
// 4. link-only access
// ---------------------------------------------------------------------------------------------------------------------

Deno.test('from the email link a candidate enters without a password; GET changes nothing; the password path stays', async () => {
  await withDb(async (db) => {
    const manager = await hiringManager();
    const campaignId = await openCampaign(manager.client);
    const who = person('link');
    const invited = await call('', { token: manager.accessToken, body: { campaign_id: campaignId, ...who } });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    // deno-lint-ignore no-explicit-any
    const sessionId = (invited.body as any).session_id;
    await mailsArrived(who.email);
    const token = tokenInText((await latestMailText(who.email)).Text);

    // An email scanner follows the link: the preview answers, nothing is used or signed in.
    for (let i = 0; i < 2; i++) {
      const res = await fetch(activationUrl(`/${token}`), { headers: { apikey: env('SUPABASE_ANON_KEY') } });
      assert.equal(res.status, 200);
      await res.body?.cancel();
    }
    const [untouched] =
      await db`select used_at, link_sign_ins from private.invitation_tokens where session_id = ${sessionId}`;
    assert.deepEqual(untouched, { used_at: null, link_sign_ins: 0 });
    const [noSignIn] = await db`select last_sign_in_at from auth.users where lower(email) = ${who.email}`;
    assert.equal(noSignIn.last_sign_in_at, null);

    const entered = await post(activationUrl('/link'), { token });
    assert.equal(entered.status, 200, JSON.stringify(entered.body));
    assert.equal(entered.body.password_set, false);
    assert.equal(entered.body.interview_session_id, sessionId);
    const spa = sessionClient(entered.body.session.access_token);
    const mine = await spa.rpc('my_interviews');
    assert.equal(mine.error, null);
    assert.deepEqual(mine.data!.map((r: { session_id: string }) => r.session_id), [sessionId]);
    const [user] = await db`select raw_app_meta_data ->> 'invitation_pending' as pending from auth.users
                             where lower(email) = ${who.email}`;
    assert.equal(user.pending, 'true', 'the account stays a placeholder');

    assert.equal((await post(activationUrl('/link'), { token })).status, 200, 'the same link works again');
    const password = await post(activationUrl('/password'), { token, password: 'my-own-pass-9' });
    assert.equal(password.status, 200, JSON.stringify(password.body));
    assert.ok(password.body.session, 'a password can be set later, with the same link');
    const after = await post(activationUrl('/link'), { token });
    assert.equal(after.status, 409);
    assert.equal(after.body.error.code, 'invitation_used');
    await resetAttemptCounters(db);
  });
});

Deno.test('an invited candidate row without an account enters by link: a placeholder is made for it', async () => {
  await withDb(async (db) => {
    const inv = await inviteDirectly(db, { withUser: false });
    const entered = await post(activationUrl('/link'), { token: inv.token });
    assert.equal(entered.status, 200, JSON.stringify(entered.body));
    const [user] = await db`select u.id, u.raw_app_meta_data ->> 'invitation_pending' as pending, c.user_id
                              from auth.users u join public.candidates c on c.user_id = u.id
                             where c.id = ${inv.candidateId}`;
    assert.equal(user.id, entered.body.user.id, 'the candidate row is linked to the new account');
    assert.equal(user.pending, 'true', 'a placeholder: a password may come later');
  });
});

Deno.test('five link sign-ins at once (five devices) all get a session', async () => {
  await withDb(async (db) => {
    const inv = await inviteDirectly(db);
    const all = await Promise.all(Array.from({ length: 5 }, () => post(activationUrl('/link'), { token: inv.token })));
    assert.deepEqual(all.map((a) => a.status), [200, 200, 200, 200, 200], JSON.stringify(all.map((a) => a.body)));
    const [row] = await db`select link_sign_ins from private.invitation_tokens where session_id = ${inv.sessionId}`;
    assert.equal(row.link_sign_ins, 5);
  });
});

Deno.test('the link route refuses what the preview refuses, and a missing token is 403 invitation_required', async () => {
  const unknown = await post(activationUrl('/link'), { token: 'x'.repeat(43) });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, 'invitation_not_found');
  const none = await post(activationUrl('/link'), {});
  assert.equal(none.status, 403);
  assert.equal(none.body.error.code, 'invitation_required');
  const get = await fetch(activationUrl('/link'), { headers: { apikey: env('SUPABASE_ANON_KEY') } });
  assert.ok(get.status < 500, `GET /activation/link answers ${get.status}`);
  await get.body?.cancel();
});

// ---------------------------------------------------------------------------------------------------------------------
// 5. receipt
// ---------------------------------------------------------------------------------------------------------------------

Deno.test('finishing sends a receipt listing each verified answer, through the outbox', async () => {
  const f = await createInterviewFixture({ questions: 1 });
  const grant = await uploads('', {
    token: f.candidate.accessToken,
    body: {
      session_id: f.sessionId,
      question_id: f.questionIds[0],
      content_type: 'video/webm',
      size_bytes: WEBM.length,
    },
  });
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  assert.ok((await sendWithGrant(grant.body, WEBM)).ok);
  const done = await uploads(`/${grant.body.response_id}/complete`, { token: f.candidate.accessToken, method: 'POST' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.session_status, 'completed');

  const run = await runOutbox();
  assert.equal(run.status, 200);
  const mails = await eventually(async () => {
    const all = await mailsTo(f.candidate.email);
    return all.length > 0 ? all : null;
  }, 20_000);
  assert.equal(mails.length, 1, 'one receipt');
  const receipt = await mailText(mails[0].ID);
  assert.match(receipt.Subject, /Accusé de réception/);
  assert.match(receipt.Text, /1\. « Question 1\? » : prise 1, 1(,\d)? s, reçue le /);
  const seen = await f.manager.client.from('interview_sessions').select('receipt_sent_at').eq('id', f.sessionId)
    .single();
  assert.ok(seen.data!.receipt_sent_at, 'the team sees that the receipt went out');
  await runOutbox();
  assert.equal((await mailsTo(f.candidate.email)).length, 1, 'never a second receipt');
});

// ---------------------------------------------------------------------------------------------------------------------
// 6. own data
// ---------------------------------------------------------------------------------------------------------------------

Deno.test('a candidate downloads everything held about them, then erases their account', async () => {
  const f = await createInterviewFixture({ questions: 2 });
  const data = await fetch(`${env('SUPABASE_URL')}/functions/v1/uploads/me`, {
    headers: { authorization: `Bearer ${f.candidate.accessToken}` },
  });
  assert.equal(data.status, 200);
  assert.match(data.headers.get('content-disposition') ?? '', /attachment; filename="my-data-\d{4}-\d{2}-\d{2}\.json"/);
  const body = await data.json();
  assert.equal(body.account.email, f.candidate.email);
  assert.equal(body.interviews.length, 1);
  assert.equal(body.interviews[0].session.id, f.sessionId);
  assert.equal(body.interviews[0].reveals.length, 1);
  assert.equal(body.interviews[0].privacy_notice.version, 1);

  const manager = await uploads('/me', { token: f.manager.accessToken, method: 'DELETE' });
  assert.equal(manager.status, 403);
  assert.equal(manager.body.error.code, 'self_erasure_not_allowed');
  const anon = await uploads('/me', { method: 'DELETE' });
  assert.equal(anon.status, 401);

  const erased = await uploads('/me', { token: f.candidate.accessToken, method: 'DELETE' });
  assert.equal(erased.status, 200, JSON.stringify(erased.body));
  assert.ok(erased.body.deletion_ids.length >= 1);
  const left = await superuser((sql) =>
    sql`select (select count(*)::int from auth.users where id = ${f.candidate.userId}) as users,
               (select count(*)::int from public.interview_sessions where id = ${f.sessionId}) as sessions,
               (select count(*)::int from public.video_deletions
                 where reason = 'account_erasure' and requested_by = ${f.candidate.userId}) as logged`
  );
  assert.deepEqual(left[0], { users: 0, sessions: 0, logged: erased.body.deletion_ids.length });
  const signIn = await anonClient().auth.signInWithPassword({
    email: f.candidate.email,
    password: 'a-long-test-password-1',
  });
  assert.equal(signIn.data.session, null, 'the account is gone');
});
