/**
 * ETRN (RFC 1985, partly; spec/protocol.md §3 ETRN). Postfix's replies carry no enhanced codes
 * here, except restriction rejects. Only domains in fast_flush_domains may be flushed; the
 * queue manager is asked to deliver the deferred mail of that domain now. In standalone mode:
 * `458 Unable to queue messages`.
 */
import { checkEtrn } from '../../policy/smtpd-check.ts';
import { matchDomainList } from '../../policy/domain-list.ts';
import type { CommandHandler } from '../command-table.ts';

// No trailing dot: Postfix refuses `ETRN example.net.` as invalid syntax.
const HOSTNAME = /^(?=.{1,255}$)[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*$/;
const LITERAL = /^\[[0-9A-Fa-f.:]+\]$|^\[IPv6:[0-9A-Fa-f.:]+\]$/i;

export const etrnCommand: CommandHandler = async (conn, args) => {
  const session = conn.pfx;
  const s = conn.snapshot.settings;
  if (s.smtpdHeloRequired && !session.helo) {
    await conn.reply({ code: 503, enh: null, text: 'Error: send HELO/EHLO first' });
    return 'error';
  }
  if (session.transaction) {
    await conn.reply({ code: 503, enh: null, text: 'Error: MAIL transaction in progress' });
    return 'error';
  }
  const words = args.trim().split(/[ \t]+/).filter(Boolean);
  if (words.length !== 1) {
    await conn.reply({ code: 500, enh: null, text: 'Syntax: ETRN domain' });
    return 'error';
  }
  const domain = words[0].replace(/^[@#]/, '');
  if (!HOSTNAME.test(domain) && !LITERAL.test(domain)) {
    await conn.reply({ code: 501, enh: null, text: 'Error: invalid parameter syntax' });
    return 'error';
  }
  if (conn.services.standalone || !conn.services.etrn) {
    conn.log('SMTPD_ETRN', 'do not use ETRN in "sendmail -bs" mode', 'warning');
    await conn.reply({ code: 458, enh: null, text: 'Unable to queue messages' });
    return 'error';
  }
  const refused = await conn.enforce(await conn.decide((session) => checkEtrn(conn.snapshot.policy, session, domain)));
  if (refused) {
    await conn.reply(refused);
    return 'error';
  }
  if (!matchDomainList(conn.snapshot.fastFlushDomains, domain)) {
    conn.log('SMTPD_ETRN', `reject: ETRN ${domain}... from ${conn.clientLogText()}`, 'warning');
    await conn.reply({ code: 459, enh: null, text: `<${domain}>: service unavailable` });
    return 'error';
  }
  const started = await conn.services.etrn(domain.toLowerCase());
  if (started !== 'started') {
    await conn.reply({ code: 458, enh: null, text: 'Unable to queue messages' });
    return 'error';
  }
  await conn.reply({ code: 250, enh: null, text: 'Queuing started' });
  return 'ok';
};
