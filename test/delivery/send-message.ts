/**
 * Test helper for the delivery tests: one message through the gateway's SMTP front, answering
 * the queue ID of the 250 (or null when refused), and a wait for a maillog line.
 * Exports sendMessage, waitForLog.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { SmtpClient, dataWire } from '../support/smtp-client.ts';
import type { TestGateway } from '../support/gateway.ts';

/** sendMessage - MAIL, RCPT each, DATA; mailParams and rcptParams are appended as given. */
export async function sendMessage(
  port: number, from: string, rcpts: string[], message: string, mailParams = '', rcptParams = '',
): Promise<string | null> {
  const c = await SmtpClient.connect(port);
  try {
    await c.read();
    assert.equal((await c.command('EHLO client.example.org')).code, 250);
    if ((await c.command(`MAIL FROM:<${from}>${mailParams ? ' ' + mailParams : ''}`)).code !== 250) return null;
    let accepted = 0;
    for (const r of rcpts) if ((await c.command(`RCPT TO:<${r}>${rcptParams ? ' ' + rcptParams : ''}`)).code === 250) accepted += 1;
    if (!accepted || (await c.command('DATA')).code !== 354) return null;
    c.write(dataWire(message));
    const done = await c.read();
    if (done?.code !== 250) return null;
    await c.command('QUIT').catch(() => undefined);
    return /queued as (\w+)/.exec(done.text)![1];
  } finally {
    c.close();
  }
}

/** waitForLog - the first maillog text matching, within timeoutMs, or throw. */
export async function waitForLog(gw: TestGateway, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const hit = gw.logLines().find((l) => pattern.test(l));
    if (hit) return hit;
    if (Date.now() > until) throw new Error(`no log line ${pattern} in:\n${gw.logLines().join('\n')}`);
    await sleep(20);
  }
}
