/** Previous/next links for a server-paged list; the other search parameters are kept. */
import Link from 'next/link';

export function Pager({ page, pages, total, noun, href }: {
  page: number; pages: number; total: number; noun: string; href: (page: number) => string;
}) {
  const link = 'rounded-md px-3 py-1.5 text-sm font-medium ring-1 ring-inset ring-slate-300 hover:bg-slate-50';
  return (
    <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
      <p>{total.toLocaleString('en-US')} {noun}{total === 1 ? '' : 's'} · page {page} of {pages}</p>
      <div className="flex gap-2">
        {page > 1 ? <Link className={link} href={href(page - 1)} rel="prev">Previous</Link> : null}
        {page < pages ? <Link className={link} href={href(page + 1)} rel="next">Next</Link> : null}
      </div>
    </nav>
  );
}
