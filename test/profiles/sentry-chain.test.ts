import assert from 'assert';
import { Device } from '../../lib/device/device';
import { driverFor } from '../helpers/drivers';
import { DeviceCommandError } from '../../lib/device/errors';
import { SnmpClient } from '../../lib/transports/snmp/client';
import * as snmp from 'net-snmp';
import type { SimDevice, SimDeviceOptions } from '../../sim';
import { simDevice } from '../helpers/sim';

// What the generic profile suite does not reach on ServerTech's Sentry3 and Sentry4 PDUs, each
// against its simulator (written from the vendor's MIB): a chain of towers numbered across the
// towers, the temperature scale, empty sensor ports, readings of -1, failed modules and an
// outlet the PDU's administrator locked.

interface SentryCase {
  id: 'sentry3' | 'sentry4';
  /** Simulator options for a chain of n towers / units. */
  chain(towers: number): SimDeviceOptions;
  /** The control action column (Sentry3-MIB outletControlAction, Sentry4-MIB st4OutletControlAction). */
  control: string;
  /** The instance of the temperature scale object to SET (a column in Sentry3, a scalar in Sentry4). */
  scale: string;
  /** tempHumidSensorTempValue / st4TempSensorValue of sensor A1. */
  temperatureA1: string;
  /** The names the inputs of a two-tower chain carry. */
  inputNames: string[];
}

const cases: SentryCase[] = [
  {
    id: 'sentry3',
    chain: (towers) => ({ towers } as SimDeviceOptions),
    control: '1.3.6.1.4.1.1718.3.2.3.1.11',
    scale: '1.3.6.1.4.1.1718.3.2.5.1.13.1.1',
    temperatureA1: '1.3.6.1.4.1.1718.3.2.5.1.6.1.1',
    inputNames: ['Master_Infeed_A', 'Link_Infeed_A'],
  },
  {
    id: 'sentry4',
    chain: (units) => ({ units } as SimDeviceOptions),
    control: '1.3.6.1.4.1.1718.4.1.8.5.1.2',
    scale: '1.3.6.1.4.1.1718.4.1.9.1.10.0',
    temperatureA1: '1.3.6.1.4.1.1718.4.1.9.3.1.1.1.1',
    inputNames: ['AA1', 'BA1'],
  },
];

function deviceFor(sim: SimDevice, profile: string): Device {
  return new Device({
    name: profile,
    driver: driverFor({
      transport: 'snmp', host: '127.0.0.1', port: sim.port, profile, timeout: 500, retries: 1,
      snmpVersion: '2c', credentials: { readCommunity: 'public', writeCommunity: 'private' },
    }),
    verifyInterval: 50,
  });
}

/** The agent's own client, to read and write raw objects as an operator's tool would. */
function rawClient(sim: SimDevice): SnmpClient {
  return new SnmpClient({
    host: '127.0.0.1', port: sim.port, version: '2c', timeout: 500, retries: 1,
    readCommunity: 'public', writeCommunity: 'private',
  });
}

/** Breaking a module changes no outlet state: nudge the simulator to publish it. */
function publish(sim: SimDevice): void {
  sim.model.setSensors(sim.model.temperature, sim.model.humidity);
}

