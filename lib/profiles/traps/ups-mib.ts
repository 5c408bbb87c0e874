import { field } from './rules';
import type { TrapRule, TrapTable } from './trap-table';

// RFC 1628 UPS-MIB notifications, sent by many UPS network cards (and by NUT's snmp-ups targets).
// An alarm entry names its alarm by an OID under upsWellKnownAlarms; the upsmon name follows it.

const UPS = '1.3.6.1.2.1.33';
const ALARMS = `${UPS}.1.6.3`;
/** upsWellKnownAlarms arcs and the upsmon names for the alarm being raised / cleared. */
const ALARM_EVENTS: Array<[number, string, string, string | undefined]> = [
  [1, 'upsAlarmBatteryBad', 'REPLBATT', undefined],
  [2, 'upsAlarmOnBattery', 'ONBATT', 'ONLINE'],
  [3, 'upsAlarmLowBattery', 'LOWBATT', undefined],
  [4, 'upsAlarmDepletedBattery', 'LOWBATT', undefined],
  [8, 'upsAlarmOutputOverload', 'OVER', 'NOTOVER'],
  [9, 'upsAlarmOnBypass', 'BYPASS', 'NOTBYPASS'],
  [11, 'upsAlarmOutputOffAsRequested', 'OFF', 'NOTOFF'],
  [12, 'upsAlarmUpsOffAsRequested', 'OFF', 'NOTOFF'],
  [14, 'upsAlarmUpsOutputOff', 'OFF', 'NOTOFF'],
  [15, 'upsAlarmUpsSystemOff', 'OFF', 'NOTOFF'],
  [20, 'upsAlarmCommunicationsLost', 'COMMBAD', 'COMMOK'],
  [22, 'upsAlarmShutdownPending', 'FSD', undefined],
  [23, 'upsAlarmShutdownImminent', 'SHUTDOWN', undefined],
];

const alarm = {
  sensorIndex: field(`${UPS}.1.6.2.1.1`, 'upsAlarmId'),
  status: field(`${UPS}.1.6.2.1.2`, 'upsAlarmDescr'),
};
const raised: TrapRule[] = [
  ...ALARM_EVENTS.map(([arc, , event]): TrapRule => ({ when: { status: `${ALARMS}.${arc}` }, event })),
  // Any other alarm keeps the trap's name.
  { event: 'upsTrapAlarmEntryAdded', severity: 'warning' },
];
const cleared: TrapRule[] = ALARM_EVENTS.filter(([, , , clear]) => clear)
  .map(([arc, , , clear]) => ({ when: { status: `${ALARMS}.${arc}` }, event: clear as string }));

/** The alarm OIDs with their MIB names, for the MIB check. */
export const UPS_WELL_KNOWN_ALARMS = ALARM_EVENTS.map(([arc, name]) => ({ oid: `${ALARMS}.${arc}`, object: name }));

export const upsMibTraps: TrapTable = {
  id: 'ups-mib',
  vendor: 'UPS-MIB (RFC 1628)',
  mib: { module: 'UPS-MIB', files: ['UPS-MIB'] },
  traps: [
    {
      oid: `${UPS}.2.1`,
      name: 'upsTrapOnBattery',
      event: 'ONBATT',
      subject: 'device',
      fields: { value: field(`${UPS}.1.2.3`, 'upsEstimatedMinutesRemaining', { unit: 'min left' }) },
    },
    {
      oid: `${UPS}.2.2`,
      name: 'upsTrapTestCompleted',
      severity: 'info',
      subject: 'device',
      fields: {
        status: field(`${UPS}.1.7.3`, 'upsTestResultsSummary', {
          enum: { 1: 'donePass', 2: 'doneWarning', 3: 'doneError', 4: 'aborted', 5: 'inProgress', 6: 'noTestsInitiated' },
        }),
      },
    },
    { oid: `${UPS}.2.3`, name: 'upsTrapAlarmEntryAdded', event: raised, subject: 'device', fields: alarm },
    { oid: `${UPS}.2.4`, name: 'upsTrapAlarmEntryRemoved', event: cleared, severity: 'info', subject: 'device', fields: alarm },
  ],
};
