/** Search box for a table's entries: a plain GET form, so the search lives in the URL and the server renders the page. */
import type { TableEntrySort } from '../../../../server/maps/table-entry-page.ts';
import { buttonClass } from '../../../_components/button-class.ts';
import { inputClass } from '../../../_components/ui.tsx';
import { tablePath } from '../table-path.ts';

export function EntrySearch({ name, search, sort, descending }: { name: string; search: string; sort: TableEntrySort; descending: boolean }) {
  return (
    <form method="get" action={tablePath(name)} role="search" className="mb-4 flex flex-wrap gap-2">
      <label htmlFor="entry-search" className="sr-only">Search keys and values</label>
      <input id="entry-search" name="q" type="search" defaultValue={search} placeholder="Search keys and values" className={`${inputClass} min-w-0 flex-1`} />
      {sort !== 'position' ? <input type="hidden" name="sort" value={sort} /> : null}
      {descending ? <input type="hidden" name="dir" value="desc" /> : null}
      <button type="submit" className={buttonClass('secondary')}>Search</button>
      {search ? <a href={tablePath(name, { sort, desc: descending })} className={buttonClass('ghost')}>Clear</a> : null}
    </form>
  );
}
