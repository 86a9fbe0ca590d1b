/**
 * `portcullis postconf`: Postfix's postconf(1) over the stored parameters. Prints
 * `name = value` lines sorted by name (current values, -d defaults, -n changed ones only,
 * -h values only, -H names only, -x expanded, -f folded at 80 columns as postconf -f does),
 * edits with -e name=value (all or nothing, validated by the registry) and reverts with -X
 * name. Output goes through the same whitespace normalisation as Postfix's pcf_print_line().
 * Edits go through the parameter store, so each one writes a PolicyRevision whose actor is
 * `cli:` and the login name.
 * Exports: runPostconf, PostconfIo.
 * Exit status as Postfix: 0, also when a looked-up name is unknown (a warning); 1 for usage
 * errors and refused edits, with one `postconf: fatal: ...` line per problem.
 * XXX -c, -o, -m, -l, -M, -P and the master.cf modes are not implemented: Portcullis has no
 * main.cf or master.cf files.
 */
import os from 'node:os';
import { applyMigrations } from '../db/migrate.ts';
import { createPrismaClient, type PrismaClient } from '../db/client.ts';
import { databasePath } from '../db/data-dir.ts';
import { MainCf } from '../config/main-cf.ts';
import { loadChangedParameters, revertParameters, setParameters, type ParameterChange } from '../config/parameter-store.ts';
import { configurationCheck } from '../gateway/check-configuration.ts';

export interface PostconfIo {
  dataDir: string;               // data folder holding the database
  stdout: (s: string) => void;   // receives whole lines, newline included
  stderr: (s: string) => void;
}

const USAGE = 'postconf: fatal: usage: postconf [-d (parameter defaults)] [-e (edit configuration)] [-f (fold lines)] '
  + '[-h (no names)] [-H (no values)] [-n (non-default parameters)] [-x (expand parameter values)] [-X (exclude)] [name...]\n';

// postconf's option letters in the order its "specify one of" messages name them.
const OPTION_ORDER = ['d', 'e', 'f', 'h', 'H', 'n', 'x', 'X'] as const;
type Option = (typeof OPTION_ORDER)[number];

// Pairs postconf refuses together (checked against postconf 3.7.11).
const INCOMPATIBLE: readonly (readonly [Option, Option])[] = [
  ['d', 'n'], ['h', 'H'],
  ...(['d', 'f', 'h', 'H', 'n', 'x', 'X'] as const).map((o) => ['e', o] as const),
  ...(['d', 'f', 'h', 'H', 'n', 'x'] as const).map((o) => [o, 'X'] as const),
];

const LINE_LIMIT = 80; // PCF_LINE_LIMIT
const INDENT = '    '; // PCF_INDENT_TEXT

/** runPostconf - run one postconf command line against the data folder; resolves to the exit status. */
export async function runPostconf(argv: string[], io: PostconfIo): Promise<number> {
  const parsed = parseArguments(argv);
  if ('error' in parsed) {
    io.stderr(parsed.error);
    return 1;
  }
  const { options, args } = parsed;
  if (options.has('e') || options.has('X')) {
    const edit = options.has('e') ? parseAssignments(args) : args.length ? { names: args } : { error: 'postconf: fatal: -X requires name argument\n' };
    if ('error' in edit) {
      io.stderr(edit.error);
      return 1;
    }
    return withDatabase(io.dataDir, async (prisma) => {
      const result: ParameterChange = 'values' in edit
        ? await setParameters(prisma, edit.values, describeActor(), edit.summary, configurationCheck(io.dataDir))
        : await revertParameters(prisma, edit.names, describeActor(), undefined, configurationCheck(io.dataDir));
      if (result.ok) return 0;
      for (const e of result.errors) io.stderr(`postconf: fatal: ${e.error}\n`);
      return 1;
    });
  }
  if (options.has('d')) {
    showParameters(new MainCf({}), options, args, io);
    return 0;
  }
  return withDatabase(io.dataDir, async (prisma) => {
    showParameters(new MainCf(await loadChangedParameters(prisma)), options, args, io);
    return 0;
  });
}

type ParsedArguments = { options: Set<Option>; args: string[] } | { error: string };

