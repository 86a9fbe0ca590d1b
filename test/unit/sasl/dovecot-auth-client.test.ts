// The Dovecot auth client (server/sasl/dovecot-auth-client.ts) against the test server of
// test/support/dovecot-auth-server.ts, over real sockets: handshake, PLAIN and LOGIN, FAIL
// reasons, requests told apart by id, timeouts, and a new connection after one is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDovecotAuthClient } from '../../../server/sasl/dovecot-auth-client.ts';
import { parseSaslPath } from '../../../server/sasl/sasl-path.ts';
import type { SaslServer, SaslStart, SaslStep } from '../../../server/sasl/sasl-server.ts';
import { startDovecotAuthServer, type DovecotAuthServer, type DovecotAuthServerOptions } from '../../support/dovecot-auth-server.ts';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

const START: SaslStart = {
  securityOptions: ['noanonymous'], mechanism: 'PLAIN', initialResponse: null, service: 'smtp',
  localAddress: '127.0.0.1', clientAddress: '198.51.100.7', secured: false,
};

async function rig(t: { after(fn: () => unknown): void }, serverOptions: DovecotAuthServerOptions = {}, timeoutMs = 2000):
  Promise<{ server: DovecotAuthServer; client: SaslServer; warnings: string[] }> {
  const server = await startDovecotAuthServer(serverOptions);
  const warnings: string[] = [];
  const parsed = parseSaslPath(server.saslPath, os.tmpdir());
  assert.ok(parsed.ok);
  const client = createDovecotAuthClient({ path: parsed.path, pathText: server.saslPath, warn: (w) => warnings.push(w), timeoutMs, pid: 4242 });
  t.after(async () => {
    await client.close();
    await server.stop();
  });
  return { server, client, warnings };
}

function expectKind<K extends SaslStep['kind']>(step: SaslStep, kind: K): Extract<SaslStep, { kind: K }> {
  assert.equal(step.kind, kind, JSON.stringify(step));
  return step as Extract<SaslStep, { kind: K }>;
}

test('the handshake gives the mechanisms; private ones are never offered', async (t) => {
  const { server, client } = await rig(t, { mechanisms: ['MECH\tPLAIN\tplaintext', 'MECH\tLOGIN\tplaintext', 'MECH\tANONYMOUS\tanonymous', 'MECH\tSECRET\tprivate'] });
  assert.deepEqual(await client.mechanisms(['noanonymous']), ['PLAIN', 'LOGIN']);
  assert.deepEqual(await client.mechanisms([]), ['PLAIN', 'LOGIN', 'ANONYMOUS']);
  await client.authenticate({ ...START, initialResponse: b64('\0alice\0secret') }); // a round trip: the handshake lines have arrived
  assert.deepEqual(server.clientLines.slice(0, 2), ['VERSION\t1\t0', 'CPID\t4242']);
  assert.equal(server.handshakes, 1, 'one connection serves every call');
});

test('PLAIN with an initial response: OK gives the user name; the request carries service, nologin, lip, rip', async (t) => {
  const { server, client } = await rig(t);
  const step = await client.authenticate({ ...START, initialResponse: b64('\0alice\0secret') });
  assert.deepEqual(step, { kind: 'ok', username: 'alice' });
  assert.deepEqual(server.requests[0].params, { service: 'smtp', nologin: true, lip: '127.0.0.1', rip: '198.51.100.7' });
  assert.equal(server.requests[0].hadResponse, true);
});

test('secured is sent when the SMTP session has TLS', async (t) => {
  const { server, client } = await rig(t);
  await client.authenticate({ ...START, secured: true, initialResponse: b64('\0alice\0secret') });
  assert.equal(server.requests[0].params.secured, true);
});

test('FAIL without a reason gives an empty reason; with reason= that text', async (t) => {
  const { client } = await rig(t);
  assert.deepEqual(await client.authenticate({ ...START, initialResponse: b64('\0alice\0wrong') }), { kind: 'fail', reason: '' });
  const other = await rig(t, { failReason: 'Password expired' });
  assert.deepEqual(await other.client.authenticate({ ...START, initialResponse: b64('\0alice\0wrong') }), { kind: 'fail', reason: 'Password expired' });
});

test('PLAIN without an initial response gets an empty challenge, then the response decides', async (t) => {
  const { client } = await rig(t);
  const first = expectKind(await client.authenticate(START), 'continue');
  assert.equal(first.challenge, '');
  assert.deepEqual(await first.respond(b64('\0bob\0hunter2')), { kind: 'ok', username: 'bob' });
});

test('LOGIN asks Username: then Password: (CONT), and the id ties the steps together', async (t) => {
  const { server, client } = await rig(t);
  const user = expectKind(await client.authenticate({ ...START, mechanism: 'LOGIN' }), 'continue');
  assert.equal(user.challenge, 'VXNlcm5hbWU6');
  const password = expectKind(await user.respond(b64('bob')), 'continue');
  assert.equal(password.challenge, 'UGFzc3dvcmQ6');
  assert.deepEqual(await password.respond(b64('hunter2')), { kind: 'ok', username: 'bob' });
  assert.deepEqual(server.clientLines.slice(2), ['AUTH\t1\tLOGIN\tservice=smtp\tnologin\tlip=127.0.0.1\trip=198.51.100.7', 'CONT\t1\t*', 'CONT\t1\t*']);
});

