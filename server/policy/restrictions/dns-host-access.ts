/**
 * The check_*_a_access, check_*_mx_access and check_*_ns_access restrictions
 * (spec/access-maps.md section 2.4): look up the A records, the MX hosts or the NS hosts of a
 * name (the client name, the reverse client name, the HELO name, the sender or recipient
 * domain), and try each host like a client (its name, parent domains, then each of its
 * addresses) in the access table; the first entry found decides. OK is not allowed there.
 * A domain without MX records is its own mail exchanger; without NS records, its parent
 * domains are asked, as Postfix does. An address literal (`[192.0.2.1]`, a HELO or an address
 * domain) is its own A record and mail exchanger, and has no name servers. A host that is an
 * address is tried as an address only. For the reverse client name NAME is that name alone.
 * A failed MX, NS or A lookup of the name answers DUNNO with Postfix's warning (`Unable to look
 * up MX host for NAME: Host not found, try again`); a host whose address lookup fails is still
 * tried by name, and when nothing decides, each such host is logged (`Unable to look up MX host
 * H for CLASS NAME: Temporary failure in name resolution`), as check_server_access() does.
 * XXX those warnings are not logged when a later host decides the request.
 * Exports: dnsHostAccess, DNS_HOST_ACCESS.
 */
import type { Policy } from '../policy.ts';
import type { ReplyClass, RestrictionImplementation, RestrictionRequest, RestrictionResult } from '../restriction.ts';
import type { DnsQuery } from '../dns-answers.ts';
import type { MxRecord } from '../../dns/resolver.ts';
import { lookupAccess } from './access.ts';
import { isValidHostaddr, isValidMailhostAddr } from '../../net/valid-hostname.ts';

type HostType = 'a' | 'mx' | 'ns';
type Subject = 'client' | 'reverse_client_hostname' | 'helo' | 'sender' | 'recipient';

/** dnsHostAccess - the implementation of check_<subject>_<type>_access. */
export function dnsHostAccess(subject: Subject, type: HostType): RestrictionImplementation {
  const restriction = `check_${subject}_${type}_access`;
  return (request, policy, table) => {
    const target = subjectOf(request, subject);
    if (target === null) return { kind: 'dunno' };
    const byAddress = (address: string): RestrictionResult =>
      lookupAccess(policy, table, { kind: 'address', subject: address, replyName: target.replyName, replyClass: target.replyClass, restriction, okAllowed: false });
    // An address literal is its own mail exchanger and address; it has no name servers.
    if (target.name.startsWith('[')) {
      const inside = target.name.endsWith(']') ? target.name.slice(1, -1) : '';
      if (type === 'ns' || !isValidMailhostAddr(inside)) return { kind: 'dunno' };
      return byAddress(inside.replace(/^ipv6:/i, ''));
    }
    const hosts = hostsOf(request, type, target.name);
    if ('queries' in hosts) return { kind: 'dns', queries: hosts.queries };
    if ('failed' in hosts) {
      return { kind: 'dunno', warningCode: 'DNS_LOOKUP_ERROR', warning: `Unable to look up ${type.toUpperCase()} host for ${hosts.failed}: Host not found, try again` };
    }
    const warnings: string[] = [];
    for (const host of hosts.names) {
      let result: RestrictionResult;
      if (type === 'a' || isValidHostaddr(host)) {
        result = byAddress(host);
      } else {
        const addresses = addressesOf(request, host);
        if ('queries' in addresses) return { kind: 'dns', queries: addresses.queries };
        result = tryHost(policy, table, host, addresses.list, target, restriction);
        if (addresses.failure !== null) {
          warnings.push(`Unable to look up ${type.toUpperCase()} host ${host} for ${target.replyClass} ${target.replyName}: ${addresses.failure}`);
        }
      }
      if (result.kind !== 'dunno') return result;
    }
    return warnings.length > 0 ? { kind: 'dunno', warningCode: 'DNS_LOOKUP_ERROR', warning: warnings } : { kind: 'dunno' };
  };
}

function tryHost(
  policy: Policy, table: string | null, host: string, addresses: readonly string[],
  target: { replyName: string; replyClass: ReplyClass }, restriction: string,
): RestrictionResult {
  const byName = lookupAccess(policy, table, { kind: 'hostname', subject: host, ...target, restriction, okAllowed: false });
  if (byName.kind !== 'dunno') return byName;
  for (const address of addresses) {
    const byAddress = lookupAccess(policy, table, { kind: 'address', subject: address, ...target, restriction, okAllowed: false });
    if (byAddress.kind !== 'dunno') return byAddress;
  }
  return { kind: 'dunno' };
}

