import { field } from './rules';
import type { TrapRule, TrapTable } from './trap-table';

// Raritan PX2/PX3 (PDU2-MIB). One notification per kind of sensor carries the sensor type and
// its new state; an outlet's relay is the `onOff` sensor, its current `rmsCurrent`. Readings come
// scaled by the sensor's decimal digits, which the trap does not carry, so the event has no value
// (the raw reading stays in msg.snmp).

const R = '1.3.6.1.4.1.13742.6';
const rTrap = (n: number): string => `${R}.0.${n}`;

/** SensorStateEnumeration (PDU2-MIB). */
const STATE: Record<number, string> = {
  [-1]: 'unavailable', 0: 'open', 1: 'closed', 2: 'belowLowerCritical', 3: 'belowLowerWarning', 4: 'normal',
  5: 'aboveUpperWarning', 6: 'aboveUpperCritical', 7: 'on', 8: 'off', 9: 'detected', 10: 'notDetected', 11: 'alarmed',
  12: 'ok', 14: 'fail', 15: 'yes', 16: 'no', 17: 'standby', 18: 'one', 19: 'two', 20: 'inSync', 21: 'outOfSync',
  22: 'i1OpenFault', 23: 'i1ShortFault', 24: 'i2OpenFault', 25: 'i2ShortFault', 26: 'fault', 27: 'warning', 28: 'critical',
  29: 'selfTest', 30: 'nonRedundant',
};
/** The SensorTypeEnumeration values these traps are read for. */
const TYPE: Record<number, string> = { 1: 'rmsCurrent', 10: 'temperature', 11: 'humidity', 14: 'onOff' };

const device = field(`${R}.3.2.2.1.13`, 'pduName');
const sensorType = field(`${R}.0.0.10`, 'typeOfSensor', { enum: TYPE });
const previous = field(`${R}.0.0.2`, 'oldSensorState', { enum: STATE });

/** High/Low/Normal for one sensor type, warning and critical thresholds alike. */
function levels(type: string, family: string): TrapRule[] {
  return [
    { when: { sensorType: type, status: 'aboveUpperCritical' }, event: `${family}High`, severity: 'critical' },
    { when: { sensorType: type, status: 'aboveUpperWarning' }, event: `${family}High`, severity: 'warning' },
    { when: { sensorType: type, status: 'belowLowerCritical' }, event: `${family}Low`, severity: 'critical' },
    { when: { sensorType: type, status: 'belowLowerWarning' }, event: `${family}Low`, severity: 'warning' },
    { when: { sensorType: type, status: 'normal' }, event: `${family}Normal` },
  ];
}

export const raritanTraps: TrapTable = {
  id: 'raritan-pdu2',
  vendor: 'Raritan (Legrand) PX2/PX3',
  mib: { module: 'PDU2-MIB', files: ['SNMP-FRAMEWORK-MIB', 'INET-ADDRESS-MIB', 'PDU2-MIB'] },
  traps: [
    { oid: rTrap(1), name: 'systemStarted', event: 'deviceStart', subject: 'device', fields: { device } },
    { oid: rTrap(2), name: 'systemReset', event: 'deviceStart', subject: 'device', fields: { device } },
    {
      oid: rTrap(23),
      name: 'powerControl',
      subject: 'outlet',
      event: [
        { when: { control: 'on' }, event: 'outletOn' },
        { when: { control: 'off' }, event: 'outletOff' },
        { when: { control: 'cycle' }, event: 'outletReboot' },
      ],
      fields: {
        device,
        outletId: field(`${R}.3.5.3.1.2`, 'outletLabel'),
        outletIndex: field(`${R}.3.5.3.1.2`, 'outletLabel', { from: 'index' }),
        status: field(`${R}.5.4.3.1.3`, 'measurementsOutletSensorState', { enum: STATE }),
        control: field(`${R}.4.1.2.1.2`, 'switchingOperation', { enum: { 0: 'off', 1: 'on', 2: 'cycle' } }),
      },
    },
    {
      oid: rTrap(61),
      name: 'inletSensorStateChange',
      subject: 'input',
      event: levels('rmsCurrent', 'inputLoad'),
      fields: {
        device,
        sensorId: field(`${R}.3.3.3.1.2`, 'inletLabel'),
        sensorIndex: field(`${R}.3.3.3.1.2`, 'inletLabel', { from: 'index' }),
        sensorType,
        status: field(`${R}.5.2.3.1.3`, 'measurementsInletSensorState', { enum: STATE }),
        previous,
      },
    },
    {
      oid: rTrap(63),
      name: 'outletSensorStateChange',
      subject: 'outlet',
      event: [
        { when: { sensorType: 'onOff', status: 'on' }, event: 'outletOn' },
        { when: { sensorType: 'onOff', status: 'off' }, event: 'outletOff' },
        ...levels('rmsCurrent', 'load'),
      ],
      fields: {
        device,
        outletId: field(`${R}.3.5.3.1.2`, 'outletLabel'),
        outletIndex: field(`${R}.3.5.3.1.2`, 'outletLabel', { from: 'index' }),
        sensorType,
        status: field(`${R}.5.4.3.1.3`, 'measurementsOutletSensorState', { enum: STATE }),
        previous,
      },
    },
    {
      oid: rTrap(66),
      name: 'externalSensorStateChange',
      subject: 'sensor',
      event: [...levels('temperature', 'temperature'), ...levels('humidity', 'humidity')],
      fields: {
        device,
        sensorIndex: field(`${R}.0.0.8`, 'externalSensorNumber'),
        sensorName: field(`${R}.3.6.3.1.4`, 'externalSensorName'),
        sensorType,
        status: field(`${R}.5.5.3.1.3`, 'measurementsExternalSensorState', { enum: STATE }),
        previous,
      },
    },
  ],
};
