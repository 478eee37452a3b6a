// Invitation quotas, tried as a hostile new recruiter account would: every invitation creates a candidate row and an
// Auth account for an address the inviter chose and mails it, so a new account may invite 50 people an hour and 100
// a day (an established one 1,000 and 3,000). A refusal is 429 invitation_quota_exceeded and nothing is created;
// a direct PostgREST insert is refused by the database too.
import assert from 'node:assert/strict';
import { superuser } from './fixtures.ts';
import { countsFor, hiringManager, invitationsUrl, openCampaign, person } from './invitations-support.ts';
import { env, signedInClient } from './support.ts';

async function bulk(token: string, campaignId: string, rows: unknown[]) {
  const res = await fetch(invitationsUrl(`/bulk?campaign_id=${campaignId}`), {
    method: 'POST',
    headers: { apikey: env('SUPABASE_ANON_KEY'), authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(rows),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

Deno.test('a new account cannot invite 60 strangers at once: 429, and no account or candidate is created', async () => {
  const attacker = await hiringManager('Spam Inc');
  const campaignId = await openCampaign(attacker.client, 'Totally real job');
  const rows = Array.from({ length: 60 }, () => person('victim'));
  const res = await bulk(attacker.accessToken, campaignId, rows);
  assert.equal(res.status, 429, JSON.stringify(res.body));
  assert.equal(res.body.error.code, 'invitation_quota_exceeded');
  assert.deepEqual(
    { ...res.body.error.details },
    { period: 'hour', limit: 50, remaining: 50, requested: 60 },
  );
  for (const row of rows.slice(0, 5)) {
    assert.deepEqual(await countsFor(row.email), { users: 0, candidates: 0, sessions: 0 }, 'nothing half-made');
  }
});

Deno.test('once the hourly budget is spent, the next invitation is 429 with Retry-After; re-inviting costs nothing', async () => {
  const recruiter = await hiringManager('Small Co');
  const campaignId = await openCampaign(recruiter.client, 'Barista');
  const rows = Array.from({ length: 50 }, () => person('fifty'));
  const first = await bulk(recruiter.accessToken, campaignId, rows);
  assert.equal(first.status, 200, JSON.stringify(first.body).slice(0, 300));
  assert.equal(first.body.summary.created, 50);

  const again = await bulk(recruiter.accessToken, campaignId, rows);
  assert.equal(again.status, 200, 'the same people again are existing invitations, not new ones');
  assert.equal(again.body.summary.existing, 50);

  const one = await bulk(recruiter.accessToken, campaignId, [person('one-more')]);
  assert.equal(one.status, 429);
  assert.equal(one.body.error.details.remaining, 0);
  const wait = one.body.error.details.retry_after_seconds;
  assert.ok(wait > 3000 && wait <= 3600, `the oldest invitation leaves the hour window in ${wait} s`);
  assert.equal(one.retryAfter, String(wait));
});

Deno.test('the database refuses invitations past the budget even when written straight through PostgREST', async () => {
  const recruiter = await hiringManager('Direct Co');
  const campaignId = await openCampaign(recruiter.client, 'Direct');
  const candidates = await Promise.all(Array.from({ length: 51 }, () => signedInClient({ role: 'candidate' })));
  const ids = await superuser((sql) =>
    sql<{ id: string }[]>`select id from public.candidates where user_id = any (${
      candidates.map((c) => c.userId)
    }::uuid[])`
  );
  const { error, status } = await recruiter.client.from('interview_sessions')
    .insert(ids.map((c) => ({ campaign_id: campaignId, candidate_id: c.id })));
  assert.equal(status, 429, JSON.stringify(error));
  assert.equal(error?.message, 'invitation_quota_exceeded');
  const [{ n }] = await superuser((sql) =>
    sql`select count(*)::int as n from public.interview_sessions where campaign_id = ${campaignId}`
  );
  assert.equal(n, 0, 'the whole statement is refused: no session was created');
  const fifty = await recruiter.client.from('interview_sessions')
    .insert(ids.slice(0, 50).map((c) => ({ campaign_id: campaignId, candidate_id: c.id })));
  assert.equal(fifty.error, null, 'within the budget, the same insert works');
});

Deno.test('an admin has no invitation quota', async () => {
  const admin = await signedInClient({ appRole: 'admin' });
  const owner = await hiringManager('Owned');
  const campaignId = await openCampaign(owner.client, 'Admin invites');
  const res = await bulk(admin.accessToken, campaignId, Array.from({ length: 60 }, () => person('by-admin')));
  assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
  assert.equal(res.body.summary.created, 60);
});
