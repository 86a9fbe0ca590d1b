/**
 * Choosing the next hop of a recipient, as trivial-rewrite and the smtp client do: a FILTER
 * action's `transport:destination`, else transport_maps (transport(5): the address, the domain,
 * then its parents as `.parent`), else the transport of the recipient's address class:
 * relay_transport for a domain in relay_domains, default_transport for any other. The result
 * is a transport name and its nexthop as transport(5) writes them: an empty transport is the
 * class's, and an empty nexthop is, in that order, the class transport's, relayhost's or the
 * recipient domain.
 * Then the destination's hosts: `[host]:port` literally, otherwise its MX hosts (A fallback when
 * there is no MX); LMTP looks up no MX and defaults to port 24.
 * Exports NextHop, Destination, lookupNextHop, parseDestination, resolveDestination.
 * Reads, through DeliverySettings: transport_maps, relay_domains, relayhost, default_transport,
 * relay_transport. A null MX bounces (RFC 7505), a DNS or table failure defers (temporary stays
 * temporary). Portcullis delivers nothing locally: mydestination and virtual domains have no
 * class of their own here, and take default_transport like any remote domain.
 */
import type { DnsResolver } from '../dns/resolver.ts';
import { matchDomainList } from '../policy/domain-list.ts';
import type { DeliverySettings } from './delivery-settings.ts';

/** Where a recipient goes: a transport and its nexthop, as transport(5) writes them. */
export type NextHop = { ok: true; transport: string; nexthop: string } | { ok: false; reason: string };

/** A destination parsed: `[host]:port` suppresses the MX lookup. */
export interface Destination {
  host: string;     // host or domain, without brackets
  port: number;     // 25 unless given
  literal: boolean; // written in [brackets]: no MX lookup
}

/** One host to try, in order. */
export interface DestinationHost {
  name: string;    // host name as logged in relay=
  address: string; // IP address to connect to
  port: number;
}

export type DestinationHosts =
  | { status: 'found'; hosts: DestinationHost[] }
  | { status: 'bounce'; reason: string }
  | { status: 'defer'; reason: string };

/** lookupNextHop - the transport and nexthop for a recipient; `filter` is a FILTER action's transport:destination. */
export function lookupNextHop(settings: DeliverySettings, recipient: string, filter: string | undefined): NextHop {
  const domain = domainOf(recipient);
  const classTransport = matchDomainList(settings.relayDomains, domain) ? settings.relayTransport : settings.defaultTransport;
  const fallback = splitTransport(classTransport);
  const hop = (value: string, emptyNexthop: string): NextHop => {
    const { transport, nexthop } = splitTransport(value);
    return { ok: true, transport: transport || fallback.transport, nexthop: nexthop || emptyNexthop };
  };
  if (filter) return hop(filter, domain);
  const keys = [recipient.toLowerCase(), domain];
  for (let d = domain; d.includes('.'); ) {
    d = d.slice(d.indexOf('.') + 1);
    keys.push('.' + d);
  }
  for (const table of settings.transportMaps) {
    for (const key of keys) {
      const r = table.lookup(key);
      if (r.status === 'retry') return { ok: false, reason: `transport_maps lookup failure: ${r.reason}` };
      if (r.status === 'found') return hop(r.value, fallback.nexthop || settings.relayhost || domain);
    }
  }
  return hop(classTransport, settings.relayhost || domain);
}

/** parseDestination - `[host]:port`, `host:port`, `host`, LMTP's `inet:` prefix; the port defaults to defaultPort. */
export function parseDestination(destination: string, defaultPort = 25): Destination {
  const d = destination.replace(/^inet:/, '');
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(d);
  if (bracket) return { host: bracket[1], port: bracket[2] ? Number(bracket[2]) : defaultPort, literal: true };
  const colon = /^([^:]+):(\d+)$/.exec(d);
  if (colon) return { host: colon[1], port: Number(colon[2]), literal: false };
  return { host: d, port: defaultPort, literal: false };
}

/** resolveDestination - the hosts of a destination, MX first (unless mx is false), A fallback; null MX bounces. */
export async function resolveDestination(resolver: DnsResolver, destination: string, defaultPort = 25, mx = true): Promise<DestinationHosts> {
  const d = parseDestination(destination, defaultPort);
  if (d.literal || !mx) return hostAddresses(resolver, [d.host], d.port);
  const found = await resolver.mx(d.host);
  if (found.status === 'retry') return { status: 'defer', reason: `Host or domain name not found. Name service error for name=${d.host} type=MX: ${found.reason}` };
  if (found.status === 'notfound') return hostAddresses(resolver, [d.host], d.port);
  if (found.records.some((r) => r.exchange === '')) return { status: 'bounce', reason: `Domain ${d.host} does not accept mail (nullMX)` };
  const names = [...found.records].sort((a, b) => a.priority - b.priority).map((r) => r.exchange);
  return hostAddresses(resolver, names, d.port);
}

async function hostAddresses(resolver: DnsResolver, names: string[], port: number): Promise<DestinationHosts> {
  const hosts: DestinationHost[] = [];
  let lastReason = '';
  for (const name of names) {
    if (/^[\d.]+$/.test(name) || name.includes(':')) {
      hosts.push({ name, address: name, port });
      continue;
    }
    const a = await resolver.addresses(name);
    if (a.status === 'found') for (const address of a.records) hosts.push({ name, address, port });
    else lastReason = a.status === 'retry' ? `Name service error for name=${name} type=A: ${a.reason}` : `Host or domain name not found. Name service error for name=${name} type=A: Host not found`;
  }
  if (hosts.length) return { status: 'found', hosts };
  return { status: 'defer', reason: lastReason || 'no host to deliver to' };
}

// transport(5) values are `transport:nexthop`, `transport:`, `:nexthop` or a bare `[host]`;
// the nexthop may hold colons itself (`lmtp:unix:/path`, `error:5.1.1 text: more`).
function splitTransport(value: string): { transport: string; nexthop: string } {
  const v = value.trim();
  if (v.startsWith('[')) return { transport: '', nexthop: v };
  const colon = v.indexOf(':');
  return colon < 0 ? { transport: v, nexthop: '' } : { transport: v.slice(0, colon), nexthop: v.slice(colon + 1) };
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
