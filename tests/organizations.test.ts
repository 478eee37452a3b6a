// Organizations through the gateway, against real GoTrue, PostgREST and Mailpit: each test is written as the steps of
// a recruiter at work or of an attacker from another company, and shows the refusal and that nothing was created.
import assert from 'node:assert/strict';
import { superuser } from './fixtures.ts';
import { call, hiringManager, latestMailText, mailsArrived, openCampaign } from './invitations-support.ts';
import { signedInClient, uniqueEmail } from './support.ts';

function joinToken(text: string): string {
  const match = text.match(/\/organizations\/join\?token=([A-Za-z0-9_-]+)/);
  if (!match) throw new Error(`no join link in: ${text}`);
  return match[1];
}

async function myOrganization(manager: Awaited<ReturnType<typeof hiringManager>>) {
  const { data, error } = await manager.client.from('organizations').select('id, name, time_zone');
  assert.equal(error, null);
  assert.equal(data!.length, 1);
  return data![0];
}

Deno.test('sign-up: a new hiring manager owns an organization named after their company', async () => {
  const manager = await hiringManager('Initech');
  const org = await myOrganization(manager);
  assert.equal(org.name, 'Initech');
  assert.equal(org.time_zone, 'UTC');
  const { data: members } = await manager.client.from('organization_members').select('user_id, role');
  assert.deepEqual(members, [{ user_id: manager.userId, role: 'owner' }]);
});

Deno.test('attack: sharing a campaign with a stranger by UUID is refused and the stranger learns nothing', async () => {
  const [owner, stranger] = await Promise.all([hiringManager('Acme'), hiringManager('Globex')]);
  const campaignId = await openCampaign(owner.client);
  const { error } = await owner.client.from('campaign_collaborators')
    .insert({ campaign_id: campaignId, user_id: stranger.userId, role: 'reviewer' });
  assert.equal(error?.code, '23514');
  assert.equal(error?.message, 'collaborator_not_in_organization');
  const { data: team } = await owner.client.from('campaign_collaborators').select('user_id');
  assert.deepEqual(team, []);
  // Nor can the adder read the stranger's profile or company.
  const { data: profile } = await owner.client.from('profiles').select('email').eq('id', stranger.userId);
  const { data: details } = await owner.client.from('hiring_managers').select('company').eq('id', stranger.userId);
  assert.deepEqual([profile, details], [[], []]);
  const { data: seen } = await stranger.client.from('campaigns').select('id').eq('id', campaignId);
  assert.deepEqual(seen, []);
});

