import * as snmp from 'net-snmp';
import { toFahrenheit, type ProbeOptions } from './probe';
import { addScalar, startPduAgent } from './pdu-agent';
import { runningAgent, simModel, type SimDevice, type SimDeviceOptions } from './sim-device';
import { INT, SimTable, STR, type SetRecord } from './table';

// An Eaton switched ePDU (G3) as an SNMP agent, written from EATON-EPDU-MIB: one standalone
// unit (strappingIndex 0), one single-phase input, outlets in groups of eight (A1..A8, B1..),
// an environment probe with a temperature and a humidity sensor. Power actions are three
// command columns: 0 acts now, n > 0 after n seconds (the status shows it pending), -1 cancels.
const E = '1.3.6.1.4.1.534.6.6.7';
const UNIT = 0;
const INPUT = 1;
const GROUP_SIZE = 8;

/** outletControlStatus */
const STATUS = { off: 0, on: 1, pendingOff: 2, pendingOn: 3 };
const COMMAND = { off: 3, on: 4, reboot: 5 };
const NO_COMMAND = -1;
/** outletControlSwitchable */
const SWITCHABLE = 1;
const NOT_SWITCHABLE = 2;
/** temperatureScale */
const SCALE = { celsius: 0, fahrenheit: 1 };
/** temperatureProbeStatus / humidityProbeStatus */
const PROBE = { disconnected: 0, connected: 1 };

interface Pending {
  command: number;
  due: number;
  timer: NodeJS.Timeout;
}

export type EatonSimOptions = SimDeviceOptions & ProbeOptions & {
  /** Outlets whose outletWatts is this negative number: the MIB's "not available" (outlet number -> value). */
  wattsUnavailable?: Record<number, number>;
  /** inputWatts as this negative number on every input power row. */
  inputWattsUnavailable?: number;
};

