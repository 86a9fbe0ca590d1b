/**
 * $name expansion of main.cf values, as Postfix's mac_parse() and mac_expand() do it:
 * `$name`, `${name}`, `$(name)`, `${name?text}` (text when name is non-empty),
 * `${name:text}` (text when name is empty), the 3.x forms `${name?{text}:{text}}`, and
 * `$$` for a literal `$`. Values are expanded recursively; an unknown name expands to empty.
 * A name that (directly or not) refers back to itself is an error value, never a stack overflow.
 * Exports: expandValue, findMacroSyntaxError, findClose, ExpandResult, ParameterLookup.
 * XXX the relational form `${{$a} == {b} ? {x} : {y}}` is refused as unsupported.
 */

export type ExpandResult = { ok: true; value: string } | { ok: false; error: string };

/** The raw (unexpanded) value of a parameter, or undefined for an unknown name. */
export type ParameterLookup = (name: string) => string | undefined;

class MacroError extends Error {}

const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * expandValue - expand text against lookup; ownName is the parameter being expanded, so that
 * `name = $name` is reported as a loop at once.
 */
export function expandValue(text: string, lookup: ParameterLookup, ownName?: string): ExpandResult {
  try {
    return { ok: true, value: expandText(text, { lookup, stack: ownName ? [ownName] : [] }) };
  } catch (err) {
    if (err instanceof MacroError) return { ok: false, error: err.message };
    throw err;
  }
}

/** findMacroSyntaxError - the first $-syntax error in text (both branches of every condition), or null. */
export function findMacroSyntaxError(text: string): string | null {
  try {
    expandText(text, { lookup: null, stack: [] });
    return null;
  } catch (err) {
    if (err instanceof MacroError) return err.message;
    throw err;
  }
}

interface ExpandContext {
  lookup: ParameterLookup | null; // null: check syntax only, visit every branch, look nothing up
  stack: string[];                // names being expanded, outermost first
}

function expandText(text: string, ctx: ExpandContext): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch !== '$') { out += ch; i += 1; continue; }
    if (text[i + 1] === '$') { out += '$'; i += 2; continue; }
    const open = text[i + 1];
    if (open === '{' || open === '(') {
      const close = open === '{' ? '}' : ')';
      const end = findClose(text, i + 2, open, close);
      if (end < 0) throw new MacroError(`truncated macro reference: "${text}"`);
      out += expandExpression(text.slice(i + 2, end), text, ctx);
      i = end + 1;
      continue;
    }
    let j = i + 1;
    while (j < text.length && NAME_CHAR.test(text[j])) j++;
    if (j === i + 1) throw new MacroError(`empty macro name: "${text}"`);
    out += expandName(text.slice(i + 1, j), ctx);
    i = j;
  }
  return out;
}

/** findClose - the bracket closing a `${` or `$(` reference; mac_parse() counts only the kind that opened it. */
export function findClose(text: string, from: number, open: string, close: string): number {
  let level = 1;
  for (let k = from; k < text.length; k++) {
    if (text[k] === open) level++;
    else if (text[k] === close && --level === 0) return k;
  }
  return -1;
}

function expandExpression(expr: string, whole: string, ctx: ExpandContext): string {
  if (expr.startsWith('{')) throw new MacroError(`unsupported relational macro expression: "${whole}"`);
  let j = 0;
  while (j < expr.length && NAME_CHAR.test(expr[j])) j++;
  const name = expr.slice(0, j);
  if (!name) throw new MacroError(`empty macro name: "${whole}"`);
  let k = j;
  while (k < expr.length && /\s/.test(expr[k])) k++;
  if (k === expr.length) return expandName(name, ctx);
  const op = expr[k];
  if (op !== '?' && op !== ':') throw new MacroError(`malformed macro expression: "\${${expr}}" in "${whole}"`);
  const [whenSet, whenEmpty] = splitBranches(op, expr.slice(k + 1), whole);
  if (ctx.lookup === null) {
    if (whenSet !== null) expandText(whenSet, ctx);
    if (whenEmpty !== null) expandText(whenEmpty, ctx);
    return '';
  }
  const raw = ctx.lookup(name);
  const chosen = raw ? whenSet : whenEmpty;
  return chosen === null ? '' : expandText(chosen, ctx);
}

// `?text`, `:text`, or the braced forms `?{a}`, `?{a}:{b}`, `:{b}`; returns [when set, when empty].
function splitBranches(op: string, rest: string, whole: string): [string | null, string | null] {
  const trimmed = rest.trimStart();
  if (!trimmed.startsWith('{')) return op === '?' ? [rest, null] : [null, rest];
  const first = readBraced(trimmed, whole);
  let after = trimmed.slice(first.end).trimStart();
  if (op === ':' || after === '') {
    if (after !== '') throw new MacroError(`malformed macro expression: "${whole}"`);
    return op === '?' ? [first.body, null] : [null, first.body];
  }
  if (!after.startsWith(':')) throw new MacroError(`malformed macro expression: "${whole}"`);
  after = after.slice(1).trimStart();
  if (!after.startsWith('{')) throw new MacroError(`malformed macro expression: "${whole}"`);
  const second = readBraced(after, whole);
  if (after.slice(second.end).trim() !== '') throw new MacroError(`malformed macro expression: "${whole}"`);
  return [first.body, second.body];
}

function readBraced(text: string, whole: string): { body: string; end: number } {
  const close = findClose(text, 1, '{', '}');
  if (close < 0) throw new MacroError(`truncated macro reference: "${whole}"`);
  return { body: text.slice(1, close), end: close + 1 };
}

function expandName(name: string, ctx: ExpandContext): string {
  if (ctx.lookup === null) return '';
  if (ctx.stack.includes(name)) {
    const loop = [...ctx.stack.slice(ctx.stack.indexOf(name)), name].join(' -> ');
    throw new MacroError(`expansion loop: ${loop}`);
  }
  const raw = ctx.lookup(name);
  if (raw === undefined || raw === '') return '';
  ctx.stack.push(name);
  try {
    return expandText(raw, ctx);
  } finally {
    ctx.stack.pop();
  }
}
