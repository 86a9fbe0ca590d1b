/**
 * The shape of one registry entry: a main.cf parameter with its type, its Postfix 3.7.11
 * default and the stages it acts in, as Postfix pairs VAR_ and DEF_ in mail_params.h.
 * Exports: PARAMETER_TYPES, ParameterType, TimeUnit, SECONDS_PER_UNIT, ParameterDefinition.
 */
import type { SmtpStage } from './smtp-stage.ts';

/**
 * PARAMETER_TYPES - value syntaxes, from spec/smtpd-parameters.md "Types". Scalar types are
 * checked by validate-parameter.ts; list types are split as Postfix lists; a 'template' is
 * never $-expanded by the registry (Postfix's raw parameters: default_rbl_reply,
 * smtpd_reject_footer) because its user expands it with its own variables.
 */
export const PARAMETER_TYPES = [
  'bool',             // yes or no, any case
  'int',              // decimal integer
  'size',             // decimal number of bytes
  'time',             // number with optional unit s m h d w; see timeUnit
  'code',             // SMTP reply code 4xx or 5xx
  'level',            // compatibility level: major[.minor[.patch]]
  'enum',             // one of values
  'text',             // free text
  'template',         // text expanded at use time with the user's own $variables
  'path',             // file or directory name
  'hostname',         // one host name
  'domain',           // one domain name
  'address',          // one mail address (may be unqualified)
  'list',             // items separated by commas and/or whitespace; values limits the items
  'domain-list',      // domains, /file/name, type:table
  'network-list',     // addresses, networks, /file/name, type:table, host names
  'restriction-list', // restrictions.md; checked by the policy compiler, not here
  'maps',             // type:table lookup tables
  'resolver-list',    // DNS servers: ip, ip:port, [ipv6]:port (Portcullis)
] as const;

export type ParameterType = (typeof PARAMETER_TYPES)[number];

export type TimeUnit = 's' | 'm' | 'h' | 'd' | 'w';

/** SECONDS_PER_UNIT - what one of each time unit is worth (Postfix's conv_time()). */
export const SECONDS_PER_UNIT: Readonly<Record<TimeUnit, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

export interface ParameterDefinition {
  name: string;               // main.cf name
  type: ParameterType;
  default: string;            // what `postconf -d` prints on Postfix 3.7.11 (compatibility_level >= 3.6)
  stages: readonly SmtpStage[];
  help: string;               // one line
  timeUnit?: TimeUnit;        // unit of a time value written without one
  values?: readonly string[]; // enum choices, or the items a list may hold (any case)
  min?: number;               // smallest int/size/code; for time, in seconds
  max?: number;               // largest int/size/code
  nonEmpty?: true;            // Postfix refuses an empty value ("bad string length 0 < 1")
  computed?: true;            // default computed from this host (myhostname, mydomain, mynetworks)
}
