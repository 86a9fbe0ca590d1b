/**
 * STARTTLS (spec/protocol.md §3 STARTTLS and AUTH): offered when smtpd_tls_security_level is
 * may or encrypt and a certificate was loaded. After the handshake the session starts over:
 * the client must EHLO again, nothing learned before TLS is kept (RFC 3207 §4.2). A client
 * certificate (smtpd_tls_ask_ccert) is noted for the TLS restrictions. A client over
 * smtpd_client_new_tls_session_rate_limit gets 454 before the handshake; a handshake that
 * does not resume an earlier session counts as a new one.
 */
import type { CommandHandler } from '../command-table.ts';
import { readClientCertificate } from '../client-certificate.ts';
import { checkNewTlsRate, countNewTls } from '../client-event-limits.ts';

export const starttlsCommand: CommandHandler = async (conn, args) => {
  const s = conn.snapshot.settings;
  const session = conn.pfx;
  if (args.trim()) {
    await conn.reply({ code: 501, enh: '5.5.4', text: 'Syntax: STARTTLS' });
    return 'error';
  }
  if (session.tls) {
    await conn.reply({ code: 554, enh: '5.5.1', text: 'Error: TLS already active' });
    return 'error';
  }
  if (s.smtpdTlsSecurityLevel !== 'may' && s.smtpdTlsSecurityLevel !== 'encrypt') {
    await conn.reply({ code: 502, enh: '5.5.1', text: 'Error: command not implemented' });
    return 'error';
  }
  const overRate = checkNewTlsRate(conn);
  if (overRate) {
    await conn.reply(overRate);
    return 'error';
  }
  if (conn.services.tlsAvailable?.() !== true) {
    await conn.reply({ code: 454, enh: '4.7.0', text: 'TLS not available due to local problem' });
    return 'error';
  }
  await conn.reply({ code: 220, enh: '2.0.0', text: 'Ready to start TLS' });
  await conn.resetTransaction();
  await new Promise<void>((resolve) => {
    conn.upgrade(() => resolve(), () => {
      session.tls = true;
      if (!conn.tlsSocket().isSessionReused()) countNewTls(conn);
      session.clientCertificate = readClientCertificate(conn.tlsSocket(), s.smtpdTlsFingerprintDigest);
      session.helo = null;
      session.protocol = 'SMTP';
      session.saslUsername = null;
      session.saslMethod = null;
    });
  });
  return 'ok';
};
