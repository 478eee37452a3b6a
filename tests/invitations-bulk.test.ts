// POST /invitations/bulk: a JSON array or a CSV upload of up to 1,000 rows, one result per row, bad rows isolated;
// 25 emails go out after the response, the worker sends the rest.
import assert from 'node:assert/strict';
import { superuser } from './fixtures.ts';
import { eventually, signedInClient } from './support.ts';
import { call, countsFor, hiringManager, openCampaign, person, runOutbox, share } from './invitations-support.ts';
import { AFTER_RESPONSE_SEND_LIMIT } from '../functions/invitations/outbox.ts';

const owner = await hiringManager('Acme');
// An established account in an established company: new ones may invite 100 and 200 people a day (see
// tests/invitation-quotas.test.ts).
await superuser(async (sql) => {
  await sql`update public.profiles set created_at = now() - interval '30 days' where id = ${owner.userId}`;
  await sql`update public.organizations set created_at = now() - interval '30 days'
             where id in (select organization_id from public.organization_members where user_id = ${owner.userId})`;
});

function bulk(
  campaignId: string,
  options: { body?: unknown; raw?: BodyInit; type?: string; token?: string; query?: string },
) {
  return call(`/bulk?campaign_id=${campaignId}${options.query ?? ''}`, {
    token: options.token ?? owner.accessToken,
    body: options.body,
    raw: options.raw,
    type: options.type,
  });
}

Deno.test('1,000 rows in one request: one result per row, bad rows isolated, and again all existing', async () => {
  const campaignId = await openCampaign(owner.client, 'Bulk hiring');
  const manager = await hiringManager('Other');
  const rows: Record<string, unknown>[] = Array.from({ length: 996 }, (_, i) => ({
    ...person(`bulk${i}`),
    ...(i % 2 === 0 ? { locale: 'en' } : {}),
  }));
  rows.push({ email: 'not-an-email', first_name: 'A', last_name: 'B' }); // 996
  rows.push({ email: manager.email, first_name: 'H', last_name: 'M' }); // 997
  rows.push({ ...rows[0] }); // 998: the same email as row 0
  rows.push({ ...person('past'), deadline: new Date(Date.now() - 60_000).toISOString() }); // 999
  assert.equal(rows.length, 1000);

  const started = performance.now();
  const res = await bulk(campaignId, { body: rows });
  const seconds = (performance.now() - started) / 1000;
  console.log(`bulk invitation of 1,000 rows (996 new accounts): ${seconds.toFixed(2)} s`);
  assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 500));
  assert.equal(res.body.results.length, 1000);
  assert.deepEqual(res.body.summary, { created: 996, existing: 1, error: 3 });
  res.body.results.forEach((r: { row: number }, i: number) => assert.equal(r.row, i));
  assert.equal(res.body.results[0].status, 'created');
  assert.equal(res.body.results[996].status, 'error');
  assert.equal(res.body.results[996].error.code, 'validation_failed');
  assert.equal(res.body.results[997].error.code, 'email_not_invitable');
  assert.equal(res.body.results[998].status, 'existing');
  assert.equal(res.body.results[998].session_id, res.body.results[0].session_id);
  assert.equal(res.body.results[999].error.code, 'session_deadline_in_past');

  const counts = await superuser(async (sql) => {
    const [row] = await sql<{ sessions: number; tokens: number; emails: number; en: number }[]>`
      select count(distinct s.id)::int as sessions, count(distinct t.session_id)::int as tokens,
             count(distinct o.id)::int as emails, count(distinct o.id) filter (where o.locale = 'en')::int as en
        from public.interview_sessions s
        left join private.invitation_tokens t on t.session_id = s.id
        left join private.email_outbox o on o.session_id = s.id
       where s.campaign_id = ${campaignId}`;
    return row;
  });
  assert.deepEqual(counts, { sessions: 996, tokens: 996, emails: 996, en: 498 });

  // The request sends at most AFTER_RESPONSE_SEND_LIMIT (25) in the background; the rest waits, unclaimed, for the
  // scheduled outbox job (test stacks schedule none, so nothing else sends them).
  const outbox = () =>
    superuser(async (sql) => {
      const [row] = await sql<{ sent: number; queued: number; untouched: number }[]>`
        select count(*) filter (where o.status = 'sent')::int as sent,
               count(*) filter (where o.status = 'queued')::int as queued,
               count(*) filter (where o.status = 'queued' and o.attempts = 0)::int as untouched
          from private.email_outbox o join public.interview_sessions s on s.id = o.session_id
         where s.campaign_id = ${campaignId}`;
      return row;
    });
  await eventually(async () => (await outbox()).sent === AFTER_RESPONSE_SEND_LIMIT, 30_000);
  await new Promise((r) => setTimeout(r, 1_000));
  assert.deepEqual(await outbox(), { sent: 25, queued: 971, untouched: 971 });
  // The worker (as the outbox job calls it) sends the rest.
  for (let run = 0; run < 5 && (await outbox()).queued > 0; run++) {
    const worker = await runOutbox(500);
    assert.equal(worker.status, 200, JSON.stringify(worker.body));
  }
  assert.deepEqual(await outbox(), { sent: 996, queued: 0, untouched: 0 });

  const startedAgain = performance.now();
  const again = await bulk(campaignId, { body: { rows: rows.slice(0, 996) } });
  console.log(`the same 996 rows again (all existing): ${((performance.now() - startedAgain) / 1000).toFixed(2)} s`);
  assert.equal(again.status, 200);
  assert.deepEqual(again.body.summary, { created: 0, existing: 996, error: 0 });
});

