// Auth in Chromium through the reference SPA: a forgotten password is reset from GoTrue's own email, and the new
// password then signs in.
import assert from 'node:assert/strict';
import { eventually, mailsTo, mailText, signedInClient } from '../support.ts';
import { appUrl, newPage, screenshot, signIn, withBrowser } from './browser.ts';

Deno.test({
  name: "password reset: GoTrue's email links back to the SPA, which sets the new password",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const user = await signedInClient({ role: 'candidate' });
    await withBrowser('password-reset', async (browser) => {
      const { page } = await newPage(browser);
      await page.goto(appUrl('/reset-password'));
      await page.getByLabel('Email').fill(user.email);
      await page.getByRole('button', { name: 'Send the reset link' }).click();
      await page.getByText('an email with a link is on its way').waitFor();

      const message = await eventually(async () => (await mailsTo(user.email))[0], 30_000);
      const { Text, HTML } = await mailText(message.ID);
      const link = (Text || HTML).match(/https?:\/\/[^\s"<>]+\/auth\/v1\/verify\?[^\s"<>]+/)?.[0]?.replaceAll(
        '&amp;',
        '&',
      );
      assert.ok(link, `a verify link in: ${Text || HTML}`);
      assert.ok(new URL(link).searchParams.get('redirect_to')?.startsWith(appUrl('/update-password')), link);

      await page.goto(link);
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      await page.getByLabel('New password').fill('a-brand-new-password-2');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Your password is changed.').waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();

      await signIn(page, user.email, 'a-brand-new-password-2');
      await page.getByText('No interviews yet.').waitFor();
      await screenshot(page, 'password-reset');
    });
  },
});
