import assert from 'assert';
import fs from 'fs';
import type { DeviceDriver } from '../../lib/device/driver';
import { driverFor } from '../helpers/drivers';
import { DeviceCommandError, DeviceUnreachableError } from '../../lib/device/errors';
import { asText } from '../../lib/transports/snmp/values';
import type { SimDevice } from '../../sim';
import { simDevice } from '../helpers/sim';
import { snmpDevice } from '../helpers/snmp-device';

// What a real agent does that a well-behaved one does not: refuse a SET that would not fit its
// buffer, serve outlet names in UTF-8, and answer after the device was closed.

/**
 * UDP sockets this process holds open (net-snmp sessions, simulated agents): its socket file
 * descriptors found in the kernel's UDP tables. net-snmp unrefs its sockets, so Node's own list
 * of active handles does not show them.
 */
function openUdpSockets(): number {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/self/fd/${fd}`))?.[1];
      if (inode) inodes.add(inode);
    } catch { /* closed while listing */ }
  }
  const rows = ['/proc/self/net/udp', '/proc/self/net/udp6']
    .flatMap((file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(1) : []));
  return rows.filter((row) => inodes.has(row.trim().split(/\s+/)[9])).length;
}

async function settled(): Promise<void> {
  await new Promise((resolve) => { setTimeout(resolve, 20); });
}

describe('SNMP faults', function () {
  describe('a SET answered tooBig (Sentry2 simulator with a small buffer)', function () {
    let sim: SimDevice | undefined;
    afterEach(async function () { await sim?.stop(); });

    it('is sent again in smaller SETs: every outlet switched and verified', async function () {
      sim = await simDevice('sentry2', { maxSetVarbinds: 2 });
      const device = snmpDevice(sim);
      try {
        const result = await device.switch({ targets: [1, 2, 3, 4, 5], action: 'off' });
        assert.deepStrictEqual(result.outlets.map((outlet) => [outlet.index, outlet.after, outlet.verified]),
          [1, 2, 3, 4, 5].map((index) => [index, 'off', true]));
        for (const index of [1, 2, 3, 4, 5]) assert.strictEqual(sim.model.outlet(index)!.on, false, `outlet ${index}`);
        assert.strictEqual(sim.model.outlet(6)!.on, true);
      } finally {
        await device.close();
      }
    });

    it('says what happened when even one outlet is too big, and switches nothing', async function () {
      sim = await simDevice('sentry2', { maxSetVarbinds: 0 });
      const device = snmpDevice(sim);
      try {
        await assert.rejects(device.switch({ targets: 3, action: 'off' }), (error: Error) => error instanceof DeviceCommandError
          && /answered tooBig even to a SET of one value \(1\.3\.6\.1\.4\.1\.1718\.2\.1\.4\.1\.2\.65\.51\): the agent cannot take a single outlet command, so that outlet was not switched/
            .test(error.message));
        assert.strictEqual(sim.model.outlet(3)!.on, true);
      } finally {
        await device.close();
      }
    });
  });

  describe('outlet names in UTF-8 (Sentry2 simulator)', function () {
    const NAMES = ['Serveur-café', '服务器-1', 'plain-3', 'Größe-4'];
    let sim: SimDevice;
    beforeEach(async function () { sim = await simDevice('sentry2', { outlets: NAMES.map((name) => ({ name })) }); });
    afterEach(async function () { await sim.stop(); });

    it('reads them as written, and switches an outlet named so', async function () {
      const device = snmpDevice(sim);
      try {
        const description = await device.describe();
        assert.deepStrictEqual(description.outlets.map((outlet) => outlet.name), NAMES);
        const snapshot = await device.read();
        assert.deepStrictEqual(snapshot.outlets.map((outlet) => outlet.name), NAMES);
        const result = await device.switch({ targets: '服务器-1', action: 'off' });
        assert.deepStrictEqual(result.outlets.map((outlet) => [outlet.name, outlet.verified]), [['服务器-1', true]]);
        assert.strictEqual(sim.model.outlet(2)!.on, false);
      } finally {
        await device.close();
      }
    });

    it('reads bytes that are not UTF-8 as latin1', function () {
      assert.strictEqual(asText(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x00, 0x00])), 'café');
      assert.strictEqual(asText(Buffer.from('Serveur-café', 'utf8')), 'Serveur-café');
      assert.strictEqual(asText(Buffer.from('rack-12  ', 'latin1')), 'rack-12');
    });
  });

  describe('a closed or silent device (Sentry2 simulator)', function () {
    let sim: SimDevice;
    let driver: DeviceDriver;
    beforeEach(async function () {
      sim = await simDevice('sentry2');
      driver = driverFor({
        transport: 'snmp', host: '127.0.0.1', port: sim.port, profile: 'sentry2', timeout: 500, retries: 0,
        snmpVersion: '2c', credentials: { readCommunity: 'public', writeCommunity: 'private' },
      });
    });
    afterEach(async function () {
      await driver.close();
      await sim.stop();
    });

    it('a poll and a verify read on a device that stopped answering reject, and leave no unhandled rejection', async function () {
      const description = await driver.describe();
      await sim.stop();
      const unhandled: unknown[] = [];
      const record = (reason: unknown): void => { unhandled.push(reason); };
      // Mocha's own handler would turn the rejection into a failure of some later test: ours counts it here.
      const mochaHandlers = process.listeners('unhandledRejection');
      process.removeAllListeners('unhandledRejection');
      process.on('unhandledRejection', record);
      try {
        await assert.rejects(driver.read(description), /no answer from 127\.0\.0\.1:\d+ after 1 try/);
        await assert.rejects(driver.readStates(description, description.outlets), /no answer from 127\.0\.0\.1:\d+ after 1 try/);
        await settled();
      } finally {
        process.off('unhandledRejection', record);
        for (const handler of mochaHandlers) process.on('unhandledRejection', handler);
      }
      assert.deepStrictEqual(unhandled.map((reason) => String(reason)), []);
    });

    it('a read in flight fails as closed, late calls open no socket, and describe opens them again', async function () {
      await settled();
      const before = openUdpSockets();
      const description = await driver.describe();
      assert.ok(openUdpSockets() > before, 'the driver holds a session while open');
      const inFlight = driver.read(description);
      await driver.close();
      await assert.rejects(inFlight, (error: Error) => error instanceof DeviceUnreachableError
        && /the SNMP session to 127\.0\.0\.1:\d+ was closed while the (GET|GETBULK) was in flight/.test(error.message));
      // A verify read and a command that come after the close: refused, and no socket opened.
      await assert.rejects(driver.readStates(description, description.outlets.slice(0, 2)),
        /the SNMP session to 127\.0\.0\.1:\d+ is closed \(the device was closed or redeployed\); the (GET|GETBULK) was not sent/);
      await assert.rejects(driver.command(description, description.outlets.slice(0, 1), 'off'), /is closed .* the SET was not sent/);
      assert.strictEqual(sim.model.outlet(1)!.on, true);
      await settled();
      assert.strictEqual(openUdpSockets(), before, 'no socket left open after close');
      // Used again, as a driver may be: describe opens a session, close releases it.
      await driver.describe();
      await driver.close();
      await settled();
      assert.strictEqual(openUdpSockets(), before, 'no socket left open after the second close');
    });
  });
});
