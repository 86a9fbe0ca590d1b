/**
 * The Queue page in a real browser against `portcullis start`: a message held by a HOLD action
 * over real SMTP is listed in hold/, released in the browser and then arrives at the next hop
 * (a loopback sink named by relayhost) once flushed; the message view shows its envelope and headers and
 * deletes it; an auditor's replayed queue action is refused and changes nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, open, replayAction, sessionCookie, signIn, type Browser } from '../support/browser.ts';
import type { Request } from 'playwright-core';
import { ADMIN, AUDITOR, startConsoleStack, type ConsoleStack } from '../support/console-stack.ts';
import { SmtpClient, dataWire } from '../support/smtp-client.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';

let browser: Browser;
let stack: ConsoleStack;
let sink: SmtpSink;

before(async () => {
  browser = await launchBrowser();
  sink = await startSmtpSink();
  stack = await startConsoleStack({
    parameters: { relayhost: `[127.0.0.1]:${sink.port}`, smtpd_sender_restrictions: 'check_sender_access hash:senders' },
    tables: { senders: { kind: 'exact', source: 'held@example.org HOLD\n' } },
  });
});

after(async () => {
  await browser.close();
  await stack.stop();
  await sink.stop();
});

async function sendHeld(subject: string): Promise<string> {
  const c = await SmtpClient.connect(stack.smtpPort);
  await c.read();
  await c.command('EHLO client.example.org');
  await c.command('MAIL FROM:<held@example.org>');
  await c.command('RCPT TO:<someone@example.org>');
  await c.command('DATA');
  const done = await c.command(dataWire(`Subject: ${subject}\nFrom: held@example.org\n\nhello\n`).replace(/\r\n$/, ''));
  await c.command('QUIT');
  c.close();
  assert.equal(done.code, 250);
  return /queued as ([0-9A-F]+)/.exec(done.text)![1];
}

function held(): string[] {
  return fs.readdirSync(path.join(stack.dataDir, 'queue', 'hold'));
}

test('a held message is released in the browser and, flushed, delivered to the next hop', async () => {
  const id = await sendHeld('release me');
  assert.deepEqual(held(), [id]);
  const page = await signIn(browser, stack.consoleUrl, ADMIN);
  await open(page, stack.url('/queue'));
  assert.equal(await page.getByTestId('queue-count-hold').textContent(), '1');
  const row = page.getByTestId(`queue-row-${id}`);
  assert.match(await row.textContent() ?? '', /hold.*<held@example\.org>.*someone@example\.org/);
  await page.getByLabel(`Select ${id}`).check();
  await page.getByRole('button', { name: 'Release' }).click();
  await page.getByText('Released from hold: 1 message').waitFor();
  // As postsuper -H: released mail waits in deferred/ for the next queue run; flush runs it now.
  await page.getByRole('button', { name: 'Flush deferred mail' }).click();
  await page.getByText(/Flushed: 1 deferred message/).waitFor();
  const [message] = await sink.waitFor(1, 20_000).catch((err: Error) => {
    throw new Error(`${err.message}\n${fs.readFileSync(path.join(stack.dataDir, 'log', 'maillog'), 'utf8')}`);
  });
  assert.match(message.content, /Subject: release me/);
  assert.deepEqual(held(), []);
});

test('an auditor sees the queue without actions, and the delete action replayed with its cookie is refused', async () => {
  const id = await sendHeld('stay held');
  const auditor = await signIn(browser, stack.consoleUrl, AUDITOR);
  await open(auditor, stack.url('/queue'));
  await auditor.getByTestId(`queue-row-${id}`).waitFor();
  assert.equal(await auditor.getByLabel(`Select ${id}`).count(), 0);

  // The admin's real delete request, stopped before it reaches the console.
  const admin = await signIn(browser, stack.consoleUrl, ADMIN);
  await open(admin, stack.url('/queue'));
  await admin.getByLabel(`Select ${id}`).check();
  let request: Request | null = null;
  await admin.route('**/queue', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    request = route.request();
    await route.abort();
  });
  admin.once('dialog', (d) => void d.accept());
  await admin.getByRole('button', { name: 'Delete' }).click();
  for (let i = 0; i < 100 && !request; i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(request, 'the delete request was not sent');

  const asAuditor = await replayAction(request, await sessionCookie(auditor));
  assert.match(await asAuditor.text(), /forbidden: the auditor role may not do this/);
  assert.ok(held().includes(id), 'the auditor deleted the message');
  const asAdmin = await replayAction(request, await sessionCookie(admin));
  assert.match(await asAdmin.text(), /Deleted: 1 message/);
  assert.ok(!held().includes(id));
});

test('the message view shows envelope and headers, and deletes the message after a confirmation', async () => {
  const id = await sendHeld('delete me');
  const page = await signIn(browser, stack.consoleUrl, ADMIN);
  await open(page, stack.url(`/queue/${id}`));
  await page.getByText('<held@example.org>').first().waitFor();
  await page.getByText('Subject: delete me').waitFor();
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.waitForURL((u) => u.pathname === '/queue');
  await page.getByText(`Deleted ${id}.`).waitFor();
  assert.ok(!held().includes(id));
});
