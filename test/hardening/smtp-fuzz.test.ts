/**
 * SMTP fuzzing against a gateway in its own process (test/support/gateway-process.ts), in two
 * configurations (CONFIGURATIONS): a fixed number of sessions of random and mutated SMTP each,
 * all drawn from one seeded PRNG so a failure repeats (the seed is printed;
 * PORTCULLIS_FUZZ_SEED=N runs another one). What a session may
 * send: random bytes, NUL bytes, bare CR and LF, 1 MB lines in commands and in DATA, long arguments, invalid
 * UTF-8, pipelined garbage, BDAT with wrong sizes, a TLS ClientHello in plain text, garbage
 * after STARTTLS, XCLIENT and AUTH garbage, a thousand recipients, and mutations (flips,
 * inserts, cuts, repeats, swaps) of valid dialogues, sent in random pieces, in plain text or
 * inside a real TLS session, then QUIT, a hang-up, a half-close or a stall. What must hold:
 *   - the gateway process never dies and serves a normal session at the end;
 *   - every session ends: the SMTP front holds none once the clients are gone;
 *   - its memory is bounded: see MAX_HEAP_GROWTH and MAX_RSS_GROWTH below;
 *   - every reply line is well-formed: 3 digits, space or hyphen, CRLF, at most 512 bytes, no
 *     bare CR or LF, and a multi-line reply ends with a `NNN ` line of the same code;
 *   - the maillog shows no internal error (an exception in a session);
 *   - every queued message was acknowledged with `250 2.0.0 Ok: queued as ID` (no message
 *     from a session that never got its 250), every acknowledged one is queued, tmp/ is empty.
 *     The one exception is SMTP's own race (RFC 1047): a client that sent a whole message and
 *     hung up without waiting may not see the 250 of a message the gateway took, as with
 *     Postfix. Such a message must come from a session that hung up before the gateway closed
 *     (a `drop`, or one that met SESSION_CAP_MS on a slow machine) after input that ended a
 *     message; the queue file's client port tells which session it was.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { SmtpClient, dataWire } from '../support/smtp-client.ts';
import { makeCertificate } from '../support/tls-certificate.ts';
import { readQueueFile, queueFilePath, type QueueState } from '../../server/queue/index.ts';
import { startGatewayProcess } from '../support/gateway-process.ts';
import { startDovecotAuthServer } from '../support/dovecot-auth-server.ts';

const SEED = Number(process.env.PORTCULLIS_FUZZ_SEED ?? 0x5eed_2026) >>> 0;
const SESSIONS = 100;                  // per configuration
const CONCURRENCY = 12;
const WARMUP = 20;                     // sessions before the memory baseline is taken
const QUIET_MS = 300;                  // a session ends this long after the last reply byte...
const SESSION_CAP_MS = 6000;           // ...or after this long, whatever the server does
// After every session has ended, no session state may remain: the JavaScript heap and the
// Buffers outside it come back to the baseline but for what the test gateway keeps on purpose
// (its maillog events: some hundred KB) and code the JIT compiled late. 16 MB is ten times that
// slack and far below one leaked 1 MB line per session. RSS also holds what the allocator keeps
// after freeing the 1 MB lines and TLS buffers, so it gets a looser 128 MB.
const MAX_HEAP_GROWTH = 16 * 1024 * 1024;
const MAX_RSS_GROWTH = 128 * 1024 * 1024;

type Rng = () => number;

/** mulberry32 - a small seeded PRNG, uniform in [0, 1). */
function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const bytes = (rng: Rng, n: number) => Buffer.from(Array.from({ length: n }, () => int(rng, 0, 255)));
const printable = (rng: Rng, n: number) => Buffer.from(Array.from({ length: n }, () => int(rng, 0x21, 0x7e)));

interface Script {
  kind: string;
  input: Buffer;                       // everything the client sends
  pieces: number;                      // sent in this many writes
  tls: boolean;                        // sent inside a TLS session (EHLO, STARTTLS, handshake first)
  ending: 'quit' | 'drop' | 'half-close' | 'stall'; // QUIT after it, hang up, shut our side, or wait for smtpd_timeout
}

