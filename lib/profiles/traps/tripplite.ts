import { field } from './rules';
import type { TrapFields, TrapRule, TrapTable } from './trap-table';

// Tripp Lite PowerAlert (TRIPPLITE-PRODUCTS). Every condition is a row of the agent's alarm table,
// announced when added and when removed. Which condition it is (an outlet's load off, a breaker
// open, a temperature beyond limits) is an OID value (tlpAlarmDescr) and the row it concerns
// another (tlpAlarmTableRowRef): the events are named after the notification, with the agent's
// own severity (tlpAlarmType) and text (tlpAlarmDetail, `Load Off`); the condition's and the
// row's OIDs stay in msg.snmp.

const ALARM = '1.3.6.1.4.1.850.1.3.2.1';
const NOTIFICATIONS = '1.3.6.1.4.1.850.1.4.1';

const fields: TrapFields = {
  text: field(`${ALARM}.6`, 'tlpAlarmDetail'),
  severity: field(`${ALARM}.7`, 'tlpAlarmType', {
    enum: { 1: 'critical', 2: 'warning', 3: 'info', 4: 'status', 5: 'offline', 6: 'custom' },
  }),
};

/** The agent's category as our severity; status and custom alarms are information. */
const bySeverity = (event: string): TrapRule[] => [
  { when: { severity: ['critical', 'offline'] }, event, severity: 'critical' },
  { when: { severity: 'warning' }, event, severity: 'warning' },
  { event, severity: 'info' },
];

export const trippLiteTraps: TrapTable = {
  id: 'tripplite',
  vendor: 'Tripp Lite',
  mib: { module: 'TRIPPLITE-PRODUCTS', files: ['TRIPPLITE', 'TRIPPLITE-PRODUCTS'] },
  traps: [
    {
      oid: `${NOTIFICATIONS}.1`, name: 'tlpNotificationsAlarmEntryAdded', subject: 'device', fields,
      event: bySeverity('tlpNotificationsAlarmEntryAdded'),
    },
    { oid: `${NOTIFICATIONS}.2`, name: 'tlpNotificationsAlarmEntryRemoved', subject: 'device', fields, severity: 'info' },
  ],
  // The rest are named in msg.snmp: the alarm's id, its condition and the row it concerns.
  objects: {
    [`${ALARM}.1`]: 'tlpAlarmId',
    [`${ALARM}.2`]: 'tlpAlarmDescr',
    [`${ALARM}.3`]: 'tlpAlarmTime',
    [`${ALARM}.4`]: 'tlpAlarmTableRef',
    [`${ALARM}.5`]: 'tlpAlarmTableRowRef',
  },
};
