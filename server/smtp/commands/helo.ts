/**
 * HELO and EHLO (spec/protocol.md §3): either restarts the session state (an open transaction
 * is discarded), stores the name with the words joined by one space and non-printable
 * characters as `?`, and sets the protocol. With smtpd_delay_reject = no the HELO
 * restrictions answer here and a rejected name is not stored. EHLO lists Postfix's keywords in
 * Postfix's order, less smtpd_discard_ehlo_keywords; CHUNKING is never offered (no BDAT).
 * The AUTH lines come from ./auth.ts (they need the SASL server's mechanism list).
 */
import { checkHelo } from '../../policy/smtpd-check.ts';
import { matchNetworkList } from '../../policy/network-list.ts';
import { ehloAuthKeywords } from './auth.ts';
import type { CommandHandler } from '../command-table.ts';
import type { SmtpdConnection } from '../smtpd-connection.ts';

const XCLIENT_ATTRIBUTES = 'XCLIENT NAME ADDR PROTO HELO REVERSE_NAME PORT LOGIN DESTADDR DESTPORT';

async function hello(conn: SmtpdConnection, args: string, verb: 'HELO' | 'EHLO'): Promise<'ok' | 'error'> {
  if (!args.trim()) {
    await conn.reply({ code: 501, enh: null, text: `Syntax: ${verb} hostname` });
    return 'error';
  }
  await conn.resetTransaction();
  conn.repin();
  const session = conn.pfx;
  const name = args.trim().split(/[ \t]+/).join(' ').replace(/[^\x20-\x7e\u0080-\uffff]/g, '?');
  session.protocol = verb === 'EHLO' ? 'ESMTP' : 'SMTP';
  session.helo = name;
  if (!conn.services.standalone) {
    const verdict = await conn.decide((session) => checkHelo(conn.snapshot.policy, session));
    session.deferIfPermitHelo = verdict.deferIfPermit;
    const refused = await conn.enforce(verdict);
    if (refused) {
      session.helo = null;
      await conn.reply(refused);
      return 'error';
    }
  }
  const s = conn.snapshot.settings;
  if (verb === 'HELO') {
    await conn.reply({ code: 250, enh: null, text: s.myhostname });
    return 'ok';
  }
  const tlsOffered = (s.smtpdTlsSecurityLevel === 'may' || s.smtpdTlsSecurityLevel === 'encrypt') && !session.tls && conn.services.tlsAvailable?.() === true;
  const auth = await ehloAuthKeywords(conn);
  const keywords = [
    'PIPELINING',
    s.messageSizeLimit > 0 ? `SIZE ${s.messageSizeLimit}` : 'SIZE',
    s.disableVrfyCommand ? null : 'VRFY',
    'ETRN',
    tlsOffered ? 'STARTTLS' : null,
    ...auth,
    isXclientAuthorized(conn) ? XCLIENT_ATTRIBUTES : null,
    'ENHANCEDSTATUSCODES',
    '8BITMIME',
    'DSN',
    s.smtputf8Enable ? 'SMTPUTF8' : null,
  ].filter((k): k is string => k !== null && !s.smtpdDiscardEhloKeywords.has(k.split(' ')[0]));
  await conn.reply({ code: 250, enh: null, text: [s.myhostname, ...keywords].join('\n') });
  return 'ok';
}

/** isXclientAuthorized - the real peer is in smtpd_authorized_xclient_hosts. */
export function isXclientAuthorized(conn: SmtpdConnection): boolean {
  return matchNetworkList(conn.snapshot.authorizedXclientHosts, conn.pfx.realClientName, conn.pfx.realClientAddress);
}

export const heloCommand: CommandHandler = (conn, args) => hello(conn, args, 'HELO');
export const ehloCommand: CommandHandler = (conn, args) => hello(conn, args, 'EHLO');
