/**
 * MAIL FROM, with Postfix's checks in Postfix's order (spec/protocol.md §3 MAIL): HELO
 * required, nested MAIL, syntax, address syntax, ESMTP parameters, SIZE against
 * smtpd_client_message_rate_limit (anvil), message_size_limit, sender restrictions when
 * smtpd_delay_reject = no, queue space.
 * The sender is judged as written; an unqualified one is completed with @$myorigin when queued.
 */
import { createMessageActions } from '../../cleanup/message-actions.ts';
import { checkMail } from '../../policy/smtpd-check.ts';
import { resolveAddress } from '../../policy/resolve-address.ts';
import { checkQueueSpace } from '../../queue/index.ts';
import { extractAddress, parseAddressCommand } from '../address-syntax.ts';
import { parseMailParameters } from '../esmtp-parameters.ts';
import type { CommandHandler } from '../command-table.ts';
import { checkMessageRate } from '../client-event-limits.ts';

export const mailCommand: CommandHandler = async (conn, args) => {
  const session = conn.pfx;
  const s = conn.snapshot.settings;
  if (s.smtpdHeloRequired && !session.helo) {
    await conn.reply({ code: 503, enh: '5.5.1', text: 'Error: send HELO/EHLO first' });
    return 'error';
  }
  if (session.transaction) {
    await conn.reply({ code: 503, enh: '5.5.1', text: 'Error: nested MAIL command' });
    return 'error';
  }
  conn.repin();
  const cmd = parseAddressCommand(args, 'FROM');
  if (!cmd.ok) {
    await conn.reply({ code: 501, enh: '5.5.4', text: 'Syntax: MAIL FROM:<address>' });
    return 'error';
  }
  const overRate = checkMessageRate(conn);
  if (overRate) {
    await conn.reply(overRate);
    return 'error';
  }
  // SMTPUTF8 decides which address syntax is allowed, so it is looked for before the address
  // is read (smtpd.c mail_cmd()).
  const smtputf8 = s.smtputf8Enable && cmd.parameters.some((word) => word.toUpperCase() === 'SMTPUTF8');
  const addr = extractAddress(cmd.addressWord, { strict: s.strictRfc821Envelopes, allowEmpty: true, smtputf8 });
  // extract_addr() also asks trivial-rewrite: an address that resolves to no valid domain
  // (`user%@here`, `user@1.2.3.4`) is bad syntax too (obs).
  if (!addr.ok || (addr.address !== '' && resolveAddress(addr.address, conn.snapshot.policy.addressResolution).error)) {
    conn.log('SMTPD_ILLEGAL_ADDRESS', `Illegal address syntax from ${conn.clientLogText()} in MAIL command: ${cmd.addressWord}`, 'warning');
    await conn.reply({ code: 501, enh: '5.1.7', text: 'Bad sender address syntax' });
    return 'error';
  }
  const params = parseMailParameters(cmd.parameters, { smtputf8Enable: s.smtputf8Enable });
  if (!params.ok) {
    await conn.reply(params.reply);
    return 'error';
  }
  const p = params.value;
  if (p.sizeUnrepresentable) {
    await conn.reply({ code: 552, enh: '5.3.4', text: 'Message size exceeds file system imposed limit' });
    return 'error';
  }
  if (s.messageSizeLimit > 0 && p.size !== null && p.size > s.messageSizeLimit) {
    await conn.reply({ code: 552, enh: '5.3.4', text: 'Message size exceeds fixed limit' });
    return 'error';
  }
  session.transaction = { sender: addr.address, mailParameters: p, recipients: [], queueId: null, queueFile: null, deferIfPermitSender: null, actions: createMessageActions() };
  if (!conn.services.standalone) {
    const verdict = await conn.decide((session) => checkMail(conn.snapshot.policy, session));
    session.transaction.deferIfPermitSender = verdict.deferIfPermit;
    const refused = await conn.enforce(verdict);
    if (refused) {
      session.transaction = null;
      await conn.reply(refused);
      return 'error';
    }
  }
  const space = await checkQueueSpace(conn.services.queue.directory, { queueMinfree: s.queueMinfree, messageSizeLimit: s.messageSizeLimit });
  if (!space.ok) {
    const reply = { code: 452, enh: '4.3.1', text: 'Insufficient system storage' };
    // No from=<>: smtpd_check_queue() runs before mail_cmd() records the sender (obs).
    conn.logWhatsup('reject', { where: 'MAIL', sender: null, recipient: null, helo: session.helo }, reply, false, 'queue_minfree');
    conn.log('SMTPD_QUEUE_SPACE', `not enough free space in mail queue: ${space.free} bytes < 1.5*message size limit`, 'warning');
    session.transaction = null;
    await conn.reply(reply);
    return 'error';
  }
  await conn.reply({ code: 250, enh: '2.1.0', text: 'Ok' });
  return 'ok';
};
