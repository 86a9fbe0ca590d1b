/**
 * A small scripted SMTP client for tests: connects from a chosen loopback address, reads whole
 * replies (multi-line aware), sends lines or raw bytes, and reports whether the server closed.
 * Every wait is bounded; a reply that does not come is an error naming the step.
 */
import net from 'node:net';
import tls from 'node:tls';

export interface SmtpReply {
  code: number;
  enh: string | null;   // enhanced status code of the first line, when there is one
  text: string;         // texts of all lines (without code and enhanced code), joined by \n
  lines: string[];      // raw lines
}

export class SmtpClient {
  private buf = '';
  private replies: SmtpReply[] = [];
  private cur: string[] = [];
  private waiters: Array<(r: SmtpReply | null) => void> = [];
  closed = false;

  private constructor(public socket: net.Socket) {
    this.wire(socket);
  }

  private wire(socket: net.Socket): void {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => this.onData(d));
    socket.on('close', () => { this.closed = true; this.flush(); });
    socket.on('error', () => { this.closed = true; this.flush(); });
  }

  /** startTls - the TLS handshake over this connection, after the server's 220 to STARTTLS; identity: a client certificate. */
  async startTls(servername: string, identity?: { cert: Buffer; key: Buffer }): Promise<tls.TLSSocket> {
    const raw = this.socket;
    raw.removeAllListeners('data');
    raw.removeAllListeners('close');
    raw.removeAllListeners('error');
    const secure = tls.connect({ socket: raw, servername, rejectUnauthorized: false, ...(identity ?? {}) });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.wire(secure);
    return secure;
  }

  /** connect - open a session; the banner is read by the first `read()`. */
  static connect(port: number, options: { host?: string; localAddress?: string } = {}): Promise<SmtpClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: options.host ?? '127.0.0.1', port, localAddress: options.localAddress });
      s.once('connect', () => resolve(new SmtpClient(s)));
      s.once('error', reject);
    });
  }

  private onData(d: string): void {
    this.buf += d;
    let i: number;
    while ((i = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, i).replace(/\r$/, '');
      this.buf = this.buf.slice(i + 1);
      this.cur.push(line);
      if (!/^\d{3}-/.test(line)) {
        this.replies.push(parseReply(this.cur));
        this.cur = [];
      }
    }
    this.flush();
  }

  private flush(): void {
    while (this.waiters.length && (this.replies.length || this.closed)) {
      this.waiters.shift()!(this.replies.shift() ?? null);
    }
  }

  /** read - the next reply, or null when the server closed first. */
  read(timeoutMs = 5000): Promise<SmtpReply | null> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const k = this.waiters.indexOf(done);
        if (k >= 0) this.waiters.splice(k, 1);
        reject(new Error(`no SMTP reply within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (r: SmtpReply | null) => { clearTimeout(timer); resolve(r); };
      this.waiters.push(done);
      this.flush();
    });
  }

  /** write - raw bytes as given. */
  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** command - send one line (CRLF added) and read its reply. */
  async command(line: string, timeoutMs = 5000): Promise<SmtpReply> {
    this.write(line + '\r\n');
    const r = await this.read(timeoutMs);
    if (!r) throw new Error(`server closed the connection instead of answering ${JSON.stringify(line.slice(0, 60))}`);
    return r;
  }

  /** waitClosed - resolves true when the server closes within the time. */
  waitClosed(timeoutMs = 3000): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.socket.once('close', () => { clearTimeout(timer); resolve(true); });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/**
 * replyTo - one short session from 127.0.0.1: the banner, the commands in order, QUIT; the reply
 * to the last command as one line, `code enhanced-code text`.
 */
export async function replyTo(port: number, commands: string[]): Promise<string> {
  const c = await SmtpClient.connect(port);
  try {
    await c.read();
    let r: SmtpReply | null = null;
    for (const line of commands) r = await c.command(line);
    await c.command('QUIT');
    return r ? [r.code, r.enh, r.text].filter(Boolean).join(' ') : '';
  } finally {
    c.close();
  }
}

/** parseReply - code, enhanced code and text of a reply's lines. */
export function parseReply(lines: string[]): SmtpReply {
  const code = Number(lines[0].slice(0, 3));
  const texts = lines.map((l) => l.slice(4));
  const m = /^([245]\.\d{1,3}\.\d{1,3})(?:\s+|$)/.exec(texts[0] ?? '');
  return {
    code,
    enh: m ? m[1] : null,
    text: texts.map((t) => t.replace(/^[245]\.\d{1,3}\.\d{1,3}(\s+|$)/, '')).join('\n'),
    lines,
  };
}

/** dataWire - a message in DATA form: CRLF line ends, dot-stuffed, ending with CRLF.CRLF. */
export function dataWire(message: string): string {
  const lines = message.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  return lines.map((l) => (l.startsWith('.') ? '.' + l : l)).join('\r\n') + '\r\n.\r\n';
}
