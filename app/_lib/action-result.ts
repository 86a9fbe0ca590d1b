/**
 * What every server action returns: ok with an optional message, or the error and the form
 * field it belongs to, shown next to that field.
 */
export type ActionResult = { ok: true; message?: string } | { ok: false; error: string; field?: string };
