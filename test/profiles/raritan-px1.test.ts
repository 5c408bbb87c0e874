import assert from 'assert';
import type { Device } from '../../lib/device/device';
import type { SimDevice } from '../../sim';
import { createEatonEpduMaSim } from '../../sim/snmp/eaton-epdu-ma';
import { createRaritanPx1Sim, type RaritanPx1SimOptions } from '../../sim/snmp/raritan-px1';
import { until } from '../helpers/red';
import { getValues, snmpDevice } from '../helpers/snmp-device';
import { decodedTraps, type DecodedTraps } from '../helpers/trap-events';
import { v2cTrap } from '../helpers/traps';

// What the generic profile suite does not reach on PDU-MIB devices: the Raritan PX1's external
// probe in °F or unplugged, the first Eaton ePDU's outlet rows from 0, and their notifications
// (powerControl per outlet, threshold alarms told in words).
const X = '1.3.6.1.4.1.13742.4';
const M = '1.3.6.1.4.1.534.6.6.6';

describe('raritan-px1 and eaton-epdu-ma profiles', function () {
  let sim: SimDevice;
  let device: Device;

  async function startPx1(options: RaritanPx1SimOptions = {}): Promise<void> {
    sim = await createRaritanPx1Sim({ port: 0, rebootDelay: 300, driftInterval: 0, outlets: 8, ...options });
    device = snmpDevice(sim);
  }

  afterEach(async function () {
    await device?.close();
    await sim?.stop();
  });

  it('PX1: a probe in degreeF(14) reads in °C; an unplugged one, unavailable(-1), is left out', async function () {
    await startPx1({ fahrenheit: true });
    sim.model.setSensors(23.4, 47);
    // 74.12 °F with one decimal digit: 741.
    assert.deepStrictEqual(await getValues(sim.port, [`${X}.3.3.1.16.1`, `${X}.3.3.1.41.1`]), [14, 741]);
    assert.deepStrictEqual((await device.read()).sensors.map(({ name, value }) => [name, value]), [['Rack inlet', 23.39], ['Rack inlet RH', 47]]);
    await device.close();
    await sim.stop();
    await startPx1({ noProbe: true });
    assert.deepStrictEqual(await getValues(sim.port, [`${X}.3.3.1.40.1`]), [-1]);
    assert.deepStrictEqual((await device.read()).sensors, []);
  });

  it('Eaton first-generation ePDU: outlet 1 is row 0, the unit is the input', async function () {
    sim = await createEatonEpduMaSim({ port: 0, rebootDelay: 300, driftInterval: 0, outlets: 4 });
    device = snmpDevice(sim, 'auto');
    assert.strictEqual(String(((await getValues(sim.port, [`${M}.1.2.2.1.2.0`])) as Buffer[])[0]), 'server-01');
    const { outlets, inputs } = await device.read();
    assert.deepStrictEqual(outlets.map((outlet) => `${outlet.index} ${outlet.name}`), ['1 server-01', '2 server-02', '3 server-03', '4 server-04']);
    assert.deepStrictEqual(inputs, [{ index: 1, name: 'Input', current: sim.model.totalCurrent(), power: Math.round(sim.model.totalPower()), voltage: 230 }]);
  });

  describe('notifications from snmptrap', function () {
    let traps: DecodedTraps;
    beforeEach(async function () { traps = await decodedTraps(); });
    afterEach(async function () { await traps.close(); });

    const alarm = (severity: string, type: string): string[] => [
      `${X}.1.1.12.0`, 's', 'PX', `${X}.1.1.13.0`, 's', 'rack-12-pdu-a', `${X}.1.1.19.0`, 's', 'External Sensor 3',
      `${X}.1.1.20.0`, 's', 'Upper Critical', `${X}.1.1.21.0`, 's', severity, `${X}.1.1.22.0`, 's', type,
    ];

    it('PX1: a triggered critical threshold is thresholdAlarm, critical, on its sensor; its clear is info', async function () {
      await v2cTrap(`127.0.0.1:${traps.port}`, 'public', `${X}.0.45`, alarm('Critical', 'triggered'));
      await v2cTrap(`127.0.0.1:${traps.port}`, 'public', `${X}.0.45`, alarm('Critical', 'cleared'));
      await until(() => traps.events.length === 2, 5000, 'two events');
      const [triggered, cleared] = traps.events;
      assert.deepStrictEqual([triggered.event, triggered.severity, triggered.device, triggered.sensor?.name],
        ['thresholdAlarm', 'critical', 'rack-12-pdu-a', 'External Sensor 3']);
      assert.match(triggered.text, /Upper Critical/);
      assert.deepStrictEqual([cleared.event, cleared.severity], ['thresholdAlarm', 'info']);
    });

    it('Eaton first-generation ePDU: powerControl on row 0 is outlet 1, cycling is outletReboot', async function () {
      await v2cTrap(`127.0.0.1:${traps.port}`, 'public', `${M}.0.23`, [
        `${M}.1.1.13.0`, 's', 'rack-7', `${M}.1.2.2.1.2.0`, 's', 'db-01', `${M}.1.2.2.1.3.0`, 'i', '2',
      ]);
      const [event] = await until(() => traps.events.length === 1 && traps.events, 5000, 'event');
      assert.deepStrictEqual([event.event, event.device, event.outlet], ['outletReboot', 'rack-7', { index: 1, name: 'db-01' }]);
    });
  });
});
