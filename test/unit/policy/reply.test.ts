// The checks smtpd_check_reject() applies to every policy reply (spec/restrictions.md section 9).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReply, makeReply } from '../../../server/policy/reply.ts';

const cases: { label: string; code: number; enh: string | null; text: string; want: string; warning: string | null }[] = [
  { label: 'a valid reply passes unchanged', code: 554, enh: '5.7.1', text: 'Access denied', want: '554 5.7.1 Access denied', warning: null },
  { label: 'the DSN class follows the reply code (554 with 4.7.1)', code: 554, enh: '4.7.1', text: 'x', want: '554 5.7.1 x', warning: null },
  { label: 'the DSN class follows the reply code (450 with 5.7.1)', code: 450, enh: '5.7.1', text: 'x', want: '450 4.7.1 x', warning: null },
  {
    label: 'a 2xx code is a configuration error',
    code: 250, enh: '5.7.1', text: 'Access denied',
    want: '450 4.7.1 Service unavailable', warning: 'SMTP reply code configuration error: 250 5.7.1 Access denied',
  },
  {
    label: 'a code above 599 is a configuration error',
    code: 600, enh: '5.7.1', text: 'x',
    want: '450 4.7.1 Service unavailable', warning: 'SMTP reply code configuration error: 600 5.7.1 x',
  },
  { label: '400 and 599 are in range', code: 400, enh: '4.0.0', text: 'x', want: '400 4.0.0 x', warning: null },
  {
    label: 'a malformed DSN is a configuration error',
    code: 550, enh: '5.7', text: 'x',
    want: '450 4.7.1 Service unavailable', warning: 'DSN detail code configuration error: 550 5.7 x',
  },
  { label: 'control characters become spaces', code: 554, enh: '5.7.1', text: 'bad\r\nname\x00', want: '554 5.7.1 bad  name ', warning: null },
  { label: 'a reply without enhanced code', code: 459, enh: null, text: '<example.test>: service unavailable', want: '459 <example.test>: service unavailable', warning: null },
];

for (const c of cases) {
  test(c.label, () => {
    const made = makeReply(c.code, c.enh, c.text);
    assert.equal(formatReply(made.reply), c.want);
    assert.equal(made.warning, c.warning);
  });
}

test('a reply line is cut at 510 characters', () => {
  const line = formatReply(makeReply(554, '5.7.1', 'x'.repeat(600)).reply);
  assert.equal(line.length, 510);
  assert.ok(line.startsWith('554 5.7.1 xxx'));
});