const EOL = ['\r\n', '\n', '\r', '\r\r\n', ''];

function validDialogue(rng: Rng): string[] {
  const lines = [pick(rng, ['EHLO client.example.org', 'HELO client.example.org', 'ehlo [127.0.0.1]'])];
  for (let m = int(rng, 1, 2); m > 0; m--) {
    lines.push(pick(rng, ['MAIL FROM:<a@example.org>', 'MAIL FROM:<> SIZE=100', 'MAIL FROM:<s@example.org> BODY=8BITMIME SMTPUTF8', 'MAIL FROM:a@example.org']));
    for (let r = int(rng, 1, 3); r > 0; r--) lines.push(pick(rng, ['RCPT TO:<b@example.net>', 'RCPT TO:<postmaster>', 'RCPT TO:<c@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;c@example.net']));
    lines.push('DATA', 'Subject: fuzz', 'From: <a@example.org>', '', 'body line', '..leading dot', 'x'.repeat(int(rng, 0, 300)), '.');
  }
  if (rng() < 0.3) lines.push('VRFY alice', 'NOOP', 'RSET', 'ETRN example.net');
  return lines;
}

function mutate(rng: Rng, input: Buffer): Buffer {
  let b = Buffer.from(input);
  for (let n = int(rng, 1, 6); n > 0; n--) {
    const at = int(rng, 0, Math.max(0, b.length - 1));
    switch (int(rng, 0, 6)) {
      case 0: b[at] = int(rng, 0, 255); break;
      case 1: b = Buffer.concat([b.subarray(0, at), bytes(rng, int(rng, 1, 8)), b.subarray(at)]); break;
      case 2: b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + int(rng, 1, 40)))]); break;
      case 3: b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + int(rng, 1, 200)), b.subarray(at)]); break;
      case 4: b = Buffer.concat([b.subarray(0, at), Buffer.from([pick(rng, [0x00, 0x0d, 0x0a, 0xff, 0xc3])]), b.subarray(at)]); break;
      case 5: b = b.subarray(0, at); break;
      default: {
        const lines = b.toString('latin1').split('\r\n');
        const i = int(rng, 0, lines.length - 1);
        const j = int(rng, 0, lines.length - 1);
        [lines[i], lines[j]] = [lines[j], lines[i]];
        b = Buffer.from(lines.join('\r\n'), 'latin1');
      }
    }
  }
  return b;
}

