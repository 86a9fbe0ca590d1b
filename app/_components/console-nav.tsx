'use client';
/**
 * The console's navigation: a sidebar on wide screens, a menu button that opens the same list
 * on a phone. The current page is marked for screen readers and by colour.
 */
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import type { NavItem } from './nav-items.ts';

function isCurrent(pathname: string, href: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(href + '/');
}

export function ConsoleNav({ items }: { items: readonly NavItem[] }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const links = (
    <ul className="space-y-0.5">
      {items.map((item) => {
        const current = isCurrent(pathname, item.href);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              prefetch={false}
              onClick={() => setOpen(false)}
              aria-current={current ? 'page' : undefined}
              className={`block rounded-md px-3 py-2 text-sm font-medium ${current ? 'bg-slate-800 text-white' : 'text-slate-300 hover:bg-slate-800/60 hover:text-white'}`}
            >
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
  return (
    <nav aria-label="Console">
      <button
        type="button"
        className="rounded-md px-3 py-2 text-sm font-medium text-slate-200 ring-1 ring-slate-700 lg:hidden"
        aria-expanded={open}
        aria-controls="console-nav-list"
        onClick={() => setOpen((o) => !o)}
      >
        Menu
      </button>
      <div id="console-nav-list" className={`${open ? 'block' : 'hidden'} mt-3 lg:mt-0 lg:block`}>{links}</div>
    </nav>
  );
}
