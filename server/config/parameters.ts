/**
 * The parameter registry: one entry per main.cf parameter the gateway knows, in the order of
 * spec/smtpd-parameters.md, then the Portcullis extensions. Zod schemas, console fields,
 * `postconf` and MainCf all derive from it. Restriction class names declared in
 * smtpd_restriction_classes are parameters too, but user-defined: MainCf adds them.
 * Exports: PARAMETERS, PARAMETER_GROUPS, ParameterGroup, getParameterDefinition.
 * Throws at import on a duplicate name (a bug in the tables).
 */
import type { ParameterDefinition } from './parameter-definition.ts';
import { IDENTITY_PARAMETERS } from './parameters/identity.ts';
import { SESSION_PARAMETERS } from './parameters/session.ts';
import { LIMIT_PARAMETERS } from './parameters/limits.ts';
import { RESTRICTION_LIST_PARAMETERS } from './parameters/restriction-lists.ts';
import { REJECT_CODE_PARAMETERS } from './parameters/reject-codes.ts';
import { CONTENT_INSPECTION_PARAMETERS } from './parameters/content-inspection.ts';
import { NOTIFICATION_PARAMETERS } from './parameters/notification.ts';
import { TLS_SASL_PARAMETERS } from './parameters/tls-sasl.ts';
import { QUEUE_DELIVERY_PARAMETERS } from './parameters/queue-delivery.ts';
import { PORTCULLIS_PARAMETERS } from './parameters/portcullis-extensions.ts';

export interface ParameterGroup {
  readonly title: string;                            // the section of spec/smtpd-parameters.md, for the console
  readonly parameters: readonly ParameterDefinition[];
}

/** PARAMETER_GROUPS - the registry by section, in the order of spec/smtpd-parameters.md. */
export const PARAMETER_GROUPS: readonly ParameterGroup[] = Object.freeze([
  { title: 'Identity and address classes', parameters: IDENTITY_PARAMETERS },
  { title: 'Session and protocol', parameters: SESSION_PARAMETERS },
  { title: 'Limits and error accounting', parameters: LIMIT_PARAMETERS },
  { title: 'Restriction lists', parameters: RESTRICTION_LIST_PARAMETERS },
  { title: 'Reject codes', parameters: REJECT_CODE_PARAMETERS },
  { title: 'Content inspection', parameters: CONTENT_INSPECTION_PARAMETERS },
  { title: 'Notification and logging', parameters: NOTIFICATION_PARAMETERS },
  { title: 'TLS and SASL', parameters: TLS_SASL_PARAMETERS },
  { title: 'Queue and delivery', parameters: QUEUE_DELIVERY_PARAMETERS },
  { title: 'Portcullis extensions', parameters: PORTCULLIS_PARAMETERS },
].map((g) => Object.freeze({ title: g.title, parameters: Object.freeze(g.parameters.map((p) => Object.freeze(p))) })));

export const PARAMETERS: readonly ParameterDefinition[] = Object.freeze(PARAMETER_GROUPS.flatMap((g) => g.parameters));

const BY_NAME = new Map<string, ParameterDefinition>();
for (const p of PARAMETERS) {
  if (BY_NAME.has(p.name)) throw new Error(`parameter registry: duplicate entry ${p.name}`);
  BY_NAME.set(p.name, p);
}

/** getParameterDefinition - the registry entry of a built-in parameter; undefined for any other name. */
export function getParameterDefinition(name: string): ParameterDefinition | undefined {
  return BY_NAME.get(name);
}
