/**
 * Host name and address syntax, as Postfix's valid_hostname(3) judges it: valid_hostname(),
 * valid_hostaddr() and valid_mailhost_addr(), for the HELO and address restrictions
 * (spec/restrictions.md sections 10.3-10.5) and for PTR answers before a name may enter the
 * session and the logs.
 * Exports: HostnameSyntax, validateHostname (with Postfix's warning), isValidHostname,
 * isValidHostaddr, isValidMailhostAddr, stripTrailingDot. Reads no parameters, logs nothing:
 * the caller logs the warning, in which unprintable characters are shown as '?' so that a
 * hostile PTR record cannot forge log lines.
 * XXX Non-ASCII (SMTPUTF8) domain names are judged as ASCII: Postfix accepts them when the
 * client asked for SMTPUTF8; the session does not say so yet. IDN (xn--) labels get no check
 * beyond this syntax, as in Postfix.
 */
import net from 'node:net';

export type HostnameSyntax = { valid: true } | { valid: false; warning: string };

const VALID_HOSTNAME_LEN = 255;
const VALID_LABEL_LEN = 63;

/**
 * validateHostname - letters, digits, '_' (Postfix tolerates it: "grr..") and inner '-' in
 * labels of at most 63 characters, 255 in all; no empty label, no trailing dot, and not
 * all-numeric (so `192.0.2.1` is not a host name). The warning is the line Postfix would log.
 */
export function validateHostname(name: string): HostnameSyntax {
  if (name === '') return gripe('empty hostname');
  let labelLength = 0;
  let nonNumeric = false;
  for (let at = 0; at < name.length; at++) {
    const ch = name[at];
    const next = name[at + 1];
    if (isLabelCharacter(ch)) {
      labelLength++;
      if (labelLength > VALID_LABEL_LEN) return gripe(`hostname label too long: ${shown(name)}`);
      if (ch < '0' || ch > '9') nonNumeric = true;
    } else if (ch === '.') {
      if (labelLength === 0 || next === undefined) return gripe(`misplaced delimiter: ${shown(name)}`);
      labelLength = 0;
    } else if (ch === '-') {
      nonNumeric = true;
      labelLength++;
      if (labelLength === 1 || next === undefined || next === '.') return gripe(`misplaced hyphen: ${shown(name)}`);
    } else {
      return gripe(`invalid character ${name.charCodeAt(at)}(decimal): ${shown(name)}`);
    }
  }
  if (!nonNumeric) return gripe(`numeric hostname: ${shown(name)}`);
  if (name.length > VALID_HOSTNAME_LEN) return gripe(`bad length ${name.length} for ${shown(name)}...`);
  return { valid: true };
}

// Judged for every HELO and address: a character test and the warning, built only when one is
// needed, live outside validateHostname().
function isLabelCharacter(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch === '_';
}

function gripe(what: string): HostnameSyntax {
  return { valid: false, warning: `valid_hostname: ${what}` };
}

function shown(name: string): string {
  return printable(name.slice(0, 100));
}

/** isValidHostname - validateHostname() without the warning, for restrictions that only reject. */
export function isValidHostname(name: string): boolean {
  return validateHostname(name).valid;
}

/** isValidHostaddr - a bare IPv4 or IPv6 address; IPv4 octets may have leading zeros here. */
export function isValidHostaddr(addr: string): boolean {
  return addr.includes(':') ? isValidIpv6Hostaddr(addr) : isValidIpv4Hostaddr(addr);
}

/** isValidMailhostAddr - the inside of an address literal: `a.b.c.d` or `IPv6:...`. */
export function isValidMailhostAddr(addr: string): boolean {
  if (addr.slice(0, 5).toLowerCase() === 'ipv6:') return isValidIpv6Hostaddr(addr.slice(5));
  return isValidIpv4Hostaddr(addr);
}

/** stripTrailingDot - drop one trailing dot but not from `..` (Postfix's dup_if_truncate()). */
export function stripTrailingDot(name: string): string {
  if (name.length > 1 && name.endsWith('.') && name[name.length - 2] !== '.') return name.slice(0, -1);
  return name;
}

function isValidIpv4Hostaddr(addr: string): boolean {
  if (addr === '' || addr.startsWith('.')) return false;
  let inByte = false;
  let byteCount = 0;
  let byteValue = 0;
  for (let i = 0; i < addr.length; i++) {
    const ch = addr[i];
    if (ch >= '0' && ch <= '9') {
      if (!inByte) {
        inByte = true;
        byteValue = 0;
        byteCount++;
      }
      byteValue = byteValue * 10 + Number(ch);
      if (byteValue > 255) return false;
    } else if (ch === '.') {
      if (!inByte || i === addr.length - 1) return false;
      // Postfix allows 0.0.0.0 but not 0.1.2.3.
      if (byteCount === 1 && byteValue === 0 && /[^0.]/.test(addr)) return false;
      inByte = false;
    } else {
      return false;
    }
  }
  return byteCount === 4;
}

// XXX net.isIPv6() stands in for valid_ipv6_hostaddr(); both refuse what inet_pton() refuses.
function isValidIpv6Hostaddr(addr: string): boolean {
  return !addr.includes('%') && net.isIPv6(addr);
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}
