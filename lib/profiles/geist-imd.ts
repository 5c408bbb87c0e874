import type { SnmpProfile } from './snmp-profile';

// Vertiv/Geist rack PDUs with an IMD (interchangeable monitoring device), GEIST-V5-MIB. Every
// table has a single index of its own; a switched outlet and its meter share the outlet number,
// so pduOutletSwitchTable and pduOutletMeterTable are read at the same row. The user's name of
// an outlet is its label (pduOutletSwitchName is the factory's `Outlet 1`).
const G = '1.3.6.1.4.1.21239.5.2';
const PHASE = `${G}.3.2.1`;
const SWITCH = `${G}.3.5.1`;
const METER = `${G}.3.6.1`;
const THD = `${G}.9.1`;

const CONTROL = { oid: `${SWITCH}.6`, object: 'pduOutletSwitchControl' };
/** thdSensorAvail: unavailable(0), available(1), partially unavailable(2). */
const THD_PRESENT = { column: { oid: `${THD}.4`, object: 'thdSensorAvail' }, values: [1] };

export const geistImd: SnmpProfile = {
  id: 'geist-imd',
  vendor: 'Vertiv (Geist)',
  model: 'rPDU with IMD, r05/i03 (GEIST-V5-MIB)',
  mib: { module: 'GEIST-V5-MIB', files: ['GEIST-V5-MIB'] },
  // The product identities under geist.common.identity (i03 .53, r05 .15).
  detect: { sysObjectID: ['1.3.6.1.4.1.21239.42.1'] },
  // The reboot command keeps the outlet off for the outlet's own reboot delay.
  nativeReboot: true,
  outlets: {
    rows: { oid: `${SWITCH}.2`, object: 'pduOutletSwitchName' },
    name: { oid: `${SWITCH}.3`, object: 'pduOutletSwitchLabel' },
    // on2off and rebootOn are still on, off2on and rebootOff still off: the state of the relay
    // now, whatever it will do after its delay.
    state: {
      oid: `${SWITCH}.4`,
      object: 'pduOutletSwitchState',
      map: { 1: 'on', 2: 'off', 3: 'on', 4: 'off', 5: 'on', 6: 'off', 7: 'unknown' },
    },
    current: { oid: `${METER}.8`, object: 'pduOutletMeterCurrent', scale: 0.01 },
    power: { oid: `${METER}.12`, object: 'pduOutletMeterRealPower' },
    control: {
      on: { ...CONTROL, value: 2 },
      off: { ...CONTROL, value: 4 },
      reboot: { ...CONTROL, value: 6 },
    },
  },
  inputs: {
    rows: { oid: `${PHASE}.2`, object: 'pduPhaseName' },
    name: { oid: `${PHASE}.3`, object: 'pduPhaseLabel' },
    current: { oid: `${PHASE}.8`, object: 'pduPhaseCurrent', scale: 0.01 },
    voltage: { oid: `${PHASE}.4`, object: 'pduPhaseVoltage', scale: 0.1 },
    power: { oid: `${PHASE}.12`, object: 'pduPhaseRealPower' },
    label: 'Phase',
  },
  sensors: {
    // The temperature/humidity probes; decidegrees in the unit temperatureUnits says.
    temperature: {
      rows: { oid: `${THD}.2`, object: 'thdSensorSerial' },
      name: { oid: `${THD}.3`, object: 'thdSensorLabel' },
      present: THD_PRESENT,
      value: { oid: `${THD}.5`, object: 'thdSensorTemp', scale: 0.1 },
      // temperatureUnits fahrenheit(0), celsius(1): one setting for the whole unit.
      fahrenheitWhen: { column: { oid: `${G}.1.7`, object: 'temperatureUnits', scalar: true }, value: 0 },
      label: 'Temperature',
    },
    humidity: {
      rows: { oid: `${THD}.2`, object: 'thdSensorSerial' },
      name: { oid: `${THD}.3`, object: 'thdSensorLabel' },
      present: THD_PRESENT,
      value: { oid: `${THD}.6`, object: 'thdSensorHumidity' },
      label: 'Humidity',
    },
  },
};
