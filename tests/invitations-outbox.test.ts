// The durable email outbox and the reminders, against real Mailpit: an email queued while the mail server is down
// arrives exactly once after it comes back, concurrent workers never send a row twice, a row gives up after its
// attempts, and a reminder goes once per session.
import assert from 'node:assert/strict';
import { superuser } from './fixtures.ts';
import { env, eventually, mailsTo, mailText } from './support.ts';
import {
  call,
  hiringManager,
  mailsArrived,
  openCampaign,
  outboxRows,
  person,
  runOutbox,
  sha256Hex,
  tokenInText,
  tokenRow,
  withMailpitDown,
} from './invitations-support.ts';

const owner = await hiringManager('Acme');
const campaignId = await openCampaign(owner.client, 'Product designer');

function invite(body: Record<string, unknown>) {
  return call('', { token: owner.accessToken, body: { campaign_id: campaignId, ...body } });
}

async function emailStatus(sessionId: string) {
  const { data, error } = await owner.client.from('interview_sessions')
    .select('email_status, email_attempts, email_sent_at, reminder_sent_at').eq('id', sessionId).single();
  if (error) throw error;
  return data;
}

/** Makes queued rows due now (skips the backoff wait) without touching anything else. */
function dueNow(sessionIds: string[]) {
  return superuser((sql) =>
    sql`update private.email_outbox set next_attempt_at = now() where session_id = any (${sessionIds}::uuid[]) and status = 'queued'`
  );
}

Deno.test('an invitation made while Mailpit is down is retried by the worker and arrives exactly once', async () => {
  const who = person('outbox');
  const invited = await withMailpitDown(async () => {
    const res = await invite(who);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    // The after-commit send failed: the row is queued again with a backoff, and the recruiter sees it.
    await eventually(async () => (await outboxRows(res.body.session_id))[0]?.attempts === 1);
    const [row] = await outboxRows(res.body.session_id);
    assert.equal(row.status, 'queued');
    assert.match(row.last_error ?? '', /mail_unavailable/);
    assert.ok(row.secret, 'the sealed token waits with the row');
    const seen = await emailStatus(res.body.session_id);
    assert.equal(seen.email_status, 'queued');
    assert.equal(seen.email_attempts, 1);
    return res.body;
  });
  // Not due yet (backoff): a worker run now sends nothing for it.
  await runOutbox();
  assert.equal((await outboxRows(invited.session_id))[0].status, 'queued');
  // After the backoff (5 s for the first retry), the worker sends it.
  await eventually(async () => {
    await runOutbox();
    return (await mailsTo(who.email)).length > 0;
  }, 20_000);
  for (let i = 0; i < 3; i++) await runOutbox();
  await new Promise((r) => setTimeout(r, 300));
  const mails = await mailsTo(who.email);
  assert.equal(mails.length, 1, 'exactly one email');
  const token = tokenInText((await mailText(mails[0].ID)).Text);
  assert.equal((await tokenRow(invited.session_id))?.token_hash, await sha256Hex(token));
  const seen = await emailStatus(invited.session_id);
  assert.equal(seen.email_status, 'sent');
  assert.equal(seen.email_attempts, 2);
});

