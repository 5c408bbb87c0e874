import { field } from './rules';
import type { TrapTable } from './trap-table';

// The standard notifications every agent may send (SNMPv2-MIB snmpTraps, IF-MIB). A v1 trap with
// generic-trap 0..5 arrives as snmpTraps.(generic + 1) (RFC 3584, 3.1).

const TRAPS = '1.3.6.1.6.3.1.1.5';
const ifIndex = field('1.3.6.1.2.1.2.2.1.1', 'ifIndex');

export const genericTraps: TrapTable = {
  id: 'generic',
  vendor: 'SNMPv2-MIB / IF-MIB',
  mib: { module: 'SNMPv2-MIB', files: [] },
  traps: [
    { oid: `${TRAPS}.1`, name: 'coldStart', event: 'deviceStart', subject: 'device' },
    { oid: `${TRAPS}.2`, name: 'warmStart', event: 'deviceStart', subject: 'device', severity: 'info' },
    { oid: `${TRAPS}.3`, name: 'linkDown', severity: 'warning', subject: 'sensor', fields: { sensorIndex: ifIndex } },
    { oid: `${TRAPS}.4`, name: 'linkUp', severity: 'info', subject: 'sensor', fields: { sensorIndex: ifIndex } },
    { oid: `${TRAPS}.5`, name: 'authenticationFailure', severity: 'warning', subject: 'device' },
  ],
};
