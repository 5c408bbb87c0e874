import type { SnmpProfile } from './snmp-profile';

// Raritan PX2/PX3 (and the Server Technology PRO3X and Legrand PDUs that share the firmware),
// PDU2-MIB. Rows are indexed pduId.outletId (pduId 1 for a standalone unit). Every reading is a
// "sensor" indexed pduId.outletId.sensorType and scaled by 10^decimalDigits, which the device
// reports per sensor in the matching configuration table.
const R = '1.3.6.1.4.1.13742.6';
const OUTLET_CONFIG = `${R}.3.5.3.1`;
const OUTLET_SENSOR_CONFIG = `${R}.3.5.4.1`;
const OUTLET_SWITCH = `${R}.4.1.2.1`;
const OUTLET_MEASUREMENT = `${R}.5.4.3.1`;
const INLET_CONFIG = `${R}.3.3.3.1`;
const INLET_SENSOR_CONFIG = `${R}.3.3.4.1`;
const INLET_MEASUREMENT = `${R}.5.2.3.1`;
const EXTERNAL_CONFIG = `${R}.3.6.3.1`;
const EXTERNAL_MEASUREMENT = `${R}.5.5.3.1`;

/** SensorTypeEnumeration: the suffix that picks a reading. */
const SENSOR = { rmsCurrent: '1', rmsVoltage: '4', activePower: '5', onOff: '14' };
/** SensorTypeEnumeration for external sensors, SensorUnitsEnumeration degreeF. */
const TEMPERATURE = 10;
const HUMIDITY = 11;
const DEGREE_F = 14;
const TRUE = 1;

const outletReading = (sensor: string) => ({
  oid: `${OUTLET_MEASUREMENT}.4`,
  object: 'measurementsOutletSensorValue',
  suffix: sensor,
  digits: { oid: `${OUTLET_SENSOR_CONFIG}.7`, object: 'outletSensorDecimalDigits', suffix: sensor },
});

const inletReading = (sensor: string) => ({
  oid: `${INLET_MEASUREMENT}.4`,
  object: 'measurementsInletSensorValue',
  suffix: sensor,
  digits: { oid: `${INLET_SENSOR_CONFIG}.7`, object: 'inletSensorDecimalDigits', suffix: sensor },
});

const externalSensors = (type: number) => ({
  rows: { oid: `${EXTERNAL_CONFIG}.2`, object: 'externalSensorType' },
  name: { oid: `${EXTERNAL_CONFIG}.4`, object: 'externalSensorName' },
  where: { column: { oid: `${EXTERNAL_CONFIG}.2`, object: 'externalSensorType' }, values: [type] },
  // A managed sensor that is unplugged keeps its row, with IsAvailable false(2).
  present: { column: { oid: `${EXTERNAL_MEASUREMENT}.2`, object: 'measurementsExternalSensorIsAvailable' }, values: [TRUE] },
  value: {
    oid: `${EXTERNAL_MEASUREMENT}.4`,
    object: 'measurementsExternalSensorValue',
    digits: { oid: `${EXTERNAL_CONFIG}.17`, object: 'externalSensorDecimalDigits' },
  },
});

export const raritanPdu2: SnmpProfile = {
  id: 'raritan-pdu2',
  vendor: 'Raritan',
  model: 'PX2/PX3 (PDU2-MIB)',
  mib: { module: 'PDU2-MIB', files: ['PDU2-MIB'] },
  // pdu2; the older PX1 (13742.4, PDU-MIB) is a different MIB.
  detect: { sysObjectID: ['1.3.6.1.4.1.13742.6'] },
  defaults: { readCommunity: 'public', writeCommunity: 'private' },
  // cycle keeps the outlet off for its outletPowerCyclingPowerOffPeriod.
  nativeReboot: true,
  outlets: {
    rows: { oid: `${OUTLET_CONFIG}.2`, object: 'outletLabel' },
    name: { oid: `${OUTLET_CONFIG}.3`, object: 'outletName' },
    id: { oid: `${OUTLET_CONFIG}.2`, object: 'outletLabel' },
    // SensorStateEnumeration; an outlet's onOff sensor is unavailable(-1), on(7) or off(8).
    state: { oid: `${OUTLET_SWITCH}.3`, object: 'outletSwitchingState', map: { 7: 'on', 8: 'off', '-1': 'unknown' } },
    // The outlet's onOff sensor holds the sensed state in the same enumeration; some firmware
    // answers it without outletSwitchingState.
    stateFallback: {
      oid: `${OUTLET_MEASUREMENT}.3`,
      object: 'measurementsOutletSensorState',
      suffix: SENSOR.onOff,
      map: { 7: 'on', 8: 'off', '-1': 'unknown' },
    },
    current: outletReading(SENSOR.rmsCurrent),
    power: outletReading(SENSOR.activePower),
    // Metered PX models answer the same outlet table with outletSwitchable false(2).
    switchable: { column: { oid: `${OUTLET_CONFIG}.28`, object: 'outletSwitchable' }, values: [TRUE] },
    control: {
      off: { oid: `${OUTLET_SWITCH}.2`, object: 'switchingOperation', value: 0 },
      on: { oid: `${OUTLET_SWITCH}.2`, object: 'switchingOperation', value: 1 },
      reboot: { oid: `${OUTLET_SWITCH}.2`, object: 'switchingOperation', value: 2 },
    },
  },
  inputs: {
    rows: { oid: `${INLET_CONFIG}.2`, object: 'inletLabel' },
    name: { oid: `${INLET_CONFIG}.2`, object: 'inletLabel' },
    current: inletReading(SENSOR.rmsCurrent),
    power: inletReading(SENSOR.activePower),
    voltage: inletReading(SENSOR.rmsVoltage),
    label: 'Inlet',
  },
  sensors: {
    temperature: {
      ...externalSensors(TEMPERATURE),
      fahrenheitWhen: { column: { oid: `${EXTERNAL_CONFIG}.16`, object: 'externalSensorUnits' }, value: DEGREE_F },
      label: 'Temperature',
    },
    humidity: { ...externalSensors(HUMIDITY), label: 'Humidity' },
  },
};
