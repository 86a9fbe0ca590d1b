/**
 * A throwaway self-signed certificate for STARTTLS tests, made with openssl (installed by
 * .ci/run). Remove `dir` when done.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** makeCertificate - cert.pem and key.pem for CN=mx.example.test in a fresh folder. */
export function makeCertificate(): { dir: string; cert: string; key: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-tls-'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=mx.example.test'], { stdio: 'ignore' });
  return { dir, cert, key };
}

/**
 * makeClientCertificates - a throwaway CA (ca.pem) and two client certificates: one it signed
 * (client.pem/client-key.pem) and a self-signed one (stranger.pem/stranger-key.pem).
 */
export function makeClientCertificates(): { dir: string; ca: string; client: { cert: string; key: string }; stranger: { cert: string; key: string } } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-ccert-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca-key.pem'), '-out', file('ca.pem'), '-days', '1', '-subj', '/CN=Test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('client-key.pem'), '-out', file('client.csr'), '-subj', '/CN=client.example.org');
  openssl('x509', '-req', '-in', file('client.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca-key.pem'), '-CAcreateserial', '-out', file('client.pem'), '-days', '1');
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('stranger-key.pem'), '-out', file('stranger.pem'), '-days', '1', '-subj', '/CN=stranger.example.org');
  return {
    dir,
    ca: file('ca.pem'),
    client: { cert: file('client.pem'), key: file('client-key.pem') },
    stranger: { cert: file('stranger.pem'), key: file('stranger-key.pem') },
  };
}
