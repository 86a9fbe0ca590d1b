/**
 * Registry, spec/smtpd-parameters.md section 9: postmaster notices, debug logging,
 * soft_bounce and command_directory.
 */
import type { ParameterDefinition } from '../parameter-definition.ts';

export const NOTIFICATION_PARAMETERS: readonly ParameterDefinition[] = [
  {
    name: 'notify_classes', type: 'list', default: 'resource, software', stages: ['SESSION'],
    values: ['bounce', '2bounce', 'data', 'delay', 'policy', 'protocol', 'resource', 'software'],
    help: 'Problems the postmaster is told about: bounce, 2bounce, data, delay, policy, protocol, resource, software.',
  },
  {
    name: 'error_notice_recipient', type: 'address', default: 'postmaster', stages: ['SESSION'], nonEmpty: true,
    help: 'Recipient of policy, protocol, resource, software and data notices (unqualified: @$myorigin).',
  },
  {
    name: 'bounce_notice_recipient', type: 'address', default: 'postmaster', stages: ['SESSION'], nonEmpty: true,
    help: 'Recipient of bounce-class notices, smtpd transcripts of bounce-class rejects included.',
  },
  {
    name: '2bounce_notice_recipient', type: 'address', default: 'postmaster', stages: ['QUEUE'], nonEmpty: true,
    help: 'Recipient of undeliverable bounces (2bounce class).',
  },
  {
    name: 'delay_notice_recipient', type: 'address', default: 'postmaster', stages: ['QUEUE'], nonEmpty: true,
    help: 'Recipient of delayed-mail notices (delay class).',
  },
  {
    name: 'debug_peer_list', type: 'network-list', default: '', stages: ['SESSION'],
    help: 'Clients (or next hops) whose sessions are logged more verbosely.',
  },
  {
    name: 'debug_peer_level', type: 'int', default: '2', min: 1, stages: ['SESSION'],
    help: 'How much verbosity rises for debug_peer_list matches.',
  },
  {
    name: 'soft_bounce', type: 'bool', default: 'no', stages: ['SESSION', 'QUEUE'],
    help: 'Safety net for testing: every 5xx reply becomes 4xx (code and DSN) and no mail bounces.',
  },
  {
    name: 'command_directory', type: 'path', default: '/usr/sbin', stages: ['GLOBAL'], nonEmpty: true,
    help: 'Location of the Postfix administration commands; shown for compatibility only.',
  },
];
