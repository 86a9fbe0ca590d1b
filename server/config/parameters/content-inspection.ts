/**
 * Registry, spec/smtpd-parameters.md section 8 and header-body-checks.md section 7: content
 * inspection tables, MIME processing, always_bcc, and the delivery-side smtp_*_checks.
 * header_size_limit and body_checks_size_limit are with the resource limits (limits.ts).
 */
import type { ParameterDefinition } from '../parameter-definition.ts';

export const CONTENT_INSPECTION_PARAMETERS: readonly ParameterDefinition[] = [
  {
    name: 'header_checks', type: 'maps', default: '', stages: ['CONTENT'],
    help: 'Rules for each logical header of the top-level header block (regexp: or pcre: tables).',
  },
  {
    name: 'mime_header_checks', type: 'maps', default: '$header_checks', stages: ['CONTENT'],
    help: 'Rules for MIME headers (Content-*, MIME-Version) anywhere in the message.',
  },
  {
    name: 'nested_header_checks', type: 'maps', default: '$header_checks', stages: ['CONTENT'],
    help: 'Rules for the headers of attached message/rfc822 parts.',
  },
  {
    name: 'body_checks', type: 'maps', default: '', stages: ['CONTENT'],
    help: 'Rules for each body line (the first body_checks_size_limit bytes of each part).',
  },
  {
    name: 'disable_mime_input_processing', type: 'bool', default: 'no', stages: ['CONTENT'],
    help: 'No MIME parsing: top-level headers go to header_checks, everything else to body_checks.',
  },
  {
    name: 'always_bcc', type: 'address', default: '', stages: ['CONTENT'],
    help: 'Extra envelope recipient (NOTIFY=NONE) of every message accepted, not of the system\'s own notices.',
  },
  {
    name: 'content_filter', type: 'text', default: '', stages: ['QUEUE'],
    help: 'transport:destination every accepted message is routed through; an access-table FILTER overrides it.',
  },
  {
    name: 'smtp_header_checks', type: 'maps', default: '', stages: ['QUEUE'],
    help: 'Header rules applied on delivery by the SMTP client, not by smtpd.',
  },
  {
    name: 'smtp_body_checks', type: 'maps', default: '', stages: ['QUEUE'],
    help: 'Body rules applied on delivery by the SMTP client, not by smtpd.',
  },
];