// getopt(3) as glibc runs it: option letters may be bundled (-nx) and may follow names; `--`
// ends the options.
function parseArguments(argv: string[]): ParsedArguments {
  const options = new Set<Option>();
  const args: string[] = [];
  let optionsDone = false;
  for (const arg of argv) {
    if (optionsDone || !arg.startsWith('-') || arg === '-') { args.push(arg); continue; }
    if (arg === '--') { optionsDone = true; continue; }
    for (const letter of arg.slice(1)) {
      if (!(OPTION_ORDER as readonly string[]).includes(letter)) {
        return { error: `postconf: invalid option -- '${letter}'\n${USAGE}` };
      }
      options.add(letter as Option);
    }
  }
  for (const [a, b] of INCOMPATIBLE) {
    if (options.has(a) && options.has(b)) {
      const [first, second] = OPTION_ORDER.indexOf(a) < OPTION_ORDER.indexOf(b) ? [a, b] : [b, a];
      return { error: `postconf: fatal: specify one of -${first} -${second}\n` };
    }
  }
  return { options, args };
}

type Assignments = { values: Record<string, string>; summary: string } | { error: string };

// split_nameval(): `name=value` or `name = value`, blanks around both trimmed; a later
// assignment to the same name wins, as sequential main.cf edits would.
function parseAssignments(args: string[]): Assignments {
  if (args.length === 0) return { error: 'postconf: fatal: -e requires name=value argument\n' };
  const values: Record<string, string> = {};
  for (const arg of args) {
    const m = /^\s*([^\s=]*)\s*(=?)([\s\S]*)$/.exec(arg)!;
    const [, name, equals, rest] = m;
    if (!name) return { error: `postconf: fatal: missing attribute name: "${arg}"\n` };
    if (!equals) return { error: `postconf: fatal: missing '=' after attribute name: "${name}"\n` };
    values[name] = rest.trim();
  }
  return { values, summary: `postconf -e ${args.map(quoteForShell).join(' ')}` };
}

function quoteForShell(word: string): string {
  return /^[A-Za-z0-9_.,:/@+=%-]*$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function showParameters(main: MainCf, options: Set<Option>, args: string[], io: PostconfIo): void {
  const changed = main.changed();
  const names = args.length ? args : options.has('n') ? Object.keys(changed) : main.names();
  for (const name of names) {
    const known = main.has(name);
    if (!known && !(options.has('n') && name in changed)) {
      io.stderr(`postconf: warning: ${name}: unknown parameter\n`);
      continue;
    }
    if (options.has('n') && !(name in changed)) continue;
    const value = known ? showValue(main, name, options.has('x'), io) : changed[name];
    const line = options.has('H') ? name : options.has('h') ? value : `${name} = ${value}`;
    io.stdout(printLine(line, options.has('f')));
  }
}

function showValue(main: MainCf, name: string, expand: boolean, io: PostconfIo): string {
  if (!expand) return main.raw(name);
  try {
    return main.get(name);
  } catch (err) {
    // Stored values are checked on write, so this is an old or hand-made row: show it as is.
    io.stderr(`postconf: warning: ${(err as Error).message}\n`);
    return main.raw(name);
  }
}

// pcf_print_line(): words separated by single spaces; with -f, a word that would reach
// column 80 starts a continuation line indented by four spaces.
function printLine(text: string, fold: boolean): string {
  let out = '';
  let lineLength = 0;
  for (const word of text.split(/[ \t\r\n]+/).filter(Boolean)) {
    if (lineLength > 0) {
      if (!fold || lineLength + word.length < LINE_LIMIT) {
        out += ' ';
        lineLength += 1;
      } else {
        out += `\n${INDENT}`;
        lineLength = INDENT.length;
      }
    }
    out += word;
    lineLength += word.length;
  }
  return `${out}\n`;
}

async function withDatabase(dataDir: string, work: (prisma: PrismaClient) => Promise<number>): Promise<number> {
  applyMigrations(databasePath(dataDir));
  const prisma = createPrismaClient(dataDir);
  try {
    return await work(prisma);
  } finally {
    await prisma.$disconnect();
  }
}

// The revision's actor: who ran the command. A uid without a passwd entry (containers) has
// no login name, so fall back to the uid.
function describeActor(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return `cli:${process.getuid?.() ?? 'unknown'}`;
  }
}
