/**
 * A next hop that answers DATA before it has read the message: the delivery thread reads each
 * message into a buffer it reuses, and the connection of the early reply must not go on writing
 * from that buffer once it holds the next message. The next hop here answers 451 at once on its
 * first connection and reads nothing more until the second message was delivered over another.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestGateway } from '../support/gateway.ts';
import { sendMessage, waitForLog } from './send-message.ts';

// 5 MB: more than the kernel takes into the socket buffers of a loopback peer that does not
// read (2 to 4 MB here), and within the size of buffers the delivery thread reuses.
const BODY_LINES = 50_000;

function message(letter: string): string {
  return `From: a@example.org\nTo: b@example.net\nSubject: ${letter}\n\n${`${letter.repeat(98)}\n`.repeat(BODY_LINES)}`;
}

interface Hop {
  port: number;
  early: Promise<net.Socket>; // the first connection, answered early and not read since
  delivered: string[];        // the data of each message the other connections took
  close(): Promise<void>;
}

async function startHop(): Promise<Hop> {
  let first = true;
  let gotEarly!: (socket: net.Socket) => void;
  const early = new Promise<net.Socket>((resolve) => (gotEarly = resolve));
  const delivered: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const answersEarly = first;
    first = false;
    let pending = '';
    let data: string | null = null;
    socket.setEncoding('latin1');
    socket.write('220 hop.example ESMTP\r\n');
    socket.on('data', (chunk: string) => {
      if (data !== null) {
        data += chunk;
        const end = data.indexOf('\r\n.\r\n');
        if (end < 0) return;
        delivered.push(data.slice(0, end));
        pending = data.slice(end + 5);
        data = null;
        socket.write('250 2.0.0 Ok: queued\r\n');
      } else {
        pending += chunk;
      }
      for (let eol = pending.indexOf('\r\n'); eol >= 0 && data === null; eol = pending.indexOf('\r\n')) {
        const line = pending.slice(0, eol).toUpperCase();
        pending = pending.slice(eol + 2);
        if (line.startsWith('EHLO')) socket.write('250-hop.example\r\n250 8BITMIME\r\n');
        else if (line.startsWith('QUIT')) socket.end('221 2.0.0 Bye\r\n');
        else if (line !== 'DATA') socket.write('250 2.0.0 Ok\r\n');
        else if (answersEarly) {
          socket.write('354 End data with <CR><LF>.<CR><LF>\r\n451 4.3.0 Try again later\r\n');
          socket.removeAllListeners('data');
          socket.pause();
          gotEarly(socket);
          return;
        } else {
          socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
          data = pending;
          pending = '';
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    early,
    delivered,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// Everything the connection still brings, until it closes or nothing comes for a while.
async function readRest(socket: net.Socket): Promise<string> {
  let text = '';
  socket.on('data', (chunk: string) => (text += chunk));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  socket.resume();
  for (let length = -1; length !== text.length;) {
    length = text.length;
    if (await Promise.race([closed.then(() => true), sleep(500).then(() => false)])) break;
  }
  return text;
}

test('a connection answered before its message was read does not write the next message on it', async (t) => {
  const hop = await startHop();
  t.after(() => hop.close());
  const gw = await startTestGateway({ relayhost: `[127.0.0.1]:${hop.port}`, smtp_destination_concurrency_limit: '1' });
  t.after(() => gw.stop());
  const first = await sendMessage(gw.port, 'a@example.org', ['b@example.net'], message('A'));
  const second = await sendMessage(gw.port, 'a@example.org', ['c@example.net'], message('B'));
  assert.ok(first && second);

  await gw.gateway.queueManager.start();
  await waitForLog(gw, new RegExp(`^${first}: to=<b@example\\.net>, .*status=deferred \\(host 127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\] said: 451 4\\.3\\.0 Try again later`));
  await waitForLog(gw, new RegExp(`^${second}: removed$`));
  assert.equal(hop.delivered.length, 1);
  assert.match(hop.delivered[0], /^(?:.*\r\n)*Subject: B\r\n/);
  assert.doesNotMatch(hop.delivered[0], /A{98}/);

  const rest = await readRest(await hop.early);
  assert.ok(rest.includes('Subject: A'), 'the first connection brought the start of its message');
  const body = rest.slice(rest.indexOf('\r\n\r\n') + 4);
  assert.match(body, /^(?:A{98}\r\n)*A*$/, 'nothing but the first message on its connection');
});
