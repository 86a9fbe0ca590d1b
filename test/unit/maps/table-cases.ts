// The behaviour every lookup table type shares where their semantics overlap, run against each
// implementation the way Hono's src/router/common.case.test.ts runs one suite against every
// router: each table test file calls runTableCases() with how its type writes an entry.
// Keys are IPv4 addresses, so that exact, cidr, regexp and pcre tables can all hold them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTable } from '../../../server/maps/table-registry.ts';
import type { LookupTable, TableType, TableWarning } from '../../../server/maps/lookup-table.ts';

export interface TableUnderTest {
  readonly type: TableType;
  /** One source line that gives `value` for the address `key` and for no other key used here. */
  entry(key: string, value: string): string;
  /** A line this type skips, and the warning text it gives for it at line 2 of table `t`. */
  readonly badLine: { readonly text: string; readonly warning: string };
}

export function compileForTest(type: string, source: string, name = 't'): { table: LookupTable; warnings: TableWarning[] } {
  const compiled = compileTable(type, source, { name });
  assert.ok(compiled.ok, `compiling ${type} table failed: ${JSON.stringify(!compiled.ok && compiled.errors)}`);
  return { table: compiled.table, warnings: compiled.warnings };
}

export function runTableCases(subject: TableUnderTest): void {
  const { type, entry } = subject;
  const compile = (...lines: string[]) => compileForTest(type, lines.join('\n') + '\n');
  const lookup = (table: LookupTable, key: string) => {
    const result = table.lookup(key);
    return result.status === 'found' ? result.value : result.status;
  };

  test(`${type}: an entry's key finds its value, other keys are not found`, () => {
    const { table, warnings } = compile(entry('198.51.100.1', 'REJECT'), entry('198.51.100.2', 'OK'));
    assert.equal(lookup(table, '198.51.100.1'), 'REJECT');
    assert.equal(lookup(table, '198.51.100.2'), 'OK');
    assert.equal(lookup(table, '198.51.100.3'), 'notfound');
    assert.deepEqual(warnings, []);
  });

  test(`${type}: a found result names the line of the entry`, () => {
    const { table } = compile('# first line is a comment', '', entry('198.51.100.1', 'REJECT'));
    assert.deepEqual(table.lookup('198.51.100.1'), { status: 'found', value: 'REJECT', line: 3 });
  });

  test(`${type}: the value keeps inner whitespace and loses outer whitespace`, () => {
    const { table } = compile(`${entry('198.51.100.1', 'REJECT  two  spaces')}   \t`);
    assert.equal(lookup(table, '198.51.100.1'), 'REJECT  two  spaces');
  });

  test(`${type}: a line starting with whitespace continues the one before (obs: "REJECT line one  continued here")`, () => {
    const { table } = compile(entry('198.51.100.1', 'REJECT line one'), '  continued here', entry('198.51.100.2', 'OK'));
    assert.equal(lookup(table, '198.51.100.1'), 'REJECT line one  continued here');
    assert.equal(lookup(table, '198.51.100.2'), 'OK');
  });

  test(`${type}: comment and blank lines are skipped, even between a line and its continuation`, () => {
    const { table } = compile('# a comment', '   # an indented comment', '', '   ', entry('198.51.100.1', 'REJECT one'), '# inside', '', '\ttwo');
    assert.equal(lookup(table, '198.51.100.1'), 'REJECT one\ttwo');
  });

  test(`${type}: a # after the start of a line is part of the value`, () => {
    const { table } = compile(entry('198.51.100.1', 'REJECT see #42'));
    assert.equal(lookup(table, '198.51.100.1'), 'REJECT see #42');
  });

  test(`${type}: of two entries for the same key the first wins`, () => {
    const { table } = compile(entry('198.51.100.1', 'REJECT first'), entry('198.51.100.1', 'OK second'));
    assert.equal(lookup(table, '198.51.100.1'), 'REJECT first');
  });

  test(`${type}: a bad line is skipped with a warning naming table and line, the others still work`, () => {
    const { table, warnings } = compile(entry('198.51.100.1', 'REJECT'), subject.badLine.text, entry('198.51.100.2', 'OK'));
    assert.deepEqual(warnings.map((w) => [w.line, w.text]), [[2, subject.badLine.warning]]);
    assert.equal(lookup(table, '198.51.100.1'), 'REJECT');
    assert.equal(lookup(table, '198.51.100.2'), 'OK');
  });

  test(`${type}: text that continues nothing at the top of the file is dropped with readllines' warning`, () => {
    const { table, warnings } = compile('  orphan text', '  and its continuation', entry('198.51.100.1', 'REJECT'));
    assert.deepEqual(warnings.map((w) => w.text), ['t: logical line must not start with whitespace: "  orphan text  and its continu..."']);
    assert.equal(lookup(table, '198.51.100.1'), 'REJECT');
  });

  test(`${type}: CRLF line ends read like LF`, () => {
    const { table, warnings } = compileForTest(type, `${entry('198.51.100.1', 'REJECT crlf')}\r\n${entry('198.51.100.2', 'OK')}\r\n`);
    assert.equal(lookup(table, '198.51.100.1'), 'REJECT crlf');
    assert.equal(lookup(table, '198.51.100.2'), 'OK');
    assert.deepEqual(warnings, []);
  });

  test(`${type}: an empty source compiles to a table that finds nothing`, () => {
    const { table, warnings } = compileForTest(type, '');
    assert.equal(lookup(table, '198.51.100.1'), 'notfound');
    assert.deepEqual(warnings, []);
  });

  test(`${type}: the table reports its type and name`, () => {
    const { table } = compileForTest(type, '', 'client_access');
    assert.equal(table.type, type);
    assert.equal(table.name, 'client_access');
  });
}
