/**
 * Registry, spec/smtpd-parameters.md section 1: identity and address classes (myhostname,
 * mydomain, mynetworks, relay_domains, the recipient maps and the address-class domain lists).
 * myhostname, mydomain and mynetworks have computed defaults: the values here are what
 * `postconf -d` prints on this host; main-cf.ts recomputes them against changed values.
 * Also holds alias_maps and the virtual_* parameters that section 1 defaults and
 * restrictions.md (permit_auth_destination, unknown recipients) refer to.
 */
import type { ParameterDefinition } from '../parameter-definition.ts';
import { readHostFacts } from '../host-facts.ts';
import { defaultMydomain, defaultMyhostname } from '../myhostname-default.ts';
import { defaultMynetworks } from '../mynetworks-default.ts';

const host = readHostFacts();
const myhostname = defaultMyhostname(host.hostname);

export const IDENTITY_PARAMETERS: readonly ParameterDefinition[] = [
  {
    name: 'myhostname', type: 'hostname', default: myhostname, stages: ['GLOBAL'], nonEmpty: true, computed: true,
    help: 'Internet host name of this gateway: banner, EHLO reply, 421 texts, Received: by; default: the OS name (+ .$mydomain or .localdomain when it has no dot).',
  },
  {
    name: 'mydomain', type: 'domain', default: defaultMydomain(myhostname), stages: ['GLOBAL'], nonEmpty: true, computed: true,
    help: 'Parent domain of this host, used to build other defaults; default: $myhostname minus its first label, else localdomain.',
  },
  {
    name: 'myorigin', type: 'domain', default: '$myhostname', stages: ['GLOBAL'], nonEmpty: true,
    help: 'Domain appended to unqualified envelope addresses from clients and to addresses in mail this system generates.',
  },
  {
    name: 'mydestination', type: 'domain-list', default: '$myhostname, localhost.$mydomain, localhost', stages: ['RCPT'],
    help: 'Domains this system is the final destination for (local class); recipients are checked against local_recipient_maps.',
  },
  {
    name: 'inet_interfaces', type: 'list', default: 'all', stages: ['CONNECT'],
    help: 'Addresses the SMTP listener binds (all, loopback-only or addresses); also "my own address" for user@[ip] and MX checks; needs a restart.',
  },
  {
    name: 'inet_protocols', type: 'list', default: 'all', stages: ['GLOBAL'], values: ['all', 'ipv4', 'ipv6'],
    help: 'Address families for listening and DNS lookups: all, ipv4, ipv6.',
  },
  {
    name: 'proxy_interfaces', type: 'list', default: '', stages: ['RCPT'],
    help: 'Extra addresses (NAT or proxy front ends) that count as this host\'s own but are not bound.',
  },
  {
    name: 'mynetworks', type: 'network-list', default: defaultMynetworks(host, { mynetworksStyle: 'host', inetInterfaces: ['all'], inetProtocols: ['all'] }), stages: ['RCPT'], computed: true,
    help: 'Trusted clients for permit_mynetworks; IPv6 in [brackets]; default computed from mynetworks_style (host: this machine\'s own addresses).',
  },
  {
    name: 'mynetworks_style', type: 'enum', default: 'host', stages: ['GLOBAL'], values: ['host', 'subnet', 'class'], nonEmpty: true,
    help: 'How the mynetworks default is computed: host (own addresses), subnet (own subnets) or class (whole class A/B/C networks, dangerous).',
  },
  {
    name: 'relay_domains', type: 'domain-list', default: '', stages: ['RCPT'],
    help: 'Remote domains (and their subdomains) this gateway relays to from anyone; checked against relay_recipient_maps.',
  },
  {
    name: 'relay_recipient_maps', type: 'maps', default: '', stages: ['RCPT'],
    help: 'Valid recipients in relay_domains; empty accepts every address there, otherwise unknown ones get unknown_relay_recipient_reject_code.',
  },
  {
    name: 'local_recipient_maps', type: 'maps', default: 'proxy:unix:passwd.byname $alias_maps', stages: ['RCPT'],
    help: 'Valid recipients in mydestination; an empty value disables the check.',
  },
  {
    name: 'alias_maps', type: 'maps', default: 'hash:/etc/aliases, nis:mail.aliases', stages: ['RCPT'],
    help: 'Alias tables of local delivery; part of the local_recipient_maps default.',
  },
  {
    name: 'virtual_alias_domains', type: 'domain-list', default: '$virtual_alias_maps', stages: ['RCPT'],
    help: 'Domains whose every address is an alias in virtual_alias_maps; authorized destinations for permit_auth_destination.',
  },
  {
    name: 'virtual_alias_maps', type: 'maps', default: '$virtual_maps', stages: ['RCPT'],
    help: 'Alias tables for virtual alias domains; unknown users there get unknown_virtual_alias_reject_code.',
  },
  {
    name: 'virtual_mailbox_domains', type: 'domain-list', default: '$virtual_mailbox_maps', stages: ['RCPT'],
    help: 'Final destinations served by virtual mailboxes; authorized destinations for permit_auth_destination.',
  },
  {
    name: 'virtual_mailbox_maps', type: 'maps', default: '', stages: ['RCPT'],
    help: 'Valid recipients in virtual_mailbox_domains; unknown users there get unknown_virtual_mailbox_reject_code.',
  },
  {
    name: 'parent_domain_matches_subdomains', type: 'list', stages: ['SESSION'],
    default: 'debug_peer_list,fast_flush_domains,mynetworks,permit_mx_backup_networks,qmqpd_authorized_clients,relay_domains,smtpd_access_maps',
    help: 'Features where a pattern example.com also matches its subdomains (smtpd_access_maps: access tables); others need .example.com.',
  },
  {
    name: 'recipient_delimiter', type: 'text', default: '', stages: ['RCPT'],
    help: 'Separator(s) of address extensions (user+ext); enables the address-without-extension lookup in access tables.',
  },
  {
    name: 'allow_untrusted_routing', type: 'bool', default: 'no', stages: ['RCPT'],
    help: 'With no, recipients with sender-specified routing (user@x@y, user%x@y, x!user@y) are never authorized destinations.',
  },
  {
    name: 'relayhost', type: 'list', default: '', stages: ['QUEUE'],
    help: 'Next hop(s) for non-local mail instead of the recipient domain\'s MX: domain, host:port, [host]:port ([] = no MX lookup).',
  },
  {
    name: 'transport_maps', type: 'maps', default: '', stages: ['QUEUE'],
    help: 'Per-domain or per-address transport:nexthop choice; subdomains need .example.com entries.',
  },
  {
    name: 'fast_flush_domains', type: 'domain-list', default: '$relay_domains', stages: ['ETRN'],
    help: 'Destinations whose deferred mail ETRN may flush; ETRN for others gets 459.',
  },
  {
    name: 'compatibility_level', type: 'level', default: '3.6', stages: ['GLOBAL'],
    help: 'Postfix compatibility level; Portcullis always uses the level 3.6 defaults ([cl] values), whatever this says.',
  },
];
