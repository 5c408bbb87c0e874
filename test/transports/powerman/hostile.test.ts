import assert from 'assert';
import net from 'net';
import { DeviceCommandError, DeviceUnreachableError } from '../../../lib/device/errors';
import { PowermanClient } from '../../../lib/transports/powerman/client';
import { PowermanDriver } from '../../../lib/transports/powerman/driver';
import { startLoadProbe, within } from '../../helpers/load-probe';

// Something that is not a sane powermand on the PowerMan port: one endless line, endless lines
// without a prompt, errors megabytes long. powermand itself cannot be made to do this, so a
// small server here speaks its greeting and prompt and then misbehaves.

const GREETING = '001 powerman 2.4.4\r\npowerman> ';

interface FakePowermand {
  port: number;
  stop(): Promise<void>;
}

/** A server that greets (unless `greet` is false), switches host ranges on, and hands every other command to `answer`. */
async function fakePowermand(answer: (socket: net.Socket, command: string) => void, greet = true,
  onConnect?: (socket: net.Socket) => void): Promise<FakePowermand> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
        const command = pending.slice(0, end).trim();
        pending = pending.slice(end + 1);
        if (command === 'exprange') socket.write('105 Hostrange expansion ON\r\npowerman> ');
        else answer(socket, command);
      }
    });
    if (greet) socket.write(GREETING);
    onConnect?.(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Send `unit` over and over for `ms` (then stop), as fast as the client reads it. */
async function flood(socket: net.Socket, unit: string, ms: number): Promise<void> {
  const chunk = Buffer.from(unit.repeat(Math.ceil(65536 / unit.length)), 'latin1');
  const until = Date.now() + ms;
  while (Date.now() < until && !socket.destroyed) {
    if (!socket.write(chunk)) await drained(socket);
  }
}

/** Until the socket takes more, or closes. */
function drained(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

/** The query must fail soon with `expected`, the event loop and the memory free all along. */
async function queryThroughFlood(port: number, expected: RegExp): Promise<void> {
  const client = new PowermanClient('127.0.0.1', port, 2000);
  const probe = startLoadProbe();
  const started = Date.now();
  const failure = await within(client.query('status', 5000), 8000, 'query').then(() => undefined, (error: Error) => error);
  const failedAfter = Date.now() - started;
  const load = probe.stop();
  await client.close();
  console.log(`      failed after ${failedAfter} ms, max lag ${load.maxLagMs.toFixed(1)} ms, growth ${load.growthMiB.toFixed(1)} MiB`);
  assert.ok(failure instanceof DeviceUnreachableError, String(failure?.message).slice(0, 300));
  assert.match(failure.message, expected);
  assert.ok(failure.message.length < 600, `the message has ${failure.message.length} characters`);
  assert.ok(failedAfter < 3000, `failed after ${failedAfter} ms, while the server was still talking`);
  assert.ok(load.maxLagMs < 100, `event loop held up ${load.maxLagMs.toFixed(1)} ms`);
  assert.ok(load.growthMiB < 64, `memory grew ${load.growthMiB.toFixed(1)} MiB`);
}

describe('PowerMan client against a server that talks too much', function () {
  this.timeout(30000);
  let fake: FakePowermand | undefined;

  afterEach(async function () {
    await fake?.stop();
    fake = undefined;
  });

  it('closes a connection that sends one endless line instead of a greeting', async function () {
    fake = await fakePowermand(() => undefined, false, (socket) => { flood(socket, 'x', 6000).catch(() => undefined); });
    await queryThroughFlood(fake.port,
      /^powermand at 127\.0\.0\.1:\d+ sent a line longer than 256 KiB: the connection is closed; last output: "…x{200}" \(\d+ characters, last 200 shown\)$/);
  });

  it('closes a connection whose answer is endless lines and never a prompt', async function () {
    fake = await fakePowermand((socket) => { flood(socket, '303 n1: on\r\n', 6000).catch(() => undefined); });
    await queryThroughFlood(fake.port,
      /^powermand at 127\.0\.0\.1:\d+ sent more than 4 MiB without a prompt: the connection is closed; last output: ".*303 n1: on"$/);
  });

  it('quotes only a short tail of an error answer hundreds of kilobytes long', async function () {
    const huge = 'e'.repeat(200000);
    fake = await fakePowermand((socket) => socket.write(`309 ${huge}\r\n210 ${huge}\r\npowerman> `));
    const driver = new PowermanDriver({
      transport: 'powerman', host: '127.0.0.1', port: fake.port, profile: 'powerman', timeout: 2000, retries: 1, credentials: {}, settings: {},
    });
    const outlet = { index: 1, id: 'n1', name: 'n1', groups: [], key: 'n1' };
    try {
      await assert.rejects(driver.command({ outlets: [outlet] } as never, [outlet], 'on'), (error: Error) => {
        assert.ok(error instanceof DeviceCommandError, error.message.slice(0, 300));
        assert.ok(error.message.length < 1000, `the message has ${error.message.length} characters`);
        assert.match(error.message, /answered "…e{200}" \(200004 characters, last 200 shown\) to "on n1" \(completed with errors\): …e{200} \(200000 characters, last 200 shown\)$/);
        return true;
      });
    } finally {
      await driver.close();
    }
  });
});
