// Share links through the gateway (issue 14, item 7): an owner or editor shares one session with an outside reviewer
// who has no account; the reviewer watches (and, if allowed, rates once) through POSTs carrying the token; every
// opening is logged for the team; revoked, expired and unknown tokens answer one stable code each; the public
// endpoints are rate-limited. Written as the steps a user or an attacker takes.
import assert from 'node:assert/strict';
import { createInterviewFixture, joinCampaignOrganization, superuser } from './fixtures.ts';
import { env, signedInClient } from './support.ts';
import { download, sendWithGrant, uploads, WEBM } from './uploads-support.ts';

type Fixture = Awaited<ReturnType<typeof createInterviewFixture>>;

/** The candidate records and submits the answer to a revealed question; returns the response id. */
async function answer(token: string, sessionId: string, questionId: string): Promise<string> {
  const grant = await uploads('', {
    token,
    body: { session_id: sessionId, question_id: questionId, content_type: 'video/webm', size_bytes: WEBM.length },
  });
  assert.equal(grant.status, 201, JSON.stringify(grant.body));
  const sent = await sendWithGrant(grant.body, WEBM);
  assert.ok(sent.ok, await sent.text());
  const done = await uploads(`/${grant.body.response_id}/complete`, { token, method: 'POST' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  return grant.body.response_id;
}

/** Two questions, the first answered by the fixture's candidate; a second candidate answered it too. */
async function world() {
  const f = await createInterviewFixture({ questions: 2 });
  const mine = await answer(f.candidate.accessToken, f.sessionId, f.questionIds[0]);
  const other = await f.addCandidate();
  const theirs = await answer(other.candidate.accessToken, other.sessionId, f.questionIds[0]);
  return { f, mine, theirs, otherSessionId: other.sessionId };
}

async function share(f: Fixture, mode: 'playback' | 'playback_and_rating', expiresAt?: string) {
  const { data, error } = await f.manager.client.rpc('create_share_link', {
    p_session_id: f.sessionId,
    p_mode: mode,
    p_label: 'Client: Jane Roe',
    ...(expiresAt ? { p_expires_at: expiresAt } : {}),
  });
  assert.equal(error, null, JSON.stringify(error));
  return data[0] as { id: string; token: string; expires_at: string };
}

/** A public call as the outside reviewer makes it: no authorization, the token in the JSON body. */
function publicCall(path: '/share/open' | '/share/rate', body: unknown) {
  return uploads(path, { body });
}

Deno.test('an owner shares one session: the outside reviewer, without an account, watches exactly its submitted answers, and the team sees the view', async () => {
  const { f, mine, theirs } = await world();
  const link = await share(f, 'playback');
  assert.match(link.token, /^[A-Za-z0-9_-]{43}$/, 'the token is returned once, on creation');

  // The team's list (PostgREST, under RLS) never carries the token.
  const listed = await f.manager.client.from('share_links').select('*').eq('session_id', f.sessionId);
  assert.equal(listed.error, null);
  assert.equal(listed.data?.length, 1);
  assert.ok(!JSON.stringify(listed.data).includes(link.token), 'the token is not readable afterwards');

  // Opening the link's page (a GET) consumes and logs nothing: only the page's POST does.
  const landing = await fetch(`${env('SUPABASE_URL')}/functions/v1/uploads/share/open?token=${link.token}`);
  assert.ok(landing.status === 404 || landing.status === 405, `GET answered ${landing.status}`);
  await landing.body?.cancel();

  const opened = await publicCall('/share/open', { token: link.token });
  assert.equal(opened.status, 200, JSON.stringify(opened.body));
  assert.equal(opened.body.link.mode, 'playback');
  assert.equal(opened.body.candidate.first_name, 'Cand');
  assert.deepEqual(
    opened.body.answers.map((a: { response_id: string }) => a.response_id),
    [mine],
    "only the shared session's submitted answer, never the other candidate's",
  );
  assert.ok(!JSON.stringify(opened.body).includes(theirs));
  assert.ok(!('object_key' in opened.body.answers[0]), 'no storage key leaves the function');
  const left = Date.parse(opened.body.answers[0].playback.expires_at) - Date.now();
  assert.ok(left > 0 && left <= 900_000, `the playback URL is short-lived (${left} ms)`);
  assert.deepEqual(await download(opened.body.answers[0].playback.url), WEBM, 'the URL plays the submitted take');

  // The team reads the view log: one view (the GET left no row), with what was handed out.
  const views = await f.manager.client.from('share_link_views').select('share_link_id, viewed_at, response_ids')
    .eq('session_id', f.sessionId);
  assert.equal(views.error, null);
  assert.equal(views.data?.length, 1, 'one view: the POST, not the GET');
  assert.equal(views.data?.[0].share_link_id, link.id);
  assert.deepEqual(views.data?.[0].response_ids, [mine]);

  // The candidate and a stranger see neither links nor views.
  const stranger = await signedInClient({ role: 'hiring_manager' });
  for (const outsider of [f.candidate.client, stranger.client]) {
    const l = await outsider.from('share_links').select('id').eq('session_id', f.sessionId);
    const v = await outsider.from('share_link_views').select('id').eq('session_id', f.sessionId);
    assert.deepEqual([l.data, v.data], [[], []]);
  }
});

Deno.test('through a rating link the outside reviewer rates each answer once; the rating is final, apart from evaluations, and blind for reviewers', async () => {
  const { f, mine, theirs } = await world();
  const rating = await share(f, 'playback_and_rating');
  const watching = await share(f, 'playback');

  const refused = await publicCall('/share/rate', { token: watching.token, response_id: mine, score: 4 });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'share_link_read_only');

  const elsewhere = await publicCall('/share/rate', { token: rating.token, response_id: theirs, score: 4 });
  assert.equal(elsewhere.status, 404, "another session's answer does not exist behind this link");
  assert.equal(elsewhere.body.error.code, 'response_not_found');

  const outOfRange = await publicCall('/share/rate', { token: rating.token, response_id: mine, score: 9 });
  assert.equal(outOfRange.status, 400);
  assert.equal(outOfRange.body.error.code, 'validation_failed');

  const rated = await publicCall('/share/rate', { token: rating.token, response_id: mine, score: 5, comment: 'Sharp' });
  assert.equal(rated.status, 201, JSON.stringify(rated.body));
  assert.equal(rated.body.score, 5);
  const again = await publicCall('/share/rate', { token: rating.token, response_id: mine, score: 1 });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'share_link_already_rated');

  const back = await publicCall('/share/open', { token: rating.token });
  assert.equal(back.body.answers[0].rating.score, 5, 'the outside reviewer sees their own rating');

  // The owner reads it apart from evaluations; the team's evaluations are untouched.
  const byLink = await f.manager.client.from('share_link_ratings').select('score, comment, share_link_id')
    .eq('response_id', mine);
  assert.deepEqual(byLink.data, [{ score: 5, comment: 'Sharp', share_link_id: rating.id }]);
  const evaluations = await f.manager.client.from('evaluations').select('id').eq('response_id', mine);
  assert.deepEqual(evaluations.data, []);

  // A campaign reviewer does not see it before rating the answer themselves (blind review), then does.
  const reviewer = await signedInClient({ role: 'hiring_manager' });
  await joinCampaignOrganization(f.campaignId, reviewer.userId);
  const added = await f.manager.client.from('campaign_collaborators')
    .insert({ campaign_id: f.campaignId, user_id: reviewer.userId, role: 'reviewer' });
  assert.equal(added.error, null, JSON.stringify(added.error));
  const blind = await reviewer.client.from('share_link_ratings').select('score').eq('response_id', mine);
  assert.deepEqual(blind.data, [], 'blind until they rate');
  const own = await reviewer.client.from('evaluations').insert({ response_id: mine, score: 3 });
  assert.equal(own.error, null, JSON.stringify(own.error));
  const seen = await reviewer.client.from('share_link_ratings').select('score').eq('response_id', mine);
  assert.deepEqual(seen.data, [{ score: 5 }]);
  const change = await reviewer.client.from('evaluations').update({ score: 5 }).eq('response_id', mine).select();
  assert.equal(change.error?.message, 'score_final', "having read the link's score, the reviewer cannot change theirs");
});

