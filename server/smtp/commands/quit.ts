/** QUIT: `221 2.0.0 Bye` and close, always allowed, arguments ignored (spec/protocol.md §3). */
import type { CommandHandler } from '../command-table.ts';

export const quitCommand: CommandHandler = async (conn) => {
  await conn.reply({ code: 221, enh: '2.0.0', text: 'Bye' });
  conn.hangUp();
  return 'ok';
};
