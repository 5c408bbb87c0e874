import net from 'net';
import { SerialPort } from 'serialport';
import { TelnetCodec } from '../../lib/transports/cli/telnet-codec';
import { SimModel, type SimOutletConfig } from '../model';
import { outletConfigs, type SimDevice, type SimDeviceOptions } from '../snmp/sim-device';
import { BUILT_IN_USERS, type ConsoleDevice, type ConsoleSession, type SimUser } from './console';
import { startPtyPair, type PtyPair } from './pty';
import type { TerminalLink } from './terminal';

export interface CliSimOptions extends SimDeviceOptions {
  users?: SimUser[];
  location?: string;
  /** ms; the Sentry power manager: 5 minutes idle, 60 s per login prompt, 7 s between sessions. */
  idleTimeout?: number;
  promptTimeout?: number;
  sessionGap?: number;
  /** Ports only the administrator may switch. */
  adminOnly?: number[];
  /** Offer Telnet options (WILL ECHO, WILL SGA) on connect, as the Sentry power manager's NIC does. */
  telnet?: boolean;
  /** Also serve a serial line: socat makes a pty pair and the client opens this path. */
  pty?: string;
}

export interface CliSimDevice extends SimDevice {
  /** Counters, faults and timers shared by every session of this device. */
  console: ConsoleDevice;
  /** The client end of the pty, when started with `pty`. */
  serialPath?: string;
  /** Serve the console on a tty (one end of a pty pair); resolves with a function that detaches it. */
  attachSerial(path: string, baudRate?: number): Promise<() => Promise<void>>;
}

type SessionFactory = (link: TerminalLink, device: ConsoleDevice) => ConsoleSession;

export interface Personality {
  id: string;
  label: string;
  defaultOutlets: SimOutletConfig[] | number;
  /** The name of outlet n when only a number of outlets is asked for (the Sentry power manager's names have 8 characters at most). */
  outletName(n: number): string;
  /** Show the banner as soon as a TCP client connects (else wait for its carriage return). */
  bannerOnConnect: boolean;
  session: SessionFactory;
}

/** A simulated command-line power device on TCP (and optionally a pty), one session at a time. */
export async function startConsoleSim(personality: Personality, options: CliSimOptions): Promise<CliSimDevice> {
  const device = consoleDevice(personality, options);
  const model = device.model;
  const sessions = new Set<ConsoleSession>();
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    if (device.active?.holding) {
      // The NIC's serial port is held by another session.
      socket.end('Sorry, another session is active. Try again later!\r\n');
      return;
    }
    const codec = new TelnetCodec();
    const link: TerminalLink = {
      kind: 'tcp',
      write: (text) => { if (!socket.destroyed) socket.write(Buffer.from(text, 'latin1')); },
      end: () => socket.end(),
      drop: () => socket.destroy(),
      backlog: () => socket.writableLength,
    };
    const session = personality.session(link, device);
    sessions.add(session);
    socket.on('data', (chunk: Buffer) => session.input(codec.decode(chunk).data.toString('latin1')));
    socket.on('close', () => {
      session.detach();
      sessions.delete(session);
      sockets.delete(socket);
    });
    if (options.telnet !== false) socket.write(Buffer.from([255, 251, 1, 255, 251, 3]));
    if (personality.bannerOnConnect) session.wake();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.address ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  const detachers = new Set<() => Promise<void>>();
  const attachSerial = async (path: string, baudRate = 9600): Promise<() => Promise<void>> => {
    const serial = new SerialPort({ path, baudRate, autoOpen: false });
    serial.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => serial.open((error) => (error ? reject(error) : resolve())));
    const link: TerminalLink = {
      kind: 'serial',
      write: (text) => { if (serial.isOpen) serial.write(Buffer.from(text, 'latin1')); },
      // A serial line never closes: the device goes back to waiting for a carriage return.
      end: () => undefined,
      drop: () => undefined,
      backlog: () => serial.writableLength,
    };
    const session = personality.session(link, device);
    sessions.add(session);
    serial.on('data', (chunk: Buffer) => session.input(chunk.toString('latin1')));
    const detach = async (): Promise<void> => {
      detachers.delete(detach);
      session.detach();
      sessions.delete(session);
      if (serial.isOpen) await new Promise<void>((resolve) => serial.close(() => resolve()));
    };
    serial.on('close', () => { session.detach(); sessions.delete(session); });
    detachers.add(detach);
    return detach;
  };

  let pty: PtyPair | undefined;
  if (options.pty) {
    pty = await startPtyPair(options.pty, `${options.pty}.device`);
    await attachSerial(pty.b);
  }

  return {
    id: personality.id,
    port,
    model,
    console: device,
    serialPath: pty?.a,
    attachSerial,
    summary: `${personality.label} (${model.outlets.length} ports) on tcp ${port}${pty ? ` and serial ${pty.a}` : ''}`,
    async stop() {
      model.stop();
      model.removeAllListeners();
      for (const session of sessions) session.stop();
      for (const detach of [...detachers]) await detach();
      await pty?.stop();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The hardware, users, timers and counters every session of one simulated console shares. */
export function consoleDevice(personality: Personality, options: CliSimOptions): ConsoleDevice {
  const model = new SimModel({
    outlets: outletConfigs({ ...options, outlets: outletList(options.outlets ?? personality.defaultOutlets, personality) }, 8),
    rebootDelay: options.rebootDelay ?? 15000,
    driftInterval: options.driftInterval,
    temperature: 27,
  });
  return {
    model,
    users: options.users ?? BUILT_IN_USERS,
    location: options.location ?? options.name ?? 'rack-12',
    idleTimeout: options.idleTimeout ?? 300000,
    promptTimeout: options.promptTimeout ?? 60000,
    sessionGap: options.sessionGap ?? 7000,
    gapUntil: 0,
    adminOnly: new Set(options.adminOnly ?? []),
    faults: {},
    stats: { logins: 0, failedLogins: 0, sessionsEnded: 0, commands: [] },
  };
}

function outletList(outlets: SimOutletConfig[] | number, personality: Personality): SimOutletConfig[] {
  return typeof outlets === 'number'
    ? Array.from({ length: outlets }, (_, i) => ({ name: personality.outletName(i + 1) }))
    : outlets;
}
