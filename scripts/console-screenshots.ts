/**
 * npm run screenshots: the console's main pages as a user sees them, written to docs/ for the
 * README. Starts `portcullis start` over a throwaway data folder (test/support/console-stack.ts,
 * loopback only), gives it a small policy and some SMTP traffic (accepted, held, refused), then
 * photographs each page at 1280 px and the dashboard and a transcript at phone width.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, open, signIn } from '../test/support/browser.ts';
import { ADMIN, startConsoleStack } from '../test/support/console-stack.ts';
import { SmtpClient, dataWire } from '../test/support/smtp-client.ts';

const DOCS = fileURLToPath(new URL('../docs/', import.meta.url));

async function session(port: number, from: string, helo: string, sender: string, recipients: string[], subject: string | null): Promise<void> {
  const c = await SmtpClient.connect(port, { localAddress: from });
  try {
    await c.read();
    await c.command(`EHLO ${helo}`);
    await c.command(`MAIL FROM:<${sender}>`);
    let accepted = 0;
    for (const r of recipients) if ((await c.command(`RCPT TO:<${r}>`)).code === 250) accepted++;
    if (accepted && subject) {
      await c.command('DATA');
      await c.command(dataWire(`Subject: ${subject}\nFrom: ${sender}\nTo: ${recipients[0]}\n\nHello.\n`).replace(/\r\n$/, ''));
    }
    await c.command('QUIT');
  } finally {
    c.close();
  }
}

const stack = await startConsoleStack({
  parameters: {
    mynetworks: '127.0.0.1/32',
    relay_domains: 'example.org',
    relayhost: '[127.0.0.1]:9',
    smtpd_client_restrictions: 'check_client_access cidr:clients',
    smtpd_sender_restrictions: 'check_sender_access hash:senders',
    smtpd_recipient_restrictions: 'permit_mynetworks, reject_unauth_destination',
  },
  tables: {
    clients: { kind: 'cidr', source: '127.0.0.9/32 REJECT listed as a spam source\n192.0.2.0/24 OK\n' },
    senders: { kind: 'exact', source: 'held@example.org HOLD review by the postmaster\nspam@example.net REJECT no thanks\n' },
  },
});
const browser = await launchBrowser();
try {
  const port = stack.smtpPort;
  await session(port, '127.0.0.1', 'client.example.org', 'alice@example.org', ['bob@example.org'], 'quarterly report');
  await session(port, '127.0.0.1', 'client.example.org', 'held@example.org', ['carol@example.org'], 'please review');
  await session(port, '127.0.0.2', 'outsider.example.net', 'spammer@outsider.example.net', ['victim@elsewhere.example'], null);
  await session(port, '127.0.0.3', 'outsider.example.net', 'spam@example.net', ['dave@example.org'], null);
  await session(port, '127.0.0.9', 'bad.example.net', 'x@bad.example.net', ['erin@example.org'], null);
  await new Promise((r) => setTimeout(r, 1500));

  const pages: Array<[string, string]> = [
    ['/', 'dashboard'], ['/policy', 'policy'], ['/tables', 'tables'], ['/tables/senders', 'table-entries'],
    ['/parameters', 'parameters'], ['/transcripts', 'transcripts'], ['/transcripts/1', 'transcript'],
    ['/queue', 'queue'], ['/log?client=127.0.0.2', 'log-search'], ['/history', 'history'], ['/users', 'users'],
  ];
  const wide = await signIn(browser, stack.consoleUrl, ADMIN, { width: 1280, height: 900 });
  for (const [pathname, name] of pages) {
    await open(wide, stack.url(pathname));
    await wide.screenshot({ path: path.join(DOCS, `${name}.png`), fullPage: true });
  }
  const phone = await signIn(browser, stack.consoleUrl, ADMIN, { width: 390, height: 844 });
  for (const [pathname, name] of [['/', 'dashboard-phone'], ['/transcripts/1', 'transcript-phone']]) {
    await open(phone, stack.url(pathname));
    await phone.screenshot({ path: path.join(DOCS, `${name}.png`), fullPage: true });
  }
  console.log(`screenshots written to ${DOCS}`);
} finally {
  await browser.close();
  await stack.stop();
}
