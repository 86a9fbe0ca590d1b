// server/policy-files/table-users.ts: which stored parameters name which tables, read the way
// each parameter's reader opens them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findTableUsers } from '../../../server/policy-files/table-users.ts';

test('restriction lists, classes, maps and match lists name their tables; other text does not', () => {
  const users = findTableUsers({
    smtpd_client_restrictions: 'permit_mynetworks, check_client_access hash:clients, reject_rbl_client zen.example',
    smtpd_restriction_classes: 'strict',
    strict: 'check_sender_access hash:senders, reject',
    header_checks: 'regexp:header_checks',
    mynetworks: '127.0.0.0/8 cidr:clients',
    relayhost: '[relay.example]:25',
    transport_maps: 'hash:transport',
    smtpd_recipient_restrictions: 'check_recipient_access inline:{a.example=OK}',
  });
  assert.deepEqual(Object.fromEntries(users), {
    clients: [{ parameter: 'mynetworks', spec: 'cidr:clients' }, { parameter: 'smtpd_client_restrictions', spec: 'hash:clients' }],
    senders: [{ parameter: 'strict', spec: 'hash:senders' }],
    header_checks: [{ parameter: 'header_checks', spec: 'regexp:header_checks' }],
    transport: [{ parameter: 'transport_maps', spec: 'hash:transport' }],
  });
});
