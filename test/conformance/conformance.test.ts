/**
 * The conformance cases recorded from a real Postfix 3.7 (copied from the shared harness into
 * ./cases), replayed against a real gateway. Each case's main.cf and table files are written to
 * a folder and loaded with `portcullis import --replace` (importMainCf), pointed at a loopback
 * DNS server serving test/fixtures/dns/zone.txt (the harness's zone) plus the case's extra
 * records. Reply codes, enhanced codes and connection close must match Postfix exactly.
 *
 * Cases with observe_delivery also get a capture sink on 127.0.0.1 as relayhost and the queue
 * manager running; what reaches the sink is compared with what Postfix forwarded
 * (observe-delivery.ts). Every case must pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestGateway, ZONE } from '../support/gateway.ts';
import { compareCase, replayCase, type ConformanceCase } from './replay-case.ts';
import { importMainCf } from '../../server/policy-files/import-main-cf.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';
import { compareDelivery, observeDelivery } from './observe-delivery.ts';

const CASES_DIR = new URL('./cases/', import.meta.url);

const cases: ConformanceCase[] = fs.readdirSync(CASES_DIR).filter((f) => f.endsWith('.json')).sort()
  .map((f) => JSON.parse(fs.readFileSync(new URL(f, CASES_DIR), 'utf8')) as ConformanceCase);

for (const c of cases) {
  test(`${c.id}: ${c.description}`, async (t) => {
    const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-case-'));
    t.after(() => fs.rmSync(configDir, { recursive: true, force: true }));
    for (const [name, content] of Object.entries(c.config.files ?? {})) {
      fs.writeFileSync(path.join(configDir, name), Array.isArray(content) ? content.join('\n') + '\n' : content);
    }
    const sink = c.observe_delivery ? await startSmtpSink() : undefined;
    if (sink) t.after(() => sink.stop());
    const gw = await startTestGateway({}, { baseline: false });
    t.after(() => gw.stop());
    // The case's main.cf, pointed at the loopback DNS server (and the sink), loaded as an administrator would.
    const main = { ...c.config.main, dns_resolvers: gw.dns.server, dns_timeout: '1s', ...(sink ? { relayhost: `[127.0.0.1]:${sink.port}` } : {}) };
    const mainCf = path.join(configDir, 'main.cf');
    fs.writeFileSync(mainCf, Object.entries(main).map(([name, value]) => `${name} = ${value}\n`).join(''));
    const imported = importMainCf({ file: mainCf, dataDir: gw.dataDir, replace: true, actor: 'conformance' });
    assert.ok(imported.ok, `import refused: ${imported.ok ? '' : imported.errors.join('; ')}`);
    const reloaded = await gw.gateway.reload();
    assert.ok(reloaded.ok, `reload refused: ${reloaded.ok ? '' : reloaded.error}`);
    if (c.config.dns_zone_extra) gw.dns.setZone(ZONE + '\n' + c.config.dns_zone_extra.join('\n') + '\n');
    if (sink) await gw.gateway.queueManager.start();
    const got = await replayCase(c, gw.port);
    const problems = compareCase(c, got);
    if (sink && c.observe_delivery) {
      const expected = c.expect.delivery ?? [];
      const delivered = await observeDelivery(sink, c.observe_delivery.marker, c.observe_delivery.wait_ms ?? 2500, expected.length);
      problems.push(...compareDelivery(expected, delivered));
    }
    assert.deepEqual(problems, []);
  });
}
