/**
 * MAIL FROM / RCPT TO / VRFY argument syntax as Postfix's smtpd reads it (spec/protocol.md §3
 * MAIL, RCPT; §6): command words split on blanks with `<...>` and quoted strings kept
 * together, the address taken from `FROM:`/`TO:`, words after it being ESMTP parameters.
 * Without strict_rfc821_envelopes an address may lack `<>`, carry a phrase around an inner
 * `<addr>`, or follow the colon after a space; a source route `@a,@b:` is dropped.
 * Exports splitCommandWords, parseAddressCommand, extractAddress, quoteAddress.
 * Unqualified addresses are returned as they are: completing them with $myorigin is the
 * caller's job (it knows myorigin). The domain must be a host name or a literal of a valid
 * address (valid_mailhost_literal()); a non-ASCII domain only when the client asked for
 * SMTPUTF8 and it has an IDNA form (valid_utf8_hostname()), as Postfix 3.7 answers
 * `<user@vïctim.net>` with 501 5.1.3 in a transaction without SMTPUTF8.
 */
import { domainToASCII } from 'node:url';
import { isValidMailhostAddr } from '../net/valid-hostname.ts';

/** splitCommandWords - Postfix's smtpd_token: blanks separate, `<...>` and `"..."` hold together. */
export function splitCommandWords(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      cur += c;
      if (c === '\\' && i + 1 < text.length) cur += text[++i];
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') { quoted = true; cur += c; continue; }
    if (c === '<') { depth++; cur += c; continue; }
    if (c === '>' && depth > 0) { depth--; cur += c; continue; }
    if ((c === ' ' || c === '\t') && depth === 0) {
      if (cur) words.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur) words.push(cur);
  return words;
}

export type AddressCommand =
  | { ok: true; addressWord: string; parameters: string[] }
  | { ok: false };                                  // `501 5.5.4 Syntax: ...`

/** parseAddressCommand - split `FROM:<addr> PARAM...` (or TO:) into address word and parameters. */
export function parseAddressCommand(args: string, keyword: 'FROM' | 'TO'): AddressCommand {
  const words = splitCommandWords(args);
  const prefix = keyword + ':';
  if (!words.length || words[0].slice(0, prefix.length).toUpperCase() !== prefix) return { ok: false };
  const rest = words[0].slice(prefix.length);
  if (rest) return { ok: true, addressWord: rest, parameters: words.slice(1) };
  if (words.length < 2) return { ok: false };
  return { ok: true, addressWord: words[1], parameters: words.slice(2) };
}

export type ExtractedAddress =
  | { ok: true; address: string; typed: string }    // address: internal form (local part unquoted); typed: the word as received
  | { ok: false };                                  // caller answers 501 5.1.7 / 5.1.3 Bad ... address syntax

// RFC 5322 atext, plus the dot of a dot-atom.
const ATOM = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\uffff]+$/;
const LABEL = /^[A-Za-z0-9\u0080-\uffff_]([A-Za-z0-9\u0080-\uffff_-]*[A-Za-z0-9\u0080-\uffff_])?$/;

