/**
 * The Simulator and History pages in a real browser against `portcullis start`: an auditor
 * simulates a session and sees the restriction that decides it (live, then a draft), and an
 * administrator restores an older revision, which the gateway's next SMTP session obeys.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchBrowser, open, signIn, type Browser, isActionRequest, replayAction, sessionCookie } from '../support/browser.ts';
import { ADMIN, AUDITOR, startConsoleStack, type ConsoleStack } from '../support/console-stack.ts';
import { SmtpClient, replyTo } from '../support/smtp-client.ts';
import { createPrismaClient } from '../../server/db/client.ts';
import { openTableStore } from '../../server/maps/table-store.ts';

let browser: Browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

// The RCPT reply to a session from 127.0.0.1 (in mynetworks) with this sender.
function rcptReply(port: number, sender: string): Promise<string> {
  return replyTo(port, ['EHLO client.example.org', `MAIL FROM:<${sender}>`, 'RCPT TO:<b@example.net>']);
}

// The gateway takes a stored change within a second (data_version); wait for the reply to move.
async function waitForRcptReply(port: number, sender: string, want: RegExp): Promise<string> {
  let last = '';
  for (let waited = 0; waited < 10_000; waited += 250) {
    last = await rcptReply(port, sender);
    if (want.test(last)) return last;
    await sleep(250);
  }
  return last;
}

describe('simulator', () => {
  let stack: ConsoleStack;
  before(async () => {
    stack = await startConsoleStack({
      parameters: { mynetworks: '127.0.0.1/32', smtpd_client_restrictions: 'permit_mynetworks, check_client_access cidr:blocked' },
      tables: { blocked: { kind: 'cidr', source: '192.0.2.0/24 REJECT Blocked by the simulator test\n' } },
    });
  });
  after(async () => { await stack.stop(); });

  test('an auditor simulates a session and sees the deciding restriction, its table key and the reply', async () => {
    const page = await signIn(browser, stack.consoleUrl, AUDITOR);
    await open(page, stack.url('/simulator'));
    await page.fill('#clientAddress', '192.0.2.10');
    await page.fill('#clientName', 'unknown');
    await page.fill('#helo', 'mail.example.org');
    await page.fill('#sender', 'someone@example.org');
    await page.fill('#recipients', 'b@example.net');
    const captured = page.waitForRequest(isActionRequest);
    await page.click('button:has-text("Simulate")');
    const verdict = page.getByTestId('simulation-verdict');
    await verdict.getByText('Refused at').waitFor();
    assert.match(await verdict.textContent() ?? '', /Refused at RCPT TO:<b@example\.net>/);
    assert.match(await verdict.textContent() ?? '', /554 5\.7\.1 <unknown\[192\.0\.2\.10\]>: Client host rejected: Blocked by the simulator test/);
    const decided = page.locator('[data-decided=yes]');
    assert.equal(await decided.count(), 1);
    assert.match(await decided.textContent() ?? '', /check_client_access.*cidr:blocked/);
    assert.match(await decided.textContent() ?? '', /192\.0\.2\.10 REJECT Blocked by the simulator test|192\.0\.2\.0\/24/);
    assert.match(await page.locator('pre').first().textContent() ?? '', /NOQUEUE: reject: RCPT from unknown\[192\.0\.2\.10\]: 554 5\.7\.1/);

    // The same action without a session answers nothing of the policy.
    const anonymous = await replayAction(await captured, null);
    const text = await anonymous.text();
    assert.ok(anonymous.status !== 200 || /your session has ended/.test(text), `${anonymous.status} ${text.slice(0, 200)}`);
    assert.doesNotMatch(text, /Blocked by the simulator test/);
  });

  test('a draft without the client table, run with Ctrl+Enter, accepts the same session', async () => {
    const page = await signIn(browser, stack.consoleUrl, AUDITOR);
    await open(page, stack.url('/simulator'));
    await page.fill('#clientAddress', '192.0.2.10');
    await page.fill('#clientName', 'unknown');
    await page.fill('#recipients', 'postmaster@mx.example.test');
    await page.check('input[type=radio] >> nth=1');
    await page.click('text=Add parameter');
    await page.fill('#draft-name-0', 'smtpd_client_restrictions');
    await page.fill('#draft-value-0', 'permit_mynetworks');
    await page.press('#draft-value-0', 'Control+Enter');
    await page.getByTestId('simulation-verdict').getByText('Accepted').waitFor();
    assert.match(await page.getByTestId('simulation-verdict').textContent() ?? '', /250 2\.0\.0 Ok: queued as QUEUEID/);
  });

  test('a stored transcript opened in the simulator is played again at once, beside what the gateway answered then', async () => {
    const c = await SmtpClient.connect(stack.smtpPort, { localAddress: '127.0.0.2' });
    try {
      await c.read();
      await c.command('EHLO client.example.org');
      await c.command('MAIL FROM:<a@example.org>');
      assert.match((await c.command('RCPT TO:<b@example.net>'))?.text ?? '', /Relay access denied/);
      await c.command('QUIT');
    } finally {
      c.close();
    }
    const prisma = createPrismaClient(stack.dataDir);
    let id = 0;
    try {
      for (let waited = 0; id === 0 && waited < 5000; waited += 100) {
        id = (await prisma.sessionTranscript.findFirst({ select: { id: true }, orderBy: { id: 'desc' } }))?.id ?? 0;
        if (id === 0) await sleep(100);
      }
    } finally {
      await prisma.$disconnect();
    }
    assert.ok(id > 0, 'no transcript stored');
    const page = await signIn(browser, stack.consoleUrl, AUDITOR);
    await open(page, stack.url(`/simulator?transcript=${id}`));
    await page.getByText('The gateway answered then: 454 4.7.1 <b@example.net>: Relay access denied').waitFor();
    const verdict = page.getByTestId('simulation-verdict');
    await verdict.getByText('Refused at').waitFor();
    assert.match(await verdict.textContent() ?? '', /Refused at RCPT TO:<b@example\.net>: 454 4\.7\.1 <b@example\.net>: Relay access denied/);
    assert.match(await page.locator('[data-decided=yes]').textContent() ?? '', /defer_unauth_destination/);
  });
});

describe('history', () => {
  let stack: ConsoleStack;
  before(async () => {
    stack = await startConsoleStack({
      parameters: { smtpd_sender_restrictions: 'check_sender_access hash:senders' },
      tables: { senders: { kind: 'exact', source: 'spam.example REJECT old rule\n' } },
    });
  });
  after(async () => { await stack.stop(); });

  test('an administrator restores an older revision and the gateway obeys it over SMTP', async () => {
    assert.match(await rcptReply(stack.smtpPort, 'x@spam.example'), /^554 5\.7\.1 <x@spam\.example>: Sender address rejected: old rule/);
    // Someone removes the sender check (through the table store: no Prisma transaction timeout on a loaded machine).
    const store = openTableStore(stack.dataDir);
    const change = store.commitPolicy((current) => {
      const parameters = { ...current.parameters };
      delete parameters.smtpd_sender_restrictions;
      return { parameters, tables: [], deleteTables: [] };
    }, 'someone', 'postconf -X smtpd_sender_restrictions');
    store.close();
    assert.ok(change.ok && change.revisionId !== null);
    const removed = change.revisionId;
    assert.match(await waitForRcptReply(stack.smtpPort, 'x@spam.example', /^250/), /^250 2\.1\.5 Ok/);

    const admin = await signIn(browser, stack.consoleUrl, ADMIN);
    await open(admin, stack.url('/history'));
    await admin.getByText(`#${removed}`).waitFor();
    assert.match(await admin.locator('main').textContent() ?? '', /postconf -X smtpd_sender_restrictions/);
    await admin.click(`a:has-text("#${removed - 1}")`);
    await admin.waitForURL((u) => u.pathname === `/history/${removed - 1}`);
    await admin.click('text=Restore this revision');
    await admin.click(`text=Yes, restore #${removed - 1}`);
    await admin.getByText(new RegExp(`restored as revision ${removed + 1}; the gateway runs revision ${removed + 1}`)).waitFor();
    assert.match(await rcptReply(stack.smtpPort, 'x@spam.example'), /^554 5\.7\.1 <x@spam\.example>: Sender address rejected: old rule/);

    await open(admin, stack.url(`/history/${removed + 1}`));
    assert.match(await admin.locator('main').textContent() ?? '', new RegExp(`restore revision ${removed - 1}`));
    assert.match(await admin.locator('main').textContent() ?? '', /smtpd_sender_restrictions/);
  });

  test('an auditor sees the history but no restore, and the restore action replayed for them is refused', async () => {
    const auditor = await signIn(browser, stack.consoleUrl, AUDITOR);
    await open(auditor, stack.url('/history/1'));
    await auditor.getByText('Only administrators can restore a revision.').waitFor();
    assert.equal(await auditor.locator('text=Restore this revision').count(), 0);

    // The admin's real restore request, captured as the browser sends it, replayed with the auditor's cookie.
    const admin = await signIn(browser, stack.consoleUrl, ADMIN);
    await open(admin, stack.url('/history/2'));
    await admin.click('text=Restore this revision');
    const captured = admin.waitForRequest(isActionRequest);
    await admin.click('text=Yes, restore #2');
    const request = await captured;
    await admin.getByText(/restored as revision \d+|nothing to restore/).waitFor();
    const replayed = await replayAction(request, await sessionCookie(auditor));
    assert.match(await replayed.text(), /forbidden: the auditor role may not do this/);
    const prisma = createPrismaClient(stack.dataDir);
    try {
      assert.equal(await prisma.policyRevision.count({ where: { actor: AUDITOR.name } }), 0);
    } finally {
      await prisma.$disconnect();
    }
  });
});
