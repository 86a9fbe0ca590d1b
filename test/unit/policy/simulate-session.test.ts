// The policy simulator (server/policy/simulate-session.ts) against a stored policy in a real
// SQLite file, with DNS from the loopback DNS server: each case gives the policy, the session
// and what each stage answers, the steps the deciding stage evaluated (nested classes, keys
// tried, DNS answers read) and the maillog lines it would write.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDnsServer, type DnsServer } from '../../support/dns-server.ts';
import { ZONE } from '../../support/gateway.ts';
import { createPolicyDataFolder } from '../../support/policy-data-folder.ts';
import { simulateSession, type SimulationInput, type SimulationResult } from '../../../server/policy/simulate-session.ts';
import type { TracedList } from '../../../server/policy/simulation-trace.ts';
import type { DraftPolicy } from '../../../server/policy/simulation-snapshot.ts';
import type { TableKind } from '../../../server/maps/table-store.ts';
import { formatReply } from '../../../server/policy/reply.ts';
import { transcriptSimulationInput } from '../../../server/policy/transcript-simulation-input.ts';
import { loadSnapshot } from '../../../server/gateway/load-snapshot.ts';
import { openTableStore } from '../../../server/maps/table-store.ts';

let dns: DnsServer;
before(async () => {
  dns = await startDnsServer({ zone: ZONE });
});
after(() => dns.stop());

const BASE = { myhostname: 'mx.example.test', mydomain: 'example.test', myorigin: '$mydomain', mynetworks: '127.0.0.0/8' };

/** The steps as indented text: `LIST: status`, `  N name arg: outcome [reply] [decided]`, lookups and DNS under a step. */
function renderLists(lists: readonly TracedList[], indent = ''): string[] {
  const out: string[] = [];
  for (const list of lists) {
    out.push(`${indent}${list.parameter}: ${list.status}`);
    for (const s of list.steps) {
      let line = `${indent}  ${s.index} ${s.name}${s.argument ? ' ' + s.argument : ''}: ${s.outcome}`;
      if (s.underWarnIfReject) line += ' (warn_if_reject)';
      if (s.reply) line += ` ${formatReply(s.reply)}`;
      if (s.text) line += ` (${s.text})`;
      if (s.decided) line += ' [decided]';
      out.push(line);
      for (const k of s.lookups) {
        out.push(`${indent}    ${k.table} tried ${k.keysTried.join(', ')}: ${k.status === 'found' ? `${k.key} = ${k.value}` : k.status}`);
      }
      for (const d of s.dns) out.push(`${indent}    dns ${d.type} ${d.name}: ${d.status}${d.records.length ? ' ' + d.records.join(' ') : ''}`);
      out.push(...renderLists(s.nested, indent + '    '));
    }
  }
  return out;
}

/** Each stage as `STAGE reply-line`. */
function replies(result: SimulationResult): string[] {
  assert.ok(result.ok, JSON.stringify(result));
  return result.stages.map((s) => `${s.stage} ${s.replyLines[0]}`);
}

function stage(result: SimulationResult, index: number) {
  assert.ok(result.ok, JSON.stringify(result));
  const s = result.stages[index];
  assert.ok(s, `no stage ${index}: ${JSON.stringify(result.stages.map((x) => x.stage))}`);
  return s;
}

interface Case {
  label: string;
  parameters: Record<string, string>;
  tables?: Record<string, { kind: TableKind; source: string }>;
  input: SimulationInput;
  draft?: DraftPolicy;
  replies: string[];
  steps?: { stage: number; want: string[] };          // the trace of one stage
  decision?: { stage: number; want: [string, string, string] };
  log?: { stage: number; want: string[] };
}

const SESSION: SimulationInput = { clientAddress: '127.0.0.2', helo: 'client.example.org', sender: 'a@example.org', recipients: ['b@example.net'] };

