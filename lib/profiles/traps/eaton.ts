import { field, levelRules } from './rules';
import type { TrapFields, TrapTable } from './trap-table';

// Eaton ePDU (EATON-EPDU-MIB, G2/G3 firmware). Each threshold notification carries the unit
// (strappingIndex, 0 for a standalone PDU), the object's index, its reading and a threshold
// status good / low / high, warning or critical.

const E = '1.3.6.1.4.1.534.6.6.7';
const eTrap = (n: number): string => `${E}.0.${n}`;
const TH_STATUS: Record<number, string> = { 0: 'good', 1: 'lowWarning', 2: 'lowCritical', 3: 'highWarning', 4: 'highCritical' };
const thresholds = { high: ['highCritical'], highWarning: ['highWarning'], low: ['lowCritical'], lowWarning: ['lowWarning'], normal: ['good'] };

const outlet: TrapFields = { outletIndex: field(`${E}.6.1.1.1`, 'outletIndex') };

export const eatonTraps: TrapTable = {
  id: 'eaton-epdu',
  vendor: 'Eaton ePDU',
  mib: { module: 'EATON-EPDU-MIB', files: ['SNMP-FRAMEWORK-MIB', 'EATON-OIDS', 'EATON-EPDU-MIB'] },
  traps: [
    { oid: eTrap(4), name: 'notifyBootUp', event: 'deviceStart', subject: 'device', fields: {} },
    {
      oid: eTrap(12),
      name: 'notifyInputCurrentThStatus',
      subject: 'input',
      event: levelRules('inputLoad', thresholds),
      fields: {
        sensorIndex: field(`${E}.3.1.1.1`, 'inputIndex'),
        sensorId: field(`${E}.3.3.1.1`, 'inputCurrentIndex'),
        // Milliamperes.
        value: field(`${E}.3.3.1.4`, 'inputCurrent', { scale: 0.001 }),
        status: field(`${E}.3.3.1.5`, 'inputCurrentThStatus', { enum: TH_STATUS }),
      },
    },
    {
      oid: eTrap(32),
      name: 'notifyOutletCurrentThStatus',
      subject: 'outlet',
      event: levelRules('load', thresholds),
      fields: {
        ...outlet,
        value: field(`${E}.6.4.1.3`, 'outletCurrent', { scale: 0.001 }),
        status: field(`${E}.6.4.1.4`, 'outletCurrentThStatus', { enum: TH_STATUS }),
      },
    },
    {
      oid: eTrap(33),
      name: 'notifyOutletControlStatus',
      subject: 'outlet',
      event: [{ when: { status: 'on' }, event: 'outletOn' }, { when: { status: 'off' }, event: 'outletOff' }],
      fields: {
        ...outlet,
        status: field(`${E}.6.6.1.2`, 'outletControlStatus', { enum: { 0: 'off', 1: 'on', 2: 'pendingOff', 3: 'pendingOn' } }),
      },
    },
    {
      oid: eTrap(41),
      name: 'notifyTemperatureThStatus',
      subject: 'temperature',
      event: levelRules('temperature', thresholds),
      fields: {
        sensorIndex: field(`${E}.7.1.1.1`, 'temperatureIndex'),
        // Tenths of a degree in the unit's temperatureScale, which the trap does not carry: °C is the default.
        value: field(`${E}.7.1.1.4`, 'temperatureValue', { scale: 0.1 }),
        status: field(`${E}.7.1.1.5`, 'temperatureThStatus', { enum: TH_STATUS }),
      },
    },
    {
      oid: eTrap(42),
      name: 'notifyHumidityThStatus',
      subject: 'humidity',
      event: levelRules('humidity', thresholds),
      fields: {
        sensorIndex: field(`${E}.7.2.1.1`, 'humidityIndex'),
        value: field(`${E}.7.2.1.4`, 'humidityValue', { scale: 0.1 }),
        status: field(`${E}.7.2.1.5`, 'humidityThStatus', { enum: TH_STATUS }),
      },
    },
    {
      oid: eTrap(51),
      name: 'notifyCommunicationStatus',
      subject: 'device',
      event: [{ when: { status: 'communicationLost' }, event: 'commLost' }, { when: { status: 'good' }, event: 'commRestored' }],
      fields: { status: field(`${E}.1.2.1.30`, 'communicationStatus', { enum: { 0: 'good', 1: 'communicationLost' } }) },
    },
  ],
};
