/**
 * RCPT TO (spec/protocol.md §3 RCPT): need MAIL, syntax, smtpd_client_recipient_rate_limit
 * (anvil), address syntax, NOTIFY/ORCPT,
 * smtpd_recipient_limit (452 4.5.3, not an error for the first smtpd_recipient_overshoot_limit
 * such replies), then the restriction lists (a bare `<postmaster>` passes them, as in Postfix).
 * Recipients are judged as written; unqualified ones are completed with @$myorigin when queued. The first accepted recipient opens the queue file and logs `ID: client=name[addr]`
 * (smtpd_delay_open_until_valid_rcpt). Duplicates are kept; each counts towards the limit.
 */
import { checkRcpt } from '../../policy/smtpd-check.ts';
import { resolveAddress } from '../../policy/resolve-address.ts';
import { extractAddress, parseAddressCommand } from '../address-syntax.ts';
import { parseRcptParameters } from '../esmtp-parameters.ts';
import type { CommandHandler } from '../command-table.ts';
import { checkRecipientRate } from '../client-event-limits.ts';

export const rcptCommand: CommandHandler = async (conn, args) => {
  const session = conn.pfx;
  const s = conn.snapshot.settings;
  const t = session.transaction;
  if (!t) {
    await conn.reply({ code: 503, enh: '5.5.1', text: 'Error: need MAIL command' });
    return 'error';
  }
  const cmd = parseAddressCommand(args, 'TO');
  if (!cmd.ok) {
    await conn.reply({ code: 501, enh: '5.5.4', text: 'Syntax: RCPT TO:<address>' });
    return 'error';
  }
  const overRate = checkRecipientRate(conn);
  if (overRate) {
    await conn.reply(overRate);
    return 'error';
  }
  const addr = extractAddress(cmd.addressWord, { strict: s.strictRfc821Envelopes, allowEmpty: false, smtputf8: t.mailParameters.smtputf8 });
  // extract_addr() also asks trivial-rewrite: an address that resolves to no valid domain
  // (`user%@here`, `user@1.2.3.4`) is bad syntax too (obs).
  if (!addr.ok || resolveAddress(addr.address, conn.snapshot.policy.addressResolution).error) {
    conn.log('SMTPD_ILLEGAL_ADDRESS', `Illegal address syntax from ${conn.clientLogText()} in RCPT command: ${cmd.addressWord}`, 'warning');
    await conn.reply({ code: 501, enh: '5.1.3', text: 'Bad recipient address syntax' });
    return 'error';
  }
  const params = parseRcptParameters(cmd.parameters);
  if (!params.ok) {
    await conn.reply(params.reply);
    return 'error';
  }
  if (t.recipients.length >= s.smtpdRecipientLimit) {
    await conn.reply({ code: 452, enh: '4.5.3', text: 'Error: too many recipients' });
    return session.recipientOvershoot++ < s.smtpdRecipientOvershootLimit ? 'ok' : 'error';
  }
  if (!conn.services.standalone) {
    // Bare `postmaster` is let through inside checkRcpt, as in Postfix's smtpd_check_rcpt().
    const refused = await conn.enforce(await conn.decide((session) => checkRcpt(conn.snapshot.policy, session, addr.address)));
    if (refused) {
      await conn.reply(refused);
      return 'error';
    }
  }
  if (!t.queueFile) {
    const queue = conn.services.queue;
    const id = queue.createQueueId();
    try {
      t.queueFile = await queue.createQueueFile(id);
    } catch (err) {
      conn.log('QUEUE_WRITE_ERROR', `${conn.clientLogText()}: cannot create queue file: ${(err as Error).message}`, 'warning');
      await conn.reply({ code: 451, enh: '4.3.0', text: 'Error: queue file write error' });
      return 'error';
    }
    // The client may have gone while the file was created: the close path could not see it.
    if (session.transaction !== t) {
      await t.queueFile.abort();
      return 'error';
    }
    t.queueId = id;
    // As Postfix's smtpd_sasl_mail_log(): `, sasl_method=PLAIN, sasl_username=alice` after a login.
    const login = session.saslUsername ? `${session.saslMethod ? `, sasl_method=${session.saslMethod}` : ''}, sasl_username=${session.saslUsername}` : '';
    conn.log('SMTPD_CLIENT', `${id}: client=${conn.clientLogText()}${login}`);
  }
  t.recipients.push({ address: addr.address, typed: addr.typed, parameters: params.value });
  await conn.reply({ code: 250, enh: '2.1.5', text: 'Ok' });
  return 'ok';
};
