import { EventEmitter } from 'events';
import fs from 'fs';
import net from 'net';
import tls from 'tls';
import { NutConfigError, NutUnreachableError, nutError, type NutErrorContext } from './errors';
import { LineSplitter, LineTooLongError, MAX_LIST_LINES, MAX_LIST_SIZE, tail } from './lines';
import { parseError, quote } from './protocol';

export interface NutTlsOptions {
  /** Send STARTTLS before anything else and refuse to go on in clear text. */
  starttls: boolean;
  /** PEM file of the CA (or the server's own certificate) that must have signed upsd's certificate. */
  caFile?: string;
  /** PEM text, as an alternative to caFile. */
  ca?: string | Buffer;
  /** Name the certificate must carry; defaults to the host. */
  servername?: string;
}

export interface NutConnectionOptions {
  host: string;
  port: number;
  /** ms to wait for the connection, and for each answer (counted from the request, not from the last byte). */
  timeout: number;
  username?: string;
  password?: string;
  tls?: NutTlsOptions;
  /**
   * upsd answers with many small writes, so a client that only waits sees each answer held back
   * by the server's Nagle algorithm until our delayed ACK (~40 ms). When part of an answer has
   * arrived and more is due, we send a harmless `VER`: our ACK rides on it at once.
   */
  quickAck?: boolean;
  /** Reconnect delays after a lost connection, ms. */
  reconnectMin?: number;
  reconnectMax?: number;
}

type AnswerKind = 'line' | 'list' | 'discard';

interface Pending {
  kind: AnswerKind;
  context: NutErrorContext;
  lines: string[];
  /** Characters received for a list so far (bounded by MAX_LIST_SIZE). */
  size: number;
  begun: boolean;
  /** When the answer must be complete (Date.now() ms); discards have none. */
  deadline?: number;
  resolve(lines: string[]): void;
  reject(error: Error): void;
}

/** What a request is about, for error messages. `text` must not contain a secret. */
export interface RequestInfo {
  text: string;
  ups?: string;
}

/**
 * One persistent connection to upsd: requests are written as soon as they are asked (pipelined)
 * and answers are matched to them in order. The connection comes up on demand, with STARTTLS
 * and the login when configured, and after a loss it comes back with a growing delay.
 * Events: `connected`, `disconnected` (reason).
 */
export class NutConnection extends EventEmitter {
  readonly address: string;
  private socket?: net.Socket | tls.TLSSocket;
  private ready?: Promise<void>;
  private up = false;
  private reportedDown = false;
  private pending: Pending[] = [];
  private outbox: string[] = [];
  private readonly splitter = new LineSplitter();
  /** Quick-ACK nudges whose answers are still due. */
  private nudges = 0;
  private nudgeTimer?: NodeJS.Timeout;
  private timer?: NodeJS.Timeout;
  /** The request the timer is set for: a new timer only when the oldest request changes. */
  private timerFor?: Pending;
  /** The socket being dialled, so that close() can cut a slow connect short. */
  private dialing?: net.Socket;
  private reconnectTimer?: NodeJS.Timeout;
  private reconnectDelay: number;
  private closed = false;
  private generation = 0;
  /** Server features learned during the handshake. */
  tracking = false;
  encrypted = false;

  constructor(readonly options: NutConnectionOptions) {
    super();
    this.address = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
    this.reconnectDelay = options.reconnectMin ?? 500;
  }

  get connected(): boolean {
    return this.up;
  }

  /** Send one request; resolves with its answer line(s), rejects with a typed error. */
  async request(line: string, kind: 'line' | 'list', info: RequestInfo): Promise<string[]> {
    this.closed = false;
    await this.connect();
    return this.send(line, kind, info);
  }

  /** Send several requests in one write; one result per request, errors in place. */
  async pipeline(lines: string[], kind: 'line' | 'list', info: (index: number) => RequestInfo): Promise<Array<string[] | Error>> {
    this.closed = false;
    await this.connect();
    return Promise.all(lines.map((line, index) => this.send(line, kind, info(index)).catch((error: Error) => error)));
  }

