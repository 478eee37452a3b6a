// Candidate data belongs to whoever supplied it, through the real invitations function, GoTrue and PostgREST: written
// as the steps of company B trying to learn what company A typed about a person they both invite.
import assert from 'node:assert/strict';
import { acceptPrivacyNotice, superuser, withoutTriggers } from './fixtures.ts';
import { call, hiringManager, openCampaign } from './invitations-support.ts';
import { signedInClient, uniqueEmail } from './support.ts';

Deno.test('attack: company B invites the person company A invited and learns nothing of what A typed', async () => {
  const [a, b] = await Promise.all([hiringManager('Acme'), hiringManager('Globex')]);
  const [campaignA, campaignB] = await Promise.all([
    openCampaign(a.client, 'A role'),
    openCampaign(b.client, 'B role'),
  ]);
  const email = uniqueEmail('shared-person');

  const byA = await call('', {
    token: a.accessToken,
    body: {
      campaign_id: campaignA,
      email,
      first_name: 'Ada',
      last_name: 'Lovelace',
      phone: '+33 1 23 45 67 89',
      linkedin_url: 'https://www.linkedin.com/in/ada-private',
    },
  });
  assert.equal(byA.status, 201, JSON.stringify(byA.body));
  const byB = await call('', { token: b.accessToken, body: { campaign_id: campaignB, email } });
  assert.equal(byB.status, 201, JSON.stringify(byB.body));
  const candidateId = (byB.body as { candidate_id: string }).candidate_id;
  assert.equal(candidateId, (byA.body as { candidate_id: string }).candidate_id, 'one person, one candidate row');

  // B: the shared row is not visible before the person takes part, and B's session holds only what B supplied.
  const { data: row } = await b.client.from('candidates').select('*').eq('id', candidateId);
  assert.deepEqual(row, []);
  const { data: sessionsB } = await b.client.from('interview_sessions')
    .select('invited_email, invited_first_name, invited_phone, invited_linkedin_url').eq('campaign_id', campaignB);
  assert.deepEqual(sessionsB, [{
    invited_email: email,
    invited_first_name: '',
    invited_phone: null,
    invited_linkedin_url: null,
  }]);
  const { data: sessionsOfA } = await b.client.from('interview_sessions').select('id').eq('campaign_id', campaignA);
  assert.deepEqual(sessionsOfA, []);
  const exportB = await b.client.rpc('campaign_export', { p_campaign_id: campaignB });
  assert.equal(JSON.stringify(exportB.data).includes('ada-private'), false);
  assert.equal(JSON.stringify(exportB.data).includes('Lovelace'), false);

  // A keeps what A typed, on A's own invitation; the person's own row holds nothing a company typed.
  const { data: sessionsA } = await a.client.from('interview_sessions')
    .select('invited_first_name, invited_phone, invited_linkedin_url').eq('campaign_id', campaignA);
  assert.deepEqual(sessionsA, [{
    invited_first_name: 'Ada',
    invited_phone: '+33 1 23 45 67 89',
    invited_linkedin_url: 'https://www.linkedin.com/in/ada-private',
  }]);
  const [shared] = await superuser((sql) =>
    sql`select first_name, phone, linkedin_url from public.candidates where id = ${candidateId}`
  );
  assert.deepEqual({ ...shared }, { first_name: '', phone: null, linkedin_url: null });
  const [meta] = await superuser((sql) =>
    sql`select u.raw_user_meta_data - 'email_verified' - 'sub' as meta
          from auth.users u join public.candidates c on c.user_id = u.id where c.id = ${candidateId}`
  );
  assert.equal(JSON.stringify(meta.meta).includes('ada-private'), false, 'nor does the placeholder account');
});

Deno.test("a company reads the person's own profile only once they start its interview", async () => {
  const owner = await hiringManager('Acme');
  const campaignId = await openCampaign(owner.client);
  const person = await signedInClient({
    role: 'candidate',
    data: { first_name: 'Grace', last_name: 'Hopper', linkedin_url: 'https://www.linkedin.com/in/grace-own' },
  });
  const invited = await call('', {
    token: owner.accessToken,
    body: { campaign_id: campaignId, email: person.email, first_name: 'G.' },
  });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
  const sessionId = (invited.body as { session_id: string }).session_id;
  const before = await owner.client.from('candidates').select('first_name, linkedin_url');
  assert.deepEqual(before.data, []);

  await withoutTriggers((tx) =>
    tx`update public.campaigns set start_date = now() - interval '1 minute' where id = ${campaignId}`
  );
  await acceptPrivacyNotice(person.client, sessionId);
  const { error } = await person.client.rpc('start_interview', { p_session_id: sessionId });
  assert.equal(error, null, JSON.stringify(error));
  const after = await owner.client.from('candidates').select('first_name, linkedin_url');
  assert.deepEqual(after.data, [{ first_name: 'Grace', linkedin_url: 'https://www.linkedin.com/in/grace-own' }]);
  const { data: session } = await owner.client.from('interview_sessions').select('invited_first_name')
    .eq('id', sessionId).single();
  assert.equal(session?.invited_first_name, 'G.', 'what the company typed stays as it typed it');
});
