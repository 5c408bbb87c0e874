import { SENSE_FAIL, type SnmpProfile } from './snmp-profile';

// ServerTech Sentry fourth generation: PRO1 and PRO2 Smart and Switched PDUs; Sentry4-MIB. A
// chain of units (A primary, B.. links), each with input cords; the outlet tables (config,
// monitor, control) share the index unit.cord.outlet, so an outlet is numbered by its place in
// the whole chain (table order) and the vendor's id says where it is (`BA3`). Loads are read per
// phase, the table that carries current, voltage and power together.
const ST4 = '1.3.6.1.4.1.1718.4.1';
const PHASE_CONFIG = `${ST4}.5.2.1`;
const PHASE_MONITOR = `${ST4}.5.3.1`;
const OUTLET_CONFIG = `${ST4}.8.2.1`;
const OUTLET_MONITOR = `${ST4}.8.3.1`;
const OUTLET_CONTROL = `${ST4}.8.5.1`;
const TEMPERATURE = `${ST4}.9`;
const HUMIDITY = `${ST4}.10`;

const controlAction = { oid: `${OUTLET_CONTROL}.2`, object: 'st4OutletControlAction' };

export const sentry4: SnmpProfile = {
  id: 'sentry4',
  vendor: 'Server Technology',
  model: 'Sentry PRO1/PRO2 PDU (Sentry4)',
  mib: { module: 'Sentry4-MIB', files: ['Sentry4-MIB'] },
  detect: { sysObjectID: ['1.3.6.1.4.1.1718.4'] },
  // st4OutletControlAction reboot(3) keeps the outlet off for st4OutletRebootDelay (5-600 s).
  nativeReboot: true,
  outlets: {
    rows: { oid: `${OUTLET_CONFIG}.2`, object: 'st4OutletID' },
    name: { oid: `${OUTLET_CONFIG}.3`, object: 'st4OutletName' },
    id: { oid: `${OUTLET_CONFIG}.2`, object: 'st4OutletID' },
    // DeviceState: the outlet's operating (sensed) state.
    state: { oid: `${OUTLET_MONITOR}.1`, object: 'st4OutletState', map: { 0: 'unknown', 1: 'on', 2: 'off' } },
    // DeviceStatus: reading/settling is normal operation; a tripped breaker or blown fuse leaves an
    // outlet that is set on without power; pwrError is a sense failure named from the state.
    // Threshold states (14-20) are the thresholds' business, not the module's.
    module: {
      oid: `${OUTLET_MONITOR}.2`,
      object: 'st4OutletStatus',
      map: {
        0: 'normal', 1: 'normal', 2: 'normal', 5: 'normal', 6: 'normal',
        7: 'noResponse', 8: 'noResponse', 10: 'noResponse',
        11: SENSE_FAIL, 12: 'onFail', 13: 'onFail',
      },
    },
    current: { oid: `${OUTLET_MONITOR}.3`, object: 'st4OutletCurrent', scale: 0.01, invalid: [-1] },
    power: { oid: `${OUTLET_MONITOR}.7`, object: 'st4OutletActivePower', invalid: [-1] },
    control: {
      on: { ...controlAction, value: 1 },
      off: { ...controlAction, value: 2 },
      reboot: { ...controlAction, value: 3 },
    },
  },
  inputs: {
    // Rows are found by the monitor table, which carries the readings: a recorded PDU answered
    // them without its configuration table's st4PhaseID.
    rows: { oid: `${PHASE_MONITOR}.1`, object: 'st4PhaseState' },
    name: { oid: `${PHASE_CONFIG}.2`, object: 'st4PhaseID' },
    altName: { oid: `${PHASE_CONFIG}.4`, object: 'st4PhaseLabel' },
    current: { oid: `${PHASE_MONITOR}.6`, object: 'st4PhaseCurrent', scale: 0.01, invalid: [-1] },
    power: { oid: `${PHASE_MONITOR}.8`, object: 'st4PhaseActivePower', invalid: [-1] },
    voltage: { oid: `${PHASE_MONITOR}.3`, object: 'st4PhaseVoltage', scale: 0.1, invalid: [-1] },
    label: 'Phase',
  },
  sensors: {
    temperature: {
      rows: { oid: `${TEMPERATURE}.2.1.2`, object: 'st4TempSensorID' },
      name: { oid: `${TEMPERATURE}.2.1.3`, object: 'st4TempSensorName' },
      // -410 is the MIB's "reading invalid" (an empty sensor port); -1 is -0.1 degrees.
      value: { oid: `${TEMPERATURE}.3.1.1`, object: 'st4TempSensorValue', scale: 0.1, invalid: [-410] },
      // One scale for the whole system, a scalar.
      fahrenheitWhen: { column: { oid: `${TEMPERATURE}.1.10`, object: 'st4TempSensorScale', scalar: true }, value: 1 },
    },
    humidity: {
      rows: { oid: `${HUMIDITY}.2.1.2`, object: 'st4HumidSensorID' },
      name: { oid: `${HUMIDITY}.2.1.3`, object: 'st4HumidSensorName' },
      value: { oid: `${HUMIDITY}.3.1.1`, object: 'st4HumidSensorValue', invalid: [-1] },
    },
  },
};
