/**
 * DNS block and allow lists (spec/restrictions.md sections 10.2-10.5): reject_rbl_client and
 * the old reject_rbl and reject_maps_rbl, permit_dnswl_client, reject_rhsbl_client,
 * _reverse_client, _helo, _sender, _recipient, and permit_rhswl_client. A name is listed when
 * its query under the zone has an A record (matching `zone=filter` when given); the TXT records
 * become $rbl_reason. A lookup that fails is "not listed" for block lists and a
 * defer_if_reject for allow lists: a DNS failure never turns into a reject. A block list
 * lookup that fails logs Postfix's `warning: QUERY: RBL lookup error: REASON`. Names that are
 * no valid host name, and names with a numeric last label, are not looked up.
 * Exports: rejectRblClient, rejectMapsRbl, permitDnswlClient, rejectRhsblClient,
 * rejectRhsblReverseClient, rejectRhsblHelo, rejectRhsblSender, rejectRhsblRecipient,
 * permitRhswlClient.
 * Reads: maps_rbl_domains (and the reply parameters of rbl-reply.ts), through the Policy.
 */
import type { Policy } from '../policy.ts';
import type { ReplyClass, RestrictionRequest, RestrictionResult } from '../restriction.ts';
import type { DnsQuery } from '../dns-answers.ts';
import { reverseAddressForDnsbl } from '../../dns/reverse-octets.ts';
import { rblReply } from '../rbl-reply.ts';
import { isAuthorizedDestination } from './recipient.ts';
import { isValidHostname } from '../../net/valid-hostname.ts';

type Listing =
  | { kind: 'ask'; queries: DnsQuery[] }
  | { kind: 'listed'; txt: string }
  | { kind: 'not-listed' }
  | { kind: 'retry'; query: string; reason: string }; // reason: the resolver's, in Postfix's words

/** rejectRblClient - the client address, reversed, under the zone. */
export function rejectRblClient(request: RestrictionRequest, policy: Policy, zone: string | null): RestrictionResult {
  const reversed = reverseAddressForDnsbl(request.session.clientAddress);
  if (reversed === null || zone === null) return { kind: 'dunno' };
  return blockIfListedAs(request, policy, zone, reversed, request.session.clientAddress, 'Client host');
}

/** rejectMapsRbl - reject_rbl_client for each zone of maps_rbl_domains, the first listing wins. */
export function rejectMapsRbl(request: RestrictionRequest, policy: Policy): RestrictionResult {
  for (const zone of policy.dnsLists.mapsRblDomains) {
    const result = rejectRblClient(request, policy, zone);
    if (result.kind !== 'dunno') return result;
  }
  return { kind: 'dunno' };
}

/** permitDnswlClient - PERMIT a listed client address; a lookup failure defers a later reject. */
export function permitDnswlClient(request: RestrictionRequest, policy: Policy, zone: string | null): RestrictionResult {
  const reversed = reverseAddressForDnsbl(request.session.clientAddress);
  if (reversed === null || zone === null) return { kind: 'dunno' };
  return permitIfListed(request, policy, zone, reversed, request.session.clientAddress);
}

/** permitRhswlClient - PERMIT a client whose verified name is listed. */
export function permitRhswlClient(request: RestrictionRequest, policy: Policy, zone: string | null): RestrictionResult {
  const name = request.session.clientName;
  const domain = name === 'unknown' ? null : rhsDomainOf(name);
  if (domain === null || zone === null) return { kind: 'dunno' };
  return permitIfListed(request, policy, zone, domain, name);
}

/** rejectRhsblClient - the verified client name; skipped while it is `unknown`. */
export function rejectRhsblClient(request: RestrictionRequest, policy: Policy, zone: string | null): RestrictionResult {
  const name = request.session.clientName;
  if (name === 'unknown') return { kind: 'dunno' };
  return blockIfListed(request, policy, zone, name, 'Client host');
}

/** rejectRhsblReverseClient - the unverified reverse client name. */
export function rejectRhsblReverseClient(request: RestrictionRequest, policy: Policy, zone: string | null): RestrictionResult {
  const name = request.session.reverseClientName;
  if (name === 'unknown') return { kind: 'dunno' };
  return blockIfListed(request, policy, zone, name, 'Unverified Client host');
}

/** rejectRhsblHelo - the HELO name as sent (a literal, or a name ending in a dot, is no valid name: skipped). */
export function rejectRhsblHelo(request: RestrictionRequest, policy: Policy, zone: string | null): RestrictionResult {
  if (request.helo === null) return { kind: 'dunno' };
  return blockIfListed(request, policy, zone, request.helo, 'Helo command');
}

/** rejectRhsblSender - the sender's domain (not for <> or address literals). */
export function rejectRhsblSender(request: RestrictionRequest, policy: Policy, zone: string | null): RestrictionResult {
  if (request.sender === null || request.sender === '') return { kind: 'dunno' };
  return blockIfListed(request, policy, zone, request.sender, 'Sender address');
}

/** rejectRhsblRecipient - the recipient's domain. */
export function rejectRhsblRecipient(request: RestrictionRequest, policy: Policy, zone: string | null): RestrictionResult {
  if (request.recipient === null || request.recipient === '') return { kind: 'dunno' };
  return blockIfListed(request, policy, zone, request.recipient, 'Recipient address');
}