Deno.test('unknown, revoked and expired tokens each answer one stable code, and no input gives a 5xx', async () => {
  const { f } = await world();
  const unknown = await publicCall('/share/open', { token: 'A'.repeat(43) });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, 'share_link_not_found');

  const revoked = await share(f, 'playback_and_rating');
  const { error: revokeError } = await f.manager.client.rpc('revoke_share_link', { p_share_link_id: revoked.id });
  assert.equal(revokeError, null, JSON.stringify(revokeError));
  for (const path of ['/share/open', '/share/rate'] as const) {
    const res = await publicCall(path, { token: revoked.token, response_id: crypto.randomUUID(), score: 3 });
    assert.equal(res.status, 410, `${path}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, 'share_link_revoked');
  }

  const expired = await share(f, 'playback');
  await superuser((sql) =>
    sql`update public.share_links set created_at = now() - interval '8 days', expires_at = now() - interval '1 day'
         where id = ${expired.id}`
  );
  const late = await publicCall('/share/open', { token: expired.token });
  assert.equal(late.status, 410);
  assert.equal(late.body.error.code, 'share_link_expired');

  const tooLong = await f.manager.client.rpc('create_share_link', {
    p_session_id: f.sessionId,
    p_expires_at: new Date(Date.now() + 31 * 86_400_000).toISOString(),
  });
  assert.equal(tooLong.status, 400);
  assert.equal(tooLong.error?.message, 'share_link_expiry_out_of_range');

  const bodies: unknown[] = [{}, { token: '' }, { token: 42 }, { token: 'x'.repeat(10_000) }, [], null, 'token'];
  for (const path of ['/share/open', '/share/rate'] as const) {
    for (const body of bodies) {
      const res = await publicCall(path, body);
      assert.equal(res.status, 400, `${path} ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const res = await publicCall(path, { token: 'x', response_id: 'not-a-uuid', score: 1 });
    assert.ok(res.status < 500 && res.status >= 400, `${path}: ${res.status}`);
  }
  const notJson = await fetch(`${env('SUPABASE_URL')}/functions/v1/uploads/share/open`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"token":',
  });
  assert.equal(notJson.status, 400);
  await notJson.body?.cancel();
});

