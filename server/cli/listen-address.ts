/**
 * `HOST:PORT` listener arguments (`--smtp 127.0.0.1:2525`, `--smtp [::1]:2525`), refused with a
 * clear message when malformed. Exports parseListenAddress.
 */
import net from 'node:net';

export type ListenAddress = { ok: true; host: string; port: number } | { ok: false; error: string };

/** parseListenAddress - host and port of a listener argument. */
export function parseListenAddress(text: string): ListenAddress {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
  if (!m) return { ok: false, error: `bad listen address "${text}": expected HOST:PORT or [IPV6]:PORT` };
  const port = Number(m[2]);
  if (port > 65535) return { ok: false, error: `bad listen address "${text}": port ${port} is out of range` };
  if (!net.isIP(m[1]) && !/^[A-Za-z0-9.-]+$/.test(m[1])) return { ok: false, error: `bad listen address "${text}": bad host "${m[1]}"` };
  return { ok: true, host: m[1], port };
}