const CASES: Case[] = [
  {
    label: 'with smtpd_delay_reject = yes the client, HELO and sender lists run at RCPT, in that order',
    parameters: {
      smtpd_client_restrictions: 'permit_inet_interfaces',
      smtpd_helo_restrictions: 'reject_invalid_helo_hostname',
      smtpd_sender_restrictions: 'reject_non_fqdn_sender, reject',
    },
    input: SESSION,
    replies: [
      'CONNECT 220 mx.example.test ESMTP Postfix',
      'EHLO 250 mx.example.test',
      'MAIL 250 2.1.0 Ok',
      'RCPT 554 5.7.1 <a@example.org>: Sender address rejected: Access denied',
      'DATA 554 5.5.1 Error: no valid recipients',
    ],
    steps: {
      stage: 3,
      want: [
        'smtpd_client_restrictions: dunno',
        '  1 permit_inet_interfaces: dunno',
        'smtpd_helo_restrictions: dunno',
        '  1 reject_invalid_helo_hostname: dunno',
        'smtpd_sender_restrictions: reject',
        '  1 reject_non_fqdn_sender: dunno',
        '  2 reject: reject 554 5.7.1 <a@example.org>: Sender address rejected: Access denied [decided]',
      ],
    },
    decision: { stage: 3, want: ['reject', 'smtpd_sender_restrictions', 'step'] },
    log: {
      stage: 3,
      want: ['NOQUEUE: reject: RCPT from client2.dns.test[127.0.0.2]: 554 5.7.1 <a@example.org>: Sender address rejected: Access denied; ' +
        'from=<a@example.org> to=<b@example.net> proto=ESMTP helo=<client.example.org>'],
    },
  },
  {
    label: 'with smtpd_delay_reject = no a client refused at connect gets 503 for every later command',
    parameters: { smtpd_delay_reject: 'no', smtpd_client_restrictions: 'check_client_access cidr:blocked' },
    tables: { blocked: { kind: 'cidr', source: '127.0.0.0/29 REJECT You are on our list\n' } },
    input: SESSION,
    replies: [
      'CONNECT 554 5.7.1 <client2.dns.test[127.0.0.2]>: Client host rejected: You are on our list',
      'EHLO 503 5.7.0 Error: access denied for client2.dns.test[127.0.0.2]',
      'MAIL 503 5.7.0 Error: access denied for client2.dns.test[127.0.0.2]',
      'RCPT 503 5.7.0 Error: access denied for client2.dns.test[127.0.0.2]',
      'DATA 503 5.7.0 Error: access denied for client2.dns.test[127.0.0.2]',
    ],
    steps: {
      stage: 0,
      want: [
        'smtpd_client_restrictions: reject',
        '  1 check_client_access cidr:blocked: reject 554 5.7.1 <client2.dns.test[127.0.0.2]>: Client host rejected: You are on our list [decided]',
        '    cidr:blocked tried client2.dns.test, 127.0.0.2: 127.0.0.2 = REJECT You are on our list',
      ],
    },
    log: {
      stage: 0,
      want: ['NOQUEUE: reject: CONNECT from client2.dns.test[127.0.0.2]: 554 5.7.1 <client2.dns.test[127.0.0.2]>: Client host rejected: You are on our list; proto=SMTP'],
    },
  },
  {
    label: 'a restriction class is shown nested, with the keys an exact table was tried with in access(5) order',
    parameters: {
      smtpd_restriction_classes: 'strict',
      strict: 'reject_non_fqdn_sender, check_sender_access hash:senders',
      smtpd_recipient_restrictions: 'strict, permit_mynetworks, reject_unauth_destination',
    },
    tables: { senders: { kind: 'exact', source: 'example.org REJECT go away\n' } },
    input: { ...SESSION, sender: 'Someone@Sub.Example.org' },
    replies: [
      'CONNECT 220 mx.example.test ESMTP Postfix',
      'EHLO 250 mx.example.test',
      'MAIL 250 2.1.0 Ok',
      'RCPT 554 5.7.1 <Someone@Sub.Example.org>: Sender address rejected: go away',
      'DATA 554 5.5.1 Error: no valid recipients',
    ],
    steps: {
      stage: 3,
      want: [
        'smtpd_relay_restrictions: permit',
        '  1 permit_mynetworks: permit',
        'smtpd_recipient_restrictions: reject',
        '  1 strict: reject 554 5.7.1 <Someone@Sub.Example.org>: Sender address rejected: go away',
        '    strict: reject',
        '      1 reject_non_fqdn_sender: dunno',
        '      2 check_sender_access hash:senders: reject 554 5.7.1 <Someone@Sub.Example.org>: Sender address rejected: go away [decided]',
        '        hash:senders tried someone@sub.example.org, sub.example.org, example.org: example.org = REJECT go away',
      ],
    },
    decision: { stage: 3, want: ['check_sender_access', 'strict', 'step'] },
  },
  {
    label: 'warn_if_reject marks the next step, whose reject is only logged',
    parameters: { smtpd_recipient_restrictions: 'warn_if_reject reject_non_fqdn_helo_hostname, permit_mynetworks, reject_unauth_destination' },
    input: { ...SESSION, helo: 'nodots' },
    replies: ['CONNECT 220 mx.example.test ESMTP Postfix', 'EHLO 250 mx.example.test', 'MAIL 250 2.1.0 Ok', 'RCPT 250 2.1.5 Ok', 'DATA 354 End data with <CR><LF>.<CR><LF>', 'END-OF-MESSAGE 250 2.0.0 Ok: queued as QUEUEID'],
    steps: {
      stage: 3,
      want: [
        'smtpd_relay_restrictions: permit',
        '  1 permit_mynetworks: permit',
        'smtpd_recipient_restrictions: permit',
        '  1 warn_if_reject: warn_if_reject',
        '  2 reject_non_fqdn_helo_hostname: reject_warning (warn_if_reject) 504 5.5.2 <nodots>: Helo command rejected: need fully-qualified hostname',
        '  3 permit_mynetworks: permit',
      ],
    },
    log: {
      stage: 3,
      want: ['NOQUEUE: reject_warning: RCPT from client2.dns.test[127.0.0.2]: 504 5.5.2 <nodots>: Helo command rejected: need fully-qualified hostname; ' +
        'from=<a@example.org> to=<b@example.net> proto=ESMTP helo=<nodots>'],
    },
  },
  {
    label: 'a temporary DNS failure stays temporary: defer_if_permit raised, answered at the end of the request',
    parameters: { smtpd_sender_restrictions: 'reject_unknown_sender_domain' },
    input: { ...SESSION, clientName: 'unknown', clientAddress: '192.0.2.99', sender: 'a@tempfail.example.com', recipients: ['b@mx.example.test'] },
    replies: [
      'CONNECT 220 mx.example.test ESMTP Postfix',
      'EHLO 250 mx.example.test',
      'MAIL 250 2.1.0 Ok',
      'RCPT 450 4.1.8 <a@tempfail.example.com>: Sender address rejected: Domain not found',
      'DATA 554 5.5.1 Error: no valid recipients',
    ],
    steps: {
      stage: 3,
      want: [
        'smtpd_sender_restrictions: dunno',
        '  1 reject_unknown_sender_domain: defer_if_permit 450 4.1.8 <a@tempfail.example.com>: Sender address rejected: Domain not found',
        '    dns MX tempfail.example.com: retry',
        '    dns A tempfail.example.com: retry',
        '    dns AAAA tempfail.example.com: retry',
        'smtpd_relay_restrictions: dunno',
        '  1 permit_mynetworks: dunno',
        '  2 permit_sasl_authenticated: dunno',
        '  3 defer_unauth_destination: dunno',
      ],
    },
    decision: { stage: 3, want: ['reject_unknown_sender_domain', 'smtpd_sender_restrictions', 'defer_if_permit'] },
  },
  {
    label: 'an RBL listing is read from the loopback DNS server, with its TXT record in the reply',
    parameters: { smtpd_client_restrictions: 'reject_rbl_client rbl.test' },
    input: { ...SESSION, clientAddress: '127.0.0.10' },
    replies: [
      'CONNECT 220 mx.example.test ESMTP Postfix',
      'EHLO 250 mx.example.test',
      'MAIL 250 2.1.0 Ok',
      'RCPT 554 5.7.1 Service unavailable; Client host [127.0.0.10] blocked using rbl.test; Listed by rbl.test, see http://rbl.test/q?ip=127.0.0.10',
      'DATA 554 5.5.1 Error: no valid recipients',
    ],
    steps: {
      stage: 3,
      want: [
        'smtpd_client_restrictions: reject',
        '  1 reject_rbl_client rbl.test: reject 554 5.7.1 Service unavailable; Client host [127.0.0.10] blocked using rbl.test; ' +
          'Listed by rbl.test, see http://rbl.test/q?ip=127.0.0.10 [decided]',
        '    dns A 10.0.0.127.rbl.test: found 127.0.0.2',
        '    dns TXT 10.0.0.127.rbl.test: found Listed by rbl.test, see http://rbl.test/q?ip=127.0.0.10',
      ],
    },
  },
  {
    label: 'smtpd_reject_unlisted_recipient decides after the lists, from the recipient table lookup',
    parameters: { mydestination: 'example.test', local_recipient_maps: 'hash:users' },
    tables: { users: { kind: 'exact', source: 'alice@example.test x\n' } },
    input: { ...SESSION, recipients: ['alice@example.test', 'bob@example.test'] },
    replies: [
      'CONNECT 220 mx.example.test ESMTP Postfix',
      'EHLO 250 mx.example.test',
      'MAIL 250 2.1.0 Ok',
      'RCPT 250 2.1.5 Ok',
      'RCPT 550 5.1.1 <bob@example.test>: Recipient address rejected: User unknown in local recipient table',
      'DATA 354 End data with <CR><LF>.<CR><LF>',
      'END-OF-MESSAGE 250 2.0.0 Ok: queued as QUEUEID',
    ],
    decision: { stage: 4, want: ['smtpd_reject_unlisted_recipient', 'smtpd_reject_unlisted_recipient', 'implicit'] },
    log: {
      stage: 4,
      want: ['QUEUEID: reject: RCPT from client2.dns.test[127.0.0.2]: 550 5.1.1 <bob@example.test>: Recipient address rejected: User unknown in local recipient table; ' +
        'from=<a@example.org> to=<bob@example.test> proto=ESMTP helo=<client.example.org>'],
    },
  },
  {
    label: 'an access-table value naming a class runs it nested under the lookup',
    parameters: {
      smtpd_restriction_classes: 'from_partners',
      from_partners: 'reject_non_fqdn_helo_hostname, permit',
      smtpd_recipient_restrictions: 'check_sender_access hash:partners, reject',
    },
    tables: { partners: { kind: 'exact', source: 'partner.example from_partners\n' } },
    input: { ...SESSION, clientAddress: '192.0.2.99', clientName: 'unknown', helo: 'nodots', sender: 'x@partner.example', recipients: ['b@mx.example.test'] },
    replies: [
      'CONNECT 220 mx.example.test ESMTP Postfix',
      'EHLO 250 mx.example.test',
      'MAIL 250 2.1.0 Ok',
      'RCPT 504 5.5.2 <nodots>: Helo command rejected: need fully-qualified hostname',
      'DATA 554 5.5.1 Error: no valid recipients',
    ],
    steps: {
      stage: 3,
      want: [
        'smtpd_relay_restrictions: dunno',
        '  1 permit_mynetworks: dunno',
        '  2 permit_sasl_authenticated: dunno',
        '  3 defer_unauth_destination: dunno',
        'smtpd_recipient_restrictions: reject',
        '  1 check_sender_access hash:partners: reject 504 5.5.2 <nodots>: Helo command rejected: need fully-qualified hostname',
        '    hash:partners tried x@partner.example, partner.example: partner.example = from_partners',
        '    access table value: reject',
        '      1 from_partners: reject 504 5.5.2 <nodots>: Helo command rejected: need fully-qualified hostname',
        '        from_partners: reject',
        '          1 reject_non_fqdn_helo_hostname: reject 504 5.5.2 <nodots>: Helo command rejected: need fully-qualified hostname [decided]',
      ],
    },
    decision: { stage: 3, want: ['reject_non_fqdn_helo_hostname', 'from_partners', 'step'] },
  },
  {
    label: 'the front refuses before any policy: no HELO under smtpd_helo_required, then no transaction',
    parameters: { smtpd_helo_required: 'yes' },
    input: { ...SESSION, helo: null },
    replies: [
      'CONNECT 220 mx.example.test ESMTP Postfix',
      'MAIL 503 5.5.1 Error: send HELO/EHLO first',
      'RCPT 503 5.5.1 Error: need MAIL command',
      'DATA 503 5.5.1 Error: need RCPT command',
    ],
  },
  {
    label: 'a sender with bad address syntax is refused as the front refuses it, with its warning',
    parameters: {},
    input: { ...SESSION, sender: 'a b@c' },
    replies: [
      'CONNECT 220 mx.example.test ESMTP Postfix',
      'EHLO 250 mx.example.test',
      'MAIL 501 5.1.7 Bad sender address syntax',
      'RCPT 503 5.5.1 Error: need MAIL command',
      'DATA 503 5.5.1 Error: need RCPT command',
    ],
    log: { stage: 2, want: ['warning: Illegal address syntax from client2.dns.test[127.0.0.2] in MAIL command: <a b@c>'] },
  },
  {
    label: 'soft_bounce turns the reply and the logged code into 4xx',
    parameters: { soft_bounce: 'yes', smtpd_sender_restrictions: 'reject' },
    input: SESSION,
    replies: ['CONNECT 220 mx.example.test ESMTP Postfix', 'EHLO 250 mx.example.test', 'MAIL 250 2.1.0 Ok', 'RCPT 454 4.7.1 <a@example.org>: Sender address rejected: Access denied',
      'DATA 454 4.5.1 Error: no valid recipients'],
    log: {
      stage: 3,
      want: ['NOQUEUE: reject: RCPT from client2.dns.test[127.0.0.2]: 454 4.7.1 <a@example.org>: Sender address rejected: Access denied; ' +
        'from=<a@example.org> to=<b@example.net> proto=ESMTP helo=<client.example.org>'],
    },
  },
  {
    label: 'a draft overlays parameters and table contents on the stored policy without writing them',
    parameters: { smtpd_sender_restrictions: 'check_sender_access hash:senders' },
    tables: { senders: { kind: 'exact', source: 'other.example REJECT\n' } },
    draft: {
      parameters: { smtpd_helo_restrictions: 'check_helo_access hash:helos' },
      tables: [
        { name: 'senders', kind: 'exact', lines: [{ key: 'example.org', value: 'REJECT draft says no' }] },
        { name: 'helos', kind: 'exact', lines: [{ key: 'client.example.org', value: 'DUNNO' }] },
      ],
    },
    input: SESSION,
    replies: ['CONNECT 220 mx.example.test ESMTP Postfix', 'EHLO 250 mx.example.test', 'MAIL 250 2.1.0 Ok', 'RCPT 554 5.7.1 <a@example.org>: Sender address rejected: draft says no',
      'DATA 554 5.5.1 Error: no valid recipients'],
    steps: {
      stage: 3,
      want: [
        'smtpd_helo_restrictions: dunno',
        '  1 check_helo_access hash:helos: dunno',
        '    hash:helos tried client.example.org: client.example.org = DUNNO',
        'smtpd_sender_restrictions: reject',
        '  1 check_sender_access hash:senders: reject 554 5.7.1 <a@example.org>: Sender address rejected: draft says no [decided]',
        '    hash:senders tried a@example.org, example.org: example.org = REJECT draft says no',
      ],
    },
  },
];