Deno.test('a colleague is invited by email, joins with the link, is shared a campaign, and loses it on removal', async () => {
  const owner = await hiringManager('Acme');
  const org = await myOrganization(owner);
  const campaignId = await openCampaign(owner.client);
  const colleagueEmail = uniqueEmail('colleague');

  const invited = await call('/colleagues', {
    token: owner.accessToken,
    body: { organization_id: org.id, email: colleagueEmail.toUpperCase(), role: 'member', locale: 'en' },
  });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
  assert.equal((invited.body as { email: string }).email, colleagueEmail);
  await mailsArrived(colleagueEmail);
  const mail = await latestMailText(colleagueEmail);
  assert.equal(mail.Subject, 'Invitation to join Acme');
  const token = joinToken(mail.Text);
  const { data: pending } = await owner.client.from('organization_invitations').select('email, role, email_status');
  assert.deepEqual(pending, [{ email: colleagueEmail, role: 'member', email_status: 'sent' }]);

  // Someone else holding the link cannot use it; nor can the owner's own account.
  const stranger = await hiringManager('Globex');
  const stolen = await call('/colleagues/accept', { token: stranger.accessToken, body: { token } });
  assert.equal(stolen.status, 403);
  assert.equal((stolen.body as { error: { code: string } }).error.code, 'colleague_invitation_for_another_email');

  const colleague = await signedInClient({ email: colleagueEmail, role: 'hiring_manager', data: { company: 'Acme' } });
  const joined = await call('/colleagues/accept', { token: colleague.accessToken, body: { token } });
  assert.equal(joined.status, 200, JSON.stringify(joined.body));
  assert.deepEqual(joined.body, { organization_id: org.id, role: 'member' });
  const again = await call('/colleagues/accept', { token: colleague.accessToken, body: { token } });
  assert.equal(again.status, 404);
  assert.equal((again.body as { error: { code: string } }).error.code, 'colleague_invitation_not_found');

  // Now the owner finds the colleague (no UUID passed around) and shares the campaign.
  const { data: found } = await owner.client.from('profiles').select('id').eq('email', colleagueEmail);
  assert.deepEqual(found, [{ id: colleague.userId }]);
  const { error: shareError } = await owner.client.from('campaign_collaborators')
    .insert({ campaign_id: campaignId, user_id: colleague.userId, role: 'reviewer' });
  assert.equal(shareError, null);
  const { data: visible } = await colleague.client.from('campaigns').select('id').eq('id', campaignId);
  assert.deepEqual(visible, [{ id: campaignId }]);

  // A member cannot invite; the owner removes the colleague, whose very same token loses access at once.
  const byMember = await call('/colleagues', {
    token: colleague.accessToken,
    body: { organization_id: org.id, email: uniqueEmail('friend') },
  });
  assert.equal(byMember.status, 403);
  assert.equal((byMember.body as { error: { code: string } }).error.code, 'not_organization_admin');
  const { error: removeError, count } = await owner.client.from('organization_members')
    .delete({ count: 'exact' }).eq('organization_id', org.id).eq('user_id', colleague.userId);
  assert.equal(removeError, null);
  assert.equal(count, 1);
  const { data: gone } = await colleague.client.from('campaigns').select('id').eq('id', campaignId);
  assert.deepEqual(gone, []);
  const { data: team } = await owner.client.from('campaign_collaborators').select('user_id')
    .eq('campaign_id', campaignId);
  assert.deepEqual(team, []);
});

Deno.test('colleague invitations refuse bad input with stable codes, and strangers to the organization', async () => {
  const [owner, stranger] = await Promise.all([hiringManager('Acme'), hiringManager('Globex')]);
  const org = await myOrganization(owner);
  const cases: Array<[unknown, number, string]> = [
    [{ organization_id: org.id, email: 'not an email' }, 400, 'validation_failed'],
    [{ organization_id: org.id, email: uniqueEmail('x'), role: 'owner' }, 400, 'validation_failed'],
    [{ organization_id: 'nope', email: uniqueEmail('x') }, 400, 'validation_failed'],
  ];
  for (const [body, status, code] of cases) {
    const answer = await call('/colleagues', { token: owner.accessToken, body });
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.equal((answer.body as { error: { code: string } }).error.code, code);
  }
  const intruder = await call('/colleagues', {
    token: stranger.accessToken,
    body: { organization_id: org.id, email: uniqueEmail('spam') },
  });
  assert.equal(intruder.status, 403);
  assert.equal((intruder.body as { error: { code: string } }).error.code, 'not_organization_admin');
  const member = await call('/colleagues', {
    token: owner.accessToken,
    body: { organization_id: org.id, email: owner.email },
  });
  assert.equal(member.status, 409);
  assert.equal((member.body as { error: { code: string } }).error.code, 'already_member');
  const unknown = await call('/colleagues/accept', { token: owner.accessToken, body: { token: 'A'.repeat(43) } });
  assert.equal(unknown.status, 404);
  const malformed = await call('/colleagues/accept', { token: owner.accessToken, body: { token: 'a b' } });
  assert.equal(malformed.status, 400);
  const [{ count }] = await superuser((sql) =>
    sql`select count(*)::int as count from public.organization_invitations where organization_id = ${org.id}`
  );
  assert.equal(count, 0, 'no refused request left an invitation behind');
});
