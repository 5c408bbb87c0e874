import type { SimOutlet } from '../model';
import { addScalars, apcSimDevice, apcTable, startApcAgent, type ApcCard, type OutletCommand } from './apc';
import type { SimDevice, SimDeviceOptions } from './sim-device';
import { INT, STR } from './table';

// An APC Rack PDU 2G metered by outlet with switching (AP8653) as an SNMP agent, written from
// PowerNet-MIB's rPDU2 branch. Every table has a flat index of its own and names each row's unit
// (module) and outlet number. The metered outlet table lists its rows in the reverse order of the
// switched one, so a client that pairs the tables by index reads another outlet's load.
// Units chained by Network Port Sharing share the outlets out and repeat the outlet numbers.
// With `switchedOutlets: false` it is the metered-by-outlet AP8858 instead: no switched tables.

const RPDU2 = '1.3.6.1.4.1.318.1.1.26';
const SYS_OBJECT_ID = '1.3.6.1.4.1.318.1.3.4.6'; // masterSwitchrPDU2
const SWITCHED_MODEL = 'AP8653';
const METERED_MODEL = 'AP8858';
const card = (model: string): ApcCard => ({ hw: 'hw05', aos: '6.5.6', app: 'rpdu2g', appVersion: '6.5.6', model, serial: '5A1234E56789' });

/** rPDU2OutletSwitchedControlCommand as written. The outlets have no on/off delays set, so delayed = immediate. */
const COMMANDS: Record<number, OutletCommand> = {
  1: 'on', 2: 'off', 3: 'reboot', 5: 'on', 6: 'off', 7: 'reboot', 8: 'none',
};
/** rPDU2SensorTempHumidityStatusType */
const SENSOR_TYPES = { temperatureOnly: 1, temperatureHumidity: 2, commsLost: 3, notInstalled: 4 };
export type Rpdu2Sensor = keyof typeof SENSOR_TYPES;

export interface ApcRpdu2SimOptions extends SimDeviceOptions {
  /** Units chained by Network Port Sharing (display ids 1..n); the outlets are shared out in order. */
  modules?: number;
  /** The units' display ids (rPDU2...Module), 1..n unless given: `[1, 1]` is a misconfigured chain. */
  moduleIds?: number[];
  /** What is plugged into each unit's sensor port (default: temperature + humidity on unit 1 only). */
  sensors?: Rpdu2Sensor[];
  /** Metered by outlet (AP86xx, the default); false for a switched-only AP89xx with no metered outlet table. */
  meteredOutlets?: boolean;
  /** Switched outlets (the default); false for a metered-by-outlet AP88xx, whose switched tables are empty. */
  switchedOutlets?: boolean;
}

