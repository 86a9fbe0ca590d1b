import type { Metadata } from 'next';
import { canChangePolicy } from '../../../server/accounts/console-role.ts';
import { Card, PageHeader } from '../../_components/ui.tsx';
import { requirePageSession } from '../../_data/session.ts';
import { listListParameters, listStoredTables } from '../../_data/tables.ts';
import { ListParameterForm } from './ListParameterForm.tsx';
import { NewTableForm } from './NewTableForm.tsx';
import { StoredTables } from './StoredTables.tsx';

export const metadata: Metadata = { title: 'Tables' };

export default async function TablesPage() {
  const session = await requirePageSession();
  const canChange = canChangePolicy(session.user.role);
  const [tables, lists] = await Promise.all([listStoredTables(), listListParameters()]);
  return (
    <>
      <PageHeader
        title="Tables"
        description="Lookup tables (access, header and body checks, transport) kept in the database, and the address and domain lists. A saved change reaches the gateway for its next SMTP session."
      />
      <div className="grid grid-cols-1 items-start gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <Card title="Stored tables" description="Parameters name a table as type:name, e.g. check_client_access hash:clients.">
          <StoredTables tables={tables} />
        </Card>
        {canChange ? (
          <Card title="New table">
            <NewTableForm />
          </Card>
        ) : null}
      </div>
      <section className="mt-8" aria-labelledby="lists-heading">
        <h2 id="lists-heading" className="text-lg font-semibold text-slate-900">Lists</h2>
        <p className="mt-1 mb-4 max-w-3xl text-sm text-slate-600">
          Address and domain lists, one item per line: networks, domains, <code className="text-xs">type:table</code> or <code className="text-xs">/file/name</code>. Checked as the gateway would compile them before saving.
        </p>
        <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-2">
          {lists.map((list) => (
            <Card key={list.name} className="min-w-0" title={<code>{list.name}</code>} description={list.help}>
              <ListParameterForm list={list} canChange={canChange} />
            </Card>
          ))}
        </div>
      </section>
    </>
  );
}
