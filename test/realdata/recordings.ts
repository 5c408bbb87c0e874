import assert from 'assert';
import net from 'net';
import { Device } from '../../lib/device/device';
import { createDriver } from '../../lib/device/drivers';
import { SafetyError } from '../../lib/device/errors';
import type { Snapshot } from '../../lib/types';
import { NO_REALDATA, realdataFolder } from '../helpers/realdata';
import { startSnmpsim, type RunningSnmpsim } from '../peers/snmpsim';

/**
 * Recordings of real devices served by snmpsim for one describe block: started once before its
 * tests (which skip, saying why, when shared/realdata is not there), stopped after.
 */
export function recordings(names: string[]): {
  /** A Device on one recording (profile `auto` unless given), as a pdu-config would make it; its log lines go to `logs`. */
  open(recording: string, profile?: string): { device: Device; logs: string[] };
  sim(): RunningSnmpsim;
} {
  let sim: RunningSnmpsim | undefined;
  const devices: Device[] = [];
  before(async function () {
    this.timeout(60000);
    sim = await startSnmpsim(recordingsFolder(this), names);
  });
  afterEach(async () => {
    await Promise.all(devices.splice(0).map((device) => device.close()));
  });
  after(async () => {
    await sim?.stop();
  });
  return {
    open(recording, profile = 'auto') {
      const logs: string[] = [];
      const community = sim!.community(recording);
      const device = new Device({
        name: recording,
        driver: createDriver({
          transport: 'snmp', host: '127.0.0.1', port: sim!.port, profile, timeout: 2000, retries: 1,
          snmpVersion: '2c', credentials: { readCommunity: community, writeCommunity: community },
        }),
        log: { info: (text) => logs.push(text), warn: (text) => logs.push(text) },
      });
      devices.push(device);
      return { device, logs };
    },
    sim: () => sim!,
  };
}

/** The folder of real recordings; without one the calling hook's tests are skipped, saying why. */
export function recordingsFolder(context: Mocha.Context): string {
  const folder = realdataFolder('snmprec');
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
