/**
 * IP addresses and networks as numbers, the work of Postfix's src/util inet_addr_*, cidr_match,
 * mask_addr and normalize_v4mapped_addr: parsing and inet_ntop()-style formatting, network
 * membership, and IPv4-mapped IPv6 addresses (::ffff:a.b.c.d), which count as the IPv4 address
 * they carry, as Postfix's smtpd records such a client (spec/smtpd-parameters.md).
 * Exports: IpAddress, IpNetwork, IpNetworkParse, parseIpAddress, parseIpNetwork, formatIpAddress,
 * formatIpNetwork, maskIpAddress, isAddressInNetwork, isSameAddress, mapIpv4Address,
 * unmapIpv4Address. Reads no parameters, logs nothing.
 * Text forms are those inet_pton() takes: no leading zeros in IPv4 octets, no IPv6 zone index.
 */
import net from 'node:net';

export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint; // 32 or 128 bits
}

export interface IpNetwork {
  readonly address: IpAddress;  // host bits are zero
  readonly prefixLength: number;
}

export type IpNetworkParse = { ok: true; network: IpNetwork } | { ok: false; reason: string };

const IPV4_MAPPED_PREFIX = 0xffff00000000n; // ::ffff:0.0.0.0

/** parseIpAddress - address text to a number, IPv4-mapped IPv6 as IPv4; null when it is not an IPv4 or IPv6 address. */
export function parseIpAddress(text: string): IpAddress | null {
  if (net.isIPv4(text)) return { family: 4, value: ipv4Value(text) };
  if (!net.isIPv6(text) || text.includes('%')) return null;
  const value = ipv6Value(text);
  if (value >> 32n === 0xffffn) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

/**
 * parseIpNetwork - `a.b.c.d`, `a.b.c.d/len`, `[ipv6]`, `[ipv6]/len` (brackets also allowed
 * around IPv4); like cidr_match_parse(), non-zero host bits are an error, not a silent mask.
 */
export function parseIpNetwork(text: string): IpNetworkParse {
  let addressText = text;
  let lengthText: string | null = null;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return { ok: false, reason: `missing ']' character after "${text}"` };
    addressText = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith('/')) return { ok: false, reason: `bad net/mask pattern: "${text}"` };
      lengthText = rest.slice(1);
    }
  } else {
    const slash = text.indexOf('/');
    if (slash >= 0) {
      addressText = text.slice(0, slash);
      lengthText = text.slice(slash + 1);
    }
  }
  const address = parseIpAddress(addressText);
  if (address === null) return { ok: false, reason: `bad address pattern: "${text}"` };
  // An IPv4-mapped IPv6 network counts its prefix in IPv6 bits: keep it in IPv6 form.
  const effective = addressText.includes(':') ? mapIpv4Address(address) : address;
  const effectiveWidth = addressWidth(effective);
  let prefixLength = effectiveWidth;
  if (lengthText !== null) {
    if (!/^\d+$/.test(lengthText) || Number(lengthText) > effectiveWidth) {
      return { ok: false, reason: `bad net/mask pattern: "${text}"` };
    }
    prefixLength = Number(lengthText);
  }
  const network = maskIpAddress(effective, prefixLength);
  if (network.value !== effective.value) {
    return {
      ok: false,
      reason: `non-null host address bits in "${text}", perhaps you should use "${formatIpAddress(network)}/${prefixLength}" instead`,
    };
  }
  return { ok: true, network: { address: effective, prefixLength } };
}

/** maskIpAddress - the address with all but its first prefixLength bits cleared, as mask_addr() does. */
export function maskIpAddress(address: IpAddress, prefixLength: number): IpAddress {
  const hostBits = BigInt(addressWidth(address) - prefixLength);
  return { family: address.family, value: (address.value >> hostBits) << hostBits };
}

/** isAddressInNetwork - true when the address lies inside the network; an IPv4 address also matches ::ffff: networks. */
export function isAddressInNetwork(address: IpAddress, network: IpNetwork): boolean {
  const candidate = network.address.family === 6 ? mapIpv4Address(address) : address;
  if (candidate.family !== network.address.family) return false;
  const { prefixLength } = network;
  return maskIpAddress(candidate, prefixLength).value === maskIpAddress(network.address, prefixLength).value;
}

/** isSameAddress - equality of two parsed addresses. */
export function isSameAddress(a: IpAddress, b: IpAddress): boolean {
  return a.family === b.family && a.value === b.value;
}

/** mapIpv4Address - an IPv4 address as the IPv6 address ::ffff:a.b.c.d; an IPv6 address comes back unchanged. */
export function mapIpv4Address(address: IpAddress): IpAddress {
  return address.family === 4 ? { family: 6, value: IPV4_MAPPED_PREFIX | address.value } : address;
}

/**
 * unmapIpv4Address - the a.b.c.d inside the text `::ffff:a.b.c.d` (any case), as
 * normalize_v4mapped_addr() returns it; any other text, other spellings of a mapped address
 * included, comes back unchanged.
 */
export function unmapIpv4Address(text: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  return match && net.isIPv4(match[1]) ? match[1] : text;
}

/** formatIpAddress - dotted quad, or inet_ntop()'s compressed IPv6 (lower case, longest zero run as `::`). */
export function formatIpAddress(address: IpAddress): string {
  if (address.family === 4) {
    const v = address.value;
    return [24n, 16n, 8n, 0n].map((shift) => String((v >> shift) & 0xffn)).join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((address.value >> BigInt(i * 16)) & 0xffffn));
  // Longest run of two or more zero groups becomes '::' (the first one on a tie).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** formatIpNetwork - `a.b.c.d/len` or `[ipv6]/len`, the main.cf form that parseIpNetwork() reads back. */
export function formatIpNetwork(network: IpNetwork): string {
  const address = formatIpAddress(network.address);
  return network.address.family === 4 ? `${address}/${network.prefixLength}` : `[${address}]/${network.prefixLength}`;
}

function addressWidth(address: IpAddress): number {
  return address.family === 4 ? 32 : 128;
}

function ipv4Value(text: string): bigint {
  return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

// Callers have checked the syntax with net.isIPv6().
function ipv6Value(text: string): bigint {
  const toGroups = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const v4 = Number(ipv4Value(group));
          return [v4 >>> 16, v4 & 0xffff];
        });
  const doubleColon = text.indexOf('::');
  let groups: number[];
  if (doubleColon < 0) {
    groups = toGroups(text);
  } else {
    const left = toGroups(text.slice(0, doubleColon));
    const right = toGroups(text.slice(doubleColon + 2));
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
}
