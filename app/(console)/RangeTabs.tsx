/**
 * The dashboard's range switch: last hour, day or week, as plain links (`?range=day`), so the
 * choice is in the address and works without script. Server component.
 * Exports RangeTabs, parseRange, RANGE_LABELS.
 */
import type { TrafficRange } from '../../server/stats/read-traffic.ts';

export const RANGE_LABELS: Readonly<Record<TrafficRange, string>> = { hour: 'Last hour', day: 'Last day', week: 'Last week' };

/** parseRange - the range a search parameter asks for; anything else is the hour. */
export function parseRange(value: string | string[] | undefined): TrafficRange {
  return value === 'day' || value === 'week' ? value : 'hour';
}

export function RangeTabs({ current }: { current: TrafficRange }) {
  return (
    <nav aria-label="Range" className="inline-flex rounded-md shadow-sm ring-1 ring-inset ring-slate-300">
      {(Object.keys(RANGE_LABELS) as TrafficRange[]).map((range, i) => (
        <a key={range} href={range === 'hour' ? '/' : `/?range=${range}`} aria-current={range === current ? 'page' : undefined}
          className={`px-3 py-1.5 text-sm font-medium ${i === 0 ? 'rounded-l-md' : ''} ${i === 2 ? 'rounded-r-md' : ''} ${range === current ? 'bg-indigo-600 text-white' : 'bg-white text-slate-700 hover:bg-slate-50'}`}>
          {RANGE_LABELS[range]}
        </a>
      ))}
    </nav>
  );
}
