/**
 * `portcullis postmap`: Postfix's postmap(1) over table source files, compiled by the same
 * code the gateway uses (server/maps). `postmap -q KEY TYPE:FILE...` prints the value from the
 * first table that has the key, exactly as given (no access(5) key derivation); `-q -` reads
 * keys from standard input and prints `key<TAB>value` for each found; `-s TYPE:FILE` prints
 * every entry of an exact or inline table; `postmap TYPE:FILE` checks the source and prints its
 * warnings (nothing is written: the gateway compiles tables when it loads them).
 * A name without `TYPE:` is default_database_type (hash); `TYPE:{...}` is an inline table. A
 * name that is not an existing file is looked up among the tables stored in the data folder
 * (read only), as the gateway opens `type:name`: `postmap -q KEY hash:client_access`.
 * Exports: runPostmap, PostmapIo.
 * Exit status as Postfix: 0 when found, 1 when not found or on a fatal error; warnings and
 * errors on standard error as `postmap: warning: FILE, line N: ...` and `postmap: fatal: ...`.
 * XXX -b -h -m (header and body queries), -d, -f, -i, -N/-n, -r, -w, -F and -c are not
 * implemented; stored tables are only read, never built or changed from here.
 */
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import type { CliIo } from './cli-io.ts';
import type { CompileTableResult, LookupTable } from '../maps/lookup-table.ts';
import { databasePath } from '../db/data-dir.ts';
import { openTableStore } from '../maps/table-store.ts';
import { compileInlineTable, compileTable, isTableType, splitTableName, tableNameIsText } from '../maps/table-registry.ts';

export interface PostmapIo extends CliIo {
  readStdin?: () => Promise<string>; // all of standard input; process.stdin when absent
}

const USAGE = 'usage: postmap [-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key] [map_type:]file...';
const KNOWN_OPTIONS = 'bc:d:fFhimnNopq:rsuUvw'; // postmap's getopt string
const SUPPORTED_OPTIONS = new Set(['q', 's']);

type Request = { query: string | null; sequence: boolean; maps: string[] };

/** runPostmap - run one postmap command line; resolves to the exit status. */
export async function runPostmap(argv: string[], io: PostmapIo): Promise<number> {
  const request = parseArguments(argv);
  if (typeof request === 'string') return fatal(io, request);
  const { query, sequence, maps } = request;
  if (maps.length === 0) return fatal(io, USAGE);
  if (query === '-') return queryFromInput(maps, io);
  if (query !== null) {
    for (const spec of maps) {
      const table = await openTable(spec, io);
      if (table === null) return 1;
      const result = table.lookup(query);
      if (result.status === 'retry') return fatal(io, `table ${describe(table)}: query error`);
      if (result.status === 'found') {
        warnIfEmpty(table, query, result.value, io);
        io.stdout(`${result.value}\n`);
        return 0;
      }
    }
    return 1;
  }
  if (sequence) {
    // postmap -s lists the first table only.
    const table = await openTable(maps[0], io);
    if (table === null) return 1;
    if (table.entries === undefined) return fatal(io, `table ${describe(table)}: sequence operation is not supported`);
    for (const { key, value } of table.entries()) io.stdout(`${key}\t${value}\n`);
    return 0;
  }
  for (const spec of maps) {
    if ((await openTable(spec, io)) === null) return 1;
  }
  return 0;
}

// Keys one per line; tables are opened on first use, as postmap_queries() does.
async function queryFromInput(maps: string[], io: PostmapIo): Promise<number> {
  const input = await (io.readStdin ?? readProcessStdin)();
  const keys = input.split('\n');
  if (keys[keys.length - 1] === '') keys.pop();
  const tables: (LookupTable | undefined)[] = [];
  let found = false;
  for (const key of keys) {
    for (let i = 0; i < maps.length; i++) {
      if (tables[i] === undefined) {
        const table = await openTable(maps[i], io);
        if (table === null) return 1;
        tables[i] = table;
      }
      const table = tables[i] as LookupTable;
      const result = table.lookup(key);
      if (result.status === 'retry') return fatal(io, `table ${describe(table)}: query error`);
      if (result.status === 'found') {
        warnIfEmpty(table, key, result.value, io);
        io.stdout(`${key}\t${result.value}\n`);
        found = true;
        break;
      }
    }
  }
  return found ? 0 : 1;
}

