// The interview in Chromium: a long answer uploaded while it is recorded, and when things go wrong: the network
// drops in the middle of an upload, the page is reloaded in the middle of the interview, and the refusals a candidate must see (an expired link, a deadline passed,
// no takes left). Each case runs the reference SPA (examples/spa) with a fake camera.
import assert from 'node:assert/strict';
import { createInterviewFixture, superuser, withoutTriggers } from '../fixtures.ts';
import { env, uniqueEmail } from '../support.ts';
import { uploads } from '../uploads-support.ts';
import {
  acceptPrivacyNotice,
  appUrl,
  emailLink,
  newPage,
  recordAndSubmit,
  screenshot,
  signIn,
  withBrowser,
} from './browser.ts';
import type { Page } from 'playwright-core';

/** The fixtures' password (tests/support.ts signedInClient). */
const PASSWORD = 'a-long-test-password-1';
const browserTest = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

/** Signs the candidate in and goes through the pre-start steps to the first question. */
async function startInterview(page: Page, email: string, sessionId: string): Promise<void> {
  await signIn(page, email, PASSWORD);
  await page.goto(appUrl(`/interviews/${sessionId}`));
  await acceptPrivacyNotice(page);
  await page.getByRole('button', { name: 'My camera and microphone work' }).click();
  await page.getByRole('button', { name: 'Start the interview' }).click();
}

async function takesOf(sessionId: string) {
  return await superuser((sql) =>
    sql`select question_id, take_number, status, is_submitted from public.video_responses
         where session_id = ${sessionId} order by created_at`
  );
}

browserTest('a network loss in the middle of an upload is recovered without losing the take', async () => {
  const f = await createInterviewFixture({ questions: 2, start: false, reveal: false });
  await withBrowser('interview-network', async (browser) => {
    const { context, page } = await newPage(browser);
    await startInterview(page, f.candidate.email, f.sessionId);
    await page.getByRole('heading', { name: 'Question 1 of 2' }).waitFor();

    // The first part PUT to the bucket dies with the network: the browser goes offline as it leaves.
    let cut = false;
    await context.route(`${env('S3_ENDPOINT')}/**`, async (route) => {
      if (!cut && route.request().method() === 'PUT') {
        cut = true;
        await context.setOffline(true);
        return await route.abort('internetdisconnected');
      }
      await route.continue();
    });
    await recordAndSubmit(page);
    await page.getByText(/Connection lost\. Your recording is kept \(take 1\)/).waitFor();
    assert.ok(cut, 'the upload was cut');
    assert.equal(await page.getByText('Answer submitted.').count(), 0);
    await page.waitForTimeout(1500);
    await context.setOffline(false);

    await page.getByText('Answer submitted.').waitFor({ timeout: 30_000 });
    await screenshot(page, 'interview-network');
    const takes = await takesOf(f.sessionId);
    assert.equal(takes.length, 1, 'the retry resumed the same take instead of spending another');
    assert.equal(takes[0].take_number, 1);
    assert.equal(takes[0].status, 'uploaded');
    assert.equal(takes[0].is_submitted, true);
  });
});

