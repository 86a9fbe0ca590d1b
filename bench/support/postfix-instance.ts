/**
 * A private Postfix 3.7 instance for side-by-side benchmarks: its own config_directory, queue
 * and data directories under a folder of the benchmark's, one smtpd on 127.0.0.1:PORT,
 * relaying to a loopback next hop. Nothing under /etc/postfix or /var/spool/postfix is
 * touched; postfix, postconf and postmap always run with -c.
 * Exports findPostfixTools, startPostfixInstance, PostfixInstance.
 * The daemons are chrooted into the queue directory, whose etc/resolv.conf names 127.0.0.1:
 * a lookup the policy did not ask for fails at once on loopback and never leaves the machine.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const SBIN = ['/usr/sbin', '/usr/bin', '/usr/lib/postfix/sbin'];

/** The Postfix programs a benchmark needs, or what is missing and how to get it. */
export type PostfixTools =
  | { ok: true; postfix: string; postmap: string; postconf: string; smtpSource: string; smtpSink: string }
  | { ok: false; missing: string[] };

/** findPostfixTools - the Debian postfix package's programs; installs the package when root has apt. */
export function findPostfixTools(install: boolean): PostfixTools {
  const find = (name: string) => SBIN.map((d) => path.join(d, name)).find((p) => fs.existsSync(p));
  const names = ['postfix', 'postmap', 'postconf', 'smtp-source', 'smtp-sink'];
  let missing = names.filter((n) => !find(n));
  if (missing.length && install && process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get')) {
    console.log('installing Debian\'s postfix package (smtp-source and smtp-sink come with it)...');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('sh', ['-c', 'echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections'], { env, stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '-qq', 'postfix'], { env, stdio: 'inherit' });
    missing = names.filter((n) => !find(n));
  }
  if (missing.length) return { ok: false, missing };
  return { ok: true, postfix: find('postfix')!, postmap: find('postmap')!, postconf: find('postconf')!, smtpSource: find('smtp-source')!, smtpSink: find('smtp-sink')! };
}

export interface PostfixInstance {
  port: number;
  configDirectory: string;
  queueDirectory: string;
  masterPid: number;
  /** queued - files left in incoming, active and deferred (0 once the queue drained). */
  queued(): number;
  stop(): void;
}

export interface PostfixInstanceOptions {
  folder: string;          // everything of the instance goes below it
  port: number;            // smtpd on 127.0.0.1:port
  relayPort: number;       // relayhost = [127.0.0.1]:relayPort
  mainCf: string;          // policy lines appended to the baseline
  tables: Record<string, string>; // file name in config_directory -> postmap source
  indexed: string[];       // files to compile with postmap (hash:)
}

const MASTER_CF = (port: number) => `127.0.0.1:${port} inet n - y - - smtpd
cleanup unix n - y - 0 cleanup
qmgr unix n - n 300 1 qmgr
rewrite unix - - y - - trivial-rewrite
bounce unix - - y - 0 bounce
defer unix - - y - 0 bounce
trace unix - - y - 0 bounce
verify unix - - y - 1 verify
flush unix n - y 1000? 0 flush
proxymap unix - - n - - proxymap
smtp unix - - y - - smtp
relay unix - - y - - smtp
showq unix n - y - - showq
error unix - - y - - error
retry unix - - y - - error
discard unix - - y - - discard
anvil unix - - y - 1 anvil
scache unix - - y - 1 scache
postlog unix-dgram n - n - 1 postlogd
`;

/** startPostfixInstance - write the configuration, compile the tables, start master; waits for the listener. */
export async function startPostfixInstance(tools: Extract<PostfixTools, { ok: true }>, o: PostfixInstanceOptions): Promise<PostfixInstance> {
  const conf = path.join(o.folder, 'etc');
  const queue = path.join(o.folder, 'queue');
  const data = path.join(o.folder, 'data');
  fs.mkdirSync(conf, { recursive: true });
  fs.mkdirSync(path.join(queue, 'etc'), { recursive: true });
  fs.mkdirSync(data, { recursive: true });
  // Postfix wants its directories reachable by the postfix user and data owned by it.
  for (let d = o.folder; d !== path.dirname(d); d = path.dirname(d)) fs.chmodSync(d, fs.statSync(d).mode | 0o001);
  for (const d of [o.folder, conf, queue]) fs.chmodSync(d, 0o755);
  execFileSync('chown', ['postfix', data]);
  fs.writeFileSync(path.join(queue, 'etc/resolv.conf'), 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  fs.writeFileSync(path.join(queue, 'etc/nsswitch.conf'), 'hosts: files\n');
  fs.writeFileSync(path.join(queue, 'etc/hosts'), '127.0.0.1 localhost\n');
  fs.writeFileSync(path.join(conf, 'main.cf'), [
    'compatibility_level = 3.6',
    `config_directory = ${conf}`,
    `queue_directory = ${queue}`,
    `data_directory = ${data}`,
    'mail_owner = postfix',
    'setgid_group = postdrop',
    'inet_interfaces = 127.0.0.1',
    'inet_protocols = ipv4',
    'myhostname = mx.bench.test',
    'mydomain = bench.test',
    'mydestination = $myhostname, localhost',
    'mynetworks = 127.0.0.0/8',
    `maillog_file_prefixes = ${conf}`,
    `maillog_file = ${path.join(conf, 'maillog')}`,
    'alias_maps =',
    'alias_database =',
    'local_recipient_maps =',
    'biff = no',
    'smtpd_peername_lookup = no',
    'smtp_dns_support_level = disabled',
    'smtp_host_lookup = native',
    `relayhost = [127.0.0.1]:${o.relayPort}`,
    'local_transport = discard:',
    o.mainCf,
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(conf, 'master.cf'), MASTER_CF(o.port));
  for (const [name, source] of Object.entries(o.tables)) fs.writeFileSync(path.join(conf, name), source);
  for (const name of o.indexed) execFileSync(tools.postmap, ['-c', conf, `hash:${path.join(conf, name)}`]);
  // Postfix re-reads files younger than a couple of seconds; date them back.
  const past = new Date(Date.now() - 10_000);
  for (const f of fs.readdirSync(conf)) fs.utimesSync(path.join(conf, f), past, past);
  execFileSync(tools.postfix, ['-c', conf, 'start'], { stdio: 'pipe' });
  await waitForListener(o.port);
  const masterPid = Number(fs.readFileSync(path.join(queue, 'pid/master.pid'), 'utf8').trim());
  return {
    port: o.port,
    configDirectory: conf,
    queueDirectory: queue,
    masterPid,
    queued: () => ['incoming', 'active', 'deferred', 'maildrop'].reduce((n, d) => n + countFiles(path.join(queue, d)), 0),
    stop() {
      try {
        process.kill(masterPid, 'SIGTERM');
      } catch {
        return;
      }
      for (let i = 0; i < 200 && isAlive(masterPid); i++) spawnSync('sleep', ['0.05']);
    },
  };
}

function countFiles(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n++;
  return n;
}

function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

/** waitForListener - resolve once 127.0.0.1:port accepts a connection (10 s at most). */
export async function waitForListener(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing answers on 127.0.0.1:${port}`);
}