export async function createEatonEpduSim(options: EatonSimOptions): Promise<SimDevice> {
  const model = simModel(options, 8);
  const outletCount = model.outlets.length;
  let temperatureScale = options.fahrenheit ? SCALE.fahrenheit : SCALE.celsius;
  const pending = new Map<number, Pending>();
  const started = await startPduAgent(options, model, {
    sysDescr: `Eaton ePDU SW 1P IN:C20 16A OUT:${outletCount}xC13`,
    sysObjectID: E,
    sysName: 'eaton-sim',
  });
  const { mib } = started;
  const unitIndex = { columnName: 'strappingIndex', foreign: 'unitTable' };
  const inputIndex = { columnName: 'inputIndex', foreign: 'inputTable' };
  const outletIndex = { columnName: 'outletIndex', foreign: 'outletTable' };
  // accessible-for-notify index columns are not readable: like not-accessible ones here.
  const indexColumn = (name: string) => ({ number: 1, name, type: INT, access: 'not-accessible' as const });

  addScalar(mib, 'unitsPresent', `${E}.1.1`, STR, String(UNIT));

  const sets: SetRecord[] = [];
  const unitTable = new SimTable(mib, {
    name: 'unitTable',
    log: sets,
    oid: `${E}.1.2.1`,
    index: [{ columnName: 'strappingIndex' }],
    columns: [
      indexColumn('strappingIndex'),
      { number: 2, name: 'productName', type: STR },
      { number: 3, name: 'partNumber', type: STR },
      { number: 4, name: 'serialNumber', type: STR },
      { number: 5, name: 'firmwareVersion', type: STR },
      { number: 6, name: 'unitName', type: STR },
      { number: 9, name: 'temperatureScale', type: INT, access: 'read-write' },
      { number: 10, name: 'unitType', type: INT },
      { number: 20, name: 'inputCount', type: INT },
      { number: 22, name: 'outletCount', type: INT },
      { number: 23, name: 'temperatureCount', type: INT },
      { number: 24, name: 'humidityCount', type: INT },
      { number: 30, name: 'communicationStatus', type: INT },
      { number: 31, name: 'internalStatus', type: INT },
    ],
    onSet: (column, row, value, commit) => {
      if (column !== 9 || Number(row) !== UNIT) return snmp.ErrorStatus.NotWritable;
      if (!Object.values(SCALE).includes(Number(value))) return snmp.ErrorStatus.WrongValue;
      if (!commit) return undefined;
      temperatureScale = Number(value);
      setImmediate(sync);
      return undefined;
    },
  });

  const inputTable = new SimTable(mib, {
    name: 'inputTable',
    oid: `${E}.3.1.1`,
    index: [unitIndex, { columnName: 'inputIndex' }],
    columns: [
      indexColumn('inputIndex'),
      { number: 2, name: 'inputType', type: INT },
      { number: 3, name: 'inputFrequency', type: INT },
      { number: 4, name: 'inputFrequencyStatus', type: INT },
      { number: 5, name: 'inputVoltageCount', type: INT },
      { number: 6, name: 'inputCurrentCount', type: INT },
      { number: 7, name: 'inputPowerCount', type: INT },
      { number: 8, name: 'inputPlugType', type: INT },
      { number: 10, name: 'inputFeedName', type: STR },
    ],
  });
  // singlePhase(1), 50.0 Hz, good, one voltage and one current, a phase and a total power row, iecC20Inlet(102).
  inputTable.setRow([UNIT, INPUT], { 1: INPUT, 2: 1, 3: 500, 4: 0, 5: 1, 6: 1, 7: 2, 8: 102, 10: 'Feed A' });

  const inputVoltageTable = new SimTable(mib, {
    name: 'inputVoltageTable',
    oid: `${E}.3.2.1`,
    index: [unitIndex, inputIndex, { columnName: 'inputVoltageIndex' }],
    columns: [
      indexColumn('inputVoltageIndex'),
      { number: 2, name: 'inputVoltageMeasType', type: INT },
      { number: 3, name: 'inputVoltage', type: INT },
      { number: 4, name: 'inputVoltageThStatus', type: INT },
    ],
  });
  const inputCurrentTable = new SimTable(mib, {
    name: 'inputCurrentTable',
    oid: `${E}.3.3.1`,
    index: [unitIndex, inputIndex, { columnName: 'inputCurrentIndex' }],
    columns: [
      indexColumn('inputCurrentIndex'),
      { number: 2, name: 'inputCurrentMeasType', type: INT },
      { number: 3, name: 'inputCurrentCapacity', type: INT },
      { number: 4, name: 'inputCurrent', type: INT },
      { number: 5, name: 'inputCurrentThStatus', type: INT },
      { number: 11, name: 'inputCurrentPercentLoad', type: INT },
      { number: 12, name: 'inputPhaseDesignator', type: STR },
    ],
  });
  const inputPowerTable = new SimTable(mib, {
    name: 'inputPowerTable',
    oid: `${E}.3.4.1`,
    index: [unitIndex, inputIndex, { columnName: 'inputPowerIndex' }],
    columns: [
      indexColumn('inputPowerIndex'),
      { number: 2, name: 'inputPowerMeasType', type: INT },
      { number: 3, name: 'inputVA', type: INT },
      { number: 4, name: 'inputWatts', type: INT },
    ],
  });
  const inputTotalPowerTable = new SimTable(mib, {
    name: 'inputTotalPowerTable',
    oid: `${E}.3.5.1`,
    index: [unitIndex, inputIndex],
    columns: [
      { number: 3, name: 'inputTotalVA', type: INT },
      { number: 4, name: 'inputTotalWatts', type: INT },
    ],
  });

  const outletTable = new SimTable(mib, {
    name: 'outletTable',
    oid: `${E}.6.1.1`,
    index: [unitIndex, { columnName: 'outletIndex' }],
    columns: [
      indexColumn('outletIndex'),
      { number: 2, name: 'outletID', type: STR },
      { number: 3, name: 'outletName', type: STR },
      { number: 5, name: 'outletType', type: INT },
      { number: 7, name: 'outletPhaseID', type: INT },
    ],
  });
  const outletCurrentTable = new SimTable(mib, {
    name: 'outletCurrentTable',
    oid: `${E}.6.4.1`,
    index: [unitIndex, outletIndex],
    columns: [
      { number: 2, name: 'outletCurrentCapacity', type: INT },
      { number: 3, name: 'outletCurrent', type: INT },
      { number: 4, name: 'outletCurrentThStatus', type: INT },
      { number: 10, name: 'outletCurrentPercentLoad', type: INT },
    ],
  });
  const outletPowerTable = new SimTable(mib, {
    name: 'outletPowerTable',
    oid: `${E}.6.5.1`,
    index: [unitIndex, outletIndex],
    columns: [
      { number: 2, name: 'outletVA', type: INT },
      { number: 3, name: 'outletWatts', type: INT },
    ],
  });
  const outletControlTable = new SimTable(mib, {
    name: 'outletControlTable',
    log: sets,
    oid: `${E}.6.6.1`,
    index: [unitIndex, outletIndex],
    columns: [
      { number: 2, name: 'outletControlStatus', type: INT },
      { number: 3, name: 'outletControlOffCmd', type: INT, access: 'read-write' },
      { number: 4, name: 'outletControlOnCmd', type: INT, access: 'read-write' },
      { number: 5, name: 'outletControlRebootCmd', type: INT, access: 'read-write' },
      { number: 6, name: 'outletControlPowerOnState', type: INT },
      { number: 8, name: 'outletControlRebootOffTime', type: INT },
      { number: 9, name: 'outletControlSwitchable', type: INT },
    ],
    onSet: (column, row, value, commit) => {
      const [unit, number] = row.split('.').map(Number);
      const outlet = unit === UNIT ? model.outlet(number) : undefined;
      if (!outlet || !Object.values(COMMAND).includes(column)) return snmp.ErrorStatus.NoSuchName;
      const delay = Number(value);
      if (!Number.isInteger(delay) || delay < NO_COMMAND || delay > 99999) return snmp.ErrorStatus.WrongValue;
      // outletControlSwitchable notSwitchable(2): "control On/Off disabled".
      if (outlet.locked) return snmp.ErrorStatus.GeneralError;
      if (!commit) return undefined;
      if (delay === NO_COMMAND) cancel(number, column);
      else if (delay === 0) act(number, column);
      else schedule(number, column, delay);
      // The agent stores the written value after this handler: the column reads the countdown.
      setImmediate(sync);
      return undefined;
    },
  });

  const probeTable = (name: string, oid: string, prefix: string) => new SimTable(mib, {
    name,
    oid,
    index: [unitIndex, { columnName: `${prefix}Index` }],
    columns: [
      indexColumn(`${prefix}Index`),
      { number: 2, name: `${prefix}Name`, type: STR },
      { number: 3, name: `${prefix}ProbeStatus`, type: INT },
      { number: 4, name: `${prefix}Value`, type: INT },
      { number: 5, name: `${prefix}ThStatus`, type: INT },
    ],
  });
  const temperatureTable = probeTable('temperatureTable', `${E}.7.1.1`, 'temperature');
  const humidityTable = probeTable('humidityTable', `${E}.7.2.1`, 'humidity');

  function act(number: number, command: number): void {
    cancel(number);
    if (command === COMMAND.reboot) model.reboot(number);
    else model.switch(number, command === COMMAND.on);
  }

  function schedule(number: number, command: number, seconds: number): void {
    cancel(number);
    const timer = setTimeout(() => {
      pending.delete(number);
      act(number, command);
    }, seconds * 1000);
    pending.set(number, { command, due: Date.now() + seconds * 1000, timer });
  }

  /** Cancel the outlet's pending command (only the one of this column when given). */
  function cancel(number: number, command?: number): void {
    const waiting = pending.get(number);
    if (!waiting || (command !== undefined && waiting.command !== command)) return;
    clearTimeout(waiting.timer);
    pending.delete(number);
  }

  function status(number: number): number {
    const outlet = model.outlet(number)!;
    const waiting = pending.get(number);
    if (waiting) return waiting.command === COMMAND.off ? STATUS.pendingOff : STATUS.pendingOn;
    if (outlet.rebooting && !outlet.on) return STATUS.pendingOn;
    return outlet.on ? STATUS.on : STATUS.off;
  }

  /** A command column reads the seconds left of its pending command, else -1. */
  function countdown(number: number, command: number): number {
    const waiting = pending.get(number);
    return waiting?.command === command ? Math.max(0, Math.ceil((waiting.due - Date.now()) / 1000)) : NO_COMMAND;
  }

  function sync(): void {
    const temperature = temperatureScale === SCALE.fahrenheit ? toFahrenheit(model.temperature) : model.temperature;
    unitTable.setRow([UNIT], {
      1: UNIT, 2: 'Eaton ePDU SW', 3: 'EMSU03', 4: 'SIM0000001', 5: '04.00.0005', 6: options.name ?? 'rack-12-pdu-a',
      9: temperatureScale, 10: 1, 20: 1, 22: outletCount, 23: 1, 24: 1, 30: 0, 31: 0,
    });
    const amps = model.totalCurrent();
    const watts = options.inputWattsUnavailable ?? model.totalPower();
    inputVoltageTable.setRow([UNIT, INPUT, 1], { 1: 1, 2: 1, 3: Math.round(model.voltage * 1000), 4: 0 });
    inputCurrentTable.setRow([UNIT, INPUT, 1], {
      1: 1, 2: 1, 3: 16000, 4: Math.round(amps * 1000), 5: 0, 11: Math.round(amps / 16 * 100), 12: 'L1',
    });
    // phase1(1) and total(4) rows, as a single-phase G3 has them.
    inputPowerTable.setRow([UNIT, INPUT, 1], { 1: 1, 2: 1, 3: watts, 4: watts });
    inputPowerTable.setRow([UNIT, INPUT, 2], { 1: 2, 2: 4, 3: watts, 4: watts });
    inputTotalPowerTable.setRow([UNIT, INPUT], { 3: watts, 4: watts });
    for (const outlet of model.outlets) {
      const n = outlet.number;
      const id = `${String.fromCharCode(65 + Math.floor((n - 1) / GROUP_SIZE))}${((n - 1) % GROUP_SIZE) + 1}`;
      const current = model.current(outlet);
      // iecC13(1), singlePhase(1)
      outletTable.setRow([UNIT, n], { 1: n, 2: id, 3: outlet.name, 5: 1, 7: 1 });
      outletCurrentTable.setRow([UNIT, n], { 2: 10000, 3: Math.round(current * 1000), 4: 0, 10: Math.round(current / 10 * 100) });
      outletPowerTable.setRow([UNIT, n], { 2: model.power(outlet), 3: options.wattsUnavailable?.[n] ?? model.power(outlet) });
      outletControlTable.setRow([UNIT, n], {
        2: status(n),
        3: countdown(n, COMMAND.off),
        4: countdown(n, COMMAND.on),
        5: countdown(n, COMMAND.reboot),
        6: 2,
        8: Math.max(1, Math.round(model.rebootDelay / 1000)),
        9: outlet.locked ? NOT_SWITCHABLE : SWITCHABLE,
      });
    }
    const probe = options.noProbe ? PROBE.disconnected : PROBE.connected;
    temperatureTable.setRow([UNIT, 1], {
      1: 1, 2: 'Rack inlet', 3: probe, 4: options.noProbe ? 0 : Math.round(temperature * 10), 5: 0,
    });
    humidityTable.setRow([UNIT, 1], {
      1: 1, 2: 'Rack inlet', 3: probe, 4: options.noProbe ? 0 : Math.round(model.humidity * 10), 5: 0,
    });
  }
  sync();
  model.on('change', sync);
  // Countdowns and the scale are read live.
  const refresh = setInterval(sync, 1000);
  refresh.unref();

  return runningAgent('eaton-epdu', started, model, sets, `Eaton switched ePDU (SNMP, EATON-EPDU-MIB, ${outletCount} outlets)`, () => {
    clearInterval(refresh);
    for (const waiting of pending.values()) clearTimeout(waiting.timer);
    pending.clear();
  });
}
