/**
 * DNS resolver: A, AAAA, MX, NS, TXT and PTR lookups through node's c-ares resolver with a
 * per-query timeout, each answering found, notfound or retry as Postfix's dns_lookup() answers
 * DNS_OK, DNS_NOTFOUND and DNS_RETRY: a timeout, SERVFAIL or refused query is never "not found"
 * (style.md, "Temporary stays temporary").
 * Exports createResolver, parseResolverAddress and the types DnsResolver, DnsResult, MxRecord,
 * ResolverOptions. Reads, through its caller: dns_resolvers (the name servers; empty means the
 * system's, from /etc/resolv.conf). Names in results are lowercase without a trailing dot.
 * Queries are absolute (no search domains, as Postfix's res_query()) and never consult
 * /etc/hosts: c-ares' resolve*() ask DNS only, and PTR queries are built here rather than with
 * Resolver.reverse(), which answers from /etc/hosts.
 * Throws only for a malformed server address (the configuration check should have caught it),
 * for a PTR query of something that is not an IP address, and for errors that are not DNS
 * outcomes (bugs).
 * XXX no answer cache: Postfix keeps RBL answers in smtpd_rbl_cache (100 entries); that cache
 * belongs over the RBL lookups, not here.
 */
import dns from 'node:dns';
import net from 'node:net';
import { reverseLookupName } from './reverse-octets.ts';

export type DnsResult<T> =
  | { status: 'found'; records: T[] }
  | { status: 'notfound'; nodata?: boolean } // nodata: the name exists without records of this type
  | { status: 'retry'; reason: string; code: string }; // reason in Postfix's words; code from c-ares, e.g. 'ETIMEOUT'

export interface MxRecord {
  exchange: string; // '' for the null MX `MX 0 .` (RFC 7505)
  priority: number;
}

export interface DnsResolver {
  a(name: string): Promise<DnsResult<string>>;
  aaaa(name: string): Promise<DnsResult<string>>;
  addresses(name: string): Promise<DnsResult<string>>; // A then AAAA
  mx(name: string): Promise<DnsResult<MxRecord>>;
  ns(name: string): Promise<DnsResult<string>>;
  txt(name: string): Promise<DnsResult<string>>; // each record's strings joined
  ptr(address: string): Promise<DnsResult<string>>;
}

export interface ResolverOptions {
  servers: string[]; // dns_resolvers items: host, host:port, [v6], [v6]:port; [] = system resolver
  timeoutMs: number; // wait for one try; a query with no answer after timeoutMs × tries is a retry
  tries?: number; // rounds over the servers; 2 as resolv.conf's default "attempts"
}

const DEFAULT_TRIES = 2;
const DEFAULT_PORT = 53;

// Every code c-ares reports through node; any other error from a query is a bug and is thrown.
const DNS_ERROR_CODES = new Set<string>([
  dns.NODATA, dns.FORMERR, dns.SERVFAIL, dns.NOTFOUND, dns.NOTIMP, dns.REFUSED, dns.BADQUERY,
  dns.BADNAME, dns.BADFAMILY, dns.BADRESP, dns.CONNREFUSED, dns.TIMEOUT, dns.EOF, dns.FILE,
  dns.NOMEM, dns.DESTRUCTION, dns.BADSTR, dns.BADFLAGS, dns.NONAME, dns.BADHINTS,
  dns.NOTINITIALIZED, dns.LOADIPHLPAPI, dns.ADDRGETNETWORKPARAMS, dns.CANCELLED,
]);

