import type { SnmpProfile } from './snmp-profile';

// Eaton ePDU G2 (Marlin) and G3 (Shark), EATON-EPDU-MIB. Rows are indexed strappingIndex.outlet,
// unit 0 for a standalone ePDU (daisy-chained units follow as 1, 2 ...). Each power action has
// its own command column; writing 0 does it now (n > 0 would delay it n seconds, -1 cancels).
const E = '1.3.6.1.4.1.534.6.6.7';
const UNIT = `${E}.1.2.1`;
const INPUT_VOLTAGE = `${E}.3.2.1`;
const INPUT_CURRENT = `${E}.3.3.1`;
const INPUT_POWER = `${E}.3.4.1`;
const OUTLET = `${E}.6.1.1`;
const OUTLET_CURRENT = `${E}.6.4.1`;
const OUTLET_POWER = `${E}.6.5.1`;
const OUTLET_CONTROL = `${E}.6.6.1`;
const TEMPERATURE = `${E}.7.1.1`;
const HUMIDITY = `${E}.7.2.1`;

const NOW = 0;
/** inputCurrentMeasType: singlePhase(1), phase1..3(3..5); neutral(2) is not a load. */
const LINE_CURRENTS = [1, 3, 4, 5];
/** temperatureProbeStatus / humidityProbeStatus connected(1). */
const CONNECTED = [1];
/** temperatureScale fahrenheit(1). */
const FAHRENHEIT = 1;

export const eatonEpdu: SnmpProfile = {
  id: 'eaton-epdu',
  vendor: 'Eaton',
  model: 'ePDU G2/G3 (EATON-EPDU-MIB)',
  mib: { module: 'EATON-EPDU-MIB', files: ['EATON-OIDS', 'EATON-EPDU-MIB'] },
  // eatonEpdu itself is the sysObjectID of G2/G3 ePDUs.
  detect: { sysObjectID: ['1.3.6.1.4.1.534.6.6.7'] },
  defaults: { readCommunity: 'public', writeCommunity: 'private' },
  // The reboot command keeps the outlet off for its outletControlRebootOffTime.
  nativeReboot: true,
  outlets: {
    rows: { oid: `${OUTLET}.2`, object: 'outletID' },
    name: { oid: `${OUTLET}.3`, object: 'outletName' },
    // A1 is the first outlet of group A.
    id: { oid: `${OUTLET}.2`, object: 'outletID' },
    state: {
      oid: `${OUTLET_CONTROL}.2`,
      object: 'outletControlStatus',
      map: { 0: 'off', 1: 'on', 2: 'unknown', 3: 'unknown' },
    },
    current: { oid: `${OUTLET_CURRENT}.3`, object: 'outletCurrent', scale: 0.001 },
    power: { oid: `${OUTLET_POWER}.3`, object: 'outletWatts', invalidBelow: 0 },
    // Only switched and managed ePDUs (SW, MA) answer the outlet control table; metered ones (MI, MO) do not switch.
    switchable: { column: { oid: `${OUTLET_CONTROL}.2`, object: 'outletControlStatus' } },
    control: {
      off: { oid: `${OUTLET_CONTROL}.3`, object: 'outletControlOffCmd', value: NOW },
      on: { oid: `${OUTLET_CONTROL}.4`, object: 'outletControlOnCmd', value: NOW },
      reboot: { oid: `${OUTLET_CONTROL}.5`, object: 'outletControlRebootCmd', value: NOW },
    },
  },
  // One input per line (L1, L2, L3, or the single phase): Eaton numbers the current, voltage and
  // power measurements of an input in the same line order, as its own NUT driver reads them.
  inputs: {
    rows: { oid: `${INPUT_CURRENT}.2`, object: 'inputCurrentMeasType' },
    name: { oid: `${INPUT_CURRENT}.12`, object: 'inputPhaseDesignator' },
    where: { column: { oid: `${INPUT_CURRENT}.2`, object: 'inputCurrentMeasType' }, values: LINE_CURRENTS },
    current: { oid: `${INPUT_CURRENT}.4`, object: 'inputCurrent', scale: 0.001 },
    voltage: { oid: `${INPUT_VOLTAGE}.3`, object: 'inputVoltage', scale: 0.001 },
    power: { oid: `${INPUT_POWER}.4`, object: 'inputWatts', invalidBelow: 0 },
    label: 'Line',
  },
  sensors: {
    temperature: {
      rows: { oid: `${TEMPERATURE}.3`, object: 'temperatureProbeStatus' },
      name: { oid: `${TEMPERATURE}.2`, object: 'temperatureName' },
      present: { column: { oid: `${TEMPERATURE}.3`, object: 'temperatureProbeStatus' }, values: CONNECTED },
      // Tenths of a degree in the unit's temperatureScale.
      value: { oid: `${TEMPERATURE}.4`, object: 'temperatureValue', scale: 0.1 },
      fahrenheitWhen: { column: { oid: `${UNIT}.9`, object: 'temperatureScale', parentArcs: 1 }, value: FAHRENHEIT },
      label: 'Temperature',
    },
    humidity: {
      rows: { oid: `${HUMIDITY}.3`, object: 'humidityProbeStatus' },
      name: { oid: `${HUMIDITY}.2`, object: 'humidityName' },
      present: { column: { oid: `${HUMIDITY}.3`, object: 'humidityProbeStatus' }, values: CONNECTED },
      value: { oid: `${HUMIDITY}.4`, object: 'humidityValue', scale: 0.1 },
      label: 'Humidity',
    },
  },
};
