/**
 * Choosing the next hop of a recipient, as trivial-rewrite and the smtp client do: a FILTER
 * action's `transport:destination`, else transport_maps (transport(5): the domain, then its
 * parents as `.parent`), else relayhost, else the recipient domain; then the destination's
 * hosts: `[host]:port` literally, otherwise its MX hosts (A fallback when there is no MX).
 * Exports NextHop, Destination, lookupNextHop, parseDestination, resolveDestination.
 * Reads, through DeliverySettings: transport_maps, relayhost. A null MX bounces (RFC 7505), a
 * DNS or table failure defers (temporary stays temporary).
 * XXX only the smtp and relay transports exist: any other transport name delivers by SMTP too.
 */
import type { DnsResolver } from '../dns/resolver.ts';
import type { DeliverySettings } from './delivery-settings.ts';

/** Where a recipient goes: a destination string as transport(5) writes its nexthop. */
export type NextHop = { ok: true; destination: string } | { ok: false; reason: string };

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

/** lookupNextHop - the destination for a recipient; `filter` is a FILTER action's transport:destination. */
export function lookupNextHop(settings: DeliverySettings, recipient: string, filter: string | undefined): NextHop {
  if (filter) return { ok: true, destination: nexthopOf(filter) || domainOf(recipient) };
  const domain = domainOf(recipient);
  const keys = [recipient.toLowerCase(), domain];
  for (let d = domain; d.includes('.'); ) {
    d = d.slice(d.indexOf('.') + 1);
    keys.push('.' + d);
  }
  for (const table of settings.transportMaps) {
    for (const key of keys) {
      const r = table.lookup(key);
      if (r.status === 'retry') return { ok: false, reason: `transport_maps lookup failure: ${r.reason}` };
      if (r.status === 'found') return { ok: true, destination: nexthopOf(r.value) || settings.relayhost || domain };
    }
  }
  return { ok: true, destination: settings.relayhost || domain };
}

/** parseDestination - `[host]:port`, `host:port`, `host`; the port defaults to 25. */
export function parseDestination(destination: string): Destination {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(destination);
  if (bracket) return { host: bracket[1], port: bracket[2] ? Number(bracket[2]) : 25, literal: true };
  const colon = /^([^:]+):(\d+)$/.exec(destination);
  if (colon) return { host: colon[1], port: Number(colon[2]), literal: false };
  return { host: destination, port: 25, literal: false };
}

/** resolveDestination - the hosts of a destination, MX first, A fallback; null MX bounces. */
export async function resolveDestination(resolver: DnsResolver, destination: string): Promise<DestinationHosts> {
  const d = parseDestination(destination);
  if (d.literal) return hostAddresses(resolver, [d.host], d.port);
  const mx = await resolver.mx(d.host);
  if (mx.status === 'retry') return { status: 'defer', reason: `Host or domain name not found. Name service error for name=${d.host} type=MX: ${mx.reason}` };
  if (mx.status === 'notfound') return hostAddresses(resolver, [d.host], d.port);
  if (mx.records.some((r) => r.exchange === '')) return { status: 'bounce', reason: `Domain ${d.host} does not accept mail (nullMX)` };
  const names = [...mx.records].sort((a, b) => a.priority - b.priority).map((r) => r.exchange);
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

// transport(5) values are `transport:nexthop`, `transport:`, `:nexthop` or a bare `[host]`.
function nexthopOf(value: string): string {
  const v = value.trim();
  if (v.startsWith('[')) return v;
  const colon = v.indexOf(':');
  return colon < 0 ? '' : v.slice(colon + 1);
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
