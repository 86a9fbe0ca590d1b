// The console's step model of a restriction list: real Postfix values read into steps and
// written back so that the gateway's parser sees the same restrictions in the same order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  findStepOfListIndex, formatRestrictionSteps, parseRestrictionSteps, type RestrictionStepDraft,
} from '../../../server/policy/restriction-steps.ts';
import { parseRestrictionList } from '../../../server/policy/parse-restriction-list.ts';
import { findRestriction } from '../../../server/policy/restriction-table.ts';

const argumentKindOf = (name: string) => findRestriction(name)?.argument;
const parse = (value: string) => parseRestrictionSteps(value, argumentKindOf);
const step = (name: string, argument: string | null = null, warnIfReject = false): RestrictionStepDraft => ({ name, argument, warnIfReject });

// What the gateway compiles from a value: each step's name and argument, in order.
function compiledSteps(value: string, classes: string[] = []): string[] {
  return parseRestrictionList('smtpd_recipient_restrictions', value, new Set(classes)).list.steps.map((s) => `${s.name} ${s.argument ?? ''}`.trim());
}

const cases: { label: string; value: string; classes?: string[]; steps: RestrictionStepDraft[]; written: string }[] = [
  {
    label: 'commas and spaces as Postfix writes them',
    value: 'permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination',
    steps: [step('permit_mynetworks'), step('permit_sasl_authenticated'), step('reject_unauth_destination')],
    written: 'permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination',
  },
  {
    label: 'a main.cf value over continuation lines, without commas',
    value: 'permit_mynetworks\n    check_client_access hash:clients\n\treject_unauth_destination',
    steps: [step('permit_mynetworks'), step('check_client_access', 'hash:clients'), step('reject_unauth_destination')],
    written: 'permit_mynetworks, check_client_access hash:clients, reject_unauth_destination',
  },
  {
    label: 'an argument separated by a comma still belongs to its restriction',
    value: 'check_sender_access,pcre:senders,reject_unauth_destination',
    steps: [step('check_sender_access', 'pcre:senders'), step('reject_unauth_destination')],
    written: 'check_sender_access pcre:senders, reject_unauth_destination',
  },
  {
    label: 'a DNSBL zone with its =filter, and an RHSBL zone',
    value: 'reject_rbl_client zen.example=127.0.0.[2..11], reject_rhsbl_sender dbl.example, reject_unauth_destination',
    steps: [step('reject_rbl_client', 'zen.example=127.0.0.[2..11]'), step('reject_rhsbl_sender', 'dbl.example'), step('reject_unauth_destination')],
    written: 'reject_rbl_client zen.example=127.0.0.[2..11], reject_rhsbl_sender dbl.example, reject_unauth_destination',
  },
  {
    label: 'warn_if_reject marks the step after it',
    value: 'warn_if_reject reject_unknown_client_hostname, warn_if_reject, check_helo_access cidr:helo, permit',
    steps: [step('reject_unknown_client_hostname', null, true), step('check_helo_access', 'cidr:helo', true), step('permit')],
    written: 'warn_if_reject reject_unknown_client_hostname, warn_if_reject check_helo_access cidr:helo, permit',
  },
  {
    label: 'a trailing or doubled warn_if_reject stays a step of its own',
    value: 'warn_if_reject warn_if_reject reject_unauth_destination, warn_if_reject',
    steps: [step('warn_if_reject'), step('reject_unauth_destination', null, true), step('warn_if_reject')],
    written: 'warn_if_reject, warn_if_reject reject_unauth_destination, warn_if_reject',
  },
  {
    label: 'restriction classes, bare tables and names in capitals keep their spelling',
    value: 'check_recipient_access hash:restricted, from_internal_only, hash:extra, Reject_Unauth_Destination, sleep 5',
    classes: ['from_internal_only'],
    steps: [step('check_recipient_access', 'hash:restricted'), step('from_internal_only'), step('hash:extra'), step('Reject_Unauth_Destination'), step('sleep', '5')],
    written: 'check_recipient_access hash:restricted, from_internal_only, hash:extra, Reject_Unauth_Destination, sleep 5',
  },
  {
    label: 'an inline table in braces is one argument',
    value: 'check_client_access inline:{ 192.0.2.1=REJECT, 192.0.2.2=OK }, reject_unauth_destination',
    steps: [step('check_client_access', 'inline:{ 192.0.2.1=REJECT, 192.0.2.2=OK }'), step('reject_unauth_destination')],
    written: 'check_client_access inline:{ 192.0.2.1=REJECT, 192.0.2.2=OK }, reject_unauth_destination',
  },
  {
    label: 'an empty value has no steps',
    value: '  \n ',
    steps: [],
    written: '',
  },
];

for (const c of cases) {
  test(`steps of a list: ${c.label}`, () => {
    const steps = parse(c.value);
    assert.deepEqual(steps, c.steps);
    const written = formatRestrictionSteps(steps);
    assert.equal(written, c.written);
    assert.deepEqual(parse(written), steps, 'read back');
    assert.deepEqual(compiledSteps(written, c.classes), compiledSteps(c.value, c.classes), 'the gateway compiles the same steps');
  });
}

test('moving a step and writing it back changes only the order the gateway sees', () => {
  const steps = parse('permit_mynetworks, check_client_access hash:clients, reject_unauth_destination');
  const moved = [steps[1], steps[0], steps[2]];
  assert.deepEqual(compiledSteps(formatRestrictionSteps(moved)), ['check_client_access hash:clients', 'permit_mynetworks', 'reject_unauth_destination']);
});

test('a missing argument at the end of a value is left for the compiler to refuse', () => {
  assert.deepEqual(parse('permit_mynetworks check_client_access'), [step('permit_mynetworks'), step('check_client_access')]);
  assert.equal(formatRestrictionSteps(parse('permit_mynetworks check_client_access')), 'permit_mynetworks, check_client_access');
});

test("the compiler's step numbers, which count warn_if_reject, point at the right step", () => {
  const steps = parse('permit_mynetworks, warn_if_reject check_client_access hash:a, reject_unauth_destination');
  const compiled = parseRestrictionList('smtpd_recipient_restrictions', formatRestrictionSteps(steps), new Set()).list.steps;
  assert.deepEqual(compiled.map((s) => s.index), [1, 2, 3, 4]);
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => findStepOfListIndex(steps, n)), [0, 1, 1, 2, -1]);
});
