/**
 * The client certificate a STARTTLS session presented, as Postfix's smtpd sees it for
 * permit_tls_clientcerts, permit_tls_all_clientcerts and check_ccert_access: whether it
 * verified against smtpd_tls_CAfile, its fingerprint and its public-key fingerprint, both
 * with smtpd_tls_fingerprint_digest, written as Postfix writes them (`AB:CD:...`).
 * Exports: ClientCertificate, readClientCertificate.
 */
import crypto from 'node:crypto';
import type tls from 'node:tls';

export interface ClientCertificate {
  readonly verified: boolean;        // signed by a CA of smtpd_tls_CAfile, in date
  readonly fingerprint: string;      // digest of the DER certificate
  readonly pkeyFingerprint: string;  // digest of the DER SubjectPublicKeyInfo
  readonly subject: string;          // the certificate's CN, for log lines
}

/** readClientCertificate - the peer certificate of a TLS socket, or null when none was sent. */
export function readClientCertificate(socket: tls.TLSSocket, digest: string): ClientCertificate | null {
  const certificate = socket.getPeerCertificate();
  if (!certificate || !certificate.raw) return null;
  const spki = new crypto.X509Certificate(certificate.raw).publicKey.export({ type: 'spki', format: 'der' });
  return {
    verified: socket.authorized,
    fingerprint: fingerprintOf(certificate.raw, digest),
    pkeyFingerprint: fingerprintOf(spki, digest),
    subject: String(certificate.subject?.CN ?? ''),
  };
}

function fingerprintOf(der: Buffer, digest: string): string {
  return crypto.createHash(digest).update(der).digest('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:');
}