/** extractAddress - the envelope address of a MAIL/RCPT/VRFY word; `<>` only when allowEmpty; UTF-8 domains only with smtputf8. */
export function extractAddress(word: string, options: { strict: boolean; allowEmpty: boolean; smtputf8: boolean }): ExtractedAddress {
  let inner: string;
  if (word.startsWith('<')) {
    if (!word.endsWith('>')) return { ok: false };
    inner = word.slice(1, -1).trim();
    // `<"Some Body" <s@good.test>>`: a phrase around an inner address (not in strict mode).
    const nested = /^(?:"(?:[^"\\]|\\.)*"|[^<>"])*<([^<>]*)>\s*$/.exec(inner);
    if (nested) {
      if (options.strict) return { ok: false };
      inner = nested[1].trim();
    } else if (inner.includes('<') || inner.includes('>')) {
      return { ok: false };
    }
  } else {
    if (options.strict) return { ok: false };
    // Postfix's RFC 822 parser drops a stray closing bracket: `MAIL FROM:a@example.com>`.
    inner = word.endsWith('>') && !word.includes('<') ? word.slice(0, -1) : word;
  }
  // RFC 822 comments, `<a(note)@example.com>`, are dropped as Postfix's parser drops them.
  if (!options.strict) inner = inner.replace(/\((?:[^()\\]|\\.)*\)/g, '');
  if (inner === '') return options.allowEmpty ? { ok: true, address: '', typed: word } : { ok: false };
  // Source route `@relay1,@relay2:user@domain`: the route is dropped, as Postfix does.
  const route = /^@[^:]*:(.*)$/.exec(inner);
  if (route) {
    if (!route[1]) return { ok: false };
    inner = route[1];
  }
  const parsed = splitLocalDomain(inner);
  if (!parsed) return { ok: false };
  const { local } = parsed;
  // An address literal left open is closed, as Postfix's RFC 822 tokenizer closes it (obs:
  // `<user@[192.0.2.1>` is user@[192.0.2.1]).
  const domain = parsed.domain?.startsWith('[') && !parsed.domain.includes(']') ? `${parsed.domain}]` : parsed.domain;
  if (domain !== null && !isValidDomainPart(domain, options.smtputf8)) return { ok: false };
  return { ok: true, address: domain === null ? local : `${local}@${domain}`, typed: word };
}

/** splitLocalDomain - local part (unquoted) and domain (null when unqualified), or null when malformed. */
function splitLocalDomain(text: string): { local: string; domain: string | null } | null {
  let local: string;
  let rest: string;
  if (text.startsWith('"')) {
    const m = /^"((?:[^"\\]|\\.)*)"(.*)$/s.exec(text);
    if (!m) return null;
    local = m[1].replace(/\\(.)/g, '$1');
    rest = m[2];
    if (rest !== '' && !rest.startsWith('@')) return null;
  } else {
    // The last `@` separates the domain, even as a quoted pair: Postfix splits the internal
    // form, where `user@victim.net\@here` has become user@victim.net@here (obs).
    let at = -1; // the separating `@`
    let end = -1; // where the local part ends: at the `@`, or at the `\` of `\@`
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\\') {
        if (text[i + 1] === '@') [at, end] = [i + 1, i];
        i++;
      } else if (text[i] === '@') {
        [at, end] = [i, i];
      }
    }
    const written = at < 0 ? text : text.slice(0, end);
    rest = at < 0 ? '' : text.slice(at);
    // Quoted pairs stand for the character they quote; check the rest as atoms.
    const plain = written.replace(/\\./g, 'x');
    // Sender-specified routing (`user@elsewhere@here`, `user%x@here`) is syntactically fine;
    // relay control refuses it later (spec/protocol.md §6).
    if (!plain.split(/[.@%!]/).every((a) => a === '' || ATOM.test(a))) return null;
    if (/[\s"\\()<>,;:[\]]/.test(plain)) return null;
    // `<@example.net>` (an empty local part) is taken, as Postfix takes it; `<a@>` is not.
    if (plain === '' && rest === '') return null;
    local = written.replace(/\\(.)/g, '$1');
  }
  if (rest === '') return { local, domain: null };
  const domain = rest.slice(1);
  if (domain === '') return null;
  return { local, domain };
}

/** isValidDomainPart - a hostname (a trailing dot is tolerated; UTF-8 with smtputf8) or an address literal `[...]`. */
function isValidDomainPart(domain: string, smtputf8: boolean): boolean {
  if (domain.startsWith('[')) return domain.endsWith(']') && isValidMailhostAddr(domain.slice(1, -1));
  if (/[^\x20-\x7e]/.test(domain) && (!smtputf8 || domainToASCII(domain) === '')) return false;
  const labels = domain.replace(/\.$/, '').split('.');
  return labels.every((l) => LABEL.test(l) && l.length <= 63) && domain.length <= 255;
}

/** quoteAddress - the RFC 5321 external form: quote a local part that is not a dot-atom. */
export function quoteAddress(address: string): string {
  if (address === '') return '';
  const at = address.lastIndexOf('@');
  const local = at < 0 ? address : address.slice(0, at);
  const domain = at < 0 ? '' : address.slice(at);
  const dotAtom = local.split('.').every((a) => ATOM.test(a));
  return (dotAtom ? local : `"${local.replace(/(["\\])/g, '\\$1')}"`) + domain;
}
