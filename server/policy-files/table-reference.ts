/**
 * Where a main.cf value names lookup tables, read the way Postfix's reader of each parameter
 * type opens them: every item of a maps parameter (alias_maps, header_checks ...); the
 * `type:table` and `/file/name` items of domain and network lists (mynetworks,
 * relay_domains ...); in restriction lists and classes, the argument of a table-taking
 * restriction (`check_client_access TYPE:NAME`) and every bare `type:table` step; in plain
 * lists, only items whose type is a Postfix map type, so relayhost's `host:port` and
 * check_policy_service's `unix:private/policy` are never taken for tables.
 * Exports: TableReference, FileReference, ValueReferences, ReferenceSyntax, referenceSyntaxOf,
 * findValueReferences, replaceRanges.
 * Positions index the value as given, so a caller rewrites one item and keeps the rest of
 * the value (its commas, spacing, $names) exactly as the administrator wrote it.
 */
import type { ParameterDefinition } from '../config/parameter-definition.ts';
import { findRestriction } from '../policy/restriction-table.ts';

/** One `[proxy:]type:name` item; name may be a path, a stored table's name or `{...}` text. */
export interface TableReference {
  readonly start: number;   // where the item begins in the value (after any `!`)
  readonly end: number;     // just past it
  readonly proxy: boolean;  // written as proxy:type:name (proxymap serves the same table)
  readonly type: string;
  readonly name: string;
}

/** One `/file/name` item of a domain or network list: Postfix reads its patterns in place. */
export interface FileReference {
  readonly start: number;   // where the item begins, `!` included
  readonly end: number;
  readonly negate: boolean; // written `!/file/name`
  readonly path: string;
}

export interface ValueReferences {
  readonly tables: readonly TableReference[];
  readonly files: readonly FileReference[];
}

/** How a parameter's value names tables, or null for values that never do. */
export type ReferenceSyntax = 'maps' | 'match-list' | 'restriction-list' | 'list';

// The map types of Postfix 3.7 (`postconf -m` with every module, plus the built-in ones).
const POSTFIX_MAP_TYPES: ReadonlySet<string> = new Set([
  'btree', 'cdb', 'cidr', 'dbm', 'environ', 'fail', 'hash', 'inline', 'internal', 'ldap', 'lmdb',
  'memcache', 'mongodb', 'mysql', 'netinfo', 'nis', 'nisplus', 'pcre', 'pgsql', 'pipemap', 'proxy',
  'randmap', 'regexp', 'sdbm', 'socketmap', 'sqlite', 'static', 'tcp', 'texthash', 'unionmap', 'unix',
]);

const MAP_TYPE = /^[A-Za-z0-9_-]+$/;

/** referenceSyntaxOf - how values of this parameter name tables; restriction classes are restriction lists. */
export function referenceSyntaxOf(def: ParameterDefinition): ReferenceSyntax | null {
  switch (def.type) {
    case 'maps': return 'maps';
    case 'domain-list': case 'network-list': return 'match-list';
    case 'restriction-list': return 'restriction-list';
    case 'list': return 'list';
    default: return null;
  }
}

/** findValueReferences - the tables and files a value names, in order. */
export function findValueReferences(value: string, syntax: ReferenceSyntax): ValueReferences {
  const items = splitListItems(value);
  const tables: TableReference[] = [];
  const files: FileReference[] = [];
  if (syntax === 'restriction-list') {
    // smtpd_check_parse(): a word with ':' is a bare access table; a restriction that takes an
    // argument consumes the next word, whatever it looks like.
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item.text.includes(':')) {
        pushTable(tables, item.text, item.start, false);
        continue;
      }
      const argument = findRestriction(item.text)?.argument ?? 'none';
      if (argument === 'none' || i + 1 >= items.length) continue;
      i++;
      if (argument === 'table') pushTable(tables, items[i].text, items[i].start, false);
    }
    return { tables, files };
  }
  for (const item of items) {
    let at = 0;
    while (item.text[at] === '!') at++;
    const pattern = item.text.slice(at);
    if (syntax === 'match-list' && pattern.startsWith('/')) {
      files.push({ start: item.start, end: item.start + item.text.length, negate: at % 2 === 1, path: pattern });
    } else if (syntax !== 'match-list' || !pattern.startsWith('[')) {
      pushTable(tables, pattern, item.start + at, syntax === 'list');
    }
  }
  return { tables, files };
}

// An item is a table when it reads as `type:name`; in plain lists only a known map type counts.
function pushTable(tables: TableReference[], text: string, start: number, knownTypesOnly: boolean): void {
  const colon = text.indexOf(':');
  if (colon <= 0 || text.lastIndexOf('{', colon) >= 0) return;
  let type = text.slice(0, colon);
  let name = text.slice(colon + 1);
  if (!MAP_TYPE.test(type) || (knownTypesOnly && !POSTFIX_MAP_TYPES.has(type.toLowerCase()))) return;
  const proxy = type === 'proxy' && /^[A-Za-z0-9_-]+:/.test(name);
  if (proxy) {
    const inner = name.indexOf(':');
    type = name.slice(0, inner);
    name = name.slice(inner + 1);
  }
  tables.push({ start, end: start + text.length, proxy, type, name });
}

/** replaceRanges - value with each [start, end) range replaced; ranges must not overlap. */
export function replaceRanges(value: string, ranges: readonly { start: number; end: number; text: string }[]): string {
  let out = value;
  for (const r of [...ranges].sort((a, b) => b.start - a.start)) out = out.slice(0, r.start) + r.text + out.slice(r.end);
  return out;
}

// splitList() of server/config/parameter-list.ts with positions: items separated by commas
// and whitespace outside `{ }`, braces kept.
function splitListItems(value: string): { text: string; start: number }[] {
  const items: { text: string; start: number }[] = [];
  let start = -1;
  let depth = 0;
  for (let i = 0; i <= value.length; i++) {
    const ch = value[i];
    if (ch === undefined || (depth === 0 && /[,\s]/.test(ch))) {
      if (start >= 0) items.push({ text: value.slice(start, i), start });
      start = -1;
      continue;
    }
    if (start < 0) start = i;
    if (ch === '{') depth++;
    else if (ch === '}' && depth > 0) depth--;
  }
  return items;
}
