import type { SnmpProfile } from './snmp-profile';

// APC Rack PDU 2G with switched outlets (AP86xx, AP89xx, AP7xxxB), PowerNet-MIB rPDU2 branch. The
// metered-only AP84xx/AP88xx answer to the same sysObjectID but list no switched outlets. Every
// table has a flat index of its own; rows carry the unit (module, the NPS display id) and the
// outlet number. Switched and metered outlets are separate tables, so the metered readings and
// the control row are found by module + number, never by index. Units chained by Network Port
// Sharing repeat the outlet numbers: their outlets are then `2:5` (unit 2, outlet 5).
const RPDU2 = '1.3.6.1.4.1.318.1.1.26';
const DEVICE_STATUS = `${RPDU2}.4.3.1`;
const PHASE_STATUS = `${RPDU2}.6.3.1`;
const SWITCHED_STATUS = `${RPDU2}.9.2.3.1`;
const SWITCHED_CONTROL = `${RPDU2}.9.2.4.1`;
const METERED_STATUS = `${RPDU2}.9.4.3.1`;
const SENSOR_STATUS = `${RPDU2}.10.2.2.1`;

/** rPDU2SensorTempHumidityStatusType: temperatureOnly(1), temperatureHumidity(2), commsLost(3), notInstalled(4). */
const SENSOR_TYPE = { oid: `${SENSOR_STATUS}.5`, object: 'rPDU2SensorTempHumidityStatusType' };

export const apcRpdu2: SnmpProfile = {
  id: 'apc-rpdu2',
  vendor: 'APC',
  model: 'Switched Rack PDU 2G (AP86xx, AP89xx, AP7xxxB)',
  mib: { module: 'PowerNet-MIB', files: ['PowerNet-MIB'] },
  // masterSwitchrPDU2 and masterSwitchrPDUB (the AP7xxxB series, which speaks rPDU2).
  detect: { sysObjectID: ['1.3.6.1.4.1.318.1.3.4.6', '1.3.6.1.4.1.318.1.3.4.8'] },
  defaults: { readCommunity: 'public', writeCommunity: 'private', trapCommunity: 'public' },
  // immediateReboot keeps the outlet off for its rPDU2OutletSwitchedConfigRebootDuration.
  nativeReboot: true,
  outlets: {
    rows: { oid: `${SWITCHED_STATUS}.3`, object: 'rPDU2OutletSwitchedStatusName' },
    name: { oid: `${SWITCHED_STATUS}.3`, object: 'rPDU2OutletSwitchedStatusName' },
    number: { oid: `${SWITCHED_STATUS}.4`, object: 'rPDU2OutletSwitchedStatusNumber' },
    key: [
      { oid: `${SWITCHED_STATUS}.2`, object: 'rPDU2OutletSwitchedStatusModule' },
      { oid: `${SWITCHED_STATUS}.4`, object: 'rPDU2OutletSwitchedStatusNumber' },
    ],
    // Unlike every other APC table: off(1), on(2).
    state: { oid: `${SWITCHED_STATUS}.5`, object: 'rPDU2OutletSwitchedStatusState', map: { 1: 'off', 2: 'on' } },
    current: { oid: `${METERED_STATUS}.6`, object: 'rPDU2OutletMeteredStatusCurrent', table: 'metered', scale: 0.1 },
    power: { oid: `${METERED_STATUS}.7`, object: 'rPDU2OutletMeteredStatusPower', table: 'metered' },
    control: {
      on: { oid: `${SWITCHED_CONTROL}.5`, object: 'rPDU2OutletSwitchedControlCommand', table: 'control', value: 1 },
      off: { oid: `${SWITCHED_CONTROL}.5`, object: 'rPDU2OutletSwitchedControlCommand', table: 'control', value: 2 },
      reboot: { oid: `${SWITCHED_CONTROL}.5`, object: 'rPDU2OutletSwitchedControlCommand', table: 'control', value: 3 },
    },
  },
  tables: {
    control: {
      key: [
        { oid: `${SWITCHED_CONTROL}.2`, object: 'rPDU2OutletSwitchedControlModule' },
        { oid: `${SWITCHED_CONTROL}.4`, object: 'rPDU2OutletSwitchedControlNumber' },
      ],
    },
    metered: {
      key: [
        { oid: `${METERED_STATUS}.2`, object: 'rPDU2OutletMeteredStatusModule' },
        { oid: `${METERED_STATUS}.4`, object: 'rPDU2OutletMeteredStatusNumber' },
      ],
    },
  },
  inputs: [
    {
      rows: { oid: `${PHASE_STATUS}.1`, object: 'rPDU2PhaseStatusIndex' },
      current: { oid: `${PHASE_STATUS}.5`, object: 'rPDU2PhaseStatusCurrent', scale: 0.1 },
      voltage: { oid: `${PHASE_STATUS}.6`, object: 'rPDU2PhaseStatusVoltage', invalid: [-1] },
      label: 'Phase',
    },
    {
      // The whole unit's power, in hundredths of kW; -1 where the model does not measure it.
      rows: { oid: `${DEVICE_STATUS}.1`, object: 'rPDU2DeviceStatusIndex' },
      name: { oid: `${DEVICE_STATUS}.3`, object: 'rPDU2DeviceStatusName' },
      power: { oid: `${DEVICE_STATUS}.5`, object: 'rPDU2DeviceStatusPower', scale: 10, invalid: [-1] },
      label: 'Rack PDU',
    },
  ],
  sensors: {
    temperature: {
      rows: { oid: `${SENSOR_STATUS}.1`, object: 'rPDU2SensorTempHumidityStatusIndex' },
      name: { oid: `${SENSOR_STATUS}.3`, object: 'rPDU2SensorTempHumidityStatusName' },
      value: { oid: `${SENSOR_STATUS}.8`, object: 'rPDU2SensorTempHumidityStatusTempC', scale: 0.1 },
      present: { column: SENSOR_TYPE, values: [1, 2] },
    },
    humidity: {
      rows: { oid: `${SENSOR_STATUS}.1`, object: 'rPDU2SensorTempHumidityStatusIndex' },
      name: { oid: `${SENSOR_STATUS}.3`, object: 'rPDU2SensorTempHumidityStatusName' },
      value: { oid: `${SENSOR_STATUS}.10`, object: 'rPDU2SensorTempHumidityStatusRelativeHumidity' },
      present: { column: SENSOR_TYPE, values: [2] },
    },
  },
};
