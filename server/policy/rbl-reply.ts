/**
 * The reply of a DNSBL or RHSBL hit (spec/restrictions.md section 10.2): the template from
 * rbl_reply_maps for the list as written in the restriction (`zone` or `zone=filter`), else
 * default_rbl_reply, expanded with the $rbl_* and request attributes Postfix offers,
 * including `${name?text}` and `${name:text}`; the result is `CODE [DSN] TEXT`, without a DSN
 * 4.7.1 of the code's class, an address DSN adapted as for access tables, without text
 * `Service unavailable` (rbl_reject_reply()).
 * Exports: RblFacts, rblReply.
 * Reads: default_rbl_reply, rbl_reply_maps, maps_rbl_reject_code (through the Policy).
 * A result that does not start with a 4xx or 5xx code and a space is a configuration error:
 * warning, and `450 4.7.1 Service unavailable`. An rbl_reply_maps table that fails gives
 * 451 4.3.5.
 */
import type { Policy } from './policy.ts';
import type { ReplyClass, RestrictionRequest, RestrictionResult } from './restriction.ts';
import { remapAddressDsn } from './access-action.ts';

/** RblFacts - what was listed where. */
export interface RblFacts {
  readonly domain: string;       // the list's zone as configured, without =filter ($rbl_domain)
  readonly zoneArgument: string; // the restriction's argument as written, =filter included: the rbl_reply_maps key
  readonly what: string;       // the client address, or the name or address that was listed
  readonly replyClass: ReplyClass;
  readonly txt: string;        // the TXT record(s), '' when none
}

/** rblReply - the reject result of a listing. */
export function rblReply(request: RestrictionRequest, policy: Policy, facts: RblFacts): RestrictionResult {
  let template = policy.dnsLists.defaultRblReply;
  for (const table of policy.dnsLists.rblReplyMaps) {
    const found = table.lookup(facts.zoneArgument);
    if (found.status === 'retry') {
      return { kind: 'server-error', warning: `rbl_reply_maps: ${table.type}:${table.name}: lookup of "${facts.zoneArgument}" failed: ${found.reason}` };
    }
    if (found.status === 'found') {
      template = found.value;
      break;
    }
  }
  const text = expandTemplate(template, attributes(request, policy, facts));
  const parsed = /^([45]\d\d) (.*)$/s.exec(text);
  if (parsed === null) {
    return {
      kind: 'reject', errorClass: 'policy', code: 450, enh: '4.7.1', text: 'Service unavailable',
      warning: `rbl response code configuration error: ${text}`,
    };
  }
  // dsn_split(): an optional DSN, then the text.
  const rest = parsed[2].replace(/^\s+/, '');
  const dsn = /^([245]\.\d{1,3}\.\d{1,3})(?:\s+|$)/.exec(rest);
  return {
    kind: 'reject',
    errorClass: 'policy',
    code: Number(parsed[1]),
    enh: remapAddressDsn(dsn === null ? '4.7.1' : dsn[1], facts.replyClass),
    text: (dsn === null ? rest : rest.slice(dsn[0].length)) || 'Service unavailable',
  };
}

function attributes(request: RestrictionRequest, policy: Policy, facts: RblFacts): Record<string, string> {
  const { clientName, clientAddress, reverseClientName } = request.session;
  const split = (address: string | null): [string, string] => {
    if (address === null) return ['', ''];
    const at = address.lastIndexOf('@');
    return at < 0 ? [address, ''] : [address.slice(0, at), address.slice(at + 1)];
  };
  const [senderName, senderDomain] = split(request.sender);
  const [recipientName, recipientDomain] = split(request.recipient);
  return {
    client: `${clientName}[${clientAddress}]`,
    client_address: clientAddress,
    client_name: clientName,
    reverse_client_name: reverseClientName,
    helo_name: request.helo ?? '',
    sender: request.sender ?? '',
    sender_name: senderName,
    sender_domain: senderDomain,
    recipient: request.recipient ?? '',
    recipient_name: recipientName,
    recipient_domain: recipientDomain,
    rbl_class: facts.replyClass,
    rbl_code: String(policy.replyCodes.maps_rbl_reject_code),
    rbl_domain: facts.domain,
    rbl_reason: facts.txt,
    rbl_txt: facts.txt,
    rbl_what: facts.what,
  };
}

// $name, ${name}, ${name?text} (text when name is not empty), ${name:text} (text when it is).
// An unknown name expands to nothing, as Postfix's mac_expand() with an unknown attribute.
function expandTemplate(template: string, values: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch !== '$') {
      out += ch;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '{' || next === '(') {
      const close = matchingClose(template, i + 1);
      if (close < 0) {
        out += template.slice(i);
        break;
      }
      const inner = template.slice(i + 2, close);
      const m = /^([A-Za-z0-9_]+)(?:([?:])(.*))?$/s.exec(inner);
      if (m) {
        const value = values[m[1]] ?? '';
        if (m[2] === undefined) out += value;
        else if ((m[2] === '?') === (value !== '')) out += expandTemplate(m[3], values);
      }
      i = close;
    } else {
      const m = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
      if (m === null) {
        out += ch;
        continue;
      }
      out += values[m[0]] ?? '';
      i += m[0].length;
    }
  }
  return out;
}

function matchingClose(text: string, open: number): number {
  const opening = text[open];
  const closing = opening === '{' ? '}' : ')';
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === opening) depth++;
    else if (text[i] === closing && --depth === 0) return i;
  }
  return -1;
}
