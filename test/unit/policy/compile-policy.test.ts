// What the compiler refuses (errors naming the parameter, the step and the reason) and what
// it only warns about (spec/restrictions.md sections 6 and 11; spec/appendix-observed.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicy } from '../../../server/policy/compile-policy.ts';
import { rigParameters } from './policy-rig.ts';

const RELAY_GUARD_FATAL =
  'in parameter smtpd_relay_restrictions or smtpd_recipient_restrictions, specify at least one working instance of: ' +
  'reject_unauth_destination, defer_unauth_destination, reject, defer, defer_if_permit or check_relay_domains';

function compileErrors(changes: Record<string, string>): readonly string[] {
  const compiled = compilePolicy(rigParameters(changes), { machineAddresses: ['127.0.0.1'] });
  return compiled.ok ? [] : compiled.errors;
}

function compileWarnings(changes: Record<string, string>): readonly string[] {
  return compilePolicy(rigParameters(changes), { machineAddresses: ['127.0.0.1'] }).warnings;
}

const errorCases: { label: string; changes: Record<string, string>; errors: string[] }[] = [
  {
    label: 'no relay guard in either list is Postfix\'s fatal error (rig row)',
    changes: { smtpd_relay_restrictions: '', smtpd_recipient_restrictions: 'permit_mynetworks' },
    errors: [RELAY_GUARD_FATAL],
  },
  {
    label: 'a guard after permit does not count',
    changes: { smtpd_relay_restrictions: 'permit, reject_unauth_destination' },
    errors: [RELAY_GUARD_FATAL],
  },
  {
    label: 'a guard right after warn_if_reject does not count',
    changes: { smtpd_relay_restrictions: 'permit_mynetworks, warn_if_reject reject_unauth_destination' },
    errors: [RELAY_GUARD_FATAL],
  },
  {
    label: 'a restriction that needs a zone and has none',
    changes: { smtpd_client_restrictions: 'reject_rbl_client' },
    errors: ['in parameter smtpd_client_restrictions, step 1 "reject_rbl_client": requires domain name argument'],
  },
  {
    label: 'an access restriction whose argument is not type:table',
    changes: { smtpd_client_restrictions: 'permit_mynetworks, check_client_access reject' },
    errors: ['in parameter smtpd_client_restrictions, step 2 "check_client_access": bad argument "reject": need maptype:mapname'],
  },
  {
    label: 'sleep without a number',
    changes: { smtpd_client_restrictions: 'sleep soon' },
    errors: ['in parameter smtpd_client_restrictions, step 1 "sleep": must be followed by number'],
  },
  {
    label: 'a declared class without definition',
    changes: { smtpd_restriction_classes: 'strict_class' },
    errors: ["restriction class `strict_class' needs a definition"],
  },
  {
    label: 'a class that recurses into itself',
    changes: { smtpd_restriction_classes: 'a_class, b_class', a_class: 'b_class', b_class: 'reject_non_fqdn_sender, a_class' },
    errors: ['in parameter b_class: restriction class "a_class" recurses into itself (a_class -> b_class -> a_class)'],
  },
  {
    label: 'a boolean that is neither yes nor no',
    changes: { smtpd_delay_reject: 'maybe' },
    errors: ['bad boolean configuration: smtpd_delay_reject = maybe'],
  },
  {
    label: 'a reply code that is not a number',
    changes: { reject_code: '55x' },
    errors: ['bad numerical configuration: reject_code = 55x'],
  },
  {
    label: 'a network with host bits set',
    changes: { mynetworks: '192.168.1.5/24' },
    errors: ['in parameter mynetworks: non-null host address bits in "192.168.1.5/24", perhaps you should use "192.168.1.0/24" instead'],
  },
  {
    label: 'a lookup table in mynetworks that is not stored',
    changes: { mynetworks: '127.0.0.0/8, cidr:/etc/postfix/networks' },
    errors: ['in parameter mynetworks: cidr:/etc/postfix/networks: stored tables are not available here'],
  },
  {
    label: 'an IPv6 network without brackets reads as a lookup table',
    changes: { mynetworks: '2001:db8::/32' },
    errors: ['in parameter mynetworks: unsupported dictionary type: 2001'],
  },
  {
    label: 'a /file/name in relay_domains (not supported yet)',
    changes: { relay_domains: '/etc/postfix/relay_domains' },
    errors: ['in parameter relay_domains: "/etc/postfix/relay_domains": /file/name items are not supported yet'],
  },
];

for (const c of errorCases) {
  test(`refused: ${c.label}`, () => {
    assert.deepEqual(compileErrors(c.changes), c.errors);
  });
}

