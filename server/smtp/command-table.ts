/**
 * The SMTP command table, as Postfix's smtpd_cmd_table[] in smtpd.c: verb, handler, flags.
 *   limit   - a "junk" command counted against smtpd_junk_command_limit
 *   preTls  - allowed before STARTTLS when smtpd_tls_security_level = encrypt
 *   last    - must end a pipelined group (RFC 2920); more input after it is improper pipelining
 * The order is Postfix's and is the order of the counts on the disconnect log line.
 * BDAT is not here: the gateway does not implement CHUNKING and does not advertise it.
 */
import type { CommandLine } from './smtpd-stream.ts';
import type { SmtpdConnection } from './smtpd-connection.ts';
import { heloCommand, ehloCommand } from './commands/helo.ts';
import { xclientCommand } from './commands/xclient.ts';
import { starttlsCommand } from './commands/starttls.ts';
import { authCommand } from './commands/auth.ts';
import { mailCommand } from './commands/mail.ts';
import { rcptCommand } from './commands/rcpt.ts';
import { dataCommand } from './commands/data.ts';
import { rsetCommand } from './commands/rset.ts';
import { noopCommand } from './commands/noop.ts';
import { vrfyCommand } from './commands/vrfy.ts';
import { etrnCommand } from './commands/etrn.ts';
import { quitCommand } from './commands/quit.ts';

/** What a handler reports: 'error' counts towards the error limits; 'pending' = DATA reports later. */
export type CommandResult = 'ok' | 'error' | 'pending';

export type CommandHandler = (conn: SmtpdConnection, args: string, cmd: CommandLine) => Promise<CommandResult>;

export interface CommandEntry {
  name: string;                                       // lower-case, as on the disconnect line
  handler: CommandHandler;
  flags: { limit: boolean; preTls: boolean; last: boolean };
}

const f = (limit: boolean, preTls: boolean, last: boolean) => ({ limit, preTls, last });

const ENTRIES: Array<[string, CommandHandler, CommandEntry['flags']]> = [
  ['HELO', heloCommand, f(true, true, true)],
  ['EHLO', ehloCommand, f(true, true, true)],
  ['XCLIENT', xclientCommand, f(false, true, false)],
  ['STARTTLS', starttlsCommand, f(false, true, false)],
  ['AUTH', authCommand, f(false, false, false)],
  ['MAIL', mailCommand, f(false, false, false)],
  ['RCPT', rcptCommand, f(false, false, false)],
  ['DATA', dataCommand, f(false, false, true)],
  ['RSET', rsetCommand, f(true, false, false)],
  ['NOOP', noopCommand, f(true, true, true)],
  ['VRFY', vrfyCommand, f(true, false, true)],
  ['ETRN', etrnCommand, f(true, false, false)],
  ['QUIT', quitCommand, f(false, true, false)],
];

export const COMMAND_TABLE: ReadonlyMap<string, CommandEntry> = new Map(
  ENTRIES.map(([verb, handler, flags]) => [verb, { name: verb.toLowerCase(), handler, flags }]),
);

export const COMMAND_ORDER: readonly string[] = ENTRIES.map(([verb]) => verb.toLowerCase());
