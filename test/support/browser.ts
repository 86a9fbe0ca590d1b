/**
 * A real browser for console tests: Debian's Chromium driven by playwright-core (facts.md: the
 * flags that keep it off the network). One browser per test file; a fresh context (no cookies)
 * per test. Exports launchBrowser, open, waitForHydration, signIn, Browser, Page, and for
 * security tests isActionRequest, sessionCookie, replayAction.
 */
import { chromium, type Browser, type Page, type Request } from 'playwright-core';

export type { Browser, Page };

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** launchBrowser - headless Chromium; close it in the file's `after`. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30_000,
  });
}

/**
 * open - go to a console page and wait until React has hydrated it (app/_components/
 * hydration-mark.tsx): a click before that would post a form the old way.
 */
export async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitForHydration(page);
}

/** waitForHydration - after a navigation the test did not make with open(). */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
}

/** signIn - a new page of a new context, signed in through the sign-in form as a user would. */
export async function signIn(browser: Browser, consoleUrl: string, user: { name: string; password: string }, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await open(page, new URL('/login', consoleUrl).href);
  await page.fill('#name', user.name);
  await page.fill('#password', user.password);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => u.pathname === '/');
  await waitForHydration(page);
  return page;
}

/**
 * waitForMessage - wait for a form's result message; when it does not come, the error says what
 * the page's main area showed instead (a refusal, another revision, an unreachable gateway).
 */
export async function waitForMessage(page: Page, text: string): Promise<void> {
  await page.getByText(text).waitFor().catch(async (err: Error) => {
    const shown = await page.evaluate(() => document.body?.innerText ?? '(no body)').catch((e: Error) => `(the page did not answer: ${e.message})`);
    throw new Error(`${err.message}\nthe page at ${page.url()} showed instead:\n${shown.slice(0, 4000)}`);
  });
}

/** isActionRequest - a server action's POST, as the console's forms send it. */
export function isActionRequest(request: Request): boolean {
  return request.method() === 'POST' && request.headers()['next-action'] !== undefined;
}

/** sessionCookie - the value of the console session cookie the page's context holds. */
export async function sessionCookie(page: Page): Promise<string> {
  return (await page.context().cookies()).find((c) => c.name === 'portcullis_session')!.value;
}

/**
 * replayAction - send a captured server-action request again, as an attacker would: with
 * another user's session cookie, or none, and the body changed by `edit` when given.
 */
export function replayAction(request: Request, cookie: string | null, edit: (body: string) => string = (b) => b): Promise<Response> {
  const headers = { ...request.headers() };
  delete headers.cookie;
  if (cookie !== null) headers.cookie = `portcullis_session=${cookie}`;
  const body = Buffer.from(edit(request.postDataBuffer()!.toString('latin1')), 'latin1');
  return fetch(request.url(), { method: 'POST', headers, body, redirect: 'manual' });
}
