/**
 * Reading list filters from a page's URL search parameters: trimmed text (bounded), times
 * typed as UTC in a datetime-local field, page numbers; and writing them back into links.
 */
export type SearchParams = Record<string, string | string[] | undefined>;

/** textParam - the trimmed value, at most 256 characters, or undefined when empty. */
export function textParam(params: SearchParams, name: string): string | undefined {
  const raw = params[name];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim().slice(0, 256);
  return value ? value : undefined;
}

/** timeParam - a `YYYY-MM-DDTHH:MM` field read as UTC; undefined when empty or not a time. */
export function timeParam(params: SearchParams, name: string): Date | undefined {
  const value = textParam(params, name);
  if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const d = new Date(`${value}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** pageParam - a page number from 1. */
export function pageParam(params: SearchParams): number {
  const n = Number(textParam(params, 'page'));
  return Number.isSafeInteger(n) && n > 0 ? n : 1;
}

/** hrefWith - the path with these parameters, empty ones left out. */
export function hrefWith(pathname: string, params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${pathname}?${s}` : pathname;
}
