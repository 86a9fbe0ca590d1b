// Splitting list values (server/config/parameter-list.ts) as Postfix's mystrtokq() does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitList } from '../../../server/config/parameter-list.ts';

const CASES: { label: string; value: string; want: string[] }[] = [
  { label: 'commas', value: 'a,b,c', want: ['a', 'b', 'c'] },
  { label: 'commas with spaces', value: 'a, b ,c', want: ['a', 'b', 'c'] },
  { label: 'whitespace and continuation lines', value: 'a\tb\n    c', want: ['a', 'b', 'c'] },
  { label: 'empty items vanish', value: ' ,a,,b, ', want: ['a', 'b'] },
  { label: 'empty value', value: '', want: [] },
  { label: 'braces keep an inline table whole', value: 'GET regexp:{{/^[^A-Z]/ Bogus}} POST', want: ['GET', 'regexp:{{/^[^A-Z]/ Bogus}}', 'POST'] },
  { label: 'restriction with its argument are two items', value: 'check_client_access cidr:/etc/x, reject', want: ['check_client_access', 'cidr:/etc/x', 'reject'] },
];

for (const c of CASES) {
  test(`splitList: ${c.label}`, () => {
    assert.deepEqual(splitList(c.value), c.want);
  });
}
