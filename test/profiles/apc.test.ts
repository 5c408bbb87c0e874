import assert from 'assert';
import { Device } from '../../lib/device/device';
import { driverFor } from '../helpers/drivers';
import { DeviceCommandError } from '../../lib/device/errors';
import { SnmpClient } from '../../lib/transports/snmp/client';
import type { SimDevice } from '../../sim';
import { createApcRpdu2Sim, type ApcRpdu2SimOptions } from '../../sim/snmp/apc-rpdu2';
import { simDevice } from '../helpers/sim';

// What the generic profile suite does not cover for the APC families: the rPDU2 metered table
// joined by unit + outlet number, chains of units that repeat the outlet numbers, outlets the
// device itself refuses, and sensor ports with nothing (or half a sensor) plugged in.

const RPDU2 = '1.3.6.1.4.1.318.1.1.26';
const CONTROL_COMMAND = `${RPDU2}.9.2.4.1.5`; // rPDU2OutletSwitchedControlCommand
const METERED_NUMBER = `${RPDU2}.9.4.3.1.4`; // rPDU2OutletMeteredStatusNumber

/** Eight outlets, each drawing a different current, so a reading from the wrong row shows. */
const DISTINCT = Array.from({ length: 8 }, (_, i) => ({ name: `srv-${i + 1}`, load: i + 1 + (i + 1) / 10 }));

function near(actual: number | undefined, expected: number, tolerance: number, what: string): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= tolerance + 1e-9, `${what}: ${actual} is not ${expected} (±${tolerance})`);
}

function deviceFor(sim: SimDevice, profile: string): Device {
  return new Device({
    name: `${profile}-test`,
    driver: driverFor({
      transport: 'snmp', host: '127.0.0.1', port: sim.port, profile, timeout: 500, retries: 1,
      snmpVersion: '2c', credentials: { readCommunity: 'public', writeCommunity: 'private' },
    }),
    verifyInterval: 50,
  });
}

