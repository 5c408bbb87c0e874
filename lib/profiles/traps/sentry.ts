import { field, levelRules } from './rules';
import type { TrapField, TrapTable } from './trap-table';

// ServerTech Sentry traps. Sentry2-MIB is the MIB of US patent 7,099,934 (Table X): thirteen notifications,
// each carrying the chain location, then the board or port, its name and the reading as text.
// Sentry3-MIB and Sentry4-MIB traps carry the location, the object's id and name, its status
// enumeration, the reading and ServerTech's own event text.

const S2 = '1.3.6.1.4.1.1718.2';
const S2_BOARD = `${S2}.1.3.1`;
const S2_PORT = `${S2}.1.4.1`;
const s2Location = field(`${S2}.1.1`, 'sentry2ChainLocation');
/** Ports and boards are named by the instance of their name varbind: `.65.49` is port A1. */
const s2Port = {
  device: s2Location,
  outletId: field(`${S2_PORT}.3`, 'sentry2PortDeviceName', { from: 'ascii', prefix: '.' }),
  outletIndex: field(`${S2_PORT}.3`, 'sentry2PortDeviceName', { from: 'ascii', chain: { portsPerBoard: 4 } }),
  outletName: field(`${S2_PORT}.3`, 'sentry2PortDeviceName'),
};
const s2Board = {
  device: s2Location,
  sensorId: field(`${S2_BOARD}.2`, 'sentry2BoardPageName', { from: 'ascii' }),
  sensorIndex: field(`${S2_BOARD}.2`, 'sentry2BoardPageName', { from: 'ascii', chain: {} }),
  sensorName: field(`${S2_BOARD}.2`, 'sentry2BoardPageName'),
};
const s2Temperature = { ...s2Board, value: field(`${S2_BOARD}.4`, 'sentry2BoardTemperature', { text: true }) };
const s2InputLoad = { ...s2Board, value: field(`${S2_BOARD}.5`, 'sentry2BoardInputLoad', { text: true }) };
const s2Load = { ...s2Port, value: field(`${S2_PORT}.6`, 'sentry2PortDeviceLoad', { text: true }) };
const s2Trap = (n: number): string => `${S2}.100.0.${n}`;

export const sentry2Traps: TrapTable = {
  id: 'sentry2',
  vendor: 'Server Technology Sentry (2nd generation)',
  mib: { module: 'Sentry2-MIB', files: ['Sentry2-MIB'] },
  objects: { [`${S2_BOARD}.1`]: 'sentry2BoardIndex', [`${S2_PORT}.1`]: 'sentry2PortIndex' },
  traps: [
    { oid: s2Trap(1), name: 'sentry2ChainStart', event: 'deviceStart', subject: 'device', fields: { device: s2Location } },
    { oid: s2Trap(2), name: 'sentry2BoardTemperatureHighError', event: 'temperatureHigh', subject: 'temperature', fields: s2Temperature },
    { oid: s2Trap(3), name: 'sentry2BoardTemperatureLowError', event: 'temperatureLow', subject: 'temperature', fields: s2Temperature },
    { oid: s2Trap(4), name: 'sentry2BoardTemperatureNormal', event: 'temperatureNormal', subject: 'temperature', fields: s2Temperature },
    {
      oid: s2Trap(5),
      name: 'sentry2PortControlStatusChange',
      // The Power Control Screen's words; anything else (a transient state) keeps the trap's name.
      event: [{ when: { status: 'On' }, event: 'outletOn' }, { when: { status: 'Off' }, event: 'outletOff' }],
      subject: 'outlet',
      fields: { ...s2Port, status: field(`${S2_PORT}.4`, 'sentry2PortControlStatus') },
    },
    { oid: s2Trap(6), name: 'sentry2PortModuleStatusError', event: 'moduleError', subject: 'outlet', fields: { ...s2Port, status: field(`${S2_PORT}.5`, 'sentry2PortModuleStatus') } },
    { oid: s2Trap(7), name: 'sentry2PortModuleStatusNormal', event: 'moduleNormal', subject: 'outlet', fields: { ...s2Port, status: field(`${S2_PORT}.5`, 'sentry2PortModuleStatus') } },
    { oid: s2Trap(8), name: 'sentry2PortDeviceLoadHighError', event: 'loadHigh', subject: 'outlet', fields: s2Load },
    { oid: s2Trap(9), name: 'sentry2PortDeviceLoadLowError', event: 'loadLow', subject: 'outlet', fields: s2Load },
    { oid: s2Trap(10), name: 'sentry2PortDeviceLoadNormal', event: 'loadNormal', subject: 'outlet', fields: s2Load },
    { oid: s2Trap(11), name: 'sentry2BoardInputLoadHighError', event: 'inputLoadHigh', subject: 'input', fields: s2InputLoad },
    { oid: s2Trap(12), name: 'sentry2BoardInputLoadLowError', event: 'inputLoadLow', subject: 'input', fields: s2InputLoad },
    { oid: s2Trap(13), name: 'sentry2BoardInputLoadNormal', event: 'inputLoadNormal', subject: 'input', fields: s2InputLoad },
  ],
};

