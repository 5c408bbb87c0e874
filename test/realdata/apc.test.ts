import assert from 'assert';
import { namesAndStates, recordings, refusedByAppliance } from './recordings';

// APC recordings (PowerNet-MIB). Every expected value below is read by hand from the quoted
// snmprec line (OID|type|value) and the MIB's definition of the object.
describe('real devices over SNMP: APC (snmpsim recordings)', function () {
  const corpus = recordings(['apc_masterswitch2', 'apc_ap7900b', 'apc_ap8959eu3', 'apc_ap8853', 'apc_smt750x-nmc2']);

  it('apc_masterswitch2 (MasterSwitch AP9606): 8 sPDU outlets, named, on and off, switched by name', async function () {
    const { device, logs } = corpus.open('apc_masterswitch2');
    const snapshot = await device.read();
    const description = await device.describe();
    assert.strictEqual(description.profile, 'apc-spdu');
    assert.ok(logs.some((line) => /profile apc-spdu, 8 outlets/.test(line)), logs.join('\n'));
    assert.strictEqual(description.capabilities.switch, true);
    // sPDUOutletCtlName 318.1.1.4.4.2.1.4.n = "Outlet n"; sPDUOutletCtl 318.1.1.4.4.2.1.3.n: outletOn(1), outletOff(2)
    // 1.3.6.1.4.1.318.1.1.4.4.2.1.3.1|2|1  .3.2|2|2  .3.3|2|2  .3.4|2|1  .3.5|2|2  .3.6|2|1  .3.7|2|1  .3.8|2|1
    assert.deepStrictEqual(namesAndStates(snapshot), [
      '1 Outlet 1|on', '2 Outlet 2|off', '3 Outlet 3|off', '4 Outlet 4|on',
      '5 Outlet 5|off', '6 Outlet 6|on', '7 Outlet 7|on', '8 Outlet 8|on',
    ]);
    // The MasterSwitch measures nothing.
    assert.ok(snapshot.outlets.every((outlet) => outlet.current === undefined && outlet.power === undefined));
    assert.deepStrictEqual(snapshot.inputs, []);
    assert.deepStrictEqual(snapshot.sensors, []);
    // 1.3.6.1.4.1.318.1.1.4.4.2.1.4.2|4|Outlet 2
    await refusedByAppliance(device, corpus.sim(), 'Outlet 2', 2);
  });

  it('apc_ap7900b (AP7900B, rpdu2g firmware): no rPDU2 outlet rows, so auto takes the sPDU table and says so', async function () {
    const { device, logs } = corpus.open('apc_ap7900b');
    const snapshot = await device.read();
    // sysObjectID 1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.318.1.3.4.8 names apc-rpdu2, whose outlet tables are not in the recording.
    assert.strictEqual((await device.describe()).profile, 'apc-spdu');
    assert.ok(logs.some((line) => /profile apc-spdu, 8 outlets/.test(line)), logs.join('\n'));
    // 1.3.6.1.4.1.318.1.1.4.4.2.1.4.1|4|NAS PSU ... .4.8|4|Outlet 8; every sPDUOutletCtl .3.1-.3.8|2|1 (outletOn)
    assert.deepStrictEqual(namesAndStates(snapshot), [
      '1 NAS PSU|on', '2 opnSense PSU|on', '3 Switch PSU (L)|on', '4 Switch 2 PSU 1|on',
      '5 Firewall 2 PSU 1|on', '6 Outlet 6|on', '7 Outlet 7|on', '8 Outlet 8|on',
    ]);
    // 1.3.6.1.4.1.318.1.1.4.4.2.1.4.3|4|Switch PSU (L)
    await refusedByAppliance(device, corpus.sim(), 'Switch PSU (L)', 3);
  });

  it('apc_ap8959eu3 (AP8959EU3): 24 sPDU outlets, outlet 23 off, through the vendor fallback', async function () {
    const { device, logs } = corpus.open('apc_ap8959eu3');
    const snapshot = await device.read();
    assert.strictEqual((await device.describe()).profile, 'apc-spdu');
    assert.ok(logs.some((line) => /profile apc-spdu, 24 outlets/.test(line)), logs.join('\n'));
    // sPDUOutletCtlName .4.1-.4.17|4|Outlet n, .4.18-.4.23|4|18..23 (renamed to bare numbers), .4.24|4|Outlet 24;
    // sPDUOutletCtl .3.n|2|1 except 1.3.6.1.4.1.318.1.1.4.4.2.1.3.23|2|2 (outletOff)
    const expected = Array.from({ length: 24 }, (_, n) => {
      const number = n + 1;
      const name = number >= 18 && number <= 23 ? String(number) : `Outlet ${number}`;
      return `${number} ${name}|${number === 23 ? 'off' : 'on'}`;
    });
    assert.deepStrictEqual(namesAndStates(snapshot), expected);
    // 1.3.6.1.4.1.318.1.1.4.4.2.1.4.2|4|Outlet 2
    await refusedByAppliance(device, corpus.sim(), 'Outlet 2', 2);
  });

  it('apc_ap8853 (AP8853, metered by outlet): no outlet tables recorded, a snapshot of its phase and unit power', async function () {
    const { device, logs } = corpus.open('apc_ap8853');
    const snapshot = await device.read();
    const description = await device.describe();
    assert.strictEqual(description.profile, 'apc-rpdu2');
    assert.ok(logs.some((line) => /profile apc-rpdu2, 0 outlets/.test(line)), logs.join('\n'));
    assert.deepStrictEqual(snapshot.outlets, []);
    assert.strictEqual(description.capabilities.switch, false);
    assert.deepStrictEqual(snapshot.inputs, [
      // rPDU2PhaseStatusCurrent 1.3.6.1.4.1.318.1.1.26.6.3.1.5.1|2|49 (tenths of A) -> 4.9 A;
      // rPDU2PhaseStatusVoltage 1.3.6.1.4.1.318.1.1.26.6.3.1.6.1|2|242 (V)
      { index: 1, name: 'Phase 1', current: 4.9, voltage: 242 },
      // rPDU2DeviceStatusName 1.3.6.1.4.1.318.1.1.26.4.3.1.3.1|4|dc-np2-pdu_1a_03_04_a;
      // rPDU2DeviceStatusPower 1.3.6.1.4.1.318.1.1.26.4.3.1.5.1|2|114 (hundredths of kW) -> 1140 W
      { index: 2, name: 'dc-np2-pdu_1a_03_04_a', power: 1140 },
    ]);
    // rPDU2SensorTempHumidityStatusType 1.3.6.1.4.1.318.1.1.26.10.2.2.1.5.1|2|4 (notInstalled): no sensor
    assert.deepStrictEqual(snapshot.sensors, []);
    await assert.rejects(device.switch({ targets: '1', action: 'off' }), /cannot switch outlets/);
  });

  it('apc_ap8853 as the metered-by-outlet profile: the same phase and unit readings, no outlet rows recorded', async function () {
    // sysObjectID 1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.318.1.3.4.6 names apc-rpdu2 and apc-rpdu2-metered; neither outlet
    // table (switched 318.1.1.26.9.2, metered 318.1.1.26.9.4) is in the recording, so auto keeps apc-rpdu2 (tried first).
    const { device, logs } = corpus.open('apc_ap8853', 'apc-rpdu2-metered');
    const snapshot = await device.read();
    const description = await device.describe();
    assert.strictEqual(description.profile, 'apc-rpdu2-metered');
    assert.ok(logs.some((line) => /profile apc-rpdu2-metered, 0 outlets/.test(line)), logs.join('\n'));
    assert.deepStrictEqual(snapshot.outlets, []);
    // 1.3.6.1.4.1.318.1.1.26.6.3.1.5.1|2|49 -> 4.9 A, .6.3.1.6.1|2|242 V; 1.3.6.1.4.1.318.1.1.26.4.3.1.5.1|2|114 -> 1140 W
    assert.deepStrictEqual(snapshot.inputs, [
      { index: 1, name: 'Phase 1', current: 4.9, voltage: 242 },
      { index: 2, name: 'dc-np2-pdu_1a_03_04_a', power: 1140 },
    ]);
    assert.strictEqual(description.capabilities.switch, false);
    await assert.rejects(device.switch({ targets: '1', action: 'off' }), /cannot switch outlets/);
  });

  it('apc_smt750x-nmc2 (Smart-UPS card): refused, naming the sysObjectID and the vendor', async function () {
    const { device } = corpus.open('apc_smt750x-nmc2');
    // 1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.318.1.3.27
    await assert.rejects(device.describe(),
      /cannot tell which PDU this is \(sysObjectID 1\.3\.6\.1\.4\.1\.318\.1\.3\.27, sysDescr "APC Web\/SNMP Management Card.*", enterprise 318 \(APC \(Schneider Electric\)\)\)/);
  });
});
