// server/maps/posix-regex.ts: POSIX patterns as glibc's regcomp() reads them, checked by what
// the translated JavaScript RegExp matches, and regerror()'s texts for bad patterns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translatePosixRegex, type PosixRegexOptions } from '../../../server/maps/posix-regex.ts';

const ERE: PosixRegexOptions = { extended: true, icase: true, newline: false };
const ERE_CASE: PosixRegexOptions = { extended: true, icase: false, newline: false };
const BRE: PosixRegexOptions = { extended: false, icase: false, newline: false };
const NEWLINE: PosixRegexOptions = { extended: true, icase: false, newline: true };

const matching: { label: string; pattern: string; options: PosixRegexOptions; matches: string[]; misses: string[] }[] = [
  { label: 'character classes are the C locale\'s', pattern: '^[[:alpha:]][[:digit:]][[:space:]][[:punct:]][[:xdigit:]]$', options: ERE_CASE, matches: ['a1 !f'], misses: ['11 !f', 'a1 !g'] },
  { label: 'a backslash inside brackets is itself', pattern: '^[\\d]$', options: ERE, matches: ['\\', 'd'], misses: ['1'] },
  { label: 'outside brackets \\d is the letter d, as in glibc', pattern: '^\\d$', options: ERE, matches: ['d'], misses: ['1'] },
  { label: '] first in brackets is a member, - last is a member', pattern: '^[]a-]+$', options: ERE, matches: [']-a'], misses: ['b'] },
  { label: '[=c=] and [.c.] are the character itself', pattern: '^[[=a=][.-.]]+$', options: ERE, matches: ['a-a'], misses: ['b'] },
  { label: 'a negated list matches a newline without m', pattern: '^a[^b]c$', options: ERE, matches: ['a\nc', 'axc'], misses: ['abc'] },
  { label: 'with m a negated list and . stop at newlines', pattern: 'a[^b]c|x.y', options: NEWLINE, matches: ['axc', 'xzy'], misses: ['a\nc', 'x\ny'] },
  { label: 'with m ^ and $ match around newlines', pattern: '^b$', options: NEWLINE, matches: ['a\nb\nc'], misses: ['abc'] },
  { label: 'without m $ matches only at the very end', pattern: 'b$', options: ERE, matches: ['ab'], misses: ['ab\n'] },
  { label: 'a+? is (a+)?, greedy, not lazy', pattern: '^(a+?)$', options: ERE, matches: ['', 'aaa'], misses: ['b'] },
  { label: '{,n} means {0,n}', pattern: '^a{,2}b$', options: ERE, matches: ['b', 'aab'], misses: ['aaab'] },
  { label: 'an unmatched ) is a literal in extended syntax', pattern: '^a)$', options: ERE, matches: ['a)'], misses: ['a'] },
  { label: '\\| \\+ \\? \\( \\{ are literals in extended syntax', pattern: '^\\|\\+\\?\\(\\{$', options: ERE, matches: ['|+?({'], misses: [] },
  { label: 'back-references repeat a completed group', pattern: '^(a|b)\\1$', options: ERE, matches: ['aa', 'bb'], misses: ['ab'] },
  { label: 'GNU word operators', pattern: '\\<foo\\>', options: ERE, matches: ['a foo b', 'foo'], misses: ['afoo', 'foob'] },
  { label: 'GNU buffer anchors', pattern: '\\`ab\\\'', options: ERE, matches: ['ab'], misses: ['xab', 'abx'] },
  { label: '\\s and \\S are [[:space:]] and its complement', pattern: '^\\S\\s\\S$', options: ERE, matches: ['a\tb'], misses: ['a\tb\t'] },
  { label: 'basic syntax groups with \\( \\) and counts with \\{ \\}', pattern: '^\\(ab\\)\\{2\\}$', options: BRE, matches: ['abab'], misses: ['(ab){2}', 'ab'] },
  { label: 'basic syntax + ? | ( ) { } are literals', pattern: '^a+?|(){}$', options: BRE, matches: ['a+?|(){}'], misses: ['a'] },
  { label: 'basic syntax * at the start is a literal', pattern: '^*a', options: BRE, matches: ['*a'], misses: ['a'] },
  { label: 'basic syntax ^ and $ in the middle are literals', pattern: 'a^b$c', options: BRE, matches: ['a^b$c'], misses: [] },
  { label: 'GNU \\+ \\? \\| in basic syntax', pattern: '^a\\+b\\?\\(c\\|d\\)$', options: BRE, matches: ['aac', 'abd'], misses: ['a+c'] },
  { label: 'a slash in the pattern is an ordinary character', pattern: '^a/b$', options: ERE, matches: ['a/b'], misses: [] },
  { label: 'case-insensitive by default', pattern: '^ABC$', options: ERE, matches: ['abc'], misses: [] },
];

for (const { label, pattern, options, matches, misses } of matching) {
  test(`regcomp: ${label}`, () => {
    const translated = translatePosixRegex(pattern, options);
    assert.ok(translated.ok, `${pattern}: ${!translated.ok && translated.error}`);
    for (const input of matches) assert.ok(translated.regex.test(input), `${pattern} should match ${JSON.stringify(input)} (as ${translated.regex})`);
    for (const input of misses) assert.ok(!translated.regex.test(input), `${pattern} should not match ${JSON.stringify(input)} (as ${translated.regex})`);
  });
}

const errors: { pattern: string; options?: PosixRegexOptions; error: string }[] = [
  { pattern: 'a(b', error: 'Unmatched ( or \\(' },
  { pattern: '\\(a', options: BRE, error: 'Unmatched ( or \\(' },
  { pattern: 'a\\)', options: BRE, error: 'Unmatched ) or \\)' },
  { pattern: '*a', error: 'Invalid preceding regular expression' },
  { pattern: 'a|+b', error: 'Invalid preceding regular expression' },
  { pattern: '^*', error: 'Invalid preceding regular expression' },
  { pattern: '{1}a', error: 'Invalid preceding regular expression' },
  { pattern: 'a{2,1}', error: 'Invalid content of \\{\\}' },
  { pattern: 'a{x}', error: 'Invalid content of \\{\\}' },
  { pattern: 'a{1', error: 'Unmatched \\{' },
  { pattern: 'a{99999}', error: 'Invalid content of \\{\\}' },
  { pattern: '[a', error: 'Unmatched [, [^, [:, [., or [=' },
  { pattern: '[[:alpha:', error: 'Unmatched [, [^, [:, [., or [=' },
  { pattern: '[[:nosuch:]]', error: 'Invalid character class name' },
  { pattern: '[z-a]', error: 'Invalid range end' },
  { pattern: '[[.space.]]', error: 'Invalid collation character' },
  { pattern: '\\1(a)', error: 'Invalid back reference' },
  { pattern: '(a\\1)', error: 'Invalid back reference' },
  { pattern: 'a\\', error: 'Trailing backslash' },
];

for (const { pattern, options, error } of errors) {
  test(`regcomp: ${JSON.stringify(pattern)} is refused with "${error}"`, () => {
    assert.deepEqual(translatePosixRegex(pattern, options ?? ERE), { ok: false, error });
  });
}

test('regcomp: the group count is re_nsub, every ( counted', () => {
  const translated = translatePosixRegex('^(a(b))|(c)$', ERE);
  assert.ok(translated.ok);
  assert.equal(translated.groupCount, 3);
});
