import type { SnmpProfile } from './snmp-profile';

// APC MasterSwitch (AP9210, AP9211, AP9212 ...), PowerNet-MIB sPDU branch. One column both reports and
// switches an outlet: reading sPDUOutletCtl gives outletOn(1) / outletOff(2) / outletUnknown(4),
// writing it outletOn(1) / outletOff(2) / outletReboot(3). The MasterSwitch measures nothing.
const SPDU = '1.3.6.1.4.1.318.1.1.4';
const OUTLET_CONTROL = `${SPDU}.4.2.1`;
const CTL = { oid: `${OUTLET_CONTROL}.3`, object: 'sPDUOutletCtl' };

export const apcSpdu: SnmpProfile = {
  id: 'apc-spdu',
  vendor: 'APC',
  // Also what `auto` falls back to for an APC rack PDU whose firmware answers only this table.
  model: 'MasterSwitch (AP921x), or a rack PDU through its sPDU outlet table',
  mib: { module: 'PowerNet-MIB', files: ['PowerNet-MIB'] },
  // masterSwitchV1, masterSwitchV2 and masterSwitchsPDU; the MasterSwitch VM and Plus have tables of their own.
  detect: { sysObjectID: ['1.3.6.1.4.1.318.1.3.4.1', '1.3.6.1.4.1.318.1.3.4.2', '1.3.6.1.4.1.318.1.3.4.7'] },
  defaults: { readCommunity: 'public', writeCommunity: 'private', trapCommunity: 'public' },
  // outletReboot keeps the outlet off for its sPDUOutletRebootDuration.
  nativeReboot: true,
  outlets: {
    rows: { oid: `${OUTLET_CONTROL}.4`, object: 'sPDUOutletCtlName' },
    name: { oid: `${OUTLET_CONTROL}.4`, object: 'sPDUOutletCtlName' },
    number: { oid: `${OUTLET_CONTROL}.1`, object: 'sPDUOutletControlIndex' },
    state: { ...CTL, map: { 1: 'on', 2: 'off' } },
    control: {
      on: { ...CTL, value: 1 },
      off: { ...CTL, value: 2 },
      reboot: { ...CTL, value: 3 },
    },
  },
};
