/**
 * Access to the console in a real browser against `portcullis start`: the first-start setup
 * link, sign-in and its throttle, pages refused without a session, and server actions
 * refused to a role that may not use them even when called directly, as an attacker would.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchBrowser, open, signIn, type Browser, isActionRequest, replayAction, sessionCookie } from '../support/browser.ts';
import { ADMIN, AUDITOR, startConsoleStack, type ConsoleStack } from '../support/console-stack.ts';
import { createPrismaClient } from '../../server/db/client.ts';
import { addConsoleUser } from '../../server/accounts/console-users.ts';
import { NAV_ITEMS } from '../../app/_components/nav-items.ts';

let browser: Browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

describe('first start', () => {
  let stack: ConsoleStack;
  before(async () => { stack = await startConsoleStack({ accounts: false }); });
  after(async () => { await stack.stop(); });

  test('the setup link printed at first start creates the first administrator and signs them in', async () => {
    assert.ok(stack.setupUrl, `no setup link printed:\n${stack.output()}`);
    const page = await (await browser.newContext()).newPage();
    await open(page, stack.setupUrl);
    await page.fill('#name', 'root');
    await page.fill('#password', 'a long secret');
    await page.fill('#again', 'a long secret');
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/');
    assert.match(await page.textContent('header') ?? '', /root · admin/);

    const again = await (await browser.newContext()).newPage();
    await open(again, stack.setupUrl);
    assert.match(await again.textContent('main') ?? '', /not valid/);
  });
});

describe('signed-in access', () => {
  let stack: ConsoleStack;
  before(async () => { stack = await startConsoleStack(); });
  after(async () => { await stack.stop(); });

  test('every console page without a session redirects to the sign-in page', async () => {
    for (const { href } of NAV_ITEMS) {
      const r = await fetch(stack.url(href), { redirect: 'manual' });
      assert.equal(r.status, 307, `${href} answered ${r.status}`);
      assert.equal(new URL(r.headers.get('location')!, stack.consoleUrl).pathname, '/login', href);
    }
  });

  test('a forged session cookie opens nothing', async () => {
    const r = await fetch(stack.url('/users'), { redirect: 'manual', headers: { cookie: 'portcullis_session=abc.def' } });
    assert.equal(r.status, 307);
    assert.equal(new URL(r.headers.get('location')!, stack.consoleUrl).pathname, '/login');
  });

  test('a request for a server action that does not exist is refused, and what the console says of it is in the maillog', async () => {
    const r = await fetch(stack.url('/'), { method: 'POST', headers: { 'Next-Action': '00forged', 'Content-Type': 'text/plain;charset=UTF-8' }, body: '[]' });
    assert.equal(r.status, 400);
    const maillog = path.join(stack.dataDir, 'log', 'maillog');
    const said = /^\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ postfix\/console\[\d+\]: warning: Error: .*"00forged"/m;
    for (let waited = 0; waited < 5000 && !said.test(fs.readFileSync(maillog, 'utf8')); waited += 100) await sleep(100);
    assert.match(fs.readFileSync(maillog, 'utf8'), said);
  });

  test('a wrong password is refused, and after five failures even the right one waits', async () => {
    const prisma = createPrismaClient(stack.dataDir);
    try {
      assert.deepEqual(await addConsoleUser(prisma, { name: 'dave', role: 'auditor', password: 'dave-password' }), { ok: true });
    } finally {
      await prisma.$disconnect();
    }
    const page = await (await browser.newContext()).newPage();
    await open(page, stack.url('/login'));
    await page.fill('#name', 'dave');
    for (let i = 0; i < 5; i++) {
      await page.fill('#password', 'not the password');
      const answered = page.waitForResponse((r) => r.request().method() === 'POST');
      await page.click('button[type=submit]');
      await answered;
      // The attempt is over when React has reset the password field and the button is back:
      // filled before that, the next password would be wiped and an empty one sent.
      await page.waitForFunction(() => (document.querySelector('#password') as HTMLInputElement).value === '' && !(document.querySelector('button[type=submit]') as HTMLButtonElement).disabled);
      await page.getByText('wrong user name or password').waitFor();
    }
    await page.fill('#password', 'dave-password');
    await page.click('button[type=submit]');
    await page.getByText(/too many failed sign-ins: try again in \d+ minutes?/).waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');
  });

  test('sign out ends the session on the server: the old cookie no longer opens a page', async () => {
    const page = await signIn(browser, stack.consoleUrl, ADMIN);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'portcullis_session')!;
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    await page.click('text=Sign out');
    await page.waitForURL((u) => u.pathname === '/login');
    const r = await fetch(stack.url('/'), { redirect: 'manual', headers: { cookie: `portcullis_session=${cookie.value}` } });
    assert.equal(r.status, 307);
  });

  test('an auditor is refused the Users page, and its add-account action replayed directly changes nothing', async () => {
    const auditor = await signIn(browser, stack.consoleUrl, AUDITOR);
    assert.equal(await auditor.locator('nav a', { hasText: 'Users' }).count(), 0);
    await open(auditor, stack.url('/users'));
    await auditor.getByText('Your role may not manage console accounts').waitFor();

    // The admin's real request, captured as the browser sends it, then replayed with other cookies.
    const admin = await signIn(browser, stack.consoleUrl, ADMIN);
    await open(admin, stack.url('/users'));
    const captured = admin.waitForRequest(isActionRequest);
    await admin.fill('#new-name', 'mallory');
    await admin.fill('#new-password', 'short');
    await admin.click('text=Add account');
    const request = await captured;
    await admin.getByText('the password must have at least 10 characters').waitFor();
    const longEnough = (body: string) => body.replace('short', 'long-enough-password');

    const asAuditor = await replayAction(request, await sessionCookie(auditor), longEnough);
    assert.match(await asAuditor.text(), /forbidden: the auditor role may not do this/);
    const anonymous = await replayAction(request, null, longEnough);
    assert.notEqual(anonymous.status, 200);

    const prisma = createPrismaClient(stack.dataDir);
    try {
      assert.equal(await prisma.consoleUser.count({ where: { name: 'mallory' } }), 0);
    } finally {
      await prisma.$disconnect();
    }
  });

  test('an administrator adds an auditor who can then sign in', async () => {
    const admin = await signIn(browser, stack.consoleUrl, ADMIN);
    await open(admin, stack.url('/users'));
    await admin.fill('#new-name', 'carol');
    await admin.selectOption('#new-role', 'auditor');
    await admin.fill('#new-password', 'carol-password');
    await admin.click('text=Add account');
    await admin.getByText('auditor carol added').waitFor();
    await admin.locator('[data-testid=user-carol]').waitFor();
    const carol = await signIn(browser, stack.consoleUrl, { name: 'carol', password: 'carol-password' });
    assert.match(await carol.textContent('header') ?? '', /carol · auditor/);
  });
});
