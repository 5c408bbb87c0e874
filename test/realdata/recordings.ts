import assert from 'assert';
import dgram from 'dgram';
import net from 'net';
import { Device } from '../../lib/device/device';
import { driverFor } from '../helpers/drivers';
import { SafetyError } from '../../lib/device/errors';
import type { Snapshot } from '../../lib/types';
import { NO_REALDATA, realdataKind } from '../helpers/realdata';
import { startSnmpsim, type RunningSnmpsim } from '../peers/snmpsim';

/**
 * Recordings of real devices served by snmpsim for one describe block: started once before its
 * tests (which skip, saying why, when shared/realdata is not there), stopped after.
 */
export function recordings(names: string[]): {
  /** A Device on one recording (profile `auto` unless given), as a pdu-config would make it; its log lines go to `logs`. */
  open(recording: string, profile?: string): { device: Device; logs: string[] };
  sim(): RunningSnmpsim;
  /** Requests the devices have sent so far (they reach snmpsim through a counting relay). */
  requests(): number;
} {
  let sim: RunningSnmpsim | undefined;
  let relay: CountingRelay | undefined;
  const devices: Device[] = [];
  before(async function () {
    this.timeout(60000);
    sim = await startSnmpsim(recordingsFolder(this), names);
    relay = await countingRelay(sim.port);
  });
  afterEach(async () => {
    await Promise.all(devices.splice(0).map((device) => device.close()));
  });
  after(async () => {
    await relay?.close();
    await sim?.stop();
  });
  return {
    open(recording, profile = 'auto') {
      const logs: string[] = [];
      const community = sim!.community(recording);
      const device = new Device({
        name: recording,
        driver: driverFor({
          transport: 'snmp', host: '127.0.0.1', port: relay!.port, profile, timeout: 2000, retries: 1,
          snmpVersion: '2c', credentials: { readCommunity: community, writeCommunity: community },
        }),
        log: { info: (text) => logs.push(text), warn: (text) => logs.push(text) },
      });
      devices.push(device);
      return { device, logs };
    },
    sim: () => sim!,
    requests: () => relay!.requests,
  };
}

interface CountingRelay {
  port: number;
  requests: number;
  close(): Promise<void>;
}

/** A UDP relay on loopback that counts the requests passing to the agent (one client at a time). */
async function countingRelay(agentPort: number): Promise<CountingRelay> {
  const front = dgram.createSocket('udp4');
  const back = dgram.createSocket('udp4');
  let client: dgram.RemoteInfo | undefined;
  const relay: CountingRelay = {
    port: 0,
    requests: 0,
    close: () => Promise.all([front, back].map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))))
      .then(() => undefined),
  };
  front.on('message', (packet, from) => {
    client = from;
    relay.requests += 1;
    back.send(packet, agentPort, '127.0.0.1');
  });
  back.on('message', (packet) => {
    if (client) front.send(packet, client.port, client.address);
  });
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', () => resolve()));
  await new Promise<void>((resolve) => back.bind(0, '127.0.0.1', () => resolve()));
  relay.port = front.address().port;
  return relay;
}

/** The folder of real recordings; without one the calling hook's tests are skipped, saying why. */
export function recordingsFolder(context: Mocha.Context): string {
  const folder = realdataKind('snmprec');
  if (!folder) {
    console.log(`      ${NO_REALDATA}`);
    context.skip();
  }
  return folder!;
}

/** The outlets' names and states as one compact table, `name|state` per outlet in index order. */
export function namesAndStates(snapshot: Snapshot): string[] {
  return snapshot.outlets.map((outlet) => `${outlet.index} ${outlet.name}|${outlet.state}`);
}

/**
 * Switch off an outlet by its real name with the appliance check pointed at a TCP listener that
 * answers: the command must resolve the name to `index` and be refused there, and snmpsim must
 * have logged no SET (nothing was written).
 */
export async function refusedByAppliance(device: Device, sim: RunningSnmpsim, name: string, index: number): Promise<void> {
  const appliance = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => appliance.listen(0, '127.0.0.1', resolve));
  try {
    const port = (appliance.address() as net.AddressInfo).port;
    await assert.rejects(device.switch({ targets: name, action: 'off', probe: { host: '127.0.0.1', port } }), (error: Error) => {
      assert.ok(error instanceof SafetyError, String(error));
      assert.strictEqual(error.code, 'appliance-answering');
      assert.match(error.message, new RegExp(`^refused to off outlet ${index} \\(${escape(name)}\\) on `));
      return true;
    });
  } finally {
    appliance.close();
  }
  assertNoSet(sim);
}

/** snmpsim logs a write as `..., SET`: none may be there. */
export function assertNoSet(sim: RunningSnmpsim): void {
  const log = sim.log();
  assert.match(log, /Request var-binds: /, 'snmpsim logged no request at all: is its log being read?');
  assert.doesNotMatch(log, /flags: .*\bSET\b/);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
