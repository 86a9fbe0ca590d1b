/**
 * The policy compiler: reads every parameter the SMTP policy needs and builds one frozen
 * Policy snapshot, or refuses with errors naming the parameter, the step and the reason, as
 * Postfix's smtpd_check_init() refuses to start (design.md "Policy: stored, compiled,
 * swapped"; spec/restrictions.md sections 6 and 11).
 * Exports: CompileOptions, PolicyCompilation, compilePolicy (and the Policy type, for callers),
 * listStages.
 * Reads: smtpd_{client,helo,sender,relay,recipient,etrn,data,end_of_data}_restrictions,
 * smtpd_restriction_classes and each class, the *_reject_code family, smtpd_delay_reject,
 * smtpd_relay_before_recipient_restrictions, allow_untrusted_routing, mynetworks,
 * relay_domains, mydestination, virtual_alias_domains, virtual_mailbox_domains,
 * inet_interfaces, proxy_interfaces, inet_protocols, parent_domain_matches_subdomains,
 * myorigin, myhostname, smtpd_log_access_permit_actions.
 * Errors: bad booleans or numbers, missing or malformed restriction arguments, undefined or
 * recursive classes, no relay guard, bad network or domain list items. Warnings: what
 * Postfix would only discover per request (unknown names answer 451 4.3.5), codes outside
 * 400..599, steps that never run or never see their data.
 */
import {
  REPLY_CODE_PARAMETERS,
  RESTRICTION_LIST_PARAMETERS,
  type Policy,
  type ReplyCodeParameter,
  type RestrictionList,
  type RestrictionListParameter,
} from './policy.ts';
import type { PolicyParameters } from './policy-parameters.ts';
import type { SmtpdStage } from './smtpd-stage.ts';
import { parseDomainList, type DomainList, type DomainMatch } from './domain-list.ts';
import { parseNetworkList } from './network-list.ts';
import { listMachineAddresses, parseOwnInetAddresses } from './own-inet-addresses.ts';
import { parseRestrictionList } from './parse-restriction-list.ts';
import { splitList } from '../config/parameter-list.ts';
import { findRestriction } from './restriction-table.ts';
import type { LookupTable } from '../maps/lookup-table.ts';
import { createTableCatalog, type TableCatalog } from '../maps/table-catalog.ts';
import { DEFAULT_ACCESS_KEY_OPTIONS, type AccessKeyOptions } from '../maps/access-key-order.ts';

export interface CompileOptions {
  readonly machineAddresses?: readonly string[]; // what `inet_interfaces = all` means; default: this machine's
  readonly tables?: TableCatalog;                // where `type:name` tables come from; default: inline tables only
  // Saving or importing: unknown restriction names and steps that can never see their data are
  // refused, where a running Postfix would only answer 451 4.3.5 or skip them.
  readonly strict?: boolean;
  // The registry default of local_recipient_maps: that exact value may fail to open (it names
  // the UNIX password file), and then turns the check off instead of refusing the snapshot.
  readonly localRecipientMapsDefault?: string;
}

export type PolicyCompilation =
  | { ok: true; policy: Policy; warnings: string[] }
  | { ok: false; errors: string[]; warnings: string[] };

export type { Policy } from './policy.ts';

// smtpd_check_init()'s rcpt_required[]: relay control must be one of these.
const RELAY_GUARDS = [
  'reject_unauth_destination',
  'defer_unauth_destination',
  'reject',
  'defer',
  'defer_if_permit',
  'check_relay_domains',
];

