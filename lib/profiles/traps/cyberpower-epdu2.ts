import type { Severity } from '../../types';
import { enterpriseTraps, field } from './rules';
import type { SubjectKind, TrapDefinition, TrapFields, TrapTable } from './trap-table';

// CyberPower's second ePDU branch (CPS-MIB ePDU2) and its ENVIROSENSOR (envir2): SMIv1 TRAP-TYPEs
// under cps like the first branch's, but three per subject: an event, an alarm and the alarm's
// clear. What happened (an outlet turned off, a load over its limit) is only in the agent's own
// words (mtrapinfoString), so the events keep the traps' MIB names and carry those words as text.
// An outlet is named by its number on its unit and its name: in a chain the name tells units apart.

const CPS = '1.3.6.1.4.1.3808';
const E2 = `${CPS}.1.1.6`;
const ENV2 = `${CPS}.1.1.8`;

const text = field(`${CPS}.2.2.3`, 'mtrapinfoString');
const { trap } = enterpriseTraps(CPS, text);
const device = field(`${E2}.2.2.1.3`, 'ePDU2IdentName');
const sensorDevice = field(`${ENV2}.1.2.1.3`, 'envir2IdentName');

/** The varbinds of one kind of trap: events name the config table's objects, alarms the status table's. */
interface Carried { event: TrapFields; alarm: TrapFields }

const outlet = (table: string, kind: 'Switched' | 'Metered' | 'Monitored', at: 'Control' | 'Config' | 'Status'): TrapFields => ({
  device,
  outletIndex: field(`${table}.3`, `ePDU2Outlet${kind}${at}Number`),
  outletName: field(`${table}.4`, `ePDU2Outlet${kind}${at}Name`),
  text,
});
const numbered = (table: string, object: string): TrapFields => ({ device, sensorIndex: field(`${table}.3`, object), text });

/** `<prefix>Event` (information), `<prefix>Alarm` (warning) and `<prefix>AlarmClear` (information) at first .. first+2. */
function triple(first: number, prefix: string, subject: SubjectKind, carried: Carried): TrapDefinition[] {
  const steps: Array<[string, Severity, TrapFields]> = [
    ['Event', 'info', carried.event], ['Alarm', 'warning', carried.alarm], ['AlarmClear', 'info', carried.alarm],
  ];
  return steps.map(([suffix, severity, fields], i) => trap(first + i, `${prefix}${suffix}`, undefined, fields, { subject, severity }));
}

const same = (fields: TrapFields): Carried => ({ event: fields, alarm: fields });
const unit: TrapFields = { device, text };
const probe = (subject: 'temperature' | 'humidity', index: string): TrapFields => ({
  device: sensorDevice,
  sensorIndex: field(`${ENV2}.${index}.1.1`, `envir2${subject === 'temperature' ? 'Temperature' : 'Humidity'}Index`),
  text,
});

export const cyberpowerEpdu2Traps: TrapTable = {
  id: 'cyberpower-epdu2',
  vendor: 'CyberPower ePDU2',
  mib: { module: 'CPS-MIB', files: ['CPS-MIB'] },
  traps: [
    // envir2Temperature is in the unit envir2TempUnit sets, which the trap does not carry: the
    // reading stays in msg.snmp, not in the event's value.
    ...triple(253, 'envTemperature', 'temperature', same(probe('temperature', '2.3'))),
    ...triple(256, 'envHumidity', 'humidity', same({
      ...probe('humidity', '3.2'),
      // Hundredths of a percent.
      value: field(`${ENV2}.3.2.1.3`, 'envir2Humidity', { scale: 0.01 }),
    })),
    ...triple(259, 'envContact', 'sensor', same({
      device: sensorDevice,
      sensorIndex: field(`${ENV2}.4.2.1.1`, 'envir2ContactIndex'),
      sensorName: field(`${ENV2}.4.2.1.4`, 'envir2ContactName'),
      text,
    })),
    ...triple(400, 'pduDevice', 'device', same(unit)),
    ...triple(403, 'pduPhase', 'input', {
      event: numbered(`${E2}.4.2.1`, 'ePDU2PhaseConfigNumber'), alarm: numbered(`${E2}.4.4.1`, 'ePDU2PhaseStatusNumber'),
    }),
    ...triple(406, 'pduBank', 'input', {
      event: numbered(`${E2}.5.2.1`, 'ePDU2BankConfigNumber'), alarm: numbered(`${E2}.5.4.1`, 'ePDU2BankStatusNumber'),
    }),
    ...triple(409, 'pduOutletSwitched', 'outlet', {
      event: outlet(`${E2}.6.1.5.1`, 'Switched', 'Control'), alarm: outlet(`${E2}.6.1.4.1`, 'Switched', 'Status'),
    }),
    ...triple(412, 'pduOutletMetered', 'outlet', {
      event: outlet(`${E2}.6.2.2.1`, 'Metered', 'Config'), alarm: outlet(`${E2}.6.2.4.1`, 'Metered', 'Status'),
    }),
    ...triple(415, 'pduDaisyChain', 'device', same(unit)),
    trap(418, 'pduOutletMonitoredEvent', undefined, outlet(`${E2}.6.3.2.1`, 'Monitored', 'Config'), { subject: 'outlet', severity: 'info' }),
    // An ATS-capable ePDU2's input sources.
    ...triple(419, 'pduSource', 'device', same(unit)),
  ],
  objects: {
    [`${E2}.2.2.1.10`]: 'ePDU2IdentSerialNumber',
    [`${ENV2}.1.2.1.5`]: 'envir2IdentSerialNumber',
    [`${ENV2}.1.2.1.4`]: 'envir2IdentLocation',
    [`${ENV2}.2.3.1.3`]: 'envir2Temperature',
  },
};
