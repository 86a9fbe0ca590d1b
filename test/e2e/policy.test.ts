/**
 * The Policy page in a real browser against `portcullis start`: restriction steps reordered
 * with the keyboard and by dragging, saved as one revision the gateway takes, and the order
 * seen over SMTP; a bad step refused before saving, next to the step; a restriction class
 * removed with its definition; an auditor who sees the lists read-only and whose replayed save
 * action changes nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, open, signIn, type Browser, type Page, isActionRequest, replayAction, sessionCookie, waitForMessage } from '../support/browser.ts';
import { ADMIN, AUDITOR, startConsoleStack, type ConsoleStack } from '../support/console-stack.ts';
import { replyTo } from '../support/smtp-client.ts';
import { createPrismaClient } from '../../server/db/client.ts';
import { loadChangedParameters } from '../../server/config/parameter-store.ts';

const RECIPIENT_LIST = 'permit_mynetworks, check_client_access hash:clients, reject_unauth_destination';

let browser: Browser;
let stack: ConsoleStack;
before(async () => {
  browser = await launchBrowser();
  stack = await startConsoleStack({
    parameters: {
      smtpd_recipient_restrictions: RECIPIENT_LIST,
      // Two classes: one that smtpd_client_restrictions names, one that nothing names.
      smtpd_restriction_classes: 'named_class, unused_class',
      named_class: 'permit_mynetworks',
      unused_class: 'reject_unauth_destination',
      smtpd_client_restrictions: 'named_class',
    },
    tables: { clients: { kind: 'exact', source: '127.0.0.1 REJECT listed in the clients table\n' } },
  });
});
after(async () => {
  await stack?.stop();
  await browser?.close();
});

// The RCPT reply for a client in mynetworks (127.0.0.1) that the clients table lists.
const rcptReply = () => replyTo(stack.smtpPort, ['EHLO client.example', 'MAIL FROM:<sender@example.org>', 'RCPT TO:<someone@example.net>']);

async function readStored(): Promise<{ parameters: Record<string, string>; revisions: number }> {
  const prisma = createPrismaClient(stack.dataDir);
  try {
    return { parameters: await loadChangedParameters(prisma), revisions: await prisma.policyRevision.count() };
  } finally {
    await prisma.$disconnect();
  }
}

// Save, and wait until the page says the gateway runs the new revision, in the message and in the header.
async function save(page: Page): Promise<number> {
  await page.getByText('the gateway would accept this').waitFor();
  const revision = (await readLatestRevision()) + 1;
  await page.click('text=Save policy');
  await waitForMessage(page, `Saved as revision ${revision}; the gateway now runs revision ${revision}.`);
  await page.getByTestId('gateway-status').getByText(`policy revision ${revision}`).waitFor();
  return revision;
}

async function readLatestRevision(): Promise<number> {
  const prisma = createPrismaClient(stack.dataDir);
  try {
    return (await prisma.policyRevision.findFirst({ select: { id: true }, orderBy: { id: 'desc' } }))?.id ?? 0;
  } finally {
    await prisma.$disconnect();
  }
}

const stepNames = (page: Page, list: string) =>
  page.locator(`[data-testid=list-${list}] li p.font-mono span.font-semibold`).allTextContents();

test('the order of the steps decides: check_client_access moved above permit_mynetworks rejects with the table text, dragged back it accepts', async () => {
  assert.match(await rcptReply(), /^250 /);
  const page = await signIn(browser, stack.consoleUrl, ADMIN);
  await open(page, stack.url('/policy'));
  assert.deepEqual(await stepNames(page, 'smtpd_recipient_restrictions'), ['permit_mynetworks', 'check_client_access', 'reject_unauth_destination']);

  // Keyboard: the move button keeps focus on the moved step, and the move is announced.
  await page.focus('[aria-label="Move check_client_access up"]');
  await page.keyboard.press('Enter');
  await page.getByTestId('announcement').getByText('check_client_access moved to position 1 of 3 in smtpd_recipient_restrictions').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Move check_client_access down');
  assert.deepEqual(await stepNames(page, 'smtpd_recipient_restrictions'), ['check_client_access', 'permit_mynetworks', 'reject_unauth_destination']);
  const first = await save(page);
  assert.equal((await readStored()).parameters.smtpd_recipient_restrictions, 'check_client_access hash:clients, permit_mynetworks, reject_unauth_destination');
  assert.match(await rcptReply(), /^554 5\.7\.1 <[^>]*\[127\.0\.0\.1\]>: Client host rejected: listed in the clients table$/);

  // Drag and drop: the first step dropped on the second.
  await page.getByTestId('step-smtpd_recipient_restrictions-1').dragTo(page.getByTestId('step-smtpd_recipient_restrictions-2'));
  assert.deepEqual(await stepNames(page, 'smtpd_recipient_restrictions'), ['permit_mynetworks', 'check_client_access', 'reject_unauth_destination']);
  const second = await save(page);
  assert.equal(second, first + 1);
  assert.match(await rcptReply(), /^250 /);
});

test('a step the gateway would refuse is shown next to that step before saving, and Save stays off', async () => {
  const page = await signIn(browser, stack.consoleUrl, ADMIN);
  await open(page, stack.url('/policy'));
  const before = await readStored();
  await page.click('[aria-label="Add a step to smtpd_sender_restrictions"]');
  await page.selectOption('#smtpd_sender_restrictions-add-name', 'check_sender_access');
  await page.selectOption('#smtpd_sender_restrictions-add-table', '');
  await page.fill('#smtpd_sender_restrictions-add-argument', 'hash:no_such_table');
  await page.click('[data-testid=smtpd_sender_restrictions-picker] >> text=Add step');
  const step = page.getByTestId('step-smtpd_sender_restrictions-1');
  await step.getByRole('alert').getByText(/no_such_table/).waitFor();
  await page.getByTestId('draft-status').getByText('1 problem: fix before saving.').waitFor();
  assert.equal(await page.locator('button', { hasText: 'Save policy' }).isDisabled(), true);

  // The warn_if_reject toggle is part of the step: the error stays placed on it.
  await step.getByLabel(/warn_if_reject/).check();
  await step.getByText('warn_if_reject', { exact: true }).waitFor();
  await step.getByRole('alert').getByText(/no_such_table/).waitFor();
  await step.getByRole('button', { name: 'Remove check_sender_access' }).click();
  await page.getByTestId('draft-status').getByText('No unsaved changes.').waitFor();
  assert.deepEqual(await readStored(), before);
});

test('a restriction class is removed with its definition in one revision, and not while a list still names it', async () => {
  const page = await signIn(browser, stack.consoleUrl, ADMIN);
  await open(page, stack.url('/policy'));
  await page.click('[aria-label="Remove class named_class"]');
  await page.getByTestId('announcement').getByText(/restriction class named_class removed/).waitFor();
  await page.getByTestId('step-smtpd_client_restrictions-1').getByRole('alert').getByText(/unknown smtpd restriction/).waitFor();
  assert.equal(await page.locator('button', { hasText: 'Save policy' }).isDisabled(), true);
  await page.click('text=Discard');
  await page.getByTestId('list-named_class').waitFor();

  await page.click('[aria-label="Remove class unused_class"]');
  assert.equal(await page.getByTestId('list-unused_class').count(), 0);
  await save(page);
  const { parameters } = await readStored();
  assert.equal(parameters.smtpd_restriction_classes, 'named_class');
  assert.equal(parameters.named_class, 'permit_mynetworks');
  assert.equal('unused_class' in parameters, false);
  assert.match(await rcptReply(), /^250 /);
});

test("an auditor sees the lists without controls, and the admin's save replayed with the auditor's cookie changes nothing", async () => {
  const auditor = await signIn(browser, stack.consoleUrl, AUDITOR);
  await open(auditor, stack.url('/policy'));
  assert.deepEqual(await stepNames(auditor, 'smtpd_recipient_restrictions'), ['permit_mynetworks', 'check_client_access', 'reject_unauth_destination']);
  assert.equal(await auditor.locator('button', { hasText: /Save policy|Add step|Remove/ }).count(), 0);

  const admin = await signIn(browser, stack.consoleUrl, ADMIN);
  await open(admin, stack.url('/policy'));
  await admin.getByTestId('step-smtpd_recipient_restrictions-2').getByLabel(/warn_if_reject/).check();
  await admin.getByText('the gateway would accept this').waitFor();
  const captured = admin.waitForRequest((r) => isActionRequest(r) && (r.postData() ?? '').includes('warn_if_reject check_client_access'));
  await save(admin);
  const request = await captured;
  const stored = await readStored();
  assert.match(stored.parameters.smtpd_recipient_restrictions, /warn_if_reject check_client_access/);

  // The same action, asking to drop the warn_if_reject again, with the auditor's session.
  const replayed = await replayAction(request, await sessionCookie(auditor), (body) => body.replace('warn_if_reject check_client_access', 'check_client_access'));
  assert.match(await replayed.text(), /forbidden: the auditor role may not do this/);
  assert.deepEqual(await readStored(), stored);
});
