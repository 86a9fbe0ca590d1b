/**
 * Domain lists: relay_domains (Postfix's domain_list, matched with match_hostname()) and
 * mydestination, virtual_alias_domains, virtual_mailbox_domains (Postfix's string_list:
 * exact names only). Case-insensitive; first match wins; `!` excludes.
 * Exports: DomainMatch, DomainList, DomainListParse, parseDomainList, matchDomainList,
 * matchHostname.
 * Subdomains (parent_domain_matches_subdomains): when the parameter is named there, as
 * relay_domains is by default, `example.com` also matches `sub.example.com`; otherwise only
 * an explicit `.example.com` pattern matches subdomains. A `type:table` item is looked up with
 * the name (and its parents, see matchHostnameTable). Postfix's mydestination is a string
 * list and never matches subdomains, whatever the pattern (resolve_local.c).
 */
import { parseMatchListItems } from './postfix-list.ts';
import type { LookupTable } from '../maps/lookup-table.ts';
import type { TableCatalog } from '../maps/table-catalog.ts';

export type DomainMatch =
  | 'parent'   // domain_list, parameter in parent_domain_matches_subdomains
  | 'dot'      // domain_list, parameter not in that list: `.domain` patterns match subdomains
  | 'exact';   // string_list: whole names only

export interface DomainList {
  readonly parameter: string; // main.cf name, for messages
  readonly match: DomainMatch;
  readonly patterns: readonly { readonly negate: boolean; readonly name: string; readonly table: LookupTable | null }[]; // names lowercased
}

export type DomainListParse = { ok: true; list: DomainList } | { ok: false; errors: string[] };

/** parseDomainList - compile a domain-list value. */
export function parseDomainList(parameter: string, value: string, match: DomainMatch, tables?: TableCatalog): DomainListParse {
  const parsed = parseMatchListItems(parameter, value, tables);
  if (!parsed.ok) return parsed;
  const patterns = parsed.items.map(({ negate, pattern, table }) => ({ negate, name: pattern.toLowerCase(), table }));
  return { ok: true, list: { parameter, match, patterns } };
}

/** matchDomainList - true when the first matching pattern is not negated. */
export function matchDomainList(list: DomainList, domain: string): boolean {
  const name = domain.toLowerCase();
  for (const pattern of list.patterns) {
    const matched = pattern.table !== null
      ? (list.match === 'exact' ? pattern.table.lookup(name).status === 'found' : matchHostnameTable(pattern.table, name, list.match === 'parent'))
      : list.match === 'exact' ? name === pattern.name : matchHostname(name, pattern.name, list.match === 'parent');
    if (matched) return !pattern.negate;
  }
  return false;
}

/**
 * matchHostname - Postfix's match_hostname() for one lowercased name and pattern: equal, or
 * with parent matching `pattern` is a parent domain of `name`; without it only a pattern
 * starting with '.' matches as a suffix. (With parent matching, a `.example.com` pattern does
 * not match `sub.example.com`: the same quirk as Postfix.)
 */
export function matchHostname(name: string, pattern: string, parentDomainMatches: boolean): boolean {
  if (name === pattern) return true;
  const suffixStart = name.length - pattern.length;
  if (suffixStart <= 0 || !name.endsWith(pattern)) return false;
  if (parentDomainMatches) return name[suffixStart - 1] === '.';
  return pattern.startsWith('.');
}

/**
 * matchHostnameTable - match_hostname() with a table pattern: the name, then for tables that
 * take partial keys its parent domains (`example.com`, or `.example.com` without parent
 * matching); pattern tables see the whole name only.
 */
export function matchHostnameTable(table: LookupTable, name: string, parentDomainMatches: boolean): boolean {
  if (table.lookup(name).status === 'found') return true;
  if (table.keyForm !== 'fixed') return false;
  for (let dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
    const key = parentDomainMatches ? name.slice(dot + 1) : name.slice(dot);
    if (key !== '' && table.lookup(key).status === 'found') return true;
  }
  return false;
}
