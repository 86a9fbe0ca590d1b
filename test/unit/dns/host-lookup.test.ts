/**
 * Client names without dns_resolvers come from the system's name service, as Postfix's
 * getnameinfo()/getaddrinfo() do: an /etc/hosts entry answers without any DNS query. The test
 * only asks for an address and name that /etc/hosts holds, and only where nsswitch.conf
 * consults files before DNS, so nothing leaves the machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { systemHostLookup } from '../../../server/dns/host-lookup.ts';
import { lookupClientName } from '../../../server/dns/client-name.ts';

function hostsEntry(): { address: string; name: string } | null {
  const nss = fs.existsSync('/etc/nsswitch.conf') ? fs.readFileSync('/etc/nsswitch.conf', 'utf8') : '';
  if (!/^hosts:\s+files\b/m.test(nss)) return null;
  for (const line of fs.readFileSync('/etc/hosts', 'utf8').split('\n')) {
    const m = /^\s*(127\.0\.0\.1)\s+(\S+)/.exec(line);
    if (m) return { address: m[1], name: m[2].toLowerCase() };
  }
  return null;
}

const entry = hostsEntry();

test('the system name service gives 127.0.0.1 its /etc/hosts name, forward-confirmed', { skip: entry ? false : 'no 127.0.0.1 entry in /etc/hosts consulted before DNS' }, async () => {
  const r = await lookupClientName(systemHostLookup(2000), entry!.address);
  assert.equal(r.nameStatus, 'ok');
  assert.equal(r.name, entry!.name);
  assert.equal(r.reverseName, entry!.name);
});
