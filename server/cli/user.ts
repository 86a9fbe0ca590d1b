/**
 * `portcullis user`: the console's accounts from the shell, so installs can be scripted.
 *   user add NAME --role admin|auditor   password from standard input (asked twice on a terminal)
 *   user passwd NAME                     the same, for an existing account (its sessions end)
 *   user role NAME admin|auditor         change the role
 *   user disable NAME / user enable NAME
 *   user list                            name, role, state, last sign-in
 * Applies migrations first, as start does, so it works on a fresh data folder.
 */
import readline from 'node:readline';
import { applyMigrations } from '../db/migrate.ts';
import { createPrismaClient } from '../db/client.ts';
import { databasePath } from '../db/data-dir.ts';
import {
  addConsoleUser, listConsoleUsers, setConsoleUserDisabled, setConsoleUserPassword, setConsoleUserRole, type AccountChange,
} from '../accounts/console-users.ts';
import type { CliIo } from './cli-io.ts';

const USAGE = 'usage: portcullis user add NAME --role admin|auditor | passwd NAME | role NAME ROLE | disable NAME | enable NAME | list';

export interface UserCliIo extends CliIo {
  readPassword?: (prompt: string) => Promise<string | null>; // one line; null at end of input
}

export async function runUser(argv: string[], io: UserCliIo): Promise<number> {
  const [verb, name, ...rest] = argv;
  const fail = (text: string) => (io.stderr(`portcullis: fatal: user: ${text}\n`), 1);
  const shapes: Record<string, number> = { add: 3, passwd: 1, role: 2, disable: 1, enable: 1, list: 0 };
  if (verb === undefined || !(verb in shapes)) return fail(USAGE);
  const args = [name, ...rest].filter((a) => a !== undefined);
  if (args.length !== shapes[verb]) return fail(USAGE);
  if (verb === 'add' && rest[0] !== '--role') return fail(USAGE);

  try {
    applyMigrations(databasePath(io.dataDir));
  } catch (err) {
    return fail((err as Error).message);
  }
  const prisma = createPrismaClient(io.dataDir);
  try {
    let change: AccountChange;
    switch (verb) {
      case 'list': {
        const users = await listConsoleUsers(prisma);
        if (!users.length) io.stdout('no console accounts; add one with: portcullis user add NAME --role admin\n');
        for (const u of users) {
          const last = u.lastLoginAt ? u.lastLoginAt.toISOString() : 'never';
          io.stdout(`${u.name.padEnd(24)} ${u.role.padEnd(8)} ${(u.disabled ? 'disabled' : 'enabled').padEnd(9)} last sign-in ${last}\n`);
        }
        return 0;
      }
      case 'add':
      case 'passwd': {
        const asked = await askNewPassword(io);
        if (!asked.ok) return fail(asked.error);
        change = verb === 'add'
          ? await addConsoleUser(prisma, { name, role: rest[1], password: asked.password })
          : await setConsoleUserPassword(prisma, name, asked.password);
        break;
      }
      case 'role':
        change = await setConsoleUserRole(prisma, name, rest[0]);
        break;
      default:
        change = await setConsoleUserDisabled(prisma, name, verb === 'disable');
    }
    if (!change.ok) return fail(change.error);
    const done: Record<string, string> = {
      add: `added ${rest[1]} ${name}`, passwd: `password of ${name} changed; its console sessions ended`,
      role: `${name} is now ${rest[0]}`, disable: `${name} disabled; its console sessions ended`, enable: `${name} enabled`,
    };
    io.stdout(`portcullis: user: ${done[verb]}\n`);
    return 0;
  } finally {
    await prisma.$disconnect();
  }
}

// Twice on a terminal, to catch a typo nobody can see; once from a pipe.
async function askNewPassword(io: UserCliIo): Promise<{ ok: true; password: string } | { ok: false; error: string }> {
  const read = io.readPassword ?? readPasswordLine;
  const first = await read('Password: ');
  if (first === null) return { ok: false, error: 'no password given on standard input' };
  if (io.readPassword || !process.stdin.isTTY) return { ok: true, password: first };
  const again = await read('Password again: ');
  return again === first ? { ok: true, password: first } : { ok: false, error: 'the passwords differ' };
}

// One line of standard input; on a terminal the typed characters are not echoed.
function readPasswordLine(prompt: string): Promise<string | null> {
  return new Promise((resolve) => {
    const tty = process.stdin.isTTY;
    const rl = readline.createInterface({ input: process.stdin, output: tty ? process.stderr : undefined, terminal: tty });
    if (tty) {
      process.stderr.write(prompt);
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
    }
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      if (tty) process.stderr.write('\n');
      rl.close();
      resolve(line);
    });
    rl.once('close', () => { if (!answered) resolve(null); });
  });
}