function blockIfListed(
  request: RestrictionRequest, policy: Policy, zoneArg: string | null, what: string, replyClass: ReplyClass,
): RestrictionResult {
  const name = rhsDomainOf(what);
  if (name === null || zoneArg === null) return { kind: 'dunno' };
  return blockIfListedAs(request, policy, zoneArg, name, what, replyClass);
}

function blockIfListedAs(
  request: RestrictionRequest, policy: Policy, zoneArg: string, name: string, what: string, replyClass: ReplyClass,
): RestrictionResult {
  const { zone } = splitZone(zoneArg);
  const listing = lookupListing(request, zoneArg, name);
  if (listing.kind === 'ask') return { kind: 'dns', queries: listing.queries };
  // rbl_pagein(): a failed lookup is "not listed", with a warning.
  if (listing.kind === 'retry') return { kind: 'dunno', warningCode: 'DNS_LOOKUP_ERROR', warning: `${listing.query}: RBL lookup error: ${listing.reason}` };
  if (listing.kind !== 'listed') return { kind: 'dunno' };
  return rblReply(request, policy, { domain: zone, zoneArgument: zoneArg, what, replyClass, txt: listing.txt });
}

// Allow lists never let a client past relay control: at RCPT, in whichever list, they only
// count for authorized destinations (permit_dnswl_addr()'s safety check).
function permitIfListed(request: RestrictionRequest, policy: Policy, zoneArg: string, name: string, what: string): RestrictionResult {
  if (request.where === 'RCPT' && request.recipient !== null && !isAuthorizedDestination(request.recipient, policy)) {
    return { kind: 'dunno' };
  }
  const listing = lookupListing(request, zoneArg, name, false);
  if (listing.kind === 'ask') return { kind: 'dns', queries: listing.queries };
  if (listing.kind === 'retry') {
    return { kind: 'defer_if_reject', errorClass: 'policy', code: 450, enh: '4.7.1', text: `<${what}>: Client host rejected: Service unavailable` };
  }
  if (listing.kind !== 'listed') return { kind: 'dunno' };
  const { clientName, clientAddress } = request.session;
  return { kind: 'permit', replyClass: 'Client host', replyName: `${clientName}[${clientAddress}]` };
}

function lookupListing(request: RestrictionRequest, zoneArg: string, name: string, wantTxt = true): Listing {
  const { zone, filter } = splitZone(zoneArg);
  const query = `${name}.${zone}`.toLowerCase();
  const dns = request.session.dns;
  const a = dns?.get('A', query);
  if (a === undefined) return { kind: 'ask', queries: [{ type: 'A', name: query }] };
  if (a.status === 'retry') return { kind: 'retry', query, reason: a.reason };
  if (a.status !== 'found') return { kind: 'not-listed' };
  const addresses = a.records as string[];
  if (filter !== null && !addresses.some((address) => filter(address))) return { kind: 'not-listed' };
  if (!wantTxt) return { kind: 'listed', txt: '' };
  const txt = dns?.get('TXT', query);
  if (txt === undefined) return { kind: 'ask', queries: [{ type: 'TXT', name: query }] };
  return { kind: 'listed', txt: txt.status === 'found' ? joinTxt(txt.records as string[]) : '' };
}

// rbl_pagein(): the TXT records joined with ` / `, at most 500 characters in all.
function joinTxt(records: readonly string[]): string {
  const LIMIT = 500;
  let txt = '';
  for (let i = 0; i < records.length && txt.length < LIMIT; i++) {
    txt += records[i].slice(0, LIMIT - txt.length);
    if (i + 1 < records.length && LIMIT - txt.length > 3) txt += ' / ';
  }
  return txt;
}

// `zone=127.0.0.2` or `zone=127.0.0.[2;4..6]`: each octet a number or a set of numbers and ranges.
function splitZone(zoneArg: string): { zone: string; filter: ((address: string) => boolean) | null } {
  const eq = zoneArg.indexOf('=');
  if (eq < 0) return { zone: zoneArg, filter: null };
  const octets = zoneArg.slice(eq + 1).match(/\[[^\]]*\]|[^.]+/g) ?? [];
  const sets = octets.map((octet) => {
    const items = octet.startsWith('[') && octet.endsWith(']') ? octet.slice(1, -1).split(';') : [octet];
    return (value: number) => items.some((item) => {
      const range = /^(\d+)\.\.(\d+)$/.exec(item);
      return range ? value >= Number(range[1]) && value <= Number(range[2]) : Number(item) === value;
    });
  });
  return {
    zone: zoneArg.slice(0, eq),
    filter: (address) => {
      const parts = address.split('.').map(Number);
      return parts.length === sets.length && parts.every((value, i) => sets[i](value));
    },
  };
}

// find_dnsxl_domain(): the domain of an address, or the name itself; none for an address
// literal, a name whose last label is numeric (some lists refuse "IP queries") or a name that
// is not valid host name syntax (a trailing dot included).
function rhsDomainOf(what: string): string | null {
  const at = what.lastIndexOf('@');
  const domain = at < 0 ? what : what.slice(at + 1);
  if (domain === '' || (at >= 0 && domain.startsWith('['))) return null;
  if (/^\d+$/.test(domain.slice(domain.lastIndexOf('.') + 1))) return null;
  return isValidHostname(domain) ? domain : null;
}
