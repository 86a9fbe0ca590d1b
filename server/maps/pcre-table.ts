/**
 * pcre tables (pcre_table(5)): Perl-compatible patterns, translated by pcre-regex.ts. Flags
 * toggle PCRE2 options from pcre_table's defaults (caseless and dotall on): `i` case-sensitive,
 * `m` multi-line anchors, `s` dot stops at newline, `x` extended syntax, `A` anchored, `E` `$`
 * only at the very end, `U` ungreedy; `X` is obsolete with PCRE2 and ignored with a warning.
 * Rules, if/endif and `$1` substitution are pattern-table.ts.
 * Exports: compilePcreTable.
 * Warnings: `pcre map FILE, line N: error in regex at offset K: missing closing parenthesis`
 * (PCRE2 texts, rule skipped); constructs JavaScript cannot express give
 * `pcre map FILE, line N: unsupported PCRE feature at offset K: atomic group "(?>": skipping this rule`.
 */
import type { CompileOptions, CompileTableResult } from './lookup-table.ts';
import { compilePatternTable, type PatternDialect } from './pattern-table.ts';
import { translatePcreRegex, type PcreOptions } from './pcre-regex.ts';

const FLAG_OPTIONS: Record<string, keyof PcreOptions> = {
  i: 'caseless', m: 'multiline', s: 'dotall', x: 'extended', A: 'anchored', E: 'dollarEndOnly', U: 'ungreedy',
};

const PCRE_DIALECT: PatternDialect<PcreOptions> = {
  type: 'pcre',
  flagsEndAtBang: false,
  missingDelimiterAction: 'ignoring this rule',
  parseFlags(letters, label) {
    const options: { -readonly [K in keyof PcreOptions]: boolean } = {
      caseless: true, multiline: false, dotall: true, extended: false, anchored: false, dollarEndOnly: false, ungreedy: false,
    };
    const warnings: string[] = [];
    for (const letter of letters) {
      const option = FLAG_OPTIONS[letter];
      if (option !== undefined) options[option] = !options[option];
      else if (letter === 'X') warnings.push(`${label}: ignoring obsolete regexp option "X"`);
      else return { warning: `${label}: unknown regexp option "${letter}": skipping this rule` };
    }
    return { options, warnings };
  },
  compile(pattern, options, label) {
    const translated = translatePcreRegex(pattern, options);
    if (translated.ok) return translated;
    const warning = translated.unsupported
      ? `${label}: unsupported PCRE feature at offset ${translated.offset}: ${translated.error}: skipping this rule`
      : `${label}: error in regex at offset ${translated.offset}: ${translated.error}`;
    return { ok: false, warning };
  },
};

/** compilePcreTable - compile pcre_table(5) source; bad rules are skipped with a warning. */
export function compilePcreTable(source: string, options: CompileOptions): CompileTableResult {
  return compilePatternTable(PCRE_DIALECT, source, options);
}
