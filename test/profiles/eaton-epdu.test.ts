import assert from 'assert';
import type { Device } from '../../lib/device/device';
import { DeviceCommandError } from '../../lib/device/errors';
import type { SimDevice } from '../../sim';
import { createEatonEpduSim, type EatonSimOptions } from '../../sim/snmp/eaton-epdu';
import { getValues, setInteger, snmpDevice } from '../helpers/snmp-device';

// What the generic profile suite does not reach on an Eaton ePDU (EATON-EPDU-MIB): one command
// column per action, where a pending command makes the state unknown; a temperature scale set
// per unit (a parent table of the sensor rows); a probe that is not plugged in; an outlet the
// administrator made not switchable.
const E = '1.3.6.1.4.1.534.6.6.7';
const CONTROL = `${E}.6.6.1`;
const COMMANDS = { off: 3, on: 4, reboot: 5 };

const sleep = (ms: number) => new Promise((resolve) => { setTimeout(resolve, ms); });

describe('eaton-epdu profile', function () {
  let sim: SimDevice;
  let device: Device;

  async function start(options: EatonSimOptions = {}): Promise<void> {
    sim = await createEatonEpduSim({ port: 0, rebootDelay: 300, driftInterval: 0, outlets: 8, ...options });
    device = snmpDevice(sim);
  }

  afterEach(async function () {
    await device?.close();
    await sim?.stop();
  });

  it('writes each action to its own command column, with 0 for now, and leaves the others alone', async function () {
    await start();
    for (const action of ['off', 'on', 'reboot'] as const) {
      sim.sets!.length = 0;
      await device.switch({ targets: 2, action });
      assert.deepStrictEqual(sim.sets, [{ oid: `${CONTROL}.${COMMANDS[action]}.0.2`, value: 0 }], action);
      // No command stays pending: every command column reads -1 again.
      assert.deepStrictEqual(await getValues(sim.port, Object.values(COMMANDS).map((column) => `${CONTROL}.${column}.0.2`)), [-1, -1, -1]);
    }
    assert.strictEqual(sim.model.outlet(2)!.on, true);
  });

  it('reads a pending command as unknown, and the state it reaches when it runs', async function () {
    await start();
    // An operator's delayed off (1 s), which the device shows as pendingOff(2).
    await setInteger(sim.port, `${CONTROL}.${COMMANDS.off}.0.5`, 1);
    const pending = await device.read();
    assert.strictEqual(pending.outlets[4].state, 'unknown');
    assert.strictEqual(pending.outlets[3].state, 'on');
    let state: string = pending.outlets[4].state;
    for (let tries = 0; tries < 40 && state !== 'off'; tries += 1) {
      await sleep(100);
      state = (await device.read()).outlets[4].state;
    }
    assert.strictEqual(state, 'off');
    assert.strictEqual(sim.model.outlet(5)!.on, false);
  });

  it('lets -1 in the same column cancel a pending command', async function () {
    await start();
    await setInteger(sim.port, `${CONTROL}.${COMMANDS.off}.0.6`, 1);
    await setInteger(sim.port, `${CONTROL}.${COMMANDS.off}.0.6`, -1);
    assert.strictEqual((await device.read()).outlets[5].state, 'on');
    await sleep(1300);
    assert.strictEqual(sim.model.outlet(6)!.on, true);
  });

  it('converts temperatures to °C when the unit\'s temperatureScale is Fahrenheit', async function () {
    await start();
    sim.model.setSensors(23.4, 47);
    // temperatureScale is per unit (strappingIndex 0): an operator switches it to fahrenheit(1).
    await setInteger(sim.port, `${E}.1.2.1.9.0`, 1);
    assert.deepStrictEqual(await getValues(sim.port, [`${E}.7.1.1.4.0.1`]), [741]);
    const { sensors } = await device.read();
    assert.deepStrictEqual(sensors, [
      { index: 1, name: 'Rack inlet', type: 'temperature', value: 23.39, unit: '°C' },
      { index: 1, name: 'Rack inlet', type: 'humidity', value: 47, unit: '%' },
    ]);
  });

  it('leaves out the sensors of a probe that is not connected', async function () {
    await start({ noProbe: true });
    assert.deepStrictEqual((await device.read()).sensors, []);
  });

  it('reads the input per line in A, V and W', async function () {
    await start();
    sim.model.switch(1, false);
    const { inputs } = await device.read();
    assert.deepStrictEqual(inputs, [
      { index: 1, name: 'L1', current: sim.model.totalCurrent(), power: sim.model.totalPower(), voltage: 230 },
    ]);
  });

  it('reads any negative outletWatts or inputWatts as no reading ("a negative value indicates that this object is not available")', async function () {
    await start({ wattsUnavailable: { 2: -1, 3: -2, 4: -2147483648 }, inputWattsUnavailable: -5 });
    assert.deepStrictEqual(await getValues(sim.port, [`${E}.6.5.1.3.0.2`, `${E}.6.5.1.3.0.3`, `${E}.6.5.1.3.0.4`]), [-1, -2, -2147483648]);
    const { outlets, inputs } = await device.read();
    assert.deepStrictEqual(outlets.slice(1, 4).map((outlet) => outlet.power), [undefined, undefined, undefined]);
    assert.ok(typeof outlets[0].power === 'number' && outlets[0].power >= 0, `outlet 1 still metered: ${outlets[0].power}`);
    assert.strictEqual(inputs[0].power, undefined);
  });

  it('reports a refusal for an outlet that is not switchable, and switches nothing', async function () {
    await start({ locked: [3] });
    // outletControlSwitchable notSwitchable(2)
    assert.deepStrictEqual(await getValues(sim.port, [`${CONTROL}.9.0.3`]), [2]);
    await assert.rejects(device.switch({ targets: 3, action: 'reboot' }),
      (error: Error) => error instanceof DeviceCommandError && /refused the SET \(GeneralError/.test(error.message));
    assert.deepStrictEqual(sim.sets, []);
    assert.strictEqual(sim.model.outlet(3)!.on, true);
  });
});