/** makeScript - one session's input; everything comes from rng, nothing from timing. */
function makeScript(rng: Rng, clientHello: Buffer): Script {
  const crlf = (lines: string[]) => Buffer.from(lines.map((l) => l + '\r\n').join(''), 'latin1');
  const ending = (): Script['ending'] => pick(rng, ['quit', 'quit', 'quit', 'drop', 'drop', 'half-close', 'half-close', 'stall']);
  const kind = pick(rng, ['random-bytes', 'ascii-garbage', 'nul-cr-lf', 'huge-line', 'long-argument', 'huge-data-line', 'invalid-utf8', 'pipelined-garbage', 'bdat', 'tls-hello-plain', 'starttls-garbage', 'xclient-garbage', 'auth-garbage', 'many-recipients', 'mutated', 'mutated', 'mutated', 'valid']);
  const inTls = !['tls-hello-plain', 'starttls-garbage', 'xclient-garbage', 'huge-line', 'huge-data-line'].includes(kind) && rng() < 0.2;
  // XCLIENT may change the client port that ties a queue file to its session: no hang-ups there.
  const script = (input: Buffer, pieces = int(rng, 1, 4)): Script => {
    const end = ending();
    return { kind, input, pieces, tls: inTls, ending: kind === 'xclient-garbage' && end === 'drop' ? 'quit' : end };
  };
  switch (kind) {
    case 'random-bytes':
      return script(bytes(rng, int(rng, 1, 8192)));
    case 'ascii-garbage': {
      const parts: Buffer[] = [];
      for (let n = int(rng, 1, 40); n > 0; n--) parts.push(printable(rng, int(rng, 0, 120)), Buffer.from(pick(rng, EOL)));
      return script(Buffer.concat(parts));
    }
    case 'nul-cr-lf': {
      const lines = validDialogue(rng).map((l) => {
        const at = int(rng, 0, l.length);
        return l.slice(0, at) + pick(rng, ['\0', '\r', '\n', '\0\0\0', '\r\r']) + l.slice(at) + pick(rng, EOL);
      });
      return script(Buffer.from(lines.join(''), 'latin1'));
    }
    case 'huge-line': {
      const verb = pick(rng, ['NOOP ', 'MAIL FROM:<', 'EHLO ', 'VRFY ', 'RCPT TO:<', '']);
      return script(Buffer.concat([crlf(['EHLO client.example.org', 'MAIL FROM:<a@example.org>']), Buffer.from(verb), printable(rng, 1024 * 1024), Buffer.from(pick(rng, ['\r\n', '\n', ''])), crlf(['NOOP'])]), int(rng, 1, 16));
    }
    case 'long-argument': {
      // Arguments that stay within line_length_limit and may be echoed in a reply.
      const word = 'x'.repeat(int(rng, 300, 2000));
      const verb = pick(rng, ['VRFY ', 'VRFY <', 'EHLO ', 'HELO ', 'MAIL FROM:<', 'RCPT TO:<', 'ETRN ', 'XCLIENT NAME=', 'AUTH ', 'MAIL FROM:<a@example.org> ']);
      return script(crlf(['EHLO client.example.org', `${verb}${word}${rng() < 0.5 ? '@example.org>' : ''}`, ...validDialogue(rng)]));
    }
    case 'huge-data-line':
      return script(Buffer.concat([crlf(['EHLO client.example.org', 'MAIL FROM:<a@example.org>', 'RCPT TO:<b@example.net>', 'DATA', 'Subject: big']), printable(rng, 1024 * 1024), crlf(['', '.'])]), int(rng, 1, 16));
    case 'invalid-utf8': {
      const bad = () => pick(rng, [Buffer.from([0xc3, 0x28]), Buffer.from([0xff]), Buffer.from([0xe2, 0x82]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf4, 0x90, 0x80, 0x80]), bytes(rng, 3)]);
      const parts = validDialogue(rng).flatMap((l) => [Buffer.from(l.slice(0, l.length >> 1), 'latin1'), bad(), Buffer.from(l.slice(l.length >> 1) + '\r\n', 'latin1')]);
      return script(Buffer.concat(parts));
    }
    case 'pipelined-garbage': {
      const lines = [...validDialogue(rng)];
      for (let n = int(rng, 1, 30); n > 0; n--) lines.splice(int(rng, 0, lines.length), 0, printable(rng, int(rng, 0, 60)).toString('latin1'));
      return script(crlf(lines), 1);
    }
    case 'bdat': {
      const size = int(rng, 0, 5000);
      const actual = Math.max(0, size + int(rng, -200, 200));
      return script(Buffer.concat([crlf(['EHLO client.example.org', 'MAIL FROM:<a@example.org>', 'RCPT TO:<b@example.net>', `BDAT ${pick(rng, [String(size), '-1', '99999999999999999999', 'x'])}${rng() < 0.5 ? ' LAST' : ''}`]), printable(rng, actual), crlf(['BDAT 0 LAST', 'DATA'])]));
    }
    case 'tls-hello-plain':
      return script(Buffer.concat([rng() < 0.5 ? crlf(['EHLO client.example.org']) : Buffer.alloc(0), clientHello, bytes(rng, int(rng, 0, 200))]));
    case 'starttls-garbage':
      return script(Buffer.concat([crlf(['EHLO client.example.org', 'STARTTLS']), pick(rng, [bytes(rng, int(rng, 1, 4000)), clientHello.subarray(0, int(rng, 1, clientHello.length)), Buffer.concat([clientHello, bytes(rng, 500)]), crlf(['EHLO again', 'MAIL FROM:<a@example.org>'])])]));
    case 'xclient-garbage': {
      const attr = () => pick(rng, ['ADDR', 'NAME', 'PORT', 'PROTO', 'HELO', 'LOGIN', 'REVERSE_NAME', 'DESTADDR', 'FOO']) + '=' + pick(rng, ['198.51.100.7', 'IPV6:2001:db8::1', '[UNAVAILABLE]', 'xx', '99999', 'ESMTP', printable(rng, 20).toString('latin1'), '']);
      return script(crlf(['EHLO client.example.org', `XCLIENT ${Array.from({ length: int(rng, 0, 6) }, attr).join(' ')}`, ...validDialogue(rng)]));
    }
    case 'auth-garbage': {
      const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');
      const step = () => pick(rng, [
        `AUTH PLAIN ${b64('\0alice\0secret')}`, `AUTH PLAIN ${b64('\0alice\0wrong')}`, 'AUTH PLAIN', 'AUTH LOGIN', '*', '=', b64('alice'),
        `AUTH PLAIN ${printable(rng, int(rng, 1, 3000)).toString('latin1')}`, `AUTH ${printable(rng, 12).toString('latin1')}`,
        `AUTH LOGIN ${b64(bytes(rng, 40).toString('latin1'))}`, b64(bytes(rng, int(rng, 1, 900)).toString('latin1')), 'AUTH PLAIN =', 'AUTH PLAIN !!!!',
      ]);
      return script(crlf(['EHLO client.example.org', ...Array.from({ length: int(rng, 1, 12) }, step), ...validDialogue(rng)]));
    }
    case 'many-recipients':
      return script(crlf(['EHLO client.example.org', 'MAIL FROM:<a@example.org>', ...Array.from({ length: int(rng, 900, 1200) }, (_, i) => `RCPT TO:<r${i}@example.net>`), 'DATA', 'Subject: many', '', 'x', '.']), int(rng, 1, 8));
    case 'mutated':
      return script(mutate(rng, crlf(validDialogue(rng))));
    default:
      return script(crlf(validDialogue(rng)));
  }
}

