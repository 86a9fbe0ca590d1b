// server/maps/inline-table.ts, inline-syntax.ts and table-registry.ts: tables written in a
// main.cf value (inline:, static:, and the {rule} forms of regexp, pcre and cidr), with the
// error texts of Postfix's dict_inline.ref, and the registry of map types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileInlineTable, compileTable, splitTableName, TABLE_OPENERS } from '../../../server/maps/table-registry.ts';

function inline(type: string, text: string) {
  const compiled = compileInlineTable(type, text);
  assert.ok(compiled.ok, JSON.stringify(!compiled.ok && compiled.errors));
  return compiled.table;
}

const valueOf = (type: string, text: string, key: string): string => {
  const result = inline(type, text).lookup(key);
  return result.status === 'found' ? result.value : result.status;
};

test('inline: key=value pairs, and { key = value } for values with spaces or commas', () => {
  const text = '{ foo=xx, {bar = lotsa stuff, with a comma}, { Baz =  spaced  } }';
  assert.equal(valueOf('inline', text, 'foo'), 'xx');
  assert.equal(valueOf('inline', text, 'bar'), 'lotsa stuff, with a comma');
  assert.equal(valueOf('inline', text, 'BAZ'), 'spaced');
  assert.equal(valueOf('inline', text, 'qux'), 'notfound');
});

test('inline: a later duplicate replaces an earlier one (dict_inline does no duplicate checks)', () => {
  assert.equal(valueOf('inline', '{ a=1, A=2 }', 'a'), '2');
});

test('inline: syntax errors fail the table with dict_inline.ref\'s texts', () => {
  const cases: [string, string][] = [
    ['{ }', 'empty table: "inline:{ }"; need "inline:{name=value...}"'],
    ['{ foo = xx }', 'missing \'=\' after attribute name: "inline:{ foo = xx }"; need "inline:{name=value...}"'],
    ['{ foo=xx }x', 'bad syntax: "inline:{ foo=xx }x"; need "inline:{name=value...}"'],
    ['{ foo=xx x', 'bad syntax: "inline:{ foo=xx x"; need "inline:{name=value...}"'],
    ['{ foo=xx {x=y}x}', 'syntax error after \'}\' in "{x=y}x": "inline:{ foo=xx {x=y}x}"; need "inline:{name=value...}"'],
    ['{}', 'bad syntax: "inline:{}"; need "inline:{name=value...}"'],
  ];
  for (const [text, error] of cases) {
    assert.deepEqual(compileInlineTable('inline', text), { ok: false, errors: [{ name: text, text: error }] }, text);
  }
});

test('static: every key finds the value, braces allow spaces', () => {
  assert.equal(valueOf('static', 'REJECT', 'anything'), 'REJECT');
  assert.equal(valueOf('static', '{ 550 go away }', 'anything'), '550 go away');
});

test('regexp:{ {rule}, {rule} } reads one rule per line, named by its text in warnings', () => {
  const text = '{ {/^a/ FIRST}, {/a(b/ BROKEN} {/b/ SECOND} }';
  const compiled = compileInlineTable('regexp', text);
  assert.ok(compiled.ok);
  assert.deepEqual(compiled.warnings.map((w) => w.text), [`regexp map ${text}, line 2: Unmatched ( or \\(`]);
  assert.deepEqual(compiled.table.lookup('abc'), { status: 'found', value: 'FIRST', line: 1 });
  assert.deepEqual(compiled.table.lookup('b'), { status: 'found', value: 'SECOND', line: 3 });
});

test('pcre:{...} and cidr:{...} are inline too', () => {
  assert.equal(valueOf('pcre', '{ {/^x/ PCRE} }', 'xy'), 'PCRE');
  assert.equal(valueOf('cidr', '{ {192.0.2.0/24 NET}, {!192.0.2.0/24 OTHER} }', '198.51.100.1'), 'OTHER');
});

test('inline rule lists with broken braces fail the table', () => {
  assert.deepEqual(compileInlineTable('regexp', '{ {/x/ a }'), { ok: false, errors: [{ name: '{ {/x/ a }', text: 'regexp map: missing \'}\' in "{ {/x/ a }"' }] });
  assert.deepEqual(compileInlineTable('cidr', '{ 1.2.3.4 x }'), { ok: false, errors: [{ name: '{ 1.2.3.4 x }', text: 'cidr map: missing \'{\' in "1.2.3.4"' }] });
});

test('an exact table type cannot be written inline', () => {
  assert.equal(compileInlineTable('hash', '{ a b }').ok, false);
});

test('the registry knows Postfix\'s file types and says which take partial keys', () => {
  const forms = Object.fromEntries([...TABLE_OPENERS].map(([type, opener]) => [type, opener.keyForm]));
  assert.deepEqual(forms, {
    hash: 'fixed', btree: 'fixed', lmdb: 'fixed', cdb: 'fixed', texthash: 'fixed',
    cidr: 'pattern', regexp: 'pattern', pcre: 'pattern', inline: 'fixed', static: 'fixed',
  });
});

test('an unknown map type fails the table as "unsupported dictionary type"', () => {
  assert.deepEqual(compileTable('mysql', '', { name: '/etc/postfix/mysql.cf' }), {
    ok: false, errors: [{ name: '/etc/postfix/mysql.cf', text: 'unsupported dictionary type: mysql' }],
  });
});

test('table names split at the first colon; no type means hash; inline text keeps its colons', () => {
  assert.deepEqual(splitTableName('cidr:/etc/postfix/client.cidr'), { type: 'cidr', name: '/etc/postfix/client.cidr' });
  assert.deepEqual(splitTableName('/etc/postfix/access'), { type: 'hash', name: '/etc/postfix/access' });
  assert.deepEqual(splitTableName('inline:{ a=b:c }'), { type: 'inline', name: '{ a=b:c }' });
});
