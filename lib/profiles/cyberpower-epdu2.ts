import type { SnmpProfile } from './snmp-profile';

// CyberPower switched ePDUs of the second branch of CPS-MIB (ePDU2, hardware 6): the layout of
// APC's rPDU2. Every table has a flat index of its own; rows carry the unit (ModuleIndex, a
// daisy-chain member) and the outlet number. Switched and metered outlets are separate tables, so
// the readings and the control row are found by unit + number, never by index. Chained units
// repeat the outlet numbers: their outlets are then `2:5` (unit 2, outlet 5).
const E2 = '1.3.6.1.4.1.3808.1.1.6';
const PHASE_STATUS = `${E2}.4.4.1`;
const SWITCHED_STATUS = `${E2}.6.1.4.1`;
const SWITCHED_CONTROL = `${E2}.6.1.5.1`;
const METERED_STATUS = `${E2}.6.2.4.1`;
// The ENVIROSENSOR of this generation (environmentSensor2): tables of up to 8 probes.
const ENVIRONMENT2 = '1.3.6.1.4.1.3808.1.1.8';
const TEMPERATURE = `${ENVIRONMENT2}.2.3.1`;
const HUMIDITY = `${ENVIRONMENT2}.3.2.1`;

const COMMAND = { oid: `${SWITCHED_CONTROL}.5`, object: 'ePDU2OutletSwitchedControlCommand', table: 'control' };

export const cyberpowerEpdu2: SnmpProfile = {
  id: 'cyberpower-epdu2',
  vendor: 'CyberPower',
  model: 'Switched ePDU, second generation (CPS-MIB ePDU2)',
  mib: { module: 'CPS-MIB', files: ['CPS-MIB'] },
  // Its own branch (a unit answering the first ePDU branch's sysObjectID comes here through the
  // vendor fallback). CyberPower's UPS cards share the enterprise: only an agent that states its
  // daisy-chain role (ePDU2Role) is taken for an ePDU2.
  detect: { sysObjectID: [E2], requires: { oid: `${E2}.1`, object: 'ePDU2Role' } },
  defaults: { readCommunity: 'public', writeCommunity: 'private' },
  // immediateReboot keeps the outlet off for its ePDU2OutletSwitchedConfigRebootDuration.
  nativeReboot: true,
  outlets: {
    rows: { oid: `${SWITCHED_STATUS}.4`, object: 'ePDU2OutletSwitchedStatusName' },
    name: { oid: `${SWITCHED_STATUS}.4`, object: 'ePDU2OutletSwitchedStatusName' },
    number: { oid: `${SWITCHED_STATUS}.3`, object: 'ePDU2OutletSwitchedStatusNumber' },
    key: [
      { oid: `${SWITCHED_STATUS}.2`, object: 'ePDU2OutletSwitchedStatusModuleIndex' },
      { oid: `${SWITCHED_STATUS}.3`, object: 'ePDU2OutletSwitchedStatusNumber' },
    ],
    // outletStatusOn(1), outletStatusOff(2); a pending command shows in its own column.
    state: { oid: `${SWITCHED_STATUS}.5`, object: 'ePDU2OutletSwitchedStatusState', map: { 1: 'on', 2: 'off' } },
    current: { oid: `${METERED_STATUS}.6`, object: 'ePDU2OutletMeteredStatusLoad', table: 'metered', scale: 0.1 },
    power: { oid: `${METERED_STATUS}.7`, object: 'ePDU2OutletMeteredStatusActivePower', table: 'metered' },
    control: {
      on: { ...COMMAND, value: 1 },
      off: { ...COMMAND, value: 2 },
      reboot: { ...COMMAND, value: 3 },
    },
  },
  tables: {
    control: {
      key: [
        { oid: `${SWITCHED_CONTROL}.2`, object: 'ePDU2OutletSwitchedControlModuleIndex' },
        { oid: `${SWITCHED_CONTROL}.3`, object: 'ePDU2OutletSwitchedControlNumber' },
      ],
    },
    metered: {
      key: [
        { oid: `${METERED_STATUS}.2`, object: 'ePDU2OutletMeteredStatusModuleIndex' },
        { oid: `${METERED_STATUS}.3`, object: 'ePDU2OutletMeteredStatusNumber' },
      ],
    },
  },
  inputs: {
    rows: { oid: `${PHASE_STATUS}.1`, object: 'ePDU2PhaseStatusIndex' },
    current: { oid: `${PHASE_STATUS}.5`, object: 'ePDU2PhaseStatusLoad', scale: 0.1 },
    voltage: { oid: `${PHASE_STATUS}.6`, object: 'ePDU2PhaseStatusVoltage', scale: 0.1 },
    power: { oid: `${PHASE_STATUS}.7`, object: 'ePDU2PhaseStatusPower' },
    label: 'Phase',
  },
  sensors: {
    temperature: {
      rows: { oid: `${TEMPERATURE}.1`, object: 'envir2TemperatureIndex' },
      // Hundredths of a degree, in the unit envir2TempUnit sets for every probe: celsius(1), fahrenheit(2).
      value: { oid: `${TEMPERATURE}.3`, object: 'envir2Temperature', scale: 0.01 },
      fahrenheitWhen: { column: { oid: `${ENVIRONMENT2}.2.2`, object: 'envir2TempUnit', scalar: true }, value: 2 },
      label: 'Temperature',
    },
    humidity: {
      rows: { oid: `${HUMIDITY}.1`, object: 'envir2HumidityIndex' },
      // Hundredths of a percent.
      value: { oid: `${HUMIDITY}.3`, object: 'envir2Humidity', scale: 0.01 },
      label: 'Humidity',
    },
  },
};
