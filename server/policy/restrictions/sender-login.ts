/**
 * The sender login checks (spec/restrictions.md section 10.4): with SASL on, a sender address
 * listed in smtpd_sender_login_maps belongs to the logins its entry names. reject_sender_login_mismatch
 * is both checks: a logged-in client may only use senders it owns (an unlisted sender is not
 * owned), a client not logged in may not use a sender that has an owner.
 * reject_known_sender_login_mismatch applies them to listed senders only.
 * Exports: rejectSenderLoginMismatch, rejectAuthenticatedSenderLoginMismatch,
 * rejectUnauthenticatedSenderLoginMismatch, rejectKnownSenderLoginMismatch.
 * Reads: smtpd_sender_login_maps, smtpd_sasl_auth_enable (through the Policy).
 * Keys: the address, then `@domain`; an entry's value is logins separated by commas or blanks.
 * Without SASL the checks do nothing, with a warning, as in Postfix. The null sender is not judged.
 */
import type { Policy } from '../policy.ts';
import type { RestrictionRequest, RestrictionResult } from '../restriction.ts';

type Check = { authenticated: boolean; unauthenticated: boolean; knownOnly: boolean };

export const rejectSenderLoginMismatch = loginCheck({ authenticated: true, unauthenticated: true, knownOnly: false });
export const rejectAuthenticatedSenderLoginMismatch = loginCheck({ authenticated: true, unauthenticated: false, knownOnly: false });
export const rejectUnauthenticatedSenderLoginMismatch = loginCheck({ authenticated: false, unauthenticated: true, knownOnly: false });
export const rejectKnownSenderLoginMismatch = loginCheck({ authenticated: true, unauthenticated: true, knownOnly: true });

function loginCheck(check: Check): (request: RestrictionRequest, policy: Policy) => RestrictionResult {
  return (request, policy) => {
    const sender = request.sender;
    if (sender === null || sender === '') return { kind: 'dunno' };
    if (!policy.senderLogin.saslEnabled) {
      return { kind: 'dunno' };
    }
    const owners = ownersOf(sender, policy);
    if (owners === 'retry') {
      return { kind: 'reject', errorClass: 'resource', code: 451, enh: '4.3.0', text: `<${sender}>: Sender address rejected: Temporary lookup failure` };
    }
    const login = request.session.saslUsername;
    const rejected = (reason: string): RestrictionResult =>
      ({ kind: 'reject', errorClass: 'policy', code: 553, enh: '5.7.1', text: `<${sender}>: Sender address rejected: ${reason}` });
    if (login !== null && login !== '') {
      if (!check.authenticated || (check.knownOnly && owners === null)) return { kind: 'dunno' };
      return owners !== null && owners.includes(login.toLowerCase()) ? { kind: 'dunno' } : rejected(`not owned by user ${login}`);
    }
    if (check.unauthenticated && owners !== null) return rejected('not logged in');
    return { kind: 'dunno' };
  };
}

// The logins that own a sender, null when it has no entry.
function ownersOf(sender: string, policy: Policy): string[] | null | 'retry' {
  const address = sender.toLowerCase();
  const at = address.lastIndexOf('@');
  const keys = at < 0 ? [address] : [address, address.slice(at)];
  for (const table of policy.senderLogin.maps) {
    for (const key of keys) {
      const found = table.lookup(key);
      if (found.status === 'retry') return 'retry';
      if (found.status === 'found') return found.value.toLowerCase().split(/[\s,]+/).filter((s) => s !== '');
    }
  }
  return null;
}
