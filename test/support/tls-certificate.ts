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
