import * as snmp from 'net-snmp';
import type { SimModel } from '../model';
import { toFahrenheit, type ProbeOptions } from './probe';
import { addScalar, startPduAgent } from './pdu-agent';
import { runningAgent, simModel, type SimDevice, type SimDeviceOptions } from './sim-device';
import { GAUGE, INT, SimTable, STR, type SetRecord } from './table';

// A Raritan Dominion PX (first generation) as an SNMP agent, written from PDU-MIB: outlets and
// one inlet with a single index each, readings in mA, mV and W, and an external probe with a
// temperature and a humidity sensor (value x 10^decimalDigits). outletOperationalState is read
// and written: off(0), on(1), cycling(2).
const X = '1.3.6.1.4.1.13742.4';

/** outletOperationalState */
export const OPERATIONAL = { off: 0, on: 1, cycling: 2 };
/** TypeOfSensorEnumeration, SensorUnitsEnumeration, StateOfSensorEnumeration */
const TYPE = { temperature: 10, humidity: 11 };
const UNITS = { degreeC: 7, percent: 9, degreeF: 14 };
const SENSOR_STATE = { unavailable: -1, normal: 4 };

// The index column is not-accessible in these MIBs: registered so rows carry it, never answered.
export const indexColumn = (name: string) => ({ number: 1, name, type: INT, access: 'not-accessible' as const });
export const gauge = (number: number, name: string) => ({ number, name, type: GAUGE });
export const milli = (value: number): number => Math.round(value * 1000);

/**
 * The outlet table PDU-MIB and EATON-EPDU-MA-MIB share (`root`.1.2): outletCount and the
 * outletTable, its rows numbered from `firstIndex` (the PX1 counts from 1, Eaton's ePDU from 0).
 * Returns the function that writes the model into it.
 */
export function pduMibOutletTable(mib: snmp.Mib, root: string, model: SimModel, sets: SetRecord[], firstIndex: number): () => void {
  const rowOf = (number: number): number => number - 1 + firstIndex;
  addScalar(mib, 'outletCount', `${root}.1.2.1`, INT, model.outlets.length);
  const table = new SimTable(mib, {
    name: 'outletTable',
    oid: `${root}.1.2.2.1`,
    log: sets,
    index: [{ columnName: 'outletIndex' }],
    columns: [
      indexColumn('outletIndex'), { number: 2, name: 'outletLabel', type: STR },
      { number: 3, name: 'outletOperationalState', type: INT, access: 'read-write' },
      gauge(4, 'outletCurrent'), gauge(5, 'outletMaxCurrent'), gauge(6, 'outletVoltage'), gauge(7, 'outletActivePower'),
      gauge(8, 'outletApparentPower'), gauge(9, 'outletPowerFactor'),
    ],
    onSet: (column, row, value, commit) => {
      const outlet = model.outlet(Number(row) + 1 - firstIndex);
      if (column !== 3 || !outlet) return snmp.ErrorStatus.NotWritable;
      const state = Number(value);
      if (!Object.values(OPERATIONAL).includes(state)) return snmp.ErrorStatus.WrongValue;
      if (outlet.locked) return snmp.ErrorStatus.GeneralError;
      if (!commit) return undefined;
      if (state === OPERATIONAL.cycling) model.reboot(outlet.number);
      else model.switch(outlet.number, state === OPERATIONAL.on);
      // The agent stores the written value after this handler: the state is the relay's again.
      setImmediate(sync);
      return undefined;
    },
  });
  // outletMaxCurrent: the highest current each outlet has drawn.
  const peaks = new Map<number, number>();
  function sync(): void {
    for (const outlet of model.outlets) {
      const watts = Math.round(model.power(outlet));
      const current = milli(model.current(outlet));
      peaks.set(outlet.number, Math.max(current, peaks.get(outlet.number) ?? 0));
      const state = outlet.rebooting ? OPERATIONAL.cycling : outlet.on ? OPERATIONAL.on : OPERATIONAL.off;
      table.setRow([rowOf(outlet.number)], {
        1: rowOf(outlet.number), 2: outlet.name, 3: state, 4: current, 5: peaks.get(outlet.number),
        6: outlet.on ? milli(model.voltage) : 0, 7: watts, 8: watts, 9: outlet.on ? 100 : 0,
      });
    }
  }
  return sync;
}

export type RaritanPx1SimOptions = SimDeviceOptions & ProbeOptions;

export async function createRaritanPx1Sim(options: RaritanPx1SimOptions): Promise<SimDevice> {
  const model = simModel(options, 8);
  const started = await startPduAgent(options, model, {
    sysDescr: 'Raritan Dominion PX - Firmware Version 010507-11172',
    sysObjectID: X,
    sysName: 'raritan-px1-sim',
  });
  const { mib } = started;
  const sets: SetRecord[] = [];
  const syncOutlets = pduMibOutletTable(mib, X, model, sets, 1);

  const inletTable = new SimTable(mib, {
    name: 'inletTable',
    oid: `${X}.1.20.2.1`,
    index: [{ columnName: 'inletIndex' }],
    columns: [
      indexColumn('inletIndex'), { number: 3, name: 'inletPoleCount', type: INT },
      gauge(7, 'inletCurrent'), gauge(8, 'inletVoltage'), gauge(9, 'inletActivePower'),
    ],
  });
  const sensorTable = new SimTable(mib, {
    name: 'externalSensorTable',
    oid: `${X}.3.3.1`,
    index: [{ columnName: 'sensorID' }],
    columns: [
      indexColumn('sensorID'), { number: 2, name: 'externalSensorType', type: INT },
      { number: 3, name: 'externalSensorSerialNumber', type: STR }, { number: 4, name: 'externalSensorName', type: STR },
      { number: 16, name: 'externalSensorUnits', type: INT }, gauge(17, 'externalSensorDecimalDigits'),
      { number: 40, name: 'externalSensorState', type: INT }, { number: 41, name: 'externalSensorValue', type: INT },
    ],
  });

  function sync(): void {
    syncOutlets();
    inletTable.setRow([1], { 1: 1, 3: 1, 7: milli(model.totalCurrent()), 8: milli(model.voltage), 9: Math.round(model.totalPower()) });
    // An unplugged probe keeps its rows, unavailable, until an operator releases them.
    const state = options.noProbe ? SENSOR_STATE.unavailable : SENSOR_STATE.normal;
    const temperature = options.fahrenheit ? toFahrenheit(model.temperature) : model.temperature;
    sensorTable.setRow([1], {
      1: 1, 2: TYPE.temperature, 3: 'AEI0000001', 4: 'Rack inlet', 16: options.fahrenheit ? UNITS.degreeF : UNITS.degreeC,
      17: 1, 40: state, 41: options.noProbe ? 0 : Math.round(temperature * 10),
    });
    sensorTable.setRow([2], {
      1: 2, 2: TYPE.humidity, 3: 'AEI0000001', 4: 'Rack inlet RH', 16: UNITS.percent, 17: 0, 40: state,
      41: options.noProbe ? 0 : Math.round(model.humidity),
    });
  }
  sync();
  model.on('change', sync);

  return runningAgent('raritan-px1', started, model, sets, `Raritan Dominion PX (SNMP, PDU-MIB, ${model.outlets.length} outlets)`);
}
