import assert from 'assert';
import type { Device } from '../../lib/device/device';
import { DeviceCommandError } from '../../lib/device/errors';
import type { SimDevice } from '../../sim';
import { createGeistImdSim, type GeistSimOptions } from '../../sim/snmp/geist-imd';
import { until } from '../helpers/red';
import { getValues, setInteger, snmpDevice } from '../helpers/snmp-device';
import { decodedTraps, type DecodedTraps } from '../helpers/trap-events';
import { v2cTrap } from '../helpers/traps';

// What the generic profile suite does not reach on a Vertiv/Geist IMD (GEIST-V5-MIB): one
// temperature unit setting for the whole PDU, a probe whose row stays while it is unavailable,
// the relay states of a reboot, an outlet the PDU refuses, and the NOTIFY/CLEAR alarm pairs.
const G = '1.3.6.1.4.1.21239.5.2';
const SWITCH = `${G}.3.5.1`;

describe('geist-imd profile', function () {
  let sim: SimDevice;
  let device: Device;

  async function start(options: GeistSimOptions = {}): Promise<void> {
    sim = await createGeistImdSim({ port: 0, rebootDelay: 400, driftInterval: 0, outlets: 8, ...options });
    device = snmpDevice(sim);
  }

  afterEach(async function () {
    await device?.close();
    await sim?.stop();
  });

  it('is detected from the i03 identity and reads the phase in A, V and W', async function () {
    await start();
    sim.model.switch(2, false);
    device = snmpDevice(sim, 'auto');
    assert.strictEqual((await device.describe()).profile, 'geist-imd');
    const { inputs } = await device.read();
    assert.deepStrictEqual(inputs, [
      { index: 1, name: 'L1', current: sim.model.totalCurrent(), power: sim.model.totalPower(), voltage: 230 },
    ]);
  });

  it('converts temperatures to °C when temperatureUnits is fahrenheit', async function () {
    await start();
    sim.model.setSensors(23.4, 47);
    // An operator switches the unit to fahrenheit(0): 74.1 °F in decidegrees.
    await setInteger(sim.port, `${G}.1.7.0`, 0);
    assert.deepStrictEqual(await getValues(sim.port, [`${G}.1.7.0`, `${G}.9.1.5.1`]), [0, 741]);
    assert.deepStrictEqual((await device.read()).sensors, [
      { index: 1, name: 'Rack inlet', type: 'temperature', value: 23.39, unit: '°C' },
      { index: 1, name: 'Rack inlet', type: 'humidity', value: 47, unit: '%' },
    ]);
  });

  it('leaves out a probe that is unavailable', async function () {
    await start({ noProbe: true });
    // The row is still there, thdSensorAvail unavailable(0).
    assert.deepStrictEqual(await getValues(sim.port, [`${G}.9.1.4.1`]), [0]);
    assert.deepStrictEqual((await device.read()).sensors, []);
  });

  it('reads a rebooting outlet as off, then on; the control column reads none(8) again', async function () {
    await start();
    await device.describe();
    await setInteger(sim.port, `${SWITCH}.6.4`, 6);
    // rebootOff(6) while the relay is open.
    assert.deepStrictEqual(await getValues(sim.port, [`${SWITCH}.4.4`, `${SWITCH}.6.4`]), [6, 8]);
    assert.strictEqual((await device.read()).outlets[3].state, 'off');
    await until(() => sim.model.outlet(4)!.on, 3000, 'outlet 4 back on');
    assert.strictEqual((await device.read()).outlets[3].state, 'on');
  });

  it('reports a refusal for an outlet the PDU will not switch, and switches nothing', async function () {
    await start({ locked: [3] });
    await assert.rejects(device.switch({ targets: 3, action: 'off' }),
      (error: Error) => error instanceof DeviceCommandError && /refused the SET \(GeneralError/.test(error.message));
    assert.deepStrictEqual(sim.sets, []);
    assert.strictEqual(sim.model.outlet(3)!.on, true);
  });

  describe('alarms from snmptrap', function () {
    let traps: DecodedTraps;
    beforeEach(async function () { traps = await decodedTraps(); });
    afterEach(async function () { await traps.close(); });

    const thd = (deci: number, units: number, type: number, severity: number): string[] => [
      `${G}.9.1.5.1`, 'i', String(deci), `${G}.1.7.0`, 'i', String(units), `${G}.32767.1.2.0`, 'i', String(type),
      `${G}.32767.1.1.0`, 'i', String(severity), '1.3.6.1.2.1.1.5.0', 's', 'rack-12-pdu-a', `${G}.9.1.3.1`, 's', 'Rack inlet',
    ];

    it('decodes a high-temperature alarm in °F as temperatureHigh, critical, in °C; its clear as temperatureNormal', async function () {
      // thdSensorTempNOTIFY: 104.0 °F, high(2), alarm(2); then thdSensorTempCLEAR at 75.2 °F.
      await v2cTrap(`127.0.0.1:${traps.port}`, 'public', `${G}.32767.0.10905`, thd(1040, 0, 2, 2));
      await v2cTrap(`127.0.0.1:${traps.port}`, 'public', `${G}.32767.0.20905`, thd(752, 0, 2, 1));
      await until(() => traps.events.length === 2, 5000, 'two events');
      const [high, normal] = traps.events;
      assert.deepStrictEqual([high.event, high.severity, high.value, high.device, high.sensor],
        ['temperatureHigh', 'critical', 40, 'rack-12-pdu-a', { index: 1, name: 'Rack inlet', type: 'temperature' }]);
      assert.deepStrictEqual([normal.event, normal.value], ['temperatureNormal', 24]);
      assert.deepStrictEqual(traps.trapNames, ['thdSensorTempNOTIFY', 'thdSensorTempCLEAR']);
    });

    it('decodes an outlet current warning below the low threshold as loadLow, warning, on that outlet', async function () {
      await v2cTrap(`127.0.0.1:${traps.port}`, 'public', `${G}.32767.0.10389`, [
        `${G}.3.6.1.8.5`, 'u', '12', `${G}.32767.1.2.0`, 'i', '1', `${G}.32767.1.1.0`, 'i', '1',
        '1.3.6.1.2.1.1.5.0', 's', 'rack-12-pdu-a', `${G}.3.6.1.3.5`, 's', 'db-05',
      ]);
      const [event] = await until(() => traps.events.length === 1 && traps.events, 5000, 'event');
      assert.deepStrictEqual([event.event, event.severity, event.value, event.outlet], ['loadLow', 'warning', 0.12, { index: 5, name: 'db-05' }]);
    });
  });
});
