import { field } from './rules';
import type { TrapDefinition, TrapFields, TrapRule, TrapTable } from './trap-table';

// Vertiv/Geist IMD (GEIST-V5-MIB). Every alarm is a pair of SMIv2 notifications under
// trapPrefix: NOTIFY 1xxxx when a reading crosses a threshold, CLEAR 2xxxx (the same tail) when
// it is back. Each carries the reading, trapThreshType (low or high), trapSeverity (warning or
// alarm), sysName and the labels of the PDU and the object. The IMD sends no notification when
// an outlet is switched.

const G = '1.3.6.1.4.1.21239.5.2';
const notify = (tail: number): string => `${G}.32767.0.${10000 + tail}`;
const clear = (tail: number): string => `${G}.32767.0.${20000 + tail}`;

const common: TrapFields = {
  device: field('1.3.6.1.2.1.1.5', 'sysName'),
  status: field(`${G}.32767.1.2`, 'trapThreshType', { enum: { 1: 'low', 2: 'high' } }),
  severity: field(`${G}.32767.1.1`, 'trapSeverity', { enum: { 0: 'none', 1: 'warning', 2: 'alarm' } }),
};
const units = field(`${G}.1.7`, 'temperatureUnits', { enum: { 0: 'fahrenheit', 1: 'celsius' } });

/** A reading's alarm: high or low by trapThreshType, critical when trapSeverity says alarm. */
function alarmRules(family: 'load' | 'inputLoad' | 'temperature' | 'humidity'): TrapRule[] {
  return [
    { when: { status: 'high', severity: 'alarm' }, event: `${family}High`, severity: 'critical' },
    { when: { status: 'high' }, event: `${family}High`, severity: 'warning' },
    { when: { status: 'low', severity: 'alarm' }, event: `${family}Low`, severity: 'critical' },
    { when: { status: 'low' }, event: `${family}Low`, severity: 'warning' },
  ];
}

/** The NOTIFY and CLEAR pair of one reading. */
function pair(tail: number, name: string, family: 'load' | 'inputLoad' | 'temperature' | 'humidity',
  subject: TrapDefinition['subject'], fields: TrapFields, extra: Partial<TrapDefinition> = {}): TrapDefinition[] {
  const all = { ...common, ...fields };
  return [
    { oid: notify(tail), name: `${name}NOTIFY`, subject, fields: all, event: alarmRules(family), ...extra },
    { oid: clear(tail), name: `${name}CLEAR`, subject, fields: all, event: `${family}Normal`, ...extra },
  ];
}

/** A temperature: decidegrees in the unit temperatureUnits names, which the trap carries. */
const temperature = (column: string, object: string, label: string, labelObject: string): TrapFields => ({
  sensorIndex: field(column, object, { from: 'index' }),
  sensorName: field(label, labelObject),
  value: field(column, object, { scale: 0.1 }),
  scale: units,
});
const inFahrenheit = { fahrenheitWhen: { field: 'scale' as const, is: 'fahrenheit' } };

export const geistTraps: TrapTable = {
  id: 'geist',
  vendor: 'Vertiv (Geist)',
  mib: { module: 'GEIST-V5-MIB', files: ['SNMP-FRAMEWORK-MIB', 'GEIST-V5-MIB'] },
  traps: [
    { oid: notify(101), name: 'internalTestNOTIFY', subject: 'device', severity: 'info' },
    ...pair(328, 'pduPhaseCurrent', 'inputLoad', 'input', {
      sensorIndex: field(`${G}.3.2.1.8`, 'pduPhaseCurrent', { from: 'index' }),
      sensorName: field(`${G}.3.2.1.3`, 'pduPhaseLabel'),
      // Centiamps.
      value: field(`${G}.3.2.1.8`, 'pduPhaseCurrent', { scale: 0.01 }),
    }),
    ...pair(389, 'pduOutletMeterCurrent', 'load', 'outlet', {
      outletIndex: field(`${G}.3.6.1.8`, 'pduOutletMeterCurrent', { from: 'index' }),
      outletName: field(`${G}.3.6.1.3`, 'pduOutletMeterLabel'),
      value: field(`${G}.3.6.1.8`, 'pduOutletMeterCurrent', { scale: 0.01 }),
    }),
    ...pair(405, 'tempSensorTemp', 'temperature', 'temperature',
      temperature(`${G}.4.1.5`, 'tempSensorTemp', `${G}.4.1.3`, 'tempSensorLabel'), inFahrenheit),
    ...pair(905, 'thdSensorTemp', 'temperature', 'temperature',
      temperature(`${G}.9.1.5`, 'thdSensorTemp', `${G}.9.1.3`, 'thdSensorLabel'), inFahrenheit),
    ...pair(906, 'thdSensorHumidity', 'humidity', 'humidity', {
      sensorIndex: field(`${G}.9.1.6`, 'thdSensorHumidity', { from: 'index' }),
      sensorName: field(`${G}.9.1.3`, 'thdSensorLabel'),
      value: field(`${G}.9.1.6`, 'thdSensorHumidity'),
    }),
  ],
};
