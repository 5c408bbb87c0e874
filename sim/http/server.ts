import crypto from 'crypto';
import http from 'http';
import https from 'https';
import type net from 'net';
import { authorizationFields, expectedDigestResponse } from '../../lib/transports/http/digest';
import type { SimModel } from '../model';
import type { SimDevice, SimDeviceOptions } from '../snmp/sim-device';

// The HTTP side every simulated HTTP PDU shares: plain or TLS, the device's login (Digest with
// real nonces, or Basic), and the faults a real web server shows: busy, never answering, an
// answer that never ends.

export interface HttpSimOptions extends SimDeviceOptions {
  /** user -> password. */
  users?: Record<string, string>;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface HttpFaults {
  /** Answer with this status and text (a device busy with a cycle or a script); only PUT and POST with `writes`. */
  busy?: { status: number; text: string; writes?: boolean };
  /** Take requests and never answer. */
  silent?: boolean;
  /** Answer 200 and send the body forever, a little at a time. */
  endless?: boolean;
}

export interface SimRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  user: string;
}

export interface SimAnswer {
  status: number;
  body?: string;
  type?: string;
}

export interface HttpSimDevice extends SimDevice {
  faults: HttpFaults;
  /** Every request the device took, oldest first (method, path with query, user). */
  requests: Array<{ method: string; url: string; user?: string }>;
  /** Retire every nonce handed out: the next request with one is told `stale=true`. */
  expireNonces(): void;
}

interface Login {
  scheme: 'digest' | 'basic';
  realm: string;
  /** Digest algorithms offered, strongest first (one WWW-Authenticate header each). */
  algorithms?: string[];
}

export const json = (value: unknown): SimAnswer => ({ status: 200, body: JSON.stringify(value), type: 'application/json' });

/** Start a simulated HTTP PDU; `route` answers a request the login let through. */
export async function startHttpSim(id: string, options: HttpSimOptions, model: SimModel, login: Login,
  route: (request: SimRequest) => SimAnswer, label: string): Promise<HttpSimDevice> {
  const users = options.users ?? { admin: '1234' };
  const faults: HttpFaults = {};
  const requests: HttpSimDevice['requests'] = [];
  /** nonce -> highest nc seen; retired nonces are kept to answer `stale=true`. */
  const nonces = new Map<string, number>();
  const retired = new Set<string>();
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const challenge = (res: http.ServerResponse, stale: boolean): void => {
    const headers = login.scheme === 'basic'
      ? [`Basic realm="${login.realm}"`]
      : (login.algorithms ?? ['MD5']).map((algorithm) => {
        const nonce = crypto.randomBytes(16).toString('hex');
        nonces.set(nonce, 0);
        return `Digest realm="${login.realm}", qop="auth", algorithm=${algorithm}, nonce="${nonce}", opaque="${id}"${stale ? ', stale=true' : ''}`;
      });
    res.writeHead(401, { 'WWW-Authenticate': headers, 'Content-Type': 'text/html' });
    res.end('<html><body><h1>401 Unauthorized</h1></body></html>');
  };

  /** The user the request proves it is, `stale` for a right answer to a retired nonce, or undefined. */
  const authenticate = (req: http.IncomingMessage): string | 'stale' | undefined => {
    const header = req.headers.authorization ?? '';
    if (login.scheme === 'basic') {
      const match = /^Basic\s+(\S+)/i.exec(header);
      if (!match) return undefined;
      const text = Buffer.from(match[1], 'base64').toString('utf8');
      const user = text.slice(0, text.indexOf(':'));
      return text.includes(':') && users[user] === text.slice(text.indexOf(':') + 1) ? user : undefined;
    }
    const fields = authorizationFields(header);
    const user = fields?.get('username');
    if (!fields || user === undefined || users[user] === undefined || fields.get('uri') !== req.url) return undefined;
    if (fields.get('response') !== expectedDigestResponse(fields, req.method ?? 'GET', users[user])) return undefined;
    const nonce = fields.get('nonce')!;
    if (retired.has(nonce)) return 'stale';
    const last = nonces.get(nonce);
    const nc = parseInt(fields.get('nc') ?? '', 16);
    // A count that does not grow is a replayed request.
    if (last === undefined || !(nc > last)) return undefined;
    nonces.set(nonce, nc);
    return user;
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, body: string): void => {
    const user = authenticate(req);
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', user: user === 'stale' ? undefined : user });
    if (user === undefined || user === 'stale') return challenge(res, user === 'stale');
    if (faults.silent) return;
    if (faults.busy && (!faults.busy.writes || req.method === 'PUT' || req.method === 'POST')) {
      res.writeHead(faults.busy.status, { 'Content-Type': 'text/plain' });
      res.end(faults.busy.text);
      return;
    }
    if (faults.endless) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const timer = setInterval(() => res.write('['.repeat(65536)), 5);
      timers.add(timer);
      res.on('close', () => { clearInterval(timer); timers.delete(timer); });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://sim');
    let answer: SimAnswer;
    try {
      answer = route({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body, user });
    } catch (error) {
      answer = { status: 400, body: (error as Error).message, type: 'text/plain' };
    }
    res.writeHead(answer.status, answer.body === undefined ? {} : { 'Content-Type': answer.type ?? 'text/plain' });
    res.end(answer.body);
  };

  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  };
  const server = options.tls ? https.createServer(options.tls, listener) : http.createServer(listener);
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.address ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    id,
    port,
    model,
    faults,
    requests,
    summary: `${label} on ${options.tls ? 'https' : 'http'} ${port}`,
    expireNonces() {
      for (const nonce of nonces.keys()) retired.add(nonce);
      nonces.clear();
    },
    async stop() {
      for (const timer of timers) clearInterval(timer);
      model.stop();
      model.removeAllListeners();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
