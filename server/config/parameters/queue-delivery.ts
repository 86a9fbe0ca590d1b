/**
 * Registry, spec/smtpd-parameters.md section 11: queue lifetimes, retry backoff and
 * transports on the gateway's delivery side, with qmgr's per-destination concurrency and
 * recipient limits and the smtp/lmtp connection cache. Lifetimes count in days when written
 * without a unit, delay_warning_time in hours, the rest in seconds.
 */
import type { ParameterDefinition } from '../parameter-definition.ts';

/** The transports with their own <transport>_destination_* parameters, as in Postfix's master.cf. */
export const LIMITED_TRANSPORTS = ['smtp', 'relay', 'lmtp'] as const;
// The transports with a connection cache (smtp_connection_cache_on_demand ...).
const CACHING_TRANSPORTS = ['smtp', 'lmtp'] as const;

// Each of a transport's limits defaults to the default_ one, as `postconf -d` shows them.
function destinationLimits(transport: string): ParameterDefinition[] {
  return ['concurrency_limit', 'concurrency_failed_cohort_limit', 'recipient_limit'].map((limit) => ({
    name: `${transport}_destination_${limit}`, type: 'int', default: `$default_destination_${limit}`, min: 0, stages: ['QUEUE'],
    help: `default_destination_${limit} for the ${transport} transport.`,
  }));
}

function connectionCache(transport: string): ParameterDefinition[] {
  const protocol = transport.toUpperCase();
  return [
    {
      name: `${transport}_connection_cache_on_demand`, type: 'bool', default: 'yes', stages: ['QUEUE'],
      help: `Keep ${protocol} sessions open (after RSET) for the next message to the same next hop.`,
    },
    {
      name: `${transport}_connection_cache_time_limit`, type: 'time', default: '2s', timeUnit: 's', min: 1, stages: ['QUEUE'],
      help: `How long an idle cached ${protocol} session waits for its next message before it is closed.`,
    },
    {
      name: `${transport}_connection_reuse_count_limit`, type: 'int', default: '0', min: 0, stages: ['QUEUE'],
      help: `Most transactions over one cached ${protocol} session (0 = no limit; the time limit still applies).`,
    },
    {
      name: `${transport}_connection_reuse_time_limit`, type: 'time', default: '300s', timeUnit: 's', min: 1, stages: ['QUEUE'],
      help: `Age after which a ${protocol} session is not reused any more, however often it was used.`,
    },
  ];
}

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
  {
    name: 'default_destination_concurrency_limit', type: 'int', default: '20', min: 0, stages: ['QUEUE'],
    help: 'Most parallel deliveries to one destination, for transports without their own limit.',
  },
  {
    name: 'initial_destination_concurrency', type: 'int', default: '5', min: 1, stages: ['QUEUE'],
    help: 'Parallel deliveries to a destination at first; grows by one per success, shrinks per failure.',
  },
  {
    name: 'default_destination_concurrency_failed_cohort_limit', type: 'int', default: '1', min: 0, stages: ['QUEUE'],
    help: 'Failed pseudo-cohorts (a whole concurrency window failing) after which a destination is dead.',
  },
  {
    name: 'default_destination_recipient_limit', type: 'int', default: '50', min: 0, stages: ['QUEUE'],
    help: 'Most recipients per delivery request to one destination (0 = no limit).',
  },
  ...LIMITED_TRANSPORTS.flatMap(destinationLimits),
  ...CACHING_TRANSPORTS.flatMap(connectionCache),
];
