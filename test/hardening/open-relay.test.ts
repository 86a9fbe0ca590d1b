/**
 * The open-relay battery: classic relay tricks (percent hack, source routes, bang paths, quoted
 * local parts, address literals, trailing dots, case, IDN, look-alike domains, bad syntax) sent
 * from a client outside mynetworks (XCLIENT ADDR=198.51.100.7) to a gateway with
 * relay_domains = example.org and mydestination = $myhostname localhost.$mydomain. Every reply
 * is the one a private Postfix 3.7 gave to the same RCPT with the same parameters
 * (harness/postfix-ref; inet_interfaces there was 127.0.0.1, here 127.0.0.2, so the two
 * literals swap), under three relay policies: reject_unauth_destination, the default
 * defer_unauth_destination, and an access table that says OK for the relay domain (an OK that
 * Postfix downgrades for sender-routed addresses). Whatever was accepted went to DATA, and the
 * queue holds nothing for a domain outside relay_domains and mydestination.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SmtpClient, dataWire } from '../support/smtp-client.ts';
import { startTestGateway } from '../support/gateway.ts';
import { readQueueFile } from '../../server/queue/index.ts';

const DENIED = '554 5.7.1';
const SYNTAX = '501 5.1.3 Bad recipient address syntax';
const OK = '250 2.1.5 Ok';

// [label, RCPT TO argument as sent, expected reply (code and text up to its end when given)]
const CASES: ReadonlyArray<readonly [string, string, string]> = [
  ['relay domain', '<user@example.org>', OK],
  ['relay domain in capitals', '<USER@EXAMPLE.ORG>', OK],
  ['relay domain with a trailing dot', '<user@example.org.>', OK],
  ['subdomain of a relay domain (parent_domain_matches_subdomains)', '<user@sub.example.org>', OK],
  ['myhostname', '<user@mx.example.test>', OK],
  ['myhostname in capitals', '<user@MX.EXAMPLE.TEST>', OK],
  ['localhost.$mydomain', '<user@localhost.example.test>', OK],
  ['bare postmaster', '<postmaster>', OK],
  ['literal of our own inet_interfaces address', '<user@[127.0.0.2]>', OK],
  ['plain foreign domain', '<user@victim.net>', `${DENIED} <user@victim.net>: Relay access denied`],
  ['postmaster of a foreign domain', '<postmaster@victim.net>', `${DENIED} <postmaster@victim.net>: Relay access denied`],
  ['foreign domain in capitals', '<USER@VICTIM.NET>', `${DENIED} <USER@VICTIM.NET>: Relay access denied`],
  ['foreign domain with a trailing dot', '<user@victim.net.>', `${DENIED} <user@victim.net.>: Relay access denied`],
  ['two trailing dots', '<user@victim.net..>', SYNTAX],
  ['leading dot in the domain', '<user@.victim.net>', SYNTAX],
  ['percent hack through myhostname', '<user%victim.net@mx.example.test>', `${DENIED} <user%victim.net@mx.example.test>: Relay access denied`],
  ['percent hack through a relay domain', '<user%victim.net@example.org>', `${DENIED} <user%victim.net@example.org>: Relay access denied`],
  ['percent hack without a domain', '<user%victim.net>', `${DENIED} <user%victim.net>: Relay access denied`],
  ['double percent hack', '<user%victim.net%mx.example.test>', `${DENIED} <user%victim.net%mx.example.test>: Relay access denied`],
  ['two @ through myhostname', '<user@victim.net@mx.example.test>', `${DENIED} <user@victim.net@mx.example.test>: Relay access denied`],
  ['two @ through a relay domain', '<user@victim.net@example.org>', `${DENIED} <user@victim.net@example.org>: Relay access denied`],
  ['two @ with the foreign domain last', '<user@mx.example.test@victim.net>', `${DENIED} <user@mx.example.test@victim.net>: Relay access denied`],
  ['bang path through myhostname', '<victim.net!user@mx.example.test>', `${DENIED} <victim.net!user@mx.example.test>: Relay access denied`],
  ['bang path through a relay domain', '<victim.net!user@example.org>', `${DENIED} <victim.net!user@example.org>: Relay access denied`],
  ['bang path without a domain', '<victim.net!user>', `${DENIED} <victim.net!user>: Relay access denied`],
  ['two-hop bang path', '<mx.example.test!victim.net!user>', `${DENIED} <mx.example.test!victim.net!user>: Relay access denied`],
  ['source route through myhostname', '<@mx.example.test:user@victim.net>', `${DENIED} <user@victim.net>: Relay access denied`],
  ['two-hop source route', '<@mx.example.test,@example.org:user@victim.net>', `${DENIED} <user@victim.net>: Relay access denied`],
  ['source route through a relay domain', '<@example.org:user@victim.net>', `${DENIED} <user@victim.net>: Relay access denied`],
  ['empty source route', '<@:user@victim.net>', `${DENIED} <user@victim.net>: Relay access denied`],
  ['quoted local part with @ at myhostname', '<"user@victim.net"@mx.example.test>', `${DENIED} <user@victim.net@mx.example.test>: Relay access denied`],
  ['quoted local part with % at myhostname', '<"user%victim.net"@mx.example.test>', `${DENIED} <user%victim.net@mx.example.test>: Relay access denied`],
  ['quoted bang path at myhostname', '<"victim.net!user"@mx.example.test>', `${DENIED} <victim.net!user@mx.example.test>: Relay access denied`],
  ['quoted local part with @ at a relay domain', '<"user@victim.net"@example.org>', `${DENIED} <user@victim.net@example.org>: Relay access denied`],
  ['quoted whole address', '<"user@victim.net">', `${DENIED} <user@victim.net>: Relay access denied`],
  ['quoted local part at a foreign domain', '<"user"@victim.net>', `${DENIED} <user@victim.net>: Relay access denied`],
  ['backslash-escaped @ in the local part', '<user\\@victim.net@mx.example.test>', `${DENIED} <user@victim.net@mx.example.test>: Relay access denied`],
  ['backslash-escaped % in the local part', '<user\\%victim.net@mx.example.test>', `${DENIED} <user%victim.net@mx.example.test>: Relay access denied`],
  ['backslash-escaped @ in the domain', '<user@victim.net\\@mx.example.test>', `${DENIED} <user@victim.net@mx.example.test>: Relay access denied`],
  ['foreign IPv4 literal', '<user@[1.2.3.4]>', `${DENIED} <user@[1.2.3.4]>: Relay access denied`],
  ['documentation IPv4 literal', '<user@[192.0.2.1]>', `${DENIED} <user@[192.0.2.1]>: Relay access denied`],
  ['loopback literal that is not our address', '<user@[127.0.0.1]>', `${DENIED} <user@[127.0.0.1]>: Relay access denied`],
  ['foreign IPv6 literal', '<user@[IPv6:2001:db8::1]>', `${DENIED} <user@[IPv6:2001:db8::1]>: Relay access denied`],
  ['IPv6 loopback literal that is not our address', '<user@[IPv6:::1]>', `${DENIED} <user@[IPv6:::1]>: Relay access denied`],
  ['host name inside brackets', '<user@[mx.example.test]>', SYNTAX],
  ['foreign literal left open', '<user@[1.2.3.4>', `${DENIED} <user@[1.2.3.4]>: Relay access denied`],
  ['our own literal left open', '<user@[127.0.0.2>', OK],
  ['literal without its opening bracket', '<user@1.2.3.4]>', SYNTAX],
  ['stray closing bracket after a name', '<user@victim.net]>', SYNTAX],
  ['punycode foreign domain', '<user@xn--vctim-yqa.net>', `${DENIED} <user@xn--vctim-yqa.net>: Relay access denied`],
  ['punycode look-alike of the relay domain', '<user@xn--exmple-cua.org>', `${DENIED} <user@xn--exmple-cua.org>: Relay access denied`],
  ['UTF-8 domain without SMTPUTF8', '<user@vïctim.net>', SYNTAX],
  ['Cyrillic look-alike of the relay domain without SMTPUTF8', '<user@exаmple.org>', SYNTAX],
  ['relay domain inside a foreign one', '<user@victim.example.org.evil>', `${DENIED} <user@victim.example.org.evil>: Relay access denied`],
  ['relay domain as a prefix', '<user@example.org.victim.net>', `${DENIED} <user@example.org.victim.net>: Relay access denied`],
  ['relay domain as a suffix without a dot', '<user@evilexample.org>', `${DENIED} <user@evilexample.org>: Relay access denied`],
  ['relay domain with a foreign top-level domain', '<user@example.org.evil>', `${DENIED} <user@example.org.evil>: Relay access denied`],
  ['localhost, which is not in mydestination', '<user@localhost>', `${DENIED} <user@localhost>: Relay access denied`],
  ['empty domain', '<user@>', SYNTAX],
  ['empty local part at a foreign domain', '<@victim.net>', `${DENIED} <@victim.net>: Relay access denied`],
  ['double @', '<user@@victim.net>', `${DENIED} <user@@victim.net>: Relay access denied`],
  ['nested angle brackets', '<<user@victim.net>>', `${DENIED} <user@victim.net>: Relay access denied`],
  ['no angle brackets', 'user@victim.net', `${DENIED} <user@victim.net>: Relay access denied`],
  ['percent after the domain', '<user@victim.net%mx.example.test>', SYNTAX],
  ['blank before the closing bracket', '<user@victim.net >', `${DENIED} <user@victim.net>: Relay access denied`],
  ['port after the domain', '<user@example.org:25>', SYNTAX],
  ['two addresses in one', '<user@victim.net,user@example.org>', SYNTAX],
  ['two addresses with a semicolon', '<user@victim.net;user@example.org>', SYNTAX],
  ['percent hack with an empty domain', '<user%@mx.example.test>', SYNTAX],
  ['bang path with an empty host', '<!user@mx.example.test>', SYNTAX],
  ['bare IPv4 address as the domain', '<user@1.2.3.4>', SYNTAX],
  ['hexadecimal literal', '<user@[0x7f.0.0.2]>', SYNTAX],
  ['decimal literal', '<user@[2130706434]>', SYNTAX],
  ['hyphen first in the domain', '<user@-example.org>', SYNTAX],
  ['IPv4-mapped IPv6 literal of our own address', '<user@[IPv6:::ffff:127.0.0.2]>', OK],
  ['our own literal with leading zeros', '<user@[127.0.0.002]>', OK],
  ['foreign literal with leading zeros', '<user@[127.0.0.001]>', `${DENIED} <user@[127.0.0.001]>: Relay access denied`],
  ['comment after our own domain', '<user@mx.example.test(victim.net)>', OK],
  ['comment after a foreign domain', '<user@victim.net(comment)>', `${DENIED} <user@victim.net>: Relay access denied`],
  ['mydestination as a prefix of a foreign domain', '<user@localhost.example.test.victim.net>', `${DENIED} <user@localhost.example.test.victim.net>: Relay access denied`],
  ['percent hack through myhostname in capitals with a trailing dot', '<user%victim.net@MX.EXAMPLE.TEST.>', `${DENIED} <user%victim.net@MX.EXAMPLE.TEST.>: Relay access denied`],
  ['two @ through localhost.$mydomain', '<user@victim.net@localhost.example.test>', `${DENIED} <user@victim.net@localhost.example.test>: Relay access denied`],
  ['two @ with the relay domain first', '<user@example.org@victim.net>', `${DENIED} <user@example.org@victim.net>: Relay access denied`],
  ['quoted local part at a foreign literal', '<"user"@[1.2.3.4]>', `${DENIED} <user@[1.2.3.4]>: Relay access denied`],
  ['percent hack with an empty user', '<%victim.net@mx.example.test>', `${DENIED} <%victim.net@mx.example.test>: Relay access denied`],
  ['bang path with an empty user', '<victim.net!@mx.example.test>', `${DENIED} <victim.net!@mx.example.test>: Relay access denied`],
  ['bang after the user', '<user!victim.net@mx.example.test>', `${DENIED} <user!victim.net@mx.example.test>: Relay access denied`],
  ['quoted @ and domain as the local part', '<"@victim.net"@mx.example.test>', `${DENIED} <@victim.net@mx.example.test>: Relay access denied`],
  ['single-label foreign domain', '<user@victim>', `${DENIED} <user@victim>: Relay access denied`],
  ['IPv6 literal left open', '<user@[IPv6:2001:db8::1>', `${DENIED} <user@[IPv6:2001:db8::1]>: Relay access denied`],
];

// The domains a queued recipient may have: relay_domains (with subdomains), mydestination and
// our own literal; bare <postmaster> is completed with @$myorigin and stays local.
const AUTHORIZED = /^postmaster@example\.test$|@(?:(?:[a-z0-9-]+\.)*example\.org|mx\.example\.test|localhost\.example\.test|\[127\.0\.0\.2\]|\[IPv6:::ffff:127\.0\.0\.2\]|\[127\.0\.0\.002\])\.?$/i;

// Every case in one session each from 198.51.100.7; the relay denial is `denied` (554 5.7.1 for
// reject_unauth_destination, 454 4.7.1 for defer_unauth_destination).
async function runBattery(
  t: { after(fn: () => unknown): void },
  relay: Record<string, string>,
  denied: string,
  tables?: NonNullable<Parameters<typeof startTestGateway>[1]>['tables'],
): Promise<void> {
  const gw = await startTestGateway({
    mydestination: '$myhostname localhost.$mydomain',
    relay_domains: 'example.org',
    inet_interfaces: '127.0.0.2',
    smtpd_authorized_xclient_hosts: '127.0.0.0/8',
    ...relay,
  }, { tables });
  t.after(() => gw.stop());
  assert.ok(CASES.filter(([, , want]) => want !== OK).length >= 40);
  const wrong: string[] = [];
  const queued: string[] = [];
  for (const [label, rcpt, listed] of CASES) {
    const want = listed.replace(/^554 5\.7\.1 /, `${denied} `);
    const c = await SmtpClient.connect(gw.port);
    try {
      await c.read();
      await c.command('EHLO client.example.org');
      assert.equal((await c.command('XCLIENT ADDR=198.51.100.7 NAME=client.example.org')).code, 220);
      await c.command('EHLO client.example.org');
      assert.equal((await c.command('MAIL FROM:<a@sender.example>')).code, 250);
      const r = await c.command(`RCPT TO:${rcpt}`);
      const got = `${r.code} ${r.enh ?? ''} ${r.text}`.replace(/ {2}/, ' ');
      if (!got.startsWith(want)) wrong.push(`${label}: RCPT TO:${rcpt} got "${got}", want "${want}"`);
      // Whatever was accepted goes all the way into the queue; the queue is checked below.
      const data = await c.command('DATA');
      if (data.code === 354) {
        c.write(dataWire('Subject: relay test\n\nbody\n'));
        const done = await c.read();
        assert.equal(done?.code, 250, label);
        queued.push(/queued as (\w+)/.exec(done!.text)![1]);
      } else {
        assert.equal(`${data.code} ${data.enh} ${data.text}`, '554 5.5.1 Error: no valid recipients', label);
      }
    } finally {
      c.close();
    }
  }
  assert.deepEqual(wrong, []);
  assert.equal(queued.length, CASES.filter(([, , want]) => want === OK).length);
  const recipients: string[] = [];
  for (const id of gw.queueFiles('incoming')) {
    const read = await readQueueFile(path.join(gw.dataDir, 'queue', 'incoming', id));
    assert.ok(read.ok, JSON.stringify(read));
    if (read.ok) recipients.push(...read.envelope.recipients.map((r) => r.address));
  }
  assert.equal(recipients.length, queued.length);
  assert.deepEqual(recipients.filter((r) => !AUTHORIZED.test(r)), []);
  assert.equal(fs.readdirSync(path.join(gw.dataDir, 'queue', 'incoming')).length, queued.length);
}

test('relay tricks from outside mynetworks are refused as Postfix 3.7 refuses them, and nothing foreign is queued', async (t) => {
  await runBattery(t, { smtpd_relay_restrictions: 'permit_mynetworks, reject_unauth_destination' }, '554 5.7.1');
});

test('with the default smtpd_relay_restrictions (defer_unauth_destination) every trick gets 454 4.7.1', async (t) => {
  await runBattery(t, {}, '454 4.7.1');
});

test('an access table OK for our own and the relay domain opens no routed address (user%victim.net@mx.example.test)', async (t) => {
  await runBattery(
    t,
    { smtpd_relay_restrictions: 'check_recipient_access hash:relay_ok, reject_unauth_destination' },
    '554 5.7.1',
    { relay_ok: { kind: 'exact', source: 'example.org OK\nmx.example.test OK\n' } },
  );
});

test('with SMTPUTF8 a UTF-8 domain is read, and relayed only when it is under a relay domain', async (t) => {
  const gw = await startTestGateway({
    relay_domains: 'example.org',
    smtpd_authorized_xclient_hosts: '127.0.0.0/8',
    smtpd_relay_restrictions: 'permit_mynetworks, reject_unauth_destination',
  });
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  t.after(() => c.close());
  await c.read();
  await c.command('EHLO client.example.org');
  await c.command('XCLIENT ADDR=198.51.100.7 NAME=client.example.org');
  await c.command('EHLO client.example.org');
  assert.equal((await c.command('MAIL FROM:<a@sender.example> SMTPUTF8')).code, 250);
  const foreign = await c.command('RCPT TO:<user@vïctim.net>');
  // The test client reads bytes as latin1.
  assert.equal(Buffer.from(`${foreign.code} ${foreign.enh} ${foreign.text}`, 'latin1').toString('utf8'), '554 5.7.1 <user@vïctim.net>: Relay access denied');
  assert.equal((await c.command('RCPT TO:<user@münchen.example.org>')).code, 250);
});
