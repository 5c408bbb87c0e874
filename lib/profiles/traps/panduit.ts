import { field } from './rules';
import type { TrapTable } from './trap-table';

// Panduit SmartZone G5 (PANDUIT-MIB). Five notifications by severity, with no `.0.` arc under
// pdug5Traps: which event it is (an outlet switched, a threshold crossed) is only in trapCode and
// the agent's own words (trapDescription), so the events keep the notifications' names and carry
// the words as their text; trapCode stays in msg.snmp.
const N = '1.3.6.1.4.1.19536.10.1';
const fields = { text: field(`${N}.7.1.2`, 'trapDescription') };

export const panduitTraps: TrapTable = {
  id: 'panduit',
  vendor: 'Panduit SmartZone G5',
  mib: { module: 'PANDUIT-MIB', files: ['SNMP-FRAMEWORK-MIB', 'PANDUIT-MIB'] },
  traps: [
    { oid: `${N}.6.1`, name: 'trapCritical', subject: 'device', severity: 'critical', fields },
    { oid: `${N}.6.2`, name: 'trapWarning', subject: 'device', severity: 'warning', fields },
    { oid: `${N}.6.3`, name: 'trapInformation', subject: 'device', severity: 'info', fields },
    { oid: `${N}.6.4`, name: 'trapCleared', subject: 'device', severity: 'info', fields },
    { oid: `${N}.6.5`, name: 'trapTest', subject: 'device', severity: 'info', fields },
  ],
  objects: { [`${N}.7.1.1`]: 'trapCode' },
};
