/** The stored tables: name, kind, size, the parameters that name it, last change. */
import Link from 'next/link';
import { Badge, DataTable, EmptyState, Td, Th } from '../../_components/ui.tsx';
import type { StoredTableRow } from '../../_data/tables.ts';
import { formatDateTime } from '../../_lib/format.ts';
import { tablePath } from './table-path.ts';

export function StoredTables({ tables }: { tables: StoredTableRow[] }) {
  if (tables.length === 0) {
    return <EmptyState title="No tables stored yet">Create one here, or bring them in with <code>portcullis import main.cf</code>.</EmptyState>;
  }
  return (
    <DataTable caption="Stored tables">
      <thead>
        <tr><Th>Name</Th><Th>Kind</Th><Th className="text-right">Entries</Th><Th>Used by</Th><Th>Last change</Th></tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {tables.map((t) => (
          <tr key={t.name} data-testid={`table-${t.name}`}>
            <Td className="font-medium"><Link href={tablePath(t.name)} className="text-indigo-700 hover:underline">{t.name}</Link></Td>
            <Td><Badge tone={t.kind === 'exact' ? 'neutral' : 'info'}>{t.kind}</Badge></Td>
            <Td className="text-right tabular-nums">{t.entries.toLocaleString('en-US')}</Td>
            <Td>
              {t.users.length === 0 ? <span className="text-slate-400">not used</span> : (
                <ul className="space-y-0.5">
                  {t.users.map((u) => <li key={u.parameter}><code className="text-xs">{u.parameter}</code></li>)}
                </ul>
              )}
            </Td>
            <Td className="whitespace-nowrap text-slate-600">{formatDateTime(t.updatedAt)}</Td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
