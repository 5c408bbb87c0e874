import assert from 'assert';
import { assertNoSet, namesAndStates, recordings, refusedByAppliance } from './recordings';

// Raritan recordings (PX2/PX3 on PDU2-MIB, the PX1 on PDU-MIB). Every expected value below is
// read by hand from the quoted snmprec line (OID|type|value) and the MIB's definition of the object.
// Readings are Unsigned32 scaled by 10^decimalDigits from the matching configuration row.
describe('real devices over SNMP: Raritan (snmpsim recordings)', function () {
  const corpus = recordings(['raritan-pdu_px2', 'raritan-pdu_px3', 'raritan-pdu_px2-temp', 'raritan-pdu']);

  it('raritan-pdu_px2 (PX2, fw 030004): 12 outlets with current and power, inlet I1; no outletSwitchable recorded, so no switching', async function () {
    const { device, logs } = corpus.open('raritan-pdu_px2');
    const snapshot = await device.read();
    const description = await device.describe();
    assert.strictEqual(description.profile, 'raritan-pdu2');
    assert.ok(logs.some((line) => /profile raritan-pdu2, 12 outlets/.test(line)), logs.join('\n'));
    // outletName 1.3.6.1.4.1.13742.6.3.5.3.1.3.1.1|4| (empty), .3.1.n|4|OUTLETn for n = 2..12;
    // neither outletSwitchingState (4.1.2.1.3) nor the onOff sensor (5.4.3.1.3.1.n.14) recorded: states unknown.
    assert.deepStrictEqual(namesAndStates(snapshot),
      Array.from({ length: 12 }, (_, n) => `${n + 1} ${n === 0 ? '' : `OUTLET${n + 1}`}|unknown`));
    // outletSensorDecimalDigits .3.5.4.1.7.1.n.1|66|3 (rmsCurrent), .7.1.n.5|66|0 (activePower):
    // 1.3.6.1.4.1.13742.6.5.4.3.1.4.1.3.1|66|311 -> 0.311 A, .4.1.3.5|66|68 -> 68 W (outlet 3);
    // 1.3.6.1.4.1.13742.6.5.4.3.1.4.1.10.1|66|184 -> 0.184 A, .4.1.10.5|66|35 -> 35 W (outlet 10);
    // 1.3.6.1.4.1.13742.6.5.4.3.1.4.1.1.1|66|0, .4.1.1.5|66|0 (outlet 1)
    assert.deepStrictEqual([snapshot.outlets[2].current, snapshot.outlets[2].power], [0.311, 68]);
    assert.deepStrictEqual([snapshot.outlets[9].current, snapshot.outlets[9].power], [0.184, 35]);
    assert.deepStrictEqual([snapshot.outlets[0].current, snapshot.outlets[0].power], [0, 0]);
    // inletLabel 1.3.6.1.4.1.13742.6.3.3.3.1.2.1.1|4|I1; inletSensorDecimalDigits .3.3.4.1.7.1.1.1|66|3, .1.1.4|66|0, .1.1.5|66|0;
    // 1.3.6.1.4.1.13742.6.5.2.3.1.4.1.1.1|66|680 -> 0.68 A, .4.1.1.4|66|233 V, .4.1.1.5|66|138 W
    assert.deepStrictEqual(snapshot.inputs, [{ index: 1, name: 'I1', current: 0.68, power: 138, voltage: 233 }]);
    assert.deepStrictEqual(snapshot.sensors, []);
    assert.strictEqual(description.capabilities.switch, false);
    await assert.rejects(device.switch({ targets: 'OUTLET3', action: 'off' }), /cannot switch outlets/);
  });

  it('raritan-pdu_px3 (PX3-5493U-K2): 24 outlets, the inlet, two temperature probes; switched by its real outlet name', async function () {
    const { device, logs } = corpus.open('raritan-pdu_px3');
    const before = corpus.requests();
    const description = await device.describe();
    // Whether a column answers is one GetNext, not a walk: the measurement column alone holds
    // 24 outlets x 10 sensors here (a walk of it took 9 requests, and it is asked twice).
    const describing = corpus.requests() - before;
    assert.ok(describing <= 20, `describe took ${describing} requests`);
    const snapshot = await device.read();
    assert.strictEqual(description.profile, 'raritan-pdu2');
    assert.ok(logs.some((line) => /profile raritan-pdu2, 24 outlets/.test(line)), logs.join('\n'));
    // outletSwitchable 1.3.6.1.4.1.13742.6.3.5.3.1.28.1.n|2|1 (true) on all 24
    assert.strictEqual(description.capabilities.switch, true);
    // outletName 1.3.6.1.4.1.13742.6.3.5.3.1.3.1.n: empty except these. No outletSwitchingState recorded: the
    // state is the outlet's onOff sensor, measurementsOutletSensorState 1.3.6.1.4.1.13742.6.5.4.3.1.3.1.n.14|2|7 (on) on all 24.
    const named: Record<number, string> = {
      2: 'DEVICE 8:PS1:Planned', 9: 'DEVICE 7:Ps1:Planned', 17: 'DEVICE 6:Ps1:Installed', 19: 'DEVICE 5:PS1:Planned',
      20: 'DEVICE 4:PS1:Installed', 21: 'DEVICE 3:Ps1:Installed', 22: 'DEVICE 2:Ps1:Installed', 24: 'DEVICE 1:PS1:Installed',
    };
    assert.deepStrictEqual(namesAndStates(snapshot),
      Array.from({ length: 24 }, (_, n) => `${n + 1} ${named[n + 1] ?? ''}|on`));
    // Digits 3 for rmsCurrent, 0 for activePower on every outlet (.3.5.4.1.7.1.n.1|66|3, .n.5|66|0):
    // 1.3.6.1.4.1.13742.6.5.4.3.1.4.1.2.1|66|927 -> 0.927 A, .4.1.2.5|66|207 W (outlet 2);
    // 1.3.6.1.4.1.13742.6.5.4.3.1.4.1.24.1|66|2440 -> 2.44 A, .4.1.24.5|66|550 W (outlet 24);
    // 1.3.6.1.4.1.13742.6.5.4.3.1.4.1.13.1|66|1676 -> 1.676 A, .4.1.13.5|66|390 W (outlet 13)
    assert.deepStrictEqual([snapshot.outlets[1].current, snapshot.outlets[1].power], [0.927, 207]);
    assert.deepStrictEqual([snapshot.outlets[23].current, snapshot.outlets[23].power], [2.44, 550]);
    assert.deepStrictEqual([snapshot.outlets[12].current, snapshot.outlets[12].power], [1.676, 390]);
    // 1.3.6.1.4.1.13742.6.5.2.3.1.4.1.1.1|66|7467 -> 7.467 A (digits 3), .1.1.4|66|229 V, .1.1.5|66|1665 W
    assert.deepStrictEqual(snapshot.inputs, [{ index: 1, name: 'I1', current: 7.467, power: 1665, voltage: 229 }]);
    // externalSensorType .3.6.3.1.2.1.1|2|10 and .2.1.2|2|10 (temperature; the others are door contacts and locks, 43/49/50),
    // units .16.1.1|2|7 (degreeC), digits .17.1.1|66|1; 1.3.6.1.4.1.13742.6.5.5.3.1.4.1.1|2|231 -> 23.1 °C,
    // 1.3.6.1.4.1.13742.6.5.5.3.1.4.1.2|2|298 -> 29.8 °C; IsAvailable .5.5.3.1.2.1.n|2|1
    assert.deepStrictEqual(snapshot.sensors.map(({ name, type, value, unit }) => [name, type, value, unit]), [
      ['R03 Inlet Temperature', 'temperature', 23.1, '°C'],
      ['R03 Outlet Temperature', 'temperature', 29.8, '°C'],
    ]);
    // 1.3.6.1.4.1.13742.6.3.5.3.1.3.1.2|4|DEVICE 8:PS1:Planned
    await refusedByAppliance(device, corpus.sim(), 'DEVICE 8:PS1:Planned', 2);
  });

  it('raritan-pdu_px2-temp (PX2 with external sensors, no outlet tables recorded): inlet, 3 temperatures, 1 humidity', async function () {
    const { device, logs } = corpus.open('raritan-pdu_px2-temp');
    const snapshot = await device.read();
    assert.strictEqual((await device.describe()).profile, 'raritan-pdu2');
    assert.ok(logs.some((line) => /profile raritan-pdu2, 0 outlets/.test(line)), logs.join('\n'));
    assert.deepStrictEqual(snapshot.outlets, []);
    // 1.3.6.1.4.1.13742.6.5.2.3.1.4.1.1.1|66|3497 -> 3.497 A (digits .3.3.4.1.7.1.1.1|66|3), .1.1.4|66|209 V, .1.1.5|66|673 W
    assert.deepStrictEqual(snapshot.inputs, [{ index: 1, name: 'I1', current: 3.497, power: 673, voltage: 209 }]);
    // externalSensorType .3.6.3.1.2.1.n: 1, 3, 4 temperature(10), 2 humidity(11), 5-6 onOff(14), 7 absoluteHumidity(28).
    // Temperatures, digits .17.1.n|66|1, units .16.1.n|2|7 (degreeC): 1.3.6.1.4.1.13742.6.5.5.3.1.4.1.1|2|229 -> 22.9,
    // .4.1.3|2|226 -> 22.6, .4.1.4|2|237 -> 23.7; humidity .4.1.2|2|15 (digits .17.1.2|66|0) -> 15 %.
    assert.deepStrictEqual(snapshot.sensors.map(({ name, type, value, unit }) => [name, type, value, unit]), [
      ['Temperature 1', 'temperature', 22.9, '°C'],
      ['Temperature 2', 'temperature', 22.6, '°C'],
      ['Temperature 3', 'temperature', 23.7, '°C'],
      ['Relative Humidity 1', 'humidity', 15, '%'],
    ]);
  });

  it('raritan-pdu (Dominion PX1, PDU-MIB): 12 outlets with current, the inlet, a temperature and a humidity; no state recorded, so no switching', async function () {
    const { device, logs } = corpus.open('raritan-pdu');
    const snapshot = await device.read();
    const description = await device.describe();
    // 1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.13742.4
    assert.strictEqual(description.profile, 'raritan-px1');
    assert.ok(logs.some((line) => /profile raritan-px1, 12 outlets/.test(line)), logs.join('\n'));
    // outletLabel 1.3.6.1.4.1.13742.4.1.2.2.1.2.n|4|OUTLETn for n = 1..12; no outletOperationalState (.1.2.2.1.3) recorded: states unknown.
    assert.deepStrictEqual(namesAndStates(snapshot), Array.from({ length: 12 }, (_, n) => `${n + 1} OUTLET${n + 1}|unknown`));
    // outletCurrent (mA): 1.3.6.1.4.1.13742.4.1.2.2.1.4.3|66|2192 -> 2.192 A, .4.6|66|174 -> 0.174 A, .4.1|66|0 -> 0 A.
    // No outletActivePower (.1.2.2.1.7) recorded (only outletApparentPower .8): no outlet power.
    assert.deepStrictEqual(snapshot.outlets.map((outlet) => outlet.current), [0, 0, 2.192, 0, 0, 0.174, 0, 0, 0.202, 0.183, 0.192, 0]);
    assert.ok(snapshot.outlets.every((outlet) => outlet.power === undefined));
    assert.strictEqual(description.capabilities.outletPower, false);
    // inletCurrent 1.3.6.1.4.1.13742.4.1.20.2.1.7.1|66|2971 (mA) -> 2.971 A, inletVoltage .8.1|66|230000 (mV) -> 230 V,
    // inletActivePower .9.1|66|580 W; no label column in the inlet table.
    assert.deepStrictEqual(snapshot.inputs, [{ index: 1, name: 'Inlet 1', current: 2.971, power: 580, voltage: 230 }]);
    // externalSensorType 1.3.6.1.4.1.13742.4.3.3.1.2.3|2|10 (temperature), .2.2|2|11 (humidity); state .40.n|2|4 (normal);
    // temperature: name .4.3|4|Temperature AEI8850418, units .16.3|2|7 (degreeC), digits .17.3|66|1, value .41.3|2|205 -> 20.5 °C;
    // humidity: name .4.2|4|Humidity AEI8850418, digits .17.2|66|0, value .41.2|2|39 -> 39 %.
    assert.deepStrictEqual(snapshot.sensors.map(({ name, type, value, unit }) => [name, type, value, unit]), [
      ['Temperature AEI8850418', 'temperature', 20.5, '°C'],
      ['Humidity AEI8850418', 'humidity', 39, '%'],
    ]);
    assert.strictEqual(description.capabilities.switch, false);
    // 1.3.6.1.4.1.13742.4.1.2.2.1.2.3|4|OUTLET3
    await assert.rejects(device.switch({ targets: 'OUTLET3', action: 'off' }), /cannot switch outlets/);
    assertNoSet(corpus.sim());
  });
});
