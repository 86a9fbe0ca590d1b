/**
 * The dashboard and /metrics in a real browser against `portcullis start`: an empty dashboard
 * says so; after real SMTP (a session rejected by an access table, an accepted message) the
 * numbers show on the page at desktop and phone width; /metrics refuses a client outside
 * metrics_allowed_networks without the token and answers with it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { launchBrowser, open, signIn, type Browser, type Page } from '../support/browser.ts';
import { ADMIN, AUDITOR, startConsoleStack, type ConsoleStack } from '../support/console-stack.ts';
import { SmtpClient, dataWire } from '../support/smtp-client.ts';
import { metricsTokenPath } from '../../server/stats/metrics-access.ts';

const TOKEN = 'c0ffee0123456789abcdef0123456789';

let browser: Browser;
let stack: ConsoleStack;
before(async () => {
  browser = await launchBrowser();
  stack = await startConsoleStack({
    parameters: {
      mynetworks: '127.0.0.1/32',
      smtpd_client_restrictions: 'check_client_access hash:clients',
      // The test's own fetches come from 127.0.0.1: outside this list they need the token.
      metrics_allowed_networks: '192.0.2.0/24',
    },
    tables: { clients: { kind: 'exact', source: '127.0.0.2 REJECT go away\n' } },
  });
});
after(async () => {
  await stack.stop();
  await browser.close();
});

async function smtpSession(localAddress: string, body: string | null): Promise<number[]> {
  const c = await SmtpClient.connect(stack.smtpPort, { localAddress });
  try {
    const codes = [(await c.read())!.code];
    for (const line of ['EHLO client.example.org', 'MAIL FROM:<a@example.org>', 'RCPT TO:<b@example.net>']) codes.push((await c.command(line))!.code);
    if (body !== null) {
      codes.push((await c.command('DATA'))!.code);
      c.write(dataWire(body));
      codes.push((await c.read())!.code);
    }
    await c.command('QUIT');
    return codes;
  } finally {
    c.close();
  }
}

async function text(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).textContent())?.trim() ?? '';
}

describe('dashboard', () => {
  test('before any mail the dashboard says there is no traffic', async () => {
    const page = await signIn(browser, stack.consoleUrl, AUDITOR);
    await page.getByText('No traffic in the last hour').waitFor();
    await page.getByTestId('queue-sizes').waitFor();
  });

  test('a rejected session and an accepted message show on the dashboard, by restriction, stage and client', async () => {
    assert.deepEqual(await smtpSession('127.0.0.2', null), [220, 250, 250, 554]);
    assert.deepEqual(await smtpSession('127.0.0.1', 'Subject: hello\n\nhello\n'), [220, 250, 250, 250, 354, 250]);
    const page = await signIn(browser, stack.consoleUrl, ADMIN);
    // The page asks the gateway to write its counters before it reads them.
    assert.equal(await text(page, 'total-connections'), '2');
    assert.equal(await text(page, 'total-accepted'), '1');
    assert.equal(await text(page, 'total-rejected'), '1');
    assert.match(await text(page, 'rejects-by-restriction'), /check_client_access\s*1/);
    assert.match(await text(page, 'rejects-by-stage'), /rcpt\s*1/);
    assert.match(await text(page, 'top-rejected-clients'), /127\.0\.0\.2\s*1/);
    await page.screenshot({ path: '/tmp/portcullis-dashboard-1280.png', fullPage: true });

    await open(page, stack.url('/?range=week'));
    assert.equal(await page.locator('nav[aria-label=Range] a[aria-current=page]').textContent(), 'Last week');
    assert.equal(await text(page, 'total-accepted'), '1');
  });

  test('at phone width the dashboard fits the screen without sideways scrolling', async () => {
    const page = await signIn(browser, stack.consoleUrl, ADMIN, { width: 390, height: 844 });
    await page.getByTestId('chart-connections').waitFor();
    await page.screenshot({ path: '/tmp/portcullis-dashboard-390.png', fullPage: true });
    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > width + 0.5);
      return { by: document.documentElement.scrollWidth - width, what: wide.slice(-3).map((e) => `${e.tagName}.${e.className}`) };
    });
    assert.ok(overflow.by <= 0, `the page is ${overflow.by}px wider than the screen: ${overflow.what.join(' | ')}`);
  });
});

describe('/metrics', () => {
  test('a client outside metrics_allowed_networks is refused without the token and with a wrong one', async () => {
    const plain = await fetch(stack.url('/metrics'), { redirect: 'manual' });
    assert.equal(plain.status, 403);
    assert.doesNotMatch(await plain.text(), /portcullis_/);
    // The address is the connection's: a client's own X-Forwarded-For claims nothing.
    const forged = await fetch(stack.url('/metrics'), { redirect: 'manual', headers: { 'x-forwarded-for': '192.0.2.1' } });
    assert.equal(forged.status, 403);
    fs.writeFileSync(metricsTokenPath(stack.dataDir), TOKEN + '\n', { mode: 0o600 });
    const wrong = await fetch(stack.url('/metrics'), { headers: { authorization: 'Bearer not-the-token' } });
    assert.equal(wrong.status, 403);
  });

  test('with the token of metrics.token it answers in Prometheus text format', async () => {
    fs.writeFileSync(metricsTokenPath(stack.dataDir), TOKEN + '\n', { mode: 0o600 });
    const r = await fetch(stack.url('/metrics'), { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const body = await r.text();
    assert.match(body, /^# TYPE portcullis_connections_total counter$/m);
    assert.match(body, /^portcullis_connections_total [1-9]\d*$/m);
    assert.match(body, /^portcullis_rejects_total\{stage="rcpt",restriction="check_client_access"\} 1$/m);
  });
});
