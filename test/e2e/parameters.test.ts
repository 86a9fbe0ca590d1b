/**
 * The Parameters page in a real browser against `portcullis start`: search and sections,
 * a parameter edited and reverted, each taken by the gateway (its revision in the header,
 * the effect over SMTP), a value the gateway's compiler refuses shown under its field with
 * nothing stored, and the same action replayed with an auditor's cookie refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, open, signIn, type Browser, type Page, isActionRequest, replayAction, sessionCookie, waitForMessage } from '../support/browser.ts';
import { ADMIN, AUDITOR, startConsoleStack, type ConsoleStack } from '../support/console-stack.ts';
import { replyTo } from '../support/smtp-client.ts';
import { createPrismaClient } from '../../server/db/client.ts';
import { loadChangedParameters } from '../../server/config/parameter-store.ts';

let browser: Browser;
let stack: ConsoleStack;
before(async () => {
  browser = await launchBrowser();
  stack = await startConsoleStack();
});
after(async () => {
  await stack?.stop();
  await browser?.close();
});

// MAIL FROM without HELO first: 250, or 503 when smtpd_helo_required = yes.
const mailWithoutHelo = () => replyTo(stack.smtpPort, ['MAIL FROM:<sender@example.org>']);

async function readStored(): Promise<{ parameters: Record<string, string>; latest: number }> {
  const prisma = createPrismaClient(stack.dataDir);
  try {
    const latest = (await prisma.policyRevision.findFirst({ select: { id: true }, orderBy: { id: 'desc' } }))?.id ?? 0;
    return { parameters: await loadChangedParameters(prisma), latest };
  } finally {
    await prisma.$disconnect();
  }
}

async function expectRunning(page: Page, message: string, revision: number): Promise<void> {
  await waitForMessage(page, `${message} as revision ${revision}; the gateway now runs revision ${revision}.`);
  await page.getByTestId('gateway-status').getByText(`policy revision ${revision}`).waitFor();
}

test('the search finds parameters by name and help, and a section narrows the list', async () => {
  const page = await signIn(browser, stack.consoleUrl, AUDITOR);
  await open(page, stack.url('/parameters?q=tempfail'));
  const names = await page.locator('li[data-testid^=parameter-] code').allTextContents();
  assert.deepEqual(names, ['reject_tempfail_action', 'unknown_address_tempfail_action', 'unknown_helo_hostname_tempfail_action']);
  assert.equal(await page.getByRole('button', { name: /^Edit / }).count(), 0, 'an auditor gets no editor');

  await open(page, stack.url('/parameters?group=Reject+codes&q=rbl'));
  assert.deepEqual(await page.locator('li[data-testid^=parameter-] code').allTextContents(), ['maps_rbl_reject_code']);
  // Changed ones come first: the test baseline stores myhostname, mydomain, myorigin, mynetworks.
  await open(page, stack.url('/parameters?group=Identity+and+address+classes'));
  const changed = await page.locator('li[data-testid^=parameter-]').evaluateAll((items) => items.map((li) => /changed$/.test(li.querySelector('p')!.textContent!)));
  assert.deepEqual(changed.slice(0, 5), [true, true, true, true, false]);
  assert.equal(changed.slice(4).includes(true), false);
});

test('smtpd_helo_required set to yes in the browser is taken by the gateway: a client without HELO is refused; reverted, it is not', async () => {
  assert.match(await mailWithoutHelo(), /^250 /);
  const page = await signIn(browser, stack.consoleUrl, ADMIN);
  await open(page, stack.url('/parameters?q=smtpd_helo_required'));
  const item = page.getByTestId('parameter-smtpd_helo_required');
  await item.getByRole('button', { name: 'Edit smtpd_helo_required' }).click();
  await item.getByLabel('New value of smtpd_helo_required').selectOption('yes');
  const revision = (await readStored()).latest + 1;
  await item.getByRole('button', { name: 'Save' }).click();
  await expectRunning(page, 'smtpd_helo_required saved', revision);
  assert.equal((await readStored()).parameters.smtpd_helo_required, 'yes');
  assert.equal(await mailWithoutHelo(), '503 5.5.1 Error: send HELO/EHLO first');

  await item.getByText('changed', { exact: true }).waitFor();
  await item.getByRole('button', { name: 'Revert smtpd_helo_required to its default' }).click();
  await expectRunning(page, 'smtpd_helo_required back to its default', revision + 1);
  assert.equal((await readStored()).parameters.smtpd_helo_required, undefined);
  assert.match(await mailWithoutHelo(), /^250 /);
});

test("a value the gateway's compiler refuses is shown under its field and nothing is stored; the action replayed by an auditor is refused", async () => {
  const stored = await readStored();
  const page = await signIn(browser, stack.consoleUrl, ADMIN);
  await open(page, stack.url('/parameters?q=smtpd_relay_restrictions'));
  const item = page.getByTestId('parameter-smtpd_relay_restrictions');
  await item.getByRole('button', { name: 'Edit smtpd_relay_restrictions' }).click();
  const field = item.getByLabel('New value of smtpd_relay_restrictions');
  await field.fill('permit_mynetworks');
  const captured = page.waitForRequest(isActionRequest);
  await item.getByRole('button', { name: 'Save' }).click();
  const request = await captured;
  await item.locator('#value-smtpd_relay_restrictions-error').getByText(/specify at least one working instance of: reject_unauth_destination/).waitFor();
  assert.equal(await field.inputValue(), 'permit_mynetworks', 'the refused value stays in the field');
  assert.deepEqual(await readStored(), stored);

  const auditor = await signIn(browser, stack.consoleUrl, AUDITOR);
  const replayed = await replayAction(request, await sessionCookie(auditor), (body) => body.replace('permit_mynetworks', 'permit_mynetworks, reject_unauth_destination'));
  assert.match(await replayed.text(), /forbidden: the auditor role may not do this/);
  assert.deepEqual(await readStored(), stored);
});
