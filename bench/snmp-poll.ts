import * as snmp from 'net-snmp';
import { Device } from '../lib/device/device';
import { driverFromConfig } from '../lib/transports';
import { getSnmpProfile } from '../lib/profiles';
import { freeUdpPort, freeUdpPorts } from '../sim/snmp/agent';
import { startEmbeddedRed } from './embedded-red';
import { measure, table } from './measure';
import { startSimProcess } from './sim-process';

// Client CPU and wall time per status poll of a 48-outlet PDU: through pdu-status in Node-RED,
// through the Device alone, and a bare net-snmp session.table of the same outlet table, against
// the same simulator (in another process) in one run. Then how many such PDUs one Node-RED
// process polls every 10 s.
//   node bench/snmp-poll.js [--profile sentry2] [--outlets 48] [--polls 500] [--devices 100]

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}

const PROFILE = arg('profile', 'sentry2');
const OUTLETS = Number(arg('outlets', '48'));
const POLLS = Number(arg('polls', '500'));
const DEVICES = Number(arg('devices', '100'));

function tableOid(profileId: string): string {
  const rows = getSnmpProfile(profileId)!.outlets.rows.oid.split('.');
  return rows.slice(0, -2).join('.'); // column -> entry -> table
}

/** pdu-status nodes in a real Node-RED runtime, one per PDU; poll(i) resolves with PDU i's snapshot. */
async function nodeRedPoller(ports: number[]) {
  const flows: Array<Record<string, unknown>> = [{ id: 'bench', type: 'tab', label: 'bench' }];
  const credentials: Record<string, unknown> = {};
  ports.forEach((port, i) => {
    flows.push({ id: `cfg${i}`, type: 'pdu-config', name: `pdu ${i}`, transport: 'snmp', host: '127.0.0.1', port: String(port), profile: PROFILE, snmpVersion: '2c', timeout: '2000', retries: '1' });
    flows.push({ id: `poll${i}`, z: 'bench', type: 'pdu-status', device: `cfg${i}`, interval: 0, wires: [[`out${i}`], []] });
    flows.push({ id: `out${i}`, z: 'bench', type: 'debug', active: false, tosidebar: false, console: false, complete: 'false', wires: [] });
    credentials[`cfg${i}`] = { readCommunity: 'public' };
  });
  flows.push({ id: 'failed', z: 'bench', type: 'catch', scope: null, wires: [['error']] });
  flows.push({ id: 'error', z: 'bench', type: 'debug', active: false, tosidebar: false, console: false, complete: 'true', wires: [] });
  const red = await startEmbeddedRed(flows, credentials);
  const waiting = ports.map(() => [] as Array<{ resolve(): void; reject(error: Error): void }>);
  ports.forEach((_, i) => red.node(`out${i}`).on('input', () => waiting[i].shift()?.resolve()));
  // A failed poll must end the bench, not leave it waiting.
  red.node('error').on('input', (msg) => {
    const { error } = msg as { error: { message: string; source: { id: string } } };
    waiting[Number(error.source.id.replace('poll', ''))]?.shift()?.reject(new Error(error.message));
  });
  return {
    poll: (i: number) => new Promise<void>((resolve, reject) => {
      waiting[i].push({ resolve, reject });
      red.node(`poll${i}`).receive({ payload: Date.now() });
    }),
    stop: () => red.stop(),
  };
}

async function main(): Promise<void> {
  const port = await freeUdpPort();
  const sim = await startSimProcess(PROFILE, [port], OUTLETS);
  const rows: Array<Array<string | number>> = [];
  const row = (what: string, result: { cpuMs: number; wallMs: number; p95Ms: number }) => {
    rows.push([what, result.cpuMs.toFixed(3), result.wallMs.toFixed(3), result.p95Ms.toFixed(3)]);
  };
  try {
    const session = snmp.createSession('127.0.0.1', 'public', { port, version: snmp.Version2c, timeout: 2000, retries: 1 });
    const oid = tableOid(PROFILE);
    row(`net-snmp session.table (whole outlet table, ${oid})`, await measure(POLLS, () => new Promise((resolve, reject) => {
      session.table(oid, 50, (error, data) => (error ? reject(error) : resolve(data)));
    })));
    session.close();

    const device = new Device({
      name: 'bench',
      driver: driverFromConfig({ transport: 'snmp', host: '127.0.0.1', port, profile: PROFILE, timeout: 2000, retries: 1, snmpVersion: '2c' }, { readCommunity: 'public' }),
    });
    const snapshot = await device.read();
    row('Device.read() (outlets, inputs, sensors)', await measure(POLLS, () => device.read()));
    await device.close();

    const red = await nodeRedPoller([port]);
    row('pdu-status poll in Node-RED 4 (input -> snapshot msg)', await measure(POLLS, () => red.poll(0)));
    await red.stop();

    console.log(`\nSNMP status poll of a ${snapshot.outlets.length}-outlet ${PROFILE} PDU (simulator in another process), ${POLLS} polls each, client side:\n`);
    console.log(table(['what', 'CPU ms/poll', 'wall ms/poll', 'p95 wall ms'], rows));
  } finally {
    sim.stop();
  }

  // Capacity: many PDUs polled concurrently by one Node-RED process.
  const ports = await freeUdpPorts(DEVICES);
  const many = await startSimProcess(PROFILE, ports, OUTLETS);
  try {
    const red = await nodeRedPoller(ports);
    const round = () => Promise.all(ports.map((_, i) => red.poll(i)));
    await round();
    const rounds = 10;
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (let i = 0; i < rounds; i += 1) await round();
    const used = process.cpuUsage(cpu);
    const wallPerRound = Number(process.hrtime.bigint() - started) / 1e6 / rounds;
    const cpuPerPoll = (used.user + used.system) / 1000 / (rounds * DEVICES);
    await red.stop();
    const perInterval = Math.floor(10_000 / cpuPerPoll);
    console.log(`\n${DEVICES} ${OUTLETS}-outlet PDUs polled at once by one Node-RED process (pdu-status), ${rounds} rounds:\n`);
    console.log(table(['measure', 'value'], [
      ['wall time per round of all PDUs', `${wallPerRound.toFixed(1)} ms`],
      ['client CPU per poll', `${cpuPerPoll.toFixed(3)} ms`],
      ['PDUs one process can poll every 10 s (CPU-bound, one core)', String(perInterval)],
      ['... keeping the process under 50 % of a core', String(Math.floor(perInterval / 2))],
    ]));
  } finally {
    many.stop();
  }
  process.exit(0);
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
