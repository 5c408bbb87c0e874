import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Device } from '../../lib/device/device';
import { driverFor } from '../helpers/drivers';
import { startSnmpsim, type RunningSnmpsim } from '../peers/snmpsim';
import { assertNoSet, namesAndStates, recordings, recordingsFolder, refusedByAppliance } from './recordings';

// Eaton (EATON-EPDU-MIB) and CyberPower (CPS-MIB) recordings. Every expected value below is read
// by hand from the quoted snmprec line (OID|type|value) and the MIB's definition of the object.
describe('real devices over SNMP: Eaton and CyberPower (snmpsim recordings)', function () {
  const corpus = recordings(['eatonpdu_2', 'eatonpdu_dbq', 'cyberpower']);

  it('eatonpdu_2 (ePDU MA EMA114-10): 24 named outlets, all on, metered; the input line; switched by its real outlet name', async function () {
    const { device, logs } = corpus.open('eatonpdu_2');
    const snapshot = await device.read();
    const description = await device.describe();
    assert.strictEqual(description.profile, 'eaton-epdu');
    assert.ok(logs.some((line) => /profile eaton-epdu, 24 outlets/.test(line)), logs.join('\n'));
    assert.strictEqual(description.capabilities.switch, true);
    // outletName 1.3.6.1.4.1.534.6.6.7.6.1.1.3.0.n; outletControlStatus .6.6.1.2.0.n|2|1 (on) on all 24
    const names = [
      'Power strip + s-rw-lab-rack', 'DC Converter-1', 'SP Lab EX4650-48y - RU11', 'DC Converter-2', 'Outlet A5',
      'Outlet A6', 'Outlet A7', 'Outlet A8', 'SP Lab OPENGEAR - RU16', 'SP Lab DELL HOST - RU10-11',
      'SP Lab DELL HOST - RU10-11', 'SP Lab MX204 - RU25', 'Outlet A13', 'Outlet A14', 'Outlet A15',
      'SP Lab qfx5120-48y - RU30', 'SP Lab qfx5120-48y - RU31', 'SP Lab qfx5120-32C - RU32', 'Outlet A19', 'Outlet A20',
      'SP Lab ME3600 - RU35', 'Outlet A22', 'Outlet A23', 'Outlet A24',
    ];
    assert.deepStrictEqual(namesAndStates(snapshot), names.map((name, n) => `${n + 1} ${name}|on`));
    // outletCurrent (mA) and outletWatts (W): 1.3.6.1.4.1.534.6.6.7.6.4.1.3.0.1|2|790 -> 0.79 A, .6.5.1.3.0.1|2|80 W;
    // 1.3.6.1.4.1.534.6.6.7.6.4.1.3.0.2|2|2202 -> 2.202 A, .6.5.1.3.0.2|2|142 W;
    // 1.3.6.1.4.1.534.6.6.7.6.4.1.3.0.3|2|1215 -> 1.215 A, .6.5.1.3.0.3|2|140 W
    assert.deepStrictEqual([snapshot.outlets[0].current, snapshot.outlets[0].power], [0.79, 80]);
    assert.deepStrictEqual([snapshot.outlets[1].current, snapshot.outlets[1].power], [2.202, 142]);
    assert.deepStrictEqual([snapshot.outlets[2].current, snapshot.outlets[2].power], [1.215, 140]);
    // inputCurrentMeasType 1.3.6.1.4.1.534.6.6.7.3.3.1.2.0.1.1|2|1 (singlePhase), inputPhaseDesignator .3.3.1.12.0.1.1|4|L1,
    // inputCurrent .3.3.1.4.0.1.1|2|14108 (mA) -> 14.108 A, inputVoltage .3.2.1.3.0.1.1|2|118450 (mV) -> 118.45 V,
    // inputWatts .3.4.1.4.0.1.1|2|1589 W
    assert.deepStrictEqual(snapshot.inputs, [{ index: 1, name: 'L1', current: 14.108, power: 1589, voltage: 118.45 }]);
    // No temperature or humidity rows (534.6.6.7.7) in the recording.
    assert.deepStrictEqual(snapshot.sensors, []);
    // 1.3.6.1.4.1.534.6.6.7.6.1.1.3.0.2|4|DC Converter-1
    await refusedByAppliance(device, corpus.sim(), 'DC Converter-1', 2);
  });

  it('eatonpdu_dbq (first-generation Managed ePDU, EATON-EPDU-MA-MIB): refused, naming the sysObjectID and Eaton', async function () {
    const { device } = corpus.open('eatonpdu_dbq');
    // 1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.534.6.6.6, 1.3.6.1.2.1.1.1.0|4| (empty)
    await assert.rejects(device.describe(),
      /cannot tell which PDU this is \(sysObjectID 1\.3\.6\.1\.4\.1\.534\.6\.6\.6, sysDescr "", enterprise 534 \(Eaton \(Powerware\)\)\)/);
  });

  it('cyberpower (UPS card answering the ePDU sysObjectID): refused, naming the sysObjectID and CyberPower', async function () {
    const { device } = corpus.open('cyberpower');
    // 1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.3808.1.1.3 with no ePDUOutletStatusOutletState (3808.1.1.3.3.5.1.1.4) recorded;
    // its ENVIROSENSOR scalars (3808.1.1.4.2.1.0|2|683 ...) must not make a UPS pass for an ePDU.
    await assert.rejects(device.describe(),
      /cannot tell which PDU this is \(sysObjectID 1\.3\.6\.1\.4\.1\.3808\.1\.1\.3, sysDescr "Power Manager", enterprise 3808 \(CyberPower\)\)/);
  });

  it('cyberpower (UPS card) is no ePDU2 either: chosen by hand, nothing of the ePDU2 profile answers', async function () {
    // No ePDU2Role (3808.1.1.6.1), no ePDU2 tables (3808.1.1.6.*) and no envir2 tables (3808.1.1.8.*) are recorded:
    // its only probe readings are the first ENVIROSENSOR's scalars, 1.3.6.1.4.1.3808.1.1.4.2.1.0|2|683 and .4.3.1.0|2|56.
    const { device } = corpus.open('cyberpower', 'cyberpower-epdu2');
    await assert.rejects(device.describe(),
      /nothing of the "cyberpower-epdu2" profile answers at 127\.0\.0\.1:\d+ \(no outlets in ePDU2OutletSwitchedStatusName, no inputs, no sensors\)/);
  });
});