for (const c of CASES) {
  test(`simulator: ${c.label}`, async (t) => {
    const folder = await createPolicyDataFolder({ ...BASE, dns_resolvers: dns.server, dns_timeout: '1s', ...c.parameters }, c.tables);
    t.after(() => folder.remove());
    const result = await simulateSession(folder.dataDir, c.input, c.draft ? { kind: 'draft', draft: c.draft } : { kind: 'live' });
    assert.deepEqual(replies(result), c.replies);
    if (c.steps) assert.deepEqual(renderLists(stage(result, c.steps.stage).lists), c.steps.want);
    if (c.decision) {
      const d = stage(result, c.decision.stage).decision;
      assert.deepEqual(d && [d.restriction, d.parameter, d.how], c.decision.want);
    }
    if (c.log) assert.deepEqual(stage(result, c.log.stage).logLines, c.log.want);
  });
}

test('simulator: the live policy is unchanged by a draft simulation', async (t) => {
  const folder = await createPolicyDataFolder({ ...BASE, dns_resolvers: dns.server, smtpd_sender_restrictions: 'reject' });
  t.after(() => folder.remove());
  const draft = await simulateSession(folder.dataDir, SESSION, { kind: 'draft', draft: { parameters: { smtpd_sender_restrictions: null } } });
  assert.equal(stage(draft, 3).replyLines[0], '250 2.1.5 Ok');
  const live = await simulateSession(folder.dataDir, SESSION);
  assert.equal(stage(live, 3).replyLines[0], '554 5.7.1 <a@example.org>: Sender address rejected: Access denied');
});

