/**
 * Registry: parameters Postfix does not have. Each help text says so, so the console and
 * `postconf` never pass them off as Postfix's.
 */
import type { ParameterDefinition } from '../parameter-definition.ts';

export const PORTCULLIS_PARAMETERS: readonly ParameterDefinition[] = [
  {
    name: 'dns_resolvers', type: 'resolver-list', default: '', stages: ['GLOBAL'],
    help: 'Portcullis extension: DNS servers to query (ip, ip:port, [ipv6]:port); empty = the system resolver.',
  },
  {
    name: 'dns_timeout', type: 'time', default: '5s', timeUnit: 's', min: 1, stages: ['GLOBAL'],
    help: 'Portcullis extension: limit for one DNS lookup; expiry is a temporary failure, never a pass.',
  },
  {
    name: 'transcript_retention_time', type: 'time', default: '30d', timeUnit: 'd', min: 0, stages: ['GLOBAL'],
    help: 'Portcullis extension: how long stored transcripts of sessions with a policy, protocol, resource or software violation are kept.',
  },
  {
    name: 'transcript_retention_limit', type: 'int', default: '10000', min: 0, stages: ['GLOBAL'],
    help: 'Portcullis extension: the most stored session transcripts kept; the oldest go first.',
  },
  {
    name: 'traffic_statistics_retention_time', type: 'time', default: '8d', timeUnit: 'd', min: 0, stages: ['GLOBAL'],
    help: 'Portcullis extension: how long the per-minute traffic counters of the console dashboard are kept.',
  },
  {
    name: 'metrics_allowed_networks', type: 'network-list', default: '127.0.0.0/8 [::1]/128', stages: ['GLOBAL'],
    help: 'Portcullis extension: clients that may read the Prometheus /metrics endpoint of the console without its token.',
  },
];
