/**
 * AUTH (spec/protocol.md §3 STARTTLS and AUTH). Postfix's replies for the cases that need no
 * SASL backend: before EHLO, SASL off (smtpd_sasl_auth_enable = no, or smtpd_tls_auth_only
 * before TLS), inside a transaction, already authenticated, no mechanism.
 * XXX no SASL backend yet (smtpd_sasl_type dovecot): with SASL switched on, AUTH answers
 * 454 4.7.0 and EHLO does not offer it, so no client is ever told it may authenticate.
 */
import type { CommandHandler } from '../command-table.ts';

export const authCommand: CommandHandler = async (conn, args) => {
  const session = conn.pfx;
  const s = conn.snapshot.settings;
  if (!session.helo) {
    await conn.reply({ code: 503, enh: '5.5.1', text: 'Error: send HELO/EHLO first' });
    return 'error';
  }
  if (!s.smtpdSaslAuthEnable || (s.smtpdTlsAuthOnly && !session.tls)) {
    await conn.reply({ code: 503, enh: '5.5.1', text: 'Error: authentication not enabled' });
    return 'error';
  }
  if (session.transaction) {
    await conn.reply({ code: 503, enh: '5.5.1', text: 'Error: MAIL transaction in progress' });
    return 'error';
  }
  if (session.saslUsername !== null) {
    await conn.reply({ code: 503, enh: '5.5.1', text: 'Error: already authenticated' });
    return 'error';
  }
  if (!args.trim()) {
    await conn.reply({ code: 501, enh: '5.5.4', text: 'Syntax: AUTH mechanism' });
    return 'error';
  }
  await conn.reply({ code: 454, enh: '4.7.0', text: 'Temporary authentication failure: no SASL backend configured' });
  return 'error';
};
