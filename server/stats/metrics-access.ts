/**
 * Who may read the Prometheus endpoint (/metrics of the console): a client whose address is
 * in metrics_allowed_networks (default: loopback only), or a request carrying
 * `Authorization: Bearer TOKEN` where TOKEN is the content of `metrics.token` in the data
 * folder. The token lives only in that file (mode 0600, written by the administrator), never
 * in the database, so `postconf` cannot print it and a policy export does not carry it.
 * Exports: METRICS_TOKEN_FILE, MetricsAccessRule, metricsTokenPath, readMetricsToken,
 * loadMetricsAccessRule, isMetricsRequestAllowed.
 * Reads: metrics_allowed_networks. A token file that others may read is refused with a warning
 * (as ssh refuses a key file), so a careless copy does not open the endpoint.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createPrismaClient, type PrismaClient } from '../db/client.ts';
import { MainCf } from '../config/main-cf.ts';
import { loadChangedParameters } from '../config/parameter-store.ts';
import { openTableStore } from '../maps/table-store.ts';
import { createTableCatalog } from '../maps/table-catalog.ts';
import { matchNetworkList, parseNetworkList, type NetworkList } from '../policy/network-list.ts';

export const METRICS_TOKEN_FILE = 'metrics.token';

export interface MetricsAccessRule {
  readonly allowedNetworks: NetworkList;   // metrics_allowed_networks
  readonly tokenDigest: Buffer | null;     // SHA-256 of the token; null: no token access
  readonly warnings: readonly string[];    // why the token file was not used, for the console's log
}

/** metricsTokenPath - the token file of a data folder. */
export function metricsTokenPath(dataDir: string): string {
  return path.join(dataDir, METRICS_TOKEN_FILE);
}

/**
 * readMetricsToken - the SHA-256 of the token file's first line; null without a file, with an
 * empty one, or with one that group or others may read (then with a warning).
 */
export function readMetricsToken(dataDir: string): { digest: Buffer | null; warning: string | null } {
  const file = metricsTokenPath(dataDir);
  let text: string;
  try {
    const mode = fs.statSync(file).mode & 0o777;
    if (mode & 0o077) {
      return { digest: null, warning: `${file}: mode ${mode.toString(8).padStart(4, '0')} lets others read the token: ignored (chmod 600 it)` };
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { digest: null, warning: null };
    return { digest: null, warning: `${file}: ${(err as Error).message}` };
  }
  const token = text.split('\n')[0].trim();
  if (!token) return { digest: null, warning: `${file}: empty token: ignored` };
  return { digest: crypto.createHash('sha256').update(token).digest(), warning: null };
}

/**
 * loadMetricsAccessRule - the rule as stored now, through the caller's Prisma client or a
 * client of its own; a metrics_allowed_networks that does not compile allows no address.
 */
export async function loadMetricsAccessRule(dataDir: string, client?: PrismaClient): Promise<MetricsAccessRule> {
  const prisma = client ?? createPrismaClient(dataDir);
  let mainCf: MainCf;
  try {
    mainCf = new MainCf(await loadChangedParameters(prisma));
  } finally {
    if (client === undefined) await prisma.$disconnect();
  }
  const warnings: string[] = [];
  const store = openTableStore(dataDir, { readonly: true });
  let allowedNetworks: NetworkList;
  try {
    const parsed = parseNetworkList('metrics_allowed_networks', mainCf.get('metrics_allowed_networks'), false, createTableCatalog(store));
    if (parsed.ok) allowedNetworks = parsed.list;
    else {
      warnings.push(...parsed.errors);
      allowedNetworks = { parameter: 'metrics_allowed_networks', parentDomainMatches: false, patterns: [] };
    }
  } finally {
    store.close();
  }
  const token = readMetricsToken(dataDir);
  if (token.warning) warnings.push(token.warning);
  return { allowedNetworks, tokenDigest: token.digest, warnings };
}

/**
 * isMetricsRequestAllowed - a matching bearer token, or an allowed client address (the
 * socket's, never a forwarded-for header). A wrong token does not fall back to the address:
 * a client that presents credentials is judged by them.
 */
export function isMetricsRequestAllowed(
  rule: MetricsAccessRule, request: { clientAddress: string | null; authorization: string | null },
): boolean {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.authorization ?? '');
  if (bearer) {
    if (rule.tokenDigest === null) return false;
    const given = crypto.createHash('sha256').update(bearer[1]).digest();
    return crypto.timingSafeEqual(given, rule.tokenDigest);
  }
  if (request.clientAddress === null) return false;
  return matchNetworkList(rule.allowedNetworks, 'unknown', request.clientAddress);
}