for (const vendor of cases) {
  describe(`${vendor.id}: chains, sensors and faults`, function () {
    let sim: SimDevice | undefined;
    let device: Device | undefined;
    let raw: SnmpClient | undefined;

    async function start(options: SimDeviceOptions = {}): Promise<{ sim: SimDevice; device: Device }> {
      sim = await simDevice(vendor.id, { outlets: 8, ...options });
      device = deviceFor(sim, vendor.id);
      return { sim, device };
    }

    afterEach(async function () {
      raw?.close();
      await device?.close();
      await sim?.stop();
      raw = undefined;
      device = undefined;
      sim = undefined;
    });

    it('numbers the outlets of a two-tower chain across the towers, with the vendor\'s ids', async function () {
      const { sim, device } = await start(vendor.chain(2));
      const description = await device.describe();
      assert.deepStrictEqual(description.outlets.map((outlet) => [outlet.index, outlet.id, outlet.name]),
        sim.model.outlets.map((outlet, i) => [i + 1, `${i < 4 ? 'A' : 'B'}A${(i % 4) + 1}`, outlet.name]));

      const result = await device.switch({ targets: 'BA2', action: 'off' });
      assert.deepStrictEqual(result.outlets.map((outlet) => [outlet.index, outlet.after, outlet.verified]), [[6, 'off', true]]);
      // tower 2, infeed 1, outlet 2
      assert.deepStrictEqual(sim.sets, [{ oid: `${vendor.control}.2.1.2`, value: 2 }]);
      assert.deepStrictEqual(sim.model.outlets.map((outlet) => outlet.on), [true, true, true, true, true, false, true, true]);

      const snapshot = await device.read();
      const towerAmps = (tower: number): number => sim.model.outlets.slice(tower * 4, tower * 4 + 4)
        .reduce((sum, outlet) => sum + sim.model.current(outlet), 0);
      assert.deepStrictEqual(snapshot.inputs.map((input) => input.name), vendor.inputNames);
      snapshot.inputs.forEach((input, tower) => {
        assert.ok(Math.abs(input.current! - towerAmps(tower)) < 0.006, `input ${input.name}: ${input.current} A`);
      });
    });

    it('converts a Fahrenheit temperature to °C', async function () {
      const { sim, device } = await start({ fahrenheit: true } as SimDeviceOptions);
      sim.model.setSensors(23.4, 47);
      raw = rawClient(sim);
      // 74.12 °F in tenths: the agent really answers in Fahrenheit.
      assert.deepStrictEqual(await raw.get([vendor.temperatureA1]), [741]);
      const [temperature] = (await device.read()).sensors.filter((sensor) => sensor.type === 'temperature');
      assert.strictEqual(temperature.unit, '°C');
      assert.ok(Math.abs(temperature.value - 23.4) < 0.05, `${temperature.value} °C`);
    });

    it('follows the temperature scale when it is changed on the PDU while connected', async function () {
      const { sim, device } = await start();
      sim.model.setSensors(30, 50);
      const before = (await device.read()).sensors.find((sensor) => sensor.type === 'temperature');
      assert.strictEqual(before?.value, 30);
      raw = rawClient(sim);
      await raw.set([{ oid: vendor.scale, type: snmp.ObjectType.Integer, value: 1 }]);
      await new Promise((resolve) => { setImmediate(resolve); });
      assert.deepStrictEqual(await raw.get([vendor.temperatureA1]), [860]);
      const after = (await device.read()).sensors.find((sensor) => sensor.type === 'temperature');
      assert.strictEqual(after?.value, 30);
    });

    it('leaves out the sensor ports that have no probe', async function () {
      const { device } = await start(vendor.chain(2));
      const snapshot = await device.read();
      // Each tower has two ports (A1, A2, B1, B2); only A1 has a probe.
      assert.deepStrictEqual(snapshot.sensors.map((sensor) => [sensor.type, sensor.index]), [['temperature', 1], ['humidity', 1]]);
      assert.ok(snapshot.sensors.every((sensor) => sensor.value > 0), JSON.stringify(snapshot.sensors));
    });

    it('reads -1 as "not available", not as a reading, and reports the module not responding', async function () {
      const { sim, device } = await start();
      await device.describe();
      sim.model.outlets[2].module = 'noResponse';
      publish(sim);
      const snapshot = await device.read();
      const lost = snapshot.outlets[2];
      assert.deepStrictEqual(lost, { index: 3, id: 'AA3', name: sim.model.outlets[2].name, state: 'unknown', module: 'noResponse' });
      assert.ok(snapshot.outlets[0].current! > 0 && snapshot.outlets[0].power! > 0, 'the others still read');
    });

    it('reports which way a module failed, from the sensed state', async function () {
      const { sim, device } = await start();
      await device.describe();
      sim.model.outlets[0].module = 'onFail';
      sim.model.switch(2, false);
      sim.model.outlets[1].module = 'offFail';
      publish(sim);
      const [set, unset] = (await device.read()).outlets;
      // Set on, no power out: the outlet is off. Set off, power still out: the outlet is on.
      assert.deepStrictEqual([set.state, set.module, set.current], ['off', 'onFail', 0]);
      assert.deepStrictEqual([unset.state, unset.module], ['on', 'offFail']);
      assert.ok(unset.current! > 0);
    });

    it('passes on the refusal of an outlet the PDU\'s administrator locked', async function () {
      const { sim, device } = await start({ locked: [2] });
      await assert.rejects(device.switch({ targets: 2, action: 'off' }),
        (error: Error) => error instanceof DeviceCommandError && /refused the SET \(GeneralError/.test(error.message));
      assert.strictEqual(sim.model.outlets[1].on, true);
      assert.deepStrictEqual(sim.sets, []);
      // The outlet beside it still switches.
      await device.switch({ targets: 3, action: 'off' });
      assert.strictEqual(sim.model.outlets[2].on, false);
    });
  });
}
