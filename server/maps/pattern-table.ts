/**
 * The rule list shared by regexp and pcre tables (regexp_table(5), pcre_table(5)): each logical
 * line is `[!]/pattern/flags result`, `if [!]/pattern/flags` or `endif`; any non-alphanumeric
 * character other than whitespace may replace `/`. Rules are tried in file order and the first
 * match gives its result, with `$1`-style substitution (replacement-text.ts). An if block is
 * entered only when its condition holds; an if without endif extends to the end of the table.
 * The two table types differ only in their dialect: flag letters, pattern translation and a
 * few message words, as dict_regexp.c and dict_pcre.c share their structure.
 * Exports: PatternDialect, PatternTable, compilePatternTable.
 * Warnings are Postfix's, prefixed `regexp map NAME, line N:` or `pcre map NAME, line N:`; a
 * rule that does not compile is skipped and the other rules still work.
 */
import { NOT_FOUND, type CompileOptions, type CompileTableResult, type LookupResult, type LookupTable, type TableWarning } from './lookup-table.ts';
import { isPostfixSpace, readPostmapLines, trimPostfixSpace } from './postmap-source.ts';
import { expandReplacementText, parseReplacementText, type ReplacementText } from './replacement-text.ts';

/** What regexp and pcre tables each supply to the shared rule parser. */
export interface PatternDialect<Options> {
  readonly type: 'regexp' | 'pcre';
  readonly flagsEndAtBang: boolean;          // regexp: `/p1/!/p2/` puts a second pattern after the flags
  readonly missingDelimiterAction: string;   // the words after "no closing regexp delimiter": Postfix differs
  /** Flag letters to options; `warnings` may hold non-fatal notes (pcre's obsolete `X`). */
  parseFlags(letters: string, label: string): { options: Options; warnings: string[] } | { warning: string };
  /** Compile one pattern, or the warning that skips its rule. */
  compile(pattern: string, options: Options, label: string): { ok: true; regex: RegExp; groupCount: number } | { ok: false; warning: string };
}

interface CompiledPattern {
  readonly regex: RegExp;
  readonly match: boolean;      // false for `!/pattern/`: the rule fires when the pattern does not match
}

type Rule =
  | { op: 'match'; line: number; first: CompiledPattern; second: CompiledPattern | null; replacement: ReplacementText }
  | { op: 'if'; line: number; condition: CompiledPattern; endif: number } // endif: index of the matching endif, -1 if none
  | { op: 'endif'; line: number };

/** A compiled regexp or pcre table. */
export class PatternTable implements LookupTable {
  readonly keyForm = 'pattern';

  constructor(readonly type: 'regexp' | 'pcre', readonly name: string, readonly rules: readonly Rule[]) {}

  lookup(key: string): LookupResult {
    const rules = this.rules;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (rule.op === 'match') {
        let groups: ArrayLike<string | undefined> = NO_GROUPS;
        if (rule.replacement.maxGroup > 0) {
          const found = execute(rule.first.regex, key); // never a negated pattern: see parseRule()
          if (found === null) continue;
          groups = found;
        } else if (test(rule.first.regex, key) !== rule.first.match) {
          continue;
        }
        if (rule.second !== null && test(rule.second.regex, key) !== rule.second.match) continue;
        return { status: 'found', value: expandReplacementText(rule.replacement, groups), line: rule.line };
      }
      if (rule.op === 'if' && test(rule.condition.regex, key) !== rule.condition.match) {
        if (rule.endif < 0) return NOT_FOUND;
        i = rule.endif;
      }
    }
    return NOT_FOUND;
  }
}

const NO_GROUPS: readonly string[] = [];

// The sticky flag (pcre `A`) starts at lastIndex: always match from the start of the key.
function test(regex: RegExp, key: string): boolean {
  regex.lastIndex = 0;
  return regex.test(key);
}

function execute(regex: RegExp, key: string): RegExpExecArray | null {
  regex.lastIndex = 0;
  return regex.exec(key);
}

/** compilePatternTable - compile regexp or pcre table source in the given dialect. */
export function compilePatternTable<Options>(dialect: PatternDialect<Options>, source: string, options: CompileOptions): CompileTableResult {
  const { name } = options;
  const { lines, warnings } = readPostmapLines(source, name);
  const rules: Rule[] = [];
  const open: number[] = []; // indexes of if rules without their endif yet
  for (const { line, text } of lines) {
    const label = `${dialect.type} map ${name}, line ${line}`;
    const notes: string[] = [];
    const rule = parseRule(dialect, trimPostfixSpace(text), line, label, open.length, notes);
    for (const note of notes) warnings.push(ruleWarning(name, line, note));
    if (rule === null) continue;
    if (rule.op === 'if') open.push(rules.length);
    if (rule.op === 'endif') {
      const ifRule = rules[open.pop() as number] as Extract<Rule, { op: 'if' }>;
      ifRule.endif = rules.length;
    }
    rules.push(rule);
  }
  for (let i = open.length - 1; i >= 0; i--) {
    const line = rules[open[i]].line;
    warnings.push(ruleWarning(name, line, `${dialect.type} map ${name}, line ${line}: IF has no matching ENDIF`));
  }
  return { ok: true, table: new PatternTable(dialect.type, name, rules), warnings };
}

