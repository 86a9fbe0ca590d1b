/**
 * IPv4-mapped IPv6 client addresses (`::ffff:192.0.2.1`): Postfix's smtpd turns them into the
 * IPv4 address they carry before anything looks at them, so name lookups, RBL queries and
 * logs all see `192.0.2.1`.
 * Exports unmapIpv4Address. Reads no parameters.
 */
import net from 'node:net';

/** The IPv4 address inside an IPv4-mapped IPv6 address; any other text comes back unchanged. */
export function unmapIpv4Address(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match && net.isIPv4(match[1]) ? match[1] : address;
}
