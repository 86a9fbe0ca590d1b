/**
 * Client hostname lookup, as Postfix's smtpd_peer.c does it at connect time: the PTR name of the
 * client address (the unverified reverse name), then forward confirmation: the name's addresses
 * of the client's own family (A for IPv4, AAAA for IPv6) must include the client address, or the
 * verified name is 'unknown'. The statuses are Postfix's client_name_status and
 * client_reverse_name_status, read by reject_unknown_client_hostname and
 * reject_unknown_reverse_client_hostname (spec/restrictions.md).
 * Exports lookupClientName and ClientNameResult. Names come from a HostLookup (./host-lookup.ts). Reads no parameters: with
 * smtpd_peername_lookup = no the caller does not call it. Returns Postfix's warning text for the
 * caller to log ("hostname h does not resolve to address a", "numeric hostname: …"); logs nothing.
 * An IPv4-mapped IPv6 address is looked up as the IPv4 address it carries.
 */
import net from 'node:net';
import type { DnsResult } from './resolver.ts';
import type { HostLookup } from './host-lookup.ts';
import { unmapIpv4Address } from '../net/ip-address.ts';
import { validateHostname } from '../net/valid-hostname.ts';

export interface ClientNameResult {
  name: string; // verified name, or 'unknown'
  reverseName: string; // the PTR name, not verified, or 'unknown'
  nameStatus: 'ok' | 'notfound' | 'forged' | 'retry'; // forged: a PTR name whose addresses do not include the client
  reverseNameStatus: 'ok' | 'notfound' | 'retry';
  warning?: string; // what Postfix logs as "warning: …" for this lookup
}

const UNKNOWN = 'unknown';

/** Look up and forward-confirm the client's name; a temporary DNS failure at either step gives 'retry', never 'notfound'. */
export async function lookupClientName(lookup: HostLookup, address: string): Promise<ClientNameResult> {
  const client = unmapIpv4Address(address);
  const reverse = await lookup.hostnameOf(client);
  if (reverse.status !== 'found') {
    const status = reverse.status === 'retry' ? 'retry' : 'notfound';
    return { name: UNKNOWN, reverseName: UNKNOWN, nameStatus: status, reverseNameStatus: status };
  }
  // Postfix keeps the first name getnameinfo() gives, which is the first PTR record.
  const reverseName = reverse.records[0];

  // A numeric name would let a PTR record pose as an address in access tables, and a malformed
  // one must not reach the logs (Postfix's sockaddr_to_hostname()): both count as no name at all.
  const syntax = net.isIP(reverseName) !== 0
    ? { valid: false as const, warning: `numeric hostname: ${reverseName}` }
    : validateHostname(reverseName);
  if (!syntax.valid) {
    return {
      name: UNKNOWN,
      reverseName: UNKNOWN,
      nameStatus: 'notfound',
      reverseNameStatus: 'notfound',
      warning: syntax.warning,
    };
  }

  const family = net.isIPv4(client) ? 'ipv4' : 'ipv6';
  const forward = await lookup.addressesOf(reverseName, family);
  if (forward.status !== 'found') {
    return {
      name: UNKNOWN,
      reverseName,
      nameStatus: forward.status === 'retry' ? 'retry' : 'forged',
      reverseNameStatus: 'ok',
      warning: `hostname ${reverseName} does not resolve to address ${client}: ${describeForwardFailure(forward)}`,
    };
  }
  const addresses = new net.BlockList();
  addresses.addAddress(client, family);
  if (!forward.records.some((record) => addresses.check(record, family))) {
    return {
      name: UNKNOWN,
      reverseName,
      nameStatus: 'forged',
      reverseNameStatus: 'ok',
      warning: `hostname ${reverseName} does not resolve to address ${client}`,
    };
  }
  return { name: reverseName, reverseName, nameStatus: 'ok', reverseNameStatus: 'ok' };
}

// The getaddrinfo() error text Postfix appends (gai_strerror() of glibc).
function describeForwardFailure(result: Exclude<DnsResult<string>, { status: 'found' }>): string {
  if (result.status === 'retry') return 'Temporary failure in name resolution';
  return result.nodata ? 'No address associated with hostname' : 'Name or service not known';
}