interface SessionResult {
  port: number;                        // the client's TCP port, as the queue file records it
  received: Buffer;                    // in plain text (up to and with `220 2.0.0 Ready to start TLS`)
  secured: Buffer;                     // inside the TLS session, when the script asked for one
  closedByServer: boolean;
}

/** runSession - send a script in pieces, collect every byte the gateway sends, bounded in time. */
async function runSession(port: number, s: Script, rng: Rng): Promise<SessionResult> {
  const raw = net.connect({ host: '127.0.0.1', port });
  let localPort = 0;
  raw.once('connect', () => { localPort = raw.localPort ?? 0; });
  let socket: net.Socket = raw;
  const plain: Buffer[] = [];
  const secure: Buffer[] = [];
  let chunks = plain;
  let closed = false;
  let lastData = Date.now();
  const onData = (d: Buffer) => { chunks.push(d); lastData = Date.now(); };
  raw.on('data', onData);
  raw.on('error', () => undefined);
  const ended = new Promise<void>((resolve) => raw.once('close', () => { closed = true; resolve(); }));
  const started = Date.now();
  await Promise.race([new Promise((r) => raw.once('data', r)), ended, sleep(3000)]);
  if (s.tls && !closed) {
    raw.write('EHLO client.example.org\r\nSTARTTLS\r\n');
    while (!closed && !Buffer.concat(plain).includes('220 2.0.0 Ready to start TLS\r\n') && Date.now() - started < 3000) await sleep(10);
    raw.removeListener('data', onData);
    const secured = tls.connect({ socket: raw, servername: 'mx.example.test', rejectUnauthorized: false });
    secured.on('error', () => undefined);
    await Promise.race([new Promise((r) => secured.once('secureConnect', r)), ended, sleep(3000)]);
    chunks = secure;
    secured.on('data', onData);
    socket = secured;
  }
  const cuts = Array.from({ length: s.pieces - 1 }, () => int(rng, 0, s.input.length)).sort((a, b) => a - b);
  let from = 0;
  for (const cut of [...cuts, s.input.length]) {
    if (closed) break;
    socket.write(s.input.subarray(from, cut));
    from = cut;
    await sleep(int(rng, 0, 15));
  }
  if (!closed && s.ending === 'quit') socket.write('QUIT\r\n');
  if (!closed && s.ending === 'half-close') socket.end();
  // After QUIT or our FIN, and after a 354, the gateway answers and closes or times out
  // (smtpd_timeout): wait for that, so a message it queued is never one whose 250 the client
  // hung up on. Only a `drop` hangs up once the gateway has been quiet for a while.
  const quietFor = s.ending === 'drop' ? QUIET_MS : SESSION_CAP_MS;
  const awaitsData = () => /(^|\r\n)354 [^\r\n]*\r\n$/.test(Buffer.concat(chunks).subarray(-200).toString('latin1'));
  while (!closed && Date.now() - started < SESSION_CAP_MS && (Date.now() - lastData < quietFor || awaitsData())) await sleep(25);
  const closedByServer = closed;
  socket.destroy();
  raw.destroy();
  await ended;
  return { port: localPort, received: Buffer.concat(plain), secured: Buffer.concat(secure), closedByServer };
}

