/**
 * cidr tables (cidr_table(5)): `network/prefix result` or `address result` rules, IPv6 with or
 * without `[]`, tried in file order, the first match wins; `!pattern result` matches addresses
 * of the same family outside the network; `if pattern` ... `endif` blocks (both Postfix 3.2+)
 * are entered only when the condition holds. Keys and patterns are compared as binary
 * addresses; a key that is not an address (a hostname, an email address) never matches.
 * Runs of plain rules compile into prefix tries (cidr-prefix-trie.ts), so 100,000 networks
 * answer in microseconds; negated rules and if blocks are steps taken in order between them.
 * Exports: compileCidrTable, parseCidrPattern, CidrPattern.
 * Warnings are dict_cidr's: `cidr map FILE, line N: <why>: skipping this rule`, with cidr_match
 * reasons such as `non-null host address bits in "192.168.1.5/24", perhaps you should use
 * "192.168.1.0/24" instead`; an unclosed if gives `cidr map FILE, line N: IF has no matching ENDIF`.
 * Departure from Postfix, on purpose (style.md, server/maps): an IPv4-mapped key
 * (::ffff:192.0.2.1) is the IPv4 address it carries, and an IPv4-mapped pattern of /96 or longer
 * is the IPv4 network it describes; Postfix compares them as IPv6 and never matches them.
 */
import { formatAddressBits, parseAddressBits, unmapAddressBits, type AddressBits } from './cidr-address.ts';
import { PrefixTrie } from './cidr-prefix-trie.ts';
import { NOT_FOUND, type CompileOptions, type CompileTableResult, type LookupResult, type LookupTable, type TableWarning } from './lookup-table.ts';
import { readPostmapLines, isPostfixSpace, trimPostfixSpace } from './postmap-source.ts';

export interface CidrPattern {
  readonly family: 4 | 6;
  readonly words: readonly number[];  // network address, host bits zero
  readonly prefixLength: number;
}

interface CidrRule extends CidrPattern {
  readonly negated: boolean;
  readonly result: LookupResult;  // what a match answers, built once: a lookup allocates nothing
}

type CidrStep =
  | { kind: 'networks'; rules: CidrRule[]; v4: PrefixTrie | null; v6: PrefixTrie | null } // plain rules, in file order
  | { kind: 'negated'; rule: CidrRule }
  | { kind: 'if'; condition: CidrPattern; negated: boolean; steps: CidrStep[] };

type ParsedLine =
  | { op: 'match'; rule: CidrRule }
  | { op: 'if'; condition: CidrPattern; negated: boolean; line: number }
  | { op: 'endif' };

class CidrTable implements LookupTable {
  readonly type = 'cidr';
  readonly keyForm = 'pattern';

  constructor(readonly name: string, readonly steps: readonly CidrStep[]) {}

  lookup(key: string): LookupResult {
    const parsed = parseAddressBits(key);
    if (parsed === null) return NOT_FOUND;
    const rule = firstMatch(this.steps, unmapAddressBits(parsed));
    return rule === null ? NOT_FOUND : rule.result;
  }
}

/** compileCidrTable - compile cidr_table(5) source; bad rules are skipped with a warning. */
export function compileCidrTable(source: string, options: CompileOptions): CompileTableResult {
  const { name } = options;
  const { lines, warnings } = readPostmapLines(source, name);
  const top: CidrStep[] = [];
  const open: { steps: CidrStep[]; line: number }[] = []; // if blocks not yet closed, innermost last
  for (const { line, text } of lines) {
    const parsed = parseCidrRule(text, line, open.length);
    if ('why' in parsed) {
      warnings.push(cidrWarning(name, line, `${parsed.why}: skipping this rule`));
      continue;
    }
    const steps = open.length > 0 ? open[open.length - 1].steps : top;
    switch (parsed.op) {
      case 'match':
        addRule(steps, parsed.rule);
        break;
      case 'if': {
        const block: CidrStep = { kind: 'if', condition: parsed.condition, negated: parsed.negated, steps: [] };
        steps.push(block);
        open.push({ steps: block.steps, line });
        break;
      }
      case 'endif':
        open.pop();
        break;
    }
  }
  // An if without endif runs to the end of the table, as in Postfix.
  for (let i = open.length - 1; i >= 0; i--) {
    warnings.push(cidrWarning(name, open[i].line, 'IF has no matching ENDIF'));
  }
  return { ok: true, table: new CidrTable(name, top), warnings };
}

/**
 * parseCidrPattern - cidr_match_parse(): `addr`, `addr/len`, `[addr]`, `[addr]/len` or
 * `[addr/len]`; host bits under the prefix must be zero.
 */
