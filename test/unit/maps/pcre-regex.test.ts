// server/maps/pcre-regex.ts: PCRE patterns with pcre_table's flags, checked by what the
// translated JavaScript RegExp matches; PCRE2's texts for syntax errors; refusals for what
// JavaScript cannot express.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translatePcreRegex, type PcreOptions } from '../../../server/maps/pcre-regex.ts';

const TABLE_DEFAULTS: PcreOptions = {
  caseless: true, multiline: false, dotall: true, extended: false, anchored: false, dollarEndOnly: false, ungreedy: false,
};
const CASE: PcreOptions = { ...TABLE_DEFAULTS, caseless: false };

const matching: { label: string; pattern: string; options?: PcreOptions; matches: string[]; misses: string[] }[] = [
  { label: '$ matches at the end and before a final newline', pattern: 'net$', matches: ['a.net', 'a.net\n'], misses: ['a.net\nx', 'a.netx'] },
  { label: '\\A and \\z are the very start and end', pattern: '\\Aab\\z', matches: ['ab'], misses: ['ab\n', 'xab'] },
  { label: '\\Z is the end or before a final newline', pattern: 'ab\\Z', matches: ['ab', 'ab\n'], misses: ['ab\nx'] },
  { label: '. matches a newline with the table default dotall', pattern: '^a.b$', matches: ['a\nb'], misses: [] },
  { label: '\\Q...\\E quotes', pattern: '^\\Qa.b*\\E$', matches: ['a.b*'], misses: ['axb'] },
  { label: '\\x{..}, \\xhh, \\o{..} and octal name characters', pattern: '^\\x{41}\\x42\\o{103}\\104$', options: CASE, matches: ['ABCD'], misses: ['abcd'] },
  { label: '\\h is horizontal whitespace, \\R a line break', pattern: '^a\\hb\\Rc$', matches: ['a\tb\r\nc', 'a b\nc'], misses: ['a\nb\nc'] },
  { label: 'POSIX classes work inside a class', pattern: '^[[:digit:][:upper:]]+$', options: CASE, matches: ['A1'], misses: ['a1'] },
  { label: 'a hyphen next to a class escape is a member', pattern: '^[\\d-z]+$', matches: ['1-z'], misses: ['y'] },
  { label: 'an escaped ] and a leading ] are members', pattern: '^[]\\]a]+$', matches: [']a'], misses: ['b'] },
  { label: '{,n} is literal text, as in PCRE2 10.42', pattern: '^a{,2}$', matches: ['a{,2}'], misses: ['aa'] },
  { label: 'a lone { is literal', pattern: '^a{b$', matches: ['a{b'], misses: [] },
  { label: 'named groups in Python and Perl syntax', pattern: "^(?P<a>x)(?<b>y)(?'c'z)\\k<a>\\k{b}(?P=c)$", matches: ['xyzxyz'], misses: ['xyzxyy'] },
  { label: 'relative back-references', pattern: '^(a)(b)\\g{-1}\\g1$', matches: ['abba'], misses: ['abab'] },
  { label: 'leading option settings apply to the whole pattern', pattern: '(?-i)^Abc$', matches: ['Abc'], misses: ['abc'] },
  { label: '(?#...) comments vanish', pattern: '^a(?#comment)b$', matches: ['ab'], misses: [] },
  { label: 'lookbehind and lookahead', pattern: '(?<=@)example(?=\\.)', matches: ['a@example.net'], misses: ['example.net'] },
  { label: '\\N is any character but newline', pattern: '^a\\Nb$', matches: ['axb'], misses: ['a\nb'] },
];

for (const { label, pattern, options, matches, misses } of matching) {
  test(`pcre: ${label}`, () => {
    const translated = translatePcreRegex(pattern, options ?? TABLE_DEFAULTS);
    assert.ok(translated.ok, `${pattern}: ${!translated.ok && translated.error}`);
    for (const input of matches) assert.ok(translated.regex.test(input), `${pattern} should match ${JSON.stringify(input)} (as ${translated.regex})`);
    for (const input of misses) assert.ok(!translated.regex.test(input), `${pattern} should not match ${JSON.stringify(input)} (as ${translated.regex})`);
  });
}

const refusals: { pattern: string; error: string; unsupported: boolean; offset: number }[] = [
  { pattern: 'a(b', error: 'missing closing parenthesis', unsupported: false, offset: 3 },
  { pattern: 'a)b', error: 'unmatched closing parenthesis', unsupported: false, offset: 1 },
  { pattern: '[a-z', error: 'missing terminating ] for character class', unsupported: false, offset: 4 },
  { pattern: '[z-a]', error: 'range out of order in character class', unsupported: false, offset: 3 },
  { pattern: '*a', error: 'quantifier does not follow a repeatable item', unsupported: false, offset: 0 },
  { pattern: 'a{3,2}', error: 'numbers out of order in {} quantifier', unsupported: false, offset: 5 },
  { pattern: '(a)\\2', error: 'reference to non-existent subpattern', unsupported: false, offset: 3 },
  { pattern: 'a\\', error: '\\ at end of pattern', unsupported: false, offset: 1 },
  { pattern: '\\i', error: 'unrecognized character follows \\', unsupported: false, offset: 1 },
  { pattern: '[[:nosuch:]]', error: 'unknown POSIX class name', unsupported: false, offset: 1 },
  { pattern: '(?>a)', error: 'atomic group "(?>"', unsupported: true, offset: 0 },
  { pattern: 'a*+', error: 'possessive quantifier "*+"', unsupported: true, offset: 1 },
  { pattern: '(?|a)', error: 'branch reset group "(?|"', unsupported: true, offset: 0 },
  { pattern: '(?(1)a|b)', error: 'conditional group "(?("', unsupported: true, offset: 0 },
  { pattern: '(a)(?R)', error: 'recursion or subroutine call', unsupported: true, offset: 3 },
  { pattern: 'a(?i)b', error: 'option setting after the start of the pattern', unsupported: true, offset: 1 },
  { pattern: '(*UTF)a', error: 'backtracking control verb "(*"', unsupported: true, offset: 0 },
  { pattern: 'a\\Kb', error: '"\\K"', unsupported: true, offset: 1 },
  { pattern: '\\p{L}', error: '"\\p"', unsupported: true, offset: 0 },
  { pattern: '[[:^alpha:]]', error: 'negated POSIX class "[:^alpha:]"', unsupported: true, offset: 1 },
];

for (const { pattern, error, unsupported, offset } of refusals) {
  test(`pcre: ${JSON.stringify(pattern)} is ${unsupported ? 'refused as not expressible' : 'a syntax error'}: ${error}`, () => {
    assert.deepEqual(translatePcreRegex(pattern, TABLE_DEFAULTS), { ok: false, unsupported, error, offset });
  });
}
