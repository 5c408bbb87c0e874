import http from 'http';
import https from 'https';
import { DeviceCommandError, DeviceUnreachableError } from '../../device/errors';

// One HTTP request and its whole answer, bounded: a device that never answers, or answers a body
// that never ends, or a body far larger than any outlet list, costs at most the timeout and
// MAX_BODY bytes, and nothing more.

/** Far above any outlet list or netio.json (a few KiB); an answer beyond it is cut off. */
export const MAX_BODY = 1024 * 1024;

export interface HttpAnswer {
  status: number;
  statusText: string;
  /** Every WWW-Authenticate header, one entry each. */
  challenges: string[];
  body: string;
}

export interface ExchangeRequest {
  agent: http.Agent;
  secure: boolean;
  host: string;
  port: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Total time for the request and its whole answer, ms. */
  timeout: number;
  /** Where the request is, for messages: `GET https://pdu:443/netio.json`. */
  what: string;
}

/** A request cut short by close() or abort(): its promise rejects with this. */
export class ExchangeCancelled extends DeviceUnreachableError {}

/** A running request: its answer, and a way to cut it short. */
export interface Exchange {
  answer: Promise<HttpAnswer>;
  cancel(error: Error): void;
}

export function exchange(request: ExchangeRequest): Exchange {
  const module = request.secure ? https : http;
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(request.body));
  const req = module.request({
    agent: request.agent, host: request.host, port: request.port, method: request.method, path: request.path, headers,
  });
  let cancelWith: (error: Error) => void = () => undefined;
  const answer = new Promise<HttpAnswer>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined, result?: HttpAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        req.destroy();
        reject(error);
      } else {
        resolve(result!);
      }
    };
    // One deadline for everything: connecting, the headers, and the last byte of the body.
    const timer = setTimeout(() => finish(new DeviceUnreachableError(
      `no complete answer from ${request.what} within ${request.timeout} ms`)), request.timeout);
    req.on('error', (error: NodeJS.ErrnoException) => finish(error));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) {
          finish(new DeviceCommandError(`${request.what} answered more than ${MAX_BODY} bytes: not an answer this device gives, cut off`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (error) => finish(error));
      res.on('aborted', () => finish(new DeviceUnreachableError(`${request.what}: the connection closed in the middle of the answer`)));
      res.on('end', () => {
        const challenges: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (res.rawHeaders[i].toLowerCase() === 'www-authenticate') challenges.push(res.rawHeaders[i + 1]);
        }
        finish(undefined, {
          status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', challenges, body: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    cancelWith = (error) => finish(error);
  });
  req.end(request.body);
  return { answer, cancel: (error) => cancelWith(error) };
}
