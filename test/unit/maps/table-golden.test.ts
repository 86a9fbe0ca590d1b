// Golden tables, in the manner of Postfix's dict_cidr.map / dict_cidr.ref: golden/NAME.TYPE.in
// is a table source, golden/NAME.ref the warnings its compilation gives and, after each
// `> KEY` query line, what a lookup of KEY answers (`KEY=VALUE` or `KEY: not found`). A query
// written in double quotes is a JSON string, for keys with newlines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTable } from '../../../server/maps/table-registry.ts';

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');

function runGolden(inputName: string, ref: string): string {
  const [stem, type] = inputName.split('.');
  const compiled = compileTable(type, fs.readFileSync(path.join(GOLDEN, inputName), 'utf8'), { name: inputName });
  assert.ok(compiled.ok, `${stem}: ${JSON.stringify(!compiled.ok && compiled.errors)}`);
  let out = compiled.warnings.map((w) => `warning: ${w.text}\n`).join('');
  for (const query of ref.split('\n').filter((line) => line.startsWith('> '))) {
    const written = query.slice(2);
    const key = written.startsWith('"') ? (JSON.parse(written) as string) : written;
    const result = compiled.table.lookup(key);
    out += `${query}\n${result.status === 'found' ? `${written}=${result.value}` : `${written}: ${result.status === 'notfound' ? 'not found' : result.reason}`}\n`;
  }
  return out;
}

for (const inputName of fs.readdirSync(GOLDEN).filter((name) => name.endsWith('.in')).sort()) {
  const stem = inputName.split('.')[0];
  test(`golden ${inputName}: warnings and lookups are as ${stem}.ref shows`, () => {
    const ref = fs.readFileSync(path.join(GOLDEN, `${stem}.ref`), 'utf8');
    assert.equal(runGolden(inputName, ref), ref);
  });
}