  /**
   * Close the connection; the connection may be used again later. An idle connection says
   * LOGOUT first (for at most 200 ms); one with answers still due is cut at once, since a server
   * that is slow or stuck would otherwise hold the close (and a redeploy) behind them.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const socket = this.socket;
    const busy = this.pending.some((entry) => entry.kind !== 'discard');
    if (socket && this.up && !busy) {
      await Promise.race([
        this.send('LOGOUT', 'line', { text: 'LOGOUT' }).catch(() => undefined),
        new Promise((resolve) => { setTimeout(resolve, 200).unref(); }),
      ]);
    }
    this.drop(new NutUnreachableError(`connection to upsd at ${this.address} closed before the answer came`, 'CLOSED', 'close'), false);
  }

  /** Bring the connection up (once for all waiting requests). */
  connect(): Promise<void> {
    if (!this.ready) {
      if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
      this.reconnectTimer = undefined;
      const attempt = this.open();
      this.ready = attempt;
      attempt.catch((error: Error) => {
        if (this.ready === attempt) this.ready = undefined;
        this.markDown(error.message);
      });
    }
    return this.ready;
  }

  private async open(): Promise<void> {
    const generation = ++this.generation;
    const socket = await this.dial();
    if (generation !== this.generation) {
      socket.destroy();
      throw new NutUnreachableError(`connection to ${this.address} closed`, 'CLOSED', 'connect');
    }
    this.attach(socket);
    try {
      if (this.options.tls?.starttls) await this.startTls(socket);
      await this.handshake();
    } catch (error) {
      this.drop(error as Error, false);
      throw error;
    }
    this.up = true;
    this.reportedDown = false;
    this.reconnectDelay = this.options.reconnectMin ?? 500;
    this.emit('connected');
  }

