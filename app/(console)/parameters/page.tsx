import type { Metadata } from 'next';
import { canChangePolicy } from '../../../server/accounts/console-role.ts';
import { Card, DataTable, EmptyState, PageHeader, Td, Th } from '../../_components/ui.tsx';
import { listParameters } from '../../_data/parameters.ts';
import { requirePageSession } from '../../_data/session.ts';
import { ParameterFilterForm } from './ParameterFilterForm.tsx';
import { ParameterItem } from './ParameterItem.tsx';

export const metadata: Metadata = { title: 'Parameters' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (v: string | string[] | undefined): string => (Array.isArray(v) ? v[0] : v) ?? '';

export default async function ParametersPage({ searchParams }: { searchParams: SearchParams }) {
  const session = await requirePageSession();
  const canEdit = canChangePolicy(session.user.role);
  const params = await searchParams;
  const filter = { q: first(params.q).slice(0, 200), group: first(params.group), changedOnly: first(params.changed) === '1' };
  const listing = await listParameters(filter);
  const filtered = filter.q !== '' || filter.group !== '' || filter.changedOnly;
  return (
    <>
      <PageHeader
        title="Parameters"
        description={<>Every main.cf parameter the gateway knows, with Postfix 3.7&apos;s default and its current value. Changes are checked as <code>postconf -e</code> checks them, and the gateway takes them at once.</>}
      />
      <ParameterFilterForm filter={filter} groupTitles={listing.sections.map((g) => g.title)} />

      <div className="space-y-6">
        {filtered ? (
          <>
            <p className="text-sm text-slate-600">{listing.matched} of {listing.total} parameters match.</p>
            {listing.groups.length === 0 ? (
              <EmptyState title="No parameter matches">Try fewer words, or all sections.</EmptyState>
            ) : listing.groups.map((g) => (
              <Card key={g.title} title={g.title}>
                <ul className="-my-3 divide-y divide-slate-100">
                  {g.rows.map((row) => <ParameterItem key={row.name} row={row} canEdit={canEdit} />)}
                </ul>
              </Card>
            ))}
          </>
        ) : (
          <>
            <Card title={`Changed from the default (${listing.changed.length})`} description="What this gateway's main.cf would hold: postconf -n.">
              {listing.changed.length === 0 ? (
                <EmptyState title="Every parameter has its default" />
              ) : (
                <DataTable caption="Changed parameters">
                  <thead><tr><Th>Parameter</Th><Th>Value</Th><Th>Default</Th></tr></thead>
                  <tbody className="divide-y divide-slate-100">
                    {listing.changed.map((r) => (
                      <tr key={r.name}>
                        <Td><a href={`?group=${encodeURIComponent(r.group)}#p-${r.name}`} className="font-mono text-indigo-700 hover:underline">{r.name}</a></Td>
                        <Td className="max-w-md break-all font-mono">{r.value || <span className="italic text-slate-400">(empty)</span>}</Td>
                        <Td className="max-w-xs break-all font-mono text-slate-500">{r.default || '(empty)'}</Td>
                      </tr>
                    ))}
                  </tbody>
                </DataTable>
              )}
            </Card>
            <Card title={`All ${listing.total} parameters, by section`} description="Open a section, or search, to see each parameter with its help and edit it.">
              <ul className="grid gap-2 sm:grid-cols-2 xl:grid-cols-3">
                {listing.sections.map((g) => (
                  <li key={g.title}>
                    <a href={`?group=${encodeURIComponent(g.title)}`} className="flex items-center justify-between gap-2 rounded-md border border-slate-200 px-3 py-2 text-sm hover:border-indigo-300 hover:bg-indigo-50/50">
                      <span className="font-medium text-slate-900">{g.title}</span>
                      <span className="shrink-0 text-xs text-slate-500">{g.parameters}{g.changed ? <>, <span className="text-amber-700">{g.changed} changed</span></> : null}</span>
                    </a>
                  </li>
                ))}
              </ul>
            </Card>
          </>
        )}
      </div>
    </>
  );
}
