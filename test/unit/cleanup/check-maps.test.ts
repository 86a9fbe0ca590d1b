// server/cleanup/check-maps.ts: a maps list is searched in order, the first table that finds
// the key answers, the empty string is never looked up, and a table failure stops the search.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findCheck, openCheckMaps } from '../../../server/cleanup/check-maps.ts';
import { createTableCatalog } from '../../../server/maps/table-catalog.ts';
import type { LookupTable } from '../../../server/maps/lookup-table.ts';

const catalog = createTableCatalog(null);

function maps(...specs: string[]) {
  const opened = openCheckMaps('body_checks', specs, catalog);
  assert.ok(opened.ok);
  return opened.maps;
}

test('the first table with a match answers, even when a later one matches too', () => {
  const m = maps('regexp:{{/spam/ REJECT first table}}', 'pcre:{{/spam/ WARN second table}, {/ham/ INFO only second}}');
  assert.deepEqual(findCheck(m, 'spam here'), { status: 'found', value: 'REJECT first table', line: 1 });
  assert.deepEqual(findCheck(m, 'ham here'), { status: 'found', value: 'INFO only second', line: 2 });
  assert.deepEqual(findCheck(m, 'nothing'), { status: 'notfound' });
});

test('the empty string is not looked up, so a rule matching everything never sees an empty line', () => {
  assert.deepEqual(findCheck(maps('regexp:{{/^/ REJECT all}}'), ''), { status: 'notfound' });
});

test('a table that fails stops the search with retry', () => {
  const failing: LookupTable = { type: 'regexp', name: 'broken', keyForm: 'pattern', lookup: () => ({ status: 'retry', reason: 'broken' }) };
  const m = { parameter: 'body_checks', tables: [failing, ...maps('regexp:{{/x/ REJECT}}').tables] };
  assert.equal(findCheck(m, 'x').status, 'retry');
});

test('a table that cannot be opened fails the parameter, named', () => {
  const opened = openCheckMaps('header_checks', ['regexp:{{/a/ REJECT}}', 'regexp:/etc/postfix/header_checks'], catalog);
  assert.equal(opened.ok, false);
  assert.ok(!opened.ok && opened.errors[0].startsWith('in parameter header_checks: '), JSON.stringify(opened));
});

test('a bad rule is a warning, the other rules still work', () => {
  const opened = openCheckMaps('header_checks', ['regexp:{{/a(b/ REJECT}, {/c/ REJECT c}}'], catalog);
  assert.ok(opened.ok);
  assert.equal(opened.warnings.length, 1);
  assert.match(opened.warnings[0], /Unmatched \( or \\\(/);
  assert.equal(findCheck(opened.maps, 'c').status, 'found');
});
