import * as snmp from 'net-snmp';
import { toFahrenheit, type ProbeOptions } from './probe';
import { addScalar, startPduAgent } from './pdu-agent';
import { runningAgent, simModel, type SimDevice, type SimDeviceOptions } from './sim-device';
import { INT, SimTable, STR, type SetRecord } from './table';

// A Panduit SmartZone G5 switched iPDU as an SNMP agent, written from PANDUIT-MIB: one unit
// (pdug5IdentIndex 1) of a chain of up to four, a single-phase input, outlets metered
// (pdug5OutletTable) and switched (pdug5OutletControlTable) under the same unit.outlet index,
// and one temperature and one humidity probe. pdug5OutletControlCommand acts on immediateOff(1),
// immediateOn(2), immediateReboot(5); a get reads the state as off(1) or on(2).
const N = '1.3.6.1.4.1.19536.10.1';
const PDU = 1;

/** pdug5OutletControlStatus */
const STATUS = { off: 1, on: 2 };
/** pdug5OutletControlCommand */
const COMMAND = { immediateOff: 1, immediateOn: 2, immediateReboot: 5 };
/** pdug5OutletControlSwitchable */
const SWITCHABLE = 1;
/** pdug5TemperatureScale */
const SCALE = { celsius: 1, fahrenheit: 2 };
/** pdug5TemperatureProbeStatus / pdug5HumidityProbeStatus */
const PROBE = { disconnected: 1, connected: 2 };
/** pdug5InputPhaseVoltageMeasType / pdug5InputPhaseCurrentMeasType singlePhase(1). */
const SINGLE_PHASE = 1;

export type PanduitSimOptions = SimDeviceOptions & ProbeOptions & {
  /** Outlets whose pdug5OutletWatts is this negative number: the MIB's "not available" (outlet number -> value). */
  wattsUnavailable?: Record<number, number>;
};

