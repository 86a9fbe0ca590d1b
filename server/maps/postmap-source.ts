/**
 * The postmap(1) source format (spec/access-maps.md section 1): logical lines as Postfix's
 * readllines() joins them (`#` comment lines and blank lines skipped, a line that starts with
 * whitespace continues the one before), `KEY<whitespace>VALUE` entries as postmap splits them,
 * keys folded to lowercase, the first of two duplicate keys kept. Exact tables compile from
 * this parser, console import reads with it and export writes with formatPostmapSource(), so
 * the gateway, `portcullis postmap` and the console read a table the same way.
 * Exports: PostmapLine, PostmapEntry, PostmapEntrySplit, readPostmapLines, splitPostmapEntry,
 * parsePostmapSource, collectPostmapEntries, checkPostmapEntry, formatPostmapSource, checkPostmapLine,
 * formatPostmapLines, isPostfixSpace, trimPostfixSpace.
 * Pattern tables (regexp, pcre, cidr) are read and written as whole rule lines:
 * readPostmapLines() and formatPostmapLines().
 * Warnings are Postfix's texts: `FILE, line N: expected format: key whitespace value`,
 * `FILE, line N: duplicate entry: "key"` (dict_thash's form; hash and btree say `FILE.db:`),
 * `FILE: logical line must not start with whitespace: "..."`.
 * XXX postmap 3.2+ accepts keys with whitespace inside double quotes; the gateway has no use for
 * them in access tables and refuses such lines with a warning of its own.
 */
import { tableWarning, type TableWarning } from './lookup-table.ts';

/** One logical line: continuation lines joined, numbered by its first physical line. */
export interface PostmapLine {
  readonly line: number;
  readonly text: string;
}

export interface PostmapEntry {
  readonly key: string;    // lowercased, as postmap stores it
  readonly value: string;  // inner whitespace kept, outer whitespace trimmed
  readonly line: number;   // first line of the logical line, 0 when the entry did not come from a file
}

export type PostmapEntrySplit =
  | { ok: true; key: string; value: string; warning: string | null } // warning: a suspicious but kept entry
  | { ok: false; reason: string };                                     // the line is skipped with this warning

/** Postfix's ISSPACE(): the C locale's isspace(). */
export function isPostfixSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/**
 * readPostmapLines - logical lines of a source text; text that continues nothing (leading
 * whitespace on the first line) is dropped with readllines()'s warning, with its continuations.
 */
export function readPostmapLines(source: string, name: string): { lines: PostmapLine[]; warnings: TableWarning[] } {
  const lines: PostmapLine[] = [];
  const warnings: TableWarning[] = [];
  visitPostmapLines(source, name, warnings, (text, line) => {
    lines.push({ line, text });
  });
  return { lines, warnings };
}

// The reading loop behind readPostmapLines(), with a callback so that a million-line table
// does not build an array of line objects first.
function visitPostmapLines(
  source: string,
  name: string,
  warnings: TableWarning[],
  visit: (text: string, line: number) => void,
): void {
  let logical: string | null = null; // the logical line being collected
  let firstLine = 0;
  let lineNumber = 0;
  const flush = (): void => {
    if (logical === null) return;
    if (isPostfixSpace(logical.charCodeAt(0))) {
      const shown = logical.length > 30 ? `${logical.slice(0, 30)}...` : logical;
      warnings.push({ name, line: firstLine, text: `${name}: logical line must not start with whitespace: "${shown}"` });
    } else {
      visit(logical, firstLine);
    }
    logical = null;
  };
  for (let at = 0; at < source.length; ) {
    let end = source.indexOf('\n', at);
    if (end < 0) end = source.length;
    lineNumber += 1;
    let first = at;
    while (first < end && isPostfixSpace(source.charCodeAt(first))) first++;
    // Comment lines and blank lines vanish, even between a line and its continuation.
    if (first < end && source.charCodeAt(first) !== 35 /* # */) {
      const physical = source.slice(at, end);
      if (first > at && logical !== null) {
        logical += physical;
      } else {
        flush();
        logical = physical;
        firstLine = lineNumber;
      }
    }
    at = end + 1;
  }
  flush();
}

/**
 * splitPostmapEntry - split a logical line the way postmap does: the key ends at the first
 * whitespace outside double quotes (a backslash protects the next character), the rest is the
 * value with outer whitespace trimmed.
 */
