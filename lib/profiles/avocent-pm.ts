import type { SnmpProfile } from './snmp-profile';

// Avocent/Vertiv PM PDUs (PM1000/2000/3000 series), PM-MIB. The PDUs hang off the serial ports of
// an agent, so every row is indexed serial port, PDU number, outlet (or phase). The agent reads
// 0 where a PDU does not measure. The sensor table gives its integer readings with no scale the
// MIB states, so no sensor is read here.
const A = '1.3.6.1.4.1.10418.17.2.5';
const OUTLETS = `${A}.5.1`;
const PHASES = `${A}.9.1`;

const STATUS = { oid: `${OUTLETS}.5`, object: 'pmPowerMgmtOutletsTableStatus' };
const CONTROL = { oid: `${OUTLETS}.6`, object: 'pmPowerMgmtOutletsTablePowerControl' };

export const avocentPm: SnmpProfile = {
  id: 'avocent-pm',
  vendor: 'Avocent (Vertiv)',
  model: 'PM1000/2000/3000 PDUs (PM-MIB)',
  mib: { module: 'PM-MIB', files: ['IANAifType-MIB', 'IF-MIB', 'PM-MIB'] },
  // pmProducts: pm1024 .1 .. pm3020 .13, one identity per model.
  detect: { sysObjectID: ['1.3.6.1.4.1.10418.17.1'] },
  // powerCycle(4) turns the outlet off and on again by the PDU's own delay.
  nativeReboot: true,
  outlets: {
    rows: STATUS,
    name: { oid: `${OUTLETS}.4`, object: 'pmPowerMgmtOutletsTableName' },
    // Locked, pending and cycling states as the relay is now; notSet(9) is unknown.
    state: {
      ...STATUS,
      map: { 1: 'off', 2: 'on', 3: 'off', 4: 'on', 5: 'off', 6: 'on', 7: 'off', 8: 'on', 10: 'on', 11: 'off', 12: 'off' },
    },
    // Tenths of an ampere, tenths of a watt.
    current: { oid: `${OUTLETS}.50`, object: 'pmPowerMgmtOutletsTableCurrentValue', scale: 0.1 },
    power: { oid: `${OUTLETS}.60`, object: 'pmPowerMgmtOutletsTablePowerValue', scale: 0.1 },
    control: {
      on: { ...CONTROL, value: 2 },
      off: { ...CONTROL, value: 3 },
      reboot: { ...CONTROL, value: 4 },
    },
  },
  inputs: {
    rows: { oid: `${PHASES}.3`, object: 'pmPowerMgmtPhasesTableNumber' },
    name: { oid: `${PHASES}.4`, object: 'pmPowerMgmtPhasesTableName' },
    current: { oid: `${PHASES}.50`, object: 'pmPowerMgmtPhasesTableCurrentValue', scale: 0.1 },
    voltage: { oid: `${PHASES}.70`, object: 'pmPowerMgmtPhasesTableVoltageValue' },
    label: 'Phase',
  },
};