test('simulator: a draft the gateway would refuse gives the errors the gateway gives on reload', async (t) => {
  const folder = await createPolicyDataFolder({ ...BASE, dns_resolvers: dns.server });
  t.after(() => folder.remove());
  const broken = { smtpd_recipient_restrictions: 'permit_mynetworks', smtpd_relay_restrictions: '', smtpd_delay_reject: 'maybe' };
  const simulated = await simulateSession(folder.dataDir, SESSION, { kind: 'draft', draft: { parameters: broken } });
  assert.equal(simulated.ok, false);
  // Stored behind the checks' back, the gateway's reload refuses it with the same errors.
  const store = openTableStore(folder.dataDir);
  store.commitPolicy((current) => ({ parameters: { ...current.parameters, ...broken }, tables: [], deleteTables: [] }), 'test', 'broken on purpose');
  store.close();
  const reload = await loadSnapshot(folder.dataDir);
  assert.equal(reload.ok, false);
  if (simulated.ok || reload.ok) return;
  assert.ok(simulated.errors.length > 0);
  assert.equal(simulated.errors.join('; '), reload.error);
});

test('simulator: a draft that compiles but would not be saved lists why, and runs as the gateway would', async (t) => {
  const folder = await createPolicyDataFolder({ ...BASE, dns_resolvers: dns.server });
  t.after(() => folder.remove());
  const result = await simulateSession(folder.dataDir, SESSION, {
    kind: 'draft', draft: { parameters: { smtpd_sender_restrictions: 'reject_bogus_thing' } },
  });
  assert.ok(result.ok, JSON.stringify(result));
  assert.ok(result.problems.some((p) => p.startsWith('saving would be refused: ') && p.includes('reject_bogus_thing')), result.problems.join('\n'));
  const rcpt = stage(result, 3);
  assert.equal(rcpt.replyLines[0], '451 4.3.5 Server configuration error');
  assert.deepEqual(rcpt.logLines.slice(0, 1), ['warning: unknown smtpd restriction: "reject_bogus_thing"']);
});

