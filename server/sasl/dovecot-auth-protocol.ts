/**
 * The lines of the Dovecot authentication protocol (version 1) as Postfix's
 * xsasl_dovecot_server.c speaks it, kept apart from the connection that carries them.
 * Client: `VERSION 1 0`, `CPID pid`, then `AUTH id MECH service=smtp nologin lip= rip=
 * [secured] [resp=]` and `CONT id data`. Server: `VERSION`, `MECH name props...`, `SPID`,
 * `CUID`, `COOKIE`, `DONE`, then `OK id args`, `CONT id data`, `FAIL id args`. Fields are
 * separated by TABs, lines end with LF.
 * Exports formatHandshake, formatAuthRequest, formatContinue, parseServerLine,
 * ServerLine, AuthRequest, isValidBase64.
 * XXX values are not tab-unescaped (Dovecot's \001 escapes): Postfix does not unescape them
 * either, and a TAB cannot appear in a Dovecot user name.
 */
import { printable } from '../log/printable.ts';

// Major version changes are not backwards compatible; Postfix announces minor version 0.
export const AUTH_PROTOCOL_MAJOR_VERSION = 1;
export const AUTH_PROTOCOL_MINOR_VERSION = 0;

export interface AuthRequest {
  id: number;                      // request id, unique on the connection
  mechanism: string;               // as the SMTP client typed it
  service: string;                 // `smtp`
  localAddress: string;            // lip=, the address the client connected to ('' if unknown)
  clientAddress: string;           // rip=, the SMTP client (after XCLIENT, the one it stands for)
  secured: boolean;                // TLS is active on the SMTP session
  initialResponse: string | null;  // base64 as the client sent it (`=` is an empty response)
}

export type ServerLine =
  | { kind: 'VERSION'; major: number; minor: number }
  | { kind: 'VERSION_ERROR' }                                     // VERSION without two numbers
  | { kind: 'MECH'; name: string; properties: string[] }
  | { kind: 'SPID' }
  | { kind: 'DONE' }
  | { kind: 'OK'; id: number; user: string | null }
  | { kind: 'CONT'; id: number; data: string | null }             // null: the data field is missing
  | { kind: 'FAIL'; id: number; user: string | null; reason: string | null }
  | { kind: 'other' };                                            // CUID, COOKIE, unknown: ignored

/** formatHandshake - the client's first lines. */
export function formatHandshake(pid: number): string {
  return `VERSION\t${AUTH_PROTOCOL_MAJOR_VERSION}\t${AUTH_PROTOCOL_MINOR_VERSION}\nCPID\t${pid}\n`;
}

/** formatAuthRequest - the AUTH line; an initial response is passed on as sent, already base64. */
export function formatAuthRequest(r: AuthRequest): string {
  let line = `AUTH\t${r.id}\t${r.mechanism}\tservice=${r.service}\tnologin\tlip=${r.localAddress}\trip=${r.clientAddress}`;
  if (r.secured) line += '\tsecured';
  if (r.initialResponse !== null) line += `\tresp=${r.initialResponse}`;
  return line + '\n';
}

/** formatContinue - the CONT line carrying the client's response to a challenge. */
export function formatContinue(id: number, data: string): string {
  return `CONT\t${id}\t${data}\n`;
}

/** parseServerLine - one line from the server (without its LF); unknown commands are 'other'. */
export function parseServerLine(line: string): ServerLine {
  const fields = line.split('\t');
  const cmd = fields[0];
  switch (cmd) {
    case 'VERSION': {
      const m = /^(\d+)\t(\d+)/.exec(fields.slice(1).join('\t'));
      return m ? { kind: 'VERSION', major: Number(m[1]), minor: Number(m[2]) } : { kind: 'VERSION_ERROR' };
    }
    case 'MECH':
      // Postfix ignores a MECH line without a name.
      return fields.length > 1 ? { kind: 'MECH', name: fields[1], properties: fields.slice(2) } : { kind: 'other' };
    case 'SPID':
      return { kind: 'SPID' };
    case 'DONE':
      return { kind: 'DONE' };
    case 'OK':
    case 'CONT':
    case 'FAIL': {
      // A reply without an id, or with one that is not a number, answers no request of ours.
      if (fields.length < 2 || !/^\d+$/.test(fields[1])) return { kind: 'other' };
      const id = Number(fields[1]);
      if (cmd === 'CONT') return { kind: 'CONT', id, data: fields.length > 2 ? fields[2] : null };
      const args = fields.slice(2);
      const user = argument(args, 'user=');
      return cmd === 'OK' ? { kind: 'OK', id, user } : { kind: 'FAIL', id, user, reason: argument(args, 'reason=') };
    }
    default:
      return { kind: 'other' };
  }
}

// The last `name=value` argument wins, as Postfix's loop over the arguments overwrites.
function argument(args: string[], prefix: string): string | null {
  let value: string | null = null;
  for (const a of args) if (a.startsWith(prefix)) value = printable(a.slice(prefix.length));
  return value;
}

/** isValidBase64 - only base64 characters, as Postfix checks client data before passing it on. */
export function isValidBase64(data: string): boolean {
  return /^[A-Za-z0-9+/=]*$/.test(data);
}

