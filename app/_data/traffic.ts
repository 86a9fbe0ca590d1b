/**
 * The gateway's traffic statistics for the dashboard and the hit counts of table entries for
 * the Tables page (server/stats), read from the database as plain objects. Server-only.
 * The dashboard first asks the running gateway to write what it counted (a `statistics`
 * control request), so it shows the last seconds too; with no gateway it shows what is stored.
 * Exports getTrafficDashboard, getTableEntryHits.
 */
import 'server-only';
import { sendControlRequest } from '../../server/control/control-socket.ts';
import { readTrafficDashboard, type TrafficDashboard, type TrafficRange } from '../../server/stats/read-traffic.ts';
import { readTableHits, type TableEntryHits } from '../../server/stats/read-table-hits.ts';
import { getDataDir } from './db.ts';

/** getTrafficDashboard - series, totals, rejects, top rejected clients and queue sizes of a range, current to the second. */
export async function getTrafficDashboard(range: TrafficRange): Promise<TrafficDashboard> {
  await sendControlRequest(getDataDir(), { command: 'statistics' }, 2000);
  return readTrafficDashboard(getDataDir(), range);
}

/**
 * getTableEntryHits - how often the gateway found each of these keys (as stored) of a stored
 * table, and when last; keys never found answer 0 and null. Counted up to the last write (10 s).
 */
export function getTableEntryHits(tableName: string, keys: readonly string[]): TableEntryHits[] {
  return readTableHits(getDataDir(), tableName, keys);
}
