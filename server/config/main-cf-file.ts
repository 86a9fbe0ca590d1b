/**
 * A main.cf file read as Postfix's mail_conf_read() reads it (dict_load_fp(), readllines(),
 * split_nameval()): one `name = value` per logical line; blank lines and `#` comment lines are
 * skipped, also between a line and its continuation; a line that starts with whitespace
 * continues the one before (the newline goes, its leading whitespace stays); name and value
 * are trimmed; a later definition of a name replaces the earlier one, as in Postfix.
 * `portcullis import` reads files with it.
 * Exports: MainCfFileEntry, MainCfFile, readMainCfFile.
 * Errors (the file is refused): a line without a name or without `=`, each with its line
 * number, in split_nameval()'s words. Warnings: text that continues nothing, which
 * readllines() also skips with a warning.
 * Values are kept as written: no $name expansion, no check against the parameter registry.
 */
import { readPostmapLines, trimPostfixSpace } from '../maps/postmap-source.ts';

export interface MainCfFileEntry {
  readonly name: string;
  readonly value: string; // trimmed, continuation lines joined
  readonly line: number;  // first line of the definition that counts (the last one in the file)
}

export interface MainCfFile {
  readonly entries: readonly MainCfFileEntry[]; // one per name, in the order names first appear
  readonly errors: readonly string[];           // `FILE, line N: ...`; any error refuses the file
  readonly warnings: readonly string[];
}

/** readMainCfFile - the definitions of a main.cf text; `file` names it in messages. */
export function readMainCfFile(text: string, file: string): MainCfFile {
  // A file saved with CRLF line ends reads as the same file: the CR is no part of a value.
  const { lines, warnings } = readPostmapLines(text.replace(/\r\n/g, '\n'), file);
  const byName = new Map<string, MainCfFileEntry>();
  const errors: string[] = [];
  for (const { line, text: logical } of lines) {
    const split = splitNameValue(logical);
    if ('error' in split) {
      errors.push(`${file}, line ${line}: ${split.error}: "${trimPostfixSpace(logical)}"`);
      continue;
    }
    // Map.set keeps a name where it first appeared and gives it the last value.
    byName.set(split.name, { name: split.name, value: split.value, line });
  }
  return { entries: [...byName.values()], errors, warnings: warnings.map((w) => w.text) };
}

// split_nameval(): the name runs to whitespace or `=`, then `=` must follow.
function splitNameValue(text: string): { name: string; value: string } | { error: string } {
  const m = /^\s*([^\s=]*)\s*(=?)([\s\S]*)$/.exec(text)!;
  const [, name, equals, rest] = m;
  if (name === '') return { error: 'missing attribute name' };
  if (equals === '') return { error: "missing '=' after attribute name" };
  return { name, value: trimPostfixSpace(rest) };
}
