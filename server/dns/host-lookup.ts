/**
 * Where client names come from. Postfix's smtpd asks the system's name service
 * (getnameinfo() and getaddrinfo(): /etc/hosts, then DNS, as nsswitch.conf says), so
 * 127.0.0.1 is `localhost` even with no DNS at all. With dns_resolvers set, the gateway asks
 * those servers instead, as a private test zone or a split-horizon resolver needs.
 * Exports HostLookup, dnsHostLookup and systemHostLookup; answers are found / notfound / retry.
 */
import dns from 'node:dns';
import net from 'node:net';
import type { DnsResolver, DnsResult } from './resolver.ts';

export interface HostLookup {
  /** hostnameOf - the name of an address (PTR, or /etc/hosts). */
  hostnameOf(address: string): Promise<DnsResult<string>>;
  /** addressesOf - the addresses of a name in one family, for forward confirmation. */
  addressesOf(name: string, family: 'ipv4' | 'ipv6'): Promise<DnsResult<string>>;
}

/** dnsHostLookup - client names from the dns_resolvers servers. */
export function dnsHostLookup(resolver: DnsResolver): HostLookup {
  return {
    hostnameOf: (address) => resolver.ptr(address),
    addressesOf: (name, family) => (family === 'ipv4' ? resolver.a(name) : resolver.aaaa(name)),
  };
}

// getaddrinfo()/getnameinfo() codes that mean "try again later"; every other failure is "no such name".
const TEMPORARY = new Set(['EAI_AGAIN', 'EAI_FAIL', 'EAI_MEMORY', 'EAI_SYSTEM', 'ETIMEOUT']);

function failure(err: NodeJS.ErrnoException): DnsResult<string> {
  const code = err.code ?? 'EAI_FAIL';
  if (TEMPORARY.has(code)) return { status: 'retry', reason: `Temporary failure in name resolution (${code})`, code };
  return { status: 'notfound', nodata: code === 'ENODATA' || code === 'EAI_NODATA' };
}

/** withTimeout - the system resolver has its own timeouts; this bounds them by dns_timeout. */
function withTimeout(p: Promise<DnsResult<string>>, ms: number): Promise<DnsResult<string>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<DnsResult<string>>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'retry', reason: 'Temporary failure in name resolution (timeout)', code: 'ETIMEOUT' }), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** systemHostLookup - client names from the system's name service, as Postfix gets them. */
export function systemHostLookup(timeoutMs: number): HostLookup {
  return {
    hostnameOf: (address) => withTimeout(dns.promises.lookupService(address, 0).then(
      // Without a name getnameinfo() gives the address back in text form.
      ({ hostname }) => (net.isIP(hostname) ? { status: 'notfound' } : { status: 'found', records: [hostname.toLowerCase().replace(/\.$/, '')] }),
      failure,
    ), timeoutMs),
    addressesOf: (name, family) => withTimeout(dns.promises.lookup(name, { all: true, family: family === 'ipv4' ? 4 : 6 }).then(
      (list) => ({ status: 'found', records: list.map((a) => a.address) }),
      failure,
    ), timeoutMs),
  };
}
