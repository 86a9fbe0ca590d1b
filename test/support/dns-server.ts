/**
 * Loopback DNS server for tests: an authoritative-only responder, UDP and TCP on one loopback
 * port, answering from zone text in the format of harness/dns/zone.txt (test/fixtures/dns/zone.txt):
 * `NAME [TTL] TYPE DATA` a line, `#` comments, `*.` wildcards, types A AAAA MX PTR TXT CNAME NS,
 * and two pseudo-types: SERVFAIL (that name answers SERVFAIL) and TIMEOUT (that name is never
 * answered, for resolver timeouts), each for every query type of the name or, with a type
 * after it (`name. SERVFAIL MX`), for that type only while the name's other records answer.
 * Exports startDnsServer. Answers are the records of (name, type), following CNAMEs inside the
 * zone; NODATA when the name exists without that type (also for empty non-terminals); NXDOMAIN
 * otherwise. It never recurses or forwards, and it refuses to bind a non-loopback address, so a
 * test that points dns_resolvers at it cannot send anything off this machine.
 * Throws on a zone line it cannot read (with the line number): a broken fixture is a test bug.
 */
import dgram from 'node:dgram';
import net from 'node:net';

/** One query the server saw, in the order seen (the harness's dns.log has the same facts). */
export interface DnsServerQuery {
  name: string; // query name, lowercase, no trailing dot
  type: string; // 'A', 'MX' … or 'TYPE65' for types the zone format has no name for
  rcode: string; // 'NOERROR', 'NXDOMAIN', 'SERVFAIL' …, or 'TIMEOUT' when left unanswered
  transport: 'udp' | 'tcp';
}

export interface DnsServer {
  host: string;
  port: number;
  server: string; // 'host:port' (or '[v6]:port'), ready for dns_resolvers
  setZone(zone: string): void; // replace the zone; later queries see the new records
  queries: DnsServerQuery[];
  stop(): Promise<void>; // closes both sockets; calling it again waits for the same close
}

export interface DnsServerOptions {
  zone: string; // zone text, not a file name
  host?: string; // a loopback address; 127.0.0.1 unless told
}

const RR_TYPES = { A: 1, NS: 2, CNAME: 5, PTR: 12, MX: 15, TXT: 16, AAAA: 28 } as const;
type RrTypeName = keyof typeof RR_TYPES;
const TYPE_OPT = 41;
const TYPE_ANY = 255;
const CLASS_IN = 1;
const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const RCODE_NAMES = new Map<number, string>(Object.entries(RCODE).map(([k, v]) => [v, k]));
const TYPE_NAMES = new Map<number, string>(Object.entries(RR_TYPES).map(([k, v]) => [v, k]));
const CNAME_CHAIN_LIMIT = 8;
const EDNS_UDP_SIZE = 1232; // what we advertise back; RFC 9715's safe datagram size

type ZoneRecord =
  | { type: RrTypeName; ttl: number; rdata: Buffer; target?: string } // target: CNAME only
  | { type: 'SERVFAIL' | 'TIMEOUT'; only: number | null }; // only: the query type it fails, null for all

interface Zone {
  nodes: Map<string, ZoneRecord[]>; // owner name -> its records
  existing: Set<string>; // owners and all their ancestors: an empty non-terminal answers NODATA
}

interface Answer {
  owner: string;
  type: number;
  ttl: number;
  rdata: Buffer;
}

