/**
 * Lookup table benchmark: compiles a generated exact (hash) table of 1,000,000 entries and a
 * cidr table of 100,000 rules (IPv4 and IPv6 networks of mixed prefix lengths), and prints
 * compile time, memory after compiling (process.memoryUsage(), after a garbage collection), and
 * lookups per second and nanoseconds per lookup for keys that hit and keys that miss.
 * Run: node --import tsx bench/maps-lookup.ts [exact entries=1000000] [cidr rules=100000]
 * Probe keys are separate flat strings, as keys decoded from a session would be.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { compileTable } from '../server/maps/table-registry.ts';
import type { LookupTable } from '../server/maps/lookup-table.ts';

const exactEntries = Number(process.argv[2] ?? 1_000_000);
const cidrRules = Number(process.argv[3] ?? 100_000);
const PROBES = 200_000;
const ROUNDS = 5;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

// A deterministic pseudo-random sequence, so runs compare.
let state = 12345;
function random(): number {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return state;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function memory(): { heap: number; rss: number; external: number } {
  gc();
  const { heapUsed, rss, external, arrayBuffers } = process.memoryUsage();
  return { heap: heapUsed, rss, external: external + arrayBuffers };
}

function compile(type: string, source: string, name: string): LookupTable {
  const before = memory();
  const started = performance.now();
  const compiled = compileTable(type, source, { name });
  const elapsed = performance.now() - started;
  if (!compiled.ok) throw new Error(`${name}: ${compiled.errors.map((e) => e.text).join('; ')}`);
  const after = memory();
  console.log(`${name}: compiled in ${elapsed.toFixed(0)} ms, ${compiled.warnings.length} warnings`);
  console.log(`  memory after compile: heap +${megabytes(after.heap - before.heap)}, rss ${megabytes(after.rss)}, `
    + `typed arrays/external +${megabytes(after.external - before.external)}`);
  return compiled.table;
}

function measure(label: string, table: LookupTable, probes: string[], expectFound: boolean): void {
  const timings: number[] = [];
  let found = 0;
  for (let round = 0; round < ROUNDS; round++) {
    found = 0;
    const started = process.hrtime.bigint();
    for (const probe of probes) if (table.lookup(probe).status === 'found') found++;
    timings.push(Number(process.hrtime.bigint() - started) / probes.length);
  }
  if ((found === probes.length) !== expectFound || (!expectFound && found !== 0)) {
    throw new Error(`${label}: ${found} of ${probes.length} found`);
  }
  timings.sort((a, b) => a - b);
  const median = timings[Math.floor(ROUNDS / 2)];
  console.log(`  ${label.padEnd(8)} ${(1e9 / median / 1e6).toFixed(2)} M lookups/s, ${median.toFixed(0)} ns/lookup `
    + `(median of ${ROUNDS} rounds of ${probes.length}; best ${timings[0].toFixed(0)} ns)`);
}

// A separate, flat string for each probe, as a key decoded from the wire would be (not the
// string object the table holds, whose hash V8 has already computed).
function fresh(text: string): string {
  return Buffer.from(text).toString();
}

// --- exact table ---------------------------------------------------------------------------
{
  const keyOf = (i: number) => `user${i}@host${i % 5000}.example${i % 97}.com`;
  const lines: string[] = [];
  for (let i = 0; i < exactEntries; i++) lines.push(`${keyOf(i)}\tREJECT blocked sender ${i}`);
  const source = lines.join('\n') + '\n';
  lines.length = 0;
  const table = compile('hash', source, `hash table of ${exactEntries} entries`);
  const hits: string[] = [];
  const misses: string[] = [];
  for (let i = 0; i < PROBES; i++) {
    hits.push(fresh(keyOf(random() % exactEntries)));
    misses.push(fresh(`nobody${i}@nowhere${i % 5000}.example.net`));
  }
  measure('hit', table, hits, true);
  measure('miss', table, misses, false);
}

// --- cidr table ----------------------------------------------------------------------------
{
  // Networks inside 10.0.0.0/8 and 2001:db8::/32, so that probes elsewhere miss.
  const lines: string[] = [];
  const networks: { v6: boolean; word: number; length: number }[] = [];
  for (let i = 0; i < cidrRules; i++) {
    const v6 = i % 10 === 9;
    if (v6) {
      const length = 48 + (random() % 17); // /48 .. /64
      const word = (random() & ~((1 << (64 - length)) - 1)) >>> 0; // groups 3 and 4, host bits zero
      const groups = [(word >>> 16).toString(16), (word & 0xffff).toString(16)];
      lines.push(`[2001:db8:${groups[0]}:${groups[1]}::]/${length}\tREJECT v6 net ${i}`);
      networks.push({ v6, word, length });
    } else {
      const length = 16 + (random() % 17); // /16 .. /32
      const mask = length === 32 ? 0xffffffff : ~((1 << (32 - length)) - 1);
      const word = (((random() & 0x00ffffff) | 0x0a000000) & mask) >>> 0;
      lines.push(`${word >>> 24}.${(word >>> 16) & 255}.${(word >>> 8) & 255}.${word & 255}/${length}\tREJECT v4 net ${i}`);
      networks.push({ v6, word, length });
    }
  }
  const table = compile('cidr', lines.join('\n') + '\n', `cidr table of ${cidrRules} rules`);
  const hits: string[] = [];
  const misses: string[] = [];
  for (let i = 0; i < PROBES; i++) {
    const network = networks[random() % networks.length];
    if (network.v6) {
      const low = random() & 0xffff;
      hits.push(fresh(`2001:db8:${(network.word >>> 16).toString(16)}:${(network.word & 0xffff).toString(16)}::${low.toString(16)}`));
    } else {
      const hostBits = network.length === 32 ? 0 : random() & ((1 << (32 - network.length)) - 1);
      const word = (network.word | hostBits) >>> 0;
      hits.push(fresh(`${word >>> 24}.${(word >>> 16) & 255}.${(word >>> 8) & 255}.${word & 255}`));
    }
    misses.push(fresh(i % 10 === 9 ? `2001:db9::${(i & 0xffff).toString(16)}` : `192.0.${(i >>> 8) & 255}.${i & 255}`));
  }
  measure('hit', table, hits, true);
  measure('miss', table, misses, false);
}