function subjectOf(request: RestrictionRequest, subject: Subject): { name: string; replyName: string; replyClass: ReplyClass } | null {
  const { clientName, reverseClientName, clientAddress } = request.session;
  const domain = (address: string | null): string | null => {
    if (address === null || address === '') return null;
    const at = address.lastIndexOf('@');
    const d = at < 0 ? '' : address.slice(at + 1);
    return d === '' ? null : d;
  };
  switch (subject) {
    case 'client':
      return clientName === 'unknown' ? null : { name: clientName, replyName: `${clientName}[${clientAddress}]`, replyClass: 'Client host' };
    case 'reverse_client_hostname':
      return reverseClientName === 'unknown' ? null : { name: reverseClientName, replyName: reverseClientName, replyClass: 'Unverified Client host' };
    case 'helo': {
      const helo = request.helo;
      return helo === null || helo === '' ? null : { name: helo, replyName: helo, replyClass: 'Helo command' };
    }
    case 'sender': {
      const d = domain(request.sender);
      return d === null ? null : { name: d, replyName: request.sender as string, replyClass: 'Sender address' };
    }
    case 'recipient': {
      const d = domain(request.recipient);
      return d === null ? null : { name: d, replyName: request.recipient as string, replyClass: 'Recipient address' };
    }
  }
}

// The names to try: A records (addresses), MX hosts (or the domain itself), NS hosts (or the
// parents'); failed: the name whose lookup failed temporarily.
function hostsOf(request: RestrictionRequest, type: HostType, name: string): { names: string[] } | { queries: DnsQuery[] } | { failed: string } {
  const dns = request.session.dns;
  const lower = name.replace(/\.$/, '').toLowerCase();
  if (type === 'a') {
    const a = dns?.get('A', lower);
    if (a === undefined) return { queries: [{ type: 'A', name: lower }] };
    if (a.status === 'retry') return { failed: lower };
    return { names: a.status === 'found' ? (a.records as string[]) : [] };
  }
  if (type === 'mx') {
    const mx = dns?.get('MX', lower);
    if (mx === undefined) return { queries: [{ type: 'MX', name: lower }] };
    if (mx.status === 'notfound') return { names: [lower] };
    if (mx.status === 'retry') return { failed: lower };
    return { names: mx.status === 'found' ? (mx.records as MxRecord[]).map((r) => r.exchange).filter((e) => e !== '') : [] };
  }
  // The name, then its parent domains down to the top-level one.
  for (let zone = lower; ; zone = zone.slice(zone.indexOf('.') + 1)) {
    const ns = dns?.get('NS', zone);
    if (ns === undefined) return { queries: [{ type: 'NS', name: zone }] };
    if (ns.status === 'found') return { names: ns.records as string[] };
    if (ns.status === 'retry') return { failed: zone };
    if (!zone.includes('.')) return { names: [] };
  }
}

// The addresses of a host, as getaddrinfo() gives them; failure: its error text when there are none.
function addressesOf(request: RestrictionRequest, host: string): { list: string[]; failure: string | null } | { queries: DnsQuery[] } {
  const dns = request.session.dns;
  const missing: DnsQuery[] = [];
  const list: string[] = [];
  const statuses: string[] = [];
  for (const type of ['A', 'AAAA'] as const) {
    const answer = dns?.get(type, host);
    if (answer === undefined) missing.push({ type, name: host });
    else if (answer.status === 'found') list.push(...(answer.records as string[]));
    else statuses.push(answer.status === 'notfound' && answer.nodata ? 'nodata' : answer.status);
  }
  if (missing.length) return { queries: missing };
  if (list.length > 0) return { list, failure: null };
  const failure = statuses.includes('retry') ? 'Temporary failure in name resolution'
    : statuses.every((s) => s === 'nodata') ? 'No address associated with hostname' : 'Name or service not known';
  return { list, failure };
}

/** DNS_HOST_ACCESS - every check_*_{a,mx,ns}_access implementation by restriction name. */
export const DNS_HOST_ACCESS: ReadonlyMap<string, RestrictionImplementation> = new Map(
  (['client', 'reverse_client_hostname', 'helo', 'sender', 'recipient'] as const).flatMap((subject) =>
    (['a', 'mx', 'ns'] as const).map((type) => [`check_${subject}_${type}_access`, dnsHostAccess(subject, type)] as const)),
);
