/**
 * The computed defaults of myhostname and mydomain, as Postfix's check_myhostname() and
 * check_mydomainname() in mail_params.c compute them (checked against postconf 3.7.11):
 * an undotted OS name `vm` becomes `vm.localdomain`, or `vm.example.test` once mydomain is set;
 * mydomain is myhostname minus its first label, else `localdomain`.
 * Exports: defaultMyhostname, defaultMydomain.
 */

const DEF_MYDOMAIN = 'localdomain';

/** defaultMyhostname - the OS name if dotted; otherwise that name plus `.`, mydomain (when set) or localdomain. */
export function defaultMyhostname(osHostname: string, mydomain?: string): string {
  if (osHostname.includes('.')) return osHostname;
  return `${osHostname}.${mydomain || DEF_MYDOMAIN}`;
}

/** defaultMydomain - everything after the first dot of myhostname; `localdomain` if there is no dot. */
export function defaultMydomain(myhostname: string): string {
  const dot = myhostname.indexOf('.');
  return dot < 0 ? DEF_MYDOMAIN : myhostname.slice(dot + 1);
}
