import { pduMibOutlets } from './pdu-mib-outlets';
import type { SnmpProfile } from './snmp-profile';

// Raritan Dominion PX, the first generation (PDU-MIB; PX2/PX3 answer PDU2-MIB, `raritan-pdu2`).
// Outlets and inlets have one index each. Outlet and inlet readings are in mA, mV and W; the
// external sensors give their reading times 10^externalSensorDecimalDigits.
const X = '1.3.6.1.4.1.13742.4';
const INLET = `${X}.1.20.2.1`;
const EXTERNAL = `${X}.3.3.1`;

/** TypeOfSensorEnumeration temperature(10), humidity(11); SensorUnitsEnumeration degreeF(14). */
const TEMPERATURE = 10;
const HUMIDITY = 11;
const DEGREE_F = 14;
/**
 * StateOfSensorEnumeration of a numeric sensor that reads: belowLowerCritical(2) .. aboveUpperCritical(6).
 * An unplugged probe reads unavailable(-1).
 */
const READING = [2, 3, 4, 5, 6];

const externalSensors = (type: number) => ({
  rows: { oid: `${EXTERNAL}.2`, object: 'externalSensorType' },
  name: { oid: `${EXTERNAL}.4`, object: 'externalSensorName' },
  where: { column: { oid: `${EXTERNAL}.2`, object: 'externalSensorType' }, values: [type] },
  present: { column: { oid: `${EXTERNAL}.40`, object: 'externalSensorState' }, values: READING },
  value: {
    oid: `${EXTERNAL}.41`,
    object: 'externalSensorValue',
    digits: { oid: `${EXTERNAL}.17`, object: 'externalSensorDecimalDigits' },
  },
});

export const raritanPx1: SnmpProfile = {
  id: 'raritan-px1',
  vendor: 'Raritan',
  model: 'Dominion PX, first generation (PDU-MIB)',
  mib: { module: 'PDU-MIB', files: ['PDU-MIB'] },
  // The PX1 answers the module's root itself.
  detect: { sysObjectID: ['1.3.6.1.4.1.13742.4'] },
  // cycling(2) keeps the outlet off for the PDU's power cycle delay.
  nativeReboot: true,
  outlets: pduMibOutlets(X),
  // The inlet table has no label column: inlets are `Inlet 1`, `Inlet 2`.
  inputs: {
    rows: { oid: `${INLET}.7`, object: 'inletCurrent' },
    current: { oid: `${INLET}.7`, object: 'inletCurrent', scale: 0.001 },
    voltage: { oid: `${INLET}.8`, object: 'inletVoltage', scale: 0.001 },
    power: { oid: `${INLET}.9`, object: 'inletActivePower' },
    label: 'Inlet',
  },
  sensors: {
    temperature: {
      ...externalSensors(TEMPERATURE),
      fahrenheitWhen: { column: { oid: `${EXTERNAL}.16`, object: 'externalSensorUnits' }, value: DEGREE_F },
      label: 'Temperature',
    },
    humidity: { ...externalSensors(HUMIDITY), label: 'Humidity' },
  },
};
