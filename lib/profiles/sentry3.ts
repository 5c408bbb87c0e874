import type { SnmpProfile } from './snmp-profile';

// ServerTech Sentry third generation: Smart and Switched CDUs (CW-/CX-/CS-), PT22/PT40
// Commanders, Switched -48 VDC; Sentry3-MIB. A chain of towers (A master, B.. links), each with
// input feeds; the outlet table is indexed tower.infeed.outlet, so an outlet is numbered by its
// place in the whole chain (table order) and the vendor's id says where it is (`BA3`: tower B,
// infeed A, outlet 3).
const SENTRY3 = '1.3.6.1.4.1.1718.3';
const INFEED = `${SENTRY3}.2.2.1`;
const OUTLET = `${SENTRY3}.2.3.1`;
const SENSOR = `${SENTRY3}.2.5.1`;

const outletStatus = { oid: `${OUTLET}.5`, object: 'outletStatus' };
const sensorId = { oid: `${SENSOR}.2`, object: 'tempHumidSensorID' };
const sensorName = { oid: `${SENSOR}.3`, object: 'tempHumidSensorName' };

export const sentry3: SnmpProfile = {
  id: 'sentry3',
  vendor: 'Server Technology',
  model: 'Sentry Smart/Switched CDU (Sentry3)',
  mib: { module: 'Sentry3-MIB', files: ['Sentry3-MIB'] },
  detect: { sysObjectID: [SENTRY3] },
  // Smart CDUs meter their outlets (when monitored at all) but do not switch them: their
  // sysDescr says `Sentry Smart CDU`, a Switched CDU's `Sentry Switched CDU`.
  meteredOnly: { sysDescr: '\\bSmart CDU\\b' },
  // The CDU manuals: GET community `public` as shipped, SET community blank until an admin sets it.
  defaults: { readCommunity: 'public' },
  // outletControlAction reboot(3) keeps the outlet off for systemOutletRebootDelay (5-600 s).
  nativeReboot: true,
  outlets: {
    rows: { oid: `${OUTLET}.2`, object: 'outletID' },
    name: { oid: `${OUTLET}.3`, object: 'outletName' },
    id: { oid: `${OUTLET}.2`, object: 'outletID' },
    // The sensed state; `xError` and `xFuse` are the sensed state with a fault, waits are in transition.
    state: {
      ...outletStatus,
      map: { 0: 'off', 1: 'on', 2: 'unknown', 3: 'unknown', 4: 'off', 5: 'on', 6: 'unknown', 7: 'unknown', 8: 'off', 9: 'on' },
    },
    // offError: set on, no current sensed; onError: set off, current sensed; a blown branch fuse
    // leaves an outlet that is set on without power (the user guides' outlet state table).
    module: {
      ...outletStatus,
      map: {
        0: 'normal', 1: 'normal', 2: 'normal', 3: 'normal', 4: 'onFail', 5: 'offFail', 6: 'noResponse', 7: 'normal',
        8: 'onFail', 9: 'onFail',
      },
    },
    current: { oid: `${OUTLET}.7`, object: 'outletLoadValue', scale: 0.01, invalid: [-1] },
    power: { oid: `${OUTLET}.14`, object: 'outletPower', invalid: [-1] },
    control: {
      on: { oid: `${OUTLET}.11`, object: 'outletControlAction', value: 1 },
      off: { oid: `${OUTLET}.11`, object: 'outletControlAction', value: 2 },
      reboot: { oid: `${OUTLET}.11`, object: 'outletControlAction', value: 3 },
    },
  },
  inputs: {
    rows: { oid: `${INFEED}.2`, object: 'infeedID' },
    name: { oid: `${INFEED}.3`, object: 'infeedName' },
    current: { oid: `${INFEED}.7`, object: 'infeedLoadValue', scale: 0.01, invalid: [-1] },
    power: { oid: `${INFEED}.12`, object: 'infeedPower', invalid: [-1] },
    voltage: { oid: `${INFEED}.11`, object: 'infeedVoltage', scale: 0.1, invalid: [-1] },
    label: 'Infeed',
  },
  // Each environmental monitor has two sensor ports; an empty one reads -1 and is left out.
  sensors: {
    temperature: {
      rows: sensorId,
      name: sensorName,
      value: { oid: `${SENSOR}.6`, object: 'tempHumidSensorTempValue', scale: 0.1, invalid: [-1] },
      fahrenheitWhen: { column: { oid: `${SENSOR}.13`, object: 'tempHumidSensorTempScale' }, value: 1 },
    },
    humidity: {
      rows: sensorId,
      name: sensorName,
      value: { oid: `${SENSOR}.10`, object: 'tempHumidSensorHumidValue', invalid: [-1] },
    },
  },
};
