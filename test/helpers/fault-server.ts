import net from 'net';

/**
 * A NUT "server" that misbehaves on purpose (upsd cannot be made to): it hands every request
 * line to `answer`, which writes whatever the test wants, or nothing. It records when each
 * connection opened and ended, so a test can see that the client really let go.
 */
export interface FaultServer {
  port: number;
  /** Request lines received, in order, over all connections. */
  requests: string[];
  /** One entry per connection: when it opened and (once it did) when it ended, Date.now() ms. */
  connections: Array<{ opened: number; ended?: number }>;
  close(): Promise<void>;
}

export type Answer = (socket: net.Socket, line: string) => void;

export function startFaultServer(answer: Answer): Promise<FaultServer> {
  const sockets = new Set<net.Socket>();
  const requests: string[] = [];
  const connections: FaultServer['connections'] = [];
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const record: { opened: number; ended?: number } = { opened: Date.now() };
    connections.push(record);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      record.ended = Date.now();
      sockets.delete(socket);
    });
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        requests.push(line);
        answer(socket, line);
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        requests,
        connections,
        close: () => new Promise<void>((done) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => done());
        }),
      });
    });
  });
}

/** Write `next()` for as long as the peer reads it, pacing on 'drain', until the socket closes. */
export function stream(socket: net.Socket, next: () => string): void {
  const pump = (): void => {
    while (!socket.destroyed && socket.write(next()));
    if (!socket.destroyed) socket.once('drain', pump);
  };
  pump();
}

/** Write `text` one character every `ms`, over and over, until the socket closes. */
export function trickle(socket: net.Socket, text: string, ms: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed) {
      clearInterval(timer);
      return;
    }
    socket.write(text[i % text.length]);
    i += 1;
  }, ms);
}
