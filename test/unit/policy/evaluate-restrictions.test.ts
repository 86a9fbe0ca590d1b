// How one list is walked (generic_checks()): warn_if_reject, restriction classes, the
// deferral flags, and what a broken step answers (spec/restrictions.md sections 8 and 11).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkData, checkRcpt } from '../../../server/policy/smtpd-check.ts';
import { compileRigPolicy, outcomeOf, rigSession, strangerSession } from './policy-rig.ts';
import { whatsupLine } from './whatsup-line.ts';

const CLASSES = {
  smtpd_restriction_classes: 'strict_class, permissive_class',
  strict_class: 'reject_non_fqdn_sender, reject_non_fqdn_recipient',
  permissive_class: 'reject_non_fqdn_sender, permit',
};

const classCases: { label: string; list: string; sender: string; want: string; decidedBy?: [string, string] }[] = [
  {
    label: 'a class that ends undecided returns DUNNO and the outer list goes on',
    list: 'strict_class, reject',
    sender: 's@good.test',
    want: '554 5.7.1 <alice@example.test>: Recipient address rejected: Access denied',
    decidedBy: ['reject', 'smtpd_recipient_restrictions'],
  },
  {
    label: 'a reject inside a class is the result of the class step',
    list: 'strict_class, permit',
    sender: 's@nodomain',
    want: '504 5.5.2 <s@nodomain>: Sender address rejected: need fully-qualified address',
    decidedBy: ['reject_non_fqdn_sender', 'strict_class'],
  },
  { label: 'a permit inside a class ends the outer list', list: 'permissive_class, reject', sender: 's@good.test', want: 'DUNNO' },
];

for (const c of classCases) {
  test(`restriction classes: ${c.label}`, () => {
    const policy = compileRigPolicy({ ...CLASSES, smtpd_recipient_restrictions: c.list });
    const verdict = checkRcpt(policy, rigSession({ sender: c.sender }), 'alice@example.test');
    assert.equal(outcomeOf(verdict), c.want);
    if (c.decidedBy !== undefined && verdict.kind === 'reject') assert.deepEqual([verdict.restriction, verdict.parameter], c.decidedBy);
  });
}

test('warn_if_reject logs the would-be reject of the next step and goes on (rig row)', () => {
  const session = strangerSession({ clientName: 'h.example.org', clientAddress: '198.18.0.1', helo: 'nodots', sender: 's@good.test' });
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: 'warn_if_reject reject_non_fqdn_helo_hostname, reject' });
  const verdict = checkRcpt(policy, session, 'alice@example.test');
  assert.equal(outcomeOf(verdict), '554 5.7.1 <alice@example.test>: Recipient address rejected: Access denied');
  const warnings = verdict.events.filter((e) => e.kind === 'reject_warning');
  assert.equal(warnings.length, 1);
  const [event] = warnings;
  if (event.kind !== 'reject_warning') return;
  assert.equal(
    whatsupLine('reject_warning', `${event.reply.code} ${event.reply.enh} ${event.reply.text}`, event.context, session),
    'NOQUEUE: reject_warning: RCPT from h.example.org[198.18.0.1]: 504 5.5.2 <nodots>: Helo command rejected: ' +
      'need fully-qualified hostname; from=<s@good.test> to=<alice@example.test> proto=ESMTP helo=<nodots>',
  );
});

test('warn_if_reject covers only the next step', () => {
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: 'warn_if_reject reject_non_fqdn_sender, reject_non_fqdn_recipient' });
  const verdict = checkRcpt(policy, rigSession({ sender: 's@nodomain' }), 'x@y');
  assert.equal(outcomeOf(verdict), '504 5.5.2 <x@y>: Recipient address rejected: need fully-qualified address');
  assert.equal(verdict.events.filter((e) => e.kind === 'reject_warning').length, 1);
});

test('warn_if_reject before a class covers the whole class', () => {
  const policy = compileRigPolicy({ ...CLASSES, smtpd_recipient_restrictions: 'warn_if_reject strict_class, permit' });
  const verdict = checkRcpt(policy, rigSession({ sender: 's@nodomain' }), 'x@y');
  assert.equal(outcomeOf(verdict), 'DUNNO');
  assert.deepEqual(
    verdict.events.map((e) => (e.kind === 'reject_warning' ? e.reply.text : e.kind)),
    ['<s@nodomain>: Sender address rejected: need fully-qualified address', '<x@y>: Recipient address rejected: need fully-qualified address'],
  );
});

test('warn_if_reject turns defer_if_permit into a logged warning, not a deferral', () => {
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: 'warn_if_reject defer_if_permit, permit' });
  const verdict = checkRcpt(policy, rigSession(), 'alice@example.test');
  assert.equal(outcomeOf(verdict), 'DUNNO');
  assert.deepEqual(
    verdict.events.map((e) => (e.kind === 'reject_warning' ? `${e.reply.code} ${e.reply.enh} ${e.reply.text}` : e.kind)),
    ['450 4.7.0 <alice@example.test>: Recipient address rejected: defer_if_permit requested'],
  );
});

test('warn_if_reject does not soften defer_if_reject', () => {
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: 'warn_if_reject defer_if_reject, reject' });
  assert.equal(
    outcomeOf(checkRcpt(policy, rigSession(), 'alice@example.test')),
    '450 4.7.0 <alice@example.test>: Recipient address rejected: defer_if_reject requested',
  );
});

