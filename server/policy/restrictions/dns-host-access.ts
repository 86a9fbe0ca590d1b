/**
 * The check_*_a_access, check_*_mx_access and check_*_ns_access restrictions
 * (spec/access-maps.md section 2.4): look up the A records, the MX hosts or the NS hosts of a
 * name (the client name, the reverse client name, the HELO name, the sender or recipient
 * domain), and try each host like a client (its name, parent domains, then each of its
 * addresses) in the access table; the first entry found decides. OK is not allowed there.
 * A domain without MX records is its own mail exchanger; without NS records, its parent
 * domains are asked, as Postfix does. DNS failures answer DUNNO (nothing to look up).
 * Exports: dnsHostAccess, DNS_HOST_ACCESS.
 */
import type { Policy } from '../policy.ts';
import type { ReplyClass, RestrictionImplementation, RestrictionRequest, RestrictionResult } from '../restriction.ts';
import type { DnsQuery } from '../dns-answers.ts';
import type { MxRecord } from '../../dns/resolver.ts';
import { lookupAccess } from './access.ts';

type HostType = 'a' | 'mx' | 'ns';
type Subject = 'client' | 'reverse_client_hostname' | 'helo' | 'sender' | 'recipient';

/** dnsHostAccess - the implementation of check_<subject>_<type>_access. */
export function dnsHostAccess(subject: Subject, type: HostType): RestrictionImplementation {
  const restriction = `check_${subject}_${type}_access`;
  return (request, policy, table) => {
    const target = subjectOf(request, subject);
    if (target === null) return { kind: 'dunno' };
    const hosts = hostsOf(request, type, target.name);
    if ('queries' in hosts) return { kind: 'dns', queries: hosts.queries };
    for (const host of hosts.names) {
      let result: RestrictionResult;
      if (type === 'a') {
        result = lookupAccess(policy, table, { kind: 'address', subject: host, replyName: target.replyName, replyClass: target.replyClass, restriction, okAllowed: false });
      } else {
        const addresses = addressesOf(request, host);
        if ('queries' in addresses) return { kind: 'dns', queries: addresses.queries };
        result = tryHost(policy, table, host, addresses.list, target, restriction);
      }
      if (result.kind !== 'dunno') return result;
    }
    return { kind: 'dunno' };
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
    return d === '' || d.startsWith('[') ? null : d;
  };
  switch (subject) {
    case 'client':
      return clientName === 'unknown' ? null : { name: clientName, replyName: `${clientName}[${clientAddress}]`, replyClass: 'Client host' };
    case 'reverse_client_hostname':
      return reverseClientName === 'unknown' ? null
        : { name: reverseClientName, replyName: `${reverseClientName}[${clientAddress}]`, replyClass: 'Unverified Client host' };
    case 'helo': {
      const helo = request.helo;
      return helo === null || helo === '' || helo.startsWith('[') ? null : { name: helo, replyName: helo, replyClass: 'Helo command' };
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

// The names to try: A records (addresses), MX hosts (or the domain itself), NS hosts (or the parents').
function hostsOf(request: RestrictionRequest, type: HostType, name: string): { names: string[] } | { queries: DnsQuery[] } {
  const dns = request.session.dns;
  const lower = name.replace(/\.$/, '').toLowerCase();
  if (type === 'a') {
    const a = dns?.get('A', lower);
    if (a === undefined) return { queries: [{ type: 'A', name: lower }] };
    return { names: a.status === 'found' ? (a.records as string[]) : [] };
  }
  if (type === 'mx') {
    const mx = dns?.get('MX', lower);
    if (mx === undefined) return { queries: [{ type: 'MX', name: lower }] };
    if (mx.status === 'notfound') return { names: [lower] };
    return { names: mx.status === 'found' ? (mx.records as MxRecord[]).map((r) => r.exchange).filter((e) => e !== '') : [] };
  }
  for (let zone = lower; zone.includes('.'); zone = zone.slice(zone.indexOf('.') + 1)) {
    const ns = dns?.get('NS', zone);
    if (ns === undefined) return { queries: [{ type: 'NS', name: zone }] };
    if (ns.status === 'found') return { names: ns.records as string[] };
    if (ns.status === 'retry') return { names: [] };
  }
  return { names: [] };
}

function addressesOf(request: RestrictionRequest, host: string): { list: string[] } | { queries: DnsQuery[] } {
  const dns = request.session.dns;
  const missing: DnsQuery[] = [];
  const list: string[] = [];
  for (const type of ['A', 'AAAA'] as const) {
    const answer = dns?.get(type, host);
    if (answer === undefined) missing.push({ type, name: host });
    else if (answer.status === 'found') list.push(...(answer.records as string[]));
  }
  return missing.length ? { queries: missing } : { list };
}

/** DNS_HOST_ACCESS - every check_*_{a,mx,ns}_access implementation by restriction name. */
export const DNS_HOST_ACCESS: ReadonlyMap<string, RestrictionImplementation> = new Map(
  (['client', 'reverse_client_hostname', 'helo', 'sender', 'recipient'] as const).flatMap((subject) =>
    (['a', 'mx', 'ns'] as const).map((type) => [`check_${subject}_${type}_access`, dnsHostAccess(subject, type)] as const)),
);
