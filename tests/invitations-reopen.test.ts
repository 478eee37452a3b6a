// An expired session gets a new deadline: it reopens, the candidate is emailed, the reminder is armed again, and
// queued emails always carry the current deadline.
import assert from 'node:assert/strict';
import { superuser, withoutTriggers } from './fixtures.ts';
import {
  call,
  hiringManager,
  mailsArrived,
  openCampaign,
  outboxRows,
  person,
  withMailpitDown,
} from './invitations-support.ts';
import { env, eventually } from './support.ts';

const owner = await hiringManager('Reopen Co');
const campaignId = await openCampaign(owner.client, 'Night nurse');

async function expire(sessionId: string) {
  await withoutTriggers((tx) =>
    tx`update public.interview_sessions set deadline = now() - interval '1 minute' where id = ${sessionId}`
  );
  await superuser((sql) => sql`select public.expire_overdue_sessions()`);
}

const outboxParams = (sessionId: string) =>
  superuser((sql) =>
    sql<{ kind: string; status: string; deadline: string }[]>`
      select kind, status, params ->> 'deadline' as deadline from private.email_outbox
       where session_id = ${sessionId} order by created_at`
  );

Deno.test('an expired session reopens with a new deadline, the candidate is emailed and reminded again', async () => {
  const who = person('reopen');
  const invited = await call('', { token: owner.accessToken, body: { campaign_id: campaignId, ...who } });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
  await mailsArrived(who.email, 1);
  const sessionId = invited.body.session_id;
  await expire(sessionId);

  const deadline = new Date(Date.now() + 12 * 3600_000).toISOString();
  const reopened = await call(`/${sessionId}`, { method: 'PATCH', token: owner.accessToken, body: { deadline } });
  assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
  assert.equal(reopened.body.status, 'invited');
  assert.equal(new Date(reopened.body.deadline).toISOString(), deadline);
  await mailsArrived(who.email, 2);

  // The new deadline is within 24 h: the reminder job queues one again.
  const run = await call('/reminders/run', { token: env('SUPABASE_SERVICE_ROLE_KEY'), body: {} });
  assert.equal(run.status, 200, JSON.stringify(run.body));
  await eventually(async () => (await outboxRows(sessionId)).some((r) => r.kind === 'reminder'));
  await mailsArrived(who.email, 3);
});

Deno.test('an email still queued carries the deadline the session has now', async () => {
  const who = person('queued');
  const invited = await withMailpitDown(async () => {
    const res = await call('', { token: owner.accessToken, body: { campaign_id: campaignId, ...who } });
    await eventually(async () => (await outboxRows(res.body.session_id))[0]?.attempts > 0);
    return res;
  });
  const deadline = new Date(Date.now() + 5 * 86_400_000).toISOString();
  const moved = await call(`/${invited.body.session_id}`, {
    method: 'PATCH',
    token: owner.accessToken,
    body: { deadline },
  });
  assert.equal(moved.status, 200);
  const [email] = await outboxParams(invited.body.session_id);
  assert.equal(email.status, 'queued');
  assert.equal(new Date(email.deadline).toISOString(), deadline);
});

Deno.test('a completed or withdrawn session does not reopen (409 session_not_open), nor through PostgREST', async () => {
  const who = person('done');
  const invited = await call('', { token: owner.accessToken, body: { campaign_id: campaignId, ...who } });
  const withdrawn = await call(`/${invited.body.session_id}`, { method: 'DELETE', token: owner.accessToken });
  assert.equal(withdrawn.status, 200);
  const deadline = new Date(Date.now() + 86_400_000).toISOString();
  const patch = await call(`/${invited.body.session_id}`, {
    method: 'PATCH',
    token: owner.accessToken,
    body: { deadline },
  });
  assert.equal(patch.status, 409);
  assert.equal(patch.body.error.code, 'session_not_open');
  const rpc = await owner.client.rpc('reopen_session', { p_session_id: invited.body.session_id, p_deadline: deadline });
  assert.equal(rpc.error?.message, 'session_not_expired');
  const stranger = await hiringManager('Stranger Co');
  const theirs = await stranger.client.rpc('reopen_session', {
    p_session_id: invited.body.session_id,
    p_deadline: deadline,
  });
  assert.equal(theirs.error?.message, 'session_not_found', 'another company cannot even learn it exists');
});