export async function createPanduitG5Sim(options: PanduitSimOptions): Promise<SimDevice> {
  const model = simModel(options, 8);
  const outletCount = model.outlets.length;
  const scale = options.fahrenheit ? SCALE.fahrenheit : SCALE.celsius;
  const started = await startPduAgent(options, model, {
    sysDescr: 'SN:SIM0000001 PN:Device Model:P24D01M',
    sysObjectID: N,
    sysName: 'panduit-sim',
  });
  const { mib } = started;
  const sets: SetRecord[] = [];
  const unit = { columnName: 'pdug5IdentIndex' };
  // The MIB's own index columns are not-accessible: registered so rows carry them, never answered.
  const indexColumn = (name: string) => ({ number: 1, name, type: INT, access: 'not-accessible' as const });
  const int = (number: number, name: string) => ({ number, name, type: INT });

  addScalar(mib, 'pdug5NumberPDU', `${N}.1.1`, INT, 1);
  const identTable = new SimTable(mib, {
    name: 'pdug5IdentTable',
    oid: `${N}.1.2.1`,
    index: [unit],
    columns: [
      indexColumn('pdug5IdentIndex'), { number: 2, name: 'pdug5Name', type: STR },
      { number: 3, name: 'pdug5Model', type: STR }, { number: 4, name: 'pdug5Manufacturer', type: STR },
      int(10, 'pdug5Controllable'), int(11, 'pdug5InputPhaseCount'), int(13, 'pdug5OutletCount'),
    ],
  });
  // pdug5Controllable yes(1).
  identTable.setRow([PDU], { 1: PDU, 2: options.name ?? 'rack-12-pdu-a', 3: 'P24D01M', 4: 'Panduit', 10: 1, 11: 1, 13: outletCount });

  const phaseTable = new SimTable(mib, {
    name: 'pdug5InputPhaseTable',
    oid: `${N}.2.2.1`,
    index: [unit, { columnName: 'pdug5InputPhaseIndex' }],
    columns: [
      indexColumn('pdug5InputPhaseIndex'), int(2, 'pdug5InputPhaseVoltageMeasType'), int(3, 'pdug5InputPhaseVoltage'),
      int(9, 'pdug5InputPhaseCurrentMeasType'), int(11, 'pdug5InputPhaseCurrent'), int(20, 'pdug5InputPhasePowerWatts'),
    ],
  });
  const probeTable = new SimTable(mib, {
    name: 'pdug5EnvProbeTable',
    oid: `${N}.4.1.1`,
    index: [unit],
    columns: [int(1, 'pdug5TemperatureScale'), int(2, 'pdug5TemperatureCount'), int(3, 'pdug5HumidityCount')],
  });
  const sensorTable = (name: string, oid: string, kind: 'Temperature' | 'Humidity') => new SimTable(mib, {
    name,
    oid,
    index: [unit, { columnName: `pdug5${kind}Index` }],
    columns: [
      indexColumn(`pdug5${kind}Index`), { number: 2, name: `pdug5${kind}Name`, type: STR },
      int(3, `pdug5${kind}ProbeStatus`), int(4, `pdug5${kind}Value`),
    ],
  });
  const temperatureTable = sensorTable('pdug5TemperatureTable', `${N}.4.2.1`, 'Temperature');
  const humidityTable = sensorTable('pdug5HumidityTable', `${N}.4.3.1`, 'Humidity');
  const outletTable = new SimTable(mib, {
    name: 'pdug5OutletTable',
    oid: `${N}.5.1.1`,
    index: [unit, { columnName: 'pdug5OutletIndex' }],
    columns: [
      indexColumn('pdug5OutletIndex'), { number: 2, name: 'pdug5OutletName', type: STR },
      int(5, 'pdug5OutletCurrent'), int(13, 'pdug5OutletWatts'),
    ],
  });
  const controlTable = new SimTable(mib, {
    name: 'pdug5OutletControlTable',
    oid: `${N}.5.2.1`,
    log: sets,
    index: [unit, { columnName: 'pdug5OutletIndex', foreign: 'pdug5OutletTable' }],
    columns: [
      int(1, 'pdug5OutletControlStatus'), int(7, 'pdug5OutletControlRebootOffTime'), int(8, 'pdug5OutletControlSwitchable'),
      { number: 10, name: 'pdug5OutletControlCommand', type: INT, access: 'read-write' },
    ],
    onSet: (column, row, value, commit) => {
      const [pdu, number] = row.split('.').map(Number);
      const outlet = pdu === PDU ? model.outlet(number) : undefined;
      if (column !== 10 || !outlet) return snmp.ErrorStatus.NotWritable;
      const command = Number(value);
      // The delayed commands wait for the outlet's own delays, which this simulator does not keep.
      if (![COMMAND.immediateOff, COMMAND.immediateOn, COMMAND.immediateReboot].includes(command)) return snmp.ErrorStatus.WrongValue;
      if (outlet.locked) return snmp.ErrorStatus.GeneralError;
      if (!commit) return undefined;
      if (command === COMMAND.immediateReboot) model.reboot(number);
      else model.switch(number, command === COMMAND.immediateOn);
      // The agent stores the written value after this handler: a get reads the state again.
      setImmediate(sync);
      return undefined;
    },
  });

  const hundredths = (value: number): number => Math.round(value * 100);

  function sync(): void {
    phaseTable.setRow([PDU, 1], {
      1: 1, 2: SINGLE_PHASE, 3: Math.round(model.voltage * 10), 9: SINGLE_PHASE,
      11: hundredths(model.totalCurrent()), 20: Math.round(model.totalPower()),
    });
    probeTable.setRow([PDU], { 1: scale, 2: 1, 3: 1 });
    const probe = options.noProbe ? PROBE.disconnected : PROBE.connected;
    const degrees = scale === SCALE.fahrenheit ? toFahrenheit(model.temperature) : model.temperature;
    temperatureTable.setRow([PDU, 1], { 1: 1, 2: 'Rack inlet', 3: probe, 4: options.noProbe ? 0 : Math.round(degrees) });
    humidityTable.setRow([PDU, 1], { 1: 1, 2: 'Rack inlet RH', 3: probe, 4: options.noProbe ? 0 : Math.round(model.humidity) });
    for (const outlet of model.outlets) {
      const n = outlet.number;
      const status = outlet.on ? STATUS.on : STATUS.off;
      outletTable.setRow([PDU, n], { 1: n, 2: outlet.name, 5: hundredths(model.current(outlet)), 13: options.wattsUnavailable?.[n] ?? Math.round(model.power(outlet)) });
      controlTable.setRow([PDU, n], { 1: status, 7: 5, 8: SWITCHABLE, 10: status });
    }
  }
  sync();
  model.on('change', sync);

  return runningAgent('panduit-g5', started, model, sets, `Panduit SmartZone G5 iPDU (SNMP, PANDUIT-MIB, ${outletCount} outlets)`);
}
