/**
 * ESMTP parameters of MAIL FROM and RCPT TO, with Postfix's replies for bad ones
 * (spec/protocol.md §3 MAIL step 6, RCPT step 5): SIZE, BODY, SMTPUTF8, AUTH, RET, ENVID,
 * XVERP on MAIL; NOTIFY and ORCPT on RCPT. The first bad parameter answers; anything unknown is
 * `555 5.5.4 Unsupported option: WORD`. Exports parseMailParameters, parseRcptParameters.
 */
import type { Reply } from '../policy/reply.ts';

export interface MailParameters {
  size: number | null;                 // SIZE=, null when not given
  sizeUnrepresentable: boolean;        // SIZE= too large for a number: 552 file system limit
  body: '7BIT' | '8BITMIME' | null;    // BODY=
  smtputf8: boolean;                   // SMTPUTF8
  ret: 'FULL' | 'HDRS' | null;         // RET= (DSN)
  envid: string | null;                // ENVID= (DSN), decoded xtext
}

export interface RcptParameters {
  notify: string[] | null;             // NOTIFY=, upper-case keywords
  orcpt: string | null;                // ORCPT=type;xtext as received
}

const syntax = (text: string): Reply => ({ code: 501, enh: '5.5.4', text });
const unsupported = (word: string): Reply => ({ code: 555, enh: '5.5.4', text: `Unsupported option: ${word}` });

/** decodeXtext - RFC 3461 xtext (`+HH` escapes); null when malformed. */
export function decodeXtext(s: string): string | null {
  if (/[^\x21-\x7e]|=/.test(s)) return null;
  let bad = false;
  const out = s.replace(/\+([0-9A-F]{2})|\+/g, (m, hex: string | undefined) => {
    if (!hex) { bad = true; return m; }
    return String.fromCharCode(parseInt(hex, 16));
  });
  return bad ? null : out;
}

/** parseMailParameters - MAIL FROM parameters, or the reply refusing the first bad one. */
export function parseMailParameters(words: string[], options: { smtputf8Enable: boolean }): { ok: true; value: MailParameters } | { ok: false; reply: Reply } {
  const v: MailParameters = { size: null, sizeUnrepresentable: false, body: null, smtputf8: false, ret: null, envid: null };
  for (const word of words) {
    const eq = word.indexOf('=');
    const key = (eq < 0 ? word : word.slice(0, eq)).toUpperCase();
    const arg = eq < 0 ? null : word.slice(eq + 1);
    if (key === 'BODY' && arg !== null && /^(7BIT|8BITMIME)$/i.test(arg)) {
      v.body = arg.toUpperCase() as MailParameters['body'];
    } else if (key === 'SIZE' && arg !== null) {
      if (!/^\d+$/.test(arg)) return { ok: false, reply: syntax('Bad message size syntax') };
      const n = Number(arg);
      if (!Number.isSafeInteger(n)) v.sizeUnrepresentable = true;
      v.size = n;
    } else if (key === 'SMTPUTF8' && arg === null && options.smtputf8Enable) {
      v.smtputf8 = true;
    } else if (key === 'AUTH' && arg !== null) {
      // RFC 4954 AUTH= of an unauthenticated client is ignored, as Postfix does.
    } else if (key === 'RET' && arg !== null) {
      if (v.ret !== null || !/^(FULL|HDRS)$/i.test(arg)) return { ok: false, reply: syntax('Bad RET parameter syntax') };
      v.ret = arg.toUpperCase() as MailParameters['ret'];
    } else if (key === 'ENVID' && arg !== null) {
      const decoded = decodeXtext(arg);
      if (v.envid !== null || decoded === null || decoded === '' || arg.length > 100) return { ok: false, reply: syntax('Bad ENVID parameter syntax') };
      v.envid = decoded;
    } else {
      return { ok: false, reply: unsupported(word) };
    }
  }
  return { ok: true, value: v };
}

/** parseRcptParameters - RCPT TO parameters, or the reply refusing the first bad one. */
export function parseRcptParameters(words: string[]): { ok: true; value: RcptParameters } | { ok: false; reply: Reply } {
  const v: RcptParameters = { notify: null, orcpt: null };
  for (const word of words) {
    const eq = word.indexOf('=');
    const key = (eq < 0 ? word : word.slice(0, eq)).toUpperCase();
    const arg = eq < 0 ? null : word.slice(eq + 1);
    if (key === 'NOTIFY' && arg !== null) {
      const items = arg.toUpperCase().split(',');
      const known = items.every((i) => ['SUCCESS', 'FAILURE', 'DELAY', 'NEVER'].includes(i));
      const neverAlone = !items.includes('NEVER') || items.length === 1;
      // A keyword given twice is accepted, as Postfix does.
      if (v.notify !== null || !known || !neverAlone) {
        return { ok: false, reply: syntax('Error: Bad NOTIFY parameter syntax') };
      }
      v.notify = items;
    } else if (key === 'ORCPT' && arg !== null) {
      const m = /^([A-Za-z0-9-]+);(.+)$/.exec(arg);
      if (v.orcpt !== null || !m || decodeXtext(m[2]) === null) return { ok: false, reply: syntax('Error: Bad ORCPT parameter syntax') };
      v.orcpt = arg;
    } else {
      return { ok: false, reply: unsupported(word) };
    }
  }
  return { ok: true, value: v };
}
