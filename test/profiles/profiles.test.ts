import assert from 'assert';
import { Device } from '../../lib/device/device';
import { driverFor } from '../helpers/drivers';
import { snmpProfiles } from '../../lib/profiles';
import type { SimDevice } from '../../sim';
import { snmpSims } from '../../sim/snmp';
import { simDevice } from '../helpers/sim';
import { expectations } from './expected';

// Every SNMP profile against its own simulator, written from the vendor's MIB: the snapshot must
// match the simulated hardware in A, W, °C and %, and each command must write the vendor's OID
// and value.

function near(actual: number | undefined, expected: number, resolution: number, what: string): void {
  assert.ok(actual !== undefined, `${what}: no value`);
  assert.ok(Math.abs(actual! - expected) <= resolution / 2 + 1e-9, `${what}: ${actual} is not ${expected} (±${resolution / 2})`);
}

describe('SNMP profiles against their simulators', function () {
  it('every profile has a simulator and an expectation', function () {
    for (const profile of snmpProfiles) {
      assert.ok(snmpSims[profile.id], `no simulator for ${profile.id}`);
      assert.ok(expectations[profile.id], `no expectation for ${profile.id}`);
    }
  });

  for (const profile of snmpProfiles) {
    describe(profile.id, function () {
      let sim: SimDevice;
      let device: Device;
      const expected = expectations[profile.id];

      beforeEach(async function () {
        sim = await simDevice(profile.id, { outlets: 8 });
        device = new Device({
          name: profile.id,
          driver: driverFor({
            transport: 'snmp', host: '127.0.0.1', port: sim.port, profile: profile.id, timeout: 500, retries: 1,
            snmpVersion: '2c', credentials: { readCommunity: 'public', writeCommunity: 'private' },
          }),
          verifyInterval: 50,
        });
      });

      afterEach(async function () {
        await device.close();
        await sim.stop();
      });

      it('is picked by auto-detection from its sysObjectID', async function () {
        const auto = new Device({
          name: 'auto',
          driver: driverFor({
            transport: 'snmp', host: '127.0.0.1', port: sim.port, profile: 'auto', timeout: 500, retries: 1,
            snmpVersion: '2c', credentials: { readCommunity: 'public' },
          }),
        });
        try {
          assert.strictEqual((await auto.describe()).profile, profile.id);
        } finally {
          await auto.close();
        }
      });

      it('lists the outlets with the vendor\'s ids and names', async function () {
        const description = await device.describe();
        assert.strictEqual(description.outlets.length, sim.model.outlets.length);
        description.outlets.forEach((outlet, i) => {
          assert.strictEqual(outlet.index, i + 1);
          assert.strictEqual(outlet.id, expected.id(i + 1));
          assert.strictEqual(outlet.name, sim.model.outlets[i].name);
        });
      });

      it('reads a snapshot that matches the simulated hardware, in A, W, °C and %', async function () {
        sim.model.switch(2, false);
        sim.model.setSensors(23.4, 47);
        const description = await device.describe();
        const snapshot = await device.read();
        const caps = description.capabilities;
        snapshot.outlets.forEach((reading, i) => {
          const outlet = sim.model.outlets[i];
          const state = expected.meteredOnly ? 'unknown' : outlet.on ? 'on' : 'off';
          assert.strictEqual(reading.state, state, `outlet ${i + 1} state`);
          if (caps.moduleStatus) assert.strictEqual(reading.module, 'normal');
          if (caps.outletCurrent && outlet.on) near(reading.current, sim.model.current(outlet), expected.resolution.current!, `outlet ${i + 1} current`);
          if (caps.outletPower && outlet.on) near(reading.power, sim.model.power(outlet), expected.resolution.power!, `outlet ${i + 1} power`);
        });
        if (caps.inputCurrent) {
          assert.ok(snapshot.inputs.length > 0, 'inputs');
          const total = snapshot.inputs.reduce((sum, input) => sum + (input.current ?? 0), 0);
          near(total, sim.model.totalCurrent(), expected.resolution.input! * snapshot.inputs.length, 'total input current');
        }
        if (caps.temperature) {
          const temperature = snapshot.sensors.find((sensor) => sensor.type === 'temperature');
          near(temperature?.value, 23.4, expected.resolution.temperature!, 'temperature');
          assert.strictEqual(temperature!.unit, '°C');
        }
        if (caps.humidity) {
          near(snapshot.sensors.find((sensor) => sensor.type === 'humidity')?.value, 47, expected.resolution.humidity!, 'humidity');
        }
      });

      for (const action of ['off', 'on', 'reboot'] as const) {
        const does = expected.meteredOnly ? 'is refused: the family cannot switch' : 'writes the vendor\'s OID and value, and the outlet follows';
        it(`${action}: ${does}`, async function () {
          if (action === 'on') sim.model.switch(3, false);
          const description = await device.describe();
          const changes: boolean[] = [];
          sim.model.on('change', (change) => { if (change.kind === 'outlet' && change.outlet.number === 3) changes.push(change.on); });
          if (expected.meteredOnly) {
            // Nothing to write: refused before any SET, and the outlet stays as it was.
            assert.strictEqual(description.capabilities.switch, false);
            await assert.rejects(device.switch({ targets: 3, action }), /\(.*\) cannot switch outlets/);
            assert.deepStrictEqual(sim.sets, []);
            assert.deepStrictEqual(changes, []);
            return;
          }
          if (action === 'reboot' && !description.capabilities.nativeReboot) this.skip();
          const result = await device.switch({ targets: 3, action });
          assert.deepStrictEqual(sim.sets, expected.sets(action, 3));
          assert.strictEqual(result.outlets[0].verified, true);
          assert.deepStrictEqual(changes, { off: [false], on: [true], reboot: [false, true] }[action]);
        });
      }
    });
  }
});
