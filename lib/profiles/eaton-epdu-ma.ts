import { pduMibOutlets } from './pdu-mib-outlets';
import type { SnmpProfile } from './snmp-profile';

// Eaton's first-generation managed ePDU (EATON-EPDU-MA-MIB), built on Raritan's PX1 firmware: the
// PX1's outlet table under Eaton's arc. Real units number their outlets from index 0 (NUT's driver
// for them says so, and a recorded unit answers rows 0..19), where the MIB's text says 1: outlets
// are numbered in table order. The unit's own readings are scalars; its sensors are whole °C and %.
const M = '1.3.6.1.4.1.534.6.6.6';
const UNIT = `${M}.1.3.1`;
const TEMPERATURE = `${M}.2.2.1`;
const HUMIDITY = `${M}.2.4.1`;

const UNIT_CURRENT = { oid: `${UNIT}.1`, object: 'unitCurrent', scalar: true };

export const eatonEpduMa: SnmpProfile = {
  id: 'eaton-epdu-ma',
  vendor: 'Eaton',
  model: 'Managed ePDU, first generation (EATON-EPDU-MA-MIB)',
  mib: { module: 'EATON-EPDU-MA-MIB', files: ['EATON-OIDS', 'EATON-EPDU-MA-MIB'] },
  // The module root; G2/G3 ePDUs answer its sibling 534.6.6.7 (`eaton-epdu`).
  detect: { sysObjectID: ['1.3.6.1.4.1.534.6.6.6'] },
  // cycling(2) keeps the outlet off for the ePDU's power cycle delay.
  nativeReboot: true,
  outlets: pduMibOutlets(M),
  // The whole unit as one input: milliamperes, millivolts, watts.
  inputs: {
    rows: UNIT_CURRENT,
    current: { ...UNIT_CURRENT, scale: 0.001 },
    voltage: { oid: `${UNIT}.2`, object: 'unitVoltage', scalar: true, scale: 0.001 },
    power: { oid: `${UNIT}.3`, object: 'unitActivePower', scalar: true },
  },
  sensors: {
    temperature: {
      rows: { oid: `${TEMPERATURE}.2`, object: 'tempSensorLabel' },
      name: { oid: `${TEMPERATURE}.2`, object: 'tempSensorLabel' },
      value: { oid: `${TEMPERATURE}.3`, object: 'temperature' },
      label: 'Temperature',
    },
    humidity: {
      rows: { oid: `${HUMIDITY}.2`, object: 'humiditySensorLabel' },
      name: { oid: `${HUMIDITY}.2`, object: 'humiditySensorLabel' },
      value: { oid: `${HUMIDITY}.3`, object: 'humidity' },
      label: 'Humidity',
    },
  },
};
