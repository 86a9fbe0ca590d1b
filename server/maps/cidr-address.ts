/**
 * IP address text to bits for cidr tables, as inet_pton() reads it: IPv4 is exactly four
 * decimal octets without leading zeros, IPv6 is hex groups with at most one `::` and an optional
 * trailing dotted quad; no brackets, no zone index, no prefix. IPv4 is one 32-bit word, IPv6
 * four, most significant first, so a prefix trie walks them bit by bit.
 * Exports: AddressBits, parseAddressBits, unmapAddressBits, formatAddressBits, addressBit.
 * Reads no parameters.
 */

export interface AddressBits {
  readonly family: 4 | 6;
  readonly words: readonly number[]; // 1 (IPv4) or 4 (IPv6) unsigned 32-bit words
}

/** parseAddressBits - inet_pton() for the family the text announces (a `:` means IPv6); null if invalid. */
export function parseAddressBits(text: string): AddressBits | null {
  if (text.includes(':')) {
    const words = parseIpv6(text);
    return words === null ? null : { family: 6, words };
  }
  const word = parseIpv4(text);
  return word === null ? null : { family: 4, words: [word] };
}

/** unmapAddressBits - an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it carries. */
export function unmapAddressBits(address: AddressBits): AddressBits {
  const [w0, w1, w2, w3] = address.words;
  if (address.family === 6 && w0 === 0 && w1 === 0 && w2 === 0xffff) return { family: 4, words: [w3] };
  return address;
}

/** addressBit - bit `index` (0 is the most significant) of the address. */
export function addressBit(words: readonly number[], index: number): number {
  return (words[index >>> 5] >>> (31 - (index & 31))) & 1;
}

/** formatAddressBits - inet_ntop(): dotted quad, or IPv6 text with the first longest zero run as `::`. */
export function formatAddressBits(address: AddressBits): string {
  if (address.family === 4) {
    const w = address.words[0];
    return `${w >>> 24}.${(w >>> 16) & 255}.${(w >>> 8) & 255}.${w & 255}`;
  }
  const groups: number[] = [];
  for (const word of address.words) groups.push(word >>> 16, word & 0xffff);
  let bestStart = -1;
  let bestLength = 1; // a single zero group is not compressed
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  // inet_ntop() writes IPv4-compatible and IPv4-mapped addresses with a dotted quad.
  if (bestStart === 0 && (bestLength === 6 || (bestLength === 5 && groups[5] === 0xffff))) {
    const quad = formatAddressBits({ family: 4, words: [address.words[3]] });
    return bestLength === 6 ? `::${quad}` : `::ffff:${quad}`;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function parseIpv4(text: string): number | null {
  let value = 0;
  let octets = 0;
  let digits = 0;
  let octet = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 46; // a final '.' closes the last octet
    if (code >= 48 && code <= 57) {
      if (digits > 0 && octet === 0) return null; // leading zero
      octet = octet * 10 + (code - 48);
      if (octet > 255) return null;
      digits++;
    } else if (code === 46) {
      if (digits === 0 || ++octets > 4) return null;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else {
      return null;
    }
  }
  return octets === 4 ? value >>> 0 : null;
}

function parseIpv6(text: string): number[] | null {
  const doubleColon = text.indexOf('::');
  if (doubleColon >= 0 && text.indexOf('::', doubleColon + 1) >= 0) return null;
  const head = doubleColon < 0 ? text : text.slice(0, doubleColon);
  const tail = doubleColon < 0 ? '' : text.slice(doubleColon + 2);
  const headGroups = parseGroups(head, doubleColon < 0);
  const tailGroups = parseGroups(tail, true);
  if (headGroups === null || tailGroups === null) return null;
  const count = headGroups.groups.length + tailGroups.groups.length;
  if (doubleColon < 0 ? count !== 8 : count > 7) return null;
  const groups = [...headGroups.groups, ...new Array<number>(8 - count).fill(0), ...tailGroups.groups];
  const words: number[] = [];
  for (let i = 0; i < 8; i += 2) words.push(((groups[i] << 16) | groups[i + 1]) >>> 0);
  return words;
}

// Colon-separated hex groups; `mayEndInQuad` allows a trailing a.b.c.d (two groups' worth),
// which only the last part of an address may have.
function parseGroups(part: string, mayEndInQuad: boolean): { groups: number[] } | null {
  if (part === '') return { groups: [] };
  const fields = part.split(':');
  const groups: number[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field.includes('.')) {
      if (!mayEndInQuad || i !== fields.length - 1) return null;
      const v4 = parseIpv4(field);
      if (v4 === null) return null;
      groups.push(v4 >>> 16, v4 & 0xffff);
    } else {
      if (!/^[0-9a-fA-F]{1,4}$/.test(field)) return null;
      groups.push(parseInt(field, 16));
    }
  }
  return { groups };
}
