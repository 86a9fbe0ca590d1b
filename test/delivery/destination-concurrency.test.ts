/**
 * qmgr's per-destination concurrency scheduler (server/delivery/destination-concurrency.ts):
 * the window starts at initial_destination_concurrency, grows per success up to the limit,
 * shrinks per failure, and a destination whose failures add up to the failed cohort limit is
 * suspended with the reason of the failure that killed it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { DestinationConcurrency, type ConcurrencyLimits } from '../../server/delivery/destination-concurrency.ts';

const LIMITS: ConcurrencyLimits = { limit: 4, initial: 2, failedCohortLimit: 1 };

// Start n tasks that each wait for release(); report how many ran at most at once.
function startTasks(scheduler: DestinationConcurrency, n: number, limits = LIMITS) {
  let running = 0;
  let most = 0;
  const releases: Array<() => void> = [];
  const done = Promise.all(Array.from({ length: n }, () => scheduler.run('smtp:[mx]', limits, async () => {
    running += 1;
    most = Math.max(most, running);
    await new Promise<void>((resolve) => releases.push(resolve));
    running -= 1;
  })));
  return { done, running: () => running, most: () => most, releaseOne: () => releases.shift()?.() };
}

test('a new destination runs initial_destination_concurrency deliveries at once, the rest wait', async () => {
  const scheduler = new DestinationConcurrency();
  const tasks = startTasks(scheduler, 5);
  await sleep(10);
  assert.equal(tasks.running(), 2);
  while (tasks.running()) {
    tasks.releaseOne();
    await sleep(5);
  }
  await tasks.done;
  assert.equal(tasks.most(), 2);
});

test('each success widens the window by one, never beyond the limit', async () => {
  const scheduler = new DestinationConcurrency();
  const tasks = startTasks(scheduler, 8);
  await sleep(10);
  scheduler.success('smtp:[mx]', LIMITS);
  await sleep(10);
  assert.equal(tasks.running(), 3);
  for (let i = 0; i < 5; i++) scheduler.success('smtp:[mx]', LIMITS);
  await sleep(10);
  assert.equal(tasks.running(), 4);
  assert.equal(scheduler.window('smtp:[mx]', LIMITS), 4);
  for (let i = 0; i < 8; i++) {
    tasks.releaseOne();
    await sleep(5);
  }
  await tasks.done;
});

test('a failure narrows the window by one, not below one, without killing a wide window at once', () => {
  const scheduler = new DestinationConcurrency();
  const limits = { limit: 20, initial: 5, failedCohortLimit: 1 };
  void scheduler.run('smtp:[mx]', limits, () => new Promise(() => {}));
  scheduler.failure('smtp:[mx]', limits, 'connect to mx: Connection refused', 60_000);
  assert.equal(scheduler.window('smtp:[mx]', limits), 4);
  assert.equal(scheduler.suspended('smtp:[mx]'), null);
  // 1/5 + 1/4 + 1/3 is still less than one cohort; + 1/2 is more.
  scheduler.failure('smtp:[mx]', limits, 'connect to mx: Connection refused', 60_000);
  scheduler.failure('smtp:[mx]', limits, 'connect to mx: Connection refused', 60_000);
  assert.equal(scheduler.suspended('smtp:[mx]'), null);
  scheduler.failure('smtp:[mx]', limits, 'connect to mx: Connection timed out', 60_000);
  assert.equal(scheduler.suspended('smtp:[mx]'), 'connect to mx: Connection timed out');
});

test('a success in between clears the failure count', () => {
  const scheduler = new DestinationConcurrency();
  const limits = { limit: 20, initial: 2, failedCohortLimit: 1 };
  void scheduler.run('smtp:[mx]', limits, () => new Promise(() => {}));
  scheduler.failure('smtp:[mx]', limits, 'refused', 60_000);
  scheduler.success('smtp:[mx]', limits);
  scheduler.failure('smtp:[mx]', limits, 'refused', 60_000);
  assert.equal(scheduler.suspended('smtp:[mx]'), null);
});

test('a dead destination is suspended until the suspension ends; failed_cohort_limit 0 never kills', async () => {
  const scheduler = new DestinationConcurrency();
  const limits = { limit: 20, initial: 1, failedCohortLimit: 1 };
  await scheduler.run('smtp:[mx]', limits, async () => scheduler.failure('smtp:[mx]', limits, 'refused', 50));
  assert.equal(scheduler.suspended('smtp:[mx]'), 'refused');
  await sleep(80);
  assert.equal(scheduler.suspended('smtp:[mx]'), null);

  const never = { limit: 20, initial: 1, failedCohortLimit: 0 };
  for (let i = 0; i < 5; i++) await scheduler.run('smtp:[other]', never, async () => scheduler.failure('smtp:[other]', never, 'refused', 60_000));
  assert.equal(scheduler.suspended('smtp:[other]'), null);
});

test('destinations are scheduled apart', async () => {
  const scheduler = new DestinationConcurrency();
  const limits = { limit: 1, initial: 1, failedCohortLimit: 1 };
  let other = false;
  void scheduler.run('smtp:[a]', limits, () => new Promise<void>(() => {}));
  await scheduler.run('smtp:[b]', limits, async () => void (other = true));
  assert.equal(other, true);
});