// Sentry3: rows are tower.infeed.outlet; the outlet number is the last arc of the row.
const S3 = '1.3.6.1.4.1.1718.3';
const S3_OUTLET = `${S3}.2.3.1`;
const S3_INFEED = `${S3}.2.2.1`;
const S3_SENSOR = `${S3}.2.5.1`;
const s3Common = {
  device: field(`${S3}.1.3`, 'systemLocation'),
  text: field(`${S3}.99.1`, 'eventStatusText'),
};
const s3Outlet = {
  ...s3Common,
  outletId: field(`${S3_OUTLET}.2`, 'outletID'),
  outletIndex: field(`${S3_OUTLET}.2`, 'outletID', { from: 'index' }),
  outletName: field(`${S3_OUTLET}.3`, 'outletName'),
};
const S3_OUTLET_STATUS: Record<number, string> = {
  0: 'off', 1: 'on', 2: 'offWait', 3: 'onWait', 4: 'offError', 5: 'onError', 6: 'noComm', 7: 'reading', 8: 'offFuse', 9: 'onFuse',
};
const S3_LOAD_STATUS: Record<number, string> = {
  0: 'normal', 1: 'notOn', 2: 'reading', 3: 'loadLow', 4: 'loadHigh', 5: 'overLoad', 6: 'readError', 7: 'noComm',
};
const S3_SCALE: Record<number, string> = { 0: 'celsius', 1: 'fahrenheit' };
const s3OutletStatus = field(`${S3_OUTLET}.5`, 'outletStatus', { enum: S3_OUTLET_STATUS });
const s3OutletRules = [
  { when: { status: 'on' }, event: 'outletOn' },
  { when: { status: 'off' }, event: 'outletOff' },
  { when: { status: ['offError', 'onError', 'noComm', 'offFuse', 'onFuse'] }, event: 'moduleError' },
];
const s3Sensor = (value: TrapField, status: TrapField, low: TrapField, high: TrapField) => ({
  ...s3Common,
  sensorId: field(`${S3_SENSOR}.2`, 'tempHumidSensorID'),
  sensorIndex: field(`${S3_SENSOR}.2`, 'tempHumidSensorID', { from: 'index' }),
  sensorName: field(`${S3_SENSOR}.3`, 'tempHumidSensorName'),
  value, status, thresholdLow: low, thresholdHigh: high,
});
const s3Trap = (n: number): string => `${S3}.100.0.${n}`;

