import assert from 'assert';
import type { Device } from '../../lib/device/device';
import { DeviceCommandError, DeviceConfigError } from '../../lib/device/errors';
import { SimModel } from '../../sim/model';
import type { SimDevice } from '../../sim';
import { startAgent } from '../../sim/snmp/agent';
import { createCyberPowerEpduSim, type CyberPowerSimOptions } from '../../sim/snmp/cyberpower-epdu';
import { addScalar } from '../../sim/snmp/pdu-agent';
import { STR } from '../../sim/snmp/table';
import { getValues, snmpDevice } from '../helpers/snmp-device';

// What the generic profile suite does not reach on a CyberPower ePDU (CPS-MIB): the load table
// mixes phase and bank rows, the ENVIROSENSOR answers scalars in tenths of a °F and is absent when
// unplugged, an outlet the device refuses, and a UPS card that shares the ePDU's sysObjectID.
const C = '1.3.6.1.4.1.3808.1.1.3';

describe('cyberpower-epdu profile', function () {
  let sim: SimDevice;
  let device: Device;

  async function start(options: CyberPowerSimOptions = {}): Promise<void> {
    sim = await createCyberPowerEpduSim({ port: 0, rebootDelay: 300, driftInterval: 0, outlets: 8, ...options });
    device = snmpDevice(sim);
  }

  afterEach(async function () {
    await device?.close();
    await sim?.stop();
  });

  it('reads the phase as the input, not the banks it feeds', async function () {
    await start();
    sim.model.switch(2, false);
    // Three load rows: the phase (bank 0), then banks 1 and 2.
    assert.deepStrictEqual(await getValues(sim.port, [1, 2, 3].map((row) => `${C}.2.3.1.1.5.${row}`)), [0, 1, 2]);
    const { inputs } = await device.read();
    assert.strictEqual(inputs.length, 1);
    assert.deepStrictEqual(inputs[0], {
      index: 1, name: 'Phase 1', current: Math.round(sim.model.totalCurrent() * 10) / 10, power: sim.model.totalPower(), voltage: 120,
    });
  });

  it('converts the ENVIROSENSOR temperature from tenths of a °F', async function () {
    await start();
    sim.model.setSensors(23.4, 47);
    // envirTemperature 74.1 °F, envirHumidity 47 %
    assert.deepStrictEqual(await getValues(sim.port, ['1.3.6.1.4.1.3808.1.1.4.2.1.0', '1.3.6.1.4.1.3808.1.1.4.3.1.0']), [741, 47]);
    assert.deepStrictEqual((await device.read()).sensors, [
      { index: 1, name: 'Temperature', type: 'temperature', value: 23.39, unit: '°C' },
      { index: 1, name: 'Humidity', type: 'humidity', value: 47, unit: '%' },
    ]);
  });

  it('leaves the sensors out when no ENVIROSENSOR is plugged in', async function () {
    await start({ noProbe: true });
    const snapshot = await device.read();
    assert.deepStrictEqual(snapshot.sensors, []);
    assert.strictEqual(snapshot.outlets.length, 8);
  });

  it('reports a refusal when the device will not switch an outlet, and switches nothing', async function () {
    await start({ locked: [3] });
    await assert.rejects(device.switch({ targets: 3, action: 'off' }),
      (error: Error) => error instanceof DeviceCommandError && /refused the SET \(GeneralError/.test(error.message));
    assert.deepStrictEqual(sim.sets, []);
    assert.strictEqual(sim.model.outlet(3)!.on, true);
  });

  it('does not take a CyberPower UPS card that answers the ePDU sysObjectID for an ePDU', async function () {
    const model = new SimModel({ outlets: 0 });
    const ups = await startAgent({ port: 0, sysDescr: 'Power Manager', sysObjectID: C }, model);
    // upsBaseIdentModel: a UPS, without the ePDU's outlet table.
    addScalar(ups.mib, 'upsBaseIdentModel', '1.3.6.1.4.1.3808.1.1.1.1.1.1', STR, 'OL2200RTXL2U');
    const auto = snmpDevice({ id: 'ups', port: ups.port } as SimDevice, 'auto');
    try {
      await assert.rejects(auto.describe(), (error: Error) => error instanceof DeviceConfigError
        && /cannot tell which PDU this is \(sysObjectID 1\.3\.6\.1\.4\.1\.3808\.1\.1\.3,/.test(error.message));
    } finally {
      await auto.close();
      await ups.close();
      model.stop();
    }
  });
});
