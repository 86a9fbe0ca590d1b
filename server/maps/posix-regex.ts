/**
 * POSIX regular expressions as glibc's regcomp() reads them for regexp tables, translated to
 * JavaScript RegExp source that matches the same strings. Extended syntax (REG_EXTENDED) by
 * default, basic syntax when a rule's `x` flag turns it off; REG_ICASE becomes the `i` flag;
 * REG_NEWLINE (the `m` flag) makes `.` and `[^...]` stop at newlines and `^`/`$` match at them.
 * Everything is spelled out explicitly (`[\s\S]` for a bare `.`, lookarounds for anchors), so
 * only JavaScript's `i` flag is ever used.
 * Translated: bracket expressions with [:class:], [=c=] and [.c.]; backslash literal inside
 * brackets; {m,n} and {,n}; stacked repetitions (`a+?` is (a+)?, not lazy); unmatched `)` as a
 * literal in ERE; glibc's GNU operators \w \W \s \S \b \B \< \> \` \' and back-references \1-\9;
 * any other backslashed character is that character (glibc: `\d` is the letter d).
 * Exports: PosixRegexOptions, TranslatedRegex, translatePosixRegex.
 * Errors carry regerror()'s texts ("Unmatched ( or \\(", "Invalid preceding regular expression").
 * XXX glibc picks the leftmost-longest match and POSIX subexpression rules; JavaScript picks the
 * first alternative that succeeds. Whether a rule matches is the same; what `$1` captures can
 * differ when an alternation offers a shorter and a longer choice at the same place.
 */

export interface PosixRegexOptions {
  readonly extended: boolean;  // REG_EXTENDED (regexp_table default; the `x` flag turns it off)
  readonly icase: boolean;     // REG_ICASE (default on; the `i` flag turns it off)
  readonly newline: boolean;   // REG_NEWLINE (the `m` flag)
}

export type TranslatedRegex =
  | { ok: true; regex: RegExp; groupCount: number }
  | { ok: false; error: string };

// regerror() texts (glibc posix/regcomp.c __re_error_msgid).
const REG_EESCAPE = 'Trailing backslash';
const REG_ESUBREG = 'Invalid back reference';
const REG_EBRACK = 'Unmatched [, [^, [:, [., or [=';
const REG_EPAREN = 'Unmatched ( or \\(';
const REG_EBRACE = 'Unmatched \\{';
const REG_BADBR = 'Invalid content of \\{\\}';
const REG_ERANGE = 'Invalid range end';
const REG_BADRPT = 'Invalid preceding regular expression';
const REG_ERPAREN = 'Unmatched ) or \\)';
const REG_ECTYPE = 'Invalid character class name';
const REG_ECOLLATE = 'Invalid collation character';
const RE_DUP_MAX = 0x7fff;

// POSIX classes in the C locale, as JavaScript class contents.
const CHARACTER_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z',
  space: ' \\t\\n\\v\\f\\r', blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', print: ' -~', graph: '!-~',
  cntrl: '\\x00-\\x1f\\x7f', xdigit: '0-9A-Fa-f',
};

const START_OF_STRING = '(?<![\\s\\S])';
const END_OF_STRING = '(?![\\s\\S])';

class PosixSyntaxError extends Error {}

/** translatePosixRegex - JavaScript RegExp for a regcomp() pattern, or regerror()'s text. */
export function translatePosixRegex(pattern: string, options: PosixRegexOptions): TranslatedRegex {
  let source: string;
  let groupCount: number;
  try {
    ({ source, groupCount } = new PosixTranslator(pattern, options).translate());
  } catch (error) {
    if (error instanceof PosixSyntaxError) return { ok: false, error: error.message };
    throw error;
  }
  try {
    return { ok: true, regex: new RegExp(source, options.icase ? 'i' : ''), groupCount };
  } catch (error) {
    // A translation JavaScript refuses is a bug here; report it as regcomp() would a bad pattern.
    return { ok: false, error: `Invalid regular expression (${(error as Error).message})` };
  }
}

interface OpenGroup {
  readonly outStart: number;  // where '(' was written
  readonly number: number;
}

class PosixTranslator {
  #out = '';
  #at = 0;
  #lastAtom: { start: number; quantified: boolean } | null = null; // what a repetition would apply to
  #groups: OpenGroup[] = [];
  #groupCount = 0;
  #completed = new Set<number>();

  constructor(readonly pattern: string, readonly options: PosixRegexOptions) {}

