// server/cleanup/content-checks.ts: the snapshot's content inspection settings, from main.cf.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MainCf } from '../../../server/config/main-cf.ts';
import { buildContentChecks } from '../../../server/cleanup/content-checks.ts';
import { createTableCatalog } from '../../../server/maps/table-catalog.ts';

test('defaults: no tables, 51200 bytes of body per part, 102400 bytes per header, MIME on', () => {
  const built = buildContentChecks(new MainCf({}), createTableCatalog(null));
  assert.ok(built.ok);
  const c = built.checks;
  assert.deepEqual([c.headerChecks.tables.length, c.mimeHeaderChecks.tables.length, c.nestedHeaderChecks.tables.length, c.bodyChecks.tables.length], [0, 0, 0, 0]);
  assert.deepEqual([c.bodyChecksSizeLimit, c.headerSizeLimit, c.disableMimeInputProcessing, c.mimeNestingLimit], [51200, 102400, false, 100]);
});

test('mime_header_checks and nested_header_checks default to the header_checks tables', () => {
  const built = buildContentChecks(new MainCf({ header_checks: 'regexp:{{/x/ REJECT}}' }), createTableCatalog(null));
  assert.ok(built.ok);
  assert.equal(built.checks.mimeHeaderChecks.tables[0], built.checks.headerChecks.tables[0]);
  assert.equal(built.checks.nestedHeaderChecks.tables[0], built.checks.headerChecks.tables[0]);
  assert.equal(built.checks.mimeHeaderChecks.parameter, 'mime_header_checks');
});

test('several tables in one parameter keep their order', () => {
  const built = buildContentChecks(new MainCf({ body_checks: 'regexp:{{/a/ WARN one}}, pcre:{{/a/ WARN two}}' }), createTableCatalog(null));
  assert.ok(built.ok);
  assert.deepEqual(built.checks.bodyChecks.tables.map((t) => t.type), ['regexp', 'pcre']);
});

test('a table that cannot be opened is an error naming each parameter that uses it', () => {
  const built = buildContentChecks(new MainCf({ header_checks: 'regexp:/etc/postfix/header_checks' }), createTableCatalog(null));
  assert.equal(built.ok, false);
  assert.deepEqual(!built.ok && built.errors.map((e) => e.split(':')[0]), ['in parameter header_checks', 'in parameter mime_header_checks', 'in parameter nested_header_checks']);
});
