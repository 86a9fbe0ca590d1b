/**
 * The console's roles and what each may do, as small named predicates in one place: every page,
 * server action and route handler asks these, never the role string itself.
 * Exports CONSOLE_ROLES, ConsoleRole, isConsoleRole, canChangePolicy, canManageUsers,
 * canActOnQueue.
 */

export const CONSOLE_ROLES = ['admin', 'auditor'] as const;

/** admin: everything; auditor: reads everything, changes nothing. */
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

export function isConsoleRole(value: string): value is ConsoleRole {
  return (CONSOLE_ROLES as readonly string[]).includes(value);
}

/** canChangePolicy - parameters, restriction lists, tables, restoring revisions. */
export function canChangePolicy(role: ConsoleRole): boolean {
  return role === 'admin';
}

/** canManageUsers - add, disable, change role, reset password. */
export function canManageUsers(role: ConsoleRole): boolean {
  return role === 'admin';
}

/** canActOnQueue - hold, release, delete, requeue, flush. */
export function canActOnQueue(role: ConsoleRole): boolean {
  return role === 'admin';
}