/** Start the server on a fresh loopback port; refuses any address that is not loopback. */
export async function startDnsServer(options: DnsServerOptions): Promise<DnsServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackAddress(host)) throw new Error(`dns-server: refusing non-loopback address ${host}`);
  let zone = parseZone(options.zone);
  const queries: DnsServerQuery[] = [];
  const tcpClients = new Set<net.Socket>();
  let stopped: Promise<void> | undefined;

  const respond = (message: Buffer, transport: 'udp' | 'tcp'): Buffer | null => {
    const query = readQuery(message);
    if (!query) return null; // not a query we can even echo: drop it, as many servers do
    const outcome = query.opcode !== 0 ? { rcode: RCODE.NOTIMP, answers: [] }
      : query.qclass !== CLASS_IN && query.qclass !== TYPE_ANY ? { rcode: RCODE.REFUSED, answers: [] }
      : answerQuestion(zone, query.qname, query.qtype);
    queries.push({
      name: query.qname,
      type: TYPE_NAMES.get(query.qtype) ?? (query.qtype === TYPE_ANY ? 'ANY' : `TYPE${query.qtype}`),
      rcode: outcome === 'no-answer' ? 'TIMEOUT' : RCODE_NAMES.get(outcome.rcode) ?? String(outcome.rcode),
      transport,
    });
    if (outcome === 'no-answer') return null;
    const limit = transport === 'tcp' ? 0xffff : query.ednsSize ? Math.max(512, Math.min(query.ednsSize, 4096)) : 512;
    return buildResponse(query, outcome.rcode, outcome.answers, limit);
  };

  const { udp, tcp, port } = await bindUdpAndTcp(host, (socket) => {
    tcpClients.add(socket);
    socket.on('close', () => tcpClients.delete(socket));
    socket.on('error', () => socket.destroy()); // a resolver hanging up early is not our failure
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      // TCP messages carry a two-byte length prefix (RFC 1035 §4.2.2); a segment may hold several.
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const message = pending.subarray(2, 2 + pending.readUInt16BE(0));
        pending = pending.subarray(2 + message.length);
        const reply = respond(message, 'tcp');
        if (reply) {
          const length = Buffer.alloc(2);
          length.writeUInt16BE(reply.length);
          socket.write(Buffer.concat([length, reply]));
        }
      }
    });
  });
  udp.on('message', (message, peer) => {
    const reply = respond(message, 'udp');
    if (reply) udp.send(reply, peer.port, peer.address);
  });

  return {
    host,
    port,
    server: net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`,
    setZone(text: string) {
      zone = parseZone(text);
    },
    queries,
    stop() {
      // Idempotent, so a test may stop the server itself and the after-hook stop it again.
      stopped ??= Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]).then(() => undefined);
      for (const socket of tcpClients) socket.destroy();
      return stopped;
    },
  };
}

function isLoopbackAddress(host: string): boolean {
  if (net.isIPv4(host)) return host.startsWith('127.');
  return net.isIPv6(host) && ipv6Bytes(host).equals(ipv6Bytes('::1'));
}

// UDP first on port 0, then TCP on the port UDP got; if another process holds that TCP port,
// start over with a new UDP port.
async function bindUdpAndTcp(
  host: string,
  onConnection: (socket: net.Socket) => void,
): Promise<{ udp: dgram.Socket; tcp: net.Server; port: number }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, host, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    const port = udp.address().port;
    const tcp = net.createServer(onConnection);
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, host, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
      return { udp, tcp, port };
    } catch (err) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
  throw new Error(`dns-server: found no port free for both UDP and TCP on ${host}`);
}

// ---- zone text ------------------------------------------------------------------------------

function parseZone(text: string): Zone {
  const nodes = new Map<string, ZoneRecord[]>();
  text.split('\n').forEach((line, index) => {
    const tokens = tokenizeZoneLine(line);
    if (tokens.length === 0) return;
    const where = `zone line ${index + 1}`;
    const owner = normalizeName(tokens[0]);
    let rest = tokens.slice(1);
    let ttl = 60;
    if (rest.length > 0 && /^\d+$/.test(rest[0])) {
      ttl = Number(rest[0]);
      rest = rest.slice(1);
    }
    if (rest.length === 0) throw new Error(`dns-server: ${where}: missing type`);
    const type = rest[0].toUpperCase();
    const data = rest.slice(1);
    const records = nodes.get(owner) ?? [];
    nodes.set(owner, records);
    if (type === 'SERVFAIL' || type === 'TIMEOUT') {
      const only = data[0]?.toUpperCase();
      if (data.length > 1 || (only !== undefined && !(only in RR_TYPES))) throw new Error(`dns-server: ${where}: ${type} takes at most one query type`);
      records.push({ type, only: only === undefined ? null : RR_TYPES[only as RrTypeName] });
    } else if (type in RR_TYPES) {
      records.push(encodeRecord(type as RrTypeName, ttl, data, where));
    } else {
      throw new Error(`dns-server: ${where}: unknown type ${type}`);
    }
  });
  const existing = new Set<string>();
  for (const owner of nodes.keys()) {
    for (let name = owner; ; name = parentName(name)) {
      existing.add(name);
      if (name === '') break;
    }
  }
  return { nodes, existing };
}

// Whitespace-separated tokens; "quoted strings" (with \" and \\ escapes) stay one token, and an
// unquoted token starting with # ends the line.
function tokenizeZoneLine(line: string): string[] {
  const tokens: string[] = [];
  for (const match of line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) {
    if (match[2] !== undefined && match[2].startsWith('#')) break;
    tokens.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]);
  }
  return tokens;
}

function encodeRecord(type: RrTypeName, ttl: number, data: string[], where: string): ZoneRecord {
  const need = (count: number) => {
    if (data.length !== count) throw new Error(`dns-server: ${where}: ${type} wants ${count} field(s), got ${data.length}`);
  };
  switch (type) {
    case 'A':
      need(1);
      if (!net.isIPv4(data[0])) throw new Error(`dns-server: ${where}: bad IPv4 address ${data[0]}`);
      return { type, ttl, rdata: Buffer.from(data[0].split('.').map(Number)) };
    case 'AAAA':
      need(1);
      if (!net.isIPv6(data[0])) throw new Error(`dns-server: ${where}: bad IPv6 address ${data[0]}`);
      return { type, ttl, rdata: ipv6Bytes(data[0]) };
    case 'MX': {
      need(2);
      const preference = Buffer.alloc(2);
      preference.writeUInt16BE(Number(data[0]));
      return { type, ttl, rdata: Buffer.concat([preference, encodeName(normalizeName(data[1]), where)]) };
    }
    case 'CNAME':
      need(1);
      return { type, ttl, rdata: encodeName(normalizeName(data[0]), where), target: normalizeName(data[0]) };
    case 'NS':
    case 'PTR':
      need(1);
      return { type, ttl, rdata: encodeName(normalizeName(data[0]), where) };
    case 'TXT': {
      // Each token is one character-string; a longer one is cut in 255-byte pieces, as
      // zone compilers do.
      const pieces: Buffer[] = [];
      for (const token of data.length > 0 ? data : ['']) {
        const bytes = Buffer.from(token, 'utf8');
        for (let at = 0; at === 0 || at < bytes.length; at += 255) {
          const piece = bytes.subarray(at, at + 255);
          pieces.push(Buffer.from([piece.length]), piece);
        }
      }
      return { type, ttl, rdata: Buffer.concat(pieces) };
    }
  }
}

function normalizeName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

function parentName(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1);
}

function encodeName(name: string, where = 'answer'): Buffer {
  const parts: Buffer[] = [];
  for (const label of name === '' ? [] : name.split('.')) {
    const bytes = Buffer.from(label, 'utf8');
    if (bytes.length === 0 || bytes.length > 63) throw new Error(`dns-server: ${where}: bad label in ${name}`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  const encoded = Buffer.concat(parts);
  if (encoded.length > 255) throw new Error(`dns-server: ${where}: name too long: ${name}`);
  return encoded;
}

function ipv6Bytes(text: string): Buffer {
  // An embedded dotted quad (::ffff:1.2.3.4) becomes its two 16-bit groups.
  const hex = text.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`);
  const [head, tail] = hex.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros: string[] = Array(8 - headGroups.length - tailGroups.length).fill('0');
  const groups = tail === undefined ? headGroups : [...headGroups, ...zeros, ...tailGroups];
  const bytes = Buffer.alloc(16);
  groups.forEach((group, index) => bytes.writeUInt16BE(parseInt(group, 16), index * 2));
  return bytes;
}

