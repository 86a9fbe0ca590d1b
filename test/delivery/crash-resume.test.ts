/**
 * Never lose mail (design.md): while clients send a few hundred messages, the gateway process is
 * killed with SIGKILL several times and started again over the same data folder. Every message
 * that got a 250 must reach the next hop in the end; duplicates are allowed, loss is not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { applyMigrations } from '../../server/db/migrate.ts';
import { createPrismaClient } from '../../server/db/client.ts';
import { databasePath } from '../../server/db/data-dir.ts';
import { setParameters } from '../../server/config/parameter-store.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';
import { sendMessage } from './send-message.ts';

const CHILD = new URL('./crash-gateway-child.ts', import.meta.url).pathname;
const MESSAGES = 300;
const KILLS = 4;

async function startChild(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('gateway child did not start in 20 s')), 20_000);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`gateway child exited with ${code}`)));
  });
  return { child, port };
}

test('SIGKILL during traffic loses no message that got a 250', { timeout: 120_000 }, async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.stop());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-crash-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  applyMigrations(databasePath(dataDir));
  const prisma = createPrismaClient(dataDir);
  try {
    const r = await setParameters(prisma, {
      myhostname: 'mx.example.test', mydomain: 'example.test', mynetworks: '127.0.0.0/8', smtpd_error_sleep_time: '0s',
      relayhost: `[127.0.0.1]:${sink.port}`, minimal_backoff_time: '1s', maximal_backoff_time: '1s', queue_run_delay: '1s',
    }, 'test');
    assert.ok(r.ok);
  } finally {
    await prisma.$disconnect();
  }
  let current = await startChild(dataDir);
  t.after(() => current.child.kill('SIGKILL'));

  const accepted: number[] = [];
  const errors: string[] = [];
  let next = 0;
  const client = async () => {
    while (next < MESSAGES) {
      const n = next++;
      // A message refused by a kill is sent again, as a client would; the killed copy may also
      // have been queued, which is a duplicate and allowed.
      // Bounded by time, not tries: a restart on a loaded machine can take seconds.
      for (const giveUp = Date.now() + 15_000; Date.now() < giveUp;) {
        const id = await sendMessage(current.port, 'a@example.org', ['b@example.net'], `Subject: crash ${n}\nX-Token: ${n}\n\nbody ${n}\n`).catch((err: Error) => (errors.push(err.message), null));
        if (id) {
          accepted.push(n);
          break;
        }
        await sleep(100); // the gateway is down or restarting
      }
    }
  };
  const clients = Promise.all([client(), client(), client(), client()]);
  for (let k = 0; k < KILLS; k++) {
    await sleep(800 + Math.random() * 700);
    current.child.kill('SIGKILL');
    await new Promise((r) => current.child.once('exit', r));
    current = await startChild(dataDir);
  }
  await clients;

  const arrived = (): Set<number> => new Set(sink.messages.flatMap((m) => [...m.content.matchAll(/^X-Token: (\d+)/gm)].map((x) => Number(x[1]))));
  const until = Date.now() + 20_000;
  while (accepted.some((n) => !arrived().has(n)) && Date.now() < until) await sleep(100);
  const lost = accepted.filter((n) => !arrived().has(n));
  assert.deepEqual(lost, [], `${lost.length} of ${accepted.length} accepted messages never arrived`);
  assert.ok(accepted.length > MESSAGES * 0.9, `only ${accepted.length} accepted; errors: ${[...new Set(errors)].slice(0, 5).join(" | ")}`);
  current.child.kill('SIGTERM');
  await new Promise((r) => current.child.once('exit', r));
});
