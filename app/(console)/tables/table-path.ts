/**
 * The console address of a stored table and its export: a name may hold `/` (sasl/access),
 * so it travels as one encoded path segment.
 */
import type { TableEntrySort } from '../../../server/maps/table-entry-page.ts';

export function tablePath(name: string, query: { q?: string; sort?: TableEntrySort; desc?: boolean; page?: number } = {}): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.sort && query.sort !== 'position') params.set('sort', query.sort);
  if (query.desc) params.set('dir', 'desc');
  if (query.page && query.page > 1) params.set('page', String(query.page));
  const search = params.toString();
  return `/tables/${encodeURIComponent(name)}${search ? `?${search}` : ''}`;
}

export function tableExportPath(name: string): string {
  return `/tables/${encodeURIComponent(name)}/export`;
}
