#!/usr/bin/env node
// The console's HTTP server, in place of `next start`: Next.js's request handler behind a plain
// node:http listener that sets X-Forwarded-For (and -Proto, -Host) from the connection itself.
// `next start` keeps such headers when a client sends them, so a client could claim another
// address to pass metrics_allowed_networks or escape the sign-in throttle; here a client's own
// X-Forwarded-* headers never reach the console. Plain JavaScript, not TypeScript through tsx:
// Next loads its build with its own module loader.
// Usage: node console-server.mjs HOST PORT PROJECT_ROOT; prints "ready" once it listens.
import http from 'node:http';
import next from 'next';

const [host, portText, dir] = process.argv.slice(2);
const port = Number(portText);
const app = next({ dev: false, dir, hostname: host, port });
await app.prepare();
const handle = app.getRequestHandler();

const server = http.createServer((req, res) => {
  for (const name of Object.keys(req.headers)) if (name.startsWith('x-forwarded-')) delete req.headers[name];
  req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
  req.headers['x-forwarded-proto'] = 'http';
  void handle(req, res);
});
server.listen(port, host, () => process.stdout.write('ready\n'));
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