export async function createApcRpdu2Sim(options: ApcRpdu2SimOptions): Promise<SimDevice> {
  const switched = options.switchedOutlets !== false;
  const modelNumber = switched ? SWITCHED_MODEL : METERED_MODEL;
  const { model, started, mib, sets } = await startApcAgent(options, card(modelNumber), SYS_OBJECT_ID, 'apc-rpdu2-sim');
  const modules = Math.max(1, options.modules ?? 1);
  const perUnit = Math.ceil(model.outlets.length / modules);
  const unitOf = (outlet: SimOutlet): number => Math.floor((outlet.number - 1) / perUnit) + 1;
  const moduleId = (unit: number): number => options.moduleIds?.[unit - 1] ?? unit;
  const numberOf = (outlet: SimOutlet): number => ((outlet.number - 1) % perUnit) + 1;
  const unitOutlets = (unit: number): SimOutlet[] => model.outlets.filter((outlet) => unitOf(outlet) === unit);
  const meteredIndex = (outlet: SimOutlet): number => model.outlets.length - outlet.number + 1;
  const metered = options.meteredOutlets !== false;
  const sensors = Array.from({ length: modules }, (_, i) => options.sensors?.[i] ?? (i === 0 ? 'temperatureHumidity' : 'notInstalled'));

  addScalars(mib, [
    ['rPDU2IdentTableSize', `${RPDU2}.1`, INT, modules],
    ['rPDU2DeviceTableSize', `${RPDU2}.3`, INT, modules],
    ['rPDU2PhaseTableSize', `${RPDU2}.5`, INT, modules],
    ['rPDU2OutletSwitchedTableSize', `${RPDU2}.9.1`, INT, switched ? model.outlets.length : 0],
    ['rPDU2OutletMeteredTableSize', `${RPDU2}.9.3`, INT, metered ? model.outlets.length : 0],
    ['rPDU2SensorTempHumidityTableSize', `${RPDU2}.10.1`, INT, modules],
  ]);

  const ident = apcTable(mib, 'rPDU2IdentTable', `${RPDU2}.2.1`, [
    [1, 'rPDU2IdentIndex', INT], [2, 'rPDU2IdentModule', INT], [3, 'rPDU2IdentName', STR], [4, 'rPDU2IdentLocation', STR],
    [5, 'rPDU2IdentHardwareRev', STR], [6, 'rPDU2IdentFirmwareRev', STR], [7, 'rPDU2IdentDateOfManufacture', STR],
    [8, 'rPDU2IdentModelNumber', STR], [9, 'rPDU2IdentSerialNumber', STR],
  ]);
  const device = apcTable(mib, 'rPDU2DeviceStatusTable', `${RPDU2}.4.3.1`, [
    [1, 'rPDU2DeviceStatusIndex', INT], [2, 'rPDU2DeviceStatusModule', INT], [3, 'rPDU2DeviceStatusName', STR],
    [4, 'rPDU2DeviceStatusLoadState', INT], [5, 'rPDU2DeviceStatusPower', INT],
  ]);
  const phase = apcTable(mib, 'rPDU2PhaseStatusTable', `${RPDU2}.6.3.1`, [
    [1, 'rPDU2PhaseStatusIndex', INT], [2, 'rPDU2PhaseStatusModule', INT], [3, 'rPDU2PhaseStatusNumber', INT],
    [4, 'rPDU2PhaseStatusLoadState', INT], [5, 'rPDU2PhaseStatusCurrent', INT], [6, 'rPDU2PhaseStatusVoltage', INT],
    [7, 'rPDU2PhaseStatusPower', INT],
  ]);
  const switchedStatus = apcTable(mib, 'rPDU2OutletSwitchedStatusTable', `${RPDU2}.9.2.3.1`, [
    [1, 'rPDU2OutletSwitchedStatusIndex', INT], [2, 'rPDU2OutletSwitchedStatusModule', INT],
    [3, 'rPDU2OutletSwitchedStatusName', STR], [4, 'rPDU2OutletSwitchedStatusNumber', INT],
    [5, 'rPDU2OutletSwitchedStatusState', INT], [6, 'rPDU2OutletSwitchedStatusCommandPending', INT],
  ]);
  const switchedControl = apcTable(mib, 'rPDU2OutletSwitchedControlTable', `${RPDU2}.9.2.4.1`, [
    [1, 'rPDU2OutletSwitchedControlIndex', INT], [2, 'rPDU2OutletSwitchedControlModule', INT],
    [3, 'rPDU2OutletSwitchedControlName', STR], [4, 'rPDU2OutletSwitchedControlNumber', INT],
    [5, 'rPDU2OutletSwitchedControlCommand', INT],
  ], { column: 5, commands: COMMANDS, model, log: sets, refresh: sync });
  const meteredStatus = apcTable(mib, 'rPDU2OutletMeteredStatusTable', `${RPDU2}.9.4.3.1`, [
    [1, 'rPDU2OutletMeteredStatusIndex', INT], [2, 'rPDU2OutletMeteredStatusModule', INT],
    [3, 'rPDU2OutletMeteredStatusName', STR], [4, 'rPDU2OutletMeteredStatusNumber', INT],
    [5, 'rPDU2OutletMeteredStatusState', INT], [6, 'rPDU2OutletMeteredStatusCurrent', INT],
    [7, 'rPDU2OutletMeteredStatusPower', INT],
  ]);
  const sensorStatus = apcTable(mib, 'rPDU2SensorTempHumidityStatusTable', `${RPDU2}.10.2.2.1`, [
    [1, 'rPDU2SensorTempHumidityStatusIndex', INT], [2, 'rPDU2SensorTempHumidityStatusModule', INT],
    [3, 'rPDU2SensorTempHumidityStatusName', STR], [4, 'rPDU2SensorTempHumidityStatusNumber', INT],
    [5, 'rPDU2SensorTempHumidityStatusType', INT], [6, 'rPDU2SensorTempHumidityStatusCommStatus', INT],
    [7, 'rPDU2SensorTempHumidityStatusTempF', INT], [8, 'rPDU2SensorTempHumidityStatusTempC', INT],
    [9, 'rPDU2SensorTempHumidityStatusTempStatus', INT], [10, 'rPDU2SensorTempHumidityStatusRelativeHumidity', INT],
    [11, 'rPDU2SensorTempHumidityStatusHumidityStatus', INT],
  ]);

  const tenths = (value: number): number => Math.round(value * 10);
  /** lowLoad(1) below 0.1 A, else normal(2): the simulated loads stay far from overload. */
  const loadState = (amps: number): number => (amps < 0.1 ? 1 : 2);
  for (let unit = 1; unit <= modules; unit += 1) {
    ident.setRow([unit], {
      1: unit, 2: moduleId(unit), 3: `RackPDU ${unit}`, 4: 'rack-12', 5: '02', 6: 'v6.5.6', 7: '03/15/2012',
      8: modelNumber, 9: `5A1234E5678${unit}`,
    });
  }

  function sync(): void {
    for (let unit = 1; unit <= modules; unit += 1) {
      const module = moduleId(unit);
      const outlets = unitOutlets(unit);
      const amps = outlets.reduce((sum, outlet) => sum + model.current(outlet), 0);
      const watts = outlets.reduce((sum, outlet) => sum + model.power(outlet), 0);
      // Power in hundredths of kW.
      device.setRow([unit], { 1: unit, 2: module, 3: `RackPDU ${unit}`, 4: loadState(amps), 5: Math.round(watts / 10) });
      phase.setRow([unit], {
        1: unit, 2: module, 3: 1, 4: loadState(amps), 5: tenths(amps), 6: Math.round(model.voltage), 7: Math.round(watts / 10),
      });
      const type = SENSOR_TYPES[sensors[unit - 1]];
      const installed = type === SENSOR_TYPES.temperatureOnly || type === SENSOR_TYPES.temperatureHumidity;
      const humid = type === SENSOR_TYPES.temperatureHumidity;
      // An empty port reads 0 and notPresent(1); the comm status is notInstalled(1) / commsOK(2) / commsLost(3).
      sensorStatus.setRow([unit], {
        1: unit, 2: module, 3: installed ? `Rack inlet ${unit}` : `Port ${unit}`, 4: 1, 5: type,
        6: { 1: 2, 2: 2, 3: 3, 4: 1 }[type],
        7: installed ? tenths(model.temperature * 9 / 5 + 32) : 0,
        8: installed ? tenths(model.temperature) : 0,
        9: installed ? 4 : 1,
        10: humid ? Math.round(model.humidity) : 0,
        11: humid ? 4 : 1,
      });
    }
    for (const outlet of model.outlets) {
      const common = { 2: moduleId(unitOf(outlet)), 3: outlet.name, 4: numberOf(outlet) };
      // The state reads off(1) / on(2); the command column reads immediateOn(1) / immediateOff(2).
      if (switched) {
        switchedStatus.setRow([outlet.number], { 1: outlet.number, ...common, 5: outlet.on ? 2 : 1, 6: 2 });
        switchedControl.setRow([outlet.number], { 1: outlet.number, ...common, 5: outlet.on ? 1 : 2 });
      }
      if (!metered) continue;
      const index = meteredIndex(outlet);
      const amps = model.current(outlet);
      meteredStatus.setRow([index], { 1: index, ...common, 5: loadState(amps), 6: tenths(amps), 7: model.power(outlet) });
    }
  }
  sync();
  model.on('change', sync);

  const units = modules > 1 ? `${modules} units, ` : '';
  const id = switched ? 'apc-rpdu2' : 'apc-rpdu2-metered';
  return apcSimDevice(id, started, model, sets, `APC Rack PDU 2G ${modelNumber} (SNMP, ${units}${model.outlets.length} outlets)`);
}

/** The metered-by-outlet AP8858: the same agent with no switched outlets. */
export function createApcRpdu2MeteredSim(options: ApcRpdu2SimOptions): Promise<SimDevice> {
  return createApcRpdu2Sim({ ...options, switchedOutlets: false });
}
