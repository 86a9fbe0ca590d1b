/**
 * The access(5) key order as data (spec/access-maps.md section 2): the list of keys smtpd
 * tries, in order, for a client (check_namadr_access: name, parent domains, address, shorter
 * networks), a hostname (check_domain_access: HELO, ETRN, MX/NS names), an IP address
 * (check_addr_access) and an email address (check_mail_access with mail_addr_find's strategy:
 * full address, address without extension, domain, parent domains, `localpart+ext@`,
 * `localpart@`), and the null sender key. Each key is full or partial; pattern tables (regexp,
 * pcre, cidr) are only offered full keys. accessLookup() walks the list against one table: the
 * first key present decides (even when its value is DUNNO), a retry stops the walk and stays
 * temporary, and the keys tried come back for the console's "why did this match".
 * Exports: AccessKey, AccessKind, AccessKeyOptions, ClientIdentity, AccessLookupResult,
 * DEFAULT_ACCESS_KEY_OPTIONS, hostnameAccessKeys, addressAccessKeys, clientAccessKeys,
 * emailAccessKeys, accessKeys, accessLookup.
 * Reads (through AccessKeyOptions, given by the caller): parent_domain_matches_subdomains
 * (smtpd_access_maps), recipient_delimiter, smtpd_null_access_lookup_key, double_bounce_sender.
 * The email address is expected resolved as smtpd resolves it (myorigin appended, source route
 * stripped, quotes removed); here it is only lowercased.
 * Departure from Postfix, per the spec: address literals (`[192.0.2.1]`) get no parent-domain
 * keys, as bare addresses get none.
 */
import { formatAddressBits, parseAddressBits, unmapAddressBits } from './cidr-address.ts';
import type { LookupTable } from './lookup-table.ts';

/** One key to try; `partial` keys (DICT_FLAG_FIXED in Postfix) go to fixed-string tables only. */
export interface AccessKey {
  readonly key: string;
  readonly form: 'full' | 'partial';
}

export type AccessKind = 'client' | 'hostname' | 'address' | 'email';

export interface ClientIdentity {
  readonly name: string;     // verified client hostname, or `unknown`
  readonly address: string;  // client IP address
}

export interface AccessKeyOptions {
  readonly parentDomainMatches: boolean;  // smtpd_access_maps is in parent_domain_matches_subdomains
  readonly recipientDelimiter: string;    // recipient_delimiter: each character is a delimiter; '' for none
  readonly nullAccessLookupKey: string;   // smtpd_null_access_lookup_key
  readonly doubleBounceSender: string;    // double_bounce_sender: never split at a delimiter
}

/** Postfix 3.7's defaults for the parameters above. */
export const DEFAULT_ACCESS_KEY_OPTIONS: AccessKeyOptions = Object.freeze({
  parentDomainMatches: true,
  recipientDelimiter: '',
  nullAccessLookupKey: '<>',
  doubleBounceSender: 'double-bounce',
});

export type AccessLookupResult =
  | { status: 'found'; value: string; key: string; line?: number; keysTried: string[] }
  | { status: 'notfound'; keysTried: string[] }
  | { status: 'retry'; reason: string; key: string; keysTried: string[] };

/**
 * hostnameAccessKeys - the name, then its parent domains down to the top-level label
 * (`.parent` forms when parent domains do not match subdomains); none for a numeric name.
 */
export function hostnameAccessKeys(name: string, options: AccessKeyOptions = DEFAULT_ACCESS_KEY_OPTIONS): AccessKey[] {
  const keys: AccessKey[] = [{ key: name, form: 'full' }];
  if (!isNumericName(name)) keys.push(...parentDomainKeys(name, options));
  return keys;
}

/**
 * addressAccessKeys - the address as smtpd prints it, then with the last `.octet` or `:group`
 * removed, repeatedly: 198.51.100.7, 198.51.100, 198.51, 198.
 */
export function addressAccessKeys(address: string): AccessKey[] {
  const parsed = parseAddressBits(address);
  let text = parsed === null ? address : formatAddressBits(unmapAddressBits(parsed));
  const delimiter = text.includes(':') ? ':' : '.';
  const keys: AccessKey[] = [{ key: text, form: 'full' }];
  for (let cut = text.lastIndexOf(delimiter); cut >= 0; cut = text.lastIndexOf(delimiter)) {
    text = text.slice(0, cut);
    keys.push({ key: text, form: 'partial' });
  }
  return keys;
}

/** clientAccessKeys - hostname keys, then address keys: a name entry beats any address entry. */
export function clientAccessKeys(client: ClientIdentity, options: AccessKeyOptions = DEFAULT_ACCESS_KEY_OPTIONS): AccessKey[] {
  return [...hostnameAccessKeys(client.name, options), ...addressAccessKeys(client.address)];
}

/**
 * emailAccessKeys - keys for a sender or recipient address, lowercased; the null sender (an
 * empty address) is looked up once, as smtpd_null_access_lookup_key.
 */
