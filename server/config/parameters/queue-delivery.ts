/**
 * Registry, spec/smtpd-parameters.md section 11: queue lifetimes, retry backoff and
 * transports on the gateway's delivery side. Lifetimes count in days when written without a
 * unit, delay_warning_time in hours, the rest in seconds.
 */
import type { ParameterDefinition } from '../parameter-definition.ts';

export const QUEUE_DELIVERY_PARAMETERS: readonly ParameterDefinition[] = [
  {
    name: 'maximal_queue_lifetime', type: 'time', default: '5d', timeUnit: 'd', min: 0, stages: ['QUEUE'],
    help: 'Age after which a message still deferred is bounced (0 = try once).',
  },
  {
    name: 'bounce_queue_lifetime', type: 'time', default: '5d', timeUnit: 'd', min: 0, stages: ['QUEUE'],
    help: 'maximal_queue_lifetime for bounce messages (null sender).',
  },
  {
    name: 'minimal_backoff_time', type: 'time', default: '300s', timeUnit: 's', min: 1, stages: ['QUEUE'],
    help: 'Least delay before retrying a deferred message; also how long a dead destination is remembered.',
  },
  {
    name: 'maximal_backoff_time', type: 'time', default: '4000s', timeUnit: 's', min: 1, stages: ['QUEUE'],
    help: 'Largest delay between retries (the delay doubles from minimal_backoff_time up to this).',
  },
  {
    name: 'queue_run_delay', type: 'time', default: '300s', timeUnit: 's', min: 1, stages: ['QUEUE'],
    help: 'How often the deferred queue is scanned.',
  },
  {
    name: 'delay_warning_time', type: 'time', default: '0h', timeUnit: 'h', min: 0, stages: ['QUEUE'],
    help: 'Warn the sender about mail still undelivered after this long (0 = never).',
  },
  {
    name: 'default_transport', type: 'text', default: 'smtp', nonEmpty: true, stages: ['QUEUE'],
    help: 'Transport (transport:nexthop) for remote destinations without a transport_maps entry.',
  },
  {
    name: 'relay_transport', type: 'text', default: 'relay', nonEmpty: true, stages: ['QUEUE'],
    help: 'Transport for relay_domains destinations without a transport_maps entry.',
  },
];
