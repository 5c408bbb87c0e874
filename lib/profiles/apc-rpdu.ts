import type { SnmpProfile } from './snmp-profile';

// APC Switched Rack PDU, first generation (AP79xx), PowerNet-MIB rPDU branch. The outlet control
// and status tables are both indexed by the outlet number. Only the phases and banks are
// metered: the load table lists the phases first, then the banks, which must not be counted
// twice, so only its phase rows (bank number 0) are inputs.
const RPDU = '1.3.6.1.4.1.318.1.1.12';
const LOAD_STATUS = `${RPDU}.2.3.1.1`;
const OUTLET_CONTROL = `${RPDU}.3.3.1.1`;
const OUTLET_STATUS = `${RPDU}.3.5.1.1`;

export const apcRpdu: SnmpProfile = {
  id: 'apc-rpdu',
  vendor: 'APC',
  model: 'Switched Rack PDU (AP79xx)',
  mib: { module: 'PowerNet-MIB', files: ['PowerNet-MIB'] },
  // masterSwitchrPDU
  detect: { sysObjectID: ['1.3.6.1.4.1.318.1.3.4.5'] },
  defaults: { readCommunity: 'public', writeCommunity: 'private', trapCommunity: 'public' },
  // immediateReboot keeps the outlet off for its rPDUOutletConfigRebootDuration.
  nativeReboot: true,
  outlets: {
    rows: { oid: `${OUTLET_CONTROL}.2`, object: 'rPDUOutletControlOutletName' },
    name: { oid: `${OUTLET_CONTROL}.2`, object: 'rPDUOutletControlOutletName' },
    number: { oid: `${OUTLET_CONTROL}.1`, object: 'rPDUOutletControlIndex' },
    // outletStatusOn(1), outletStatusOff(2)
    state: { oid: `${OUTLET_STATUS}.4`, object: 'rPDUOutletStatusOutletState', map: { 1: 'on', 2: 'off' } },
    control: {
      on: { oid: `${OUTLET_CONTROL}.4`, object: 'rPDUOutletControlOutletCommand', value: 1 },
      off: { oid: `${OUTLET_CONTROL}.4`, object: 'rPDUOutletControlOutletCommand', value: 2 },
      reboot: { oid: `${OUTLET_CONTROL}.4`, object: 'rPDUOutletControlOutletCommand', value: 3 },
    },
  },
  inputs: {
    rows: { oid: `${LOAD_STATUS}.1`, object: 'rPDULoadStatusIndex' },
    current: { oid: `${LOAD_STATUS}.2`, object: 'rPDULoadStatusLoad', scale: 0.1 },
    where: { column: { oid: `${LOAD_STATUS}.5`, object: 'rPDULoadStatusBankNumber' }, values: [0] },
    label: 'Phase',
  },
};
