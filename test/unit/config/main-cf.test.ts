// MainCf (server/config/main-cf.ts): the values the gateway reads, from the changed values
// over the registry defaults, typed, expanded, with restriction classes and computed defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MainCf } from '../../../server/config/main-cf.ts';
import { OBSERVED_HOST } from './fixtures/observed-host.ts';

test('an unchanged parameter reads as its default', () => {
  const main = new MainCf({}, OBSERVED_HOST);
  assert.equal(main.raw('smtpd_banner'), '$myhostname ESMTP $mail_name');
  assert.equal(main.get('smtpd_banner'), 'vm.localdomain ESMTP Postfix');
  assert.equal(main.bool('smtpd_helo_required'), false);
  assert.equal(main.int('smtpd_hard_error_limit'), 20);
  assert.equal(main.size('message_size_limit'), 10240000);
  assert.equal(main.code('relay_domains_reject_code'), 554);
  assert.equal(main.isChanged('smtpd_banner'), false);
  assert.deepEqual(main.changed(), {});
});

test('a changed parameter reads as its changed value, expanded with the others', () => {
  const main = new MainCf({ myhostname: 'mx.example.test', smtpd_helo_required: 'YES' }, OBSERVED_HOST);
  assert.equal(main.get('smtpd_banner'), 'mx.example.test ESMTP Postfix');
  assert.equal(main.get('mydomain'), 'example.test');
  assert.equal(main.bool('smtpd_helo_required'), true);
  assert.equal(main.isChanged('smtpd_helo_required'), true);
  assert.deepEqual(main.changed(), { myhostname: 'mx.example.test', smtpd_helo_required: 'YES' });
});

test('seconds() applies the parameter\'s own unit to a bare number and converts explicit units', () => {
  const main = new MainCf({ smtpd_timeout: '5m', maximal_queue_lifetime: '2', delay_warning_time: '4', anvil_rate_time_unit: '1w' }, OBSERVED_HOST);
  assert.equal(main.seconds('smtpd_timeout'), 300);
  assert.equal(main.seconds('maximal_queue_lifetime'), 2 * 86400);
  assert.equal(main.seconds('delay_warning_time'), 4 * 3600);
  assert.equal(main.seconds('anvil_rate_time_unit'), 604800);
  assert.equal(main.seconds('smtpd_error_sleep_time'), 1);
});

test('list() splits on commas and whitespace and keeps { } groups whole', () => {
  const main = new MainCf({ mydestination: '$myhostname,localhost.$mydomain\n  example.test ,, other.test' }, OBSERVED_HOST);
  assert.deepEqual(main.list('mydestination'), ['vm.localdomain', 'localhost.localdomain', 'example.test', 'other.test']);
  assert.deepEqual(main.list('smtpd_forbidden_commands'), ['CONNECT', 'GET', 'POST', 'regexp:{{/^[^A-Z]/ Bogus}}']);
  assert.deepEqual(main.list('smtpd_relay_restrictions'), ['permit_mynetworks', 'permit_sasl_authenticated', 'defer_unauth_destination']);
  assert.deepEqual(main.list('relay_domains'), []);
});

test('templates are not expanded: their users fill in their own variables', () => {
  const main = new MainCf({}, OBSERVED_HOST);
  assert.equal(main.get('default_rbl_reply'), main.raw('default_rbl_reply'));
});

test('computed defaults follow the changed values as Postfix computes them', () => {
  assert.equal(new MainCf({}, OBSERVED_HOST).get('myhostname'), 'vm.localdomain');
  assert.equal(new MainCf({ mydomain: 'example.test' }, OBSERVED_HOST).get('myhostname'), 'vm.example.test');
  assert.equal(new MainCf({ myhostname: 'mx.a.example' }, OBSERVED_HOST).get('mydomain'), 'a.example');
  assert.equal(new MainCf({}, OBSERVED_HOST).get('mynetworks'), '127.0.0.1/32 192.0.2.2/32 [::1]/128 [fd00::2]/128 [fe80::fc:ff:fe00:1]/128');
  assert.equal(new MainCf({ mynetworks_style: 'subnet', inet_protocols: 'ipv4' }, OBSERVED_HOST).get('mynetworks'), '127.0.0.0/8 192.0.2.0/24');
  assert.equal(new MainCf({ mynetworks: '10.0.0.0/8' }, OBSERVED_HOST).get('smtpd_client_event_limit_exceptions'), '10.0.0.0/8');
});

test('a restriction class declared in smtpd_restriction_classes is a parameter with an empty default', () => {
  const main = new MainCf({ smtpd_restriction_classes: 'strict_class, permissive_class', strict_class: 'reject_unknown_sender_domain, reject' }, OBSERVED_HOST);
  assert.deepEqual(main.restrictionClasses(), ['strict_class', 'permissive_class']);
  assert.equal(main.get('strict_class'), 'reject_unknown_sender_domain, reject');
  assert.equal(main.raw('permissive_class'), '');
  assert.equal(main.definition('strict_class').type, 'restriction-list');
  assert.ok(main.names().includes('permissive_class'));
  assert.deepEqual(main.errors(), []);
});

test('errors() lists unknown names, loops and values invalid once expanded', () => {
  const main = new MainCf({
    bogus_param: '1',
    smtpd_banner: '$smtpd_banner again',
    smtpd_helo_required: '$mail_name',
    smtpd_restriction_classes: 'mynetworks',
  }, OBSERVED_HOST);
  assert.deepEqual(main.errors(), [
    { name: 'bogus_param', error: 'unknown parameter name: bogus_param (not a built-in parameter, nor a class in smtpd_restriction_classes)' },
    { name: 'smtpd_banner', error: 'parameter smtpd_banner: expansion loop: smtpd_banner -> smtpd_banner' },
    { name: 'smtpd_helo_required', error: 'invalid boolean value "Postfix" (from "$mail_name") for parameter smtpd_helo_required: specify yes or no' },
    { name: 'smtpd_restriction_classes', error: 'restriction class name "mynetworks" in parameter smtpd_restriction_classes is already a parameter name' },
  ]);
  assert.throws(() => main.get('smtpd_banner'), /expansion loop/);
  assert.throws(() => main.bool('smtpd_helo_required'), /invalid boolean value/);
});

test('reading an unknown name or with the wrong accessor is a bug and throws', () => {
  const main = new MainCf({}, OBSERVED_HOST);
  assert.throws(() => main.get('smtpd_helo_requird'), /unknown parameter name: smtpd_helo_requird/);
  assert.throws(() => main.int('smtpd_helo_required'), /is of type bool, not int/);
});

test('a MainCf cannot be changed after it is built', () => {
  const changed: Record<string, string> = { smtpd_helo_required: 'yes' };
  const main = new MainCf(changed, OBSERVED_HOST);
  changed.smtpd_helo_required = 'no';
  assert.equal(main.bool('smtpd_helo_required'), true);
  assert.throws(() => { (main as unknown as Record<string, unknown>).extra = 1; }, TypeError);
});

test('names() sorts as postconf does, byte order', () => {
  const names = new MainCf({}, OBSERVED_HOST).names();
  assert.equal(names[0], '2bounce_notice_recipient');
  assert.deepEqual(names, [...names].sort());
});