const acceptedCases: { label: string; changes: Record<string, string> }[] = [
  { label: 'the 3.7 defaults', changes: {} },
  { label: 'relay control in smtpd_recipient_restrictions only (2.x style)', changes: { smtpd_relay_restrictions: '', smtpd_recipient_restrictions: 'permit_mynetworks, reject_unauth_destination' } },
  { label: 'the 1.1 default', changes: { smtpd_relay_restrictions: '', smtpd_recipient_restrictions: 'permit_mynetworks, check_relay_domains' } },
  { label: 'a guard inside a restriction class', changes: { smtpd_restriction_classes: 'relay_class', relay_class: 'permit_mynetworks, reject_unauth_destination', smtpd_relay_restrictions: 'relay_class' } },
  { label: 'an unknown restriction name (answers 451 at run time)', changes: { smtpd_client_restrictions: 'reject_bogus_thing' } },
  { label: 'a reply code outside 400..599 (answers 450 4.7.1 at run time)', changes: { reject_code: '250' } },
  { label: 'a braced policy service argument kept as one word', changes: { smtpd_recipient_restrictions: 'check_policy_service { inet:127.0.0.1:9998, timeout=10s }' } },
];

for (const c of acceptedCases) {
  test(`accepted: ${c.label}`, () => {
    assert.deepEqual(compileErrors(c.changes), []);
  });
}

const warningCases: { label: string; changes: Record<string, string>; warning: string }[] = [
  {
    label: 'an unknown restriction name',
    changes: { smtpd_client_restrictions: 'reject_bogus_thing' },
    warning: 'in parameter smtpd_client_restrictions, step 1 "reject_bogus_thing": unknown smtpd restriction; requests reaching it get 451 4.3.5 Server configuration error',
  },
  {
    label: 'a restriction not implemented yet',
    changes: { smtpd_client_restrictions: 'reject_unverified_sender' },
    warning: 'in parameter smtpd_client_restrictions, step 1 "reject_unverified_sender": not implemented yet (needs verify); requests reaching it get 451 4.3.5 Server configuration error',
  },
  {
    label: 'a step after permit',
    changes: { smtpd_recipient_restrictions: 'permit, reject_non_fqdn_sender' },
    warning: 'in parameter smtpd_recipient_restrictions, step 2 "reject_non_fqdn_sender": never runs: it comes after permit',
  },
  {
    label: 'a recipient test in the client list with smtpd_delay_reject = no',
    changes: { smtpd_delay_reject: 'no', smtpd_client_restrictions: 'reject_non_fqdn_recipient' },
    warning: 'in parameter smtpd_client_restrictions, step 1 "reject_non_fqdn_recipient": never decides here: no recipient information exists at CONNECT/XCLIENT',
  },
  {
    label: 'a reply code outside 400..599',
    changes: { reject_code: '250' },
    warning: 'in parameter reject_code: reply code 250 is not 4xx or 5xx; replies using it become 450 4.7.1 Service unavailable',
  },
  {
    label: 'a class named like a built-in restriction',
    changes: { smtpd_restriction_classes: 'reject', reject: 'permit' },
    warning: "restriction class `reject' is never used: a built-in restriction has that name",
  },
];

for (const c of warningCases) {
  test(`warned: ${c.label}`, () => {
    assert.ok(compileWarnings(c.changes).includes(c.warning), compileWarnings(c.changes).join('\n'));
  });
}

test('the rig compiles without warnings', () => {
  assert.deepEqual(compileWarnings({}), []);
});

test('an argument-taking restriction consumes the next word, commas or not', () => {
  const compiled = compilePolicy(rigParameters({ smtpd_client_restrictions: 'reject_rbl_client,zen.example permit_mynetworks' }), { machineAddresses: [] });
  assert.ok(compiled.ok);
  assert.deepEqual(
    compiled.policy.restrictionLists.smtpd_client_restrictions.steps.map((step) => [step.name, step.argument]),
    [['reject_rbl_client', 'zen.example'], ['permit_mynetworks', null]],
  );
});

test('inet_interfaces = all means the machine\'s addresses', () => {
  const compiled = compilePolicy(rigParameters({ inet_interfaces: 'all' }), { machineAddresses: ['127.0.0.1', '192.0.2.25', 'fe80::1'] });
  assert.ok(compiled.ok);
  // inet_protocols = ipv4 on the rig: the IPv6 address is left out.
  assert.equal(compiled.policy.ownInetAddresses.inetInterfaces.length, 2);
});

test('an undefined class used as the only relay control gives both errors', () => {
  assert.deepEqual(compileErrors({ smtpd_restriction_classes: 'relay_class', smtpd_relay_restrictions: 'relay_class' }), [
    "restriction class `relay_class' needs a definition",
    RELAY_GUARD_FATAL,
  ]);
});
