/**
 * Value checks for main.cf parameters, by registry type (spec/smtpd-parameters.md "Types"):
 * bool yes/no in any case, int and size decimal, time with an optional s m h d w unit, reply
 * codes 400..599, enum and list choices, host names as Postfix's valid_hostname() accepts
 * them, type:table syntax of maps, and $-expansion syntax everywhere. Every error names the
 * parameter. Restriction-list syntax is the policy compiler's job: any text passes here.
 * Exports: validateParameter, validateExpandedValue, hasMacroReference, ParameterValidation,
 * ParameterError.
 */
import net from 'node:net';
import { SECONDS_PER_UNIT, type ParameterDefinition, type TimeUnit } from './parameter-definition.ts';
import { getParameterDefinition } from './parameters.ts';
import { expandValue, findMacroSyntaxError } from './expand.ts';
import { splitList } from './parameter-list.ts';

export type ParameterValidation = { ok: true } | { ok: false; error: string };

/** One refused value, for callers that check several (MainCf, the parameter store). */
export interface ParameterError {
  name: string;  // the parameter at fault
  error: string; // one line that names it
}

const OK: ParameterValidation = { ok: true };

/**
 * validateParameter - check a value for a built-in parameter; a value that refers to other
 * parameters ($name) is checked for $-syntax only, MainCf checks what it expands to.
 */
export function validateParameter(name: string, value: string): ParameterValidation {
  const def = getParameterDefinition(name);
  if (!def) return { ok: false, error: `unknown parameter name: ${name}` };
  const syntaxError = findMacroSyntaxError(value);
  if (syntaxError) return { ok: false, error: `parameter ${name}: ${syntaxError} (write $$ for a literal $)` };
  if (def.type === 'template') return validateExpandedValue(def, value);
  if (hasMacroReference(value)) return OK;
  const literal = expandValue(value, () => undefined);
  return validateExpandedValue(def, literal.ok ? literal.value : value);
}

/** hasMacroReference - whether text refers to a parameter ($name, ${name}, $(name)); `$$` does not. */
export function hasMacroReference(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$') continue;
    if (text[i + 1] === '$') { i++; continue; }
    return true;
  }
  return false;
}

/**
 * validateExpandedValue - check a value after $-expansion against the parameter's type; raw,
 * when it differs, is quoted in the error so the administrator sees what they wrote.
 */
export function validateExpandedValue(def: ParameterDefinition, value: string, raw?: string): ParameterValidation {
  const v = value.trim();
  const shown = raw !== undefined && raw.trim() !== v ? `"${v}" (from "${raw.trim()}")` : `"${v}"`;
  const fail = (error: string): ParameterValidation => ({ ok: false, error });
  if (v === '') {
    if (def.nonEmpty) return fail(`parameter ${def.name} may not be empty`);
    if (!['bool', 'int', 'size', 'time', 'code', 'level'].includes(def.type)) return OK;
  }
  switch (def.type) {
    case 'bool':
      return /^(yes|no)$/i.test(v) ? OK : fail(`invalid boolean value ${shown} for parameter ${def.name}: specify yes or no`);
    case 'int':
    case 'size':
      return checkNumber(def, v, shown);
    case 'time':
      return checkTime(def, v, shown);
    case 'code': {
      const low = def.min ?? 400;
      const high = def.max ?? 599;
      if (/^\d{3}$/.test(v) && Number(v) >= low && Number(v) <= high) return OK;
      return fail(`invalid reply code ${shown} for parameter ${def.name}: specify a number from ${low} to ${high}`);
    }
    case 'level':
      return /^\d+(\.\d+){0,2}$/.test(v) ? OK
        : fail(`invalid compatibility level ${shown} for parameter ${def.name}: specify major[.minor[.patch]], for example 3.6`);
    case 'enum': {
      const choices = def.values ?? [];
      if (choices.some((c) => c.toLowerCase() === v.toLowerCase())) return OK;
      const named = choices.filter((c) => c !== '').join(', ');
      return fail(`invalid value ${shown} for parameter ${def.name}: specify one of ${named}${choices.includes('') ? ', or leave it empty' : ''}`);
    }
    case 'hostname':
    case 'domain':
      return checkHostname(def, v, shown);
    case 'maps':
      return checkMaps(def, v);
    case 'resolver-list':
      return checkResolvers(def, v);
    case 'list':
      return def.values ? checkListChoices(def, v) : OK;
    default:
      return OK; // text, template, path, address, domain-list, network-list, restriction-list
  }
}

