/**
 * regexp tables (regexp_table(5)): POSIX regular expressions as glibc's regcomp() reads them,
 * translated by posix-regex.ts. Patterns are extended and case-insensitive by default; the
 * flags toggle: `i` makes the pattern case-sensitive, `m` turns on REG_NEWLINE, `x` turns off
 * extended syntax (basic RE). `/pattern1/!/pattern2/ result` fires when pattern1 matches and
 * pattern2 does not. Rules, if/endif and `$1` substitution are pattern-table.ts.
 * Exports: compileRegexpTable.
 * Warnings: `regexp map FILE, line N: Unmatched ( or \(` (regerror() text, rule skipped),
 * `regexp map FILE, line N: unknown regexp option "q": skipping this rule`, and pattern-table.ts's.
 */
import type { CompileOptions, CompileTableResult } from './lookup-table.ts';
import { compilePatternTable, type PatternDialect } from './pattern-table.ts';
import { translatePosixRegex, type PosixRegexOptions } from './posix-regex.ts';

const REGEXP_DIALECT: PatternDialect<PosixRegexOptions> = {
  type: 'regexp',
  flagsEndAtBang: true,
  missingDelimiterAction: 'skipping this rule',
  parseFlags(letters, label) {
    const options = { extended: true, icase: true, newline: false };
    for (const letter of letters) {
      if (letter === 'i') options.icase = !options.icase;
      else if (letter === 'm') options.newline = !options.newline;
      else if (letter === 'x') options.extended = !options.extended;
      else return { warning: `${label}: unknown regexp option "${letter}": skipping this rule` };
    }
    return { options, warnings: [] };
  },
  compile(pattern, options, label) {
    const translated = translatePosixRegex(pattern, options);
    if (!translated.ok) return { ok: false, warning: `${label}: ${translated.error}` };
    return translated;
  },
};

/** compileRegexpTable - compile regexp_table(5) source; bad rules are skipped with a warning. */
export function compileRegexpTable(source: string, options: CompileOptions): CompileTableResult {
  return compilePatternTable(REGEXP_DIALECT, source, options);
}