/** Build a resolver over the dns_resolvers servers; a malformed server item throws. */
export function createResolver(options: ResolverOptions): DnsResolver {
  const tries = options.tries ?? DEFAULT_TRIES;
  const resolver = new dns.promises.Resolver({ timeout: options.timeoutMs, tries });
  if (options.servers.length > 0) {
    resolver.setServers(options.servers.map((item) => {
      const server = parseResolverAddress(item);
      if (server === null) throw new Error(`dns_resolvers: malformed name server address "${item}"`);
      return net.isIPv6(server.host) ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
    }));
  }

  const budgetMs = options.timeoutMs * tries;
  const a = (name: string) => query(name, 'A', budgetMs, (absolute) => resolver.resolve4(absolute));
  const aaaa = (name: string) => query(name, 'AAAA', budgetMs, (absolute) => resolver.resolve6(absolute));
  return {
    a,
    aaaa,
    async addresses(name) {
      const [v4, v6] = await Promise.all([a(name), aaaa(name)]);
      return combineAddressResults(v4, v6);
    },
    mx: (name) => query(name, 'MX', budgetMs, async (absolute) =>
      (await resolver.resolveMx(absolute)).map(({ exchange, priority }) => ({ exchange: normalizeName(exchange), priority }))),
    ns: (name) => query(name, 'NS', budgetMs, async (absolute) => (await resolver.resolveNs(absolute)).map(normalizeName)),
    txt: (name) => query(name, 'TXT', budgetMs, async (absolute) =>
      (await resolver.resolveTxt(absolute)).map((strings) => strings.join(''))),
    async ptr(address) {
      const name = reverseLookupName(address);
      if (name === null) throw new TypeError(`ptr: not an IP address: ${address}`);
      return query(name, 'PTR', budgetMs, async (absolute) => (await resolver.resolvePtr(absolute)).map(normalizeName));
    },
  };
}

/** One dns_resolvers item as host and port, or null when it is not an IP address with an optional port. */
export function parseResolverAddress(item: string): { host: string; port: number } | null {
  let host: string;
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(item);
  const plain = /^([^:]+)(?::(\d+))?$/.exec(item);
  if (bracketed) {
    [, host, port] = bracketed;
    if (!net.isIPv6(host)) return null;
  } else if (net.isIPv6(item)) {
    host = item; // bare IPv6 cannot carry a port: its colons are all address
  } else if (plain) {
    [, host, port] = plain;
    if (!net.isIPv4(host)) return null; // c-ares takes addresses only, no host names
  } else {
    return null;
  }
  const number = port === undefined ? DEFAULT_PORT : Number(port);
  return number >= 1 && number <= 65535 ? { host, port: number } : null;
}

async function query<T>(
  name: string,
  type: string,
  budgetMs: number,
  run: (absolute: string) => Promise<T[]>,
): Promise<DnsResult<T>> {
  const normalized = normalizeName(name);
  const retry = (code: string): DnsResult<T> => ({
    status: 'retry',
    code,
    reason: `Host or domain name not found. Name service error for name=${normalized} type=${type}: Host not found, try again`,
  });
  let timer: NodeJS.Timeout | undefined;
  // c-ares paces its tries loosely (a fresh channel may wait twice the timeout), so the budget is
  // also kept here; a query abandoned this way still ends inside c-ares, unobserved.
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => resolve('deadline'), budgetMs);
  });
  try {
    // The trailing dot makes the name absolute, so no search domain is ever appended.
    const outcome = await Promise.race([
      run(`${normalized}.`).then((records) => ({ records }), (error: unknown) => ({ error })),
      deadline,
    ]);
    if (outcome === 'deadline') return retry(dns.TIMEOUT);
    if ('records' in outcome) {
      const { records } = outcome;
      return records.length > 0 ? { status: 'found', records } : { status: 'notfound', nodata: true };
    }
    const code = (outcome.error as NodeJS.ErrnoException).code;
    if (code === undefined || !DNS_ERROR_CODES.has(code)) throw outcome.error;
    if (code === dns.NOTFOUND) return { status: 'notfound' };
    if (code === dns.NODATA) return { status: 'notfound', nodata: true };
    // A name that cannot be put in a query (a label over 63 bytes …) will never resolve; Postfix's
    // dns_lookup() calls that DNS_INVAL and its callers treat it as not found.
    if (code === dns.BADNAME) return { status: 'notfound' };
    return retry(code);
  } finally {
    clearTimeout(timer);
  }
}

// Found if either family found something; retry only when nothing was found and one failed,
// as Postfix's dns_lookup_l() does for a list of types.
function combineAddressResults(v4: DnsResult<string>, v6: DnsResult<string>): DnsResult<string> {
  const records = [...(v4.status === 'found' ? v4.records : []), ...(v6.status === 'found' ? v6.records : [])];
  if (records.length > 0) return { status: 'found', records };
  if (v4.status === 'retry') return v4;
  if (v6.status === 'retry') return v6;
  const bothNodata = v4.status === 'notfound' && v4.nodata === true && v6.status === 'notfound' && v6.nodata === true;
  return bothNodata ? { status: 'notfound', nodata: true } : { status: 'notfound' };
}

function normalizeName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}
