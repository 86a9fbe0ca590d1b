import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { spawn } from 'node:child_process';
import { applyMigrations } from '../server/db/migrate.ts';
import { createPrismaClient } from '../server/db/client.ts';
import { databasePath } from '../server/db/data-dir.ts';
import { setParameters } from '../server/config/parameter-store.ts';
import { addConsoleUser } from '../server/accounts/console-users.ts';
import { openTableStore } from '../server/maps/table-store.ts';
import { launchBrowser, signIn, open } from './support/browser.ts';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbg-'));
applyMigrations(databasePath(dataDir));
const prisma = createPrismaClient(dataDir);
await addConsoleUser(prisma, { name: 'admin', role: 'admin', password: 'admin-password-1' });
await setParameters(prisma, { smtpd_client_restrictions: 'check_client_access hash:clients', header_checks: 'regexp:header_checks', mynetworks: '127.0.0.0/8 192.0.2.0/24' }, 't');
await prisma.$disconnect();
const s = openTableStore(dataDir);
s.replace('clients', 'exact', [{ key: '192.0.2.1', value: 'OK' }, { key: 'spammer.example', value: 'REJECT we do not take mail from spammer.example, see https://example.org/policy' }, { key: 'user@example.com', value: '550 5.7.1 go away' }], 't');
s.replace('header_checks', 'regexp', [{ key: '/^Subject: .*casino/', value: 'REJECT no casinos' }, { key: '/^X-Mailer: BadMailer/', value: 'DISCARD' }], 't');
s.replace('big', 'exact', Array.from({ length: 100000 }, (_, i) => ({ key: `host${i}.example.net`, value: i % 7 ? 'OK' : 'REJECT listed' })), 't');
s.close();
const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', '47999'], { env: { ...process.env, PORTCULLIS_DATA: dataDir, NODE_ENV: 'production' }, stdio: ['ignore', 'inherit', 'inherit'] });
await new Promise((r) => setTimeout(r, 6000));
const browser = await launchBrowser();
try {
  for (const width of [1280, 390]) {
    const page = await signIn(browser, 'http://127.0.0.1:47999', { name: 'admin', password: 'admin-password-1' }, { width, height: 900 });
    for (const [n, p] of [['tables', '/tables'], ['clients', '/tables/clients'], ['checks', '/tables/header_checks'], ['big', '/tables/big?q=host99&sort=value&dir=desc&page=2']]) {
      await open(page, 'http://127.0.0.1:47999' + p);
      await page.screenshot({ path: `/tmp/dbg/${n}-${width}.png`, fullPage: true });
    }
  }
} finally {
  await browser.close(); child.kill('SIGTERM'); fs.rmSync(dataDir, { recursive: true, force: true });
}
