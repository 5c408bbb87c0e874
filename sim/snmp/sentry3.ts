import * as snmp from 'net-snmp';
import {
  ACTION, controlState, outletAction, powerAction, runSentry, sensedAmps, sensedOn, startSentryChain, tenthsOfDegree,
  type ChainOutlet,
} from './sentry-chain';
import type { SimDevice, SimDeviceOptions } from './sim-device';
import { INT, simScalar, SimTable, STR } from './table';

// A Sentry Switched CDU as an SNMP agent, written from Sentry3-MIB object by object: a chain of
// towers A.. (master and links) with one input feed each, outlets with per-outlet power sensing,
// and on each tower an environmental monitor with two temperature/humidity ports, of which only
// A1 has a probe plugged in.
const SENTRY3 = '1.3.6.1.4.1.1718.3';
const SYSTEM = `${SENTRY3}.1`;
const TABLES = `${SENTRY3}.2`;

/** outletStatus */
const STATUS = { off: 0, on: 1, offError: 4, onError: 5, noComm: 6 };
/** outletControlState */
const CONTROL = { off: 4, on: 5, lockedOff: 6, lockedOn: 7, reboot: 8 };
/** tempHumidSensorStatus, tempHumidSensorTempStatus, tempHumidSensorHumidStatus: normal/found 0, notFound 1. */
const FOUND = 0;
const NOT_FOUND = 1;
const VOLTAGE = 208;

export interface Sentry3SimOptions extends SimDeviceOptions {
  /** Towers in the chain (1-4), one infeed each; the outlets are shared out in order. */
  towers?: number;
  /** tempHumidSensorTempScale at start: the CDU set to show Fahrenheit. */
  fahrenheit?: boolean;
}

