/**
 * Reversed client addresses for DNS queries, built as Postfix builds them: `4.3.2.1` for
 * 1.2.3.4 and the 32 nibbles of an IPv6 address, least significant first, both for DNSBL
 * queries (`reject_rbl_client zone` asks `4.3.2.1.zone`, spec/restrictions.md) and for the PTR
 * query of the client hostname lookup (`4.3.2.1.in-addr.arpa`, `….ip6.arpa`).
 * Exports reverseAddressForDnsbl, reverseLookupName. Reads no parameters. An IPv4-mapped IPv6
 * address written `::ffff:a.b.c.d` is treated as the IPv4 address it carries.
 */
import net from 'node:net';
import { mapIpv4Address, parseIpAddress, unmapIpv4Address } from '../net/ip-address.ts';

/** The address reversed for a DNSBL query, or null when the text is no IP address (Postfix then skips the test). */
export function reverseAddressForDnsbl(address: string): string | null {
  const plain = unmapIpv4Address(address);
  if (net.isIPv4(plain)) return plain.split('.').reverse().join('.');
  // A scope suffix (fe80::1%eth0) names an interface, not part of the address.
  const parsed = net.isIPv6(plain) ? parseIpAddress(plain.split('%')[0]) : null;
  if (parsed === null) return null;
  // Other spellings of a mapped address (::ffff:c000:201) stay IPv6 here, as the text said.
  const nibbles = mapIpv4Address(parsed).value.toString(16).padStart(32, '0');
  return [...nibbles].reverse().join('.');
}

/** The in-addr.arpa or ip6.arpa name whose PTR records name the address, or null for no IP address. */
export function reverseLookupName(address: string): string | null {
  const reversed = reverseAddressForDnsbl(address);
  if (reversed === null) return null;
  return net.isIPv4(unmapIpv4Address(address)) ? `${reversed}.in-addr.arpa` : `${reversed}.ip6.arpa`;
}
