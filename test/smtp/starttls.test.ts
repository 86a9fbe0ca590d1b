/**
 * STARTTLS with a real certificate (made with openssl for the test): offered only when
 * smtpd_tls_security_level asks and a certificate loads, the session starts over after the
 * handshake, smtpd_tls_security_level = encrypt refuses mail before TLS, and client
 * certificates (smtpd_tls_ask_ccert) feed permit_tls_clientcerts and check_ccert_access.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readQueueFile, queueFilePath } from '../../server/queue/index.ts';
import { SmtpClient, dataWire, type SmtpReply } from '../support/smtp-client.ts';
import { makeCertificate, makeClientCertificates } from '../support/tls-certificate.ts';
import { startTestGateway } from '../support/gateway.ts';

const brief = (r: SmtpReply) => `${r.code}${r.enh ? ' ' + r.enh : ''} ${r.text}`;

test('STARTTLS: advertised, handshake, fresh session, ESMTPS in Received:, no second STARTTLS', async (t) => {
  const pem = makeCertificate();
  t.after(() => fs.rmSync(pem.dir, { recursive: true, force: true }));
  const gw = await startTestGateway({ smtpd_tls_security_level: 'may', smtpd_tls_cert_file: pem.cert, smtpd_tls_key_file: pem.key });
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  await c.read();
  assert.ok((await c.command('EHLO client.example.org')).text.split('\n').includes('STARTTLS'));
  assert.equal(brief(await c.command('STARTTLS now')), '501 5.5.4 Syntax: STARTTLS');
  assert.equal(brief(await c.command('MAIL FROM:<a@example.org>')), '250 2.1.0 Ok');
  assert.equal(brief(await c.command('STARTTLS')), '220 2.0.0 Ready to start TLS');
  const secure = await c.startTls('mx.example.test');
  assert.ok(secure.encrypted);
  assert.equal(brief(await c.command('RCPT TO:<b@example.net>')), '503 5.5.1 Error: need MAIL command', 'the transaction did not survive the handshake');
  const ehlo = await c.command('EHLO client.example.org');
  assert.ok(!ehlo.text.split('\n').includes('STARTTLS'));
  assert.equal(brief(await c.command('STARTTLS')), '554 5.5.1 Error: TLS already active');
  await c.command('MAIL FROM:<a@example.org>');
  await c.command('RCPT TO:<b@example.net>');
  await c.command('DATA');
  const r = await c.command(dataWire('Subject: tls\n\nsecret\n').replace(/\r\n$/, ''));
  assert.equal(r.code, 250);
  const id = r.text.split(' ').pop()!;
  const file = await readQueueFile(queueFilePath(path.join(gw.dataDir, 'queue'), 'incoming', id));
  assert.ok(file.ok && file.content.toString('latin1').includes(` with ESMTPS id ${id}`));
  c.close();
});

test('smtpd_tls_security_level = encrypt: 530 5.7.0 before STARTTLS, except EHLO, NOOP, QUIT', async (t) => {
  const pem = makeCertificate();
  t.after(() => fs.rmSync(pem.dir, { recursive: true, force: true }));
  const gw = await startTestGateway({ smtpd_tls_security_level: 'encrypt', smtpd_tls_cert_file: pem.cert, smtpd_tls_key_file: pem.key });
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  await c.read();
  assert.equal((await c.command('EHLO client.example.org')).code, 250);
  assert.equal(brief(await c.command('MAIL FROM:<a@example.org>')), '530 5.7.0 Must issue a STARTTLS command first');
  assert.equal(brief(await c.command('NOOP')), '250 2.0.0 Ok');
  c.close();
});

test('STARTTLS is not offered when the certificate cannot be loaded; the command gets 454 4.7.0', async (t) => {
  const gw = await startTestGateway({ smtpd_tls_security_level: 'may', smtpd_tls_cert_file: '/nonexistent/cert.pem' });
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  await c.read();
  assert.ok(!(await c.command('EHLO client.example.org')).text.includes('STARTTLS'));
  assert.equal(brief(await c.command('STARTTLS')), '454 4.7.0 TLS not available due to local problem');
  const maillog = fs.readFileSync(path.join(gw.dataDir, 'log', 'maillog'), 'utf8');
  assert.match(maillog, /postfix\/smtpd\[\d+\]: warning: cannot load TLS certificate \/nonexistent\/cert\.pem: /);
  c.close();
});

test('client certificates: permit_tls_clientcerts relays for a listed fingerprint, check_ccert_access, unverified ones count for nothing', async (t) => {
  const pem = makeCertificate();
  const ccert = makeClientCertificates();
  t.after(() => {
    fs.rmSync(pem.dir, { recursive: true, force: true });
    fs.rmSync(ccert.dir, { recursive: true, force: true });
  });
  const der = new crypto.X509Certificate(fs.readFileSync(ccert.client.cert)).raw;
  const fingerprint = crypto.createHash('sha256').update(der).digest('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:');
  const gw = await startTestGateway({
    mynetworks: '10.0.0.0/8',
    smtpd_tls_security_level: 'may', smtpd_tls_cert_file: pem.cert, smtpd_tls_key_file: pem.key,
    smtpd_tls_ask_ccert: 'yes', smtpd_tls_CAfile: ccert.ca,
    relay_clientcerts: `inline:{${fingerprint}=client.example.org}`,
    smtpd_relay_restrictions: 'permit_tls_clientcerts, reject_unauth_destination',
    smtpd_recipient_restrictions: `check_ccert_access inline:{{${fingerprint}=WARN known client certificate}}`,
  });
  t.after(() => gw.stop());
  const relayWith = async (identity?: { cert: string; key: string }): Promise<string> => {
    const c = await SmtpClient.connect(gw.port);
    try {
      await c.read();
      await c.command('EHLO client.example.org');
      await c.command('STARTTLS');
      await c.startTls('mx.example.test', identity && { cert: fs.readFileSync(identity.cert), key: fs.readFileSync(identity.key) });
      await c.command('EHLO client.example.org');
      await c.command('MAIL FROM:<a@example.org>');
      return brief(await c.command('RCPT TO:<someone@elsewhere.example>'));
    } finally {
      c.close();
    }
  };
  assert.equal(await relayWith(ccert.client), '250 2.1.5 Ok');
  const warned = () => gw.logLines().filter((l) => l.includes('warn: RCPT from localhost[127.0.0.1]: known client certificate;')).length;
  assert.equal(warned(), 1, gw.logLines().join('\n'));
  assert.equal(await relayWith(ccert.stranger), '554 5.7.1 <someone@elsewhere.example>: Relay access denied');
  assert.equal(warned(), 1, 'a certificate that does not verify is not looked up');
  assert.equal(await relayWith(), '554 5.7.1 <someone@elsewhere.example>: Relay access denied');
});
