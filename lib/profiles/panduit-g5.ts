import type { SnmpProfile } from './snmp-profile';

// Panduit SmartZone G5 iPDUs (PANDUIT-MIB). Up to four units in a daisy chain; every row is
// indexed unit.outlet (unit.phase, unit.sensor), and outlets are numbered in table order across
// the chain. The outlet control table shares the outlet table's index, so its columns are read
// at the outlet's own row.
const N = '1.3.6.1.4.1.19536.10.1';
const PHASE = `${N}.2.2.1`;
const TEMPERATURE = `${N}.4.2.1`;
const HUMIDITY = `${N}.4.3.1`;
const OUTLET = `${N}.5.1.1`;
const CONTROL = `${N}.5.2.1`;

const COMMAND = { oid: `${CONTROL}.10`, object: 'pdug5OutletControlCommand' };
/** pdug5InputPhaseCurrentMeasType: singlePhase(1), phase1..3(3..5); neutral(2) is not a load. */
const LINE_CURRENTS = [1, 3, 4, 5];
/** pdug5TemperatureProbeStatus / pdug5HumidityProbeStatus connected(2). */
const CONNECTED = [2];

export const panduitG5: SnmpProfile = {
  id: 'panduit-g5',
  vendor: 'Panduit',
  model: 'SmartZone G5 iPDU (PANDUIT-MIB)',
  mib: { module: 'PANDUIT-MIB', files: ['PANDUIT-MIB'] },
  // pdug5 itself is the sysObjectID of G5 units.
  detect: { sysObjectID: ['1.3.6.1.4.1.19536.10.1'] },
  // immediateReboot(5) keeps the outlet off for its pdug5OutletControlRebootOffTime.
  nativeReboot: true,
  outlets: {
    rows: { oid: `${OUTLET}.2`, object: 'pdug5OutletName' },
    name: { oid: `${OUTLET}.2`, object: 'pdug5OutletName' },
    // pendingOff is still on and pendingOn still off: the relay now, whatever its delay will do.
    state: { oid: `${CONTROL}.1`, object: 'pdug5OutletControlStatus', map: { 1: 'off', 2: 'on', 3: 'on', 4: 'off' } },
    current: { oid: `${OUTLET}.5`, object: 'pdug5OutletCurrent', scale: 0.01 },
    // Any negative value is "not available".
    power: { oid: `${OUTLET}.13`, object: 'pdug5OutletWatts', invalidBelow: 0 },
    // Metered and monitored models answer notSwitchable(2).
    switchable: { column: { oid: `${CONTROL}.8`, object: 'pdug5OutletControlSwitchable' }, values: [1] },
    control: {
      off: { ...COMMAND, value: 1 },
      on: { ...COMMAND, value: 2 },
      reboot: { ...COMMAND, value: 5 },
    },
  },
  inputs: {
    rows: { oid: `${PHASE}.9`, object: 'pdug5InputPhaseCurrentMeasType' },
    where: { column: { oid: `${PHASE}.9`, object: 'pdug5InputPhaseCurrentMeasType' }, values: LINE_CURRENTS },
    current: { oid: `${PHASE}.11`, object: 'pdug5InputPhaseCurrent', scale: 0.01 },
    voltage: { oid: `${PHASE}.3`, object: 'pdug5InputPhaseVoltage', scale: 0.1 },
    power: { oid: `${PHASE}.20`, object: 'pdug5InputPhasePowerWatts', invalidBelow: 0 },
    label: 'Phase',
  },
  sensors: {
    // Whole degrees in the unit's pdug5TemperatureScale, set per unit (the row's first arc).
    temperature: {
      rows: { oid: `${TEMPERATURE}.3`, object: 'pdug5TemperatureProbeStatus' },
      name: { oid: `${TEMPERATURE}.2`, object: 'pdug5TemperatureName' },
      present: { column: { oid: `${TEMPERATURE}.3`, object: 'pdug5TemperatureProbeStatus' }, values: CONNECTED },
      value: { oid: `${TEMPERATURE}.4`, object: 'pdug5TemperatureValue' },
      // pdug5TemperatureScale celsius(1), fahrenheit(2).
      fahrenheitWhen: { column: { oid: `${N}.4.1.1.1`, object: 'pdug5TemperatureScale', parentArcs: 1 }, value: 2 },
      label: 'Temperature',
    },
    humidity: {
      rows: { oid: `${HUMIDITY}.3`, object: 'pdug5HumidityProbeStatus' },
      name: { oid: `${HUMIDITY}.2`, object: 'pdug5HumidityName' },
      present: { column: { oid: `${HUMIDITY}.3`, object: 'pdug5HumidityProbeStatus' }, values: CONNECTED },
      value: { oid: `${HUMIDITY}.4`, object: 'pdug5HumidityValue' },
      label: 'Humidity',
    },
  },
};
