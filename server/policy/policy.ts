/**
 * The compiled policy snapshot: every restriction list pre-parsed, the reply codes, the
 * network and domain lists, frozen once built (design.md "Policy: stored, compiled,
 * swapped"). compile-policy.ts builds it; smtpd-check.ts evaluates it without parsing.
 * Exports: RESTRICTION_LIST_PARAMETERS, RestrictionListParameter, REPLY_CODE_PARAMETERS,
 * ReplyCodeParameter, RestrictionStep, RestrictionList, Policy.
 */
import type { AddressResolution } from './resolve-address.ts';
import type { DomainList } from './domain-list.ts';
import type { NetworkList } from './network-list.ts';
import type { OwnInetAddresses } from './own-inet-addresses.ts';
import type { RestrictionEntry } from './restriction.ts';
import type { LookupTable } from '../maps/lookup-table.ts';
import type { AccessKeyOptions } from '../maps/access-key-order.ts';

/** UnlistedRecipientCheck - the recipient tables of each address class (null: no check for that class). */
export interface UnlistedRecipientCheck {
  readonly implicit: boolean;                        // smtpd_reject_unlisted_recipient
  readonly implicitSender: boolean;                  // smtpd_reject_unlisted_sender
  readonly local: readonly LookupTable[] | null;     // local_recipient_maps
  readonly relay: readonly LookupTable[] | null;     // relay_recipient_maps
  readonly virtual: readonly LookupTable[] | null;   // virtual_mailbox_maps
  readonly alias: readonly LookupTable[] | null;     // virtual_alias_maps
}

/** RESTRICTION_LIST_PARAMETERS - the smtpd_*_restrictions lists, in stage order. */
export const RESTRICTION_LIST_PARAMETERS = [
  'smtpd_client_restrictions',
  'smtpd_helo_restrictions',
  'smtpd_sender_restrictions',
  'smtpd_relay_restrictions',
  'smtpd_recipient_restrictions',
  'smtpd_etrn_restrictions',
  'smtpd_data_restrictions',
  'smtpd_end_of_data_restrictions',
] as const;

export type RestrictionListParameter = (typeof RESTRICTION_LIST_PARAMETERS)[number];

/** REPLY_CODE_PARAMETERS - the *_reject_code family (spec/smtpd-parameters.md section 7). */
export const REPLY_CODE_PARAMETERS = [
  'reject_code',
  'defer_code',
  'access_map_reject_code',
  'access_map_defer_code',
  'relay_domains_reject_code',
  'invalid_hostname_reject_code',
  'unknown_hostname_reject_code',
  'unknown_client_reject_code',
  'unknown_address_reject_code',
  'maps_rbl_reject_code',
  'non_fqdn_reject_code',
  'multi_recipient_bounce_reject_code',
  'plaintext_reject_code',
  'unknown_local_recipient_reject_code',
  'unknown_relay_recipient_reject_code',
  'unknown_virtual_alias_reject_code',
  'unknown_virtual_mailbox_reject_code',
  'unverified_sender_reject_code',
  'unverified_recipient_reject_code',
  'unverified_sender_defer_code',
  'unverified_recipient_defer_code',
] as const;

export type ReplyCodeParameter = (typeof REPLY_CODE_PARAMETERS)[number];

/** RestrictionStep - one step of a list: a restriction (and its argument), a class, or a table. */
export interface RestrictionStep {
  readonly parameter: string;        // the parameter it is written in (a list or a class)
  readonly index: number;            // 1-based position among that parameter's steps
  readonly name: string;             // the word as written (logs keep its spelling)
  readonly argument: string | null;  // the next word, for restrictions that take one
  readonly target:
    | { readonly kind: 'restriction'; readonly entry: RestrictionEntry }
    | { readonly kind: 'class'; readonly className: string } // smtpd_restriction_classes member
    | { readonly kind: 'access-table' }                      // bare `type:table`: check_<list>_access
    | { readonly kind: 'unknown' };                          // answers 451 4.3.5 when reached
}

export interface RestrictionList {
  readonly parameter: string; // main.cf name of the list or class
  readonly steps: readonly RestrictionStep[];
}

export interface Policy {
  readonly restrictionLists: Readonly<Record<RestrictionListParameter, RestrictionList>>;
  readonly tables: ReadonlyMap<string, LookupTable>;     // every table a step names, by `type:name` as written
  readonly accessKeyOptions: AccessKeyOptions;           // smtpd_access_maps parent matching, recipient_delimiter, ...
  readonly restrictionClassNames: ReadonlySet<string>;   // smtpd_restriction_classes, for access-table results
  readonly dnsLists: {
    readonly defaultRblReply: string;                    // default_rbl_reply (unexpanded: $rbl_* are per request)
    readonly rblReplyMaps: readonly LookupTable[];       // rbl_reply_maps
    readonly mapsRblDomains: readonly string[];          // maps_rbl_domains, for reject_maps_rbl
  };
  readonly permitMxBackupNetworks: NetworkList;          // permit_mx_backup_networks
  readonly unknownHeloHostnameTempfailAction: 'defer' | 'defer_if_permit';
  readonly unknownAddressTempfailAction: 'defer' | 'defer_if_permit';
  readonly unlistedRecipient: UnlistedRecipientCheck;
  readonly relayClientcerts: readonly LookupTable[];     // relay_clientcerts, for permit_tls_clientcerts
  readonly senderLogin: {
    readonly saslEnabled: boolean;                       // smtpd_sasl_auth_enable
    readonly maps: readonly LookupTable[];               // smtpd_sender_login_maps
  };   // smtpd_reject_unlisted_recipient and reject_unlisted_recipient
  readonly restrictionClasses: Readonly<Record<string, RestrictionList>>; // by class name, case-sensitive as in Postfix
  readonly replyCodes: Readonly<Record<ReplyCodeParameter, number>>;  // as configured; range checked when used
  readonly smtpdDelayReject: boolean;                     // smtpd_delay_reject
  readonly smtpdRelayBeforeRecipientRestrictions: boolean; // smtpd_relay_before_recipient_restrictions
  readonly allowUntrustedRouting: boolean;                // allow_untrusted_routing
  readonly mynetworks: NetworkList;
  readonly relayDomains: DomainList;                      // also in addressResolution; check_relay_domains matches client names
  readonly ownInetAddresses: OwnInetAddresses;            // inet_interfaces, proxy_interfaces
  readonly addressResolution: AddressResolution;          // mydestination, relay_domains, virtual domains, myorigin
  readonly smtpdLogAccessPermitActions: 'all' | readonly string[]; // lowercased action names; 'all' for static:all
}
