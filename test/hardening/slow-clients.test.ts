/**
 * Slow and greedy clients against a gateway in its own process (spec/protocol.md §5,
 * spec/smtpd-parameters.md §5): hundreds of sessions that connect and stall, some that trickle
 * a byte a second, one that stalls inside DATA and one that reconnects as fast as it can, while
 * a normal client sends a whole message and gets every reply. smtpd_timeout (6 s here, so the
 * first stallers are still there when the last arrive, even on a busy machine) ends the stalled sessions with
 * `421 4.4.2 ... Error: timeout exceeded`; a trickler is not idle and is served, as in Postfix
 * without smtpd_per_record_deadline; the connection count and rate limits refuse the excess of
 * each greedy client and nobody else. Bounded: about 20 s.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SmtpClient, dataWire } from '../support/smtp-client.ts';
import { startGatewayProcess } from '../support/gateway-process.ts';

const STALLERS = 250;                  // from 127.0.0.3: 50 get the banner, 200 the 421
const QUIET_STALLERS = 60;             // 10 each from 127.0.0.20-25: under the limit, stall after EHLO
const TRICKLERS = 5;                   // from 127.0.0.4: NOOP, one byte a second
const COUNT_LIMIT = 50;                // smtpd_client_connection_count_limit (Postfix's default)
const RATE_LIMIT = 300;                // smtpd_client_connection_rate_limit: above the stallers' 250
const REPLY_MS = 10_000;               // the normal client's patience per reply: that it is served, not how fast (bench/)

/** RawSession - a socket that only records what the gateway sends and whether it closed. */
class RawSession {
  private readonly chunks: Buffer[] = [];
  closed = false;
  readonly ended: Promise<void>;

  constructor(readonly socket: net.Socket) {
    socket.on('data', (d) => this.chunks.push(d));
    socket.on('error', () => undefined);
    this.ended = new Promise((resolve) => socket.once('close', () => { this.closed = true; resolve(); }));
  }

  static open(port: number, localAddress: string): Promise<RawSession> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port, localAddress });
      s.once('connect', () => resolve(new RawSession(s)));
      s.once('error', reject);
    });
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }

  /** lines - the reply lines so far, waiting up to ms for at least `count` of them. */
  async lines(count: number, ms = 5000): Promise<string[]> {
    for (let waited = 0; this.text().split('\r\n').length - 1 < count && !this.closed && waited < ms; waited += 20) await sleep(20);
    return this.text().split('\r\n').slice(0, -1);
  }
}

async function openMany(port: number, addresses: string[]): Promise<RawSession[]> {
  const out: RawSession[] = [];
  // In groups, so the listen backlog never overflows.
  for (let i = 0; i < addresses.length; i += 50) out.push(...await Promise.all(addresses.slice(i, i + 50).map((a) => RawSession.open(port, a))));
  return out;
}

