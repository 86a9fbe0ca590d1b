/**
 * Reversed client addresses for DNS queries, built as Postfix builds them: `4.3.2.1` for
 * 1.2.3.4 and the 32 nibbles of an IPv6 address, least significant first, both for DNSBL
 * queries (`reject_rbl_client zone` asks `4.3.2.1.zone`, spec/restrictions.md) and for the PTR
 * query of the client hostname lookup (`4.3.2.1.in-addr.arpa`, `….ip6.arpa`).
 * Exports reverseAddressForDnsbl, reverseLookupName. Reads no parameters. An IPv4-mapped IPv6
 * address is treated as the IPv4 address it carries.
 */
import net from 'node:net';
import { unmapIpv4Address } from './ipv4-mapped-address.ts';

/** The address reversed for a DNSBL query, or null when the text is no IP address (Postfix then skips the test). */
export function reverseAddressForDnsbl(address: string): string | null {
  const plain = unmapIpv4Address(address);
  if (net.isIPv4(plain)) return plain.split('.').reverse().join('.');
  if (net.isIPv6(plain)) return [...ipv6Hex(plain)].reverse().join('.');
  return null;
}

/** The in-addr.arpa or ip6.arpa name whose PTR records name the address, or null for no IP address. */
export function reverseLookupName(address: string): string | null {
  const reversed = reverseAddressForDnsbl(address);
  if (reversed === null) return null;
  return net.isIPv4(unmapIpv4Address(address)) ? `${reversed}.in-addr.arpa` : `${reversed}.ip6.arpa`;
}

// The 32 hex digits of an IPv6 address, most significant first.
function ipv6Hex(address: string): string {
  // A trailing dotted quad (::ffff:0:1.2.3.4, 64:ff9b::1.2.3.4) stands for the last two groups;
  // a scope suffix (fe80::1%eth0) names an interface, not part of the address.
  const text = address.split('%')[0].replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`);
  const [head, tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = tail === undefined
    ? headGroups
    : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return groups.map((group) => group.toLowerCase().padStart(4, '0')).join('');
}