/** compilePolicy - build the frozen snapshot; nothing is half-built when it refuses. */
export function compilePolicy(params: PolicyParameters, options: CompileOptions = {}): PolicyCompilation {
  const errors: string[] = [];
  const warnings: string[] = [];
  const catalog = options.tables ?? createTableCatalog(null);
  const strict = options.strict ?? false;
  // In strict mode a warning about a step that cannot work is an error.
  const stepProblems = (found: readonly string[], kind: 'unknown' | 'deaf'): void => {
    for (const text of found) (strict && (kind === 'deaf' || / unknown smtpd restriction;/.test(text)) ? errors : warnings).push(text);
  };

  const smtpdDelayReject = readBoolean(params, 'smtpd_delay_reject', errors);
  const smtpdRelayBeforeRecipientRestrictions = readBoolean(params, 'smtpd_relay_before_recipient_restrictions', errors);
  const allowUntrustedRouting = readBoolean(params, 'allow_untrusted_routing', errors);
  const replyCodes = readReplyCodes(params, errors, warnings);

  // Restriction classes, then the lists that may use them.
  const classNames = new Set(splitList(params.get('smtpd_restriction_classes')));
  const restrictionClasses: Record<string, RestrictionList> = Object.create(null);
  for (const className of classNames) {
    const definition = params.get(className);
    if (definition.trim() === '') {
      errors.push(`restriction class \`${className}' needs a definition`);
      continue;
    }
    if (findRestriction(className) !== undefined) {
      warnings.push(`restriction class \`${className}' is never used: a built-in restriction has that name`);
    }
    const parsed = parseRestrictionList(className, definition, classNames);
    restrictionClasses[className] = parsed.list;
    errors.push(...parsed.errors);
    stepProblems(parsed.warnings, 'unknown');
  }
  const restrictionLists = {} as Record<RestrictionListParameter, RestrictionList>;
  for (const parameter of RESTRICTION_LIST_PARAMETERS) {
    const parsed = parseRestrictionList(parameter, params.get(parameter), classNames);
    restrictionLists[parameter] = parsed.list;
    errors.push(...parsed.errors);
    stepProblems(parsed.warnings, 'unknown');
    if (smtpdDelayReject !== null) stepProblems(findDeafSteps(parsed.list, listStages(parameter, smtpdDelayReject)), 'deaf');
  }
  const tables = openStepTables([...Object.values(restrictionLists), ...Object.values(restrictionClasses)], catalog, errors, warnings);

  const cycles = findClassCycles(restrictionClasses);
  errors.push(...cycles);
  if (
    cycles.length === 0 &&
    !hasRelayGuard(restrictionLists.smtpd_recipient_restrictions, restrictionClasses) &&
    !hasRelayGuard(restrictionLists.smtpd_relay_restrictions, restrictionClasses)
  ) {
    errors.push(
      'in parameter smtpd_relay_restrictions or smtpd_recipient_restrictions, specify at least one working instance of: ' +
        'reject_unauth_destination, defer_unauth_destination, reject, defer, defer_if_permit or check_relay_domains',
    );
  }

  // Networks, domains and our own addresses.
  const parentMatches = new Set(splitList(params.get('parent_domain_matches_subdomains').toLowerCase()));
  const mynetworks = take(parseNetworkList('mynetworks', params.get('mynetworks'), parentMatches.has('mynetworks'), catalog), errors);
  const domainList = (parameter: string, match: DomainMatch): DomainList | null =>
    take(parseDomainList(parameter, params.get(parameter), match, catalog), errors);
  const relayDomains = domainList('relay_domains', parentMatches.has('relay_domains') ? 'parent' : 'dot');
  const mydestination = domainList('mydestination', 'exact');
  const virtualAliasDomains = domainList('virtual_alias_domains', 'exact');
  const virtualMailboxDomains = domainList('virtual_mailbox_domains', 'exact');
  const ownParse = parseOwnInetAddresses(
    params.get('inet_interfaces'),
    params.get('proxy_interfaces'),
    params.get('inet_protocols'),
    options.machineAddresses ?? listMachineAddresses(),
  );
  if (!ownParse.ok) errors.push(...ownParse.errors);
  const ownInetAddresses = ownParse.ok ? ownParse.addresses : null;
  const smtpdLogAccessPermitActions = readPermitActions(params, errors);
  const openMaps = (parameter: string): LookupTable[] | null => readMaps(parameter, params.get(parameter), catalog, errors, warnings);
  const rblReplyMaps = openMaps('rbl_reply_maps');
  const permitMxBackupNetworks = take(parseNetworkList('permit_mx_backup_networks', params.get('permit_mx_backup_networks'),
    parentMatches.has('permit_mx_backup_networks'), catalog), errors);
  const unknownHeloHostnameTempfailAction = readTempfailAction(params, 'unknown_helo_hostname_tempfail_action', errors);
  const unknownAddressTempfailAction = readTempfailAction(params, 'unknown_address_tempfail_action', errors);
  const implicitUnlisted = readBoolean(params, 'smtpd_reject_unlisted_recipient', errors);
  const implicitUnlistedSender = readBoolean(params, 'smtpd_reject_unlisted_sender', errors);
  const recipientMaps = (parameter: string, defaultValue?: string): LookupTable[] | null => {
    const value = params.get(parameter);
    if (value.trim() === '') return null;
    // Postfix's own default (the UNIX password file and /etc/aliases) names nothing an appliance
    // has: without an explicit table, local recipients are not checked.
    if (defaultValue !== undefined && params.get(parameter) === defaultValue) {
      const quiet: string[] = [];
      const tables = readMaps(parameter, value, catalog, quiet, quiet);
      if (tables === null) warnings.push(`${parameter} = ${value} cannot be opened here; unknown local recipients are not rejected`);
      return tables;
    }
    return readMaps(parameter, value, catalog, errors, warnings);
  };
  const senderLoginMaps = openMaps('smtpd_sender_login_maps');
  const relayClientcerts = openMaps('relay_clientcerts');
  const saslEnabled = readBoolean(params, 'smtpd_sasl_auth_enable', errors);
  if (saslEnabled === false) {
    for (const list of [...Object.values(restrictionLists), ...Object.values(restrictionClasses)]) {
      for (const step of list.steps) {
        if (/sender_login_mismatch$/i.test(step.name)) {
          warnings.push(`in parameter ${list.parameter}, step ${step.index} "${step.name}": ignored: smtpd_sasl_auth_enable = no`);
        }
      }
    }
  }
  const unlistedRecipient = {
    implicit: implicitUnlisted ?? true,
    implicitSender: implicitUnlistedSender ?? false,
    local: recipientMaps('local_recipient_maps', options.localRecipientMapsDefault),
    relay: recipientMaps('relay_recipient_maps'),
    virtual: recipientMaps('virtual_mailbox_maps'),
    alias: recipientMaps('virtual_alias_maps'),
  };

  if (
    errors.length > 0 ||
    smtpdDelayReject === null ||
    smtpdRelayBeforeRecipientRestrictions === null ||
    allowUntrustedRouting === null ||
    replyCodes === null ||
    mynetworks === null ||
    relayDomains === null ||
    mydestination === null ||
    virtualAliasDomains === null ||
    virtualMailboxDomains === null ||
    ownInetAddresses === null ||
    smtpdLogAccessPermitActions === null ||
    rblReplyMaps === null ||
    senderLoginMaps === null ||
    relayClientcerts === null ||
    saslEnabled === null ||
    permitMxBackupNetworks === null ||
    unknownHeloHostnameTempfailAction === null ||
    unknownAddressTempfailAction === null
  ) {
    return { ok: false, errors, warnings };
  }

  const accessKeyOptions: AccessKeyOptions = {
    parentDomainMatches: parentMatches.has('smtpd_access_maps'),
    recipientDelimiter: params.get('recipient_delimiter'),
    nullAccessLookupKey: params.get('smtpd_null_access_lookup_key') || DEFAULT_ACCESS_KEY_OPTIONS.nullAccessLookupKey,
    doubleBounceSender: params.get('double_bounce_sender') || DEFAULT_ACCESS_KEY_OPTIONS.doubleBounceSender,
  };
  const policy: Policy = {
    restrictionLists,
    tables,
    accessKeyOptions,
    restrictionClassNames: classNames,
    dnsLists: {
      defaultRblReply: params.get('default_rbl_reply'),
      rblReplyMaps,
      mapsRblDomains: splitList(params.get('maps_rbl_domains')),
    },
    permitMxBackupNetworks,
    unknownHeloHostnameTempfailAction,
    unknownAddressTempfailAction,
    unlistedRecipient,
    relayClientcerts,
    senderLogin: { saslEnabled, maps: senderLoginMaps },
    restrictionClasses,
    replyCodes,
    smtpdDelayReject,
    smtpdRelayBeforeRecipientRestrictions,
    allowUntrustedRouting,
    mynetworks,
    relayDomains,
    ownInetAddresses,
    addressResolution: {
      myorigin: params.get('myorigin'),
      myhostname: params.get('myhostname'),
      mydestination,
      ownInetAddresses,
      virtualAliasDomains,
      virtualMailboxDomains,
      relayDomains,
      swapBangpath: true,     // Postfix default; not a registry parameter
      allowPercentHack: true, // Postfix default; not a registry parameter
    },
    smtpdLogAccessPermitActions,
  };
  return { ok: true, policy: deepFreeze(policy), warnings };
}

