/** The outcome of a form's last submit that belongs to no one field: saved, or why not. */
import type { ActionResult } from '../_lib/action-result.ts';

/** With `all`, errors that name a field show here too (for forms that have no field to show them beside). */
export function FormAlert({ result, all = false }: { result: ActionResult | null; all?: boolean }) {
  if (!result) return null;
  if (result.ok) {
    return result.message ? <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">{result.message}</p> : null;
  }
  if (result.field && !all) return null;
  return <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{result.error}</p>;
}

/** The error of the last submit when it belongs to this field. */
export function fieldError(result: ActionResult | null, field: string): string | null {
  return result && !result.ok && result.field === field ? result.error : null;
}
