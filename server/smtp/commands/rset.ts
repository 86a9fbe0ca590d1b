/** RSET: drops the mail transaction, keeps the HELO name; no argument allowed (spec/protocol.md §3). */
import type { CommandHandler } from '../command-table.ts';

export const rsetCommand: CommandHandler = async (conn, args) => {
  if (args.trim()) {
    await conn.reply({ code: 501, enh: '5.5.4', text: 'Syntax: RSET' });
    return 'error';
  }
  await conn.resetTransaction();
  conn.repin();
  await conn.reply({ code: 250, enh: '2.0.0', text: 'Ok' });
  return 'ok';
};
