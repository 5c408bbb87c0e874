import assert from 'assert';
import type { Device } from '../../lib/device/device';
import { DeviceCommandError } from '../../lib/device/errors';
import type { SimDevice } from '../../sim';
import { createPanduitG5Sim, type PanduitSimOptions } from '../../sim/snmp/panduit-g5';
import { until } from '../helpers/red';
import { getValues, snmpDevice } from '../helpers/snmp-device';
import { decodedTraps, type DecodedTraps } from '../helpers/trap-events';
import { v2cTrap } from '../helpers/traps';

// What the generic profile suite does not reach on a Panduit SmartZone G5 (PANDUIT-MIB): the
// unit's temperature scale, a disconnected probe, an outlet the PDU refuses, and notifications
// that say what happened only in the agent's own words.
const N = '1.3.6.1.4.1.19536.10.1';

describe('panduit-g5 profile', function () {
  let sim: SimDevice;
  let device: Device;

  async function start(options: PanduitSimOptions = {}): Promise<void> {
    sim = await createPanduitG5Sim({ port: 0, rebootDelay: 300, driftInterval: 0, outlets: 8, ...options });
    device = snmpDevice(sim);
  }

  afterEach(async function () {
    await device?.close();
    await sim?.stop();
  });

  it('reads whole °F as °C when the unit\'s pdug5TemperatureScale is fahrenheit(2)', async function () {
    await start({ fahrenheit: true });
    sim.model.setSensors(23.4, 47);
    // 23.4 °C is 74.12 °F, given in whole degrees: 74.
    assert.deepStrictEqual(await getValues(sim.port, [`${N}.4.1.1.1.1`, `${N}.4.2.1.4.1.1`]), [2, 74]);
    assert.deepStrictEqual((await device.read()).sensors, [
      { index: 1, name: 'Rack inlet', type: 'temperature', value: 23.33, unit: '°C' },
      { index: 1, name: 'Rack inlet RH', type: 'humidity', value: 47, unit: '%' },
    ]);
  });

  it('leaves out a probe that is disconnected', async function () {
    await start({ noProbe: true });
    // pdug5TemperatureProbeStatus disconnected(1): the row stays.
    assert.deepStrictEqual(await getValues(sim.port, [`${N}.4.2.1.3.1.1`]), [1]);
    assert.deepStrictEqual((await device.read()).sensors, []);
  });

  it('reports a refusal for an outlet the PDU will not switch, and switches nothing', async function () {
    await start({ locked: [3] });
    await assert.rejects(device.switch({ targets: 3, action: 'off' }),
      (error: Error) => error instanceof DeviceCommandError && /refused the SET \(GeneralError/.test(error.message));
    assert.deepStrictEqual(sim.sets, []);
    assert.strictEqual(sim.model.outlet(3)!.on, true);
  });

  it('reads any negative pdug5OutletWatts as no reading ("a negative value indicates that this object is not available")', async function () {
    await start({ wattsUnavailable: { 2: -1, 3: -2, 4: -2147483648 } });
    assert.deepStrictEqual(await getValues(sim.port, [`${N}.5.1.1.13.1.2`, `${N}.5.1.1.13.1.3`, `${N}.5.1.1.13.1.4`]), [-1, -2, -2147483648]);
    const outlets = (await device.read()).outlets;
    assert.deepStrictEqual(outlets.slice(1, 4).map((outlet) => outlet.power), [undefined, undefined, undefined]);
    assert.ok(typeof outlets[0].power === 'number' && outlets[0].power >= 0, `outlet 1 still metered: ${outlets[0].power}`);
  });

  describe('notifications from snmptrap', function () {
    let traps: DecodedTraps;
    beforeEach(async function () { traps = await decodedTraps(); });
    afterEach(async function () { await traps.close(); });

    it('trapWarning and trapCleared keep their names, with the severity and the agent\'s words', async function () {
      const words = (code: number, text: string): string[] => [
        `${N}.7.1.1.0`, 'i', String(code), `${N}.7.1.2.0`, 's', text, '1.3.6.1.2.1.1.1.0', 's', 'SN:PDU Switched',
      ];
      await v2cTrap(`127.0.0.1:${traps.port}`, 'public', `${N}.6.2`, words(301, 'Outlet 3 current high'));
      await v2cTrap(`127.0.0.1:${traps.port}`, 'public', `${N}.6.4`, words(301, 'Outlet 3 current normal'));
      await until(() => traps.events.length === 2, 5000, 'two events');
      const [warning, cleared] = traps.events;
      assert.deepStrictEqual([warning.event, warning.severity, cleared.event, cleared.severity],
        ['trapWarning', 'warning', 'trapCleared', 'info']);
      assert.match(warning.text, /Outlet 3 current high/);
      assert.deepStrictEqual(traps.trapNames, ['trapWarning', 'trapCleared']);
    });
  });
});