// ---- answering --------------------------------------------------------------------------------

// The records of a name: its own, else the wildcard at its closest existing ancestor (RFC 4592);
// 'empty' for a name that exists only because names below it do.
function findNode(zone: Zone, name: string): ZoneRecord[] | 'empty' | undefined {
  const own = zone.nodes.get(name);
  if (own) return own;
  if (zone.existing.has(name)) return 'empty';
  for (let ancestor = parentName(name); ; ancestor = parentName(ancestor)) {
    if (zone.existing.has(ancestor)) return zone.nodes.get(ancestor === '' ? '*' : `*.${ancestor}`);
    if (ancestor === '') return undefined;
  }
}

function answerQuestion(zone: Zone, qname: string, qtype: number): { rcode: number; answers: Answer[] } | 'no-answer' {
  const answers: Answer[] = [];
  let name = qname;
  for (let hop = 0; hop < CNAME_CHAIN_LIMIT; hop++) {
    const node = findNode(zone, name);
    // After a CNAME the rcode speaks of the last name in the chain (RFC 6604).
    if (node === undefined) return { rcode: RCODE.NXDOMAIN, answers };
    if (node === 'empty') return { rcode: RCODE.NOERROR, answers };
    const fails = (fault: 'SERVFAIL' | 'TIMEOUT') =>
      node.some((record) => record.type === fault && (record.only === null || record.only === qtype));
    if (fails('TIMEOUT')) return 'no-answer';
    if (fails('SERVFAIL')) return { rcode: RCODE.SERVFAIL, answers: [] };
    const real = node.filter((record): record is Extract<ZoneRecord, { ttl: number }> => 'ttl' in record);
    const matching = real.filter((record) => qtype === TYPE_ANY || RR_TYPES[record.type] === qtype);
    if (matching.length > 0) {
      for (const { type, ttl, rdata } of matching) answers.push({ owner: name, type: RR_TYPES[type], ttl, rdata });
      return { rcode: RCODE.NOERROR, answers };
    }
    const alias = real.find((record) => record.type === 'CNAME');
    if (!alias?.target) return { rcode: RCODE.NOERROR, answers };
    answers.push({ owner: name, type: RR_TYPES.CNAME, ttl: alias.ttl, rdata: alias.rdata });
    name = alias.target;
  }
  return { rcode: RCODE.SERVFAIL, answers: [] }; // a CNAME loop or an absurd chain
}