/** replyProblems - what is wrong with the replies of one session (empty when all is well). */
function replyProblems(received: Buffer): string[] {
  let text = received.toString('latin1');
  // After `220 2.0.0 Ready to start TLS` the bytes are TLS records, not replies.
  const tlsAt = text.indexOf('220 2.0.0 Ready to start TLS\r\n');
  if (tlsAt >= 0) text = text.slice(0, tlsAt + 30);
  const problems: string[] = [];
  if (text && !text.endsWith('\r\n')) problems.push(`unterminated last line ${JSON.stringify(text.slice(-80))}`);
  const lines = text.split('\r\n').slice(0, -1);
  let open: string | null = null;
  for (const line of lines) {
    const show = JSON.stringify(line.slice(0, 80));
    if (line.length + 2 > 512) problems.push(`line of ${line.length + 2} bytes: ${show}`);
    if (/[\r\n]/.test(line)) problems.push(`bare CR or LF in ${show}`);
    const m = /^([2-5]\d\d)([ -])/.exec(line);
    if (!m) {
      problems.push(`malformed line ${show}`);
      continue;
    }
    if (open && m[1] !== open) problems.push(`multi-line reply ${open} continued with ${m[1]}: ${show}`);
    open = m[2] === '-' ? m[1] : null;
  }
  if (open) problems.push(`multi-line reply ${open} never ended`);
  return problems;
}

/** captureClientHello - the first flight of a real TLS client, to replay as junk. */
async function captureClientHello(): Promise<Buffer> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const hello = new Promise<Buffer>((resolve) => server.once('connection', (s) => s.once('data', (d: Buffer) => { resolve(d); s.destroy(); })));
  const client = tls.connect({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port, servername: 'mx.example.test', rejectUnauthorized: false });
  client.on('error', () => undefined);
  const bytes = await hello;
  client.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return bytes;
}

function queuedIds(dataDir: string): { states: Map<string, string>; tmp: string[] } {
  const states = new Map<string, string>();
  for (const state of ['incoming', 'active', 'deferred', 'hold', 'corrupt']) {
    const dir = path.join(dataDir, 'queue', state);
    if (fs.existsSync(dir)) for (const id of fs.readdirSync(dir)) states.set(id, state);
  }
  const tmpDir = path.join(dataDir, 'queue', 'tmp');
  return { states, tmp: fs.existsSync(tmpDir) ? fs.readdirSync(tmpDir) : [] };
}