// Every table a step names, opened once; a table that cannot be opened refuses the snapshot.
function openStepTables(lists: readonly RestrictionList[], catalog: TableCatalog, errors: string[], warnings: string[]): Map<string, LookupTable> {
  const tables = new Map<string, LookupTable>();
  for (const list of lists) {
    for (const step of list.steps) {
      const spec = step.target.kind === 'access-table' ? step.name
        : step.target.kind === 'restriction' && step.target.entry.argument === 'table' ? step.argument : null;
      if (spec === null || !spec.includes(':') || tables.has(spec)) continue; // no `type:`: the parser refused it
      const opened = catalog.open(spec);
      if (!opened.ok) {
        errors.push(...opened.errors.map((e) => `in parameter ${list.parameter}, step ${step.index} "${step.name}": ${e.text}`));
        continue;
      }
      warnings.push(...opened.warnings.map((w) => w.text));
      tables.set(spec, opened.table);
    }
  }
  return tables;
}

// A maps parameter: its tables in order; null (with errors) when one cannot be opened.
function readMaps(parameter: string, value: string, catalog: TableCatalog, errors: string[], warnings: string[]): LookupTable[] | null {
  const tables: LookupTable[] = [];
  let ok = true;
  for (const spec of splitList(value)) {
    const opened = catalog.open(spec);
    if (!opened.ok) {
      errors.push(...opened.errors.map((e) => `in parameter ${parameter}: ${e.text}`));
      ok = false;
      continue;
    }
    warnings.push(...opened.warnings.map((w) => w.text));
    tables.push(opened.table);
  }
  return ok ? tables : null;
}

