import assert from 'assert';
import type { Device } from '../../lib/device/device';
import { DeviceCommandError } from '../../lib/device/errors';
import type { SimDevice } from '../../sim';
import { createRaritanPdu2Sim, type RaritanSimOptions } from '../../sim/snmp/raritan-pdu2';
import { getValues, snmpDevice } from '../helpers/snmp-device';

// What the generic profile suite does not reach on a Raritan PX2/PX3 (PDU2-MIB): readings scaled
// by the decimal digits the device reports, external sensors chosen by type, reported in °F or
// unplugged, and an outlet the unit will not switch.
const R = '1.3.6.1.4.1.13742.6';

describe('raritan-pdu2 profile', function () {
  let sim: SimDevice;
  let device: Device;

  async function start(options: RaritanSimOptions): Promise<void> {
    sim = await createRaritanPdu2Sim({ port: 0, rebootDelay: 300, driftInterval: 0, outlets: 8, ...options });
    device = snmpDevice(sim);
  }

  afterEach(async function () {
    await device?.close();
    await sim?.stop();
  });

  for (const digits of [1, 3]) {
    it(`scales current by the ${digits} decimal digit(s) the device reports for it`, async function () {
      await start({ currentDigits: digits });
      const snapshot = await device.read();
      // The raw reading of outlet 1 is the current times 10^digits.
      const [raw] = await getValues(sim.port, [`${R}.5.4.3.1.4.1.1.1`]);
      assert.strictEqual(raw, Math.round(sim.model.current(sim.model.outlets[0]) * 10 ** digits));
      snapshot.outlets.forEach((outlet, i) => {
        const expected = Math.round(sim.model.current(sim.model.outlets[i]) * 10 ** digits) / 10 ** digits;
        assert.strictEqual(outlet.current, expected, `outlet ${i + 1}`);
      });
      const [inlet] = snapshot.inputs;
      assert.strictEqual(inlet.name, 'I1');
      assert.strictEqual(inlet.current, Math.round(sim.model.totalCurrent() * 10 ** digits) / 10 ** digits);
      assert.strictEqual(inlet.voltage, 230);
      assert.strictEqual(inlet.power, sim.model.totalPower());
    });
  }

  it('reads the temperature sensor and the humidity sensor from their own rows of one table', async function () {
    await start({});
    sim.model.setSensors(21.7, 38);
    const { sensors } = await device.read();
    assert.deepStrictEqual(sensors, [
      { index: 1, name: 'Rack inlet temperature', type: 'temperature', value: 21.7, unit: '°C' },
      { index: 1, name: 'Rack inlet humidity', type: 'humidity', value: 38, unit: '%' },
    ]);
  });

  it('converts a sensor that reports in Fahrenheit to °C', async function () {
    await start({ fahrenheit: true });
    sim.model.setSensors(23.4, 47);
    // externalSensorUnits degreeF(14), and 74.1 °F with one decimal digit.
    assert.deepStrictEqual(await getValues(sim.port, [`${R}.3.6.3.1.16.1.1`, `${R}.5.5.3.1.4.1.1`]), [14, 741]);
    const temperature = (await device.read()).sensors.find((sensor) => sensor.type === 'temperature');
    assert.strictEqual(temperature?.unit, '°C');
    assert.strictEqual(temperature?.value, 23.39);
  });

  it('leaves out sensors that are configured but unplugged', async function () {
    await start({ noProbe: true });
    const description = await device.describe();
    assert.strictEqual(description.capabilities.temperature, true);
    const snapshot = await device.read();
    assert.deepStrictEqual(snapshot.sensors, []);
    assert.strictEqual(snapshot.outlets.length, 8);
  });

  it('reports a refusal when the unit will not switch an outlet, and switches nothing', async function () {
    await start({ locked: [3] });
    await assert.rejects(device.switch({ targets: 3, action: 'off' }),
      (error: Error) => error instanceof DeviceCommandError && /refused the SET \(InconsistentValue/.test(error.message));
    assert.deepStrictEqual(sim.sets, []);
    assert.strictEqual(sim.model.outlet(3)!.on, true);
    const result = await device.switch({ targets: 4, action: 'off' });
    assert.strictEqual(result.outlets[0].verified, true);
  });
});
