// What the browser tests share: Debian's Chromium driven by playwright-core, with a fake camera and microphone, the
// SPA's URL, the invitation email's link, and a screenshot of each test's last screen in tests/e2e/screenshots/.
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { env, eventually, mailsTo, mailText } from '../support.ts';

export const CHROMIUM = Deno.env.get('CHROMIUM_PATH') ?? '/usr/bin/chromium';
const SCREENSHOTS = new URL('./screenshots/', import.meta.url);

/** Flags that work as root on these machines (../shared/PLATFORM.md), plus a fake camera and microphone. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

export const appUrl = (path = '/') => `${env('APP_URL')}${path}`;

export async function launch(extraArgs: string[] = []): Promise<Browser> {
  // playwright-core gives every launch a fresh, temporary profile (--user-data-dir).
  return await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...ARGS, ...extraArgs] });
}

/** A new browser profile (its own storage, so its own signed-in user) with camera and microphone allowed. */
export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1000, height: 900 },
    permissions: ['camera', 'microphone'],
  });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[browser] page error: ${e.message}`));
  return { context, page };
}

/** Runs a browser test; on a failure, every open page is saved as `<name>-failure-<n>.png` to see where it stopped. */
export async function withBrowser(
  name: string,
  test: (browser: Browser) => Promise<void>,
  extraArgs: string[] = [],
): Promise<void> {
  const browser = await launch(extraArgs);
  try {
    await test(browser);
  } catch (error) {
    const pages = browser.contexts().flatMap((c) => c.pages());
    for (const [i, page] of pages.entries()) await screenshot(page, `${name}-failure-${i + 1}`).catch(() => {});
    throw error;
  } finally {
    await browser.close();
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true });
}

/** The link to `path` (`/activate`, `/organizations/join`) in the newest email to `address`, as Mailpit holds it. */
export async function emailLink(address: string, path = '/activate'): Promise<string> {
  const message = await eventually(async () => (await mailsTo(address))[0], 30_000);
  const { Text } = await mailText(message.ID);
  const link = Text.match(new RegExp(`https?://\\S+${path}\\?token=[A-Za-z0-9_%-]+`))?.[0];
  if (!link) throw new Error(`no ${path} link in:\n${Text}`);
  return link;
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(appUrl('/'));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Records a take of about `seconds` with the fake camera and uploads it; waits until the server has submitted it. */
/** Reads the privacy notice and accepts it, as start_interview requires (the first pre-start step). */
export async function acceptPrivacyNotice(page: Page): Promise<void> {
  await page.getByRole('heading', { name: /Privacy notice/ }).waitFor();
  await page.getByLabel(/I have read this privacy notice/).check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();
}

export async function recordAndSubmit(page: Page, seconds = 2): Promise<void> {
  await page.getByRole('button', { name: 'Start recording' }).click();
  await page.getByText('Recording…').waitFor();
  await page.waitForTimeout(seconds * 1000);
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await page.getByRole('button', { name: 'Upload and submit' }).click();
}
