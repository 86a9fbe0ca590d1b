// $name expansion of main.cf values (server/config/expand.ts), as Postfix's mac_expand().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandValue, findMacroSyntaxError } from '../../../server/config/expand.ts';

const PARAMETERS: Record<string, string> = {
  myhostname: 'mx.example.test',
  mail_name: 'Postfix',
  smtpd_banner: '$myhostname ESMTP $mail_name',
  empty: '',
  nested: '${smtpd_banner}',
  with_dollar: 'cost $$5',
  loop_a: '$loop_b',
  loop_b: 'x $loop_a',
  self: 'again $self',
  guarded_self: '${empty?$guarded_self}',
  rbl_reason: 'listed',
};
const lookup = (name: string) => PARAMETERS[name];

const CASES: { label: string; text: string; want: string }[] = [
  { label: 'plain text stays', text: 'no macros here', want: 'no macros here' },
  { label: '$name', text: '$myhostname', want: 'mx.example.test' },
  { label: '${name}', text: '${myhostname}.', want: 'mx.example.test.' },
  { label: '$(name)', text: '$(mail_name)!', want: 'Postfix!' },
  { label: 'name ends at a non-name character', text: '$mail_name-x', want: 'Postfix-x' },
  { label: 'recursive: the value of a reference is expanded too', text: '$nested', want: 'mx.example.test ESMTP Postfix' },
  { label: '$$ is a literal $', text: 'a$$b', want: 'a$b' },
  { label: '$$ inside a referenced value', text: '$with_dollar', want: 'cost $5' },
  { label: 'unknown name expands to empty', text: '[$no_such_parameter]', want: '[]' },
  { label: '${name?text} when name is non-empty', text: 'x${mail_name?; yes}', want: 'x; yes' },
  { label: '${name?text} when name is empty', text: 'x${empty?; yes}', want: 'x' },
  { label: '${name?text} when name is unknown', text: 'x${nope?; yes}', want: 'x' },
  { label: '${name:text} when name is empty', text: '${empty:fallback}', want: 'fallback' },
  { label: '${name:text} when name is unknown', text: '${smtpd_client_connection_limit_exceptions:$myhostname}', want: 'mx.example.test' },
  { label: '${name:text} when name is set', text: '${mail_name:fallback}', want: '' },
  { label: 'the conditional text is expanded', text: '${rbl_reason?; $rbl_reason}', want: '; listed' },
  { label: '${name?{a}:{b}} when set', text: '${mail_name?{set}:{unset}}', want: 'set' },
  { label: '${name?{a}:{b}} when empty', text: '${empty?{set}:{unset}}', want: 'unset' },
  { label: '${name:{b}} when empty', text: '${empty:{un set}}', want: 'un set' },
  { label: 'braces inside ${} nest', text: '${empty:{a{b}c}}', want: 'a{b}c' },
  { label: 'a branch not taken may refer to its own parameter', text: '$guarded_self', want: '' },
];

for (const c of CASES) {
  test(`expandValue: ${c.label}`, () => {
    assert.deepEqual(expandValue(c.text, lookup), { ok: true, value: c.want });
  });
}

const ERRORS: { label: string; text: string; ownName?: string; want: string }[] = [
  { label: 'two parameters referring to each other', text: '$loop_a', want: 'expansion loop: loop_a -> loop_b -> loop_a' },
  { label: 'a parameter referring to itself', text: '$self', want: 'expansion loop: self -> self' },
  { label: 'the parameter being expanded referring to itself', text: 'x $me', ownName: 'me', want: 'expansion loop: me -> me' },
  { label: 'a bare $ at the end', text: 'price 5$', want: 'empty macro name: "price 5$"' },
  { label: '$ followed by a space', text: 'a $ b', want: 'empty macro name: "a $ b"' },
  { label: 'an unterminated ${', text: '${myhostname', want: 'truncated macro reference: "${myhostname"' },
  { label: 'an empty ${}', text: '${}', want: 'empty macro name: "${}"' },
  { label: 'text after the name that is not ? or :', text: '${mail_name!x}', want: 'malformed macro expression: "${mail_name!x}" in "${mail_name!x}"' },
  { label: 'the relational form', text: '${{$mail_name} == {Postfix} ? {a} : {b}}', want: 'unsupported relational macro expression: "${{$mail_name} == {Postfix} ? {a} : {b}}"' },
];

for (const c of ERRORS) {
  test(`expandValue refuses ${c.label}`, () => {
    const lookupWithOwn = (name: string) => (name === 'me' ? 'x $me' : lookup(name));
    assert.deepEqual(expandValue(c.text, lookupWithOwn, c.ownName), { ok: false, error: c.want });
  });
}

test('findMacroSyntaxError checks both branches of a condition without looking anything up', () => {
  assert.equal(findMacroSyntaxError('${a?ok}${b:fine $c}'), null);
  assert.equal(findMacroSyntaxError('${a?ok}${b:bad $}'), 'empty macro name: "bad $"');
  assert.equal(findMacroSyntaxError('$loop_a'), null);
});
