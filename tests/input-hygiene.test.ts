// Input hygiene, tried as a hostile user of the public API would: text that reaches email headers and file names
// must be one line, URLs must be http(s), whether written straight through PostgREST, through a function, or as
// sign-up metadata (which is cleaned, so that GoTrue's sign-up never fails on it).
import assert from 'node:assert/strict';
import { superuser } from './fixtures.ts';
import { call, hiringManager, openCampaign, person } from './invitations-support.ts';
import { anonClient, signedInClient, uniqueEmail } from './support.ts';

Deno.test('PostgREST refuses a campaign title with a line break (23514, the constraint named)', async () => {
  const manager = await hiringManager();
  const { error, status } = await manager.client.from('campaigns').insert({
    title: 'Data engineer\r\nBcc: everyone@example.com',
    start_date: new Date(Date.now() + 60_000).toISOString(),
    end_date: new Date(Date.now() + 86_400_000).toISOString(),
  });
  assert.equal(status, 400);
  assert.equal(error?.code, '23514');
  assert.match(error!.message, /campaign_title_single_line/);
});

Deno.test('a candidate cannot store a javascript: URL as their LinkedIn, which recruiters would receive', async () => {
  const candidate = await signedInClient({ role: 'candidate' });
  const { error, status } = await candidate.client.from('candidates')
    .update({ linkedin_url: 'javascript:alert(document.cookie)' }).eq('user_id', candidate.userId).select();
  assert.equal(status, 400);
  assert.equal(error?.code, '23514');
  assert.match(error!.message, /candidate_linkedin_url_is_web_url/);
  const ok = await candidate.client.from('candidates')
    .update({ linkedin_url: 'https://www.linkedin.com/in/ada' }).eq('user_id', candidate.userId).select('linkedin_url');
  assert.equal(ok.error, null);
  assert.equal(ok.data?.[0].linkedin_url, 'https://www.linkedin.com/in/ada');
});

Deno.test('a sign-up with control characters and a javascript: URL in its metadata succeeds, cleaned', async () => {
  const email = uniqueEmail('messy');
  const { error } = await anonClient().auth.signUp({
    email,
    password: 'a-long-test-password-1',
    options: { data: { role: 'candidate', first_name: 'Eve\r\nBcc: all', linkedin_url: 'javascript:alert(1)' } },
  });
  assert.equal(error, null, 'GoTrue answers 200, not a database error');
  const [row] = await superuser((sql) =>
    sql`select first_name, linkedin_url from public.candidates where lower(email) = ${email}`
  );
  assert.deepEqual({ ...row }, { first_name: 'Eve Bcc: all', linkedin_url: null });
});

Deno.test('an invitation whose names carry a line break or whose URL is not http(s) is 400 validation_failed', async () => {
  const manager = await hiringManager();
  const campaignId = await openCampaign(manager.client, 'Hygiene');
  for (const bad of [{ first_name: 'Ada\nBcc: x@example.com' }, { linkedin_url: 'javascript:alert(1)' }]) {
    const res = await call('', { token: manager.accessToken, body: { campaign_id: campaignId, ...person(), ...bad } });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'validation_failed');
  }
});