Deno.test('a text/csv upload and a multipart file upload invite their rows', async () => {
  const campaignId = await openCampaign(owner.client, 'CSV hiring');
  const [a, b, c] = [person('csv'), person('csv'), person('form')];
  const csv = 'Email,First_Name,Last_Name,Phone,LinkedIn_URL\r\n' +
    `${a.email},"Ada, the first",Lovelace,,\r\n` +
    `${b.email},Bob,"O""Brien",+1 555,https://www.linkedin.com/in/bob\r\n` +
    `not-an-email,X,Y,,\r\n`;
  const res = await bulk(campaignId, { raw: csv, type: 'text/csv', query: '&locale=en' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.results.map((r: { status: string }) => r.status), ['created', 'created', 'error']);
  // What the company typed stays on its invitations (the candidate rows are the people's own).
  const names = await superuser((sql) =>
    sql`select invited_first_name as first_name, invited_last_name as last_name from public.interview_sessions
         where campaign_id = ${campaignId} and lower(invited_email) in (${a.email}, ${b.email})`
  );
  assert.deepEqual(
    names.map((n) => [n.first_name, n.last_name]).sort(),
    [['Ada, the first', 'Lovelace'], ['Bob', 'O"Brien']].sort(),
  );

  const form = new FormData();
  form.set(
    'file',
    new File([`email,first_name,last_name\n${c.email},Cy,Press\n${a.email},Ada,Lovelace\n`], 'rows.csv', {
      type: 'text/csv',
    }),
  );
  const upload = await bulk(campaignId, { raw: form });
  assert.equal(upload.status, 200, JSON.stringify(upload.body));
  assert.deepEqual(upload.body.results.map((r: { status: string }) => r.status), ['created', 'existing']);
  assert.deepEqual(await countsFor(c.email), { users: 1, candidates: 1, sessions: 1 });
});

Deno.test('bulk invitations follow the same access rules: a reviewer gets 403, a stranger or candidate 404', async () => {
  const campaignId = await openCampaign(owner.client, 'Guarded');
  const [reviewer, stranger, candidate] = await Promise.all([
    hiringManager('Acme'),
    hiringManager('Globex'),
    signedInClient({ role: 'candidate' }),
  ]);
  await share(owner.client, campaignId, reviewer.userId, 'reviewer');
  const who = person();
  const refused = await bulk(campaignId, { body: [who], token: reviewer.accessToken });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'not_campaign_editor');
  for (const outsider of [stranger, candidate]) {
    const hidden = await bulk(campaignId, { body: [who], token: outsider.accessToken });
    assert.equal(hidden.status, 404);
    assert.equal(hidden.body.error.code, 'campaign_not_found');
  }
  assert.deepEqual(await countsFor(who.email), { users: 0, candidates: 0, sessions: 0 });
});

Deno.test('a CSV of more than 1,000 rows is 413 too_many_rows, as a text/csv body or a multipart file, and invites nobody', async () => {
  const campaignId = await openCampaign(owner.client, 'Too big');
  const people = Array.from({ length: 1001 }, () => person('csv-big'));
  const csv = 'email,first_name,last_name\n' +
    people.map((p) => `${p.email},${p.first_name},${p.last_name}\n`).join('');
  const form = new FormData();
  form.set('file', new File([csv], 'rows.csv', { type: 'text/csv' }));
  for (const [what, options] of [['text/csv', { raw: csv, type: 'text/csv' }], ['multipart', { raw: form }]] as const) {
    const res = await bulk(campaignId, options);
    assert.equal(res.status, 413, `${what}: ${JSON.stringify(res.body).slice(0, 300)}`);
    assert.equal(res.body.error.code, 'too_many_rows', what);
    assert.deepEqual(res.body.error.details, { rows: 1001, max: 1000 }, what);
  }
  const [sessions] = await superuser((sql) =>
    sql`select count(*)::int as n from public.interview_sessions where campaign_id = ${campaignId}`
  );
  assert.equal(sessions.n, 0);
  assert.deepEqual(await countsFor(people[0].email), { users: 0, candidates: 0, sessions: 0 });

  // 1,000 data rows after the header pass the limit (rows that are not emails, so that nothing is created).
  const atLimit = 'email,first_name,last_name\n' + people.slice(1).map((_, i) => `not-an-email-${i},A,B\n`).join('');
  const ok = await bulk(campaignId, { raw: atLimit, type: 'text/csv' });
  assert.equal(ok.status, 200, JSON.stringify(ok.body).slice(0, 300));
  assert.deepEqual(ok.body.summary, { created: 0, existing: 0, error: 1000 });
});
