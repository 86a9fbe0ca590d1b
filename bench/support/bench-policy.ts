/**
 * The realistic policy both servers run in the side-by-side benchmark, as main.cf lines and
 * table sources: permit_mynetworks and reject_unauth_destination for relay control,
 * check_client_access and check_sender_access on 100,000-entry hash tables, header_checks
 * with 50 regexp patterns. The benchmark's client, sender and headers match none of the
 * entries, so every message pays every lookup (address and its net prefixes; full address,
 * domain, localpart@) and every pattern.
 * Exports benchPolicy.
 */

export interface BenchPolicy {
  mainCf: string;                 // restriction and check parameters, tables as $config_directory/NAME
  tables: Record<string, string>; // file name -> postmap source
  indexed: string[];              // the hash: tables (Postfix compiles them with postmap)
}

/** benchPolicy - the tables are generated deterministically, `entries` lines each. */
export function benchPolicy(entries = 100_000): BenchPolicy {
  const clients: string[] = [];
  for (let i = 0; i < entries; i++) clients.push(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}\tREJECT client blocked by benchmark`);
  const senders: string[] = [];
  for (let i = 0; i < entries; i++) senders.push(`user${i}@blocked${i % 1000}.example\tREJECT sender blocked by benchmark`);
  const headers: string[] = [];
  for (let i = 0; i < 50; i++) headers.push(`/^Subject:.*\\bbench-spam-${i}\\b/\tREJECT header pattern ${i}`);
  return {
    mainCf: [
      'smtpd_client_restrictions = check_client_access hash:$config_directory/client_access',
      'smtpd_sender_restrictions = check_sender_access hash:$config_directory/sender_access',
      'smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination',
      'smtpd_recipient_restrictions =',
      'header_checks = regexp:$config_directory/header_checks',
    ].join('\n'),
    tables: {
      client_access: clients.join('\n') + '\n',
      sender_access: senders.join('\n') + '\n',
      header_checks: headers.join('\n') + '\n',
    },
    indexed: ['client_access', 'sender_access'],
  };
}