Deno.test('only owners and editors share or revoke; a reviewer is refused, a stranger and the candidate are told the session does not exist', async () => {
  const { f } = await world();
  const [reviewer, editor, stranger] = await Promise.all([
    signedInClient({ role: 'hiring_manager' }),
    signedInClient({ role: 'hiring_manager' }),
    signedInClient({ role: 'hiring_manager' }),
  ]);
  await joinCampaignOrganization(f.campaignId, reviewer.userId, editor.userId);
  const added = await f.manager.client.from('campaign_collaborators').insert([
    { campaign_id: f.campaignId, user_id: reviewer.userId, role: 'reviewer' },
    { campaign_id: f.campaignId, user_id: editor.userId, role: 'editor' },
  ]);
  assert.equal(added.error, null, JSON.stringify(added.error));

  const asReviewer = await reviewer.client.rpc('create_share_link', { p_session_id: f.sessionId });
  assert.equal(asReviewer.status, 403);
  assert.equal(asReviewer.error?.message, 'share_link_needs_editor');
  for (const outsider of [stranger, f.candidate]) {
    const res = await outsider.client.rpc('create_share_link', { p_session_id: f.sessionId });
    assert.equal(res.status, 404);
    assert.equal(res.error?.message, 'session_not_found');
  }

  const { data, error } = await editor.client.rpc('create_share_link', { p_session_id: f.sessionId });
  assert.equal(error, null, JSON.stringify(error));
  const link = data[0];
  const reviewerRevoke = await reviewer.client.rpc('revoke_share_link', { p_share_link_id: link.id });
  assert.equal(reviewerRevoke.status, 403);
  const strangerRevoke = await stranger.client.rpc('revoke_share_link', { p_share_link_id: link.id });
  assert.equal(strangerRevoke.status, 404);
  assert.equal(strangerRevoke.error?.message, 'share_link_not_found');
  const stillOpen = await publicCall('/share/open', { token: link.token });
  assert.equal(stillOpen.status, 200, 'refused revocations changed nothing');

  // Nobody writes the tables directly, not even the owner.
  const forged = await f.manager.client.from('share_links')
    .update({ expires_at: new Date(Date.now() + 90 * 86_400_000).toISOString() }).eq('id', link.id);
  assert.equal(forged.status, 403, JSON.stringify(forged));
  const owners = await f.manager.client.rpc('revoke_share_link', { p_share_link_id: link.id });
  assert.equal(owners.error, null);
  assert.ok(owners.data.revoked_at);
  const trail = await f.manager.client.from('audit_log').select('action').eq('entity_id', f.sessionId)
    .like('action', 'share_link.%');
  assert.deepEqual(trail.data?.map((r) => r.action).sort(), ['share_link.created', 'share_link.revoked']);
});

// Last in this file: it fills the per-address counter of the share endpoints for ten minutes.
Deno.test('the public share endpoints are rate-limited per address: 429 too_many_attempts with Retry-After, whatever X-Forwarded-For says', async () => {
  let limited: Response | undefined;
  for (let i = 0; i < 70 && !limited; i++) {
    const res = await fetch(`${env('SUPABASE_URL')}/functions/v1/uploads/share/open`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: `guess-${i}` }),
    });
    if (res.status === 429) limited = res;
    else assert.equal(res.status, 404, `attempt ${i}: ${res.status}`);
    await res.body?.cancel();
  }
  assert.ok(limited, 'a guesser is stopped within 60 attempts');
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  const forged = await fetch(`${env('SUPABASE_URL')}/functions/v1/uploads/share/open`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
    body: JSON.stringify({ token: 'guess-forged' }),
  });
  assert.equal(forged.status, 429, 'an address the client writes itself is not the one counted');
  const body = await forged.json();
  assert.equal(body.error.code, 'too_many_attempts');
});
