/**
 * Where the SASL server listens, from smtpd_sasl_path as Postfix's Dovecot plug-in reads it
 * (xsasl_dovecot_server_connect()): `inet:host:port` (host may be `[ipv6]`), otherwise a
 * UNIX-domain socket, with an optional `unix:` prefix. A relative socket path is taken from
 * the data folder, as Postfix takes `private/auth` from its queue directory.
 * Exports SaslPath, parseSaslPath. Reads: smtpd_sasl_path (given by the caller).
 */
import net from 'node:net';
import path from 'node:path';

export type SaslPath =
  | { kind: 'unix'; path: string }                     // absolute socket path
  | { kind: 'inet'; host: string; port: number };      // TCP endpoint

export type SaslPathParse = { ok: true; path: SaslPath } | { ok: false; error: string };

/** parseSaslPath - the endpoint a smtpd_sasl_path value names; a malformed inet: form is an error. */
export function parseSaslPath(value: string, dataDir: string): SaslPathParse {
  const text = value.trim();
  if (text.startsWith('inet:')) {
    const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.slice(5));
    const host = m ? (m[1] ?? m[2]) : '';
    const port = m ? Number(m[3]) : 0;
    if (!m || port < 1 || port > 65535 || (m[1] !== undefined && !net.isIPv6(m[1]))) {
      return { ok: false, error: `smtpd_sasl_path: bad inet: endpoint "${text}" (expected inet:host:port)` };
    }
    return { ok: true, path: { kind: 'inet', host, port } };
  }
  const socket = text.startsWith('unix:') ? text.slice(5) : text;
  if (!socket) return { ok: false, error: 'smtpd_sasl_path: empty socket path' };
  return { ok: true, path: { kind: 'unix', path: path.resolve(dataDir, socket) } };
}
