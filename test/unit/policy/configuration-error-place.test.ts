// Where the compiler's refusals point, read from the messages it really writes: the console
// shows each one next to its list and step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicy } from '../../../server/policy/compile-policy.ts';
import { placeConfigurationError } from '../../../server/policy/configuration-error-place.ts';
import { rigParameters } from './policy-rig.ts';

function placesOf(changes: Record<string, string>) {
  const compiled = compilePolicy(rigParameters(changes), { machineAddresses: ['127.0.0.1'], strict: true });
  assert.equal(compiled.ok, false);
  return compiled.ok ? [] : compiled.errors.map(placeConfigurationError);
}

const cases: { label: string; changes: Record<string, string>; places: { parameter: string | null; index: number | null; text: RegExp }[] }[] = [
  {
    label: 'a missing argument is at its step, warn_if_reject counted',
    changes: { smtpd_recipient_restrictions: 'permit_mynetworks, warn_if_reject reject_unauth_destination, check_client_access' },
    places: [{ parameter: 'smtpd_recipient_restrictions', index: 4, text: /^requires a type:table argument$/ }],
  },
  {
    label: 'a table that cannot be opened is at the step that names it',
    changes: { smtpd_sender_restrictions: 'check_sender_access hash:missing' },
    places: [{ parameter: 'smtpd_sender_restrictions', index: 1, text: /missing/ }],
  },
  {
    label: 'a step that never sees its data is at that step (strict)',
    changes: { smtpd_delay_reject: 'no', smtpd_client_restrictions: 'permit_mynetworks, check_sender_access inline:{ a@b=REJECT }' },
    places: [{ parameter: 'smtpd_client_restrictions', index: 2, text: /^never decides here/ }],
  },
  {
    label: 'a declared class without definition is at the class',
    changes: { smtpd_restriction_classes: 'partners' },
    places: [{ parameter: 'partners', index: null, text: /needs a definition/ }],
  },
  {
    label: 'no relay guard belongs to no one list',
    changes: { smtpd_relay_restrictions: 'permit_mynetworks', smtpd_recipient_restrictions: '' },
    places: [{ parameter: null, index: null, text: /^in parameter smtpd_relay_restrictions or smtpd_recipient_restrictions, specify at least one/ }],
  },
];

for (const c of cases) {
  test(`compiler refusals are placed: ${c.label}`, () => {
    const places = placesOf(c.changes);
    assert.equal(places.length, c.places.length, JSON.stringify(places));
    c.places.forEach((want, i) => {
      assert.equal(places[i].parameter, want.parameter);
      assert.equal(places[i].index, want.index);
      assert.match(places[i].text, want.text);
    });
  });
}
