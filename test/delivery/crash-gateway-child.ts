/**
 * The gateway as its own process for the crash test: started on 127.0.0.1 port 0 with delivery
 * on, over the data folder given as the first argument; prints `PORT n` once it listens, so the
 * test can send to it, kill it with SIGKILL and start it again.
 */
import { startGateway } from '../../server/gateway/start-gateway.ts';

const started = await startGateway({ dataDir: process.argv[2], smtp: [{ host: '127.0.0.1', port: 0 }], logToStdout: false, delivery: true });
if (!started.ok) {
  console.error(started.error);
  process.exit(1);
}
console.log(`PORT ${started.gateway.listeners[0].port}`);
process.on('SIGTERM', () => void started.gateway.stop().then(() => process.exit(0)));