function readTempfailAction(params: PolicyParameters, name: string, errors: string[]): 'defer' | 'defer_if_permit' | null {
  const value = params.get(name).trim().toLowerCase();
  if (value === 'defer' || value === 'defer_if_permit') return value;
  errors.push(`${name}: unknown action "${params.get(name)}": use defer or defer_if_permit`);
  return null;
}

function take<T>(parsed: { ok: true; list: T } | { ok: false; errors: string[] }, errors: string[]): T | null {
  if (parsed.ok) return parsed.list;
  errors.push(...parsed.errors);
  return null;
}

function readBoolean(params: PolicyParameters, name: string, errors: string[]): boolean | null {
  const value = params.get(name);
  const lower = value.trim().toLowerCase();
  if (lower === 'yes') return true;
  if (lower === 'no') return false;
  errors.push(`bad boolean configuration: ${name} = ${value}`);
  return null;
}

function readReplyCodes(
  params: PolicyParameters,
  errors: string[],
  warnings: string[],
): Record<ReplyCodeParameter, number> | null {
  const codes = {} as Record<ReplyCodeParameter, number>;
  let ok = true;
  for (const name of REPLY_CODE_PARAMETERS) {
    const value = params.get(name).trim();
    if (!/^-?\d+$/.test(value)) {
      errors.push(`bad numerical configuration: ${name} = ${value}`);
      ok = false;
      continue;
    }
    codes[name] = Number(value);
    // Postfix accepts such a value and answers `450 4.7.1 Service unavailable` when it is used.
    if (codes[name] < 400 || codes[name] > 599) {
      warnings.push(`in parameter ${name}: reply code ${value} is not 4xx or 5xx; replies using it become 450 4.7.1 Service unavailable`);
    }
  }
  return ok ? codes : null;
}

