import * as snmp from 'net-snmp';
import { toFahrenheit, type ProbeOptions } from './probe';
import { addScalar, startPduAgent } from './pdu-agent';
import { runningAgent, simModel, type SimDevice, type SimDeviceOptions } from './sim-device';
import { GAUGE, INT, OID, SimTable, STR, type SetRecord } from './table';

// A Tripp Lite switched PDU (PDUMH15NET class) behind a PowerAlert card as an SNMP agent, written
// from TRIPPLITE-PRODUCTS: the agent's device table lists the PDU (device 1) and, when plugged
// in, an EnviroSense probe (device 2). PDU tables are indexed device.outlet and device.phase,
// the probe's by its device index. tlpPduOutletCommand reads idle(0) and acts on a SET.
const TLP = '1.3.6.1.4.1.850.1.1';
const P = `${TLP}.3.2`;
const ENV = `${TLP}.3.3`;
const PDU = 1;
const PROBE = 2;

/** tlpPduOutletState */
const STATE = { unknown: 0, off: 1, on: 2 };
/** tlpPduOutletCommand */
const COMMAND = { idle: 0, turnOff: 1, turnOn: 2, cycle: 3 };
/** TruthValue */
const TRUE = 1;
const FALSE = 2;

export type TrippLiteSimOptions = SimDeviceOptions & ProbeOptions;

