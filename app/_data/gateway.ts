/**
 * The gateway beside the console, through its control socket (mode 0600 in the data folder):
 * which policy revision it runs and since when, and the reload that makes it take a change
 * at once. A gateway that is not running is a value, not an error: the change is stored and
 * it takes it when it starts (or within a second through data_version when it runs).
 * Exports getGatewayStatus, notifyGateway, sendGatewayRequest, GatewayStatus.
 */
import 'server-only';
import { sendControlRequest, type ControlRequest } from '../../server/control/control-socket.ts';
import { getDataDir } from './db.ts';

export type GatewayStatus =
  | { running: true; revision: number; takenAt: string; connections: number; listeners: string[] }
  | { running: false; error: string };

/** getGatewayStatus - revision, when it was taken, SMTP sessions and listeners. */
export async function getGatewayStatus(): Promise<GatewayStatus> {
  const r = await sendControlRequest(getDataDir(), { command: 'status' }, 2000);
  if (!r.ok) return { running: false, error: r.error };
  return { running: true, revision: r.revision, takenAt: r.takenAt, connections: r.connections ?? 0, listeners: r.listeners ?? [] };
}

/** notifyGateway - ask the gateway to take the stored policy now; its reply says which revision it runs. */
export async function notifyGateway(): Promise<GatewayStatus> {
  const r = await sendControlRequest(getDataDir(), { command: 'reload' }, 10_000);
  if (!r.ok) return { running: false, error: r.error };
  return { running: true, revision: r.revision, takenAt: r.takenAt, connections: 0, listeners: [] };
}

/** sendGatewayRequest - any control request (queue operations, flush), for the data layer. */
export function sendGatewayRequest<R extends { ok: boolean }>(request: ControlRequest) {
  return sendControlRequest<R>(getDataDir(), request);
}
