/**
 * The Transcripts and Log search pages in a real browser: a client outside mynetworks is
 * refused relay over real SMTP; its transcript opens line by line with the refused line, the
 * command it answered and the rule that fired; the log search finds the reject line.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, open, signIn, type Browser } from '../support/browser.ts';
import { AUDITOR, startConsoleStack, type ConsoleStack } from '../support/console-stack.ts';
import { SmtpClient } from '../support/smtp-client.ts';

let browser: Browser;
let stack: ConsoleStack;

before(async () => {
  browser = await launchBrowser();
  stack = await startConsoleStack({ parameters: { mynetworks: '127.0.0.1/32' } });
  const c = await SmtpClient.connect(stack.smtpPort, { localAddress: '127.0.0.2' });
  await c.read();
  await c.command('EHLO outsider.example.net');
  assert.equal((await c.command('MAIL FROM:<spammer@outsider.example.net>')).code, 250);
  const refused = await c.command('RCPT TO:<victim@elsewhere.example>');
  assert.equal(refused.lines[0], '454 4.7.1 <victim@elsewhere.example>: Relay access denied');
  await c.command('QUIT');
  c.close();
});

after(async () => {
  await browser.close();
  await stack.stop();
});

test('the refused session is listed and opens with the refused line, its command and the rule highlighted', async () => {
  const page = await signIn(browser, stack.consoleUrl, AUDITOR);
  // The gateway writes transcripts in batches; the list shows it within a moment.
  for (let i = 0; i < 50; i++) {
    await open(page, stack.url('/transcripts?client=127.0.0.2'));
    if (await page.getByRole('link', { name: /UTC$/ }).count()) break;
    await page.waitForTimeout(200);
  }
  await page.getByText('defer_unauth_destination').first().waitFor();
  await page.getByRole('link', { name: /UTC$/ }).first().click();
  await page.waitForURL(/\/transcripts\/\d+$/);
  assert.equal(await page.getByTestId('transcript-restriction').textContent(), 'defer_unauth_destination');
  const refused = page.locator('li[data-mark=refused]');
  assert.match(await refused.textContent() ?? '', /454 4\.7\.1 <victim@elsewhere\.example>: Relay access denied.*refused by defer_unauth_destination/);
  assert.match(await page.locator('li[data-mark=command]').textContent() ?? '', /C:RCPT TO:<victim@elsewhere\.example>/);
});

test('filters that match nothing say so', async () => {
  const page = await signIn(browser, stack.consoleUrl, AUDITOR);
  await open(page, stack.url('/transcripts?client=203.0.113.99'));
  await page.getByText('No transcript matches these filters').waitFor();
});

test('the log search finds the reject line by client and shows the client field error for a bad query', async () => {
  const page = await signIn(browser, stack.consoleUrl, AUDITOR);
  await open(page, stack.url('/log'));
  await page.fill('#l-client', '[127.0.0.2]');
  await page.click('button:has-text("Search")');
  await page.getByText(/reject: RCPT from \S+\[127\.0\.0\.2\]: 454 4\.7\.1 <victim@elsewhere\.example>: Relay access denied/).waitFor();

  await page.fill('#l-queueId', 'not/a/queue/id');
  await page.click('button:has-text("Search")');
  await page.locator('#l-queueId-error').waitFor();
});