export const sentry3Traps: TrapTable = {
  id: 'sentry3',
  vendor: 'Server Technology Sentry3',
  mib: { module: 'Sentry3-MIB', files: ['Sentry3-MIB'] },
  traps: [
    {
      oid: s3Trap(3),
      name: 'infeedLoadEvent',
      subject: 'input',
      event: levelRules('inputLoad', { high: ['overLoad'], highWarning: ['loadHigh'], lowWarning: ['loadLow'], normal: ['normal'] }),
      fields: {
        ...s3Common,
        sensorId: field(`${S3_INFEED}.2`, 'infeedID'),
        sensorIndex: field(`${S3_INFEED}.2`, 'infeedID', { from: 'index' }),
        sensorName: field(`${S3_INFEED}.3`, 'infeedName'),
        status: field(`${S3_INFEED}.6`, 'infeedLoadStatus', { enum: S3_LOAD_STATUS }),
        value: field(`${S3_INFEED}.7`, 'infeedLoadValue', { scale: 0.01, invalid: [-1] }),
        thresholdHigh: field(`${S3_INFEED}.8`, 'infeedLoadHighThresh'),
      },
    },
    { oid: s3Trap(4), name: 'outletStatusEvent', subject: 'outlet', event: s3OutletRules, fields: { ...s3Outlet, status: s3OutletStatus } },
    {
      oid: s3Trap(5),
      name: 'outletLoadEvent',
      subject: 'outlet',
      event: levelRules('load', { high: ['overLoad'], highWarning: ['loadHigh'], lowWarning: ['loadLow'], normal: ['normal'] }),
      fields: {
        ...s3Outlet,
        status: field(`${S3_OUTLET}.6`, 'outletLoadStatus', { enum: S3_LOAD_STATUS }),
        value: field(`${S3_OUTLET}.7`, 'outletLoadValue', { scale: 0.01, invalid: [-1] }),
        thresholdLow: field(`${S3_OUTLET}.8`, 'outletLoadLowThresh'),
        thresholdHigh: field(`${S3_OUTLET}.9`, 'outletLoadHighThresh'),
      },
    },
    {
      oid: s3Trap(6),
      name: 'outletChangeEvent',
      subject: 'outlet',
      event: [{ when: { control: ['reboot', 'eventReboot'] }, event: 'outletReboot' }, ...s3OutletRules],
      fields: {
        ...s3Outlet,
        status: s3OutletStatus,
        control: field(`${S3_OUTLET}.10`, 'outletControlState', {
          enum: { 0: 'idleOff', 1: 'idleOn', 2: 'wakeOff', 3: 'wakeOn', 4: 'off', 5: 'on', 6: 'lockedOff', 7: 'lockedOn', 8: 'reboot', 9: 'shutdown', 10: 'pendOn', 11: 'pendOff', 12: 'minimumOff', 13: 'minimumOn', 14: 'eventOff', 15: 'eventOn', 16: 'eventReboot', 17: 'eventShutdown' },
        }),
      },
    },
    {
      oid: s3Trap(11),
      name: 'tempHumidSensorTempEvent',
      subject: 'temperature',
      event: levelRules('temperature', { high: ['tempHigh'], lowWarning: ['tempLow'], normal: ['normal'] }),
      fahrenheitWhen: { field: 'scale', is: 'fahrenheit' },
      fields: {
        ...s3Sensor(
          field(`${S3_SENSOR}.6`, 'tempHumidSensorTempValue', { scale: 0.1, invalid: [-1] }),
          field(`${S3_SENSOR}.5`, 'tempHumidSensorTempStatus', { enum: { 0: 'normal', 1: 'notFound', 2: 'reading', 3: 'tempLow', 4: 'tempHigh', 5: 'readError', 6: 'lost', 7: 'noComm' } }),
          field(`${S3_SENSOR}.7`, 'tempHumidSensorTempLowThresh'),
          field(`${S3_SENSOR}.8`, 'tempHumidSensorTempHighThresh'),
        ),
        scale: field(`${S3_SENSOR}.13`, 'tempHumidSensorTempScale', { enum: S3_SCALE }),
      },
    },
    {
      oid: s3Trap(12),
      name: 'tempHumidSensorHumidEvent',
      subject: 'humidity',
      event: levelRules('humidity', { highWarning: ['humidHigh'], lowWarning: ['humidLow'], normal: ['normal'] }),
      fields: s3Sensor(
        field(`${S3_SENSOR}.10`, 'tempHumidSensorHumidValue', { invalid: [-1] }),
        field(`${S3_SENSOR}.9`, 'tempHumidSensorHumidStatus', { enum: { 0: 'normal', 1: 'notFound', 2: 'reading', 3: 'humidLow', 4: 'humidHigh', 5: 'readError', 6: 'lost', 7: 'noComm' } }),
        field(`${S3_SENSOR}.11`, 'tempHumidSensorHumidLowThresh'),
        field(`${S3_SENSOR}.12`, 'tempHumidSensorHumidHighThresh'),
      ),
    },
  ],
};

