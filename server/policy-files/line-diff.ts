/**
 * A line diff of two texts in unified-diff hunks, for the history view of table sources:
 * Myers' O((N+M)D) algorithm on what is left once the common head and tail are cut, so a
 * small edit of a large table costs little.
 * Exports: DiffLine, DiffHunk, diffLines.
 * When the two middles differ in more than MAX_EDIT_DISTANCE lines the middle is shown as
 * removed, then added (a correct diff, not a minimal one), which bounds time and memory.
 */

export interface DiffLine {
  readonly kind: 'same' | 'removed' | 'added';
  readonly text: string;
  readonly oldLine: number | null; // 1-based line in the text before
  readonly newLine: number | null; // 1-based line in the text after
}

export interface DiffHunk {
  readonly oldStart: number;       // first line of the hunk before (1-based; 0 for an empty side)
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  readonly lines: readonly DiffLine[];
}

const MAX_EDIT_DISTANCE = 2000;

type Op = 'same' | 'removed' | 'added';

/** diffLines - the hunks that turn `before` into `after`, with `context` unchanged lines around each change. */
export function diffLines(before: string, after: string, context = 3): DiffHunk[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const middleA = a.slice(head, a.length - tail);
  const middleB = b.slice(head, b.length - tail);
  const middle = shortestEdit(middleA, middleB) ?? [...middleA.map((): Op => 'removed'), ...middleB.map((): Op => 'added')];
  const ops: Op[] = [...Array<Op>(head).fill('same'), ...middle, ...Array<Op>(tail).fill('same')];

  // Number every line, then keep the changes with their context.
  const lines: DiffLine[] = [];
  let x = 0;
  let y = 0;
  for (const op of ops) {
    if (op === 'same') lines.push({ kind: 'same', text: a[x], oldLine: ++x, newLine: ++y });
    else if (op === 'removed') lines.push({ kind: 'removed', text: a[x], oldLine: ++x, newLine: null });
    else lines.push({ kind: 'added', text: b[y], oldLine: null, newLine: ++y });
  }
  const hunks: DiffHunk[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i].kind === 'same') {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    // Extend while the next change is within twice the context.
    for (;;) {
      while (end < lines.length && lines[end].kind !== 'same') end++;
      let next = end;
      while (next < lines.length && lines[next].kind === 'same' && next - end < 2 * context) next++;
      if (next < lines.length && lines[next].kind !== 'same') end = next;
      else break;
    }
    const stop = Math.min(lines.length, end + context);
    hunks.push(makeHunk(lines.slice(start, stop), lines, start));
    i = stop;
  }
  return hunks;
}

function makeHunk(part: DiffLine[], all: DiffLine[], start: number): DiffHunk {
  const oldLines = part.filter((l) => l.kind !== 'added').length;
  const newLines = part.filter((l) => l.kind !== 'removed').length;
  // The line numbers where the hunk starts, counting what came before it.
  let oldBefore = 0;
  let newBefore = 0;
  for (let i = 0; i < start; i++) {
    if (all[i].kind !== 'added') oldBefore++;
    if (all[i].kind !== 'removed') newBefore++;
  }
  return {
    oldStart: oldLines === 0 ? oldBefore : oldBefore + 1,
    oldLines,
    newStart: newLines === 0 ? newBefore : newBefore + 1,
    newLines,
    lines: part,
  };
}

// Myers' greedy shortest edit script; null past MAX_EDIT_DISTANCE.
function shortestEdit(a: readonly string[], b: readonly string[]): Op[] | null {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  if (max === 0) return [];
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(max, MAX_EDIT_DISTANCE); d++) {
    trace.push(v.slice(offset - d, offset + d + 1)); // v[k] for k in -d..d, as step d-1 left it
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m);
    }
  }
  return null;
}

function backtrack(trace: readonly Int32Array[], n: number, m: number): Op[] {
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const prev = trace[d];
    const at = (k: number) => prev[k + d];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push('same');
      x--;
      y--;
    }
    ops.push(prevK === k + 1 ? 'added' : 'removed');
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops.push('same');
    x--;
    y--;
  }
  return ops.reverse();
}

// Lines of a source text; the final newline ends the last line rather than starting an empty one.
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
