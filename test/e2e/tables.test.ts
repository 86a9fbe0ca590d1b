/**
 * The Tables page in a real browser against `portcullis start`: an entry added to an access
 * table rejects the next SMTP session from that client with the table's text, and the
 * session's transcript opens with the rule that fired; search and
 * paging over a 100,000-entry table; a bulk import with a bad line names the line and stores
 * nothing; an auditor's replay of an administrator's change is refused.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, open, signIn, type Browser, isActionRequest, replayAction, sessionCookie } from '../support/browser.ts';
import { ADMIN, AUDITOR, startConsoleStack, type ConsoleStack } from '../support/console-stack.ts';
import { SmtpClient } from '../support/smtp-client.ts';
import { openTableStore } from '../../server/maps/table-store.ts';

let browser: Browser;
let stack: ConsoleStack;

before(async () => {
  browser = await launchBrowser();
  stack = await startConsoleStack({
    parameters: { mynetworks: '127.0.0.1/32', smtpd_client_restrictions: 'check_client_access hash:clients' },
    tables: {
      clients: { kind: 'exact', source: '192.0.2.1 OK\n' },
      header_checks: { kind: 'regexp', source: '/^Subject: .*casino/ REJECT no casinos\n' },
    },
  });
  // Seeded through the table store, as import would: 100,000 entries.
  const store = openTableStore(stack.dataDir);
  try {
    const lines = Array.from({ length: 100_000 }, (_, i) => ({ key: `host${i}.example.net`, value: i % 5000 === 0 ? `REJECT listed ${i}` : 'OK' }));
    assert.equal(store.replace('senders', 'exact', lines, 'test').ok, true);
  } finally {
    store.close();
  }
});

after(async () => {
  await stack?.stop();
  await browser?.close();
});

function tableRows(store = openTableStore(stack.dataDir, { readonly: true }), name = 'clients'): string[] {
  try {
    return store.read(name)!.lines.map((l) => `${l.key} ${l.value}`);
  } finally {
    store.close();
  }
}

async function rcptReply(localAddress: string): Promise<string> {
  const c = await SmtpClient.connect(stack.smtpPort, { localAddress });
  try {
    await c.read();
    await c.command('EHLO client.example');
    await c.command('MAIL FROM:<sender@example.org>');
    const r = await c.command('RCPT TO:<user@example.test>');
    return `${r.code} ${r.enh ?? ''} ${r.text}`;
  } finally {
    c.close();
  }
}

describe('tables', () => {
  test('a client added to the access table in the browser is rejected with the table text in its next SMTP session', async () => {
    assert.doesNotMatch(await rcptReply('127.0.0.2'), /no mail from this client/);
    const page = await signIn(browser, stack.consoleUrl, ADMIN);
    await open(page, stack.url('/tables'));
    await page.locator('[data-testid="table-clients"]').getByText('smtpd_client_restrictions').waitFor();
    await page.click('[data-testid="table-clients"] a');
    await page.waitForURL((u) => u.pathname === '/tables/clients');
    await page.locator('#entry-key').waitFor();
    await page.fill('#entry-key', '127.0.0.2');
    await page.fill('#entry-value', 'REJECT no mail from this client');
    await page.click('text=Add entry');
    await page.getByText(/added entry 2: revision \d+/).waitFor();
    await page.locator('[data-testid="entry-2"]').getByText('REJECT no mail from this client').waitFor();

    assert.match(await rcptReply('127.0.0.2'), /^554 5\.7\.1 <[^>]*\[127\.0\.0\.2\]>: Client host rejected: no mail from this client$/);
    // The gateway counted the entry that fired; the page shows its hit.
    await open(page, stack.url('/tables/clients'));
    const cells = page.locator('[data-testid="entry-2"] td');
    assert.equal(await cells.nth(3).textContent(), '1');
    assert.match(await cells.nth(4).textContent() ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);

    // The rejected session's transcript, with the rule that fired.
    for (let i = 0; i < 50; i++) {
      await open(page, stack.url('/transcripts?client=127.0.0.2&restriction=check_client_access'));
      if (await page.getByRole('link', { name: /UTC$/ }).count()) break;
      await page.waitForTimeout(200);
    }
    await page.getByRole('link', { name: /UTC$/ }).first().click();
    await page.waitForURL(/\/transcripts\/\d+$/);
    assert.equal(await page.getByTestId('transcript-restriction').textContent(), 'check_client_access');
    assert.match(await page.locator('li[data-mark=refused]').textContent() ?? '', /554 5\.7\.1 .*Client host rejected: no mail from this client/);
  });

  test('an entry edited in place and then deleted stops rejecting', async () => {
    const page = await signIn(browser, stack.consoleUrl, ADMIN);
    await open(page, stack.url('/tables/clients'));
    await page.click('[aria-label="Edit entry 2"]');
    await page.fill('#entry-2-value', '');
    await page.click('[data-testid="entry-2"] >> text=Save');
    await page.getByText('the value is empty').waitFor();
    await page.fill('#entry-2-value', 'REJECT still not welcome');
    await page.click('[data-testid="entry-2"] >> text=Save');
    await page.locator('[data-testid="entry-2"]').getByText('REJECT still not welcome').waitFor();
    assert.match(await rcptReply('127.0.0.2'), /^554 5\.7\.1 .*still not welcome$/);

    await page.click('[aria-label="Delete entry 2"]');
    await page.locator('[data-testid="entry-2"]').waitFor({ state: 'detached' });
    assert.deepEqual(tableRows(), ['192.0.2.1 OK']);
    assert.doesNotMatch(await rcptReply('127.0.0.2'), /Client host rejected/);
  });

  test('search, sorting and paging over 100,000 entries show the right rows', async () => {
    const page = await signIn(browser, stack.consoleUrl, ADMIN);
    await open(page, stack.url('/tables/senders'));
    await page.getByTestId('entry-count').getByText('1–50 of 100,000').waitFor();
    await page.click('text=Next →');
    await page.waitForURL((u) => u.searchParams.get('page') === '2');
    await page.locator('[data-testid="entry-51"]').getByText('host50.example.net').waitFor();

    await page.fill('#entry-search', 'HOST9999');
    await page.click('button:has-text("Search")');
    await page.waitForURL((u) => u.searchParams.get('q') === 'HOST9999');
    await page.getByTestId('entry-count').getByText('1–11 of 11 matching (100,000 in the table)').waitFor();
    assert.equal(await page.locator('tbody tr').count(), 11);

    await open(page, stack.url('/tables/senders?q=reject&sort=value&dir=desc'));
    await page.getByTestId('entry-count').getByText('1–20 of 20 matching').waitFor();
    assert.match(await page.locator('tbody tr').first().textContent() ?? '', /REJECT listed 95000/);

    await open(page, stack.url('/tables/senders?page=2000'));
    await page.locator('[data-testid="entry-100000"]').getByText('host99999.example.net').waitFor();
  });

  test('a bulk import with a bad line names the line and stores nothing', async () => {
    const page = await signIn(browser, stack.consoleUrl, ADMIN);
    await open(page, stack.url('/tables/clients'));
    await page.fill('#import-source', '# new clients\n198.51.100.1 REJECT one\nlonely-key\n198.51.100.2 REJECT two\n');
    await page.click('button:has-text("Import")');
    await page.getByText('nothing imported: 1 line was refused').waitFor();
    await page.getByTestId('import-errors').getByText('clients, line 3: expected format: key whitespace value').waitFor();
    assert.equal(await page.inputValue('#import-source'), '# new clients\n198.51.100.1 REJECT one\nlonely-key\n198.51.100.2 REJECT two\n');
    assert.deepEqual(tableRows(), ['192.0.2.1 OK']);

    await page.fill('#import-source', '198.51.100.1 REJECT one\n192.0.2.1 DUNNO\n');
    await page.click('button:has-text("Import")');
    await page.getByText(/merged 2 entries: revision \d+/).waitFor();
    assert.deepEqual(tableRows(), ['192.0.2.1 DUNNO', '198.51.100.1 REJECT one']);
  });

  test('a table is exported as postmap source only to a signed-in user', async () => {
    const page = await signIn(browser, stack.consoleUrl, AUDITOR);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'portcullis_session')!;
    const r = await fetch(stack.url('/tables/header_checks/export'), { headers: { cookie: `portcullis_session=${cookie.value}` } });
    assert.equal(r.status, 200);
    assert.equal(await r.text(), '/^Subject: .*casino/ REJECT no casinos\n');
    const anonymous = await fetch(stack.url('/tables/header_checks/export'), { redirect: 'manual' });
    assert.equal(anonymous.status, 307);
    assert.equal(new URL(anonymous.headers.get('location')!, stack.consoleUrl).pathname, '/login');
  });

  test('a table a parameter names cannot be deleted, and the page says which parameter', async () => {
    const page = await signIn(browser, stack.consoleUrl, ADMIN);
    await open(page, stack.url('/tables/clients'));
    page.once('dialog', (d) => void d.accept());
    await page.click('button:has-text("Delete table")');
    await page.getByText('table clients is still named by smtpd_client_restrictions (hash:clients): change those parameters first').waitFor();
    assert.equal(tableRows().length, 2);
  });

  test('a list parameter is saved one item per line, and a bad item is refused beside the list', async () => {
    const page = await signIn(browser, stack.consoleUrl, ADMIN);
    await open(page, stack.url('/tables'));
    await page.fill('#list-permit_mx_backup_networks', '192.0.2.0/24\n192.0.2.0/33');
    await page.click('text=Save permit_mx_backup_networks');
    await page.locator('#list-permit_mx_backup_networks-error').getByText('bad net/mask pattern: "192.0.2.0/33"').waitFor();
    assert.equal(await page.inputValue('#list-permit_mx_backup_networks'), '192.0.2.0/24\n192.0.2.0/33');
    await page.fill('#list-permit_mx_backup_networks', '192.0.2.0/24\n198.51.100.0/24');
    await page.click('text=Save permit_mx_backup_networks');
    await page.getByText(/permit_mx_backup_networks saved: revision \d+/).waitFor();
    await open(page, stack.url('/tables'));
    assert.equal(await page.inputValue('#list-permit_mx_backup_networks'), '192.0.2.0/24\n198.51.100.0/24');
  });

  test("an auditor replaying an administrator's add-entry request is refused and nothing changes", async () => {
    const auditor = await signIn(browser, stack.consoleUrl, AUDITOR);
    await open(auditor, stack.url('/tables/clients'));
    assert.equal(await auditor.locator('#entry-key').count(), 0);

    const admin = await signIn(browser, stack.consoleUrl, ADMIN);
    await open(admin, stack.url('/tables/clients'));
    const captured = admin.waitForRequest(isActionRequest);
    await admin.fill('#entry-key', 'bad key');
    await admin.fill('#entry-value', 'REJECT');
    await admin.click('text=Add entry');
    const request = await captured;
    await admin.getByText('keys with whitespace are not supported').waitFor();
    const replay = await replayAction(request, await sessionCookie(auditor), (body) => body.replace('bad key', '127.0.0.9'));
    assert.match(await replay.text(), /forbidden: the auditor role may not do this/);
    assert.equal(tableRows().some((row) => row.startsWith('127.0.0.9')), false);
  });
});
