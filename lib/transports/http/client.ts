import fs from 'fs';
import http from 'http';
import https from 'https';
import { DeviceConfigError } from '../../device/errors';
import { DigestSession, digestChallenges } from './digest';
import { statusError, transportError } from './errors';
import { exchange, ExchangeCancelled, type Exchange, type HttpAnswer } from './exchange';

export interface HttpClientOptions {
  host: string;
  port: number;
  secure: boolean;
  /** PEM of the CA that signed the device's certificate; the system's CAs when unset. */
  caFile?: string;
  /** Accept any certificate (a self-signed device certificate): encrypted, but not authenticated. */
  insecure: boolean;
  /** Total time per request, ms. */
  timeout: number;
  auth: 'digest' | 'basic';
  username?: string;
  password?: string;
  /** Headers a state-changing request carries, for the 403 message. */
  writeHeaders: Record<string, string>;
}

export interface HttpRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** A read may be cut by abort(); a write keeps its grace until close(). */
  write: boolean;
}

/** At most this many connections to one device: commands go one at a time anyway. */
const MAX_SOCKETS = 2;

/**
 * HTTP(S) to one device: authentication (Digest with its nonce and count, or Basic), bounded
 * requests over a small keep-alive pool, and a clear error for every status and failure.
 */
export class HttpClient {
  readonly address: string;
  private agent?: http.Agent;
  private digest?: DigestSession;
  private readonly running = new Map<Exchange, HttpRequest>();
  private readonly ca?: Buffer;

  constructor(private readonly options: HttpClientOptions) {
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    this.address = `${options.secure ? 'https' : 'http'}://${host}:${options.port}`;
    if (options.secure && options.caFile) {
      try {
        this.ca = fs.readFileSync(options.caFile);
      } catch (error) {
        throw new DeviceConfigError(`cannot read the CA file "${options.caFile}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
    }
  }

  /** Send a request (answering the device's Digest challenge); a non-2xx answer is an error. */
  async request(request: HttpRequest): Promise<HttpAnswer> {
    const what = `${request.method} ${this.address}${request.path}`;
    let answer = await this.send(request, what);
    // A first challenge (no nonce yet, or the device retired ours) is answered once; a stale
    // nonce as often as the device says so, within a small bound.
    for (let attempt = 0; answer.status === 401 && this.options.auth === 'digest' && attempt < 3; attempt += 1) {
      const challenge = digestChallenges(answer.challenges)[0];
      if (!challenge || !this.options.username) break;
      const retry = !this.digest || challenge.stale || challenge.nonce !== this.digest.challenge.nonce;
      if (!retry || (attempt > 0 && !challenge.stale)) break;
      this.digest = new DigestSession(challenge);
      answer = await this.send(request, what);
    }
    if (answer.status < 200 || answer.status > 299) {
      if (answer.status === 401) this.digest = undefined;
      throw statusError(answer, what, { username: this.options.username, writeHeaders: this.options.writeHeaders, write: request.write });
    }
    return answer;
  }

  /** Cut short the reads in flight (they reject); writes keep going. */
  abortReads(): void {
    for (const [running, request] of this.running) {
      if (!request.write) running.cancel(new ExchangeCancelled(`${request.method} ${this.address}${request.path}: cancelled (closing)`));
    }
  }

  /** Cut every request in flight and close the connections; the client may be used again. */
  close(): void {
    for (const [running, request] of this.running) {
      running.cancel(new ExchangeCancelled(`${request.method} ${this.address}${request.path}: cancelled (closing), its outcome is unknown`));
    }
    this.agent?.destroy();
    this.agent = undefined;
  }

  private async send(request: HttpRequest, what: string): Promise<HttpAnswer> {
    const headers: Record<string, string> = { ...request.headers };
    const authorization = this.authorization(request);
    if (authorization) headers.Authorization = authorization;
    const running = exchange({
      agent: this.pool(), secure: this.options.secure, host: this.options.host, port: this.options.port,
      method: request.method, path: request.path, headers, body: request.body, timeout: this.options.timeout, what,
    });
    this.running.set(running, request);
    try {
      return await running.answer;
    } catch (error) {
      throw transportError(error as NodeJS.ErrnoException, what);
    } finally {
      this.running.delete(running);
    }
  }

  private authorization(request: HttpRequest): string | undefined {
    const { username, password = '' } = this.options;
    if (username === undefined || username === '') return undefined;
    if (this.options.auth === 'basic') return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
    return this.digest?.authorization(request.method, request.path, username, password);
  }

  private pool(): http.Agent {
    if (!this.agent) {
      const common = { keepAlive: true, maxSockets: MAX_SOCKETS, maxFreeSockets: 1, timeout: this.options.timeout };
      this.agent = this.options.secure
        ? new https.Agent({ ...common, ca: this.ca, rejectUnauthorized: !this.options.insecure })
        : new http.Agent(common);
    }
    return this.agent;
  }
}
