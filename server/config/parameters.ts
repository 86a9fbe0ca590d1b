/**
 * The parameter registry: one entry per main.cf parameter the gateway knows, in the order of
 * spec/smtpd-parameters.md, then the Portcullis extensions. Zod schemas, console fields,
 * `postconf` and MainCf all derive from it. Restriction class names declared in
 * smtpd_restriction_classes are parameters too, but user-defined: MainCf adds them.
 * Exports: PARAMETERS, getParameterDefinition.
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

export const PARAMETERS: readonly ParameterDefinition[] = Object.freeze([
  ...IDENTITY_PARAMETERS,
  ...SESSION_PARAMETERS,
  ...LIMIT_PARAMETERS,
  ...RESTRICTION_LIST_PARAMETERS,
  ...REJECT_CODE_PARAMETERS,
  ...CONTENT_INSPECTION_PARAMETERS,
  ...NOTIFICATION_PARAMETERS,
  ...TLS_SASL_PARAMETERS,
  ...QUEUE_DELIVERY_PARAMETERS,
  ...PORTCULLIS_PARAMETERS,
].map((p) => Object.freeze(p)));

const BY_NAME = new Map<string, ParameterDefinition>();
for (const p of PARAMETERS) {
  if (BY_NAME.has(p.name)) throw new Error(`parameter registry: duplicate entry ${p.name}`);
  BY_NAME.set(p.name, p);
}

/** getParameterDefinition - the registry entry of a built-in parameter; undefined for any other name. */
export function getParameterDefinition(name: string): ParameterDefinition | undefined {
  return BY_NAME.get(name);
}
