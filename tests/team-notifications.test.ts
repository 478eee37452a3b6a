// Team notifications through the gateway (issue 14, item 8): the owner switches them on per campaign; completing an
// interview emails the team once each, through the outbox; the daily digest lists what waits for each member's
// rating. Written as the steps the team and the scheduler take.
import assert from 'node:assert/strict';
import { createInterviewFixture, joinCampaignOrganization, superuser } from './fixtures.ts';
import { runOutbox } from './invitations-support.ts';
import { eventually, mailsTo, mailText, serviceClient, signedInClient } from './support.ts';
import { sendWithGrant, uploads, WEBM } from './uploads-support.ts';

async function answerAndComplete(token: string, sessionId: string, questionId: string): Promise<string> {
  const grant = await uploads('', {
    token,
    body: { session_id: sessionId, question_id: questionId, content_type: 'video/webm', size_bytes: WEBM.length },
  });
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  assert.ok((await sendWithGrant(grant.body, WEBM)).ok);
  const done = await uploads(`/${grant.body.response_id}/complete`, { token, method: 'POST' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.session_status, 'completed');
  return grant.body.response_id;
}

Deno.test('with completion notices on, the owner and each collaborator are emailed once when an interview is completed', async () => {
  const f = await createInterviewFixture({ questions: 1 });
  const reviewer = await signedInClient({ role: 'hiring_manager' });
  await joinCampaignOrganization(f.campaignId, reviewer.userId);
  const shared = await f.manager.client.from('campaign_collaborators')
    .insert({ campaign_id: f.campaignId, user_id: reviewer.userId, role: 'reviewer' });
  assert.equal(shared.error, null, JSON.stringify(shared.error));

  // The reviewer cannot switch it on (0 rows: only the owner updates the campaign); the owner can.
  const byReviewer = await reviewer.client.from('campaigns').update({ notify_on_completion: true })
    .eq('id', f.campaignId).select();
  assert.deepEqual(byReviewer.data, []);
  const byOwner = await f.manager.client.from('campaigns').update({ notify_on_completion: true })
    .eq('id', f.campaignId).select('notify_on_completion').single();
  assert.equal(byOwner.data?.notify_on_completion, true, JSON.stringify(byOwner.error));

  await answerAndComplete(f.candidate.accessToken, f.sessionId, f.questionIds[0]);
  assert.equal((await runOutbox()).status, 200);
  for (const member of [f.manager, reviewer]) {
    const mails = await eventually(async () => {
      const all = await mailsTo(member.email);
      return all.length > 0 ? all : null;
    }, 20_000);
    assert.equal(mails.length, 1, `${member.email}: one notice`);
    const mail = await mailText(mails[0].ID);
    assert.match(mail.Subject, /Entretien terminé : Cand Idate/);
    assert.ok(mail.Text.includes(`/campaigns/${f.campaignId}/sessions/${f.sessionId}`), 'it links to the session');
  }
  await runOutbox();
  assert.equal((await mailsTo(f.manager.email)).length, 1, 'never a second notice');
});

Deno.test('without notifications, completing an interview emails the team nothing', async () => {
  const f = await createInterviewFixture({ questions: 1 });
  await answerAndComplete(f.candidate.accessToken, f.sessionId, f.questionIds[0]);
  await runOutbox();
  await eventually(async () => (await mailsTo(f.candidate.email)).length > 0, 20_000); // the receipt went out
  assert.equal((await mailsTo(f.manager.email)).length, 0);
});

Deno.test('the daily digest emails each member what waits for their rating, once a day, and only the scheduler queues it', async () => {
  const f = await createInterviewFixture({ questions: 1 });
  const on = await f.manager.client.from('campaigns').update({ review_digest: true }).eq('id', f.campaignId)
    .select('review_digest').single();
  assert.equal(on.data?.review_digest, true, JSON.stringify(on.error));
  await answerAndComplete(f.candidate.accessToken, f.sessionId, f.questionIds[0]);

  const asUser = await f.manager.client.rpc('queue_review_digests');
  assert.equal(asUser.status, 403, 'a signed-in user cannot queue digests');
  const queued = await serviceClient().rpc('queue_review_digests');
  assert.equal(queued.error, null, JSON.stringify(queued.error));
  assert.ok(queued.data >= 1);
  const again = await serviceClient().rpc('queue_review_digests');
  assert.equal(again.error, null);
  const [{ digests }] = await superuser((sql) =>
    sql`select count(*)::int as digests from private.email_outbox
         where kind = 'review_digest' and to_email = ${f.manager.email}`
  );
  assert.equal(digests, 1, 'one digest a day, however often the job runs');

  assert.equal((await runOutbox()).status, 200);
  const mails = await eventually(async () => {
    const all = await mailsTo(f.manager.email);
    return all.length > 0 ? all : null;
  }, 20_000);
  const digest = await mailText(mails[0].ID);
  assert.match(digest.Subject, /^1 réponse\(s\) attendent votre évaluation$/);
  assert.match(digest.Text, / » : 1 réponse\(s\) à évaluer/);
  assert.ok(digest.Text.includes('/reviews'));
});