test('interleaved exchanges on the one connection are told apart by id', async (t) => {
  const { server, client } = await rig(t);
  const a = expectKind(await client.authenticate({ ...START, mechanism: 'LOGIN' }), 'continue');
  const b = expectKind(await client.authenticate({ ...START, mechanism: 'LOGIN' }), 'continue');
  const b2 = expectKind(await b.respond(b64('bob')), 'continue');
  const a2 = expectKind(await a.respond(b64('alice')), 'continue');
  const [ra, rb] = await Promise.all([a2.respond(b64('secret')), b2.respond(b64('wrong'))]);
  assert.deepEqual(ra, { kind: 'ok', username: 'alice' });
  assert.deepEqual(rb, { kind: 'fail', reason: '' });
  assert.equal(server.handshakes, 1);
});

test('a mechanism not offered, or bad base64, fails without asking the server', async (t) => {
  const { server, client } = await rig(t, { mechanisms: ['MECH\tPLAIN\tplaintext', 'MECH\tANONYMOUS\tanonymous'] });
  assert.deepEqual(await client.authenticate({ ...START, mechanism: 'ANONYMOUS' }), { kind: 'fail', reason: 'Invalid authentication mechanism' });
  assert.deepEqual(await client.authenticate({ ...START, mechanism: 'plain', initialResponse: 'not base64!' }), { kind: 'fail', reason: 'Invalid base64 data in initial response' });
  const step = expectKind(await client.authenticate({ ...START, mechanism: 'plain' }), 'continue');
  assert.deepEqual(await step.respond('x\tresp=y'), { kind: 'fail', reason: 'Invalid base64 data in continued response' });
  assert.equal(server.requests.length, 1, 'only the valid request reached the server');
  assert.equal(server.requests[0].mechanism, 'plain', 'the mechanism goes as the client typed it');
});

test('a server that cannot be reached gives a temporary failure and a warning naming the socket', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-noauth-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const warnings: string[] = [];
  const client = createDovecotAuthClient({ path: { kind: 'unix', path: path.join(dir, 'auth') }, pathText: 'private/auth', warn: (w) => warnings.push(w) });
  t.after(() => client.close());
  assert.equal(await client.mechanisms(['noanonymous']), null);
  assert.deepEqual(await client.authenticate(START), { kind: 'temp', reason: "Can't connect to authentication server" });
  assert.equal(warnings[0], "SASL: Connect to Dovecot auth socket 'private/auth' failed: No such file or directory");
});

test('the inet: form reaches a server on 127.0.0.1', async (t) => {
  const { client } = await rig(t, { listen: 'inet' });
  assert.deepEqual(await client.authenticate({ ...START, initialResponse: b64('\0alice\0secret') }), { kind: 'ok', username: 'alice' });
});

test('after the server drops the connection, the next request opens a new one', async (t) => {
  const { server, client } = await rig(t);
  assert.equal((await client.authenticate({ ...START, initialResponse: b64('\0alice\0secret') })).kind, 'ok');
  const waiting = expectKind(await client.authenticate({ ...START, mechanism: 'LOGIN' }), 'continue');
  server.dropConnections();
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(await waiting.respond(b64('alice')), { kind: 'temp', reason: 'Connection lost to authentication server' }, 'an exchange does not survive its connection');
  assert.deepEqual(await client.authenticate({ ...START, initialResponse: b64('\0bob\0hunter2') }), { kind: 'ok', username: 'bob' });
  assert.equal(server.handshakes, 2);
});

test('a server that does not answer in time gives a temporary failure; the next request reconnects', async (t) => {
  const { server, client } = await rig(t, { silent: true }, 200);
  assert.deepEqual(await client.authenticate({ ...START, initialResponse: b64('\0alice\0secret') }), { kind: 'temp', reason: 'Connection lost to authentication server' });
  await client.authenticate({ ...START, initialResponse: b64('\0alice\0secret') });
  assert.equal(server.handshakes, 2);
});

test('wrong sockets and versions are refused at the handshake with Postfix warnings', async (t) => {
  const master = await rig(t, { handshake: 'VERSION\t1\t2\nSPID\t99\n' });
  assert.equal(await master.client.mechanisms([]), null);
  assert.deepEqual(master.warnings, ['SASL: Connected to wrong auth socket (auth-master instead of auth-client)']);
  const future = await rig(t, { handshake: 'VERSION\t2\t0\nMECH\tPLAIN\tplaintext\nDONE\n' });
  assert.equal(await future.client.mechanisms([]), null);
  assert.deepEqual(future.warnings, ['SASL: Protocol version mismatch (2 vs. 1)']);
});

test('OK without a user name, or CONT without data, is a backend error, logged', async (t) => {
  const ok = await rig(t, { answerWith: (id) => `OK\t${id}` });
  assert.deepEqual(await ok.client.authenticate({ ...START, initialResponse: b64('\0alice\0secret') }), { kind: 'fail', reason: 'Authentication backend error' });
  assert.deepEqual(ok.warnings, ['missing Dovecot server OK username field']);
  const cont = await rig(t, { answerWith: (id) => `CONT\t${id}` });
  assert.deepEqual(await cont.client.authenticate(START), { kind: 'fail', reason: 'Authentication backend error' });
  assert.deepEqual(cont.warnings, ['missing Dovecot server CONT reply field']);
});

test('replies to requests nobody waits for are ignored', async (t) => {
  const { client } = await rig(t, { answerWith: (id) => `OK\t${Number(id) + 100}\tuser=mallory\nFAIL\t${id}` });
  assert.deepEqual(await client.authenticate({ ...START, initialResponse: b64('\0alice\0secret') }), { kind: 'fail', reason: '' });
});