test('simulator: a client name not given is looked up and forward-confirmed as the gateway does', async (t) => {
  const folder = await createPolicyDataFolder({ ...BASE, dns_resolvers: dns.server, dns_timeout: '1s' });
  t.after(() => folder.remove());
  const forged = await simulateSession(folder.dataDir, { clientAddress: '127.0.0.4' });
  assert.ok(forged.ok, JSON.stringify(forged));
  assert.deepEqual(
    { name: forged.client.name, reverse: forged.client.reverseName, status: forged.client.nameStatus, lookedUp: forged.client.lookedUp },
    { name: 'unknown', reverse: 'forged4.dns.test', status: 'forged', lookedUp: true },
  );
  assert.deepEqual(replies(forged), ['CONNECT 220 mx.example.test ESMTP Postfix']);
});

test('simulator: input that is not a session is refused with the field named', async (t) => {
  const folder = await createPolicyDataFolder({ ...BASE, dns_resolvers: dns.server });
  t.after(() => folder.remove());
  const result = await simulateSession(folder.dataDir, { clientAddress: 'nonsense', clientName: 'bad name!' });
  assert.deepEqual(result, {
    ok: false, problems: [],
    errors: ['client address: not an IP address: "nonsense"', 'client hostname: not a host name: "bad name!"'],
  });
});

