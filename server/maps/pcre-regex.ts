/**
 * PCRE patterns for pcre tables, translated to JavaScript RegExp source. The syntax is close,
 * the defaults are not: pcre_table(5) turns on PCRE2_CASELESS and PCRE2_DOTALL, PCRE's `$`
 * also matches before a final newline, `\A` `\z` `\Z` `\G` `\h` `\v` `\R` and POSIX classes
 * exist, `\Q...\E` quotes, `\x{...}` and `\o{...}` name characters, and the U flag swaps greedy
 * and lazy. Those are spelled out explicitly; only JavaScript's `i` flag and, for the A flag
 * (anchored), the sticky `y` flag are used.
 * Refused, with a message naming the construct: atomic groups, possessive quantifiers,
 * recursion and subroutine calls, conditionals, branch reset, callouts, backtracking verbs,
 * \K, \p \P \X \C, option changes after the start of the pattern: JavaScript cannot express them.
 * Exports: PcreOptions, TranslatedPcre, translatePcreRegex.
 * Syntax errors carry PCRE2 10.42's texts ("missing closing parenthesis") and an offset.
 * XXX \d \w \s and case folding follow JavaScript outside ASCII; a back-reference to a group
 * that has not matched matches the empty string here and fails in PCRE.
 */

export interface PcreOptions {
  readonly caseless: boolean;        // PCRE2_CASELESS: on by default, `i` turns it off
  readonly multiline: boolean;       // PCRE2_MULTILINE (`m`)
  readonly dotall: boolean;          // PCRE2_DOTALL: on by default, `s` turns it off
  readonly extended: boolean;        // PCRE2_EXTENDED (`x`)
  readonly anchored: boolean;        // PCRE2_ANCHORED (`A`)
  readonly dollarEndOnly: boolean;   // PCRE2_DOLLAR_ENDONLY (`E`)
  readonly ungreedy: boolean;        // PCRE2_UNGREEDY (`U`)
}

export type TranslatedPcre =
  | { ok: true; regex: RegExp; groupCount: number }
  | { ok: false; unsupported: boolean; error: string; offset: number }; // unsupported: valid PCRE, not expressible here

class PcreSyntaxError extends Error {
  constructor(message: string, readonly offset: number, readonly unsupported = false) {
    super(message);
  }
}

const START_OF_STRING = '(?<![\\s\\S])';
const END_OF_STRING = '(?![\\s\\S])';
const HORIZONTAL_SPACE = '\\t \\xa0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000';
const VERTICAL_SPACE = '\\n\\v\\f\\r\\x85\\u2028\\u2029';
const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z', word: '\\w',
  space: '\\t\\n\\v\\f\\r ', blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', print: ' -~', graph: '!-~',
  cntrl: '\\x00-\\x1f\\x7f', xdigit: '0-9A-Fa-f', ascii: '\\x00-\\x7f',
};

/** translatePcreRegex - JavaScript RegExp for a PCRE pattern and pcre_table flags, or why not. */
export function translatePcreRegex(pattern: string, options: PcreOptions): TranslatedPcre {
  try {
    const translator = new PcreTranslator(pattern, options);
    const { source, groupCount, flags } = translator.translate();
    try {
      return { ok: true, regex: new RegExp(source, flags), groupCount };
    } catch (error) {
      return { ok: false, unsupported: true, error: `not expressible as a JavaScript regular expression (${(error as Error).message})`, offset: 0 };
    }
  } catch (error) {
    if (error instanceof PcreSyntaxError) return { ok: false, unsupported: error.unsupported, error: error.message, offset: error.offset };
    throw error;
  }
}

// What a quantifier would follow: an item it may repeat, an assertion (PCRE refuses a
// quantifier there), or nothing (start of pattern, group or alternative, or another quantifier).
type LastItem = 'repeatable' | 'assertion' | null;

class PcreTranslator {
  #out = '';
  #at = 0;
  #options: { -readonly [K in keyof PcreOptions]: PcreOptions[K] };
  #lastItem: LastItem = null;
  #openGroups: { lookaround: boolean }[] = [];
  #groupCount = 0;
  #backReferences: { number: number; offset: number }[] = [];

  constructor(readonly pattern: string, options: PcreOptions) {
    this.#options = { ...options };
  }

