import * as snmp from 'net-snmp';
import {
  ACTION, controlState, outletAction, powerAction, runSentry, sensedAmps, sensedOn, startSentryChain, tenthsOfDegree,
  type ChainOutlet,
} from './sentry-chain';
import type { SimDevice, SimDeviceOptions } from './sim-device';
import { INT, simScalar, SimTable, STR } from './table';

// A Sentry Switched PDU of the PRO2 series as an SNMP agent, written from Sentry4-MIB object by
// object: a chain of units A.. (primary and links), each with one single-phase input cord, and
// on each unit two temperature and two humidity sensor ports, of which only A1 has a probe.
// Outlets are described, monitored and controlled in three tables that share one index.
const SYS_OBJECT_ID = '1.3.6.1.4.1.1718.4';
const ST4 = `${SYS_OBJECT_ID}.1`;

/** st4OutletControlAction beyond none, on, off, reboot: the same three, queued. */
const QUEUE = { on: 4, off: 5, reboot: 6 };
/** st4OutletControlState */
const CONTROL = { off: 10, on: 11, reboot: 12, lockedOff: 14, lockedOn: 15 };
/** DeviceState */
const STATE = { unknown: 0, on: 1, off: 2 };
/** DeviceStatus */
const STATUS = { normal: 0, notFound: 7, noComm: 10, pwrError: 11 };
/** st4TempSensorValue of an empty port: "the temperature reading is invalid". */
const NO_TEMPERATURE = -410;
const VOLTAGE = 230;

export interface Sentry4SimOptions extends SimDeviceOptions {
  /** Units in the chain (1-6), one input cord each; the outlets are shared out in order. */
  units?: number;
  /** st4TempSensorScale at start: the PDU set to show Fahrenheit. */
  fahrenheit?: boolean;
}

