// server/cleanup/mime-state.ts: what each input line becomes, printed the way Postfix's
// mime_state test driver prints it (`MAIN|header`, `BODY N offset|text`, C for a piece of a
// longer line), for the header classes, folding, long lines, multipart, message/rfc822,
// digests, body offsets per part, header_size_limit and disable_mime_input_processing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MimeState, type MimeOptions } from '../../../server/cleanup/mime-state.ts';

const DEFAULTS: MimeOptions = { disableMime: false, headerSizeLimit: 102400, nestingLimit: 100, reportNesting: true };
const CLASS = { primary: 'MAIN', multipart: 'MULT', nested: 'NEST' } as const;

/** trace - feed records (a trailing `\\` marks a piece that the next record continues). */
function trace(records: string[], options: Partial<MimeOptions> = {}): string[] {
  const out: string[] = [];
  const mime = new MimeState({ ...DEFAULTS, ...options }, {
    header: (c, text) => out.push(`${CLASS[c]}|${text.replace(/\n/g, '\\n')}`),
    body: (text, continued, offset) => out.push(`BODY ${continued ? 'C' : 'N'} ${offset}|${text}`),
    nestingError: (text) => out.push(`NESTING|${text}`),
  });
  for (const r of records) mime.update(r.endsWith('\\') ? r.slice(0, -1) : r, r.endsWith('\\'));
  mime.end();
  return out;
}

test('a folded header is one logical header, its lines joined by a newline with their white space kept', () => {
  assert.deepEqual(trace(['Subject: folded header', '\tthat is continued here', ' and again', 'To: x', '', 'body']), [
    'MAIN|Subject: folded header\\n\tthat is continued here\\n and again',
    'MAIN|To: x',
    'BODY N 0|',
    'BODY N 1|body',
  ]);
});

test('the pieces of a long header line are joined without a newline', () => {
  assert.deepEqual(trace(['Subject: aaaa\\', 'bbbb\\', 'cc', '']), ['MAIN|Subject: aaaabbbbcc', 'BODY N 0|']);
});

test('a body line in pieces stays in pieces, each with its own offset', () => {
  assert.deepEqual(trace(['', 'aaaa\\', 'bb', 'next']), ['BODY N 0|', 'BODY C 1|aaaa', 'BODY N 6|bb', 'BODY N 9|next']);
});

test('the obsolete `Name :` form is normalised to `Name:`', () => {
  assert.deepEqual(trace(['Subject  : hi', '']), ['MAIN|Subject: hi', 'BODY N 0|']);
});

test('a header block that ends without its empty line gets one, as Postfix inserts it', () => {
  assert.deepEqual(trace(['Subject: x', 'no colon here']), ['MAIN|Subject: x', 'BODY N 0|', 'BODY N 1|no colon here']);
});

test('header_size_limit: continuation lines past the limit are dropped', () => {
  assert.deepEqual(trace(['Subject: 0123456789', ' abc', ' def', ''], { headerSizeLimit: 20 }), [
    'MAIN|Subject: 0123456789\\n abc',
    'BODY N 0|',
  ]);
});

const MULTIPART = [
  'Subject: parts',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  'preamble',
  '--outer',
  'Content-Type: text/plain',
  'X-Part: one',
  '',
  'first part',
  '--outer',
  'Content-Type: message/rfc822',
  '',
  'Subject: attached',
  'Content-Type: text/plain',
  '',
  'attached body',
  '--outer--',
  'epilogue',
];

test('multipart: part headers are MULT, an attached message/rfc822 has NEST headers, boundaries are body lines', () => {
  assert.deepEqual(trace(MULTIPART), [
    'MAIN|Subject: parts',
    'MAIN|MIME-Version: 1.0',
    'MAIN|Content-Type: multipart/mixed; boundary="outer"',
    'BODY N 0|',
    'BODY N 1|preamble',
    'BODY N 10|--outer',
    'MULT|Content-Type: text/plain',
    'MULT|X-Part: one',
    'BODY N 0|',
    'BODY N 1|first part',
    'BODY N 12|--outer',
    'MULT|Content-Type: message/rfc822',
    'BODY N 0|',
    'NEST|Subject: attached',
    'NEST|Content-Type: text/plain',
    'BODY N 0|',
    'BODY N 1|attached body',
    'BODY N 0|--outer--',
    'BODY N 10|epilogue',
  ]);
});

test('multipart/digest parts default to message/rfc822', () => {
  assert.deepEqual(trace(['Content-Type: multipart/digest; boundary=d', '', '--d', '', 'Subject: in digest', '', 'text', '--d--']), [
    'MAIN|Content-Type: multipart/digest; boundary=d',
    'BODY N 0|',
    'BODY N 1|--d',
    'BODY N 0|',
    'NEST|Subject: in digest',
    'BODY N 0|',
    'BODY N 1|text',
    'BODY N 0|--d--',
  ]);
});

test('an inner boundary is closed by the outer one; trailing text after a boundary is ignored', () => {
  const out = trace([
    'Content-Type: multipart/mixed; boundary=a', '', '--a',
    'Content-Type: multipart/alternative; boundary=b', '', '--b trailing', 'X-In: b', '', 'inner',
    '--a', 'X-After: a', '', 'x',
  ]);
  assert.ok(out.includes('MULT|X-In: b'));
  assert.ok(out.includes('MULT|X-After: a'));
});

test('a boundary is not looked for in the rest of a long line', () => {
  const out = trace(['Content-Type: multipart/mixed; boundary=a', '', 'xx\\', '--a', 'X-Not: header']);
  assert.ok(out.includes('BODY N 4|--a'));
  assert.ok(out.includes('BODY N 8|X-Not: header'));
});

test('disable_mime_input_processing: after the top headers everything is body, part headers line by line', () => {
  assert.deepEqual(trace(['Content-Type: multipart/mixed; boundary=a', '', '--a', 'Content-Type: text/plain;', ' name="x"', '', 'y'], { disableMime: true }), [
    'MAIN|Content-Type: multipart/mixed; boundary=a',
    'BODY N 0|',
    'BODY N 1|--a',
    'BODY N 5|Content-Type: text/plain;',
    'BODY N 31| name="x"',
    'BODY N 41|',
    'BODY N 42|y',
  ]);
});

test('mime_nesting_limit: boundaries past the limit are not followed, and the error is reported once', () => {
  const records = [
    'Content-Type: multipart/mixed; boundary=l1', '', '--l1',
    'Content-Type: multipart/mixed; boundary=l2', '', '--l2',
    'Content-Type: multipart/mixed; boundary=l3', '', '--l3',
    'Content-Type: multipart/mixed; boundary=l4', '', '--l4', 'X-Deep: yes', '',
  ];
  const out = trace(records, { nestingLimit: 1 });
  assert.deepEqual(out.filter((l) => l.startsWith('NESTING')), ['NESTING|Content-Type: multipart/mixed; boundary=l3']);
  assert.ok(!out.includes('MULT|X-Deep: yes'), 'a boundary that was not pushed starts no header block');
  assert.equal(trace(records, { nestingLimit: 1, reportNesting: false }).filter((l) => l.startsWith('NESTING')).length, 0);
});

test('a message that ends inside its header block still hands on its last header', () => {
  assert.deepEqual(trace(['Subject: only headers', ' folded']), ['MAIN|Subject: only headers\\n folded']);
});
