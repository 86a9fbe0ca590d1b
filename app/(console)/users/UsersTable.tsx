'use client';
import { useActionState, useState } from 'react';
import { SubmitButton } from '../../_components/buttons.tsx';
import { buttonClass } from '../../_components/button-class.ts';
import { Badge, DataTable, Td, Th, inputClass } from '../../_components/ui.tsx';
import { FormAlert } from '../../_components/form-alert.tsx';
import { resetUserPasswordAction, setUserDisabledAction, setUserRoleAction } from './actions.ts';

interface UserRow {
  id: number;
  name: string;
  role: 'admin' | 'auditor';
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

function when(iso: string | null): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : 'never';
}

export function UsersTable({ users, self }: { users: UserRow[]; self: string }) {
  return (
    <DataTable caption="Console accounts">
      <thead>
        <tr><Th>Name</Th><Th>Role</Th><Th>State</Th><Th>Last sign-in</Th><Th className="text-right">Actions</Th></tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {users.map((u) => <UserRowView key={u.id} user={u} isSelf={u.name === self} />)}
      </tbody>
    </DataTable>
  );
}

function UserRowView({ user, isSelf }: { user: UserRow; isSelf: boolean }) {
  const [roleResult, roleAction] = useActionState(setUserRoleAction, null);
  const [stateResult, stateAction] = useActionState(setUserDisabledAction, null);
  const [passwordResult, passwordAction] = useActionState(resetUserPasswordAction, null);
  const [resetting, setResetting] = useState(false);
  const other = user.role === 'admin' ? 'auditor' : 'admin';
  return (
    <tr data-testid={`user-${user.name}`}>
      <Td className="font-medium">{user.name}{isSelf ? <span className="ml-1 text-xs text-slate-500">(you)</span> : null}</Td>
      <Td><Badge tone={user.role === 'admin' ? 'info' : 'neutral'}>{user.role}</Badge></Td>
      <Td>{user.disabled ? <Badge tone="bad">disabled</Badge> : <Badge tone="good">enabled</Badge>}</Td>
      <Td className="whitespace-nowrap text-slate-600">{when(user.lastLoginAt)}</Td>
      <Td className="space-y-2 text-right">
        <div className="flex flex-wrap justify-end gap-2">
          <form action={roleAction}>
            <input type="hidden" name="name" value={user.name} />
            <input type="hidden" name="role" value={other} />
            <SubmitButton variant="secondary" size="sm">Make {other}</SubmitButton>
          </form>
          <form action={stateAction}>
            <input type="hidden" name="name" value={user.name} />
            <input type="hidden" name="disabled" value={user.disabled ? 'no' : 'yes'} />
            <SubmitButton variant={user.disabled ? 'secondary' : 'danger'} size="sm">{user.disabled ? 'Enable' : 'Disable'}</SubmitButton>
          </form>
          <button type="button" className={buttonClass('secondary', 'sm')} aria-expanded={resetting} onClick={() => setResetting((r) => !r)}>
            Reset password
          </button>
        </div>
        {resetting ? (
          <form action={passwordAction} className="ml-auto flex max-w-xs gap-2">
            <input type="hidden" name="name" value={user.name} />
            <label htmlFor={`pw-${user.id}`} className="sr-only">New password for {user.name}</label>
            <input id={`pw-${user.id}`} name="password" type="password" autoComplete="new-password" placeholder="new password" className={inputClass} />
            <SubmitButton size="sm">Set</SubmitButton>
          </form>
        ) : null}
        <div className="text-left"><FormAlert result={roleResult} all /><FormAlert result={stateResult} all /><FormAlert result={passwordResult} all /></div>
      </Td>
    </tr>
  );
}
