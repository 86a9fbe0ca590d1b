import type { Metadata } from 'next';
import { canManageUsers } from '../../../server/accounts/console-role.ts';
import { listConsoleUsers } from '../../../server/accounts/console-users.ts';
import { Card, Forbidden, PageHeader } from '../../_components/ui.tsx';
import { getPrisma } from '../../_data/db.ts';
import { requirePageSession } from '../../_data/session.ts';
import { AddUserForm } from './AddUserForm.tsx';
import { UsersTable } from './UsersTable.tsx';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const session = await requirePageSession(canManageUsers);
  if (session.forbidden) return <Forbidden what="manage console accounts" />;
  const users = await listConsoleUsers(getPrisma());
  return (
    <>
      <PageHeader title="Users" description="Console accounts. Administrators change everything; auditors read everything and change nothing." />
      <div className="grid gap-6 xl:grid-cols-[1fr_22rem]">
        <Card title="Accounts">
          <UsersTable users={users.map((u) => ({ ...u, createdAt: u.createdAt.toISOString(), lastLoginAt: u.lastLoginAt?.toISOString() ?? null }))} self={session.user.name} />
        </Card>
        <Card title="Add an account">
          <AddUserForm />
        </Card>
      </div>
    </>
  );
}