export function parseCidrPattern(text: string): CidrPattern | { why: string } {
  let pattern = text;
  let mask: string | null = null;
  if (text.startsWith('[')) {
    const inner = text.slice(1);
    const close = inner.indexOf(']');
    if (close < 0) return { why: `missing ']' character after "[${inner}"` };
    const after = inner.slice(close + 1);
    pattern = inner.slice(0, close);
    if (after !== '') {
      if (!after.startsWith('/')) return { why: `garbage after "[${pattern}]"` };
      mask = after.slice(1);
    }
  }
  if (mask === null) {
    const slash = pattern.indexOf('/');
    if (slash >= 0) {
      mask = pattern.slice(slash + 1);
      pattern = pattern.slice(0, slash);
    }
  }
  const address = parseAddressBits(pattern);
  const width = pattern.includes(':') ? 128 : 32;
  if (mask === null) {
    if (address === null) return { why: `bad address pattern: "${pattern}"` };
    return mapToIpv4({ family: address.family, words: address.words, prefixLength: width });
  }
  if (!/^\d+$/.test(mask) || Number(mask) > width || address === null) {
    return { why: `bad net/mask pattern: "${pattern}/${mask}"` };
  }
  const prefixLength = Number(mask);
  const network = maskWords(address.words, prefixLength);
  if (network.some((word, i) => word !== address.words[i])) {
    const suggestion = formatAddressBits({ family: address.family, words: network });
    return { why: `non-null host address bits in "${pattern}/${mask}", perhaps you should use "${suggestion}/${prefixLength}" instead` };
  }
  return mapToIpv4({ family: address.family, words: network, prefixLength });
}

// One logical line: `[!]pattern value`, `if [!]pattern` or `endif` (dict_cidr_parse_rule()).
function parseCidrRule(text: string, line: number, nesting: number): ParsedLine | { why: string } {
  const keyword = /^(if|endif)(?![A-Za-z0-9])/i.exec(text);
  if (keyword !== null && keyword[1].toLowerCase() === 'endif') {
    if (trimPostfixSpace(text.slice(5)) !== '') return { why: 'garbage after ENDIF' };
    if (nesting === 0) return { why: 'ignoring ENDIF without matching IF' };
    return { op: 'endif' };
  }
  const afterIf = keyword !== null ? 2 : 0;
  let at = afterIf;
  let negated = false;
  for (; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 33 /* ! */) negated = !negated;
    else if (!isPostfixSpace(code)) break;
  }
  if (keyword !== null) {
    const patternText = trimPostfixSpace(text.slice(at));
    if (patternText === '') return { why: 'no address pattern' };
    const condition = parseCidrPattern(patternText);
    if ('why' in condition) return condition;
    return { op: 'if', condition, negated, line };
  }
  let end = at;
  while (end < text.length && !isPostfixSpace(text.charCodeAt(end))) end++;
  const patternText = text.slice(at, end);
  const value = trimPostfixSpace(text.slice(end));
  if (patternText === '') return { why: 'no address pattern' };
  if (value === '') return { why: 'no lookup result' };
  const pattern = parseCidrPattern(patternText);
  if ('why' in pattern) return pattern;
  return { op: 'match', rule: { ...pattern, negated, result: Object.freeze({ status: 'found', value, line }) } };
}

// Plain rules join the run of plain rules before them, so one trie serves the whole run.
function addRule(steps: CidrStep[], rule: CidrRule): void {
  if (rule.negated) {
    steps.push({ kind: 'negated', rule });
    return;
  }
  let last = steps[steps.length - 1];
  if (last === undefined || last.kind !== 'networks') {
    last = { kind: 'networks', rules: [], v4: null, v6: null };
    steps.push(last);
  }
  const index = last.rules.length;
  last.rules.push(rule);
  if (rule.family === 4) (last.v4 ??= new PrefixTrie()).insert(rule.words, rule.prefixLength, index);
  else (last.v6 ??= new PrefixTrie()).insert(rule.words, rule.prefixLength, index);
}

function firstMatch(steps: readonly CidrStep[], address: AddressBits): CidrRule | null {
  for (const step of steps) {
    switch (step.kind) {
      case 'networks': {
        const trie = address.family === 4 ? step.v4 : step.v6;
        const index = trie === null ? -1 : trie.firstMatch(address.words, address.family === 4 ? 32 : 128);
        if (index >= 0) return step.rules[index];
        break;
      }
      case 'negated':
        // Like cidr_match_entry(): only addresses of the rule's family are considered at all.
        if (step.rule.family === address.family && !isInNetwork(address, step.rule)) return step.rule;
        break;
      case 'if':
        if (step.condition.family === address.family && isInNetwork(address, step.condition) !== step.negated) {
          const found = firstMatch(step.steps, address);
          if (found !== null) return found;
        }
        break;
    }
  }
  return null;
}

function isInNetwork(address: AddressBits, network: CidrPattern): boolean {
  const masked = maskWords(address.words, network.prefixLength);
  return masked.every((word, i) => word === network.words[i]);
}

function maskWords(words: readonly number[], prefixLength: number): number[] {
  return words.map((word, i) => {
    const keep = Math.min(32, Math.max(0, prefixLength - i * 32));
    return keep === 0 ? 0 : keep === 32 ? word : (word & ~((1 << (32 - keep)) - 1)) >>> 0;
  });
}

// ::ffff:a.b.c.d/96..128 as the IPv4 network a.b.c.d/0..32 (see the file comment).
function mapToIpv4(pattern: CidrPattern): CidrPattern {
  const [w0, w1, w2, w3] = pattern.words;
  if (pattern.family === 6 && w0 === 0 && w1 === 0 && w2 === 0xffff && pattern.prefixLength >= 96) {
    return { family: 4, words: [w3], prefixLength: pattern.prefixLength - 96 };
  }
  return pattern;
}

function cidrWarning(name: string, line: number, text: string): TableWarning {
  return { name, line, text: `cidr map ${name}, line ${line}: ${text}` };
}