export function splitPostmapEntry(text: string): PostmapEntrySplit {
  let inQuotes = false;
  let end = 0;
  for (; end < text.length; end++) {
    const code = text.charCodeAt(end);
    if (code === 92 /* \ */) {
      if (++end >= text.length) break;
    } else if (isPostfixSpace(code)) {
      if (!inQuotes) break;
    } else if (code === 34 /* " */) {
      inQuotes = !inQuotes;
    }
  }
  if (inQuotes) return { ok: false, reason: `unbalanced '"' in '${text}' -- ignoring this line` };
  const key = text.slice(0, end);
  const value = trimPostfixSpace(text.slice(end));
  if (key === '' || value === '') return { ok: false, reason: 'expected format: key whitespace value' };
  for (let i = 0; i < key.length; i++) {
    if (isPostfixSpace(key.charCodeAt(i))) {
      return { ok: false, reason: `key with whitespace is not supported: ${key} -- ignoring this line` };
    }
  }
  const warning = key.endsWith(':') ? 'record is in "key: value" format; is this an alias file?' : null;
  return { ok: true, key, value, warning };
}

/**
 * parsePostmapSource - the entries postmap would store for this source: keys lowercased, the
 * first of duplicate keys kept, bad lines skipped with a warning naming the line.
 */
export function parsePostmapSource(source: string, options: { name: string }): { entries: PostmapEntry[]; warnings: TableWarning[] } {
  const { byKey, warnings } = collectPostmapEntries(source, options, (key, value, line) => ({ key, value, line }));
  return { entries: [...byKey.values()], warnings };
}

/**
 * collectPostmapEntries - parsePostmapSource() keyed by lowercased key, in source order, each
 * entry made by `makeEntry` (an exact table keeps ready lookup results).
 */
export function collectPostmapEntries<Entry>(
  source: string, options: { name: string }, makeEntry: (key: string, value: string, line: number) => Entry,
): { byKey: Map<string, Entry>; warnings: TableWarning[] } {
  const { name } = options;
  const warnings: TableWarning[] = [];
  const byKey = new Map<string, Entry>();
  visitPostmapLines(source, name, warnings, (text, line) => {
    const split = splitPostmapEntry(text);
    if (!split.ok) {
      warnings.push(tableWarning(name, line, split.reason));
      return;
    }
    if (split.warning !== null) warnings.push(tableWarning(name, line, split.warning));
    const key = split.key.toLowerCase();
    if (byKey.has(key)) {
      warnings.push(tableWarning(name, line, `duplicate entry: "${key}"`));
      return;
    }
    byKey.set(key, makeEntry(key, split.value, line));
  });
  return { byKey, warnings };
}

/**
 * checkPostmapEntry - why a key and value cannot be written as one source line that reads
 * back the same (console forms validate with this), or null when they can.
 */
export function checkPostmapEntry(key: string, value: string): string | null {
  if (key === '') return 'the key is empty';
  if (value === '') return 'the value is empty';
  for (let i = 0; i < key.length; i++) {
    if (isPostfixSpace(key.charCodeAt(i))) return 'keys with whitespace are not supported';
  }
  if (key.startsWith('#')) return 'a key that starts with "#" would read back as a comment';
  if (/[\n\r]/.test(value)) return 'the value spans lines';
  if (trimPostfixSpace(value) !== value) return 'the value has leading or trailing whitespace';
  const split = splitPostmapEntry(`${key}\t${value}`);
  if (!split.ok || split.key !== key || split.value !== value) {
    return 'the key would not read back as written (unbalanced double quote or trailing backslash)';
  }
  return null;
}

/**
 * formatPostmapSource - postmap source text for entries, one `key<TAB>value` line each, in the
 * order given; an entry checkPostmapEntry() refuses is a bug in the caller and throws.
 */
export function formatPostmapSource(entries: Iterable<{ key: string; value: string }>): string {
  let text = '';
  for (const { key, value } of entries) {
    const problem = checkPostmapEntry(key, value);
    if (problem !== null) throw new Error(`formatPostmapSource: entry "${key}": ${problem}`);
    text += `${key}\t${value}\n`;
  }
  return text;
}

/**
 * checkPostmapLine - why a rule line (regexp, pcre, cidr) cannot be written so that it reads
 * back as itself, or null when it can.
 */
export function checkPostmapLine(text: string): string | null {
  if (trimPostfixSpace(text) === '') return 'the line is empty';
  if (isPostfixSpace(text.charCodeAt(0))) return 'a line that starts with whitespace would continue the line before';
  if (text.startsWith('#')) return 'a line that starts with "#" would read back as a comment';
  if (/[\n\r]/.test(text)) return 'the line spans lines';
  return null;
}

/**
 * formatPostmapLines - source text for rule lines in order, one per line; a line
 * checkPostmapLine() refuses is a bug in the caller and throws.
 */
export function formatPostmapLines(texts: Iterable<string>): string {
  let source = '';
  for (const text of texts) {
    const problem = checkPostmapLine(text);
    if (problem !== null) throw new Error(`formatPostmapLines: "${text}": ${problem}`);
    source += `${text}\n`;
  }
  return source;
}

/** Postfix's trimblanks() on both ends. */
export function trimPostfixSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPostfixSpace(text.charCodeAt(start))) start++;
  while (end > start && isPostfixSpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
