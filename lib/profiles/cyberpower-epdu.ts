import type { SnmpProfile } from './snmp-profile';

// CyberPower switched and metered-by-outlet ePDUs (PDU15/20/30/41/44/81 series), the ePDU branch
// of CPS-MIB. Outlet rows are indexed by the outlet number. The ENVIROSENSOR, when one is
// plugged in, answers scalars; without it those objects are absent.
const C = '1.3.6.1.4.1.3808.1.1.3';
const LOAD_STATUS = `${C}.2.3.1.1`;
const OUTLET_CONTROL = `${C}.3.3.1.1`;
const OUTLET_STATUS = `${C}.3.5.1.1`;
const ENVIRONMENT = '1.3.6.1.4.1.3808.1.1.4';

const OUTLET_STATE = { oid: `${OUTLET_STATUS}.4`, object: 'ePDUOutletStatusOutletState' };
const COMMAND = { oid: `${OUTLET_CONTROL}.4`, object: 'ePDUOutletControlOutletCommand' };
const TEMPERATURE = { oid: `${ENVIRONMENT}.2.1`, object: 'envirTemperature', scalar: true };
const HUMIDITY = { oid: `${ENVIRONMENT}.3.1`, object: 'envirHumidity', scalar: true };

export const cyberpowerEpdu: SnmpProfile = {
  id: 'cyberpower-epdu',
  vendor: 'CyberPower',
  model: 'Switched ePDU (CPS-MIB ePDU)',
  mib: { module: 'CPS-MIB', files: ['CPS-MIB'] },
  // The ePDU branch (hardware 3) is its sysObjectID, but a UPS's network card has been seen answering it too: only a
  // device with the ePDU outlet table is one.
  detect: { sysObjectID: ['1.3.6.1.4.1.3808.1.1.3'], requires: OUTLET_STATE },
  defaults: { readCommunity: 'public', writeCommunity: 'private' },
  // immediateReboot keeps the outlet off for its ePDUOutletConfigRebootDuration.
  nativeReboot: true,
  outlets: {
    rows: OUTLET_STATE,
    name: { oid: `${OUTLET_STATUS}.2`, object: 'ePDUOutletStatusOutletName' },
    // outletStatusOn(1), outletStatusOff(2); a pending command shows in its own column.
    state: { ...OUTLET_STATE, map: { 1: 'on', 2: 'off' } },
    current: { oid: `${OUTLET_STATUS}.7`, object: 'ePDUOutletStatusLoad', scale: 0.1 },
    power: { oid: `${OUTLET_STATUS}.8`, object: 'ePDUOutletStatusActivePower' },
    control: {
      on: { ...COMMAND, value: 1 },
      off: { ...COMMAND, value: 2 },
      reboot: { ...COMMAND, value: 3 },
    },
  },
  // The load table lists the phases first, then the banks (bank number 0 on a phase row).
  inputs: {
    rows: { oid: `${LOAD_STATUS}.4`, object: 'ePDULoadStatusPhaseNumber' },
    where: { column: { oid: `${LOAD_STATUS}.5`, object: 'ePDULoadStatusBankNumber' }, values: [0] },
    current: { oid: `${LOAD_STATUS}.2`, object: 'ePDULoadStatusLoad', scale: 0.1 },
    voltage: { oid: `${LOAD_STATUS}.6`, object: 'ePDULoadStatusVoltage', scale: 0.1 },
    power: { oid: `${LOAD_STATUS}.7`, object: 'ePDULoadStatusActivePower' },
    label: 'Phase',
  },
  sensors: {
    // envirTemperature is in tenths of a degree Fahrenheit in every CPS-MIB release
    // (envirTemperatureCelsius came later).
    temperature: { rows: TEMPERATURE, value: { ...TEMPERATURE, scale: 0.1 }, fahrenheit: true, label: 'Temperature' },
    humidity: { rows: HUMIDITY, value: HUMIDITY, label: 'Humidity' },
  },
};