test('stalled, trickling and greedy clients do not keep a normal client from being served; smtpd_timeout and the anvil limits apply per client', async (t) => {
  const gw = await startGatewayProcess({
    smtpd_timeout: '6s', smtpd_client_event_limit_exceptions: '',
    smtpd_client_connection_count_limit: String(COUNT_LIMIT), smtpd_client_connection_rate_limit: String(RATE_LIMIT),
  });
  t.after(() => gw.stop());

  const stallers = await openMany(gw.port, Array(STALLERS).fill('127.0.0.3'));
  const quiet = await openMany(gw.port, Array.from({ length: QUIET_STALLERS }, (_, i) => `127.0.0.${20 + (i % 6)}`));
  for (const q of quiet) q.socket.write('EHLO quiet.example.org\r\n');
  const tricklers = await openMany(gw.port, Array(TRICKLERS).fill('127.0.0.4'));
  const inData = await RawSession.open(gw.port, '127.0.0.6');
  inData.socket.write('EHLO slow.example.org\r\nMAIL FROM:<s@example.org>\r\nRCPT TO:<r@example.net>\r\nDATA\r\nSubject: never ends\r\n\r\nhalf a body');

  // One greedy client reconnects past smtpd_client_connection_rate_limit... of its own.
  const greedy: string[] = [];
  const greedyDone = (async () => {
    for (let i = 0; i < RATE_LIMIT + 5; i++) {
      const s = await RawSession.open(gw.port, '127.0.0.7');
      greedy.push((await s.lines(1))[0] ?? 'nothing');
      s.socket.destroy();
      await s.ended;
    }
  })();
  const trickling = (async () => {
    for (const byte of 'NOOP\r\n') {
      for (const s of tricklers) s.socket.write(byte);
      await sleep(1000);
    }
  })();

  // Meanwhile, the normal client: a whole transaction, every reply.
  const c = await SmtpClient.connect(gw.port);
  assert.equal((await c.read(REPLY_MS))!.code, 220);
  assert.equal((await c.command('EHLO client.example.org', REPLY_MS)).code, 250);
  assert.equal((await c.command('MAIL FROM:<a@example.org>', REPLY_MS)).code, 250);
  assert.equal((await c.command('RCPT TO:<b@example.net>', REPLY_MS)).code, 250);
  assert.equal((await c.command('DATA', REPLY_MS)).code, 354);
  const queued = await c.command(dataWire('Subject: served\n\nin spite of the crowd\n').replace(/\r\n$/, ''), REPLY_MS);
  assert.match(`${queued.code} ${queued.text}`, /^250 Ok: queued as \w+$/);
  assert.equal((await c.command('QUIT', REPLY_MS)).code, 221);

  await Promise.all([trickling, greedyDone]);
  // (Idle after its NOOP, a trickler may meet smtpd_timeout by now: only the first replies count.)
  for (const s of tricklers) assert.deepEqual((await s.lines(2)).slice(0, 2), ['220 mx.example.test ESMTP Postfix', '250 2.0.0 Ok'], 'a client that keeps sending is not idle');

  const banners = (await Promise.all(stallers.map((s) => s.lines(1)))).map((l) => l[0]);
  const served = banners.filter((b) => b === '220 mx.example.test ESMTP Postfix').length;
  const refused = banners.filter((b) => b === '421 4.7.0 mx.example.test Error: too many connections from 127.0.0.3').length;
  assert.deepEqual([served, refused], [COUNT_LIMIT, STALLERS - COUNT_LIMIT], 'smtpd_client_connection_count_limit for 127.0.0.3');
  assert.equal(greedy.filter((b) => b.startsWith('220 ')).length, RATE_LIMIT, 'smtpd_client_connection_rate_limit for 127.0.0.7');
  assert.deepEqual(greedy.slice(RATE_LIMIT), Array(5).fill('421 4.7.0 mx.example.test Error: too many connections from 127.0.0.7'));

  // smtpd_timeout ends every stalled session that got its banner, with Postfix's reply.
  const timedOut = [...stallers.filter((_, i) => banners[i].startsWith('220')), ...quiet, inData];
  await Promise.all(timedOut.map((s) => Promise.race([s.ended, sleep(10_000)])));
  for (const s of timedOut) {
    assert.ok(s.closed, 'closed by the gateway');
    assert.ok(s.text().endsWith('421 4.4.2 mx.example.test Error: timeout exceeded\r\n'), s.text().slice(-120));
  }

  for (const s of [...stallers, ...tricklers]) s.socket.destroy();
  for (let waited = 0; (await gw.connections()) > 0 && waited < 3000; waited += 100) await sleep(100);
  assert.equal(await gw.connections(), 0, 'every session ended');

  const log = await gw.logLines();
  const count = (line: string) => log.filter((l) => l === line).length;
  assert.equal(count('timeout after CONNECT from unknown[127.0.0.3]'), COUNT_LIMIT);
  assert.equal(log.filter((l) => /^timeout after EHLO from unknown\[127\.0\.0\.2[0-5]\]$/.test(l)).length, QUIET_STALLERS);
  assert.ok(log.some((l) => /^timeout after DATA \(\d+ bytes\) from host6\.spammy\.test\[127\.0\.0\.6\]$/.test(l)), log.filter((l) => l.includes('127.0.0.6')).join('\n'));
  assert.equal(log.filter((l) => l.startsWith('warning: Connection concurrency limit exceeded: ') && l.endsWith(' from unknown[127.0.0.3] for service smtp')).length, STALLERS - COUNT_LIMIT);
  assert.equal(count(`warning: Connection rate limit exceeded: ${RATE_LIMIT + 1} from unknown[127.0.0.7] for service smtp`), 1);
  assert.ok(!log.some((l) => l.includes('limit exceeded') && l.includes('[127.0.0.1]')), 'the normal client was never limited');

  const incoming = fs.readdirSync(path.join(gw.dataDir, 'queue', 'incoming'));
  assert.deepEqual(incoming, [queued.text.split(' ').pop()], 'only the normal client\'s message is queued');
});