// One logical line (dict_regexp_parseline(), dict_pcre_parse_rule()); null when it is skipped.
function parseRule<Options>(
  dialect: PatternDialect<Options>, text: string, line: number, label: string, nesting: number, notes: string[],
): Rule | null {
  if (!/^[A-Za-z0-9]/.test(text)) {
    const first = readPattern(dialect, text, 0, label, notes);
    if (first === null) return null;
    let at = first.next;
    let second: typeof first | null = null;
    if (dialect.flagsEndAtBang && text[at] === '!') {
      second = readPattern(dialect, text, at, label, notes);
      if (second === null) return null;
      at = second.next;
    }
    while (at < text.length && isPostfixSpace(text.charCodeAt(at))) at++;
    const result = text.slice(at);
    if (result === '') notes.push(`${label}: no replacement text: using empty string`);
    const parsed = parseReplacementText(result, label, dialect.type);
    if (!parsed.ok) {
      notes.push(...parsed.warnings, `${label}: bad replacement syntax: skipping this rule`);
      return null;
    }
    const { replacement } = parsed;
    if (replacement.maxGroup > 0 && !first.match) {
      notes.push(`${label}: $number found in negative match replacement text: skipping this rule`);
      return null;
    }
    const firstCompiled = compilePattern(dialect, first, label, notes);
    if (firstCompiled === null) return null;
    if (replacement.maxGroup > firstCompiled.groupCount) {
      notes.push(`${label}: out of range replacement index "${replacement.maxGroup}": skipping this rule`);
      return null;
    }
    const secondCompiled = second === null ? null : compilePattern(dialect, second, label, notes);
    if (second !== null && secondCompiled === null) return null;
    return { op: 'match', line, first: firstCompiled.pattern, second: secondCompiled?.pattern ?? null, replacement };
  }
  if (/^if(?![A-Za-z0-9])/i.test(text)) {
    let at = 2;
    while (at < text.length && isPostfixSpace(text.charCodeAt(at))) at++;
    const condition = readPattern(dialect, text, at, label, notes);
    if (condition === null) return null;
    const extra = trimPostfixSpace(text.slice(condition.next));
    if (extra !== '') {
      notes.push(`${label}: ignoring extra text after IF statement: "${extra}"`);
      notes.push(`${label}: do not prepend whitespace to statements between IF and ENDIF`);
    }
    const compiled = compilePattern(dialect, condition, label, notes);
    if (compiled === null) return null;
    return { op: 'if', line, condition: compiled.pattern, endif: -1 };
  }
  if (/^endif(?![A-Za-z0-9])/i.test(text)) {
    if (nesting === 0) {
      notes.push(`${label}: ignoring ENDIF without matching IF`);
      return null;
    }
    if (trimPostfixSpace(text.slice(5)) !== '') notes.push(`${label}: ignoring extra text after ENDIF`);
    return { op: 'endif', line };
  }
  notes.push(`${label}: ignoring unrecognized request`);
  return null;
}

interface PatternText<Options> {
  readonly pattern: string;
  readonly options: Options;
  readonly match: boolean;
  readonly next: number; // where the text after the flags starts
}

// `[!...]<delim>pattern<delim>flags` starting at `at` (dict_regexp_get_pat()).
function readPattern<Options>(dialect: PatternDialect<Options>, text: string, at: number, label: string, notes: string[]): PatternText<Options> | null {
  let match = true;
  for (; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 33 /* ! */) match = !match;
    else if (!isPostfixSpace(code)) break;
  }
  if (at >= text.length) {
    notes.push(`${label}: no regexp: skipping this rule`);
    return null;
  }
  const delimiter = text[at];
  const start = ++at;
  for (; at < text.length && text[at] !== delimiter; at++) {
    if (text[at] === '\\') at++; // the escaped character cannot close the pattern
  }
  if (at >= text.length) {
    notes.push(`${label}: no closing regexp delimiter "${delimiter}": ${dialect.missingDelimiterAction}`);
    return null;
  }
  const pattern = text.slice(start, at);
  let end = ++at;
  while (end < text.length && !isPostfixSpace(text.charCodeAt(end)) && !(dialect.flagsEndAtBang && text[end] === '!')) end++;
  const flags = dialect.parseFlags(text.slice(at, end), label);
  if ('warning' in flags) {
    notes.push(flags.warning);
    return null;
  }
  notes.push(...flags.warnings);
  return { pattern, options: flags.options, match, next: end };
}

function compilePattern<Options>(
  dialect: PatternDialect<Options>, text: PatternText<Options>, label: string, notes: string[],
): { pattern: CompiledPattern; groupCount: number } | null {
  const compiled = dialect.compile(text.pattern, text.options, label);
  if (!compiled.ok) {
    notes.push(compiled.warning);
    return null;
  }
  return { pattern: { regex: compiled.regex, match: text.match }, groupCount: compiled.groupCount };
}

// Notes already carry their full text (mac_parse()'s own warnings have no table prefix).
function ruleWarning(name: string, line: number, text: string): TableWarning {
  return { name, line, text };
}
