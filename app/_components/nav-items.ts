/** The console's pages in the order of the administrator's day: one entry per route folder. */
export interface NavItem {
  href: string;
  label: string;
  adminOnly?: boolean; // hidden from auditors (the page refuses them anyway)
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/', label: 'Dashboard' },
  { href: '/policy', label: 'Policy' },
  { href: '/tables', label: 'Tables' },
  { href: '/parameters', label: 'Parameters' },
  { href: '/simulator', label: 'Simulator' },
  { href: '/transcripts', label: 'Transcripts' },
  { href: '/queue', label: 'Queue' },
  { href: '/log', label: 'Log search' },
  { href: '/history', label: 'History' },
  { href: '/users', label: 'Users', adminOnly: true },
];