export async function createSentry4Sim(options: Sentry4SimOptions): Promise<SimDevice> {
  const device = await startSentryChain(options, {
    towers: options.units ?? 1,
    most: 6,
    defaultOutlets: 24,
    voltage: VOLTAGE,
    sysDescr: 'Sentry Switched PDU',
    sysObjectID: SYS_OBJECT_ID,
    sysName: 'sentry4-sim',
  });
  const { model, chain, byRow, sets } = device;
  const { mib } = device.started;
  let fahrenheit = options.fahrenheit ?? false;
  /** Queued actions by outlet number, done on st4OutletQueueControl commit(1). */
  const queued = new Map<number, number>();

  const system = `${ST4}.1.1`;
  simScalar(mib, { name: 'st4SystemProductName', oid: `${system}.1`, type: STR }, 'Sentry Switched PDU');
  simScalar(mib, { name: 'st4SystemLocation', oid: `${system}.2`, type: STR }, options.name ?? 'rack-14');
  simScalar(mib, { name: 'st4SystemFirmwareVersion', oid: `${system}.3`, type: STR }, 'Version 8.0p');
  simScalar(mib, { name: 'st4SystemNICSerialNumber', oid: `${system}.5`, type: STR }, 'NIC80417');
  simScalar(mib, { name: 'st4SystemProductSeries', oid: `${system}.7`, type: INT }, 1);
  simScalar(mib, { name: 'st4SystemUnitCount', oid: `${system}.21`, type: INT }, chain.length);

  const unitTable = new SimTable(mib, {
    name: 'st4UnitConfigTable',
    oid: `${ST4}.2.2.1`,
    index: [{ columnName: 'st4UnitIndex' }],
    columns: [
      { number: 1, name: 'st4UnitIndex', type: INT, access: 'not-accessible' },
      { number: 2, name: 'st4UnitID', type: STR },
      { number: 3, name: 'st4UnitName', type: STR },
      { number: 4, name: 'st4UnitProductSN', type: STR },
      { number: 5, name: 'st4UnitModel', type: STR },
      { number: 7, name: 'st4UnitType', type: INT },
      { number: 30, name: 'st4UnitInputCordCount', type: INT },
      { number: 31, name: 'st4UnitTempSensorCount', type: INT },
      { number: 32, name: 'st4UnitHumidSensorCount', type: INT },
    ],
  });
  const unitMonitor = new SimTable(mib, {
    name: 'st4UnitMonitorTable',
    oid: `${ST4}.2.3.1`,
    index: [{ columnName: 'st4UnitIndex' }],
    columns: [{ number: 1, name: 'st4UnitStatus', type: INT }],
  });
  const cordTable = new SimTable(mib, {
    name: 'st4InputCordConfigTable',
    oid: `${ST4}.3.2.1`,
    index: [{ columnName: 'st4UnitIndex' }, { columnName: 'st4InputCordIndex' }],
    columns: [
      { number: 1, name: 'st4InputCordIndex', type: INT, access: 'not-accessible' },
      { number: 2, name: 'st4InputCordID', type: STR },
      { number: 3, name: 'st4InputCordName', type: STR },
      { number: 10, name: 'st4InputCordCurrentCapacity', type: INT },
      { number: 21, name: 'st4InputCordPhaseCount', type: INT },
      { number: 24, name: 'st4InputCordOutletCount', type: INT },
    ],
  });
  const cordMonitor = new SimTable(mib, {
    name: 'st4InputCordMonitorTable',
    oid: `${ST4}.3.3.1`,
    index: [{ columnName: 'st4UnitIndex' }, { columnName: 'st4InputCordIndex' }],
    columns: [
      { number: 1, name: 'st4InputCordState', type: INT },
      { number: 2, name: 'st4InputCordStatus', type: INT },
      { number: 3, name: 'st4InputCordActivePower', type: INT },
      { number: 5, name: 'st4InputCordApparentPower', type: INT },
    ],
  });
  const phaseTable = new SimTable(mib, {
    name: 'st4PhaseConfigTable',
    oid: `${ST4}.5.2.1`,
    index: [{ columnName: 'st4UnitIndex' }, { columnName: 'st4InputCordIndex' }, { columnName: 'st4PhaseIndex' }],
    columns: [
      { number: 1, name: 'st4PhaseIndex', type: INT, access: 'not-accessible' },
      { number: 2, name: 'st4PhaseID', type: STR },
      { number: 4, name: 'st4PhaseLabel', type: STR },
      { number: 6, name: 'st4PhaseNominalVoltage', type: INT },
      { number: 21, name: 'st4PhaseOutletCount', type: INT },
    ],
  });
  const phaseMonitor = new SimTable(mib, {
    name: 'st4PhaseMonitorTable',
    oid: `${ST4}.5.3.1`,
    index: [{ columnName: 'st4UnitIndex' }, { columnName: 'st4InputCordIndex' }, { columnName: 'st4PhaseIndex' }],
    columns: [
      { number: 1, name: 'st4PhaseState', type: INT },
      { number: 2, name: 'st4PhaseStatus', type: INT },
      { number: 3, name: 'st4PhaseVoltage', type: INT },
      { number: 6, name: 'st4PhaseCurrent', type: INT },
      { number: 8, name: 'st4PhaseActivePower', type: INT },
      { number: 9, name: 'st4PhaseApparentPower', type: INT },
    ],
  });

  const outletIndex = [{ columnName: 'st4UnitIndex' }, { columnName: 'st4InputCordIndex' }, { columnName: 'st4OutletIndex' }];
  const outletConfig = new SimTable(mib, {
    name: 'st4OutletConfigTable',
    log: sets,
    oid: `${ST4}.8.2.1`,
    index: outletIndex,
    columns: [
      { number: 1, name: 'st4OutletIndex', type: INT, access: 'not-accessible' },
      { number: 2, name: 'st4OutletID', type: STR },
      { number: 3, name: 'st4OutletName', type: STR, access: 'read-write' },
      { number: 6, name: 'st4OutletSocketType', type: STR },
      { number: 7, name: 'st4OutletCurrentCapacity', type: INT },
    ],
    onSet: (column, row, value, commit) => {
      const place = byRow.get(row);
      if (!place) return snmp.ErrorStatus.NoSuchName;
      if (column !== 3) return snmp.ErrorStatus.NotWritable;
      if (commit) place.outlet.name = String(value);
      return undefined;
    },
  });
  const outletMonitor = new SimTable(mib, {
    name: 'st4OutletMonitorTable',
    oid: `${ST4}.8.3.1`,
    index: outletIndex,
    columns: [
      { number: 1, name: 'st4OutletState', type: INT },
      { number: 2, name: 'st4OutletStatus', type: INT },
      { number: 3, name: 'st4OutletCurrent', type: INT },
      { number: 6, name: 'st4OutletVoltage', type: INT },
      { number: 7, name: 'st4OutletActivePower', type: INT },
      { number: 9, name: 'st4OutletApparentPower', type: INT },
    ],
  });
  const outletControl = new SimTable(mib, {
    name: 'st4OutletControlTable',
    log: sets,
    oid: `${ST4}.8.5.1`,
    index: outletIndex,
    columns: [
      { number: 1, name: 'st4OutletControlState', type: INT },
      { number: 2, name: 'st4OutletControlAction', type: INT, access: 'read-write' },
    ],
    onSet: (column, row, value, commit) => {
      if (column !== 2) return snmp.ErrorStatus.NotWritable;
      const known = [...Object.values(ACTION), ...Object.values(QUEUE)];
      return outletAction(byRow.get(row), value, commit, known, (outlet, action) => {
        if (action >= QUEUE.on) queued.set(outlet.number, action - QUEUE.on + ACTION.on);
        else powerAction(model, outlet, action);
        // A get of the action answers none(0); restore it once this SET has been committed.
        setImmediate(sync);
      });
    },
  });
  simScalar(mib, {
    name: 'st4OutletQueueControl',
    oid: `${ST4}.8.6.1`,
    type: INT,
    access: 'read-write',
    log: sets,
    onSet: (value, commit) => {
      if (value !== 0 && value !== 1) return snmp.ErrorStatus.WrongValue;
      if (!commit) return undefined;
      if (value === 1) for (const [number, action] of queued) powerAction(model, model.outlet(number)!, action);
      queued.clear();
      setImmediate(sync);
      return undefined;
    },
  }, 0);
  simScalar(mib, {
    name: 'st4OutletRebootDelay', oid: `${ST4}.8.1.11`, type: INT,
  }, Math.max(5, Math.round(model.rebootDelay / 1000)));

  // The scale is one setting for the whole system, so it is a scalar here.
  simScalar(mib, {
    name: 'st4TempSensorScale',
    oid: `${ST4}.9.1.10`,
    type: INT,
    access: 'read-write',
    log: sets,
    onSet: (value, commit) => {
      if (value !== 0 && value !== 1) return snmp.ErrorStatus.WrongValue;
      if (commit) {
        fahrenheit = value === 1;
        setImmediate(sync);
      }
      return undefined;
    },
  }, fahrenheit ? 1 : 0);
  const sensorTables = (kind: 'Temp' | 'Humid', arc: number): [SimTable, SimTable] => [
    new SimTable(mib, {
      name: `st4${kind}SensorConfigTable`,
      oid: `${ST4}.${arc}.2.1`,
      index: [{ columnName: 'st4UnitIndex' }, { columnName: `st4${kind}SensorIndex` }],
      columns: [
        { number: 1, name: `st4${kind}SensorIndex`, type: INT, access: 'not-accessible' },
        { number: 2, name: `st4${kind}SensorID`, type: STR },
        { number: 3, name: `st4${kind}SensorName`, type: STR },
      ],
    }),
    new SimTable(mib, {
      name: `st4${kind}SensorMonitorTable`,
      oid: `${ST4}.${arc}.3.1`,
      index: [{ columnName: 'st4UnitIndex' }, { columnName: `st4${kind}SensorIndex` }],
      columns: [
        { number: 1, name: `st4${kind}SensorValue`, type: INT },
        { number: 2, name: `st4${kind}SensorStatus`, type: INT },
      ],
    }),
  ];
  const [tempConfig, tempMonitor] = sensorTables('Temp', 9);
  const [humidConfig, humidMonitor] = sensorTables('Humid', 10);

  function sync(): void {
    // A read answers commit(1) while actions wait in the queue, clear(0) when it is empty.
    mib.setScalarValue('st4OutletQueueControl', queued.size > 0 ? 1 : 0);
    for (const unit of chain) {
      const amps = unit.outlets.reduce((sum, { outlet }) => sum + sensedAmps(outlet), 0);
      const watts = Math.round(amps * VOLTAGE);
      const { role } = unit;
      unitTable.setRow([unit.index], {
        1: unit.index,
        2: unit.letter,
        3: role,
        4: `ABEF080${4170 + unit.index}`,
        5: `C2S${unit.outlets.length}VE-DCFM2B9`,
        7: unit.index === 1 ? 0 : 1,
        30: 1,
        31: 2,
        32: 2,
      });
      unitMonitor.setRow([unit.index], { 1: STATUS.normal });
      cordTable.setRow([unit.index, 1], {
        1: 1, 2: `${unit.letter}A`, 3: `${role}_Cord_A`, 10: 32, 21: 1, 24: unit.outlets.length,
      });
      cordMonitor.setRow([unit.index, 1], { 1: STATE.on, 2: STATUS.normal, 3: watts, 5: watts });
      phaseTable.setRow([unit.index, 1, 1], {
        1: 1, 2: `${unit.letter}A1`, 4: 'L1-N', 6: VOLTAGE * 10, 21: unit.outlets.length,
      });
      phaseMonitor.setRow([unit.index, 1, 1], {
        1: STATE.on, 2: STATUS.normal, 3: VOLTAGE * 10, 6: Math.round(amps * 100), 8: watts, 9: watts,
      });
      for (const place of unit.outlets) {
        const index = [unit.index, 1, place.position];
        outletConfig.setRow(index, {
          1: place.position, 2: place.id, 3: place.outlet.name, 6: 'IEC 60320 C13', 7: 10,
        });
        outletMonitor.setRow(index, outletReadings(place));
        outletControl.setRow(index, { 1: controlState(place.outlet, CONTROL), 2: ACTION.none });
      }
      for (const port of [1, 2]) {
        const probe = unit.index === 1 && port === 1;
        const id = `${unit.letter}${port}`;
        tempConfig.setRow([unit.index, port], { 1: port, 2: id, 3: `Temp_Sensor_${id}` });
        tempMonitor.setRow([unit.index, port], {
          1: probe ? tenthsOfDegree(model.temperature, fahrenheit) : NO_TEMPERATURE,
          2: probe ? STATUS.normal : STATUS.notFound,
        });
        humidConfig.setRow([unit.index, port], { 1: port, 2: id, 3: `Humid_Sensor_${id}` });
        humidMonitor.setRow([unit.index, port], {
          1: probe ? Math.round(model.humidity) : -1,
          2: probe ? STATUS.normal : STATUS.notFound,
        });
      }
    }
  }

  function outletReadings({ outlet }: ChainOutlet): Record<number, unknown> {
    const amps = sensedAmps(outlet);
    if (outlet.module === 'noResponse') return { 1: STATE.unknown, 2: STATUS.noComm, 3: -1, 6: -1, 7: -1, 9: -1 };
    return {
      1: sensedOn(outlet) ? STATE.on : STATE.off,
      // A relay that does not do what it is told is a power detection error.
      2: outlet.module === 'normal' ? STATUS.normal : STATUS.pwrError,
      3: Math.round(amps * 100),
      6: VOLTAGE * 10,
      7: Math.round(amps * VOLTAGE),
      9: Math.round(amps * VOLTAGE),
    };
  }

  return runSentry('sentry4', device, sync, `Sentry4 PRO2 Switched PDU (SNMP, ${chain.length} unit${chain.length === 1 ? '' : 's'}, `
    + `${model.outlets.length} outlets)`);
}