browserTest('a long answer goes up while it is being recorded, one 5 MiB part at a time', async () => {
  const f = await createInterviewFixture({ questions: 1, start: false, reveal: false, answerTimeSeconds: 120 });
  // A camera that films noise: the encoder cannot compress it, so MediaRecorder gives its full bitrate (about
  // 1.8 Mbit/s here) and 5 MiB are recorded in about 25 s.
  const dir = await Deno.makeTempDir();
  const noise = `${dir}/noise.y4m`;
  const made = await new Deno.Command('ffmpeg', {
    args: [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'color=c=gray:s=640x480:r=15,noise=alls=100:allf=t+u',
      '-t',
      '1',
      '-pix_fmt',
      'yuv420p',
      noise,
    ],
  }).output();
  assert.ok(made.success, new TextDecoder().decode(made.stderr));
  try {
    await withBrowser('interview-streaming', async (browser) => {
      const { page } = await newPage(browser);
      await startInterview(page, f.candidate.email, f.sessionId);
      await page.getByRole('heading', { name: 'Question 1 of 1' }).waitFor();
      await page.getByRole('button', { name: 'Start recording' }).click();
      const firstPart = await page.waitForRequest(
        (r) => r.method() === 'PUT' && r.url().startsWith(env('S3_ENDPOINT')),
        { timeout: 90_000 },
      );
      assert.equal(new URL(firstPart.url()).searchParams.get('partNumber'), '1');
      assert.equal(await page.getByText('Recording…').count(), 1, 'the first part went up while still recording');
      await page.getByText(/Uploading take 1 of 3/).waitFor();
      await page.getByRole('button', { name: 'Stop recording' }).click();
      await page.getByRole('button', { name: 'Upload and submit' }).click();
      // The only question: submitting it completes the interview.
      await page.getByRole('heading', { name: 'Interview complete' }).waitFor({ timeout: 60_000 });
      await screenshot(page, 'interview-streaming');
    }, [`--use-file-for-fake-video-capture=${noise}`]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const [take] = await superuser((sql) =>
    sql`select v.status, v.is_submitted, v.size_bytes, m.is_streaming from public.video_responses v
          join private.multipart_uploads m on m.response_id = v.id where v.session_id = ${f.sessionId}`
  );
  assert.equal(take.is_streaming, true);
  assert.equal(take.status, 'uploaded');
  assert.equal(take.is_submitted, true);
  assert.ok(Number(take.size_bytes) > 5 * 1024 * 1024, `more than one part: ${take.size_bytes} bytes`);
});

browserTest('a reload in the middle of an interview resumes where the server says it is', async () => {
  const f = await createInterviewFixture({ questions: 3, start: false, reveal: false });
  await withBrowser('interview-reload', async (browser) => {
    const { page } = await newPage(browser);
    await startInterview(page, f.candidate.email, f.sessionId);
    await page.getByRole('heading', { name: 'Question 1 of 3' }).waitFor();
    await recordAndSubmit(page);
    await page.getByText('Answer submitted.').waitFor();

    await page.reload();
    // Straight back into the interview, on the next question: no start screen, no question 1 again.
    await page.getByRole('heading', { name: 'Question 2 of 3' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Start the interview' }).count(), 0);
    await page.getByText('Takes used: 0 of 3').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Question 2 of 3' }).waitFor();
    await recordAndSubmit(page);
    await page.getByText('Answer submitted.').waitFor();
    await screenshot(page, 'interview-reload');

    const [reveals] = await superuser((sql) =>
      sql`select count(*)::int as n from public.question_reveals where session_id = ${f.sessionId}`
    );
    assert.equal(reveals.n, 2, 'each reload asked for the current question, and revealed nothing more');
    const takes = await takesOf(f.sessionId);
    assert.deepEqual(takes.map((t) => [t.question_id, t.is_submitted]), [
      [f.questionIds[0], true],
      [f.questionIds[1], true],
    ]);
  });
});

browserTest('refusals are shown: an expired link, a deadline passed, no takes left', async () => {
  await withBrowser('refusals', async (browser) => {
    // An invitation link past its expiry.
    const f = await createInterviewFixture({ start: false, reveal: false });
    const email = uniqueEmail('e2e-expired');
    const res = await fetch(`${env('SUPABASE_URL')}/functions/v1/invitations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${f.manager.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ campaign_id: f.campaignId, email, first_name: 'Ex', last_name: 'Pired' }),
    });
    assert.equal(res.status, 201, await res.text());
    const link = await emailLink(email);
    const expired = await superuser((sql) =>
      sql`update private.invitation_tokens t set expires_at = now() - interval '1 minute'
            from public.interview_sessions s
           where s.id = t.session_id and s.invited_email = ${email} returning t.session_id`
    );
    assert.equal(expired.length, 1);
    const first = await newPage(browser);
    await first.page.goto(link);
    await first.page.getByRole('alert').filter({ hasText: 'This invitation link has expired' }).waitFor();
    assert.equal(await first.page.getByRole('button', { name: 'Activate my account' }).count(), 0);
    await screenshot(first.page, 'refusal-expired-link');

    // The deadline passed before the candidate started.
    const late = await createInterviewFixture({ start: false, reveal: false });
    await withoutTriggers((tx) =>
      tx`update public.interview_sessions set deadline = now() - interval '1 minute' where id = ${late.sessionId}`
    );
    const second = await newPage(browser);
    await startInterview(second.page, late.candidate.email, late.sessionId);
    await second.page.getByRole('alert').filter({ hasText: 'The deadline for this interview has passed.' }).waitFor();
    await screenshot(second.page, 'refusal-deadline');

    // Every take of the question is spent: one take allowed, and it was abandoned.
    const spent = await createInterviewFixture({ maxTakes: 1 });
    const grant = await uploads('', {
      token: spent.candidate.accessToken,
      body: {
        session_id: spent.sessionId,
        question_id: spent.questionIds[0],
        content_type: 'video/webm',
        size_bytes: 1000,
        method: 'multipart',
      },
    });
    assert.equal(grant.status, 201, JSON.stringify(grant.body));
    const aborted = await uploads(`/${grant.body.response_id}/multipart`, {
      token: spent.candidate.accessToken,
      method: 'DELETE',
    });
    assert.equal(aborted.status, 200, JSON.stringify(aborted.body));
    const third = await newPage(browser);
    await signIn(third.page, spent.candidate.email, PASSWORD);
    await third.page.goto(appUrl(`/interviews/${spent.sessionId}`));
    await third.page.getByRole('heading', { name: 'Question 1 of 1' }).waitFor();
    await third.page.getByRole('alert').filter({ hasText: 'No takes left for this question.' }).waitFor();
    assert.equal(await third.page.getByRole('button', { name: 'Start recording' }).count(), 0);
    await screenshot(third.page, 'refusal-no-takes');
  });
});
