/**
 * The anvil counters (server/anvil/anvil.ts) with a clock the test moves: concurrency, the
 * fixed rate window of anvil_rate_time_unit, expiry of idle clients, and clients kept apart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Anvil } from '../../../server/anvil/anvil.ts';

const UNIT = 60_000;
const A = 'smtp:192.0.2.1';
const B = 'smtp:192.0.2.2';

test('connect counts open sessions and connections; disconnect lowers only the open count', () => {
  const anvil = new Anvil(() => UNIT);
  assert.deepEqual(anvil.connect(A, 0), { count: 1, rate: 1 });
  assert.deepEqual(anvil.connect(A, 10), { count: 2, rate: 2 });
  anvil.disconnect(A, 20);
  assert.deepEqual(anvil.connect(A, 30), { count: 2, rate: 3 });
});

test('each client address has its own counters', () => {
  const anvil = new Anvil(() => UNIT);
  anvil.connect(A, 0);
  anvil.connect(A, 0);
  assert.deepEqual(anvil.connect(B, 0), { count: 1, rate: 1 });
  assert.equal(anvil.message(B, 1), 1);
  assert.equal(anvil.message(A, 1), 1);
});

test('a disconnect for a client that is not connected changes nothing and never goes below zero', () => {
  const anvil = new Anvil(() => UNIT);
  anvil.disconnect(A, 0);
  anvil.connect(A, 0);
  anvil.disconnect(A, 1);
  anvil.disconnect(A, 2);
  assert.deepEqual(anvil.connect(A, 3), { count: 1, rate: 2 });
});

test('message, recipient and AUTH rates count every event of the window, this one included', () => {
  const anvil = new Anvil(() => UNIT);
  anvil.connect(A, 0);
  assert.deepEqual([anvil.message(A, 1), anvil.message(A, 2), anvil.message(A, 3)], [1, 2, 3]);
  assert.deepEqual([anvil.recipient(A, 1), anvil.recipient(A, 2)], [1, 2]);
  assert.deepEqual([anvil.auth(A, 1), anvil.auth(A, 2)], [1, 2]);
  assert.deepEqual(anvil.lookup(A, 4), { count: 1, rate: 1, mail: 3, rcpt: 2, ntls: 0, auth: 2 });
});

test('the new TLS status query counts nothing; newTls does', () => {
  const anvil = new Anvil(() => UNIT);
  assert.equal(anvil.newTlsStatus(A, 0), 0);
  assert.equal(anvil.newTls(A, 1), 1);
  assert.equal(anvil.newTlsStatus(A, 2), 1);
  assert.equal(anvil.newTls(A, 3), 2);
});

test('the rate window is fixed: every rate restarts once anvil_rate_time_unit has passed since its start', () => {
  const anvil = new Anvil(() => UNIT);
  anvil.connect(A, 0);
  anvil.message(A, 0);
  anvil.recipient(A, 59_000);
  assert.equal(anvil.message(A, UNIT), 2, 'still the first window at exactly one unit');
  assert.equal(anvil.message(A, UNIT + 1), 1, 'a new window starts with this event');
  assert.deepEqual(anvil.lookup(A, UNIT + 2), { count: 1, rate: 0, mail: 1, rcpt: 0, ntls: 0, auth: 0 });
  assert.deepEqual(anvil.connect(A, UNIT + 3), { count: 2, rate: 1 }, 'the open count is not a rate');
});

test('a client with no open session is forgotten one time unit after its last session ended', () => {
  const anvil = new Anvil(() => UNIT);
  anvil.connect(A, 0);
  anvil.message(A, 0);
  anvil.disconnect(A, 30_000);
  assert.equal(anvil.lookup(A, 59_000)?.mail, 1);
  assert.notEqual(anvil.lookup(A, 30_000 + UNIT - 1), null);
  assert.equal(anvil.lookup(A, 30_000 + UNIT), null);
  assert.deepEqual(anvil.connect(A, 30_000 + UNIT), { count: 1, rate: 1 });
});

test('a client with an open session is kept however long the session lasts', () => {
  const anvil = new Anvil(() => UNIT);
  anvil.connect(A, 0);
  assert.equal(anvil.size(10 * UNIT), 1);
  assert.equal(anvil.lookup(A, 10 * UNIT)?.count, 1);
});

test('memory follows the clients of the last time unit: thousands of one-off clients are swept away', () => {
  const anvil = new Anvil(() => UNIT);
  for (let i = 0; i < 5000; i++) {
    const ident = `smtp:198.51.${i >> 8}.${i & 255}`;
    anvil.connect(ident, i);
    anvil.disconnect(ident, i);
  }
  assert.equal(anvil.size(5000), 5000);
  anvil.connect(A, 5000 + UNIT);
  assert.equal(anvil.size(5000 + UNIT), 1);
});

test('a shorter anvil_rate_time_unit after a reload applies to the next event', () => {
  let unit = UNIT;
  const anvil = new Anvil(() => unit);
  anvil.connect(A, 0);
  anvil.message(A, 0);
  unit = 1000;
  assert.equal(anvil.message(A, 1001), 1);
});
