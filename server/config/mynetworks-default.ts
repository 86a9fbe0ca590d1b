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
import net from 'node:net';
import type { HostAddress, HostFacts } from './host-facts.ts';

export interface MynetworksSettings {
  mynetworksStyle: string;          // host, subnet or class (any case)
  inetInterfaces: readonly string[]; // all, loopback-only, or addresses
  inetProtocols: readonly string[];  // all, ipv4, ipv6
}

/** defaultMynetworks - the networks of this host's listening addresses in the given style; unknown styles count as host. */
export function defaultMynetworks(host: HostFacts, settings: MynetworksSettings): string {
  const style = settings.mynetworksStyle.toLowerCase();
  const protocols = settings.inetProtocols.map((p) => p.toLowerCase());
  const wantV4 = protocols.includes('all') || protocols.includes('ipv4');
  const wantV6 = protocols.includes('all') || protocols.includes('ipv6');
  return selectOwnAddresses(host, settings.inetInterfaces)
    .filter((a) => (a.family === 'IPv4' ? wantV4 : wantV6))
    .map((a) => formatNetwork(a, style))
    .join(' ');
}

// own_inet_addr_list(): the addresses inet_interfaces names, with the netmask of the interface
// that carries them (a full-length mask when no interface does).
function selectOwnAddresses(host: HostFacts, inetInterfaces: readonly string[]): HostAddress[] {
  const items = inetInterfaces.map((i) => i.toLowerCase());
  if (items.includes('all')) return [...host.addresses];
  if (items.includes('loopback-only')) return host.addresses.filter((a) => a.loopback);
  const selected: HostAddress[] = [];
  for (const item of inetInterfaces) {
    const literal = item.replace(/^\[(.*)\]$/, '$1');
    const family = net.isIPv4(literal) ? 'IPv4' : net.isIPv6(literal) ? 'IPv6' : null;
    if (!family) continue;
    const own = host.addresses.find((a) => a.family === family && sameAddress(a.address, literal, family));
    selected.push(own ?? { address: literal, family, prefixLength: family === 'IPv4' ? 32 : 128, loopback: false });
  }
  const v4 = selected.filter((a) => a.family === 'IPv4');
  return [...v4, ...selected.filter((a) => a.family === 'IPv6')];
}

function sameAddress(a: string, b: string, family: 'IPv4' | 'IPv6'): boolean {
  return family === 'IPv4' ? a === b : formatIpv6(parseIpv6(a)) === formatIpv6(parseIpv6(b));
}

function formatNetwork(a: HostAddress, style: string): string {
  if (a.family === 'IPv4') {
    const length = style === 'subnet' ? a.prefixLength : style === 'class' ? classPrefixLength(a.address) : 32;
    return `${maskIpv4(a.address, length)}/${length}`;
  }
  // IPv6 has no address classes: Postfix uses the subnet for both subnet and class.
  const length = style === 'subnet' || style === 'class' ? a.prefixLength : 128;
  return `[${formatIpv6(maskIpv6(parseIpv6(a.address), length))}]/${length}`;
}

// Natural masks of class A, B, C and D networks (mynetworks.c, MASK_STYLE_CLASS). Postfix
// stops on class E addresses; they are never interface addresses, so count them as hosts.
function classPrefixLength(address: string): number {
  const first = Number(address.split('.')[0]);
  if (first < 128) return 8;
  if (first < 192) return 16;
  if (first < 224) return 24;
  if (first < 240) return 4;
  return 32;
}

function maskIpv4(address: string, length: number): string {
  const value = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  const masked = (value & mask) >>> 0;
  return [24, 16, 8, 0].map((shift) => (masked >>> shift) & 0xff).join('.');
}

function parseIpv6(address: string): number[] {
  let text = address;
  const groups: number[] = [];
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes two 16-bit groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':').map((g) => parseInt(g, 16)) : [];
  const tailGroups = tail ? tail.split(':').map((g) => parseInt(g, 16)) : [];
  groups.push(...headGroups);
  if (tail !== undefined) groups.push(...new Array(8 - headGroups.length - tailGroups.length).fill(0));
  groups.push(...tailGroups);
  return groups;
}

function maskIpv6(groups: number[], length: number): number[] {
  return groups.map((g, i) => {
    const bits = Math.max(0, Math.min(16, length - i * 16));
    return bits === 0 ? 0 : g & ((0xffff << (16 - bits)) & 0xffff);
  });
}

// inet_ntop(3) form: lower-case hex, the longest run of two or more zero groups as `::`
// (the first such run on a tie).
function formatIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