// ---- wire format (RFC 1035 §4) -----------------------------------------------------------------

interface Query {
  id: number;
  flags: number;
  opcode: number;
  question: Buffer; // the question section as sent, echoed back byte for byte
  qname: string;
  qtype: number;
  qclass: number;
  ednsSize: number | null; // the UDP payload size of an OPT record, if the query had one
}

function readQuery(message: Buffer): Query | null {
  if (message.length < 12) return null;
  const flags = message.readUInt16BE(2);
  if (flags & 0x8000 || message.readUInt16BE(4) !== 1) return null; // a response, or not one question
  const labels: string[] = [];
  let at = 12;
  for (;;) {
    if (at >= message.length) return null;
    const length = message[at];
    if (length === 0) break;
    if (length > 63 || at + 1 + length > message.length) return null; // no compression in a question
    labels.push(message.toString('latin1', at + 1, at + 1 + length).toLowerCase());
    at += 1 + length;
  }
  at += 1;
  if (at + 4 > message.length) return null;
  const query: Query = {
    id: message.readUInt16BE(0),
    flags,
    opcode: (flags >> 11) & 0xf,
    question: message.subarray(12, at + 4),
    qname: labels.join('.'),
    qtype: message.readUInt16BE(at),
    qclass: message.readUInt16BE(at + 2),
    ednsSize: null,
  };
  at += 4;
  // Look through the remaining records for OPT (RFC 6891), which tells the UDP size allowed.
  const recordCount = message.readUInt16BE(6) + message.readUInt16BE(8) + message.readUInt16BE(10);
  for (let index = 0; index < recordCount; index++) {
    const nameEnd = skipName(message, at);
    if (nameEnd === null || nameEnd + 10 > message.length) break;
    if (message.readUInt16BE(nameEnd) === TYPE_OPT) query.ednsSize = message.readUInt16BE(nameEnd + 2);
    at = nameEnd + 10 + message.readUInt16BE(nameEnd + 8);
  }
  return query;
}

function skipName(message: Buffer, at: number): number | null {
  while (at < message.length) {
    const length = message[at];
    if (length === 0) return at + 1;
    if ((length & 0xc0) === 0xc0) return at + 2; // compression pointer ends the name
    at += 1 + length;
  }
  return null;
}

function buildResponse(query: Query, rcode: number, answers: Answer[], limit: number): Buffer {
  const opt = query.ednsSize === null ? [] : [encodeOpt()];
  const records = answers.map((answer) => {
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(answer.type, 0);
    fixed.writeUInt16BE(CLASS_IN, 2);
    fixed.writeUInt32BE(answer.ttl, 4);
    fixed.writeUInt16BE(answer.rdata.length, 8);
    return Buffer.concat([encodeName(answer.owner), fixed, answer.rdata]);
  });
  const full = Buffer.concat([header(query, rcode, records.length, opt.length, false), query.question, ...records, ...opt]);
  if (full.length <= limit) return full;
  // Too big for this datagram: say so with TC and let the resolver ask again over TCP.
  return Buffer.concat([header(query, rcode, 0, opt.length, true), query.question, ...opt]);
}

function header(query: Query, rcode: number, answerCount: number, additionalCount: number, truncated: boolean): Buffer {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt16BE(query.id, 0);
  // QR, the query's opcode, AA, TC, the query's RD, and RA left clear: we never recurse.
  const flags = 0x8000 | (query.flags & 0x7800) | 0x0400 | (truncated ? 0x0200 : 0) | (query.flags & 0x0100) | rcode;
  bytes.writeUInt16BE(flags, 2);
  bytes.writeUInt16BE(1, 4);
  bytes.writeUInt16BE(answerCount, 6);
  bytes.writeUInt16BE(0, 8);
  bytes.writeUInt16BE(additionalCount, 10);
  return bytes;
}

function encodeOpt(): Buffer {
  const opt = Buffer.alloc(11);
  opt[0] = 0; // root owner
  opt.writeUInt16BE(TYPE_OPT, 1);
  opt.writeUInt16BE(EDNS_UDP_SIZE, 3);
  return opt; // extended rcode, version, flags and rdata length all zero
}
