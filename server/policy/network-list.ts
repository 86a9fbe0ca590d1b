/**
 * Network lists (mynetworks, later permit_mx_backup_networks, smtpd_client_event_limit_exceptions):
 * address and network patterns matched against the client address, host and domain names
 * matched against the verified client name; first match wins, `!` excludes. This is
 * Postfix's namadr_list (match_hostname() then match_hostaddr() for each pattern).
 * Exports: NetworkPattern, NetworkList, NetworkListParse, parseNetworkList, matchNetworkList.
 * A name pattern also matches subdomains when the parameter is named in
 * parent_domain_matches_subdomains (mynetworks is by default); otherwise only `.domain` does.
 * IPv6 patterns must be in brackets (`[2001:db8::]/32`), as in main.cf. A `type:table` item
 * matches when the table has the client name (or a parent domain) or the client address.
 */
import { isAddressInNetwork, parseIpAddress, parseIpNetwork, type IpNetwork } from '../net/ip-address.ts';
import { parseMatchListItems } from './postfix-list.ts';
import { matchHostname, matchHostnameTable } from './domain-list.ts';
import type { LookupTable } from '../maps/lookup-table.ts';
import type { TableCatalog } from '../maps/table-catalog.ts';

export type NetworkPattern =
  | { readonly negate: boolean; readonly kind: 'network'; readonly text: string; readonly network: IpNetwork }
  | { readonly negate: boolean; readonly kind: 'name'; readonly text: string; readonly name: string }
  | { readonly negate: boolean; readonly kind: 'table'; readonly text: string; readonly table: LookupTable };

export interface NetworkList {
  readonly parameter: string;               // main.cf name, for messages
  readonly parentDomainMatches: boolean;    // parameter is in parent_domain_matches_subdomains
  readonly patterns: readonly NetworkPattern[];
}

export type NetworkListParse = { ok: true; list: NetworkList } | { ok: false; errors: string[] };

/** parseNetworkList - compile a network-list value; a malformed address or network is an error. */
export function parseNetworkList(parameter: string, value: string, parentDomainMatches: boolean, tables?: TableCatalog): NetworkListParse {
  const parsed = parseMatchListItems(parameter, value, tables);
  if (!parsed.ok) return parsed;
  const patterns: NetworkPattern[] = [];
  const errors: string[] = [];
  for (const { negate, pattern, table } of parsed.items) {
    if (table !== null) {
      patterns.push({ negate, kind: 'table', text: pattern, table });
      continue;
    }
    // Digits-and-dots items and bracketed items are addresses; the rest are names.
    if (pattern.startsWith('[') || /^[0-9.]+(\/.*)?$/.test(pattern)) {
      const network = parseIpNetwork(pattern);
      if (network.ok) patterns.push({ negate, kind: 'network', text: pattern, network: network.network });
      else errors.push(`in parameter ${parameter}: ${network.reason}`);
    } else {
      patterns.push({ negate, kind: 'name', text: pattern, name: pattern.toLowerCase() });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, list: { parameter, parentDomainMatches, patterns } };
}

/** matchNetworkList - true when the first matching pattern is not negated; no match is false. */
export function matchNetworkList(list: NetworkList, clientName: string, clientAddress: string): boolean {
  const address = parseIpAddress(clientAddress);
  const name = clientName.toLowerCase();
  for (const pattern of list.patterns) {
    const matched =
      pattern.kind === 'network'
        ? address !== null && isAddressInNetwork(address, pattern.network)
        : pattern.kind === 'name'
          ? matchHostname(name, pattern.name, list.parentDomainMatches)
          : matchHostnameTable(pattern.table, name, list.parentDomainMatches) || pattern.table.lookup(clientAddress).status === 'found';
    if (matched) return !pattern.negate;
  }
  return false;
}
