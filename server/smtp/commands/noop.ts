/** NOOP: `250 2.0.0 Ok`, arguments allowed (spec/protocol.md §3). */
import type { CommandHandler } from '../command-table.ts';

export const noopCommand: CommandHandler = async (conn) => {
  await conn.reply({ code: 250, enh: '2.0.0', text: 'Ok' });
  return 'ok';
};
