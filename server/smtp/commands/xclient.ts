/**
 * XCLIENT, as Postfix implements it (XCLIENT_README): an SMTP client listed in
 * smtpd_authorized_xclient_hosts (default empty) replaces the session's client attributes,
 * which is how tests present other client addresses and names. Values are xtext;
 * [UNAVAILABLE] and [TEMPUNAVAIL] mark names that could not be looked up (permanently or
 * temporarily). Success restarts the session with a new greeting, after the connect-time
 * restrictions have run for the new client.
 */
import net from 'node:net';
import { decodeXtext } from '../esmtp-parameters.ts';
import { unmapIpv4Address } from '../../net/ip-address.ts';
import { isXclientAuthorized } from './helo.ts';
import type { ClientIdentity } from '../session.ts';
import type { CommandHandler } from '../command-table.ts';

const ATTRIBUTES = new Set(['NAME', 'REVERSE_NAME', 'ADDR', 'PORT', 'PROTO', 'HELO', 'LOGIN', 'DESTADDR', 'DESTPORT']);
const HOSTNAME = /^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/;

/** isValidHostname - Postfix's valid_hostname(): the syntax, at most 255 bytes, labels of at most 63. */
function isValidHostname(name: string): boolean {
  return name.length <= 255 && HOSTNAME.test(name) && name.split('.').every((label) => label.length <= 63);
}

export const xclientCommand: CommandHandler = async (conn, args) => {
  const session = conn.pfx;
  if (!isXclientAuthorized(conn)) {
    await conn.reply({ code: 550, enh: '5.7.0', text: 'Error: insufficient authorization' });
    return 'error';
  }
  if (session.transaction) {
    await conn.reply({ code: 503, enh: '5.5.1', text: 'Error: MAIL transaction in progress' });
    return 'error';
  }
  const words = args.trim().split(/[ \t]+/).filter(Boolean);
  if (!words.length) {
    await conn.reply({ code: 501, enh: '5.5.4', text: 'Syntax: XCLIENT attribute=value...' });
    return 'error';
  }
  const client: ClientIdentity = { ...session.client };
  let helo: string | null | undefined;
  let protocol: 'SMTP' | 'ESMTP' | undefined;
  let login: string | null | undefined;
  for (const word of words) {
    const eq = word.indexOf('=');
    const name = (eq < 0 ? word : word.slice(0, eq)).toUpperCase();
    const raw = eq < 0 ? null : decodeXtext(word.slice(eq + 1));
    if (!ATTRIBUTES.has(name) || raw === null) {
      await conn.reply({ code: 501, enh: '5.5.4', text: `Bad XCLIENT attribute name: ${name}` });
      return 'error';
    }
    const bad = async () => {
      await conn.reply({ code: 501, enh: '5.5.4', text: `Bad ${name} syntax: ${raw}` });
      return 'error' as const;
    };
    const unavailable = raw.toUpperCase() === '[UNAVAILABLE]';
    const tempunavail = raw.toUpperCase() === '[TEMPUNAVAIL]';
    switch (name) {
      case 'NAME':
        if (unavailable || tempunavail) Object.assign(client, { name: 'unknown', nameStatus: tempunavail ? 'retry' : 'notfound' });
        else if (isValidHostname(raw)) Object.assign(client, { name: raw.toLowerCase().replace(/\.$/, ''), nameStatus: 'ok' });
        else return bad();
        break;
      case 'REVERSE_NAME':
        if (unavailable || tempunavail) Object.assign(client, { reverseName: 'unknown', reverseNameStatus: tempunavail ? 'retry' : 'notfound' });
        else if (isValidHostname(raw)) Object.assign(client, { reverseName: raw.toLowerCase().replace(/\.$/, ''), reverseNameStatus: 'ok' });
        else return bad();
        break;
      case 'ADDR': {
        if (unavailable) break;
        const addr = raw.replace(/^IPV6:/i, '');
        // An address family that inet_protocols does not enable is bad syntax, as in Postfix.
        const protocols = conn.snapshot.mainCf.list('inet_protocols');
        const family = net.isIP(addr);
        if (!family || !(protocols.includes('all') || protocols.includes(family === 6 ? 'ipv6' : 'ipv4'))) return bad();
        client.address = unmapIpv4Address(addr).toLowerCase();
        break;
      }
      case 'PORT':
        if (unavailable) break;
        if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) return bad();
        client.port = Number(raw);
        break;
      case 'PROTO':
        if (unavailable) break;
        if (!/^E?SMTP$/i.test(raw)) return bad();
        protocol = raw.toUpperCase() as 'SMTP' | 'ESMTP';
        break;
      case 'HELO':
        helo = unavailable ? null : raw.replace(/[^\x20-\x7e]/g, '?');
        break;
      case 'LOGIN':
        login = unavailable ? null : raw;
        break;
      default:
        break;
    }
  }
  await conn.resetTransaction();
  session.client = client;
  session.helo = helo === undefined ? null : helo;
  session.protocol = protocol ?? 'SMTP';
  if (login !== undefined) {
    session.saslUsername = login;
    session.saslMethod = login === null ? null : 'XCLIENT';
  }
  session.improperPipelining = false;
  conn.log('SMTPD_XCLIENT', `connect from ${conn.clientLogText()}`);
  conn.repin();
  await conn.greet();
  return 'ok';
};
