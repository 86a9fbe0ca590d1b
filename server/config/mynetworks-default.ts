/**
 * The computed default of mynetworks, as Postfix's mynetworks.c builds it from its own
 * interface addresses (own_inet_addr_list()): one `a.b.c.d/len` or `[ipv6]/len` per address,
 * IPv4 first, separated by single spaces. Checked against postconf 3.7.11:
 * host   `127.0.0.1/32 192.0.2.2/32 [::1]/128 [fd00::2]/128 [fe80::fc:ff:fe00:1]/128`
 * subnet `127.0.0.0/8 192.0.2.0/24 [::1]/128 [fd00::]/64 [fe80::]/64` (class: the same here).
 * Reads (values passed in): mynetworks_style, inet_interfaces, inet_protocols.
 * Exports: defaultMynetworks.
 * XXX host names in inet_interfaces are skipped: resolving them needs DNS at build time.
 */
import type { HostAddress, HostFacts } from './host-facts.ts';
import {
  formatIpNetwork, isSameAddress, mapIpv4Address, maskIpAddress, parseIpAddress, type IpAddress, type IpNetwork,
} from '../net/ip-address.ts';

export interface MynetworksSettings {
  mynetworksStyle: string;          // host, subnet or class (any case)
  inetInterfaces: readonly string[]; // all, loopback-only, or addresses
  inetProtocols: readonly string[];  // all, ipv4, ipv6
}

interface OwnAddress {
  address: IpAddress;    // an IPv6 interface address stays IPv6, even when IPv4-mapped
  prefixLength: number;  // of the interface that carries it
}

/** defaultMynetworks - the networks of this host's listening addresses in the given style; unknown styles count as host. */
export function defaultMynetworks(host: HostFacts, settings: MynetworksSettings): string {
  const style = settings.mynetworksStyle.toLowerCase();
  const protocols = settings.inetProtocols.map((p) => p.toLowerCase());
  const wantV4 = protocols.includes('all') || protocols.includes('ipv4');
  const wantV6 = protocols.includes('all') || protocols.includes('ipv6');
  return selectOwnAddresses(host, settings.inetInterfaces)
    .filter((a) => (a.address.family === 4 ? wantV4 : wantV6))
    .map((a) => formatIpNetwork(ownNetwork(a, style)))
    .join(' ');
}

// own_inet_addr_list(): the addresses inet_interfaces names, with the netmask of the interface
// that carries them (a full-length mask when no interface does).
function selectOwnAddresses(host: HostFacts, inetInterfaces: readonly string[]): OwnAddress[] {
  const items = inetInterfaces.map((i) => i.toLowerCase());
  const interfaceAddresses = host.addresses.flatMap((a) => toOwnAddress(a) ?? []);
  if (items.includes('all')) return interfaceAddresses;
  if (items.includes('loopback-only')) {
    return host.addresses.filter((a) => a.loopback).flatMap((a) => toOwnAddress(a) ?? []);
  }
  const selected: OwnAddress[] = [];
  for (const item of inetInterfaces) {
    // A zone index (fe80::1%eth0) names the interface, not the address.
    const literal = item.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
    const parsed = parseIpAddress(literal);
    if (parsed === null) continue;
    const address = literal.includes(':') ? mapIpv4Address(parsed) : parsed;
    const own = interfaceAddresses.find((a) => isSameAddress(a.address, address));
    selected.push(own ?? { address, prefixLength: address.family === 4 ? 32 : 128 });
  }
  return [...selected.filter((a) => a.address.family === 4), ...selected.filter((a) => a.address.family === 6)];
}

// Host facts come from the OS, which writes valid addresses; one that does not parse is skipped.
function toOwnAddress(a: HostAddress): OwnAddress | null {
  const parsed = parseIpAddress(a.address.replace(/%.*$/, ''));
  if (parsed === null) return null;
  return { address: a.family === 'IPv6' ? mapIpv4Address(parsed) : parsed, prefixLength: a.prefixLength };
}

function ownNetwork({ address, prefixLength }: OwnAddress, style: string): IpNetwork {
  let length: number;
  if (address.family === 4) {
    length = style === 'subnet' ? prefixLength : style === 'class' ? classPrefixLength(address) : 32;
  } else {
    // IPv6 has no address classes: Postfix uses the subnet for both subnet and class.
    length = style === 'subnet' || style === 'class' ? prefixLength : 128;
  }
  return { address: maskIpAddress(address, length), prefixLength: length };
}

// Natural masks of class A, B, C and D networks (mynetworks.c, MASK_STYLE_CLASS). Postfix
// stops on class E addresses; they are never interface addresses, so count them as hosts.
function classPrefixLength(address: IpAddress): number {
  const first = Number(address.value >> 24n);
  if (first < 128) return 8;
  if (first < 192) return 16;
  if (first < 224) return 24;
  if (first < 240) return 4;
  return 32;
}