export async function createTrippLitePduSim(options: TrippLiteSimOptions): Promise<SimDevice> {
  const model = simModel(options, 8, { voltage: 120 });
  const outletCount = model.outlets.length;
  const devices = options.noProbe ? [PDU] : [PDU, PROBE];
  const started = await startPduAgent(options, model, {
    sysDescr: 'PDUMH15NET',
    // tlpDevice: what LibreNMS's recording of a PowerAlert PDU card answers.
    sysObjectID: `${TLP}.1`,
    sysName: 'tripplite-sim',
  });
  const { mib } = started;
  const sets: SetRecord[] = [];
  const device = { columnName: 'tlpDeviceIndex', foreign: 'tlpDeviceTable' };

  addScalar(mib, 'tlpDeviceNumDevices', `${TLP}.1.1`, GAUGE, devices.length);
  const deviceTable = new SimTable(mib, {
    name: 'tlpDeviceTable',
    oid: `${TLP}.1.2.1`,
    index: [{ columnName: 'tlpDeviceIndex' }],
    columns: [
      { number: 1, name: 'tlpDeviceIndex', type: GAUGE },
      { number: 3, name: 'tlpDeviceType', type: OID },
      { number: 4, name: 'tlpDeviceManufacturer', type: STR },
      { number: 5, name: 'tlpDeviceModel', type: STR },
      { number: 6, name: 'tlpDeviceName', type: STR },
      { number: 10, name: 'tlpDeviceStatus', type: INT },
    ],
  });
  // tlpDeviceStatus none(0): no alarm.
  deviceTable.setRow([PDU], { 1: PDU, 3: P, 4: 'Tripp Lite', 5: 'PDUMH15NET', 6: options.name ?? 'rack-12-pdu-a', 10: 0 });
  if (!options.noProbe) deviceTable.setRow([PROBE], { 1: PROBE, 3: ENV, 4: 'Tripp Lite', 5: 'E2MTHDI', 6: 'EnviroSense', 10: 0 });

  addScalar(mib, 'tlpPduIdentNumPdu', `${P}.1.1`, GAUGE, 1);
  const identTable = new SimTable(mib, {
    name: 'tlpPduIdentTable',
    oid: `${P}.1.2.1`,
    index: [device],
    columns: [1, 2, 3, 4].map((number) => ({
      number, name: ['tlpPduIdentNumInputs', 'tlpPduIdentNumOutputs', 'tlpPduIdentNumPhases', 'tlpPduIdentNumOutlets'][number - 1], type: GAUGE,
    })),
  });
  identTable.setRow([PDU], { 1: 1, 2: 1, 3: 1, 4: outletCount });
  const supportsTable = new SimTable(mib, {
    name: 'tlpPduSupportsTable',
    oid: `${P}.1.3.1`,
    index: [device],
    columns: [
      { number: 4, name: 'tlpPduSupportsOutletCurrentPower', type: INT },
      { number: 5, name: 'tlpPduSupportsOutletVoltage', type: INT },
    ],
  });
  supportsTable.setRow([PDU], { 4: TRUE, 5: TRUE });

  const phaseTable = new SimTable(mib, {
    name: 'tlpPduInputPhaseTable',
    oid: `${P}.3.1.2.1`,
    index: [device, { columnName: 'tlpPduInputPhaseIndex' }],
    columns: [
      { number: 1, name: 'tlpPduInputPhaseIndex', type: GAUGE },
      { number: 2, name: 'tlpPduInputPhasePhaseType', type: INT },
      { number: 3, name: 'tlpPduInputPhaseFrequency', type: GAUGE },
      { number: 4, name: 'tlpPduInputPhaseVoltage', type: GAUGE },
      { number: 7, name: 'tlpPduInputPhaseCurrent', type: GAUGE },
    ],
  });

  const outletTable = new SimTable(mib, {
    name: 'tlpPduOutletTable',
    oid: `${P}.3.3.1.1`,
    log: sets,
    index: [device, { columnName: 'tlpPduOutletIndex' }],
    columns: [
      { number: 1, name: 'tlpPduOutletIndex', type: GAUGE },
      { number: 2, name: 'tlpPduOutletName', type: STR },
      { number: 4, name: 'tlpPduOutletState', type: INT },
      { number: 5, name: 'tlpPduOutletControllable', type: INT },
      { number: 6, name: 'tlpPduOutletCommand', type: INT, access: 'read-write' },
      { number: 7, name: 'tlpPduOutletVoltage', type: GAUGE },
      { number: 8, name: 'tlpPduOutletCurrent', type: GAUGE },
      { number: 9, name: 'tlpPduOutletPower', type: GAUGE },
      { number: 17, name: 'tlpPduOutletPhase', type: INT },
    ],
    onSet: (column, row, value, commit) => {
      const [unit, number] = row.split('.').map(Number);
      const outlet = unit === PDU ? model.outlet(number) : undefined;
      if (column !== 6 || !outlet) return snmp.ErrorStatus.NotWritable;
      const command = Number(value);
      if (![COMMAND.turnOff, COMMAND.turnOn, COMMAND.cycle].includes(command)) return snmp.ErrorStatus.WrongValue;
      // tlpPduOutletControllable false(2): the card will not switch it.
      if (outlet.locked) return snmp.ErrorStatus.GeneralError;
      if (!commit) return undefined;
      if (command === COMMAND.cycle) model.reboot(number);
      else model.switch(number, command === COMMAND.turnOn);
      // The agent stores the written value after this handler: the column reads idle(0) again.
      setImmediate(sync);
      return undefined;
    },
  });

  const temperatureTable = new SimTable(mib, {
    name: 'tlpEnvTemperatureTable',
    oid: `${ENV}.3.1.1`,
    index: [device],
    columns: [
      { number: 1, name: 'tlpEnvTemperatureC', type: INT },
      { number: 2, name: 'tlpEnvTemperatureF', type: INT },
      { number: 3, name: 'tlpEnvTemperatureInAlarm', type: INT },
    ],
  });
  const humidityTable = new SimTable(mib, {
    name: 'tlpEnvHumidityTable',
    oid: `${ENV}.3.2.1`,
    index: [device],
    columns: [
      { number: 1, name: 'tlpEnvHumidityHumidity', type: INT },
      { number: 2, name: 'tlpEnvHumidityInAlarm', type: INT },
    ],
  });

  const tenths = (value: number): number => Math.round(value * 10);

  function sync(): void {
    // phaseToNeutral(0), 60.0 Hz.
    phaseTable.setRow([PDU, 1], { 1: 1, 2: 0, 3: 600, 4: tenths(model.voltage), 7: Math.round(model.totalCurrent() * 100) });
    for (const outlet of model.outlets) {
      const n = outlet.number;
      outletTable.setRow([PDU, n], {
        1: n, 2: outlet.name, 4: outlet.on ? STATE.on : STATE.off, 5: outlet.locked ? FALSE : TRUE, 6: COMMAND.idle,
        7: tenths(model.voltage), 8: Math.round(model.current(outlet) * 100), 9: model.power(outlet), 17: 1,
      });
    }
    if (!options.noProbe) {
      temperatureTable.setRow([PROBE], { 1: tenths(model.temperature), 2: tenths(toFahrenheit(model.temperature)), 3: FALSE });
      humidityTable.setRow([PROBE], { 1: Math.round(model.humidity), 2: FALSE });
    }
  }
  sync();
  model.on('change', sync);

  return runningAgent('tripplite-pdu', started, model, sets, `Tripp Lite switched PDU (SNMP, TRIPPLITE-PRODUCTS, ${outletCount} outlets)`);
}