describe('APC profiles beyond the generic suite', function () {
  let sim: SimDevice | undefined;
  let device: Device | undefined;

  async function rpdu2(options: ApcRpdu2SimOptions): Promise<{ sim: SimDevice; device: Device }> {
    sim = await createApcRpdu2Sim({ port: 0, rebootDelay: 300, driftInterval: 0, ...options });
    device = deviceFor(sim, 'apc-rpdu2');
    return { sim, device };
  }

  afterEach(async function () {
    await device?.close();
    await sim?.stop();
    device = undefined;
    sim = undefined;
  });

  describe('apc-rpdu2 metered outlets', function () {
    it('reads each outlet\'s current and power from its own metered row, though that table runs in another order', async function () {
      const { sim, device } = await rpdu2({ outlets: DISTINCT });
      // The simulated agent really lists the metered rows in reverse: row 1 is outlet 8.
      const client = new SnmpClient({ host: '127.0.0.1', port: sim.port, version: '2c', timeout: 500, retries: 1, readCommunity: 'public' });
      const [numbers] = await client.walkColumns([METERED_NUMBER]);
      client.close();
      assert.strictEqual(Number(numbers.get('1')), 8);
      assert.strictEqual(Number(numbers.get('8')), 1);

      const snapshot = await device.read();
      for (const reading of snapshot.outlets) {
        const outlet = sim.model.outlet(reading.index)!;
        near(reading.current, sim.model.current(outlet), 0.05, `outlet ${reading.index} current`);
        assert.strictEqual(reading.power, sim.model.power(outlet), `outlet ${reading.index} power`);
      }
    });

    it('without a metered outlet table (a switched-only AP89xx) reads states and switches, with no outlet current', async function () {
      const { sim, device } = await rpdu2({ meteredOutlets: false });
      sim.model.switch(4, false);
      const snapshot = await device.read();
      assert.deepStrictEqual(snapshot.outlets.map((outlet) => outlet.state), ['on', 'on', 'on', 'off', 'on', 'on', 'on', 'on']);
      assert.ok(snapshot.outlets.every((outlet) => outlet.current === undefined && outlet.power === undefined));
      const result = await device.switch({ targets: 2, action: 'off' });
      assert.strictEqual(result.outlets[0].verified, true);
      assert.deepStrictEqual(sim.sets, [{ oid: `${CONTROL_COMMAND}.2`, value: 2 }]);
    });
  });

  describe('apc-rpdu2 chain of units (Network Port Sharing)', function () {
    it('numbers the outlets in table order, gives them unit:outlet ids and switches the one named', async function () {
      const { sim, device } = await rpdu2({ modules: 2, outlets: DISTINCT });
      const description = await device.describe();
      assert.deepStrictEqual(description.outlets.map((outlet) => outlet.index), [1, 2, 3, 4, 5, 6, 7, 8]);
      assert.deepStrictEqual(description.outlets.map((outlet) => outlet.id), ['1:1', '1:2', '1:3', '1:4', '2:1', '2:2', '2:3', '2:4']);
      assert.deepStrictEqual(description.outlets.map((outlet) => outlet.name), DISTINCT.map((outlet) => outlet.name));

      const result = await device.switch({ targets: '2:3', action: 'off' });
      assert.deepStrictEqual(result.outlets.map(({ index, id, after }) => ({ index, id, after })), [{ index: 7, id: '2:3', after: 'off' }]);
      assert.deepStrictEqual(sim.sets, [{ oid: `${CONTROL_COMMAND}.7`, value: 2 }]);
      assert.deepStrictEqual(sim.model.outlets.map((outlet) => outlet.on), [true, true, true, true, true, true, false, true]);
    });

    it('reads each unit\'s outlets, phase current and power (hundredths of kW as W), and leaves the empty sensor port out', async function () {
      const { sim, device } = await rpdu2({ modules: 2, outlets: DISTINCT });
      sim.model.switch(5, false);
      sim.model.setSensors(22.3, 38);
      const snapshot = await device.read();
      for (const reading of snapshot.outlets) {
        const outlet = sim.model.outlet(reading.index)!;
        assert.strictEqual(reading.state, outlet.on ? 'on' : 'off', `outlet ${reading.index} state`);
        near(reading.current ?? 0, sim.model.current(outlet), 0.05, `outlet ${reading.index} current`);
      }
      const unitAmps = (unit: number): number => sim.model.outlets.slice((unit - 1) * 4, unit * 4)
        .reduce((sum, outlet) => sum + sim.model.current(outlet), 0);
      const unitWatts = (unit: number): number => sim.model.outlets.slice((unit - 1) * 4, unit * 4)
        .reduce((sum, outlet) => sum + sim.model.power(outlet), 0);
      const phases = snapshot.inputs.filter((input) => input.current !== undefined);
      assert.deepStrictEqual(phases.map((input) => input.name), ['Phase 1', 'Phase 2']);
      near(phases[0].current, unitAmps(1), 0.05, 'unit 1 phase current');
      near(phases[1].current, unitAmps(2), 0.05, 'unit 2 phase current');
      assert.strictEqual(phases[0].voltage, 230);
      const units = snapshot.inputs.filter((input) => input.power !== undefined);
      assert.deepStrictEqual(units.map((input) => input.name), ['RackPDU 1', 'RackPDU 2']);
      near(units[0].power, unitWatts(1), 5, 'unit 1 power');
      near(units[1].power, unitWatts(2), 5, 'unit 2 power');
      assert.deepStrictEqual(snapshot.inputs.map((input) => input.index), [1, 2, 3, 4]);
      assert.deepStrictEqual(snapshot.sensors, [
        { index: 1, name: 'Rack inlet 1', type: 'temperature', value: 22.3, unit: '°C' },
        { index: 1, name: 'Rack inlet 1', type: 'humidity', value: 38, unit: '%' },
      ]);
    });

    it('never switches outlets that two units with the same display id make indistinguishable', async function () {
      const { sim, device } = await rpdu2({ modules: 2, moduleIds: [1, 1] });
      const description = await device.describe();
      assert.strictEqual(description.outlets.length, 8);
      await assert.rejects(device.switch({ targets: 6, action: 'off' }), (error: Error) => error instanceof DeviceCommandError
        && /outlet 6 has no row in the control table/.test(error.message));
      assert.deepStrictEqual(sim.sets, []);
      assert.ok(sim.model.outlets.every((outlet) => outlet.on));
      const snapshot = await device.read();
      assert.ok(snapshot.outlets.every((outlet) => outlet.current === undefined), 'no metered row is guessed either');
    });
  });

  describe('apc-rpdu2 sensor ports', function () {
    const cases: Array<{ plugged: ApcRpdu2SimOptions['sensors']; expected: string[] }> = [
      { plugged: ['temperatureOnly'], expected: ['temperature'] },
      { plugged: ['notInstalled'], expected: [] },
      { plugged: ['commsLost'], expected: [] },
    ];
    for (const { plugged, expected } of cases) {
      it(`${plugged![0]}: reports ${expected.length ? expected.join(' and ') : 'no sensor'} (the agent reads 0 for the rest)`, async function () {
        const { device } = await rpdu2({ sensors: plugged });
        const snapshot = await device.read();
        assert.deepStrictEqual(snapshot.sensors.map((sensor) => sensor.type), expected);
      });
    }
  });

  describe('outlets the device refuses (locked by its administrator)', function () {
    for (const [profile, oid] of [
      ['apc-rpdu2', CONTROL_COMMAND],
      ['apc-rpdu', '1.3.6.1.4.1.318.1.1.12.3.3.1.1.4'],
      ['apc-spdu', '1.3.6.1.4.1.318.1.1.4.4.2.1.3'],
    ]) {
      it(`${profile}: a SET naming a locked outlet fails as a whole and switches nothing`, async function () {
        sim = await simDevice(profile, { locked: [2] });
        device = deviceFor(sim, profile);
        const current = sim;
        await assert.rejects(device.switch({ targets: [1, 2], action: 'off' }), (error: Error) => error instanceof DeviceCommandError
          && /refused the SET .*general error/.test(error.message));
        assert.deepStrictEqual(current.sets, []);
        assert.ok(current.model.outlet(1)!.on && current.model.outlet(2)!.on);
        // The other outlets still switch, on their own rows.
        await device.switch({ targets: 1, action: 'off' });
        assert.deepStrictEqual(current.sets, [{ oid: `${oid}.1`, value: 2 }]);
      });
    }
  });

  describe('apc-rpdu load table', function () {
    it('reports the phase row only, not the bank rows that split the same current', async function () {
      sim = await simDevice('apc-rpdu', { outlets: DISTINCT });
      device = deviceFor(sim, 'apc-rpdu');
      const snapshot = await device.read();
      assert.deepStrictEqual(snapshot.inputs.map((input) => input.name), ['Phase 1']);
      near(snapshot.inputs[0].current, sim.model.totalCurrent(), 0.05, 'phase current');
    });
  });
});
