import assert from 'assert';
import { namesAndStates, recordings, refusedByAppliance } from './recordings';

// Server Technology recordings (Sentry3-MIB, Sentry4-MIB). Every expected value below is read by
// hand from the quoted snmprec line (OID|type|value) and the MIB's definition of the object.
describe('real devices over SNMP: Server Technology (snmpsim recordings)', function () {
  const corpus = recordings(['sentry3_switched', 'sentry3', 'sentry3_3phase', 'sentry4', 'sentry4_switched8i']);

  it('sentry3_switched (Switched CDU CWG-30VDE455): 30 outlets with ids, names and loads; 3 infeeds; switched by name', async function () {
    const { device, logs } = corpus.open('sentry3_switched');
    const snapshot = await device.read();
    const description = await device.describe();
    assert.strictEqual(description.profile, 'sentry3');
    assert.ok(logs.some((line) => /profile sentry3, 30 outlets/.test(line)), logs.join('\n'));
    // 1.3.6.1.2.1.1.1.0|4|Sentry Switched CDU
    assert.strictEqual(description.capabilities.switch, true);
    // outletID 1718.3.2.3.1.2.1.{infeed}.{n} = AA1..AA10, AB1..AB10, AC1..AC10 and outletName .3 = "Outlet <id>",
    // numbered in table order; no outletStatus (.5) recorded, so every state is unknown.
    const ids = ['A', 'B', 'C'].flatMap((infeed) => Array.from({ length: 10 }, (_, n) => `A${infeed}${n + 1}`));
    assert.deepStrictEqual(description.outlets.map((outlet) => outlet.id), ids);
    assert.deepStrictEqual(namesAndStates(snapshot), ids.map((id, n) => `${n + 1} Outlet ${id}|unknown`));
    // outletLoadValue (hundredths of A): 1.3.6.1.4.1.1718.3.2.3.1.7.1.1.8|2|64 -> 0.64 A (AA8, outlet 8);
    // 1.3.6.1.4.1.1718.3.2.3.1.7.1.2.3|2|82 -> 0.82 A (AB3, outlet 13); 1.3.6.1.4.1.1718.3.2.3.1.7.1.3.10|2|56 -> 0.56 A (AC10);
    // 1.3.6.1.4.1.1718.3.2.3.1.7.1.1.1|2|0 -> 0 A (AA1)
    assert.strictEqual(snapshot.outlets[7].current, 0.64);
    assert.strictEqual(snapshot.outlets[12].current, 0.82);
    assert.strictEqual(snapshot.outlets[29].current, 0.56);
    assert.strictEqual(snapshot.outlets[0].current, 0);
    // No outletPower (.14) recorded.
    assert.ok(snapshot.outlets.every((outlet) => outlet.power === undefined));
    assert.strictEqual(description.capabilities.outletPower, false);
    assert.deepStrictEqual(snapshot.inputs, [
      // infeedName .3.1.n, infeedLoadValue .7.1.n (hundredths of A), infeedVoltage .11.1.n (tenths of V); no infeedPower:
      // 1.3.6.1.4.1.1718.3.2.2.1.7.1.1|2|309, 1.3.6.1.4.1.1718.3.2.2.1.11.1.1|2|2070
      { index: 1, name: 'TowerA_InfeedA', current: 3.09, voltage: 207 },
      // 1.3.6.1.4.1.1718.3.2.2.1.7.1.2|2|392, 1.3.6.1.4.1.1718.3.2.2.1.11.1.2|2|2078
      { index: 2, name: 'TowerA_InfeedB', current: 3.92, voltage: 207.8 },
      // 1.3.6.1.4.1.1718.3.2.2.1.7.1.3|2|434, 1.3.6.1.4.1.1718.3.2.2.1.11.1.3|2|2087
      { index: 3, name: 'TowerA_InfeedC', current: 4.34, voltage: 208.7 },
    ]);
    // tempHumidSensorTempValue 1.3.6.1.4.1.1718.3.2.5.1.6.1.1|2|-1 and .6.1.2|2|-1, humidity .10.1.x|2|-1: empty ports
    assert.deepStrictEqual(snapshot.sensors, []);
    // 1.3.6.1.4.1.1718.3.2.3.1.3.1.2.3|4|Outlet AB3: the 13th row of the table
    await refusedByAppliance(device, corpus.sim(), 'Outlet AB3', 13);
  });

  it('sentry3 (two towers, no outlet table recorded): infeeds and the Fahrenheit probes in °C, and no switching', async function () {
    const { device, logs } = corpus.open('sentry3');
    const snapshot = await device.read();
    const description = await device.describe();
    assert.strictEqual(description.profile, 'sentry3');
    assert.ok(logs.some((line) => /profile sentry3, 0 outlets/.test(line)), logs.join('\n'));
    assert.deepStrictEqual(snapshot.outlets, []);
    assert.strictEqual(description.capabilities.switch, false);
    assert.deepStrictEqual(snapshot.inputs, [
      // 1.3.6.1.4.1.1718.3.2.2.1.3.1.1|4|TowerA_InfeedA, .7.1.1|2|362 -> 3.62 A, .11.1.1|2|2093 -> 209.3 V
      { index: 1, name: 'TowerA_InfeedA', current: 3.62, voltage: 209.3 },
      // 1.3.6.1.4.1.1718.3.2.2.1.3.2.1|4|TowerB_InfeedA, .7.2.1|2|502 -> 5.02 A, .11.2.1|2|2059 -> 205.9 V
      { index: 2, name: 'TowerB_InfeedA', current: 5.02, voltage: 205.9 },
    ]);
    // tempHumidSensorTempScale .13.1.1|2|1 (fahrenheit); 1.3.6.1.4.1.1718.3.2.5.1.6.1.1|2|680 -> 68.0 °F = 20 °C;
    // 1.3.6.1.4.1.1718.3.2.5.1.6.1.2|2|745 -> 74.5 °F = 23.61 °C; tower B's ports read -1 (empty).
    // tempHumidSensorHumidValue 1.3.6.1.4.1.1718.3.2.5.1.10.1.1|2|52, .10.1.2|2|43 (%)
    assert.deepStrictEqual(snapshot.sensors.map(({ name, type, value, unit }) => [name, type, value, unit]), [
      ['Temp_Humid_Sensor_A1', 'temperature', 20, '°C'],
      ['Temp_Humid_Sensor_A2', 'temperature', 23.61, '°C'],
      ['Temp_Humid_Sensor_A1', 'humidity', 52, '%'],
      ['Temp_Humid_Sensor_A2', 'humidity', 43, '%'],
    ]);
  });

  it('sentry3_3phase (Smart CDU, infeedOutletCount 0): its four infeeds, the neutral without voltage or power; cannot switch', async function () {
    const { device, logs } = corpus.open('sentry3_3phase');
    const snapshot = await device.read();
    const description = await device.describe();
    assert.strictEqual(description.profile, 'sentry3');
    assert.ok(logs.some((line) => /profile sentry3, 0 outlets/.test(line)), logs.join('\n'));
    assert.deepStrictEqual(snapshot.outlets, []);
    assert.deepStrictEqual(snapshot.inputs, [
      // 1.3.6.1.4.1.1718.3.2.2.1.7.1.1|2|111 -> 1.11 A; .11.1.1|2|2300 -> 230 V; infeedPower .12.1.1|2|147 W
      { index: 1, name: 'TowerA_InfeedA', current: 1.11, power: 147, voltage: 230 },
      // 1.3.6.1.4.1.1718.3.2.2.1.7.1.2|2|40 -> 0.4 A; .11.1.2|2|2300; .12.1.2|2|53
      { index: 2, name: 'TowerA_InfeedB', current: 0.4, power: 53, voltage: 230 },
      // 1.3.6.1.4.1.1718.3.2.2.1.7.1.3|2|59 -> 0.59 A; .11.1.3|2|2300; .12.1.3|2|78
      { index: 3, name: 'TowerA_InfeedC', current: 0.59, power: 78, voltage: 230 },
      // 1.3.6.1.4.1.1718.3.2.2.1.3.1.4|4|TowerA_Neutral; .7.1.4|2|212 -> 2.12 A; .11.1.4|2|-1 and .12.1.4|2|-1 (n/a)
      { index: 4, name: 'TowerA_Neutral', current: 2.12 },
    ]);
    // Both sensor ports read -1: 1.3.6.1.4.1.1718.3.2.5.1.6.1.1|2|-1, .10.1.1|2|-1 ...
    assert.deepStrictEqual(snapshot.sensors, []);
    // 1.3.6.1.2.1.1.1.0|4|Sentry Smart CDU: a metered-only CDU
    assert.strictEqual(description.capabilities.switch, false);
    await assert.rejects(device.switch({ targets: '1', action: 'off' }), /cannot switch outlets/);
  });

  it('sentry4 (2 cords, no outlet tables recorded): six phases; every probe port invalid', async function () {
    const { device, logs } = corpus.open('sentry4');
    const snapshot = await device.read();
    assert.strictEqual((await device.describe()).profile, 'sentry4');
    assert.ok(logs.some((line) => /profile sentry4, 0 outlets/.test(line)), logs.join('\n'));
    assert.deepStrictEqual(snapshot.outlets, []);
    // st4PhaseMonitorTable 1718.4.1.5.3.1, index unit.cord.phase: current .6 (hundredths of A), voltage .3
    // (tenths of V), active power .8 (W); no st4PhaseID recorded, so the phases are named by st4PhaseLabel
    // 1.3.6.1.4.1.1718.4.1.5.2.1.4.1.1.1|4|AA:L1-L2 ... .4.2.1.3|4|BA:L3-L1.
    assert.deepStrictEqual(snapshot.inputs, [
      // 1.3.6.1.4.1.1718.4.1.5.3.1.6.1.1.1|2|209, .3.1.1.1|2|2079, .8.1.1.1|2|415
      { index: 1, name: 'AA:L1-L2', current: 2.09, power: 415, voltage: 207.9 },
      // .6.1.1.2|2|222, .3.1.1.2|2|2089, .8.1.1.2|2|444
      { index: 2, name: 'AA:L2-L3', current: 2.22, power: 444, voltage: 208.9 },
      // .6.1.1.3|2|429, .3.1.1.3|2|2094, .8.1.1.3|2|848
      { index: 3, name: 'AA:L3-L1', current: 4.29, power: 848, voltage: 209.4 },
      // .6.2.1.1|2|252, .3.2.1.1|2|2082, .8.2.1.1|2|513
      { index: 4, name: 'BA:L1-L2', current: 2.52, power: 513, voltage: 208.2 },
      // .6.2.1.2|2|185, .3.2.1.2|2|2103, .8.2.1.2|2|358
      { index: 5, name: 'BA:L2-L3', current: 1.85, power: 358, voltage: 210.3 },
      // .6.2.1.3|2|201, .3.2.1.3|2|2082, .8.2.1.3|2|403
      { index: 6, name: 'BA:L3-L1', current: 2.01, power: 403, voltage: 208.2 },
    ]);
    // st4TempSensorValue 1.3.6.1.4.1.1718.4.1.9.3.1.1.1.1|2|-410 (invalid) on all four; st4HumidSensorValue
    // 1.3.6.1.4.1.1718.4.1.10.3.1.1.1.1|2|-1 (invalid) on all four.
    assert.deepStrictEqual(snapshot.sensors, []);
  });

  it('sentry4_switched8i (2 cords, no outlet tables recorded): two phases and the probes on port E', async function () {
    // st4PhaseLabel 1.3.6.1.4.1.1718.4.1.5.2.1.4.1.1.1|4|AA:L-L/N, .4.2.1.1|4|BA:L-L/N (no st4PhaseID recorded)
    const { device } = corpus.open('sentry4_switched8i');
    const snapshot = await device.read();
    assert.strictEqual((await device.describe()).profile, 'sentry4');
    assert.deepStrictEqual(snapshot.outlets, []);
    assert.deepStrictEqual(snapshot.inputs, [
      // 1.3.6.1.4.1.1718.4.1.5.3.1.6.1.1.1|2|403, .3.1.1.1|2|2117, .8.1.1.1|2|806
      { index: 1, name: 'AA:L-L/N', current: 4.03, power: 806, voltage: 211.7 },
      // .6.2.1.1|2|429, .3.2.1.1|2|2098, .8.2.1.1|2|856
      { index: 2, name: 'BA:L-L/N', current: 4.29, power: 856, voltage: 209.8 },
    ]);
    // st4TempSensorScale 1.3.6.1.4.1.1718.4.1.9.1.10.0|2|0 (celsius); ports A and B read -410 (invalid);
    // 1.3.6.1.4.1.1718.4.1.9.3.1.1.5.1|2|239 -> 23.9 °C, .1.5.2|2|271 -> 27.1 °C (names .9.2.1.3.5.n Temp_Sensor_En);
    // st4HumidSensorValue 1.3.6.1.4.1.1718.4.1.10.3.1.1.5.1|2|37, .1.5.2|2|31 (%); A and B read -1.
    assert.deepStrictEqual(snapshot.sensors.map(({ name, type, value, unit }) => [name, type, value, unit]), [
      ['Temp_Sensor_E1', 'temperature', 23.9, '°C'],
      ['Temp_Sensor_E2', 'temperature', 27.1, '°C'],
      ['Humid_Sensor_E1', 'humidity', 37, '%'],
      ['Humid_Sensor_E2', 'humidity', 31, '%'],
    ]);
  });
});