  translate(): { source: string; groupCount: number } {
    const p = this.pattern;
    const ere = this.options.extended;
    while (this.#at < p.length) {
      const c = p[this.#at];
      if (c === '\\') {
        this.#escape();
      } else if (c === '[') {
        this.#atom(this.#bracket());
      } else if (c === '.') {
        this.#at++;
        this.#atom(this.options.newline ? '[^\\n]' : '[\\s\\S]');
      } else if (c === '*' || (ere && (c === '+' || c === '?'))) {
        this.#at++;
        this.#repeat(c, c);
      } else if (ere && c === '{') {
        this.#at++;
        this.#interval();
      } else if (ere && c === '(') {
        this.#at++;
        this.#openGroup();
      } else if (ere && c === ')' && this.#groups.length > 0) {
        this.#at++;
        this.#closeGroup();
      } else if (ere && c === '|') {
        this.#at++;
        this.#alternate();
      } else if (c === '^' && (ere || this.#atBreStart())) {
        this.#at++;
        this.#anchor(this.options.newline ? `(?:${START_OF_STRING}|(?<=\\n))` : '^');
      } else if (c === '$' && (ere || this.#atBreEnd())) {
        this.#at++;
        this.#anchor(this.options.newline ? `(?=\\n|${END_OF_STRING})` : '$');
      } else {
        this.#at++;
        this.#atom(literal(c));
      }
    }
    if (this.#groups.length > 0) throw new PosixSyntaxError(REG_EPAREN);
    return { source: this.#out, groupCount: this.#groupCount };
  }

  #escape(): void {
    const p = this.pattern;
    if (this.#at + 1 >= p.length) throw new PosixSyntaxError(REG_EESCAPE);
    const c = p[this.#at + 1];
    this.#at += 2;
    const ere = this.options.extended;
    if (c >= '1' && c <= '9') {
      const number = Number(c);
      if (!this.#completed.has(number)) throw new PosixSyntaxError(REG_ESUBREG);
      this.#atom(`(?:\\${number})`);
      return;
    }
    if (!ere) {
      // Basic syntax: the backslashed forms are the operators (\+ \? \| are GNU extensions).
      switch (c) {
        case '(': this.#openGroup(); return;
        case ')':
          if (this.#groups.length === 0) throw new PosixSyntaxError(REG_ERPAREN);
          this.#closeGroup();
          return;
        case '{': this.#interval(); return;
        case '|': this.#alternate(); return;
        case '+': case '?': this.#repeat(c, c); return;
      }
    }
    switch (c) {
      case 'w': this.#atom('\\w'); return;
      case 'W': this.#atom('\\W'); return;
      case 's': this.#atom(`[${CHARACTER_CLASSES.space}]`); return;
      case 'S': this.#atom(`[^${CHARACTER_CLASSES.space}]`); return;
      case 'b': this.#anchor('\\b'); return;
      case 'B': this.#anchor('\\B'); return;
      case '<': this.#anchor('\\b(?=\\w)'); return;
      case '>': this.#anchor('\\b(?<=\\w)'); return;
      case '`': this.#anchor(START_OF_STRING); return;
      case "'": this.#anchor(END_OF_STRING); return;
      default: this.#atom(literal(c));
    }
  }

  // In basic syntax `^` anchors only at the start of the pattern, of a group or of an alternative.
  #atBreStart(): boolean {
    const before = this.pattern.slice(0, this.#at);
    return before === '' || before.endsWith('\\(') || before.endsWith('\\|');
  }

  // ... and `$` only at the end of the pattern, of a group or of an alternative.
  #atBreEnd(): boolean {
    const after = this.pattern.slice(this.#at + 1);
    return after === '' || after.startsWith('\\)') || after.startsWith('\\|');
  }

  #atom(text: string): void {
    this.#lastAtom = { start: this.#out.length, quantified: false };
    this.#out += text;
  }

  #anchor(text: string): void {
    this.#out += text;
    this.#lastAtom = null; // glibc: "ANCHORs can't be followed by repetition operators"
  }

  // A repetition with nothing before it is an error in ERE and an ordinary character in BRE
  // (intervals check for that themselves: `\{` is an error in both).
  #repeat(operator: string, asLiteral: string): void {
    const atom = this.#lastAtom;
    if (atom === null) {
      if (this.options.extended) throw new PosixSyntaxError(REG_BADRPT);
      this.#atom(literal(asLiteral));
      return;
    }
    if (atom.quantified) {
      // `a+?` is (a+)? in POSIX; JavaScript would read it as a lazy a+.
      this.#out = `${this.#out.slice(0, atom.start)}(?:${this.#out.slice(atom.start)})`;
    }
    this.#out += operator;
    atom.quantified = true;
  }

  // After `{` (ERE) or `\{` (BRE): m, m, or m,n or ,n then `}` or `\}`.
  #interval(): void {
    if (this.#lastAtom === null) throw new PosixSyntaxError(REG_BADRPT);
    const p = this.pattern;
    const digits = (): number | null => {
      const match = /^\d+/.exec(p.slice(this.#at));
      if (match === null) return null;
      this.#at += match[0].length;
      return Number(match[0]);
    };
    let min = digits();
    let max: number | null = min;
    if (p[this.#at] === ',') {
      this.#at++;
      min ??= 0;
      max = digits(); // null: no upper bound
    }
    const close = this.options.extended ? '}' : '\\}';
    if (!p.startsWith(close, this.#at)) {
      const atEnd = this.#at >= p.length || (!this.options.extended && p.slice(this.#at) === '\\');
      throw new PosixSyntaxError(atEnd ? REG_EBRACE : REG_BADBR);
    }
    this.#at += close.length;
    if (min === null || min > RE_DUP_MAX || (max !== null && (max > RE_DUP_MAX || max < min))) {
      throw new PosixSyntaxError(REG_BADBR);
    }
    this.#repeat(max === min ? `{${min}}` : max === null ? `{${min},}` : `{${min},${max}}`, '');
  }

  #openGroup(): void {
    this.#groupCount += 1;
    this.#groups.push({ outStart: this.#out.length, number: this.#groupCount });
    this.#out += '(';
    this.#lastAtom = null;
  }

  #closeGroup(): void {
    const group = this.#groups.pop() as OpenGroup;
    this.#out += ')';
    this.#completed.add(group.number);
    this.#lastAtom = { start: group.outStart, quantified: false };
  }

  #alternate(): void {
    this.#out += '|';
    this.#lastAtom = null;
  }

  // A bracket expression, starting at `[`; returns a JavaScript character class.
  #bracket(): string {
    const p = this.pattern;
    let at = this.#at + 1;
    let negated = false;
    if (p[at] === '^') {
      negated = true;
      at++;
    }
    let contents = '';
    let first = true;
    for (;;) {
      if (at >= p.length) throw new PosixSyntaxError(REG_EBRACK);
      if (p[at] === ']' && !first) break;
      first = false;
      const start = this.#bracketElement(at);
      at = start.next;
      if (start.kind === 'class') {
        if (p[at] === '-' && at + 1 < p.length && p[at + 1] !== ']') throw new PosixSyntaxError(REG_ERANGE);
        contents += start.text;
        continue;
      }
      // A range: `-` that is not the last character before `]`.
      if (p[at] === '-' && at + 1 < p.length && p[at + 1] !== ']') {
        const end = this.#bracketElement(at + 1);
        if (end.kind === 'class') throw new PosixSyntaxError(REG_ERANGE);
        if (end.code < start.code) throw new PosixSyntaxError(REG_ERANGE);
        at = end.next;
        if (p[at] === '-' && at + 1 < p.length && p[at + 1] !== ']') throw new PosixSyntaxError(REG_ERANGE);
        contents += `${classCharacter(start.code)}-${classCharacter(end.code)}`;
      } else {
        contents += classCharacter(start.code);
      }
    }
    this.#at = at + 1;
    // REG_NEWLINE: "a non-matching list ([^...]) not containing a newline does not match a newline".
    if (negated && this.options.newline) contents += '\\n';
    return `[${negated ? '^' : ''}${contents}]`;
  }

  #bracketElement(at: number): { kind: 'char'; code: number; next: number } | { kind: 'class'; text: string; next: number } {
    const p = this.pattern;
    const opener = p[at + 1];
    if (p[at] === '[' && (opener === ':' || opener === '.' || opener === '=')) {
      const close = p.indexOf(`${opener}]`, at + 2);
      if (close < 0) throw new PosixSyntaxError(REG_EBRACK);
      const name = p.slice(at + 2, close);
      const next = close + 2;
      if (opener === ':') {
        const text = CHARACTER_CLASSES[name];
        if (text === undefined) throw new PosixSyntaxError(REG_ECTYPE);
        return { kind: 'class', text, next };
      }
      // Collating symbols and equivalence classes of the C locale: single characters.
      if ([...name].length !== 1) throw new PosixSyntaxError(REG_ECOLLATE);
      return { kind: 'char', code: name.codePointAt(0) as number, next };
    }
    const code = p.codePointAt(at) as number;
    return { kind: 'char', code, next: at + (code > 0xffff ? 2 : 1) };
  }
}

// An ordinary character outside a bracket expression, escaped for JavaScript.
function literal(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}/]/g, '\\$&');
}

// A character inside a JavaScript class.
function classCharacter(code: number): string {
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  const c = String.fromCodePoint(code);
  return /[\\\]\[^-]/.test(c) ? `\\${c}` : c;
}
