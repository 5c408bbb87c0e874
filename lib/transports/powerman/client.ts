import net from 'net';
import { DeviceCommandError, DeviceUnreachableError } from '../../device/errors';
import { CommandQueue } from '../../device/queue';

/** One numbered line of powermand's answer (`303 t3: on`). */
export interface PowermanLine {
  code: number;
  text: string;
}

export interface PowermanReply {
  /** The final code: 1xx success, 2xx error. */
  code: number;
  text: string;
  /** The 3xx information lines before it. */
  info: PowermanLine[];
}

const PROMPT = 'powerman> ';

/**
 * powermand's client protocol (TCP, default port 10101): a greeting `001 <version>`, then one
 * command per line answered by numbered lines and the `powerman> ` prompt. Host-range
 * expansion is switched on so that every node gets a line of its own. The connection is kept
 * and opened again after a drop; commands go one at a time (powermand answers 208 otherwise).
 */
export class PowermanClient {
  readonly address: string;
  version = '';
  private socket?: net.Socket;
  private buffer = '';
  private waiting?: { resolve(lines: string[]): void; reject(error: Error): void; timer: NodeJS.Timeout };
  private readonly queue = new CommandQueue();

  constructor(private readonly host: string, private readonly port: number, private readonly timeout: number) {
    this.address = `${host}:${port}`;
  }

  /** Send one command and wait for powermand's complete answer (it answers once the devices did). */
  query(command: string, wait: number): Promise<PowermanReply> {
    return this.queue.run(async () => {
      if (!this.socket) await this.connect();
      return parseReply(await this.exchange(`${command}\r\n`, wait, `"${command}"`));
    });
  }

  close(): Promise<void> {
    return this.queue.run(async () => {
      const socket = this.socket;
      if (!socket) return;
      try {
        await this.exchange('quit\r\n', Math.min(this.timeout, 1000), '"quit"', true);
      } catch {
        // Closing anyway.
      }
      this.drop();
    });
  }

  private async connect(): Promise<void> {
    const socket = net.connect({ host: this.host, port: this.port });
    this.buffer = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new DeviceUnreachableError(`no answer from powermand at ${this.address} within ${this.timeout} ms`));
      }, this.timeout);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new DeviceUnreachableError(error.code === 'ECONNREFUSED'
          ? `powermand at ${this.address} refused the connection (is powermand running, and listening there?)`
          : `cannot connect to powermand at ${this.address}: ${error.code ?? error.message}`, error));
      });
    });
    socket.setNoDelay(true);
    socket.on('error', () => undefined); // 'close' follows and reports it
    socket.on('data', (chunk: Buffer) => this.receive(chunk.toString('latin1')));
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      this.fail(new DeviceUnreachableError(`powermand at ${this.address} closed the connection`));
    });
    this.socket = socket;
    const greeting = parseReply(await this.exchange('', this.timeout, 'greeting'));
    this.version = greeting.code === 1 ? greeting.text : '';
    // `exprange` toggles: ask until it says ON (105).
    for (let tries = 0; tries < 2; tries += 1) {
      const reply = parseReply(await this.exchange('exprange\r\n', this.timeout, '"exprange"'));
      if (reply.code === 105) return;
    }
    throw new DeviceCommandError(`powermand at ${this.address} would not switch host-range expansion on`);
  }

  private exchange(text: string, wait: number, what: string, closing = false): Promise<string[]> {
    const socket = this.socket;
    if (!socket || socket.destroyed) return Promise.reject(new DeviceUnreachableError(`connection to powermand at ${this.address} is closed`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        // The answer may still come later and would be taken for the next one: start afresh.
        this.drop();
        reject(new DeviceUnreachableError(`powermand at ${this.address} did not answer ${what} within ${wait} ms`));
      }, wait);
      this.waiting = { resolve, reject, timer };
      if (text) socket.write(text);
      if (closing) socket.once('close', () => resolve([]));
      this.check();
    });
  }

  private receive(text: string): void {
    this.buffer += text;
    this.check();
  }

  private check(): void {
    const at = this.buffer.indexOf(PROMPT);
    const waiting = this.waiting;
    if (at < 0 || !waiting) {
      // `101 Goodbye` ends the session without a prompt.
      if (waiting && /^101 /m.test(this.buffer)) {
        this.finish();
        waiting.resolve(this.buffer.split(/\r?\n/));
      }
      return;
    }
    const answer = this.buffer.slice(0, at);
    this.buffer = this.buffer.slice(at + PROMPT.length);
    this.finish();
    waiting.resolve(answer.split(/\r?\n/).filter(Boolean));
  }

  private finish(): void {
    if (this.waiting) clearTimeout(this.waiting.timer);
    this.waiting = undefined;
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.finish();
    waiting?.reject(error);
  }

  private drop(): void {
    const socket = this.socket;
    this.socket = undefined;
    this.buffer = '';
    socket?.destroy();
  }
}

function parseReply(lines: string[]): PowermanReply {
  const parsed = lines.map((line) => /^(\d{3}) ?(.*)$/.exec(line.trim())).filter((m): m is RegExpExecArray => Boolean(m))
    .map((m) => ({ code: Number(m[1]), text: m[2] }));
  const final = [...parsed].reverse().find((line) => line.code < 300) ?? { code: 0, text: '' };
  return { code: final.code, text: final.text, info: parsed.filter((line) => line.code >= 300) };
}