// Sentry4: rows are unit.cord.outlet (or unit.sensor); statuses share the DeviceStatus enumeration.
const S4 = '1.3.6.1.4.1.1718.4.1';
const DEVICE_STATUS: Record<number, string> = {
  0: 'normal', 1: 'disabled', 2: 'purged', 5: 'reading', 6: 'settle', 7: 'notFound', 8: 'lost', 9: 'readError', 10: 'noComm',
  11: 'pwrError', 12: 'breakerTripped', 13: 'fuseBlown', 14: 'lowAlarm', 15: 'lowWarning', 16: 'highWarning', 17: 'highAlarm',
  18: 'alarm', 19: 'underLimit', 20: 'overLimit', 21: 'nvmFail', 22: 'profileError', 23: 'conflict',
};
const s4Levels = { high: ['highAlarm', 'overLimit'], highWarning: ['highWarning'], low: ['lowAlarm', 'underLimit'], lowWarning: ['lowWarning'], normal: ['normal'] };
const s4Common = {
  device: field(`${S4}.1.1.2`, 'st4SystemLocation'),
  text: field(`${S4}.99.1`, 'st4EventStatusText'),
};
const s4Outlet = {
  ...s4Common,
  outletId: field(`${S4}.8.2.1.2`, 'st4OutletID'),
  outletIndex: field(`${S4}.8.2.1.2`, 'st4OutletID', { from: 'index' }),
  outletName: field(`${S4}.8.2.1.3`, 'st4OutletName'),
};
const s4OutletState = {
  ...s4Outlet,
  status: field(`${S4}.8.3.1.1`, 'st4OutletState', { enum: { 0: 'unknown', 1: 'on', 2: 'off' } }),
  control: field(`${S4}.8.5.1.1`, 'st4OutletControlState', {
    enum: { 0: 'notSet', 1: 'fixedOn', 2: 'idleOff', 3: 'idleOn', 4: 'wakeOff', 5: 'wakeOn', 6: 'ocpOff', 7: 'ocpOn', 8: 'pendOn', 9: 'pendOff', 10: 'off', 11: 'on', 12: 'reboot', 13: 'shutdown', 14: 'lockedOff', 15: 'lockedOn', 16: 'eventOff', 17: 'eventOn', 18: 'eventReboot', 19: 'eventShutdown' },
  }),
};
const s4Trap = (n: number): string => `1.3.6.1.4.1.1718.4.100.0.${n}`;