function readPermitActions(params: PolicyParameters, errors: string[]): 'all' | string[] | null {
  const actions: string[] = [];
  for (const item of splitList(params.get('smtpd_log_access_permit_actions'))) {
    if (item.toLowerCase().startsWith('static:')) return 'all'; // a static table matches every action
    if (item.includes(':') || item.startsWith('/')) {
      errors.push(`in parameter smtpd_log_access_permit_actions: "${item}": lookup tables are not supported here yet`);
      return null;
    }
    actions.push(item.toLowerCase());
  }
  return actions;
}

// has_required(): a guard counts unless it comes after permit or right after warn_if_reject.
function hasRelayGuard(list: RestrictionList, classes: Readonly<Record<string, RestrictionList>>): boolean {
  const steps = list.steps;
  for (let i = 0; i < steps.length; i++) {
    const lower = steps[i].name.toLowerCase();
    if (lower === 'warn_if_reject' && i + 1 < steps.length) {
      i++;
      continue;
    }
    if (lower === 'permit') return false;
    if (RELAY_GUARDS.includes(lower)) return true;
    const target = steps[i].target;
    const classList = target.kind === 'class' ? classes[target.className] : undefined;
    if (classList !== undefined && hasRelayGuard(classList, classes)) return true;
  }
  return false;
}

// A class that reaches itself would recurse without end (Postfix has no guard for this).
function findClassCycles(classes: Readonly<Record<string, RestrictionList>>): string[] {
  const errors: string[] = [];
  const done = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    if (path.includes(name)) {
      const cycle = [...path.slice(path.indexOf(name)), name];
      errors.push(`in parameter ${path[path.length - 1]}: restriction class "${name}" recurses into itself (${cycle.join(' -> ')})`);
      return;
    }
    if (done.has(name)) return;
    for (const step of classes[name].steps) {
      if (step.target.kind === 'class' && classes[step.target.className] !== undefined) {
        visit(step.target.className, [...path, name]);
      }
    }
    done.add(name);
  };
  for (const name of Object.keys(classes)) visit(name, []);
  return errors;
}

/** listStages - the requests at which a list runs (spec/restrictions.md sections 3 and 4). */
export function listStages(parameter: RestrictionListParameter, smtpdDelayReject: boolean): readonly SmtpdStage[] {
  switch (parameter) {
    case 'smtpd_client_restrictions':
      return smtpdDelayReject ? ['RCPT', 'VRFY', 'ETRN'] : ['CONNECT', 'XCLIENT'];
    case 'smtpd_helo_restrictions':
      return smtpdDelayReject ? ['RCPT', 'VRFY', 'ETRN'] : ['HELO', 'EHLO'];
    case 'smtpd_sender_restrictions':
      return smtpdDelayReject ? ['RCPT', 'VRFY'] : ['MAIL'];
    case 'smtpd_relay_restrictions':
    case 'smtpd_recipient_restrictions':
      return ['RCPT', 'VRFY'];
    case 'smtpd_etrn_restrictions':
      return ['ETRN'];
    case 'smtpd_data_restrictions':
      return ['DATA'];
    case 'smtpd_end_of_data_restrictions':
      return ['END-OF-MESSAGE'];
  }
}

// Steps whose data never exists where the list runs: "restrictions whose data does not
// exist yet are silently skipped" (e.g. a recipient test in the client list with delay no).
function findDeafSteps(list: RestrictionList, stages: readonly SmtpdStage[]): string[] {
  const warnings: string[] = [];
  for (const step of list.steps) {
    if (step.target.kind !== 'restriction') continue;
    const entry = step.target.entry;
    if (!entry.stages.some((stage) => stages.includes(stage))) {
      warnings.push(
        `in parameter ${list.parameter}, step ${step.index} "${step.name}": never decides here: ` +
          `no ${entry.family} information exists at ${stages.join('/')}`,
      );
    }
  }
  return warnings;
}

// Compiled tables are immutable by construction and keep regular expressions whose lastIndex
// must stay writable: they are not frozen.
function deepFreeze<T>(value: T, seen: Set<unknown> = new Set()): T {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return value;
  if (value instanceof Map || typeof (value as { lookup?: unknown }).lookup === 'function') return value;
  seen.add(value);
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value as object)) deepFreeze((value as Record<PropertyKey, unknown>)[key], seen);
  return value;
}
