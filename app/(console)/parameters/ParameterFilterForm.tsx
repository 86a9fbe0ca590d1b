/** The Parameters page's filter: a GET form, so the search and section live in the URL and the server filters. */
import { buttonClass } from '../../_components/button-class.ts';
import { inputClass } from '../../_components/ui.tsx';
import type { ParameterFilter } from '../../_data/parameters.ts';

export function ParameterFilterForm({ filter, groupTitles }: { filter: ParameterFilter; groupTitles: string[] }) {
  const filtered = filter.q !== '' || filter.group !== '' || filter.changedOnly;
  return (
    <form method="get" className="mb-6 flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:flex-row sm:items-end" role="search">
      <div className="flex-1 space-y-1">
        <label htmlFor="q" className="block text-sm font-medium text-slate-700">Search names and help</label>
        <input id="q" name="q" type="search" defaultValue={filter.q} placeholder="e.g. helo, timeout, rbl" className={inputClass} />
      </div>
      <div className="space-y-1 sm:w-64">
        <label htmlFor="group" className="block text-sm font-medium text-slate-700">Section</label>
        <select id="group" name="group" defaultValue={filter.group} className={inputClass}>
          <option value="">All sections</option>
          {groupTitles.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </div>
      <label className="inline-flex items-center gap-2 pb-2 text-sm text-slate-700">
        <input type="checkbox" name="changed" value="1" defaultChecked={filter.changedOnly} className="size-4 accent-indigo-600" />
        Changed only
      </label>
      <div className="flex gap-2">
        <button type="submit" className={buttonClass('primary')}>Filter</button>
        {filtered ? <a href="/parameters" className={buttonClass('ghost')}>Clear</a> : null}
      </div>
    </form>
  );
}
