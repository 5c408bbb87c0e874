import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Device } from '../../lib/device/device';
import { driverFor } from '../helpers/drivers';
import { startSnmpsim, type RunningSnmpsim } from '../peers/snmpsim';

// PDUs we have no profile for (or whose profile's tables do not answer) answer with their own
// sysObjectID and nothing we know: the refusal
// names the sysObjectID and the vendor its enterprise number stands for. snmpsim serves minimal
// recordings of their system group (sysObjectIDs as the vendors' MIBs define them).
const UNSUPPORTED: Array<{ recording: string; sysObjectID: string; sysDescr: string; vendor: RegExp }> = [
  // Geist's IMD PDUs (21239.42.1, GEIST-V5-MIB) have a profile; an identity of that enterprise
  // no profile claims is still refused by the vendor's name.
  { recording: 'vertiv-geist', sysObjectID: '1.3.6.1.4.1.21239.99.1', sysDescr: 'Geist device', vendor: /enterprise 21239 \(Vertiv Geist\)/ },
  // SmartZone G5 units (pdug5 1.3.6.1.4.1.19536.10.1, PANDUIT-MIB) have a profile; another Panduit
  // identity is still refused by the vendor's name,
  { recording: 'panduit-other', sysObjectID: '1.3.6.1.4.1.19536.99.1', sysDescr: 'Panduit device', vendor: /enterprise 19536 \(Panduit\)/ },
  // and so is a G5 identity whose agent answers none of the G5 tables.
  { recording: 'panduit-g5-silent', sysObjectID: '1.3.6.1.4.1.19536.10.1', sysDescr: 'SN:PDU Metered PN:Device Model:P42D04M', vendor: /enterprise 19536 \(Panduit\)/ },
  // An enterprise we have no name for.
  { recording: 'unknown-maker', sysObjectID: '1.3.6.1.4.1.99999.1', sysDescr: 'Some PDU', vendor: /enterprise 99999\)/ },
];

describe('SNMP auto-detection refuses PDUs we do not support, naming the vendor (snmpsim)', function () {
  let folder: string;
  let sim: RunningSnmpsim;

  before(async function () {
    this.timeout(60000);
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rack-power-unsupported-'));
    for (const device of UNSUPPORTED) {
      fs.writeFileSync(path.join(folder, `${device.recording}.snmprec`),
        `1.3.6.1.2.1.1.1.0|4|${device.sysDescr}\n1.3.6.1.2.1.1.2.0|6|${device.sysObjectID}\n`);
    }
    sim = await startSnmpsim(folder, UNSUPPORTED.map((device) => device.recording));
  });

  after(async () => {
    await sim?.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  for (const unsupported of UNSUPPORTED) {
    it(`${unsupported.recording}: names ${unsupported.sysObjectID} and its maker`, async function () {
      const device = new Device({
        name: unsupported.recording,
        driver: driverFor({
          transport: 'snmp', host: '127.0.0.1', port: sim.port, profile: 'auto', timeout: 2000, retries: 1,
          snmpVersion: '2c', credentials: { readCommunity: sim.community(unsupported.recording) },
        }),
      });
      try {
        await assert.rejects(device.describe(), (error: Error) => {
          assert.match(error.message, /^cannot tell which PDU this is /);
          assert.ok(error.message.includes(`sysObjectID ${unsupported.sysObjectID}, sysDescr "${unsupported.sysDescr}"`), error.message);
          assert.match(error.message, unsupported.vendor);
          return true;
        });
      } finally {
        await device.close();
      }
    });
  }
});
