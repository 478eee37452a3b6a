// The whole journey in Chromium, through the reference SPA only (examples/spa): a recruiter signs up, creates a
// campaign with three questions and invites a candidate; the candidate opens the link of the real email in Mailpit,
// activates, records each answer with MediaRecorder (fake camera), uploading it while recording through the
// presigned multipart flow; a colleague, invited into the organization by email and shared on the campaign, plays an
// answer back and rates it; the owner decides; the dashboard counts the completed interview.
import assert from 'node:assert/strict';
import { superuser } from '../fixtures.ts';
import { uniqueEmail } from '../support.ts';
import {
  acceptPrivacyNotice,
  appUrl,
  emailLink,
  newPage,
  recordAndSubmit,
  screenshot,
  withBrowser,
} from './browser.ts';

const PASSWORD = 'a-long-e2e-password-1';

Deno.test({
  name: 'journey: sign-up, campaign, invitation email, recording and upload in Chromium, playback, rating, decision',
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const started = Date.now();
    await withBrowser('journey', async (browser) => {
      // The recruiter signs up and creates a campaign with three questions.
      const recruiter = await newPage(browser);
      const owner = recruiter.page;
      const ownerEmail = uniqueEmail('e2e-owner');
      await owner.goto(appUrl('/signup'));
      await owner.getByLabel('a recruiter').check();
      await owner.getByLabel('First name').fill('Rita');
      await owner.getByLabel('Last name').fill('Cruiter');
      await owner.getByLabel('Company').fill('Acme E2E');
      await owner.getByLabel('Email').fill(ownerEmail);
      await owner.getByLabel('Password').fill(PASSWORD);
      await owner.getByRole('button', { name: 'Create account' }).click();
      await owner.getByRole('heading', { name: 'Campaigns' }).waitFor();

      // A colleague is invited into the recruiter's organization, by email.
      const reviewerEmail = uniqueEmail('e2e-reviewer');
      await owner.getByLabel("Colleague's email").fill(reviewerEmail);
      await owner.getByRole('button', { name: 'Invite colleague' }).click();
      await owner.getByText(`Invitation sent to ${reviewerEmail}.`).waitFor();

      const title = `Backend engineer ${crypto.randomUUID().slice(0, 6)}`;
      await owner.getByLabel('Job title').fill(title);
      await owner.getByRole('button', { name: 'Add a question' }).click();
      await owner.getByRole('button', { name: 'Add a question' }).click();
      for (let i = 1; i <= 3; i++) {
        const question = owner.getByRole('group', { name: `Question ${i}` });
        await question.getByLabel('Prompt').fill(`Question number ${i}?`);
        // Question 1 keeps a thinking time, to see the countdown hold the recording back.
        await question.getByLabel('Thinking time (s)').fill(i === 1 ? '2' : '0');
        await question.getByLabel('Answer time (s)').fill('60');
      }
      await owner.getByRole('button', { name: 'Create campaign' }).click();
      await owner.getByRole('heading', { name: title }).waitFor();
      const campaignId = new URL(owner.url()).pathname.split('/').pop()!;

      // The invitation goes out through the outbox to Mailpit.
      const candidateEmail = uniqueEmail('e2e-candidate');
      await owner.getByLabel('Email').fill(candidateEmail);
      await owner.getByLabel('First name').fill('Cleo');
      await owner.getByLabel('Last name').fill('Candidate');
      await owner.getByRole('button', { name: 'Invite', exact: true }).click();
      await owner.getByText(`Invitation queued for ${candidateEmail}.`).waitFor();
      const link = await emailLink(candidateEmail);
      assert.ok(link.startsWith(appUrl('/activate?token=')), link);

      // The candidate, in a browser profile of their own, activates from the email's link.
      const { page: candidate } = await newPage(browser);
      await candidate.goto(link);
      await candidate.getByRole('heading', { name: title }).waitFor();
      await candidate.getByLabel('Choose a password').fill(PASSWORD);
      await candidate.getByRole('button', { name: 'Activate my account' }).click();
      await acceptPrivacyNotice(candidate);
      await candidate.getByRole('button', { name: 'My camera and microphone work' }).click();
      await candidate.getByRole('button', { name: 'Start the interview' }).click();

      await candidate.getByRole('heading', { name: 'Question 1 of 3' }).waitFor();
      await candidate.getByText('Thinking time: recording opens in').waitFor();
      assert.ok(await candidate.getByRole('button', { name: 'Start recording' }).isDisabled());
      for (let i = 1; i <= 3; i++) {
        await candidate.getByRole('heading', { name: `Question ${i} of 3` }).waitFor();
        await recordAndSubmit(candidate);
        if (i < 3) {
          await candidate.getByText('Answer submitted.').waitFor();
          await candidate.getByRole('button', { name: 'Next question' }).click();
        }
      }
      await candidate.getByRole('heading', { name: 'Interview complete' }).waitFor();
      await screenshot(candidate, 'journey-candidate');

      const takes = await superuser((sql) =>
        sql`select v.status, v.is_submitted, v.content_type, v.size_bytes, v.duration_seconds, s.status as session,
                   m.is_streaming
              from public.video_responses v join public.interview_sessions s on s.id = v.session_id
              left join private.multipart_uploads m on m.response_id = v.id
             where v.campaign_id = ${campaignId}`
      );
      assert.equal(takes.length, 3, 'one take per question, none spent twice');
      for (const take of takes) {
        assert.equal(take.status, 'uploaded');
        assert.equal(take.is_submitted, true);
        assert.match(take.content_type, /^video\/webm/);
        assert.ok(Number(take.size_bytes) > 1000, 'a real recording reached the bucket');
        assert.ok(Number(take.duration_seconds) > 1, `the server read the duration: ${take.duration_seconds}`);
        assert.equal(take.session, 'completed');
        assert.equal(take.is_streaming, true, 'uploaded while recording (method stream)');
      }

      // The colleague signs up, follows the email's link into the organization, and the owner shares the campaign.
      const { page: review } = await newPage(browser);
      await review.goto(appUrl('/signup'));
      await review.getByLabel('a recruiter').check();
      await review.getByLabel('Company').fill('Acme E2E');
      await review.getByLabel('Email').fill(reviewerEmail);
      await review.getByLabel('Password').fill(PASSWORD);
      await review.getByRole('button', { name: 'Create account' }).click();
      await review.getByRole('heading', { name: 'Campaigns' }).waitFor();
      const joinLink = await emailLink(reviewerEmail, '/organizations/join');
      assert.ok(joinLink.startsWith(appUrl('/organizations/join?token=')), joinLink);
      await review.goto(joinLink);
      await review.getByRole('button', { name: 'Join the organization' }).click();
      await review.getByText('You joined the organization.').waitFor();

      await owner.reload();
      await owner.getByRole('button', { name: 'Share as reviewer' }).click();
      await owner.getByText('shared as reviewer').waitFor();

      await review.getByRole('link', { name: 'Review queue' }).click();
      await review.getByRole('link', { name: /Answer submitted/ }).first().click();
      const answer = review.getByRole('article', { name: 'Question number 1?' });
      await answer.getByRole('button', { name: 'Play answer' }).click();
      const video = answer.getByLabel('Answer: Question number 1?');
      // HAVE_CURRENT_DATA: the browser has fetched and decoded the video from the signed URL.
      await review.waitForFunction(
        (el) => (el as unknown as { readyState: number }).readyState >= 2,
        await video.elementHandle(),
        { timeout: 20_000 },
      );
      await answer.getByLabel('4').check();
      await answer.getByLabel('Comment').fill('Clear and concise');
      await answer.getByRole('button', { name: 'Save rating' }).click();
      await answer.getByText('Your rating: 4/5').waitFor();
      await screenshot(review, 'journey-reviewer');

      // The owner decides, and the dashboard counts the completed interview.
      await owner.reload();
      await owner.getByRole('button', { name: 'Refresh' }).click();
      await owner.getByRole('cell', { name: 'completed' }).waitFor();
      await owner.getByRole('link', { name: 'Review', exact: true }).click();
      await owner.getByLabel('Decision', { exact: true }).selectOption('advance');
      await owner.getByRole('button', { name: 'Save decision' }).click();
      await owner.getByText('Decision: advance').waitFor();
      await owner.goto(appUrl(`/campaigns/${campaignId}`));
      await owner.getByTestId('completed').filter({ hasText: '1' }).waitFor();
      const [download] = await Promise.all([
        owner.waitForEvent('download'),
        owner.getByRole('button', { name: 'Export CSV' }).click(),
      ]);
      const csv = await Deno.readTextFile((await download.path())!);
      assert.equal(csv.trim().split('\n').length, 2, `a header and the one candidate:\n${csv}`);
      await screenshot(owner, 'journey');

      const [decision] = await superuser((sql) =>
        sql`select d.decision, (select count(*) from public.evaluations e where e.campaign_id = d.campaign_id) as ratings
              from public.session_decisions d where d.campaign_id = ${campaignId}`
      );
      assert.equal(decision.decision, 'advance');
      assert.equal(Number(decision.ratings), 1);
      console.log(`[e2e] journey took ${((Date.now() - started) / 1000).toFixed(1)}s`);
    });
  },
});
