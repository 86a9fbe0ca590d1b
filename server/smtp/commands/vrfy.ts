/**
 * VRFY (spec/protocol.md §3 VRFY): disabled by disable_vrfy_command; otherwise the address is
 * judged exactly like a RCPT TO and, if nothing refuses it, answered `252 2.0.0 <argument as
 * typed>` — never 250, Postfix does not claim the mailbox exists.
 */
import { checkVrfy } from '../../policy/smtpd-check.ts';
import { resolveAddress } from '../../policy/resolve-address.ts';
import { extractAddress } from '../address-syntax.ts';
import type { CommandHandler } from '../command-table.ts';

export const vrfyCommand: CommandHandler = async (conn, args) => {
  const s = conn.snapshot.settings;
  if (s.disableVrfyCommand) {
    await conn.reply({ code: 502, enh: '5.5.1', text: 'VRFY command is disabled' });
    return 'error';
  }
  const words = args.trim().split(/[ \t]+/).filter(Boolean);
  const smtputf8 = words.length > 0 && words[words.length - 1].toUpperCase() === 'SMTPUTF8';
  if (smtputf8) words.pop();
  if (words.length === 0) {
    await conn.reply({ code: 501, enh: '5.5.4', text: 'Syntax: VRFY address [SMTPUTF8]' });
    return 'error';
  }
  const typed = words.join(' ');
  // VRFY parses sloppily in Postfix: a missing closing `>` is forgiven.
  const word = typed.startsWith('<') && !typed.endsWith('>') ? typed + '>' : typed;
  const addr = extractAddress(word, { strict: false, allowEmpty: false, smtputf8: smtputf8 && s.smtputf8Enable });
  // extract_addr() also asks trivial-rewrite: an address that resolves to no valid domain
  // (`user%@here`, `user@1.2.3.4`) is bad syntax too (obs).
  if (!addr.ok || resolveAddress(addr.address, conn.snapshot.policy.addressResolution).error) {
    conn.log('SMTPD_ILLEGAL_ADDRESS', `Illegal address syntax from ${conn.clientLogText()} in VRFY command: ${typed}`, 'warning');
    await conn.reply({ code: 501, enh: '5.1.3', text: 'Bad recipient address syntax' });
    return 'error';
  }
  if (!conn.services.standalone) {
    const refused = await conn.enforce(await conn.decide((session) => checkVrfy(conn.snapshot.policy, session, addr.address)));
    if (refused) {
      await conn.reply(refused);
      return 'error';
    }
  }
  await conn.reply({ code: 252, enh: '2.0.0', text: typed });
  return 'ok';
};
