import { addScalars, apcSimDevice, apcTable, startApcAgent, type ApcCard, type OutletCommand } from './apc';
import type { SimDevice, SimDeviceOptions } from './sim-device';
import { INT, STR } from './table';

// An APC MasterSwitch (AP9211, firmware 2.x) as an SNMP agent, written from PowerNet-MIB's sPDU
// branch: one outlet control table whose sPDUOutletCtl both reads and switches, an outlet config
// table, and the master state string. The MasterSwitch measures nothing.

const SPDU = '1.3.6.1.4.1.318.1.1.4';
const SYS_OBJECT_ID = '1.3.6.1.4.1.318.1.3.4.2'; // masterSwitchV2
const CARD: ApcCard = { hw: 'hw02', aos: '2.6.4', app: 'ms', appVersion: '2.6.1', model: 'AP9211', serial: 'WA0123012345' };

/** sPDUOutletCtl as written; outletUnknown(4) is only ever read. No on/off delays set, so delayed = immediate. */
const COMMANDS: Record<number, OutletCommand> = {
  1: 'on', 2: 'off', 3: 'reboot', 5: 'on', 6: 'off', 7: 'reboot',
};

export async function createApcSpduSim(options: SimDeviceOptions): Promise<SimDevice> {
  const { model, started, mib, sets } = await startApcAgent(options, CARD, SYS_OBJECT_ID, 'apc-spdu-sim');
  const count = model.outlets.length;

  addScalars(mib, [
    ['sPDUIdentHardwareRev', `${SPDU}.1.1`, STR, 'B2'],
    ['sPDUIdentFirmwareRev', `${SPDU}.1.2`, STR, 'v2.6.1'],
    ['sPDUIdentDateOfManufacture', `${SPDU}.1.3`, STR, '03/15/02'],
    ['sPDUIdentModelNumber', `${SPDU}.1.4`, STR, 'AP9211'],
    ['sPDUIdentSerialNumber', `${SPDU}.1.5`, STR, 'WA0123012345'],
    ['sPDUMasterState', `${SPDU}.2.2`, STR, ''],
    ['sPDUMasterConfigPDUName', `${SPDU}.3.3`, STR, options.name ?? 'MasterSwitch'],
    ['sPDUOutletControlTableSize', `${SPDU}.4.1`, INT, count],
    ['sPDUOutletConfigTableSize', `${SPDU}.5.1`, INT, count],
  ]);

  const control = apcTable(mib, 'sPDUOutletControlTable', `${SPDU}.4.2.1`, [
    [1, 'sPDUOutletControlIndex', INT], [2, 'sPDUOutletPending', INT], [3, 'sPDUOutletCtl', INT], [4, 'sPDUOutletCtlName', STR],
  ], { column: 3, commands: COMMANDS, model, log: sets, refresh: sync });
  const config = apcTable(mib, 'sPDUOutletConfigTable', `${SPDU}.5.2.1`, [
    [1, 'sPDUOutletConfigIndex', INT], [2, 'sPDUOutletPowerOnTime', INT], [3, 'sPDUOutletName', STR],
    [4, 'sPDUOutletPowerOffTime', INT], [5, 'sPDUOutletRebootDuration', INT],
  ]);

  function sync(): void {
    mib.setScalarValue('sPDUMasterState', model.outlets.map((outlet) => (outlet.on ? 'On' : 'Off')).join(' '));
    for (const outlet of model.outlets) {
      const n = outlet.number;
      // noCommandPending(2); outletOn(1) / outletOff(2).
      control.setRow([n], { 1: n, 2: 2, 3: outlet.on ? 1 : 2, 4: outlet.name });
      config.setRow([n], { 1: n, 2: 0, 3: outlet.name, 4: 0, 5: Math.max(5, Math.round(model.rebootDelay / 1000)) });
    }
  }
  sync();
  model.on('change', sync);

  return apcSimDevice('apc-spdu', started, model, sets, `APC MasterSwitch (SNMP, ${count} outlets)`);
}