// Compile one `type:name` table, printing its warnings; null after printing why it failed.
async function openTable(spec: string, io: PostmapIo): Promise<LookupTable | null> {
  const { type, name } = splitTableName(spec);
  if (!isTableType(type)) {
    fatal(io, `unsupported dictionary type: ${type}`);
    return null;
  }
  const compiled = tableNameIsText(type, name) ? compileInlineTable(type, name) : await compileNamedTable(type, name, io);
  if (compiled === null) return null;
  if (!compiled.ok) {
    for (const error of compiled.errors) fatal(io, error.text);
    return null;
  }
  for (const warning of compiled.warnings) io.stderr(`postmap: warning: ${warning.text}\n`);
  return compiled.table;
}

// A source file, else a stored table of that name; null after printing why neither opens.
async function compileNamedTable(type: string, name: string, io: PostmapIo): Promise<CompileTableResult | null> {
  let source: string;
  try {
    source = await fs.readFile(name, 'utf8');
  } catch (error) {
    const stored = (error as NodeJS.ErrnoException).code === 'ENOENT' ? compileStoredTable(type, name, io.dataDir) : null;
    if (stored === null) fatal(io, `open ${name}: ${describeSystemError(error as NodeJS.ErrnoException)}`);
    return stored;
  }
  return compileTable(type, source, { name });
}

// The stored table `name` of the data folder, or null when there is none (no database yet, or
// no table by that name): the caller then reports the missing file, as postmap would.
function compileStoredTable(type: string, name: string, dataDir: string): CompileTableResult | null {
  if (!existsSync(databasePath(dataDir))) return null;
  let store;
  try {
    store = openTableStore(dataDir, { readonly: true });
  } catch {
    return null; // unreadable or not migrated: no stored tables to offer
  }
  try {
    return store.kindOf(name) === null ? null : store.compile(type, name);
  } catch {
    return null;
  } finally {
    store.close();
  }
}

// getopt(3) as glibc runs it: bundled letters, an option's argument attached or next, options
// after file names, `--` ending the options.
function parseArguments(argv: string[]): Request | string {
  let query: string | null = null;
  let sequence = false;
  const maps: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      maps.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      maps.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j];
      const at = KNOWN_OPTIONS.indexOf(letter);
      if (at < 0 || letter === ':') return `${USAGE}`;
      if (!SUPPORTED_OPTIONS.has(letter)) return `option -${letter} is not supported by portcullis postmap`;
      if (letter === 's') {
        if (query !== null) return 'specify only one of -s or -q or -d';
        sequence = true;
        continue;
      }
      // -q takes an argument: the rest of this word, or the next word.
      if (sequence || query !== null) return 'specify only one of -s -q or -d';
      const rest = arg.slice(j + 1);
      if (rest !== '') query = rest;
      else if (i + 1 < argv.length) query = argv[++i];
      else return USAGE;
      break;
    }
  }
  return { query, sequence, maps };
}

function warnIfEmpty(table: LookupTable, key: string, value: string, io: PostmapIo): void {
  if (value !== '') return;
  io.stderr(`postmap: warning: table ${describe(table)}: key ${key}: empty string result is not allowed\n`);
  io.stderr(`postmap: warning: table ${describe(table)} should return NO RESULT in case of NOT FOUND\n`);
}

function describe(table: LookupTable): string {
  return `${table.type}:${table.name}`;
}

function fatal(io: PostmapIo, text: string): number {
  io.stderr(`postmap: fatal: ${text}\n`);
  return 1;
}

// strerror() wording for what a source file open can meet.
function describeSystemError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT': return 'No such file or directory';
    case 'EACCES': return 'Permission denied';
    case 'EISDIR': return 'Is a directory';
    default: return error.message;
  }
}

async function readProcessStdin(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk;
  return text;
}