  translate(): { source: string; groupCount: number; flags: string } {
    const p = this.pattern;
    this.#leadingOptions();
    while (this.#at < p.length) {
      const c = p[this.#at];
      if (this.#options.extended && /[\t\n\v\f\r ]/.test(c)) {
        this.#at++;
      } else if (this.#options.extended && c === '#') {
        const newline = p.indexOf('\n', this.#at);
        this.#at = newline < 0 ? p.length : newline + 1;
      } else if (c === '\\') {
        this.#escape();
      } else if (c === '[') {
        this.#atom(this.#characterClass());
      } else if (c === '(') {
        this.#openGroup();
      } else if (c === ')') {
        this.#closeGroup();
      } else if (c === '|') {
        this.#at++;
        this.#out += '|';
        this.#lastItem = null;
      } else if (c === '*' || c === '+' || c === '?') {
        this.#at++;
        this.#quantifier(c);
      } else if (c === '{' && /^\{\d+(,\d*)?\}/.test(p.slice(this.#at))) {
        const text = (/^\{\d+(,\d*)?\}/.exec(p.slice(this.#at)) as RegExpExecArray)[0];
        this.#at += text.length;
        const [min, max] = text.slice(1, -1).split(',');
        if (Number(min) > 65535 || (max !== undefined && max !== '' && Number(max) > 65535)) {
          throw new PcreSyntaxError('number too big in {} quantifier', this.#at - 1);
        }
        if (max !== undefined && max !== '' && Number(max) < Number(min)) {
          throw new PcreSyntaxError('numbers out of order in {} quantifier', this.#at - 1);
        }
        this.#quantifier(text);
      } else if (c === '.') {
        this.#at++;
        this.#atom(this.#options.dotall ? '[\\s\\S]' : '[^\\n]');
      } else if (c === '^') {
        this.#at++;
        this.#assertion(this.#options.multiline ? `(?:${START_OF_STRING}|(?<=\\n)(?=[\\s\\S]))` : '^');
      } else if (c === '$') {
        this.#at++;
        this.#assertion(this.#dollar());
      } else {
        const code = p.codePointAt(this.#at) as number;
        this.#at += code > 0xffff ? 2 : 1;
        this.#atom(literalCharacter(code));
      }
    }
    if (this.#openGroups.length > 0) throw new PcreSyntaxError('missing closing parenthesis', p.length);
    for (const reference of this.#backReferences) {
      if (reference.number > this.#groupCount) throw new PcreSyntaxError('reference to non-existent subpattern', reference.offset);
    }
    const flags = (this.#options.caseless ? 'i' : '') + (this.#options.anchored ? 'y' : '');
    return { source: this.#out, groupCount: this.#groupCount, flags };
  }

  // (?imsxU-imsxU) at the very start applies to the whole pattern, so it can become flags.
  #leadingOptions(): void {
    const letters: Record<string, keyof PcreOptions> = { i: 'caseless', m: 'multiline', s: 'dotall', x: 'extended', U: 'ungreedy' };
    for (;;) {
      const match = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?\)/.exec(this.pattern.slice(this.#at));
      if (match === null) return;
      for (const [set, value] of [[match[1], true], [match[2] ?? '', false]] as const) {
        for (const letter of set) {
          const option = letters[letter];
          if (option === undefined) throw new PcreSyntaxError(`option "${letter}" in "${match[0]}"`, this.#at, true);
          this.#options[option] = value;
        }
      }
      this.#at += match[0].length;
    }
  }

  #dollar(): string {
    if (this.#options.multiline) return `(?=\\n|${END_OF_STRING})`;
    // Without PCRE2_DOLLAR_ENDONLY, `$` also matches before a newline that ends the subject.
    return this.#options.dollarEndOnly ? END_OF_STRING : `(?=\\n?${END_OF_STRING})`;
  }

  #atom(text: string): void {
    this.#lastItem = 'repeatable';
    this.#out += text;
  }

  #assertion(text: string): void {
    this.#lastItem = 'assertion';
    this.#out += text;
  }

  #quantifier(operator: string): void {
    const at = this.#at - operator.length;
    if (this.#lastItem !== 'repeatable') {
      throw new PcreSyntaxError('quantifier does not follow a repeatable item', at);
    }
    let lazy = false;
    if (this.pattern[this.#at] === '+') {
      throw new PcreSyntaxError(`possessive quantifier "${operator}+"`, at, true);
    }
    if (this.pattern[this.#at] === '?') {
      lazy = true;
      this.#at++;
    }
    if (this.#options.ungreedy) lazy = !lazy;
    this.#out += operator + (lazy ? '?' : '');
    this.#lastItem = null; // a second quantifier would be an error in PCRE too
  }

  #openGroup(): void {
    const p = this.pattern;
    const at = this.#at;
    const rest = p.slice(at);
    const open = (text: string, capturing: boolean, lookaround = false): void => {
      if (capturing) this.#groupCount++;
      this.#openGroups.push({ lookaround });
      this.#out += text;
      this.#lastItem = null;
    };
    if (rest.startsWith('(*')) throw new PcreSyntaxError('backtracking control verb "(*"', at, true);
    if (!rest.startsWith('(?')) {
      this.#at += 1;
      open('(', true);
      return;
    }
    const simple: [string, string, boolean][] = [
      ['(?:', '(?:', false], ['(?=', '(?=', true], ['(?!', '(?!', true], ['(?<=', '(?<=', true], ['(?<!', '(?<!', true],
    ];
    for (const [pcre, js, lookaround] of simple) {
      if (rest.startsWith(pcre)) {
        this.#at += pcre.length;
        open(js, false, lookaround);
        return;
      }
    }
    const named = /^\(\?(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(rest);
    if (named !== null) {
      this.#at += named[0].length;
      open(`(?<${named[1] ?? named[2]}>`, true);
      return;
    }
    const namedReference = /^\(\?P=([A-Za-z_]\w*)\)/.exec(rest);
    if (namedReference !== null) {
      this.#at += namedReference[0].length;
      this.#atom(`(?:\\k<${namedReference[1]}>)`);
      return;
    }
    if (rest.startsWith('(?#')) {
      const close = p.indexOf(')', at);
      if (close < 0) throw new PcreSyntaxError('missing ) after (?# comment', p.length);
      this.#at = close + 1;
      return;
    }
    const refused: [RegExp, string][] = [
      [/^\(\?>/, 'atomic group "(?>"'],
      [/^\(\?\|/, 'branch reset group "(?|"'],
      [/^\(\?\(/, 'conditional group "(?("'],
      [/^\(\?C/, 'callout "(?C"'],
      [/^\(\?(R|[+-]?\d|&|P>)/, 'recursion or subroutine call'],
      [/^\(\?[a-zA-Z^-]*[:)]/, 'option setting after the start of the pattern'],
    ];
    for (const [shape, what] of refused) {
      if (shape.test(rest)) throw new PcreSyntaxError(what, at, true);
    }
    throw new PcreSyntaxError('unrecognized character after (? or (?-', at + 2);
  }

  #closeGroup(): void {
    const group = this.#openGroups.pop();
    if (group === undefined) throw new PcreSyntaxError('unmatched closing parenthesis', this.#at);
    this.#at++;
    this.#out += ')';
    // JavaScript refuses a quantifier on a lookbehind; PCRE treats lookarounds as assertions.
    this.#lastItem = group.lookaround ? 'assertion' : 'repeatable';
  }

  #escape(): void {
    const p = this.pattern;
    const at = this.#at;
    if (at + 1 >= p.length) throw new PcreSyntaxError('\\ at end of pattern', at);
    const c = p[at + 1];
    this.#at += 2;
    if (c >= '1' && c <= '9') {
      const digits = (/^\d+/.exec(p.slice(at + 1)) as RegExpExecArray)[0];
      const number = Number(digits);
      if (number < 10 || c === '8' || c === '9' || number <= this.#groupCount) {
        this.#at = at + 1 + digits.length;
        this.#backReferences.push({ number, offset: at });
        this.#atom(`(?:\\${number})`);
        return;
      }
      const octal = (/^[0-7]{1,3}/.exec(p.slice(at + 1)) as RegExpExecArray)[0];
      this.#at = at + 1 + octal.length;
      this.#atom(literalCharacter(parseInt(octal, 8)));
      return;
    }
    switch (c) {
      case 'A': case 'G': this.#assertion(START_OF_STRING); return;
      case 'z': this.#assertion(END_OF_STRING); return;
      case 'Z': this.#assertion(`(?=\\n?${END_OF_STRING})`); return;
      case 'b': this.#assertion('\\b'); return;
      case 'B': this.#assertion('\\B'); return;
      case 'd': case 'D': case 'w': case 'W': case 's': case 'S': this.#atom(`\\${c}`); return;
      case 'h': this.#atom(`[${HORIZONTAL_SPACE}]`); return;
      case 'H': this.#atom(`[^${HORIZONTAL_SPACE}]`); return;
      case 'v': this.#atom(`[${VERTICAL_SPACE}]`); return;
      case 'V': this.#atom(`[^${VERTICAL_SPACE}]`); return;
      case 'R': this.#atom(`(?:\\r\\n|[${VERTICAL_SPACE}])`); return;
      case 'N':
        if (p[this.#at] === '{') throw new PcreSyntaxError('\\N{...}', at, true);
        this.#atom('[^\\n]');
        return;
      case 'Q': {
        const end = p.indexOf('\\E', this.#at);
        const quoted = p.slice(this.#at, end < 0 ? p.length : end);
        this.#at = end < 0 ? p.length : end + 2;
        for (const ch of quoted) this.#atom(literalCharacter(ch.codePointAt(0) as number));
        return;
      }
      case 'E': return;
      case 'g': case 'k': this.#referenceEscape(c, at); return;
      case 'K': case 'p': case 'P': case 'X': case 'C':
        throw new PcreSyntaxError(`"\\${c}"`, at, true);
      case 'l': case 'L': case 'u': case 'U':
        throw new PcreSyntaxError('PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u', at + 1);
      default: {
        const code = this.#characterEscape(c, at);
        this.#atom(literalCharacter(code));
      }
    }
  }

  // \g{n} \gn \g{-n} \g-n \g{name} \k<name> \k'name' \k{name}
  #referenceEscape(c: string, at: number): void {
    const rest = this.pattern.slice(this.#at);
    if (c === 'g') {
      const numbered = /^(?:\{(-?\d+)\}|(-?\d+))/.exec(rest);
      if (numbered !== null) {
        this.#at += numbered[0].length;
        let number = Number(numbered[1] ?? numbered[2]);
        if (number < 0) number = this.#groupCount + 1 + number;
        if (number <= 0) throw new PcreSyntaxError('reference to non-existent subpattern', at);
        this.#backReferences.push({ number, offset: at });
        this.#atom(`(?:\\${number})`);
        return;
      }
      if (/^[<']/.test(rest)) throw new PcreSyntaxError('subroutine call "\\g<...>"', at, true);
    }
    const named = (c === 'g' ? /^\{([A-Za-z_]\w*)\}/ : /^(?:<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)'|\{([A-Za-z_]\w*)\})/).exec(rest);
    if (named === null) throw new PcreSyntaxError(`\\${c} is not followed by a braced, angle-bracketed, or quoted name`, at + 2);
    this.#at += named[0].length;
    this.#atom(`(?:\\k<${named[1] ?? named[2] ?? named[3]}>)`);
  }

  // An escape that stands for one character (also used inside classes); returns its code.
  #characterEscape(c: string, at: number): number {
    const p = this.pattern;
    switch (c) {
      case 'a': return 7;
      case 'e': return 0x1b;
      case 'f': return 0x0c;
      case 'n': return 0x0a;
      case 'r': return 0x0d;
      case 't': return 0x09;
      case '0': {
        const octal = (/^[0-7]{0,2}/.exec(p.slice(this.#at)) as RegExpExecArray)[0];
        this.#at += octal.length;
        return parseInt(`0${octal}`, 8);
      }
      case 'o': {
        const match = /^\{([0-7]+)\}/.exec(p.slice(this.#at));
        if (match === null) throw new PcreSyntaxError('missing opening brace after \\o', at + 2);
        this.#at += match[0].length;
        return this.#checkedCode(parseInt(match[1], 8), at);
      }
      case 'x': {
        const braced = /^\{([0-9A-Fa-f]+)\}/.exec(p.slice(this.#at));
        if (braced !== null) {
          this.#at += braced[0].length;
          return this.#checkedCode(parseInt(braced[1], 16), at);
        }
        const hex = (/^[0-9A-Fa-f]{0,2}/.exec(p.slice(this.#at)) as RegExpExecArray)[0];
        this.#at += hex.length;
        return hex === '' ? 0 : parseInt(hex, 16);
      }
      case 'c': {
        if (this.#at >= p.length) throw new PcreSyntaxError('\\c at end of pattern', at + 1);
        const code = p.toUpperCase().charCodeAt(this.#at);
        this.#at += 1;
        if (code < 32 || code > 126) throw new PcreSyntaxError('\\c must be followed by a printable ASCII character', at + 2);
        return code ^ 0x40;
      }
    }
    if (/[A-Za-z0-9]/.test(c)) throw new PcreSyntaxError('unrecognized character follows \\', at + 1);
    return c.codePointAt(0) as number;
  }

  #checkedCode(code: number, at: number): number {
    if (code > 0x10ffff) throw new PcreSyntaxError('character code point value in \\x{} or \\o{} is too large', at);
    if (code > 0xffff) throw new PcreSyntaxError('a character above U+FFFF', at, true);
    return code;
  }

  // A character class starting at `[`; returns a JavaScript class.
  #characterClass(): string {
    const p = this.pattern;
    this.#at++;
    let negated = false;
    if (p[this.#at] === '^') {
      negated = true;
      this.#at++;
    }
    let contents = '';
    for (let first = true; ; first = false) {
      if (this.#at >= p.length) throw new PcreSyntaxError('missing terminating ] for character class', p.length);
      if (p[this.#at] === ']' && !first) break;
      const element = this.#classElement();
      if (element.kind === 'set') {
        contents += element.text;
        continue;
      }
      // `-` between two characters makes a range; first, last or next to a class it is itself.
      if (p[this.#at] === '-' && this.#at + 1 < p.length && p[this.#at + 1] !== ']') {
        this.#at++;
        const end = this.#classElement();
        if (end.kind === 'set') {
          contents += `${classCharacter(element.code)}\\-${end.text}`;
        } else {
          if (end.code < element.code) throw new PcreSyntaxError('range out of order in character class', this.#at - 1);
          contents += `${classCharacter(element.code)}-${classCharacter(end.code)}`;
        }
      } else {
        contents += classCharacter(element.code);
      }
    }
    this.#at++;
    return `[${negated ? '^' : ''}${contents}]`;
  }

  // One class member: a character, or a set of them (\d, [:alpha:], \Q...\E) as class text.
  #classElement(): { kind: 'char'; code: number } | { kind: 'set'; text: string } {
    const p = this.pattern;
    const at = this.#at;
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(at));
    if (posix !== null) {
      const text = POSIX_CLASSES[posix[2]];
      if (text === undefined) throw new PcreSyntaxError('unknown POSIX class name', at);
      if (posix[1] === '^') throw new PcreSyntaxError(`negated POSIX class "${posix[0]}"`, at, true);
      this.#at += posix[0].length;
      return { kind: 'set', text };
    }
    if (p[at] !== '\\') {
      const code = p.codePointAt(at) as number;
      this.#at += code > 0xffff ? 2 : 1;
      return { kind: 'char', code };
    }
    if (at + 1 >= p.length) throw new PcreSyntaxError('\\ at end of pattern', at);
    const e = p[at + 1];
    this.#at += 2;
    if ('dDwWsS'.includes(e)) return { kind: 'set', text: `\\${e}` };
    if (e === 'h') return { kind: 'set', text: HORIZONTAL_SPACE };
    if (e === 'v') return { kind: 'set', text: VERTICAL_SPACE };
    if (e === 'E') return { kind: 'set', text: '' };
    if (e === 'Q') {
      const end = p.indexOf('\\E', this.#at);
      let text = '';
      for (const ch of p.slice(this.#at, end < 0 ? p.length : end)) text += classCharacter(ch.codePointAt(0) as number);
      this.#at = end < 0 ? p.length : end + 2;
      return { kind: 'set', text };
    }
    if ('HVpPN'.includes(e)) throw new PcreSyntaxError(`"\\${e}" in a character class`, at, true);
    if ('RXBg'.includes(e)) throw new PcreSyntaxError('escape sequence is invalid in character class', at + 1);
    if (e === 'b') return { kind: 'char', code: 8 };
    if (e >= '1' && e <= '7') {
      const octal = (/^[0-7]{1,3}/.exec(p.slice(at + 1)) as RegExpExecArray)[0];
      this.#at = at + 1 + octal.length;
      return { kind: 'char', code: parseInt(octal, 8) };
    }
    return { kind: 'char', code: this.#characterEscape(e, at) };
  }
}

// One character outside a class, escaped for JavaScript.
function literalCharacter(code: number): string {
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code > 0xffff) return String.fromCodePoint(code);
  const c = String.fromCharCode(code);
  return /[\\^$.|?*+()[\]{}/]/.test(c) ? `\\${c}` : c;
}

// One character inside a JavaScript class.
function classCharacter(code: number): string {
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  const c = String.fromCodePoint(code);
  return /[\\\]\[^-]/.test(c) ? `\\${c}` : c;
}
