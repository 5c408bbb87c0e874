import assert from 'assert';
import type { Device } from '../../lib/device/device';
import { DeviceConfigError } from '../../lib/device/errors';
import { SimModel } from '../../sim/model';
import type { SimDevice } from '../../sim';
import { startAgent } from '../../sim/snmp/agent';
import { createCyberPowerEpdu2Sim, type CyberPowerEpdu2SimOptions } from '../../sim/snmp/cyberpower-epdu2';
import { addScalars, apcTable } from '../../sim/snmp/apc';
import { INT } from '../../sim/snmp/table';
import { until } from '../helpers/red';
import { getValues, snmpDevice } from '../helpers/snmp-device';
import { decodedTraps, type DecodedTraps } from '../helpers/trap-events';
import { v2cTrap } from '../helpers/traps';

// What the generic profile suite does not reach on a CyberPower ePDU2 (CPS-MIB hardware 6): the
// vendor fallback from the first ePDU branch's sysObjectID, the envir2 probe in °F, and a UPS card
// with an envir2 probe that must not pass for an ePDU2.
const ENVIRONMENT2 = '1.3.6.1.4.1.3808.1.1.8';
const CPS = '1.3.6.1.4.1.3808';
const E2 = `${CPS}.1.1.6`;

describe('cyberpower-epdu2 profile', function () {
  let sim: SimDevice;
  let device: Device;

  async function start(options: CyberPowerEpdu2SimOptions = {}, profile?: string): Promise<void> {
    sim = await createCyberPowerEpdu2Sim({ port: 0, rebootDelay: 300, driftInterval: 0, outlets: 8, ...options });
    device = snmpDevice(sim, profile);
  }

  afterEach(async function () {
    await device?.close();
    await sim?.stop();
  });

  it('auto reaches it through the vendor fallback when the unit answers the first ePDU branch\'s sysObjectID', async function () {
    await start({ firstBranchSysObjectID: true }, 'auto');
    const description = await device.describe();
    assert.strictEqual(description.profile, 'cyberpower-epdu2');
    assert.strictEqual(description.outlets.length, 8);
    assert.strictEqual(description.capabilities.switch, true);
  });

  it('converts a probe set to Fahrenheit (envir2TempUnit fahrenheit(2)) from hundredths of a °F', async function () {
    await start({ fahrenheit: true });
    sim.model.setSensors(23.4, 47);
    // 23.4 °C = 74.12 °F; 47 % in hundredths.
    assert.deepStrictEqual(await getValues(sim.port, [`${ENVIRONMENT2}.2.2.0`, `${ENVIRONMENT2}.2.3.1.3.1`, `${ENVIRONMENT2}.3.2.1.3.1`]), [2, 7412, 4700]);
    const temperature = (await device.read()).sensors.find((sensor) => sensor.type === 'temperature');
    assert.ok(temperature && Math.abs(temperature.value - 23.4) < 0.01 && temperature.unit === '°C', JSON.stringify(temperature));
  });

  it('does not take a CyberPower UPS card with an envir2 probe for an ePDU2', async function () {
    const model = new SimModel({ outlets: 0 });
    const ups = await startAgent({ port: 0, sysDescr: 'Power Manager', sysObjectID: '1.3.6.1.4.1.3808.1.1.1' }, model);
    // A probe on the card (envir2 table row 1, 23.40 °C), but no ePDU2Role.
    addScalars(ups.mib, [['envir2TempTableSize', `${ENVIRONMENT2}.2.1`, INT, 1]]);
    apcTable(ups.mib, 'envir2TempTable', `${ENVIRONMENT2}.2.3.1`, [
      [1, 'envir2TemperatureIndex', INT], [2, 'envir2TempModulePosition', INT], [3, 'envir2Temperature', INT],
    ]).setRow([1], { 1: 1, 2: 1, 3: 2340 });
    const auto = snmpDevice({ id: 'ups', port: ups.port } as SimDevice, 'auto');
    try {
      await assert.rejects(auto.describe(), (error: Error) => error instanceof DeviceConfigError
        && /cannot tell which PDU this is \(sysObjectID 1\.3\.6\.1\.4\.1\.3808\.1\.1\.1,/.test(error.message));
    } finally {
      await auto.close();
      await ups.close();
      model.stop();
    }
  });

  describe('its own notifications, from snmptrap', function () {
    let traps: DecodedTraps;
    beforeEach(async function () { traps = await decodedTraps(); });
    afterEach(async function () { await traps.close(); });

    it('pduPhaseAlarm is a warning on its phase, pduOutletSwitchedAlarmClear names the outlet, both with the agent\'s words', async function () {
      const unit = [`${E2}.2.2.1.10.1`, 's', 'CP123', `${E2}.2.2.1.3.1`, 's', 'rack-9-pdu-b'];
      await v2cTrap(`127.0.0.1:${traps.port}`, 'public', `${CPS}.0.404`, [
        ...unit, `${E2}.4.4.1.1.2`, 'i', '2', `${E2}.4.4.1.3.2`, 'i', '2', `${CPS}.2.2.3.0`, 's', 'Phase 2 overload.',
      ]);
      await v2cTrap(`127.0.0.1:${traps.port}`, 'public', `${CPS}.0.411`, [
        ...unit, `${E2}.6.1.4.1.1.12`, 'i', '12', `${E2}.6.1.4.1.3.12`, 'i', '4', `${E2}.6.1.4.1.4.12`, 's', 'db-04',
        `${CPS}.2.2.3.0`, 's', 'Outlet 4 overload cleared.',
      ]);
      await until(() => traps.events.length === 2, 5000, 'two events');
      const [phase, outlet] = traps.events;
      assert.deepStrictEqual([phase.event, phase.severity, phase.device, phase.sensor?.index], ['pduPhaseAlarm', 'warning', 'rack-9-pdu-b', 2]);
      assert.match(phase.text, /Phase 2 overload\./);
      assert.deepStrictEqual([outlet.event, outlet.severity, outlet.outlet], ['pduOutletSwitchedAlarmClear', 'info', { index: 4, name: 'db-04' }]);
      assert.match(outlet.text, /Outlet 4 overload cleared\./);
      assert.deepStrictEqual(traps.trapNames, ['pduPhaseAlarm', 'pduOutletSwitchedAlarmClear']);
    });
  });
});
