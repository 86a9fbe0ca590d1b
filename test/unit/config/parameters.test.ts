// The parameter registry (server/config/parameters.ts): every entry well-formed, every default
// valid for its own type and equal to what Postfix 3.7.11 `postconf -d` prints, except the
// values the spec fixes on purpose ([cl] at compatibility_level 3.6, no [stress]).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { PARAMETERS, getParameterDefinition } from '../../../server/config/parameters.ts';
import { PARAMETER_TYPES } from '../../../server/config/parameter-definition.ts';
import { SMTP_STAGES } from '../../../server/config/smtp-stage.ts';
import { validateParameter, validateExpandedValue } from '../../../server/config/validate-parameter.ts';
import { MainCf } from '../../../server/config/main-cf.ts';
import { PORTCULLIS_PARAMETERS } from '../../../server/config/parameters/portcullis-extensions.ts';

// `postconf -d` of Debian's postfix 3.7.11-0+deb12u1 for every registry name it knows, less
// myhostname, mydomain and mynetworks (they depend on the machine that printed them).
const POSTCONF_D = new URL('./fixtures/postfix-3.7.11-postconf-d.txt', import.meta.url);

// Where the registry differs from that output, and why (spec/smtpd-parameters.md "Conventions").
const DELIBERATE_DIFFERENCES: Record<string, string> = {
  compatibility_level: '3.6',                // the gateway always runs with level >= 3.6 defaults
  mynetworks_style: 'host',                  // [cl]
  relay_domains: '',                         // [cl]
  smtputf8_enable: 'yes',                    // [cl]
  smtpd_relay_before_recipient_restrictions: 'yes', // [cl]
  smtpd_relay_restrictions: 'permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination', // [cl]
  smtpd_timeout: '300s',                     // normal value, not [stress]
  smtpd_starttls_timeout: '300s',            // normal value, not [stress]
  smtpd_hard_error_limit: '20',              // normal value, not [stress]
  smtpd_junk_command_limit: '100',           // normal value, not [stress]
  syslog_name: 'postfix',                    // no multi-instance Postfix here
  smtpd_tls_fingerprint_digest: 'sha256',    // [cl]
};

// $names in defaults that are not registry parameters: Postfix's legacy names (undefined,
// so they expand to empty) and the variables of the default_rbl_reply template.
const UNREGISTERED_REFERENCES = new Set([
  'virtual_maps', 'smtpd_client_connection_limit_exceptions',
  'rbl_code', 'rbl_class', 'rbl_what', 'rbl_domain', 'rbl_reason',
]);

test('every parameter name is unique and found by getParameterDefinition', () => {
  const names = PARAMETERS.map((p) => p.name);
  assert.equal(new Set(names).size, names.length);
  for (const p of PARAMETERS) assert.equal(getParameterDefinition(p.name), p);
  assert.equal(getParameterDefinition('program_directory'), undefined);
});

test('every entry has a known type, at least one known stage and a one-line help text', () => {
  for (const p of PARAMETERS) {
    assert.ok(PARAMETER_TYPES.includes(p.type), `${p.name}: type ${p.type}`);
    assert.ok(p.stages.length > 0, `${p.name}: no stage`);
    for (const s of p.stages) assert.ok(SMTP_STAGES.includes(s), `${p.name}: stage ${s}`);
    assert.match(p.help, /^[^\n]{10,200}$/, `${p.name}: help`);
  }
});

test('time parameters name their default unit and enum parameters their choices', () => {
  for (const p of PARAMETERS) {
    if (p.type === 'time') assert.ok(p.timeUnit, `${p.name}: no timeUnit`);
    if (p.type === 'enum') assert.ok(p.values && p.values.length > 1, `${p.name}: no values`);
  }
  assert.equal(getParameterDefinition('maximal_queue_lifetime')?.timeUnit, 'd');
  assert.equal(getParameterDefinition('delay_warning_time')?.timeUnit, 'h');
});

test('every default is valid for its own type', () => {
  for (const p of PARAMETERS) {
    const result = validateParameter(p.name, p.default);
    assert.deepEqual(result, { ok: true }, `${p.name} = ${p.default}`);
  }
});

test('every default is still valid once its $names are expanded', () => {
  const defaults = new MainCf({});
  assert.deepEqual(defaults.errors(), []);
  for (const p of PARAMETERS) {
    assert.deepEqual(validateExpandedValue(p, defaults.get(p.name)), { ok: true }, p.name);
  }
});

test('defaults refer only to registry parameters', () => {
  for (const p of PARAMETERS) {
    for (const [, name] of p.default.matchAll(/\$\{?([A-Za-z0-9_]+)/g)) {
      assert.ok(getParameterDefinition(name) || UNREGISTERED_REFERENCES.has(name), `${p.name} refers to $${name}`);
    }
  }
});

test('defaults equal the output of postconf -d on Postfix 3.7.11, except the deliberate differences', () => {
  const printed = new Map<string, string>();
  for (const line of fs.readFileSync(POSTCONF_D, 'utf8').split('\n').filter(Boolean)) {
    const [, name, value] = /^(\S+) =(?: (.*))?$/.exec(line)!;
    printed.set(name, value ?? '');
  }
  for (const p of PARAMETERS) {
    // Portcullis extensions have no postconf -d line (portcullis-extensions.ts).
    if (p.computed || PORTCULLIS_PARAMETERS.includes(p)) continue;
    assert.ok(printed.has(p.name), `${p.name} is not a Postfix 3.7.11 parameter`);
    const expected = DELIBERATE_DIFFERENCES[p.name] ?? printed.get(p.name);
    assert.equal(p.default, expected, p.name);
  }
});

test('the Portcullis extensions say so in their help text', () => {
  for (const name of ['dns_resolvers', 'dns_timeout']) {
    assert.match(getParameterDefinition(name)!.help, /^Portcullis extension:/);
  }
  assert.equal(getParameterDefinition('dns_resolvers')!.default, '');
  assert.equal(getParameterDefinition('dns_timeout')!.default, '5s');
});

test('parameters the spec leaves out on purpose are not in the registry', () => {
  for (const name of ['postscreen_dnsbl_sites', 'smtpd_policy_service_timeout', 'smtpd_milters', 'smtpd_proxy_filter', 'mynetworks_reject_code', 'program_directory']) {
    assert.equal(getParameterDefinition(name), undefined, name);
  }
});