function checkNumber(def: ParameterDefinition, v: string, shown: string): ParameterValidation {
  const kind = def.type === 'size' ? 'size' : 'integer';
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
    return { ok: false, error: `invalid ${kind} value ${shown} for parameter ${def.name}: specify a decimal number${def.type === 'size' ? ' of bytes' : ''}` };
  }
  const n = Number(v);
  if ((def.min !== undefined && n < def.min) || (def.max !== undefined && n > def.max)) {
    return { ok: false, error: `invalid ${kind} value ${shown} for parameter ${def.name}: specify ${describeRange(def.min, def.max)}` };
  }
  return OK;
}

function describeRange(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `a number from ${min} to ${max}`;
  return min !== undefined ? `a number >= ${min}` : `a number <= ${max}`;
}

function checkTime(def: ParameterDefinition, v: string, shown: string): ParameterValidation {
  const unit = def.timeUnit ?? 's';
  const m = /^(\d+)([smhdw]?)$/.exec(v);
  if (!m || !Number.isSafeInteger(Number(m[1]))) {
    return { ok: false, error: `invalid time value ${shown} for parameter ${def.name}: specify a number with an optional unit s, m, h, d or w (default ${unit})` };
  }
  const seconds = Number(m[1]) * SECONDS_PER_UNIT[(m[2] || unit) as TimeUnit];
  if (def.min !== undefined && seconds < def.min) {
    return { ok: false, error: `invalid time value ${shown} for parameter ${def.name}: specify at least ${def.min}s` };
  }
  return OK;
}

// Postfix's valid_hostname(): labels of letters, digits, `_` and inner `-`, at most 63
// characters each, 255 in all, not all numeric.
function checkHostname(def: ParameterDefinition, v: string, shown: string): ParameterValidation {
  if (/[\s,]/.test(v)) return { ok: false, error: `parameter ${def.name} must not contain multiple values: "${v}"` };
  const why = describeBadHostname(v);
  return why ? { ok: false, error: `invalid host name ${shown} for parameter ${def.name}: ${why}` } : OK;
}

function describeBadHostname(name: string): string | null {
  if (name.length > 255) return 'longer than 255 characters';
  const labels = name.split('.');
  for (const label of labels) {
    if (label === '') return 'empty label (misplaced dot)';
    if (label.length > 63) return `label longer than 63 characters: ${label}`;
    if (!/^[A-Za-z0-9_-]+$/.test(label)) return `invalid character in label: ${label}`;
    if (label.startsWith('-') || label.endsWith('-')) return `misplaced hyphen in label: ${label}`;
  }
  if (/^[\d.]+$/.test(name)) return 'numeric name (an address, not a host name)';
  return null;
}

function checkMaps(def: ParameterDefinition, v: string): ParameterValidation {
  for (const item of splitList(v)) {
    if (!/^[A-Za-z0-9_-]+:./s.test(item)) {
      return { ok: false, error: `invalid lookup table "${item}" in parameter ${def.name}: specify type:name, for example hash:/etc/postfix/access` };
    }
  }
  return OK;
}

// What node:dns setServers() accepts, so the resolver can take the list as it is.
function checkResolvers(def: ParameterDefinition, v: string): ParameterValidation {
  for (const item of splitList(v)) {
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(item);
    const v4 = /^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?$/.exec(item);
    const [address, port] = bracketed ? [bracketed[1], bracketed[2]] : v4 ? [v4[1], v4[2]] : [item, undefined];
    const addressOk = bracketed ? net.isIPv6(address) : v4 ? net.isIPv4(address) : net.isIPv6(address);
    const portOk = port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
    if (!addressOk || !portOk) {
      return { ok: false, error: `invalid DNS server "${item}" in parameter ${def.name}: specify an IP address, ipv4:port or [ipv6]:port` };
    }
  }
  return OK;
}

function checkListChoices(def: ParameterDefinition, v: string): ParameterValidation {
  const choices = (def.values ?? []).map((c) => c.toLowerCase());
  for (const item of splitList(v)) {
    if (!choices.includes(item.toLowerCase())) {
      return { ok: false, error: `invalid value "${item}" in parameter ${def.name}: specify any of ${(def.values ?? []).join(', ')}` };
    }
  }
  return OK;
}