export const sentry4Traps: TrapTable = {
  id: 'sentry4',
  vendor: 'Server Technology Sentry4',
  mib: { module: 'Sentry4-MIB', files: ['Sentry4-MIB'] },
  traps: [
    {
      oid: s4Trap(8),
      name: 'st4LineCurrentEvent',
      subject: 'input',
      event: levelRules('inputLoad', s4Levels),
      fields: {
        ...s4Common,
        sensorId: field(`${S4}.4.2.1.2`, 'st4LineID'),
        sensorIndex: field(`${S4}.4.2.1.2`, 'st4LineID', { from: 'index' }),
        sensorName: field(`${S4}.4.2.1.4`, 'st4LineLabel'),
        value: field(`${S4}.4.3.1.3`, 'st4LineCurrent', { scale: 0.01, invalid: [-1] }),
        status: field(`${S4}.4.3.1.4`, 'st4LineCurrentStatus', { enum: DEVICE_STATUS }),
      },
    },
    {
      oid: s4Trap(15),
      name: 'st4OutletStatusEvent',
      subject: 'outlet',
      event: [
        { when: { status: ['pwrError', 'breakerTripped', 'fuseBlown', 'noComm', 'lost', 'readError', 'alarm'] }, event: 'moduleError' },
        { when: { status: 'normal' }, event: 'moduleNormal' },
      ],
      fields: { ...s4Outlet, status: field(`${S4}.8.3.1.2`, 'st4OutletStatus', { enum: DEVICE_STATUS }) },
    },
    {
      oid: s4Trap(16),
      name: 'st4OutletStateChangeEvent',
      subject: 'outlet',
      event: [
        { when: { control: ['reboot', 'eventReboot'] }, event: 'outletReboot' },
        { when: { status: 'on' }, event: 'outletOn' },
        { when: { status: 'off' }, event: 'outletOff' },
      ],
      fields: s4OutletState,
    },
    {
      oid: s4Trap(17),
      name: 'st4OutletCurrentEvent',
      subject: 'outlet',
      event: levelRules('load', s4Levels),
      fields: {
        ...s4Outlet,
        value: field(`${S4}.8.3.1.3`, 'st4OutletCurrent', { scale: 0.01, invalid: [-1] }),
        status: field(`${S4}.8.3.1.4`, 'st4OutletCurrentStatus', { enum: DEVICE_STATUS }),
      },
    },
    {
      oid: s4Trap(20),
      name: 'st4TempSensorEvent',
      subject: 'temperature',
      event: levelRules('temperature', s4Levels),
      fahrenheitWhen: { field: 'scale', is: 'fahrenheit' },
      fields: {
        ...s4Common,
        sensorId: field(`${S4}.9.2.1.2`, 'st4TempSensorID'),
        sensorIndex: field(`${S4}.9.2.1.2`, 'st4TempSensorID', { from: 'index' }),
        sensorName: field(`${S4}.9.2.1.3`, 'st4TempSensorName'),
        value: field(`${S4}.9.3.1.1`, 'st4TempSensorValue', { scale: 0.1, invalid: [-410] }),
        status: field(`${S4}.9.3.1.2`, 'st4TempSensorStatus', { enum: DEVICE_STATUS }),
        scale: field(`${S4}.9.1.10`, 'st4TempSensorScale', { enum: { 0: 'celsius', 1: 'fahrenheit' } }),
      },
    },
    {
      oid: s4Trap(21),
      name: 'st4HumidSensorEvent',
      subject: 'humidity',
      event: levelRules('humidity', { ...s4Levels, high: [], highWarning: ['highAlarm', 'highWarning', 'overLimit'], low: [], lowWarning: ['lowAlarm', 'lowWarning', 'underLimit'] }),
      fields: {
        ...s4Common,
        sensorId: field(`${S4}.10.2.1.2`, 'st4HumidSensorID'),
        sensorIndex: field(`${S4}.10.2.1.2`, 'st4HumidSensorID', { from: 'index' }),
        sensorName: field(`${S4}.10.2.1.3`, 'st4HumidSensorName'),
        value: field(`${S4}.10.3.1.1`, 'st4HumidSensorValue', { invalid: [-1] }),
        status: field(`${S4}.10.3.1.2`, 'st4HumidSensorStatus', { enum: DEVICE_STATUS }),
      },
    },
  ],
};
