import assert from 'assert';
import type { Device } from '../../lib/device/device';
import { DeviceCommandError } from '../../lib/device/errors';
import type { SimDevice } from '../../sim';
import { createAvocentPmSim } from '../../sim/snmp/avocent-pm';
import { getValues, snmpDevice } from '../helpers/snmp-device';

// What the generic profile suite does not reach on an Avocent PM PDU (PM-MIB): rows indexed by
// serial port, PDU and outlet; an outlet locked at the PDU, read in its locked state and refused;
// readings in tenths of an ampere and of a watt; no sensors, whose scale the MIB does not state.
const OUTLETS = '1.3.6.1.4.1.10418.17.2.5.5.1';

describe('avocent-pm profile', function () {
  let sim: SimDevice;
  let device: Device;

  afterEach(async function () {
    await device?.close();
    await sim?.stop();
  });

  it('is detected from its pmProducts identity and reads port 1 PDU 1 in A, W and V', async function () {
    sim = await createAvocentPmSim({ port: 0, rebootDelay: 300, driftInterval: 0, outlets: 8 });
    device = snmpDevice(sim, 'auto');
    const description = await device.describe();
    assert.strictEqual(description.profile, 'avocent-pm');
    assert.strictEqual(description.capabilities.temperature, false);
    // Outlet 1: its current in tenths of an ampere at port 1, PDU 1.
    const [raw] = await getValues(sim.port, [`${OUTLETS}.50.1.1.1`]);
    assert.strictEqual(raw, Math.round(sim.model.outlets[0].baseLoad * 10));
    const { outlets, inputs, sensors } = await device.read();
    assert.strictEqual(outlets[0].current, Math.round(sim.model.outlets[0].baseLoad * 10) / 10);
    assert.strictEqual(outlets[0].power, sim.model.power(sim.model.outlets[0]));
    assert.deepStrictEqual(inputs, [{ index: 1, name: 'X', current: Math.round(sim.model.totalCurrent() * 10) / 10, voltage: 230 }]);
    assert.deepStrictEqual(sensors, []);
  });

  it('reads a locked outlet as its state, and reports the refusal of a command to it', async function () {
    sim = await createAvocentPmSim({ port: 0, rebootDelay: 300, driftInterval: 0, outlets: 8, locked: [3] });
    device = snmpDevice(sim);
    // onLocked(4)
    assert.deepStrictEqual(await getValues(sim.port, [`${OUTLETS}.5.1.1.3`]), [4]);
    assert.strictEqual((await device.read()).outlets[2].state, 'on');
    await assert.rejects(device.switch({ targets: 3, action: 'off' }),
      (error: Error) => error instanceof DeviceCommandError && /refused the SET \(GeneralError/.test(error.message));
    assert.deepStrictEqual(sim.sets, []);
    assert.strictEqual(sim.model.outlet(3)!.on, true);
  });
});