test('defer_if_reject keeps its first reason', () => {
  const policy = compileRigPolicy({
    smtpd_restriction_classes: 'soft_class',
    soft_class: 'defer_if_reject',
    smtpd_recipient_restrictions: 'soft_class, defer_if_reject, reject',
  });
  const verdict = checkRcpt(policy, rigSession(), 'alice@example.test');
  assert.equal(outcomeOf(verdict), '450 4.7.0 <alice@example.test>: Recipient address rejected: defer_if_reject requested');
  assert.deepEqual(verdict.kind === 'reject' && [verdict.restriction, verdict.parameter], ['defer_if_reject', 'soft_class']);
});

test('once both defer_if_permit and defer_if_reject are raised the list stops', () => {
  // Without the stop, `reject` would run and defer_if_reject would answer instead.
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: 'defer_if_permit, defer_if_reject, reject' });
  assert.equal(
    outcomeOf(checkRcpt(policy, rigSession(), 'alice@example.test')),
    '450 4.7.0 <alice@example.test>: Recipient address rejected: defer_if_permit requested',
  );
});

test('defer_if_reject does not touch a temporary reject', () => {
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: 'defer_if_reject, defer' });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession(), 'alice@example.test')), '450 4.3.2 <alice@example.test>: Recipient address rejected: Try again later');
});

const brokenCases: { label: string; changes: Record<string, string>; warning: string }[] = [
  {
    label: 'an unknown restriction answers 451 4.3.5 and logs Postfix\'s warning',
    changes: { smtpd_recipient_restrictions: 'reject_bogus_thing' },
    warning: 'unknown smtpd restriction: "reject_bogus_thing"',
  },
  {
    label: 'warn_if_reject does not soften a configuration error',
    changes: { smtpd_recipient_restrictions: 'warn_if_reject reject_bogus_thing, permit' },
    warning: 'unknown smtpd restriction: "reject_bogus_thing"',
  },
  {
    label: 'a restriction not implemented yet answers 451 4.3.5',
    changes: { smtpd_recipient_restrictions: 'reject_unverified_recipient, permit' },
    warning: 'restriction "reject_unverified_recipient" is not implemented yet (it needs verify)',
  },
  {
    label: 'an access table value naming a lookup table is a configuration error',
    changes: { smtpd_client_restrictions: 'check_client_access inline:{127.0.0.1=hash:/etc/postfix/other}' },
    warning: 'access table inline:{127.0.0.1=hash:/etc/postfix/other} has entry with lookup table: hash:/etc/postfix/other; ' +
      'do not specify lookup tables inside SMTPD access maps; define a restriction class and specify its name instead',
  },
  {
    label: 'defer_if_reject does not turn a configuration error into its deferral',
    changes: { smtpd_recipient_restrictions: 'defer_if_reject, reject_bogus_thing' },
    warning: 'unknown smtpd restriction: "reject_bogus_thing"',
  },
];

for (const c of brokenCases) {
  test(c.label, () => {
    const verdict = checkRcpt(compileRigPolicy(c.changes), rigSession(), 'alice@example.test');
    assert.equal(outcomeOf(verdict), '451 4.3.5 Server configuration error');
    assert.equal(verdict.kind === 'reject' && verdict.errorClass, 'software');
    assert.deepEqual(verdict.events.map((e) => (e.kind === 'warning' ? e.text : e.kind)), [c.warning]);
  });
}

test('a bare table in the client list stands for check_client_access', () => {
  const verdict = checkRcpt(compileRigPolicy({ smtpd_client_restrictions: 'cidr:{{127.0.0.0/8 REJECT go away}}' }), rigSession(), 'alice@example.test');
  assert.equal(outcomeOf(verdict), '554 5.7.1 <localhost[127.0.0.1]>: Client host rejected: go away');
});

test('a bare table in the DATA list has no default restriction: 451 4.3.5', () => {
  const verdict = checkData(compileRigPolicy({ smtpd_data_restrictions: 'inline:{x=y}' }), rigSession({ recipientCount: 1 }));
  assert.equal(outcomeOf(verdict), '451 4.3.5 Server configuration error');
  assert.deepEqual(verdict.events.map((e) => (e.kind === 'warning' ? e.text : e.kind)), [
    'specify one of (check_client_access, check_reverse_client_hostname_access, check_helo_access, check_sender_access, ' +
      'check_recipient_access, check_etrn_access) before Data command restriction "inline:{x=y}"',
  ]);
});

test('restriction names are case-insensitive', () => {
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: 'REJECT' });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession(), 'alice@example.test')), '554 5.7.1 <alice@example.test>: Recipient address rejected: Access denied');
});

test('class names are case-sensitive, as in Postfix', () => {
  const policy = compileRigPolicy({ ...CLASSES, smtpd_recipient_restrictions: 'Strict_Class' });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession(), 'alice@example.test')), '451 4.3.5 Server configuration error');
});

test('a compiled policy is frozen', () => {
  const policy = compileRigPolicy();
  assert.ok(Object.isFrozen(policy));
  assert.ok(Object.isFrozen(policy.restrictionLists.smtpd_relay_restrictions.steps));
  assert.ok(Object.isFrozen(policy.mynetworks.patterns[0]));
  assert.throws(() => {
    (policy.replyCodes as Record<string, number>).reject_code = 550;
  }, TypeError);
});