Deno.test('a campaign title with a line break (a row from before the one-line rule) is sent on one line, not failed', async () => {
  const who = person('linebreak');
  const sessionId = await withMailpitDown(async () => {
    const res = await invite({ ...who, locale: 'en' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    await eventually(async () => (await outboxRows(res.body.session_id))[0]?.attempts === 1);
    // Titles are one line since the input hygiene migration, but its constraint is NOT VALID: older titles may not be.
    await superuser((sql) =>
      sql`update private.email_outbox set params = jsonb_set(params, '{title}', to_jsonb(${'Product\r\ndesigner\nsenior'}::text))
           where session_id = ${res.body.session_id}`
    );
    return res.body.session_id as string;
  });
  await dueNow([sessionId]);
  await runOutbox();
  const [mail] = await mailsArrived(who.email, 1);
  assert.equal(mail.Subject, 'Invitation to a video interview: Product designer senior');
  const [row] = await outboxRows(sessionId);
  assert.equal(row.status, 'sent');
});

Deno.test('concurrent workers send each queued email exactly once', async () => {
  const people = Array.from({ length: 12 }, () => person('workers'));
  const sessions = await withMailpitDown(async () => {
    const ids: string[] = [];
    for (const who of people) ids.push((await invite(who)).body.session_id);
    await eventually(async () => {
      const rows = await Promise.all(ids.map(outboxRows));
      return rows.every((r) => r[0]?.attempts === 1);
    });
    return ids;
  });
  await dueNow(sessions);
  const runs = await Promise.all(Array.from({ length: 4 }, () => runOutbox(50)));
  for (const run of runs) assert.equal(run.status, 200, JSON.stringify(run.body));
  const claimed = runs.reduce((n, r) => n + r.body.claimed, 0);
  assert.ok(claimed >= 12, `the runs claimed ${claimed}`);
  for (const who of people) await mailsArrived(who.email, 1);
  await new Promise((r) => setTimeout(r, 300));
  for (const who of people) assert.equal((await mailsTo(who.email)).length, 1, who.email);
});

Deno.test('an email gives up as failed after its last attempt, and the session shows it', async () => {
  const who = person('fails');
  const sessionId = await withMailpitDown(async () => {
    const res = await invite(who);
    await eventually(async () => (await outboxRows(res.body.session_id))[0]?.attempts === 1);
    await superuser((sql) =>
      sql`update private.email_outbox set max_attempts = 2, next_attempt_at = now() where session_id = ${res.body.session_id}`
    );
    const run = await runOutbox();
    assert.equal(run.status, 200);
    assert.ok(run.body.failed >= 1, JSON.stringify(run.body));
    return res.body.session_id;
  });
  const [row] = await outboxRows(sessionId);
  assert.equal(row.status, 'failed');
  assert.equal(row.attempts, 2);
  assert.equal(row.secret, null, 'a failed row no longer holds the token');
  const seen = await emailStatus(sessionId);
  assert.equal(seen.email_status, 'failed');
  assert.equal(seen.email_attempts, 2);
  await runOutbox();
  assert.equal((await mailsTo(who.email)).length, 0, 'a failed email is not retried');
});

Deno.test('a reminder goes once, 24 h before the deadline, with a fresh link for a candidate who has not activated', async () => {
  const who = person('remind');
  const later = person('later');
  const soon = await invite({ ...who, deadline: new Date(Date.now() + 23 * 3600_000).toISOString(), locale: 'en' });
  const notYet = await invite({ ...later, deadline: new Date(Date.now() + 30 * 3600_000).toISOString() });
  await mailsArrived(who.email, 1);
  await mailsArrived(later.email, 1);
  const invitationToken = tokenInText((await mailText((await mailsTo(who.email))[0].ID)).Text);

  const service = env('SUPABASE_SERVICE_ROLE_KEY');
  const first = await call('/reminders/run', { token: service });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.ok(first.body.queued >= 1);
  const second = await call('/reminders/run', { token: service });
  assert.equal(second.status, 200);

  const mails = await mailsArrived(who.email, 2);
  const reminder = await mailText(mails[0].ID);
  assert.equal(reminder.Subject, 'Reminder: your video interview "Product designer" closes soon');
  const reminderToken = tokenInText(reminder.Text);
  assert.notEqual(reminderToken, invitationToken);
  assert.equal((await tokenRow(soon.body.session_id))?.token_hash, await sha256Hex(reminderToken));
  await eventually(async () => (await emailStatus(soon.body.session_id)).reminder_sent_at);
  const rows = await outboxRows(soon.body.session_id);
  assert.deepEqual(rows.map((r) => r.kind), ['invitation', 'reminder']);
  assert.equal(rows[1].locale, 'en', 'the reminder keeps the language of the invitation');

  await call('/reminders/run', { token: service });
  await runOutbox();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await mailsTo(who.email)).length, 2, 'one reminder only');
  assert.equal((await mailsTo(later.email)).length, 1, 'no reminder more than 24 h before the deadline');
  assert.equal((await outboxRows(notYet.body.session_id)).length, 1);
});

Deno.test('a candidate whose session is completed, withdrawn or expired gets no reminder, even within 24 h', async () => {
  const deadline = new Date(Date.now() + 20 * 3600_000).toISOString();
  const names = ['invited', 'in_progress', 'completed', 'withdrawn', 'expired'] as const;
  const people = Object.fromEntries(names.map((n) => [n, person(`remind-${n.replace('_', '-')}`)]));
  const sessions: Record<string, string> = {};
  for (const name of names) {
    const res = await invite({ ...people[name], deadline });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    sessions[name] = res.body.session_id;
  }
  for (const name of names) await mailsArrived(people[name].email, 1);
  // The candidate's moves (start, finish) and the nightly expiry, made directly; the withdrawal through the function.
  await superuser(async (sql) => {
    await sql`update public.interview_sessions set status = 'in_progress'
               where id in (${sessions.in_progress}, ${sessions.completed})`;
    await sql`update public.interview_sessions set status = 'completed' where id = ${sessions.completed}`;
    await sql`update public.interview_sessions set status = 'expired' where id = ${sessions.expired}`;
  });
  const withdrawn = await call(`/${sessions.withdrawn}`, { method: 'DELETE', token: owner.accessToken });
  assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.body));

  const run = await call('/reminders/run', { token: env('SUPABASE_SERVICE_ROLE_KEY') });
  assert.equal(run.status, 200, JSON.stringify(run.body));
  assert.ok(run.body.queued >= 2, JSON.stringify(run.body));
  for (const name of ['invited', 'in_progress'] as const) {
    const mails = await mailsArrived(people[name].email, 2);
    assert.match((await mailText(mails[0].ID)).Subject, /^Rappel/, name);
    assert.deepEqual((await outboxRows(sessions[name])).map((r) => r.kind), ['invitation', 'reminder'], name);
  }
  await runOutbox();
  await new Promise((r) => setTimeout(r, 300));
  for (const name of ['completed', 'withdrawn', 'expired'] as const) {
    // A completed interview gets its receipt (the list of verified answers), never a reminder.
    const expected = name === 'completed' ? ['invitation', 'receipt'] : ['invitation'];
    assert.deepEqual((await outboxRows(sessions[name])).map((r) => r.kind), expected, name);
    assert.equal((await mailsTo(people[name].email)).length, expected.length, `${name}: ${expected.join(' and ')}`);
    assert.equal((await emailStatus(sessions[name])).reminder_sent_at, null, name);
  }
});
