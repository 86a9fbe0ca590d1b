'use client';
/**
 * The queue listing with selection: one action on the checked messages (hold, release,
 * requeue, delete; delete asks first), or on one message from its row.
 */
import Link from 'next/link';
import { useActionState, useState } from 'react';
import { SubmitButton } from '../../_components/buttons.tsx';
import { Badge, DataTable, Td, Th } from '../../_components/ui.tsx';
import { FormAlert } from '../../_components/form-alert.tsx';
import { queueOperationAction } from './actions.ts';

interface QueueRow {
  id: string;
  state: string;
  size: number;
  arrival: string;
  sender: string;
  recipients: Array<{ address: string; reason?: string }>;
  attempts: number;
  nextAttempt: string | null;
}

const STATE_TONE: Record<string, 'info' | 'neutral' | 'warn' | 'bad'> = { active: 'info', incoming: 'neutral', deferred: 'warn', hold: 'bad', corrupt: 'bad' };

function utc(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function QueueTable({ messages, canAct }: { messages: QueueRow[]; canAct: boolean }) {
  const [result, action] = useActionState(queueOperationAction, null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const allSelected = messages.length > 0 && messages.every((m) => selected.has(m.id));
  const toggle = (id: string) => setSelected((s) => {
    const next = new Set(s);
    if (next.has(id)) next.delete(id); else next.add(id);
    return next;
  });
  const confirmDelete = (e: React.FormEvent<HTMLFormElement>) => {
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    if (submitter?.value === 'delete' && !window.confirm('Delete the selected messages? They will not be delivered.')) e.preventDefault();
  };
  return (
    <form action={action} onSubmit={confirmDelete}>
      {canAct ? (
        <div className="mb-3 flex flex-wrap items-center gap-2" role="toolbar" aria-label="Act on the selected messages">
          <span className="text-sm text-slate-600">{selected.size} selected</span>
          {(['hold', 'release', 'requeue', 'delete'] as const).map((op) => (
            <SubmitButton key={op} name="operation" value={op} size="sm" variant={op === 'delete' ? 'danger' : 'secondary'} disabled={selected.size === 0}>
              {op[0].toUpperCase() + op.slice(1)}
            </SubmitButton>
          ))}
        </div>
      ) : null}
      <div className="mb-3"><FormAlert result={result} all /></div>
      <DataTable caption="Queued messages">
        <thead>
          <tr>
            {canAct ? (
              <Th className="w-8">
                <input type="checkbox" aria-label="Select all shown" checked={allSelected}
                  onChange={() => setSelected(allSelected ? new Set() : new Set(messages.map((m) => m.id)))} />
              </Th>
            ) : null}
            <Th>Queue ID</Th><Th>Queue</Th><Th className="text-right">Size</Th><Th>Arrival</Th><Th>Sender</Th><Th>Recipients and reason</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {messages.map((m) => (
            <tr key={m.id} data-testid={`queue-row-${m.id}`} className={selected.has(m.id) ? 'bg-indigo-50/50' : 'hover:bg-slate-50'}>
              {canAct ? (
                <Td><input type="checkbox" name="id" value={m.id} aria-label={`Select ${m.id}`} checked={selected.has(m.id)} onChange={() => toggle(m.id)} /></Td>
              ) : null}
              <Td className="font-mono"><Link href={`/queue/${m.id}`} className="font-medium text-indigo-700 hover:underline">{m.id}</Link></Td>
              <Td><Badge tone={STATE_TONE[m.state] ?? 'neutral'}>{m.state}</Badge></Td>
              <Td className="text-right tabular-nums">{m.size.toLocaleString('en-US')}</Td>
              <Td className="whitespace-nowrap">{utc(m.arrival)}</Td>
              <Td className="max-w-56 break-all font-mono text-xs">{m.sender ? `<${m.sender}>` : 'MAILER-DAEMON'}</Td>
              <Td className="min-w-64 font-mono text-xs">
                {m.recipients.map((r) => (
                  <div key={r.address} className="break-all">
                    {r.address}
                    {r.reason ? <div className="font-sans text-amber-800">({r.reason})</div> : null}
                  </div>
                ))}
                {m.nextAttempt ? <div className="font-sans text-slate-500">next attempt {utc(m.nextAttempt)} · {m.attempts} so far</div> : null}
              </Td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </form>
  );
}
