import { field } from './rules';
import type { TrapDefinition, TrapFields, TrapTable } from './trap-table';

// Raritan's first-generation PDU-MIB (Dominion PX) and Eaton's first managed ePDU
// (EATON-EPDU-MA-MIB), which carries the same notifications under its own arc: `root`.0.N.
// powerControl names the outlet by its label's row and its new operational state. A threshold
// alarm says which sensor and threshold only in words (sensorDescr, thresholdDescr) and whether
// it was triggered or cleared in thresholdEventType, so it keeps its own name, with the severity
// thresholdSeverity gives.

/** outletOperationalState */
const OPERATIONAL: Record<number, string> = { [-1]: 'error', 0: 'off', 1: 'on', 2: 'cycling' };

function pduMibTraps(root: string, firstOutletRow: number): TrapDefinition[] {
  const trap = (n: number): string => `${root}.0.${n}`;
  const device: TrapFields = { device: field(`${root}.1.1.13`, 'objectInstance') };
  const label = `${root}.1.2.2.1.2`;
  return [
    { oid: trap(1), name: 'rebootStarted', subject: 'device', severity: 'info', fields: device },
    { oid: trap(2), name: 'rebootCompleted', event: 'deviceStart', subject: 'device', fields: device },
    {
      oid: trap(23),
      name: 'powerControl',
      subject: 'outlet',
      event: [
        { when: { status: 'on' }, event: 'outletOn' },
        { when: { status: 'off' }, event: 'outletOff' },
        { when: { status: 'cycling' }, event: 'outletReboot' },
      ],
      fields: {
        ...device,
        outletIndex: field(label, 'outletLabel', { from: 'index', offset: 1 - firstOutletRow }),
        outletName: field(label, 'outletLabel'),
        status: field(`${root}.1.2.2.1.3`, 'outletOperationalState', { enum: OPERATIONAL }),
      },
    },
    {
      oid: trap(45),
      name: 'thresholdAlarm',
      subject: 'sensor',
      event: [
        { when: { status: 'cleared' }, event: 'thresholdAlarm', severity: 'info' },
        { when: { severity: 'critical' }, event: 'thresholdAlarm', severity: 'critical' },
        { event: 'thresholdAlarm', severity: 'warning' },
      ],
      fields: {
        ...device,
        sensorName: field(`${root}.1.1.19`, 'sensorDescr'),
        text: field(`${root}.1.1.20`, 'thresholdDescr'),
        severity: field(`${root}.1.1.21`, 'thresholdSeverity'),
        status: field(`${root}.1.1.22`, 'thresholdEventType'),
      },
    },
    { oid: trap(50), name: 'outletGroupingConnectivityLost', subject: 'device', severity: 'warning', fields: device },
  ];
}

const X = '1.3.6.1.4.1.13742.4';
const breaker: TrapFields = {
  device: field(`${X}.1.1.13`, 'objectInstance'),
  text: field(`${X}.1.5.2.1.2`, 'circuitBreakerLabel'),
};

export const raritanPx1Traps: TrapTable = {
  id: 'raritan-px1',
  vendor: 'Raritan Dominion PX (first generation)',
  mib: { module: 'PDU-MIB', files: ['SNMP-FRAMEWORK-MIB', 'INET-ADDRESS-MIB', 'PDU-MIB'] },
  traps: [
    ...pduMibTraps(X, 1),
    { oid: `${X}.0.51`, name: 'circuitBreakerTripped', subject: 'device', severity: 'critical', fields: breaker },
    { oid: `${X}.0.52`, name: 'circuitBreakerRecovered', subject: 'device', severity: 'info', fields: breaker },
  ],
};

export const eatonEpduMaTraps: TrapTable = {
  id: 'eaton-epdu-ma',
  vendor: 'Eaton Managed ePDU (first generation)',
  mib: { module: 'EATON-EPDU-MA-MIB', files: ['SNMP-FRAMEWORK-MIB', 'EATON-OIDS', 'EATON-EPDU-MA-MIB'] },
  // Real units number their outlet rows from 0: row 0 is outlet 1.
  traps: pduMibTraps('1.3.6.1.4.1.534.6.6.6', 0),
};
