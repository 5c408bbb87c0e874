import assert from 'assert';
import type { Device } from '../../lib/device/device';
import { DeviceCommandError, DeviceConfigError } from '../../lib/device/errors';
import type { SimDevice } from '../../sim';
import { SimModel } from '../../sim/model';
import { startAgent } from '../../sim/snmp/agent';
import { addScalar } from '../../sim/snmp/pdu-agent';
import { STR } from '../../sim/snmp/table';
import { createTrippLitePduSim, type TrippLiteSimOptions } from '../../sim/snmp/tripplite-pdu';
import { until } from '../helpers/red';
import { getValues, snmpDevice } from '../helpers/snmp-device';
import { decodedTraps, type DecodedTraps } from '../helpers/trap-events';
import { v2cTrap } from '../helpers/traps';

// What the generic profile suite does not reach on a Tripp Lite PowerAlert PDU
// (TRIPPLITE-PRODUCTS): rows indexed by the agent's device, an EnviroSense probe that is a device
// of its own, an outlet the card will not switch, a UPS card under the same sysObjectID branch,
// and alarms announced as rows of the alarm table.
const P = '1.3.6.1.4.1.850.1.1.3.2';

describe('tripplite-pdu profile', function () {
  let sim: SimDevice;
  let device: Device;

  async function start(options: TrippLiteSimOptions = {}): Promise<void> {
    sim = await createTrippLitePduSim({ port: 0, rebootDelay: 300, driftInterval: 0, outlets: 8, ...options });
    device = snmpDevice(sim);
  }

  afterEach(async function () {
    await device?.close();
    await sim?.stop();
  });

  it('reads the outlets of device 1 and the input phase in A and V', async function () {
    await start();
    sim.model.switch(2, false);
    // Outlet 2 of device 1 reads off(1), its command column idle(0).
    assert.deepStrictEqual(await getValues(sim.port, [`${P}.3.3.1.1.4.1.2`, `${P}.3.3.1.1.6.1.2`]), [1, 0]);
    const { inputs, outlets } = await device.read();
    assert.deepStrictEqual(inputs, [{ index: 1, name: 'Phase 1', current: sim.model.totalCurrent(), voltage: 120 }]);
    assert.deepStrictEqual(outlets[1], { index: 2, id: '2', name: 'server-02', state: 'off', current: 0, power: 0 });
  });

  it('reads the EnviroSense probe in °C and %, and nothing when it is not plugged in', async function () {
    await start();
    sim.model.setSensors(23.4, 47);
    assert.deepStrictEqual((await device.read()).sensors, [
      { index: 1, name: 'EnviroSense', type: 'temperature', value: 23.4, unit: '°C' },
      { index: 1, name: 'EnviroSense', type: 'humidity', value: 47, unit: '%' },
    ]);
    await device.close();
    await sim.stop();
    await start({ noProbe: true });
    assert.deepStrictEqual((await device.read()).sensors, []);
  });

  it('reports a refusal for an outlet that is not controllable, and switches nothing', async function () {
    await start({ locked: [3] });
    // tlpPduOutletControllable false(2)
    assert.deepStrictEqual(await getValues(sim.port, [`${P}.3.3.1.1.5.1.3`]), [2]);
    await assert.rejects(device.switch({ targets: 3, action: 'off' }),
      (error: Error) => error instanceof DeviceCommandError && /refused the SET \(GeneralError/.test(error.message));
    assert.deepStrictEqual(sim.sets, []);
    assert.strictEqual(sim.model.outlet(3)!.on, true);
  });

  it('does not take a PowerAlert UPS card for a PDU', async function () {
    const model = new SimModel({ outlets: 0 });
    const ups = await startAgent({ port: 0, sysDescr: 'POWERALERT', sysObjectID: '1.3.6.1.4.1.850.1' }, model);
    // tlpDeviceModel of a UPS, and no PDU outlet table.
    addScalar(ups.mib, 'tlpDeviceModel', '1.3.6.1.4.1.850.1.1.1.2.1.5', STR, 'SMART1500LCD');
    const auto = snmpDevice({ id: 'ups', port: ups.port } as SimDevice, 'auto');
    try {
      await assert.rejects(auto.describe(), (error: Error) => error instanceof DeviceConfigError
        && /cannot tell which PDU this is \(sysObjectID 1\.3\.6\.1\.4\.1\.850\.1,/.test(error.message));
    } finally {
      await auto.close();
      await ups.close();
      model.stop();
    }
  });

  describe('alarms from snmptrap', function () {
    let traps: DecodedTraps;
    beforeEach(async function () { traps = await decodedTraps(); });
    afterEach(async function () { await traps.close(); });

    const ALARM = '1.3.6.1.4.1.850.1.3.2.1';
    /** The MIB's own example: alarm 46, tlpPduAlarmLoadOff for outlet 4 of device 1. */
    const loadOff = (type: number): string[] => [
      `${ALARM}.1.46`, 'u', '46', `${ALARM}.2.46`, 'o', '1.3.6.1.4.1.850.1.3.3.4.6.4', `${ALARM}.3.46`, 't', '12345678',
      `${ALARM}.4.46`, 'o', `${P}.3.3.1`, `${ALARM}.5.46`, 'o', `${P}.3.3.1.1.1.1.4`,
      `${ALARM}.6.46`, 's', 'Load Off', `${ALARM}.7.46`, 'i', String(type),
    ];

    it('names the alarm added and removed, with the agent\'s severity and text', async function () {
      await v2cTrap(`127.0.0.1:${traps.port}`, 'public', '1.3.6.1.4.1.850.1.4.1.1', loadOff(2));
      await v2cTrap(`127.0.0.1:${traps.port}`, 'public', '1.3.6.1.4.1.850.1.4.1.1', loadOff(1));
      await v2cTrap(`127.0.0.1:${traps.port}`, 'public', '1.3.6.1.4.1.850.1.4.1.2', loadOff(2));
      await until(() => traps.events.length === 3, 5000, 'three events');
      assert.deepStrictEqual(traps.events.map((event) => [event.event, event.severity]), [
        ['tlpNotificationsAlarmEntryAdded', 'warning'],
        ['tlpNotificationsAlarmEntryAdded', 'critical'],
        ['tlpNotificationsAlarmEntryRemoved', 'info'],
      ]);
      assert.match(traps.events[0].text, /Load Off/);
    });
  });
});