/**
 * Two configurations, each with its own gateway and its own sessions (drawn from SEED and the
 * configuration's number): Postfix 3.7's defaults with restrictions that quote client input in
 * multi-line replies (smtpd_reject_footer), and the strict one of later Postfix releases.
 */
const CONFIGURATIONS: Array<{ name: string; parameters: Record<string, string> }> = [
  {
    name: 'Postfix 3.7 defaults, restrictions with a reject footer',
    parameters: {
      smtpd_helo_restrictions: 'reject_invalid_helo_hostname, reject_non_fqdn_helo_hostname', smtpd_delay_reject: 'no',
      smtpd_sender_restrictions: 'reject_non_fqdn_sender, reject_unknown_sender_domain',
      smtpd_reject_footer: 'Help: postmaster@example.test\\nSession $client_address',
    },
  },
  {
    name: 'strict: bare <LF> rejected, no unauthorized pipelining, no SMTPUTF8',
    parameters: {
      smtpd_forbid_bare_newline: 'reject', smtpd_forbid_unauth_pipelining: 'yes', smtputf8_enable: 'no',
      smtpd_data_restrictions: 'reject_unauth_pipelining',
    },
  },
];

for (const [n, configuration] of CONFIGURATIONS.entries()) {
  test(`fuzz, ${configuration.name}: ${SESSIONS} sessions of random and mutated SMTP leave the gateway up, bounded, well-spoken and honest about its queue`, (t) => fuzz(t, configuration.parameters, (SEED + n) >>> 0));
}