export function emailAccessKeys(address: string, options: AccessKeyOptions = DEFAULT_ACCESS_KEY_OPTIONS): AccessKey[] {
  if (address === '') return [{ key: options.nullAccessLookupKey, form: 'full' }];
  const full = address.toLowerCase();
  const at = full.lastIndexOf('@');
  const localPart = at < 0 ? full : full.slice(0, at);
  const domain = at < 0 ? null : full.slice(at + 1);
  const bareLocalPart = stripExtension(localPart, options);
  const keys: AccessKey[] = [{ key: full, form: 'full' }];
  if (bareLocalPart !== null) keys.push({ key: domain === null ? bareLocalPart : `${bareLocalPart}@${domain}`, form: 'partial' });
  if (domain === null) return keys;
  if (domain !== '') {
    keys.push({ key: domain, form: 'partial' });
    if (!isNumericName(domain)) keys.push(...parentDomainKeys(domain, options));
  }
  keys.push({ key: `${localPart}@`, form: 'partial' });
  if (bareLocalPart !== null) keys.push({ key: `${bareLocalPart}@`, form: 'partial' });
  return keys;
}

/** accessKeys - the key list for a subject of the given kind. */
export function accessKeys(kind: 'client', subject: ClientIdentity, options?: AccessKeyOptions): AccessKey[];
export function accessKeys(kind: Exclude<AccessKind, 'client'>, subject: string, options?: AccessKeyOptions): AccessKey[];
export function accessKeys(kind: AccessKind, subject: string | ClientIdentity, options: AccessKeyOptions = DEFAULT_ACCESS_KEY_OPTIONS): AccessKey[] {
  if (kind === 'client') return clientAccessKeys(subject as ClientIdentity, options);
  const text = subject as string;
  if (kind === 'hostname') return hostnameAccessKeys(text, options);
  if (kind === 'address') return addressAccessKeys(text);
  return emailAccessKeys(text, options);
}

/**
 * accessLookup - try the keys in order against one table, as check_*_access does: the first
 * key found decides, a retry stops the search; pattern tables see the full keys only.
 */
export function accessLookup(table: LookupTable, kind: 'client', subject: ClientIdentity, options?: AccessKeyOptions): AccessLookupResult;
export function accessLookup(table: LookupTable, kind: Exclude<AccessKind, 'client'>, subject: string, options?: AccessKeyOptions): AccessLookupResult;
export function accessLookup(
  table: LookupTable, kind: AccessKind, subject: string | ClientIdentity, options: AccessKeyOptions = DEFAULT_ACCESS_KEY_OPTIONS,
): AccessLookupResult {
  const keys = kind === 'client'
    ? clientAccessKeys(subject as ClientIdentity, options)
    : accessKeys(kind, subject as string, options);
  const keysTried: string[] = [];
  for (const { key, form } of keys) {
    if (form === 'partial' && table.keyForm === 'pattern') continue;
    keysTried.push(key);
    const result = table.lookup(key);
    if (result.status === 'found') {
      return result.line === undefined
        ? { status: 'found', value: result.value, key, keysTried }
        : { status: 'found', value: result.value, key, line: result.line, keysTried };
    }
    if (result.status === 'retry') return { status: 'retry', reason: result.reason, key, keysTried };
  }
  return { status: 'notfound', keysTried };
}

// Parent domains after the name itself, as the loops in check_domain_access() and
// mail_addr_find_opt() produce them: `example.net`, `net`, or `.example.net`, `.net`.
function parentDomainKeys(name: string, options: AccessKeyOptions): AccessKey[] {
  const keys: AccessKey[] = [];
  let start = 0;
  for (;;) {
    let next = name.indexOf('.', start + 1);
    if (next < 0) break;
    if (options.parentDomainMatches) next += 1;
    if (next >= name.length) break;
    start = next;
    keys.push({ key: name.slice(start), form: 'partial' });
  }
  return keys;
}

// A bare IPv4 or IPv6 address (valid_hostaddr()), or an address literal in brackets.
function isNumericName(name: string): boolean {
  const literal = /^\[(?:ipv6:)?(.*)\]$/i.exec(name);
  return parseAddressBits(literal === null ? name : literal[1]) !== null;
}

// split_addr(): the local part without its extension, or null when there is none to strip.
function stripExtension(localPart: string, options: AccessKeyOptions): string | null {
  const delimiters = options.recipientDelimiter;
  if (delimiters === '') return null;
  const lower = localPart.toLowerCase();
  // These are never split, whatever the delimiter (mail_addr.h, split_addr.c).
  if (lower === 'postmaster' || lower === 'mailer-daemon' || lower === options.doubleBounceSender.toLowerCase()) return null;
  if (delimiters.includes('-') && (lower.startsWith('owner-') || (lower.length > 8 && lower.endsWith('-request')))) return null;
  let index = -1;
  for (let i = 0; i < localPart.length; i++) {
    if (delimiters.includes(localPart[i])) {
      index = i;
      break;
    }
  }
  return index > 0 ? localPart.slice(0, index) : null;
}