test('a stored transcript becomes simulator input: client, HELO, the last MAIL FROM and the recipients after it', () => {
  const lines = [
    { dir: 'out', text: '220 mx.example.test ESMTP Postfix' },
    { dir: 'in', text: 'EHLO client.example.org' },
    { dir: 'out', text: '250-mx.example.test' },
    { dir: 'in', text: 'STARTTLS' },
    { dir: 'out', text: '220 2.0.0 Ready to start TLS' },
    { dir: 'in', text: 'MAIL FROM:<first@example.org>' },
    { dir: 'in', text: 'RSET' },
    { dir: 'in', text: 'MAIL FROM:<a@example.org> SIZE=100' },
    { dir: 'in', text: 'RCPT TO:<b@example.net>' },
    { dir: 'out', text: '554 5.7.1 <b@example.net>: Relay access denied' },
    { dir: 'in', text: 'RCPT TO:<c@example.net> NOTIFY=NEVER' },
  ].map((l) => ({ at: '2026-01-01T00:00:00.000Z', ...l }));
  const converted = transcriptSimulationInput({
    clientAddress: '198.51.100.7', clientName: 'unknown', helo: null, sender: 'a@example.org',
    recipients: JSON.stringify(['b@example.net']), lines: JSON.stringify(lines),
  });
  assert.deepEqual(converted, {
    input: {
      clientAddress: '198.51.100.7', clientName: 'unknown', helo: 'client.example.org', protocol: 'ESMTP',
      sender: 'a@example.org', recipients: ['b@example.net', 'c@example.net'], tls: true, saslUsername: null,
    },
    notes: [],
  });
});

test('a transcript whose commands were not kept falls back to its stored envelope, and says so', () => {
  const converted = transcriptSimulationInput({
    clientAddress: '198.51.100.7', clientName: 'host.example.org', helo: 'host.example.org', sender: 's@example.org',
    recipients: JSON.stringify(['r@example.net']),
    lines: JSON.stringify([{ at: '2026-01-01T00:00:00.000Z', dir: 'out', text: '235 2.7.0 Authentication successful' }]),
  });
  assert.deepEqual(converted.input, {
    clientAddress: '198.51.100.7', clientName: 'host.example.org', helo: 'host.example.org', protocol: 'ESMTP',
    sender: 's@example.org', recipients: ['r@example.net'], tls: false, saslUsername: null,
  });
  assert.equal(converted.notes.length, 3);
});