// A metered ePDU answers the outlet table but has no outlet control table: the same real
// recording with the control table (534.6.6.7.6.6) taken out, served from a temporary folder.
describe('real devices over SNMP: an Eaton ePDU without its outlet control table (snmpsim)', function () {
  let folder: string | undefined;
  let sim: RunningSnmpsim | undefined;

  before(async function () {
    this.timeout(60000);
    const realdata = recordingsFolder(this);
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rack-power-metered-eaton-'));
    const lines = fs.readFileSync(path.join(realdata, 'eatonpdu_2.snmprec'), 'utf8').split('\n');
    fs.writeFileSync(path.join(folder, 'eaton-metered.snmprec'),
      lines.filter((line) => !line.startsWith('1.3.6.1.4.1.534.6.6.7.6.6.')).join('\n'));
    sim = await startSnmpsim(folder, ['eaton-metered']);
  });

  after(async () => {
    await sim?.stop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('reads its 24 outlets and loads, states unknown, and refuses to switch them', async function () {
    const device = new Device({
      name: 'eaton-metered',
      driver: driverFor({
        transport: 'snmp', host: '127.0.0.1', port: sim!.port, profile: 'auto', timeout: 2000, retries: 1,
        snmpVersion: '2c', credentials: { readCommunity: sim!.community('eaton-metered'), writeCommunity: sim!.community('eaton-metered') },
      }),
    });
    try {
      const snapshot = await device.read();
      assert.strictEqual(snapshot.outlets.length, 24);
      assert.ok(snapshot.outlets.every((outlet) => outlet.state === 'unknown'));
      // 1.3.6.1.4.1.534.6.6.7.6.4.1.3.0.2|2|2202 -> 2.202 A, .6.5.1.3.0.2|2|142 W
      assert.deepStrictEqual([snapshot.outlets[1].current, snapshot.outlets[1].power], [2.202, 142]);
      assert.strictEqual((await device.describe()).capabilities.switch, false);
      await assert.rejects(device.switch({ targets: 'DC Converter-1', action: 'off' }), /cannot switch outlets/);
      assertNoSet(sim!);
    } finally {
      await device.close();
    }
  });
});
