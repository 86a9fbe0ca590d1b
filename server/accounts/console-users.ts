/**
 * The console's accounts: add, list, change role, disable, set password. The console's Users
 * page and `portcullis user` call these same functions. The last enabled administrator can be
 * neither disabled nor demoted, so the console never locks everyone out.
 * Exports addConsoleUser, listConsoleUsers, setConsoleUserPassword, setConsoleUserRole,
 * setConsoleUserDisabled, countConsoleUsers, ConsoleUserView, AccountChange.
 * Refusals are values naming the field at fault; passwords never leave this module unhashed.
 */
import type { PrismaClient } from '../db/client.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import { checkNewPassword, hashPassword } from './password-hash.ts';
import { isConsoleRole, type ConsoleRole } from './console-role.ts';

/** What the console shows of an account: never the hash. */
export interface ConsoleUserView {
  id: number;
  name: string;
  role: ConsoleRole;
  disabled: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
}

export type AccountChange = { ok: true } | { ok: false; error: string; field?: 'name' | 'role' | 'password' };

const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const VIEW = { id: true, name: true, role: true, disabled: true, createdAt: true, lastLoginAt: true } as const;

function checkName(name: string): string | null {
  return USER_NAME.test(name) ? null : 'a user name is 1 to 64 letters, digits and . _ @ -, starting with a letter or digit';
}

/** addConsoleUser - a new account; a name already taken is refused. */
export async function addConsoleUser(
  prisma: PrismaClient, input: { name: string; role: string; password: string },
): Promise<AccountChange> {
  const nameError = checkName(input.name);
  if (nameError) return { ok: false, error: nameError, field: 'name' };
  if (!isConsoleRole(input.role)) return { ok: false, error: `unknown role "${input.role}": use admin or auditor`, field: 'role' };
  const passwordError = checkNewPassword(input.password);
  if (passwordError) return { ok: false, error: passwordError, field: 'password' };
  const passwordHash = await hashPassword(input.password);
  const taken = await prisma.consoleUser.findUnique({ where: { name: input.name }, select: { id: true } });
  if (taken) return { ok: false, error: `user "${input.name}" already exists`, field: 'name' };
  await prisma.consoleUser.create({ data: { name: input.name, role: input.role, passwordHash }, select: { id: true } });
  return { ok: true };
}

/** listConsoleUsers - every account by name. */
export async function listConsoleUsers(prisma: PrismaClient): Promise<ConsoleUserView[]> {
  const rows = await prisma.consoleUser.findMany({ select: VIEW, orderBy: { name: 'asc' } });
  return rows.map((r) => ({ ...r, role: isConsoleRole(r.role) ? r.role : 'auditor' }));
}

/** countConsoleUsers - how many accounts exist (none: the console is not set up yet). */
export function countConsoleUsers(prisma: PrismaClient): Promise<number> {
  return prisma.consoleUser.count();
}

/** setConsoleUserPassword - a new password; the account's sessions end, so a thief's does too. */
export async function setConsoleUserPassword(prisma: PrismaClient, name: string, password: string): Promise<AccountChange> {
  const passwordError = checkNewPassword(password);
  if (passwordError) return { ok: false, error: passwordError, field: 'password' };
  const passwordHash = await hashPassword(password);
  return writeTransaction(prisma, async (tx) => {
    const user = await tx.consoleUser.findUnique({ where: { name }, select: { id: true } });
    if (!user) return { ok: false, error: `no user "${name}"`, field: 'name' };
    await tx.consoleUser.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: new Date() }, select: { id: true } });
    await tx.consoleSession.deleteMany({ where: { userId: user.id } });
    return { ok: true };
  });
}

/** setConsoleUserRole - refused when it would leave no enabled administrator. */
export async function setConsoleUserRole(prisma: PrismaClient, name: string, role: string): Promise<AccountChange> {
  if (!isConsoleRole(role)) return { ok: false, error: `unknown role "${role}": use admin or auditor`, field: 'role' };
  return writeTransaction(prisma, async (tx) => {
    const user = await tx.consoleUser.findUnique({ where: { name }, select: { id: true, role: true, disabled: true } });
    if (!user) return { ok: false, error: `no user "${name}"`, field: 'name' };
    if (user.role === 'admin' && role !== 'admin' && !user.disabled && (await otherEnabledAdmins(tx, user.id)) === 0) {
      return { ok: false, error: `"${name}" is the last enabled administrator`, field: 'role' };
    }
    await tx.consoleUser.update({ where: { id: user.id }, data: { role }, select: { id: true } });
    return { ok: true };
  });
}

/** setConsoleUserDisabled - a disabled account cannot sign in and its sessions end at once. */
export async function setConsoleUserDisabled(prisma: PrismaClient, name: string, disabled: boolean): Promise<AccountChange> {
  return writeTransaction(prisma, async (tx) => {
    const user = await tx.consoleUser.findUnique({ where: { name }, select: { id: true, role: true } });
    if (!user) return { ok: false, error: `no user "${name}"`, field: 'name' };
    if (disabled && user.role === 'admin' && (await otherEnabledAdmins(tx, user.id)) === 0) {
      return { ok: false, error: `"${name}" is the last enabled administrator`, field: 'name' };
    }
    await tx.consoleUser.update({ where: { id: user.id }, data: { disabled }, select: { id: true } });
    if (disabled) await tx.consoleSession.deleteMany({ where: { userId: user.id } });
    return { ok: true };
  });
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

function otherEnabledAdmins(tx: Tx, exceptId: number): Promise<number> {
  return tx.consoleUser.count({ where: { role: 'admin', disabled: false, id: { not: exceptId } } });
}