async function fuzz(t: TestContext, parameters: Record<string, string>, seed: number): Promise<void> {
  t.diagnostic(`fuzz seed ${seed} (repeat with PORTCULLIS_FUZZ_SEED=${SEED})`);
  const pem = makeCertificate();
  t.after(() => fs.rmSync(pem.dir, { recursive: true, force: true }));
  const auth = await startDovecotAuthServer();
  t.after(() => auth.stop());
  const gw = await startGatewayProcess({
    smtpd_sasl_auth_enable: 'yes', smtpd_sasl_type: 'dovecot', smtpd_sasl_path: auth.saslPath,
    smtpd_timeout: '2s', smtpd_hard_error_limit: '50', notify_classes: 'bounce, data, delay, policy, protocol, resource, software', message_size_limit: '200000', smtpd_authorized_xclient_hosts: '127.0.0.1',
    smtpd_tls_security_level: 'may', smtpd_tls_cert_file: pem.cert, smtpd_tls_key_file: pem.key,
    ...parameters,
  });
  t.after(() => gw.stop());
  const clientHello = await captureClientHello();
  const rng = mulberry32(seed);
  const scripts = Array.from({ length: SESSIONS }, (_, i) => ({ i, script: makeScript(rng, clientHello), seed: int(rng, 0, 2 ** 31) }));
  const acknowledged = new Set<string>();
  const hungUpAfterMessage = new Set<number>(); // client ports of sessions that hung up first, after input that ended a message
  const failures: string[] = [];
  let baseline: Awaited<ReturnType<typeof gw.memory>> | null = null;

  const runBatch = async (batch: typeof scripts) => {
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < batch.length) {
        const { i, script, seed: sessionSeed } = batch[next++];
        const r = await runSession(gw.port, script, mulberry32(sessionSeed));
        if (!r.closedByServer && /\n\.\r?\n/.test(script.input.toString('latin1'))) hungUpAfterMessage.add(r.port);
        for (const m of Buffer.concat([r.received, r.secured]).toString('latin1').matchAll(/^250 2\.0\.0 Ok: queued as (\w+)\r$/gm)) acknowledged.add(m[1]);
        for (const p of [...replyProblems(r.received), ...replyProblems(r.secured)]) failures.push(`session ${i} (${script.kind}${script.tls ? ', in TLS' : ''}): ${p}`);
        const txt = r.received.toString('latin1');
        const n354 = (txt.match(/^354 /gm) ?? []).length; const n250 = (txt.match(/queued as/g) ?? []).length;
        if (false) console.log('DBG', i, script.kind, script.ending, r.closedByServer, n354, n250, JSON.stringify(txt.slice(-300)));
        assert.equal(gw.exitCode(), null, `the gateway died (signal ${gw.signal()}) in session ${i} (${script.kind}); seed ${seed}`);
      }
    }));
  };
  await runBatch(scripts.slice(0, WARMUP));
  baseline = await gw.memory();
  await runBatch(scripts.slice(WARMUP));
  // Stalled sessions end at smtpd_timeout; every session must then be gone from the front.
  let open = await gw.connections();
  for (let waited = 0; open > 0 && waited < 5000; waited += 100) {
    await sleep(100);
    open = await gw.connections();
  }
  assert.equal(open, 0, `sessions the gateway still holds after every client left (seed ${seed})`);
  const final = await gw.memory();
  assert.deepEqual(failures, [], `malformed replies (seed ${seed})`);

  const grew = (final.heapUsed + final.external) - (baseline.heapUsed + baseline.external);
  t.diagnostic(`heap+external ${Math.round((baseline.heapUsed + baseline.external) / 1048576)} -> ${Math.round((final.heapUsed + final.external) / 1048576)} MB, rss ${Math.round(baseline.rss / 1048576)} -> ${Math.round(final.rss / 1048576)} MB`);
  assert.ok(grew < MAX_HEAP_GROWTH, `heap and Buffers grew by ${grew} bytes over ${SESSIONS - WARMUP} sessions (seed ${seed})`);
  assert.ok(final.rss - baseline.rss < MAX_RSS_GROWTH, `RSS grew by ${final.rss - baseline.rss} bytes (seed ${seed})`);

  // Postmaster notices of the last sessions may still be on their way into the queue.
  let queue = queuedIds(gw.dataDir);
  for (let waited = 0; queue.tmp.length && waited < 5000; waited += 100) {
    await sleep(100);
    queue = queuedIds(gw.dataDir);
  }
  assert.deepEqual(queue.tmp, [], 'no half-written queue file is left behind');
  // Postmaster notices (notify_classes) are queued too; a client's message is the one whose
  // queue file was opened for a client (`ID: client=name[addr]`).
  const log = await gw.logLines();
  assert.deepEqual(log.filter((l) => /internal error|panic|fatal/.test(l)), [], `the gateway hit a bug (seed ${seed})`);
  const fromClients = new Set(log.flatMap((l) => /^(\w+): client=/.exec(l)?.[1] ?? []));
  const unacknowledged: string[] = [];
  for (const [id, state] of queue.states) {
    if (!fromClients.has(id) || acknowledged.has(id)) continue;
    const file = await readQueueFile(queueFilePath(path.join(gw.dataDir, 'queue'), state as QueueState, id));
    if (!file.ok || !hungUpAfterMessage.has(file.envelope.client.port ?? -1)) unacknowledged.push(id);
  }
  assert.deepEqual(unacknowledged, [], `queued without a 250 to the client (seed ${seed})`);
  const lost = [...acknowledged].filter((id) => !queue.states.has(id));
  assert.deepEqual(lost, [], `acknowledged but not queued (seed ${seed})`);

  const c = await SmtpClient.connect(gw.port);
  assert.equal((await c.read())!.code, 220);
  assert.equal((await c.command('EHLO client.example.org')).code, 250);
  assert.equal((await c.command('MAIL FROM:<a@example.org>')).code, 250);
  assert.equal((await c.command('RCPT TO:<b@example.net>')).code, 250);
  assert.equal((await c.command('DATA')).code, 354);
  const done = await c.command(dataWire('Subject: after the fuzz\n\nstill here\n').replace(/\r\n$/, ''));
  assert.match(`${done.code} ${done.text}`, /^250 Ok: queued as \w+$/);
  c.close();
}
