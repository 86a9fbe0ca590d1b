// Line diffs of table sources for the history view (server/policy-files/line-diff.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffLines, type DiffHunk } from '../../../server/policy-files/line-diff.ts';

function render(hunks: readonly DiffHunk[]): string[] {
  return hunks.flatMap((h) => [
    `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`,
    ...h.lines.map((l) => `${l.kind === 'same' ? ' ' : l.kind === 'removed' ? '-' : '+'}${l.text}`),
  ]);
}

// Rebuild both texts from the hunks and the unchanged lines between them.
function replay(before: string, hunks: readonly DiffHunk[]): { old: string[]; new: string[] } {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const old: string[] = [];
  const out: string[] = [];
  let at = 0;
  for (const h of hunks) {
    const start = h.oldLines === 0 ? h.oldStart : h.oldStart - 1;
    while (at < start) {
      old.push(a[at]);
      out.push(a[at++]);
    }
    for (const l of h.lines) {
      if (l.kind !== 'added') {
        old.push(l.text);
        at++;
      }
      if (l.kind !== 'removed') out.push(l.text);
    }
  }
  while (at < a.length) {
    old.push(a[at]);
    out.push(a[at++]);
  }
  return { old, new: out };
}

test('one changed line in a table shows as removed and added with three lines of context', () => {
  const before = 'a OK\nb OK\nc OK\nd OK\ne REJECT\nf OK\ng OK\nh OK\ni OK\n';
  const after = 'a OK\nb OK\nc OK\nd OK\ne REJECT spam\nf OK\ng OK\nh OK\ni OK\n';
  assert.deepEqual(render(diffLines(before, after)), [
    '@@ -2,7 +2,7 @@', ' b OK', ' c OK', ' d OK', '-e REJECT', '+e REJECT spam', ' f OK', ' g OK', ' h OK',
  ]);
});

test('changes close together share one hunk, far apart they get two', () => {
  const lines = Array.from({ length: 30 }, (_, i) => `k${i} OK`);
  const near = [...lines];
  near[10] = 'k10 REJECT';
  near[14] = 'k14 REJECT';
  assert.equal(diffLines(lines.join('\n') + '\n', near.join('\n') + '\n').length, 1);
  const far = [...lines];
  far[2] = 'k2 REJECT';
  far[25] = 'k25 REJECT';
  assert.equal(diffLines(lines.join('\n') + '\n', far.join('\n') + '\n').length, 2);
});

test('a created table is all added lines, a deleted one all removed, an unchanged one has no hunks', () => {
  assert.deepEqual(render(diffLines('', 'x OK\ny OK\n')), ['@@ -0,0 +1,2 @@', '+x OK', '+y OK']);
  assert.deepEqual(render(diffLines('x OK\n', '')), ['@@ -1,1 +0,0 @@', '-x OK']);
  assert.deepEqual(diffLines('x OK\n', 'x OK\n'), []);
});

test('the hunks of random edits rebuild both texts exactly', () => {
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let round = 0; round < 200; round++) {
    const a = Array.from({ length: random(25) }, () => `line${random(8)}`);
    const b = [...a];
    for (let edits = random(6); edits > 0; edits--) {
      const op = random(3);
      if (op === 0 && b.length) b.splice(random(b.length), 1);
      else if (op === 1) b.splice(random(b.length + 1), 0, `new${random(8)}`);
      else if (b.length) b[random(b.length)] = `changed${random(8)}`;
    }
    const before = a.length ? a.join('\n') + '\n' : '';
    const after = b.length ? b.join('\n') + '\n' : '';
    const rebuilt = replay(before, diffLines(before, after));
    assert.deepEqual(rebuilt.old, a, `round ${round}`);
    assert.deepEqual(rebuilt.new, b, `round ${round}`);
  }
});