  private dial(): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.options.host, port: this.options.port });
      this.dialing = socket;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new NutUnreachableError(`no answer from upsd at ${this.address} within ${this.options.timeout} ms `
          + '(check the host, the port and that upsd LISTENs on that address)', 'TIMEOUT', 'connect'));
      }, this.options.timeout);
      socket.once('connect', () => {
        clearTimeout(timer);
        this.dialing = undefined;
        socket.removeAllListeners('error');
        socket.removeAllListeners('close');
        resolve(socket);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        this.dialing = undefined;
        reject(this.socketError(error));
      });
      // Destroyed by close() while dialling (an error, if any, came first and settled this).
      socket.once('close', () => {
        clearTimeout(timer);
        this.dialing = undefined;
        reject(new NutUnreachableError(`connection to upsd at ${this.address} closed`, 'CLOSED', 'connect'));
      });
    });
  }

  private socketError(error: NodeJS.ErrnoException): Error {
    if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') {
      return new NutConfigError(`cannot resolve host "${this.options.host}"`, 'RESOLVE', 'connect');
    }
    if (error.code === 'ECONNREFUSED') {
      return new NutUnreachableError(`upsd at ${this.address} refused the connection (is upsd running and LISTENing on this address?)`,
        'REFUSED', 'connect');
    }
    return new NutUnreachableError(`connection to upsd at ${this.address} failed: ${error.code ?? error.message}`, 'LOST', 'connect');
  }

  private attach(socket: net.Socket | tls.TLSSocket): void {
    this.socket = socket;
    this.splitter.reset();
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.receive(socket, chunk));
    // Every socket error ends in 'close'; the error itself must never reach the process.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.socket === socket) {
        this.drop(new NutUnreachableError(`upsd at ${this.address} closed the connection`, 'LOST', 'connection'), true);
      }
    });
  }

  private async startTls(plain: net.Socket): Promise<void> {
    try {
      await this.send('STARTTLS', 'line', { text: 'STARTTLS' });
    } catch (error) {
      const token = (error as { token?: string }).token ?? '';
      if (token === 'FEATURE-NOT-CONFIGURED' || token === 'FEATURE-NOT-SUPPORTED' || token === 'UNKNOWN-COMMAND') {
        throw new NutConfigError(`upsd at ${this.address} does not offer STARTTLS (ERR ${token}`
          + `${token === 'FEATURE-NOT-CONFIGURED' ? ': no certificate configured in its upsd.conf' : ''}): `
          + 'configure CERTFILE (OpenSSL builds) or CERTPATH and CERTIDENT (NSS builds) on upsd, or turn STARTTLS off on the device config',
        'STARTTLS-REFUSED', 'STARTTLS');
      }
      throw error;
    }
    const options = this.options.tls!;
    let ca = options.ca;
    if (!ca && options.caFile) {
      try {
        ca = fs.readFileSync(options.caFile);
      } catch (error) {
        throw new NutConfigError(`cannot read the CA file "${options.caFile}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
          'TLS', 'STARTTLS');
      }
    }
    // From here the plain socket carries TLS records: it is no longer ours to read.
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    const host = options.servername ?? this.options.host;
    const secure = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const socket = tls.connect({
        socket: plain,
        ca,
        servername: net.isIP(host) ? undefined : host,
        host,
        rejectUnauthorized: true,
      });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new NutUnreachableError(`TLS handshake with ${this.address} took longer than ${this.options.timeout} ms`, 'TIMEOUT', 'STARTTLS'));
      }, this.options.timeout);
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(socket);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        plain.destroy();
        reject(new NutConfigError(`TLS with upsd at ${this.address} failed: ${error.message}`
          + `${error.code ? ` (${error.code})` : ''}; check the CA file on the device config and the certificate upsd presents`,
        'TLS', 'STARTTLS'));
      });
    });
    this.attach(secure);
    this.encrypted = true;
  }

  /** Login and tracking, on every new connection. A password is never part of a message. */
  private async handshake(): Promise<void> {
    const { username, password } = this.options;
    this.tracking = false;
    if (username) {
      await this.send(`USERNAME ${username}`, 'line', { text: `USERNAME ${username}` });
      if (password !== undefined && password !== '') {
        await this.send(`PASSWORD ${quote(password)}`, 'line', { text: 'PASSWORD ***' });
      }
      // upsd answers OK TRACKING <id> from now on (NUT 2.8+); older servers refuse, which is fine.
      this.tracking = await this.send('SET TRACKING ON', 'line', { text: 'SET TRACKING ON' }).then(() => true, () => false);
    }
  }

  private send(line: string, kind: AnswerKind, info: RequestInfo): Promise<string[]> {
    const socket = this.socket;
    if (!socket || socket.destroyed) {
      return Promise.reject(new NutUnreachableError(`not connected to upsd at ${this.address}`, 'LOST', info.text, info.ups));
    }
    return new Promise<string[]>((resolve, reject) => {
      this.pending.push({
        kind,
        context: { request: info.text, ups: info.ups, address: this.address, username: this.options.username },
        lines: [],
        size: 0,
        begun: false,
        deadline: Date.now() + this.options.timeout,
        resolve,
        reject,
      });
      this.write(line);
      this.armTimer();
    });
  }

  /** Lines asked in the same tick go out in one write, so a burst of GETs is one segment. */
  private write(line: string): void {
    this.outbox.push(line);
    if (this.outbox.length === 1) {
      process.nextTick(() => {
        const text = this.outbox.map((item) => `${item}\n`).join('');
        this.outbox = [];
        if (this.socket && !this.socket.destroyed) this.socket.write(text);
      });
    }
  }

  private receive(socket: net.Socket | tls.TLSSocket, chunk: string): void {
    if (socket !== this.socket) return;
    let lines: string[];
    try {
      lines = this.splitter.push(chunk);
    } catch (error) {
      if (!(error instanceof LineTooLongError)) throw error;
      return this.refuse(`sent ${error.message}`);
    }
    for (const line of lines) {
      this.answer(line);
      if (socket !== this.socket) return; // the answer was refused and the connection dropped
    }
    this.armTimer();
    this.nudge();
  }

  /** The server sent something no upsd sends: fail what is due, and drop the connection. */
  private refuse(what: string): void {
    const head = this.pending.find((entry) => entry.kind !== 'discard');
    const request = head?.context.request ?? 'no request';
    this.drop(new NutUnreachableError(`upsd at ${this.address} ${what} in answer to ${request}: `
      + 'that is no NUT server or a broken one, so the connection was dropped', 'PROTOCOL', request, head?.context.ups), true);
  }

  /**
   * Data came and an answer is still due: the rest may sit in upsd's send buffer until our ACK,
   * so send one at once, riding on a VER whose answer is dropped. If nothing comes within 2 ms
   * (the ACK went out before upsd had written), nudge once more. Measured in bench/nut.ts.
   */
  private nudge(again = true): void {
    if (this.nudgeTimer) clearTimeout(this.nudgeTimer);
    this.nudgeTimer = undefined;
    const waiting = this.pending.some((entry) => entry.kind !== 'discard');
    if (!waiting || !this.up || this.options.quickAck === false) return;
    // Bounded, so that a slow link gets a few VERs per answer and not a stream of them.
    if (this.nudges < 16) {
      this.nudges += 1;
      const settled = (): void => { this.nudges -= 1; };
      this.pending.push({
        kind: 'discard', context: { request: 'VER', address: this.address }, lines: [], size: 0, begun: false, resolve: settled, reject: settled,
      });
      this.write('VER');
    }
    if (again) this.nudgeTimer = setTimeout(() => this.nudge(false), 2);
  }

  private answer(line: string): void {
    const head = this.pending[0];
    if (!head) return; // nothing asked: upsd never speaks first, ignore
    if (head.kind === 'list') {
      if (!head.begun) {
        const error = parseError(line);
        if (error) return this.settle(nutError(error.token, error.extra, head.context));
        if (!line.startsWith('BEGIN LIST ')) {
          return this.settle(new NutUnreachableError(`unexpected answer from ${this.address} to ${head.context.request}: "${tail(line, 80)}"`,
            'PROTOCOL', head.context.request, head.context.ups));
        }
        head.begun = true;
        return undefined;
      }
      if (line.startsWith('END LIST ')) return this.settle(head.lines);
      head.lines.push(line);
      head.size += line.length + 1;
      if (head.lines.length > MAX_LIST_LINES || head.size > MAX_LIST_SIZE) {
        return this.refuse(`sent more than ${MAX_LIST_LINES} lines or ${MAX_LIST_SIZE / 1024 / 1024} MiB (the last one: "${tail(line)}")`);
      }
      return undefined;
    }
    const error = parseError(line);
    if (error && head.kind !== 'discard') return this.settle(nutError(error.token, error.extra, head.context));
    return this.settle([line]);
  }

  private settle(outcome: string[] | Error): void {
    const head = this.pending.shift()!;
    if (outcome instanceof Error) head.reject(outcome);
    else head.resolve(outcome);
  }

  /**
   * One timer for the oldest answer due: upsd answers in order, so a late one stalls all. It
   * runs to that request's deadline, and data coming in does not push it back: a server that
   * trickles an answer a byte at a time must not hold a poll for ever.
   */
  private armTimer(): void {
    const head = this.pending.find((entry) => entry.kind !== 'discard');
    if (head === this.timerFor) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerFor = head;
    if (!head) return;
    const request = head.context.request;
    this.timer = setTimeout(() => {
      const partly = head.lines.length > 0 || head.begun ? ' (only part of it came)' : '';
      this.drop(new NutUnreachableError(`no complete answer from upsd at ${this.address} within ${this.options.timeout} ms `
        + `(${request})${partly}`, 'TIMEOUT', request, head.context.ups), true);
    }, Math.max(0, (head.deadline ?? Date.now()) - Date.now()));
  }

  /** Tear the connection down, fail what is waiting, and (after a loss) plan the reconnect. */
  private drop(reason: Error, lost: boolean): void {
    const socket = this.socket;
    this.socket = undefined;
    this.ready = undefined;
    this.generation += 1;
    if (this.timer) clearTimeout(this.timer);
    if (this.nudgeTimer) clearTimeout(this.nudgeTimer);
    this.timer = undefined;
    this.timerFor = undefined;
    this.nudgeTimer = undefined;
    socket?.destroy();
    this.dialing?.destroy();
    const waiting = this.pending;
    this.pending = [];
    this.outbox = [];
    for (const entry of waiting) entry.reject(reason);
    const wasUp = this.up;
    this.up = false;
    this.encrypted = false;
    if (wasUp && lost) this.markDown(reason.message);
  }

  private markDown(reason: string): void {
    if (!this.reportedDown && !this.closed) {
      this.reportedDown = true;
      this.emit('disconnected', reason);
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer || this.ready) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(delay * 2, this.options.reconnectMax ?? 30000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.closed) this.connect().catch(() => undefined);
    }, delay);
    this.reconnectTimer.unref();
  }
}