export async function createSentry3Sim(options: Sentry3SimOptions): Promise<SimDevice> {
  const device = await startSentryChain(options, {
    towers: options.towers ?? 1,
    most: 4,
    defaultOutlets: 16,
    voltage: VOLTAGE,
    sysDescr: 'Sentry Switched CDU',
    sysObjectID: SENTRY3,
    sysName: 'sentry3-sim',
  });
  const { model, chain, byRow, sets } = device;
  const { mib } = device.started;
  let fahrenheit = options.fahrenheit ?? false;

  simScalar(mib, { name: 'systemVersion', oid: `${SYSTEM}.1`, type: STR }, 'Sentry Switched CDU Version 7.1c');
  simScalar(mib, { name: 'systemNICSerialNumber', oid: `${SYSTEM}.2`, type: STR }, 'NIC00417');
  simScalar(mib, { name: 'systemLocation', oid: `${SYSTEM}.3`, type: STR }, options.name ?? 'rack-12');
  simScalar(mib, { name: 'systemTowerCount', oid: `${SYSTEM}.4`, type: INT }, chain.length);
  simScalar(mib, { name: 'systemEnvMonCount', oid: `${SYSTEM}.5`, type: INT }, chain.length);
  simScalar(mib, { name: 'systemTotalPower', oid: `${SYSTEM}.6`, type: INT }, 0);
  // The MIB's range is 5-600 s; a test's quicker simulated reboot still reads 5.
  simScalar(mib, { name: 'systemOutletRebootDelay', oid: `${SYSTEM}.14`, type: INT },
    Math.max(5, Math.round(model.rebootDelay / 1000)));

  const towerTable = new SimTable(mib, {
    name: 'towerTable',
    oid: `${TABLES}.1.1`,
    index: [{ columnName: 'towerIndex' }],
    columns: [
      { number: 1, name: 'towerIndex', type: INT, access: 'not-accessible' },
      { number: 2, name: 'towerID', type: STR },
      { number: 3, name: 'towerName', type: STR },
      { number: 4, name: 'towerStatus', type: INT },
      { number: 5, name: 'towerInfeedCount', type: INT },
      { number: 6, name: 'towerProductSN', type: STR },
      { number: 7, name: 'towerModelNumber', type: STR },
      { number: 11, name: 'towerActivePower', type: INT },
    ],
  });
  const infeedTable = new SimTable(mib, {
    name: 'infeedTable',
    oid: `${TABLES}.2.1`,
    index: [{ columnName: 'towerIndex' }, { columnName: 'infeedIndex' }],
    columns: [
      { number: 1, name: 'infeedIndex', type: INT, access: 'not-accessible' },
      { number: 2, name: 'infeedID', type: STR },
      { number: 3, name: 'infeedName', type: STR },
      { number: 5, name: 'infeedStatus', type: INT },
      { number: 6, name: 'infeedLoadStatus', type: INT },
      { number: 7, name: 'infeedLoadValue', type: INT },
      { number: 9, name: 'infeedOutletCount', type: INT },
      { number: 10, name: 'infeedCapacity', type: INT },
      { number: 11, name: 'infeedVoltage', type: INT },
      { number: 12, name: 'infeedPower', type: INT },
    ],
  });

  const outletTable = new SimTable(mib, {
    name: 'outletTable',
    log: sets,
    oid: `${TABLES}.3.1`,
    index: [{ columnName: 'towerIndex' }, { columnName: 'infeedIndex' }, { columnName: 'outletIndex' }],
    columns: [
      { number: 1, name: 'outletIndex', type: INT, access: 'not-accessible' },
      { number: 2, name: 'outletID', type: STR },
      { number: 3, name: 'outletName', type: STR, access: 'read-write' },
      { number: 5, name: 'outletStatus', type: INT },
      { number: 6, name: 'outletLoadStatus', type: INT },
      { number: 7, name: 'outletLoadValue', type: INT },
      { number: 10, name: 'outletControlState', type: INT },
      { number: 11, name: 'outletControlAction', type: INT, access: 'read-write' },
      { number: 13, name: 'outletVoltage', type: INT },
      { number: 14, name: 'outletPower', type: INT },
    ],
    onSet: (column, row, value, commit) => {
      const place = byRow.get(row);
      if (column === 3 && place) {
        if (commit) place.outlet.name = String(value);
        return undefined;
      }
      if (column !== 11) return snmp.ErrorStatus.NotWritable;
      return outletAction(place, value, commit, Object.values(ACTION), (outlet, action) => {
        powerAction(model, outlet, action);
        // A get of the action answers none(0); restore it once this SET has been committed.
        setImmediate(sync);
      });
    },
  });

  const envMonTable = new SimTable(mib, {
    name: 'envMonTable',
    oid: `${TABLES}.4.1`,
    index: [{ columnName: 'envMonIndex' }],
    columns: [
      { number: 1, name: 'envMonIndex', type: INT, access: 'not-accessible' },
      { number: 2, name: 'envMonID', type: STR },
      { number: 3, name: 'envMonName', type: STR },
      { number: 4, name: 'envMonStatus', type: INT },
      { number: 12, name: 'envMonTempHumidSensorCount', type: INT },
      { number: 13, name: 'envMonContactClosureCount', type: INT },
    ],
  });
  const sensorTable = new SimTable(mib, {
    name: 'tempHumidSensorTable',
    log: sets,
    oid: `${TABLES}.5.1`,
    index: [{ columnName: 'envMonIndex' }, { columnName: 'tempHumidSensorIndex' }],
    columns: [
      { number: 1, name: 'tempHumidSensorIndex', type: INT, access: 'not-accessible' },
      { number: 2, name: 'tempHumidSensorID', type: STR },
      { number: 3, name: 'tempHumidSensorName', type: STR },
      { number: 4, name: 'tempHumidSensorStatus', type: INT },
      { number: 5, name: 'tempHumidSensorTempStatus', type: INT },
      { number: 6, name: 'tempHumidSensorTempValue', type: INT },
      { number: 9, name: 'tempHumidSensorHumidStatus', type: INT },
      { number: 10, name: 'tempHumidSensorHumidValue', type: INT },
      { number: 13, name: 'tempHumidSensorTempScale', type: INT, access: 'read-write' },
    ],
    // The scale is one setting for the whole system, whichever row is written.
    onSet: (column, _row, value, commit) => {
      if (column !== 13) return snmp.ErrorStatus.NotWritable;
      if (value !== 0 && value !== 1) return snmp.ErrorStatus.WrongValue;
      if (commit) {
        fahrenheit = value === 1;
        setImmediate(sync);
      }
      return undefined;
    },
  });

  function sync(): void {
    let totalPower = 0;
    for (const tower of chain) {
      const amps = tower.outlets.reduce((sum, { outlet }) => sum + sensedAmps(outlet), 0);
      const watts = Math.round(amps * VOLTAGE);
      totalPower += watts;
      towerTable.setRow([tower.index], {
        1: tower.index,
        2: tower.letter,
        3: tower.role,
        4: 0,
        5: 1,
        6: `ABEF000${4170 + tower.index}`,
        7: `CW-${tower.outlets.length}V2-L30M`,
        11: watts,
      });
      infeedTable.setRow([tower.index, 1], {
        1: 1,
        2: `${tower.letter}A`,
        3: `${tower.role}_Infeed_A`,
        5: 1,
        6: 0,
        7: Math.round(amps * 100),
        9: tower.outlets.length,
        10: 30,
        11: VOLTAGE * 10,
        12: watts,
      });
      for (const place of tower.outlets) outletTable.setRow([tower.index, 1, place.position], outletRow(place));
      envMonTable.setRow([tower.index], {
        1: tower.index, 2: tower.letter, 3: `${tower.role}_Env`, 4: 0, 12: 2, 13: 0,
      });
      for (const port of [1, 2]) {
        const probe = tower.index === 1 && port === 1;
        sensorTable.setRow([tower.index, port], {
          1: port,
          2: `${tower.letter}${port}`,
          3: `Temp_Humid_Sensor_${tower.letter}${port}`,
          4: probe ? FOUND : NOT_FOUND,
          5: probe ? FOUND : NOT_FOUND,
          6: probe ? tenthsOfDegree(model.temperature, fahrenheit) : -1,
          9: probe ? FOUND : NOT_FOUND,
          10: probe ? Math.round(model.humidity) : -1,
          13: fahrenheit ? 1 : 0,
        });
      }
    }
    mib.setScalarValue('systemTotalPower', totalPower);
  }

  function outletRow({ outlet, position, id }: ChainOutlet): Record<number, unknown> {
    const noComm = outlet.module === 'noResponse';
    const amps = sensedAmps(outlet);
    const status = { normal: sensedOn(outlet) ? STATUS.on : STATUS.off, noResponse: STATUS.noComm,
      onFail: STATUS.offError, offFail: STATUS.onError }[outlet.module];
    return {
      1: position,
      2: id,
      3: outlet.name,
      5: status,
      // outletLoadStatus: normal(0), notOn(1), noComm(7)
      6: noComm ? 7 : sensedOn(outlet) ? 0 : 1,
      7: noComm ? -1 : Math.round(amps * 100),
      10: controlState(outlet, CONTROL),
      11: ACTION.none,
      13: noComm ? -1 : VOLTAGE * 10,
      14: noComm ? -1 : Math.round(amps * VOLTAGE),
    };
  }

  return runSentry('sentry3', device, sync, `Sentry3 Switched CDU (SNMP, ${chain.length} tower${chain.length === 1 ? '' : 's'}, `
    + `${model.outlets.length} outlets)`);
}
