import { Device } from '../lib/device/device';
import type { DriverCredentials } from '../lib/device/driver';
import { driverFromConfig } from '../lib/transports';
import type { ConfigProperties } from '../lib/device/config';
import { startSim } from '../sim';
import type { CliSimDevice, CliSimOptions } from '../sim/cli/index';
import { startPowermand } from '../test/peers/powermand';
import { startSerialLine } from '../test/peers/socat';
import { startSshd, sshdTerminalProblem } from '../test/peers/sshd';
import { startVpcd } from '../test/peers/vpcd';

// Time of the common operations over each line transport, against the simulator (Telnet, a socat
// pty, and OpenSSH's sshd running it per session) and the real peers (vpcd, powermand), on
// loopback. Prints a table:
//   npx tsc -p . && node bench/line-transports.js [rounds]

const ROUNDS = Number(process.argv[2] ?? 20);

interface Row { transport: string; login: number; read: number[]; states: number[]; switch: number[] }

/** A device as pdu-config holds it: its properties and credentials. */
type BenchConfig = ConfigProperties & { credentials?: DriverCredentials };

async function measure(transport: string, options: BenchConfig, outlet: number | string): Promise<Row> {
  const { credentials, ...properties } = options;
  const device = new Device({ name: transport, driver: driverFromConfig(properties, credentials), verifyInterval: 20 });
  const row: Row = { transport, login: 0, read: [], states: [], switch: [] };
  try {
    let started = Date.now();
    const description = await device.describe();
    row.login = Date.now() - started;
    const target = description.outlets.filter((o) => o.index === outlet || o.id === outlet);
    for (let round = 0; round < ROUNDS; round += 1) {
      started = performance.now();
      await device.read();
      row.read.push(performance.now() - started);
      started = performance.now();
      await device.readStates(target);
      row.states.push(performance.now() - started);
      started = performance.now();
      await device.switch({ targets: outlet, action: round % 2 ? 'on' : 'off' });
      row.switch.push(performance.now() - started);
    }
  } finally {
    await device.close();
  }
  return row;
}

function stat(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `${at(0.5).toFixed(1)} / ${at(0.95).toFixed(1)}`;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const cli = (target: { port?: number; serialPath?: string }, profile = 'sentry-cli', credentials = { username: 'admn', password: 'admn' }): BenchConfig => ({
    transport: target.serialPath ? 'serial' : 'telnet', host: '127.0.0.1', port: target.port, serialPath: target.serialPath, baudRate: 9600,
    profile, timeout: 2000, retries: 1, credentials, extra: { idleTime: 60 },
  });

  const sim = await startSim('power-manager', { port: 0, rebootDelay: 300, driftInterval: 0, sessionGap: 0 } as CliSimOptions) as CliSimDevice;
  rows.push(await measure('telnet: power-manager sim (8 ports)', cli(sim), 5));
  const sshProblem = sshdTerminalProblem();
  if (sshProblem) {
    console.log(`ssh row left out: ${sshProblem}`);
  } else {
    // sshd starts the simulator for each login: its Node.js start is part of the login time.
    const sshd = await startSshd({ methods: 'publickey' });
    rows.push(await measure('ssh: sshd + power-manager sim (8 ports)', {
      ...cli({ port: sshd.port }, 'sentry-cli', { username: sshd.user, password: sshd.password ?? '' }),
      transport: 'ssh', hostKey: sshd.fingerprint, extra: { idleTime: 60, loginTimeout: 10 },
      credentials: { username: sshd.user, password: sshd.password, privateKey: sshd.clientKey },
    }, 5));
    await sshd.stop();
  }
  const line = await startSerialLine();
  const detach = await sim.attachSerial(line.device);
  rows.push(await measure('serial: power-manager sim on a pty', cli({ serialPath: line.host }), 5));
  await detach();
  await line.stop();
  await sim.stop();

  const vpcd = await startVpcd();
  rows.push(await measure('telnet: vpcd --port (16 plugs)', cli({ port: vpcd.port }, 'vpc-cli', {} as never), 5));
  await vpcd.stop();

  const powermand = await startPowermand({ devices: [{ name: 'rack1', nodes: 'n[1-16]' }] });
  rows.push(await measure('powerman: powermand + vpcd (16 nodes)', {
    transport: 'powerman', host: '127.0.0.1', port: powermand.port, profile: 'powerman', timeout: 2000, retries: 1, credentials: {},
  }, 'n5'));
  await powermand.stop();

  console.log(`\nLine transports on loopback, ${ROUNDS} rounds (ms, median / p95)\n`);
  console.log('| transport | connect + login + describe | read (snapshot) | read one state | switch one outlet, verified |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) {
    console.log(`| ${row.transport} | ${row.login} | ${stat(row.read)} | ${stat(row.states)} | ${stat(row.switch)} |`);
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
