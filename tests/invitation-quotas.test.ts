// Invitation quotas, tried as a hostile new recruiter account would: every invitation creates a candidate row and an
// Auth account for an address the inviter chose and mails it, so a new account may invite 50 people an hour and 100
// a day (an established one 1,000 and 3,000). A refusal is 429 invitation_quota_exceeded and nothing is created;
// a direct PostgREST insert is refused by the database too.
import assert from 'node:assert/strict';
import { joinCampaignOrganization, superuser } from './fixtures.ts';
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
    { scope: 'account', period: 'hour', limit: 50, remaining: 50, requested: 60 },
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
  // People with a candidate row and no account (the row is all an insert through PostgREST names).
  const ids = await superuser((sql) =>
    sql<{ id: string }[]>`insert into public.candidates (email)
      select format('direct-%s-%s@example.test', ${
      crypto.randomUUID().slice(0, 8)
    }::text, i) from generate_series(1, 51) i
      returning id`
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

Deno.test('attack: three new accounts of one new company together get only the company budget of 100 an hour', async () => {
  const [owner, second, third] = await Promise.all([hiringManager('Spam Co'), hiringManager(), hiringManager()]);
  const campaignId = await openCampaign(owner.client, 'Shared spam');
  await joinCampaignOrganization(campaignId, second.userId, third.userId);
  const { error } = await owner.client.from('campaign_collaborators').insert([
    { campaign_id: campaignId, user_id: second.userId, role: 'editor' },
    { campaign_id: campaignId, user_id: third.userId, role: 'editor' },
  ]);
  assert.equal(error, null);

  for (const member of [owner, second]) {
    const res = await bulk(member.accessToken, campaignId, Array.from({ length: 40 }, () => person('org-spam')));
    assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
  }
  const rows = Array.from({ length: 40 }, () => person('org-spam'));
  const res = await bulk(third.accessToken, campaignId, rows);
  assert.equal(res.status, 429, JSON.stringify(res.body));
  assert.equal(res.body.error.code, 'invitation_quota_exceeded');
  const { retry_after_seconds: wait, ...details } = res.body.error.details;
  assert.deepEqual(
    details,
    { scope: 'organization', period: 'hour', limit: 100, remaining: 20, requested: 40 },
    "the third account's own 50 an hour is untouched: the company's budget is what is spent",
  );
  assert.ok(wait > 3000 && wait <= 3600, `enough of the company's invitations leave the hour in ${wait} s`);
  assert.equal(res.retryAfter, String(wait));
  for (const row of rows.slice(0, 5)) {
    assert.deepEqual(await countsFor(row.email), { users: 0, candidates: 0, sessions: 0 }, 'nothing half-made');
  }
});

Deno.test('attack: two requests racing for the last of the budget cannot both create accounts', async () => {
  const attacker = await hiringManager('Race Inc');
  const campaignId = await openCampaign(attacker.client, 'Race');
  const batches = [0, 1].map(() => Array.from({ length: 30 }, () => person('race')));
  const results = await Promise.all(batches.map((rows) => bulk(attacker.accessToken, campaignId, rows)));
  assert.deepEqual(results.map((r) => r.status).sort(), [200, 429], JSON.stringify(results.map((r) => r.body.error)));
  const refused = results.find((r) => r.status === 429)!;
  assert.ok(
    ['placeholder_quota_exceeded', 'invitation_quota_exceeded'].includes(refused.body.error.code),
    refused.body.error.code,
  );
  const [{ users }] = await superuser((sql) =>
    sql`select count(*)::int as users from auth.users where email = any (${batches.flat().map((r) => r.email)}::text[])`
  );
  assert.equal(users, 30, 'one batch of accounts was made, never both (the budget is 50 an hour)');
});

Deno.test('attack: erasing the sessions one made gives no budget back; every account made is recorded', async () => {
  const attacker = await hiringManager('Erase Inc');
  const campaignId = await openCampaign(attacker.client, 'Erase');
  const rows = Array.from({ length: 50 }, () => person('erased'));
  const first = await bulk(attacker.accessToken, campaignId, rows);
  assert.equal(first.status, 200, JSON.stringify(first.body).slice(0, 300));
  const recorded = await superuser((sql) =>
    sql`select q.account_id, q.user_id = u.id as same_account
          from private.quota_uses q join auth.users u on lower(u.email) = q.email
         where q.kind = 'placeholder_account' and q.email = any (${rows.map((r) => r.email)}::text[])`
  );
  assert.deepEqual(recorded.map((r) => [r.account_id, r.same_account]), rows.map(() => [attacker.userId, true]));

  const { error, count } = await attacker.client.from('interview_sessions').delete({ count: 'exact' })
    .eq('campaign_id', campaignId);
  assert.equal(error, null);
  assert.equal(count, 50, 'the owner may erase its sessions');
  const again = await bulk(attacker.accessToken, campaignId, [person('after-erase')]);
  assert.equal(again.status, 429, JSON.stringify(again.body));
  assert.equal(again.body.error.code, 'invitation_quota_exceeded');
  assert.ok(Number(again.retryAfter) > 3000, 'the erased invitations still count until they leave the hour');
});
