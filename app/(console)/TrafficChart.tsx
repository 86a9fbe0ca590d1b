/**
 * One traffic counter over a range as a bar chart, drawn on the server as SVG (no chart library,
 * no script): one bar per bucket, the scale on the left and bucket times below in HTML, so the
 * text stays readable when the drawing stretches from a phone to a wide screen.
 * Exports TrafficChart, QueueChart, niceCeiling, bucketLabel.
 */
import type { QueueState } from '../../server/queue/index.ts';

const TONES = {
  indigo: { bar: 'fill-indigo-500', line: 'stroke-indigo-500', dot: 'bg-indigo-500' },
  emerald: { bar: 'fill-emerald-500', line: 'stroke-emerald-500', dot: 'bg-emerald-500' },
  red: { bar: 'fill-red-500', line: 'stroke-red-500', dot: 'bg-red-500' },
  amber: { bar: 'fill-amber-500', line: 'stroke-amber-500', dot: 'bg-amber-500' },
  slate: { bar: 'fill-slate-500', line: 'stroke-slate-500', dot: 'bg-slate-500' },
  sky: { bar: 'fill-sky-500', line: 'stroke-sky-500', dot: 'bg-sky-500' },
} as const;

export type ChartTone = keyof typeof TONES;

const WIDTH = 600;
const HEIGHT = 120;

/** niceCeiling - the smallest 1, 2 or 5 times a power of ten at or above n (at least 1), for the scale. */
export function niceCeiling(n: number): number {
  if (n <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) if (step * power >= n) return step * power;
  return 10 * power;
}

/** bucketLabel - a bucket's start as the chart prints it, in UTC: `05:30` within a day, `12-06 03:00` over a week. */
export function bucketLabel(iso: string, bucketMinutes: number): string {
  return bucketMinutes >= 180 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}

function Axis({ top }: { top: number }) {
  return (
    <div className="flex w-10 shrink-0 flex-col justify-between pr-1 text-right text-[11px] leading-none text-slate-500" aria-hidden>
      <span>{top.toLocaleString('en-US')}</span>
      <span>0</span>
    </div>
  );
}

function TimeLabels({ bucketStarts, bucketMinutes }: { bucketStarts: readonly string[]; bucketMinutes: number }) {
  const n = bucketStarts.length;
  return (
    <div className="ml-10 mt-1 flex justify-between text-[11px] text-slate-500" aria-hidden>
      <span>{bucketLabel(bucketStarts[0], bucketMinutes)}</span>
      <span className="hidden sm:inline">{bucketLabel(bucketStarts[Math.floor(n / 2)], bucketMinutes)}</span>
      <span>{bucketLabel(bucketStarts[n - 1], bucketMinutes)} UTC</span>
    </div>
  );
}

/** TrafficChart - bars of one counter; the title carries the range's total. */
export function TrafficChart({ id, title, values, bucketStarts, bucketMinutes, tone = 'indigo' }: {
  id: string; title: string; values: readonly number[]; bucketStarts: readonly string[]; bucketMinutes: number; tone?: ChartTone;
}) {
  const total = values.reduce((a, b) => a + b, 0);
  const top = niceCeiling(Math.max(...values, 0));
  const slot = WIDTH / values.length;
  const gap = values.length > 30 ? slot * 0.15 : slot * 0.25;
  return (
    <figure data-testid={`chart-${id}`} className="min-w-0 rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
      <figcaption className="mb-2 flex items-baseline justify-between gap-2">
        <span className="text-sm font-medium text-slate-700">{title}</span>
        <span data-testid={`total-${id}`} className="text-lg font-semibold tabular-nums text-slate-900">{total.toLocaleString('en-US')}</span>
      </figcaption>
      <div className="flex h-28">
        <Axis top={top} />
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" className="h-full min-w-0 flex-1 overflow-hidden" role="img" aria-label={`${title}: ${total} in this range`}>
          <line x1="0" y1={HEIGHT} x2={WIDTH} y2={HEIGHT} className="stroke-slate-300" strokeWidth="1" vectorEffect="non-scaling-stroke" />
          <line x1="0" y1={HEIGHT / 2} x2={WIDTH} y2={HEIGHT / 2} className="stroke-slate-100" strokeWidth="1" vectorEffect="non-scaling-stroke" />
          {values.map((v, i) => {
            if (v === 0) return null;
            const h = Math.max((v / top) * HEIGHT, 1.5);
            return (
              <rect key={i} x={i * slot + gap / 2} y={HEIGHT - h} width={slot - gap} height={h} className={TONES[tone].bar}>
                <title>{`${bucketLabel(bucketStarts[i], bucketMinutes)} UTC: ${v}`}</title>
              </rect>
            );
          })}
        </svg>
      </div>
      <TimeLabels bucketStarts={bucketStarts} bucketMinutes={bucketMinutes} />
    </figure>
  );
}

const QUEUE_TONES: Readonly<Record<QueueState, ChartTone>> = {
  incoming: 'sky', active: 'emerald', deferred: 'amber', hold: 'slate', corrupt: 'red',
};

/** QueueChart - the sampled size of each queue as lines, largest sample of each bucket; a queue empty all along draws none. */
export function QueueChart({ queues, bucketStarts, bucketMinutes }: {
  queues: Readonly<Record<QueueState, readonly number[]>>; bucketStarts: readonly string[]; bucketMinutes: number;
}) {
  const states = Object.keys(queues) as QueueState[];
  const top = niceCeiling(Math.max(0, ...states.flatMap((q) => queues[q])));
  const n = bucketStarts.length;
  const x = (i: number) => (n === 1 ? WIDTH / 2 : (i / (n - 1)) * WIDTH);
  const y = (v: number) => HEIGHT - (v / top) * HEIGHT;
  return (
    <figure data-testid="chart-queues" className="min-w-0 rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
      <figcaption className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <span className="text-sm font-medium text-slate-700">Queue sizes</span>
        <span className="flex flex-wrap gap-3 text-xs text-slate-600">
          {states.map((q) => (
            <span key={q} className="inline-flex items-center gap-1">
              <span className={`inline-block size-2 rounded-full ${TONES[QUEUE_TONES[q]].dot}`} aria-hidden />{q}
            </span>
          ))}
        </span>
      </figcaption>
      <div className="flex h-28">
        <Axis top={top} />
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" className="h-full min-w-0 flex-1 overflow-hidden" role="img" aria-label="Queue sizes over this range">
          <line x1="0" y1={HEIGHT} x2={WIDTH} y2={HEIGHT} className="stroke-slate-300" strokeWidth="1" vectorEffect="non-scaling-stroke" />
          {states.filter((q) => queues[q].some((v) => v > 0)).map((q) => (
            <polyline key={q} fill="none" strokeWidth="2" vectorEffect="non-scaling-stroke" className={TONES[QUEUE_TONES[q]].line}
              points={queues[q].map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')} />
          ))}
        </svg>
      </div>
      <TimeLabels bucketStarts={bucketStarts} bucketMinutes={bucketMinutes} />
    </figure>
  );
}
