import net from 'net';
import { DeviceCommandError, DeviceUnreachableError } from '../../device/errors';
import { CommandQueue } from '../../device/queue';
import { DEVICE_WORDS_SHOWN, deviceWords } from '../device-words';

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
/** The longest line powermand writes (a host list of a big cluster fits); more is not powermand. */
export const MAX_LINE = 256 * 1024;
/** The most one answer may hold, its lines together: a status line for each of 100,000 nodes fits. */
export const MAX_ANSWER = 4 * 1024 * 1024;

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
  /**
   * The line being received; the complete lines of the answer being received, in the pieces
   * they came in (held as few strings, not one per line); complete answers; all their characters.
   */
  private partial = '';
  private current: string[] = [];
  private answers: string[] = [];
  private held = 0;
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
    this.forget();
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
    this.version = greeting.code === 1 ? greeting.text.slice(0, 100) : '';
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

  /**
   * Find where answers end as text comes, with a search of the new text for each kind of end
   * (never a look at every line): the prompt, which starts a line and has no line end, and
   * `101 Goodbye`, which ends the session without one.
   */
  private receive(chunk: string): void {
    const text = this.partial + chunk;
    // `start` is always where a line starts: the partial line's start, or just after an end.
    let start = 0;
    for (;;) {
      const prompt = atLineStart(text, PROMPT, start);
      const goodbye = atLineStart(text, '101 ', start);
      const goodbyeEnd = goodbye < 0 ? -1 : text.indexOf('\n', goodbye);
      if (prompt >= 0 && (goodbyeEnd < 0 || prompt < goodbye)) {
        this.hold(text.slice(start, prompt));
        this.complete();
        start = prompt + PROMPT.length;
      } else if (goodbyeEnd >= 0) {
        this.hold(text.slice(start, goodbyeEnd + 1));
        this.complete();
        start = goodbyeEnd + 1;
      } else {
        break;
      }
    }
    const line = Math.max(start, text.lastIndexOf('\n') + 1);
    this.hold(text.slice(start, line));
    this.partial = text.slice(line);
    if (this.partial.length > MAX_LINE) {
      this.overflow(`a line longer than ${MAX_LINE / 1024} KiB`, deviceWords(this.partial));
      return;
    }
    if (this.held > MAX_ANSWER) {
      const last = this.current[this.current.length - 1] ?? '';
      this.overflow(`more than ${MAX_ANSWER / 1024 / 1024} MiB without a prompt`, deviceWords(last.slice(-DEVICE_WORDS_SHOWN)));
      return;
    }
    this.check();
  }

  private hold(text: string): void {
    if (!text) return;
    this.current.push(text);
    this.held += text.length;
  }

  private complete(): void {
    this.answers.push(this.current.join(''));
    this.current = [];
  }

  private check(): void {
    const waiting = this.waiting;
    const answer = this.answers[0];
    if (!waiting || answer === undefined) return;
    this.answers.shift();
    this.held -= answer.length;
    this.finish();
    waiting.resolve(answer.split(/\r?\n/).filter(Boolean));
  }

  /** powermand would never say this much: whatever talks there is not to be followed. */
  private overflow(what: string, last: string): void {
    const error = new DeviceUnreachableError(`powermand at ${this.address} sent ${what}: the connection is closed; last output: ${last}`);
    this.drop();
    this.fail(error);
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
    this.forget();
    socket?.destroy();
  }

  private forget(): void {
    this.partial = '';
    this.current = [];
    this.answers = [];
    this.held = 0;
  }
}

function parseReply(lines: string[]): PowermanReply {
  const parsed = lines.map((line) => /^(\d{3}) ?(.*)$/.exec(line.trim())).filter((m): m is RegExpExecArray => Boolean(m))
    .map((m) => ({ code: Number(m[1]), text: m[2] }));
  const final = [...parsed].reverse().find((line) => line.code < 300) ?? { code: 0, text: '' };
  return { code: final.code, text: final.text, info: parsed.filter((line) => line.code >= 300) };
}

/** Where `word` next starts a line, at `from` (a line start) or later; -1 if nowhere yet. */
function atLineStart(text: string, word: string, from: number): number {
  if (text.startsWith(word, from)) return from;
  const at = text.indexOf(`\n${word}`, from);
  return at < 0 ? -1 : at + 1;
}
