import type { SimOutlet } from '../model';
import { addScalars, apcTable, type OutletCommand } from './apc';
import { addScalar, startPduAgent } from './pdu-agent';
import { toFahrenheit, type ProbeOptions } from './probe';
import { runningAgent, simModel, type SimDevice, type SimDeviceOptions } from './sim-device';
import { GAUGE, INT, STR, type SetRecord } from './table';

// A CyberPower switched, metered-by-outlet ePDU of the second generation (PDU81xxx class) as an
// SNMP agent, written from the ePDU2 branch of CPS-MIB. The branch copies APC's rPDU2 layout (so
// the PowerNet-MIB table helper serves it): flat row indexes of its own in every table, each row
// naming its unit (ModuleIndex) and outlet number. The metered outlet table lists its rows in the
// reverse order of the switched one, so a client that pairs the tables by index reads another
// outlet's load. The ENVIROSENSOR of this generation answers tables (envir2) in hundredths.
const E2 = '1.3.6.1.4.1.3808.1.1.6';
const ENVIRONMENT2 = '1.3.6.1.4.1.3808.1.1.8';

/** ePDU2OutletSwitchedControlCommand as written. The outlets have no on/off delays set, so delayed = immediate. */
const COMMANDS: Record<number, OutletCommand> = {
  1: 'on', 2: 'off', 3: 'reboot', 4: 'on', 5: 'off', 6: 'reboot', 7: 'none', 8: 'none',
};
/** envir2TempUnit */
const UNIT = { celsius: 1, fahrenheit: 2 };

export type CyberPowerEpdu2SimOptions = SimDeviceOptions & ProbeOptions & {
  /** Answer the first ePDU branch's sysObjectID, as firmware of the older cards does on ePDU2 units. */
  firstBranchSysObjectID?: boolean;
};

export async function createCyberPowerEpdu2Sim(options: CyberPowerEpdu2SimOptions): Promise<SimDevice> {
  const model = simModel(options, 8, { voltage: 230 });
  const started = await startPduAgent(options, model, {
    sysDescr: 'CyberPower PDU81005 Switched Metered-by-Outlet PDU',
    sysObjectID: options.firstBranchSysObjectID ? '1.3.6.1.4.1.3808.1.1.3' : E2,
    sysName: 'cyberpower-epdu2-sim',
  });
  const { mib } = started;
  const sets: SetRecord[] = [];
  const outlets = model.outlets.length;
  const probe = !options.noProbe;

  addScalars(mib, [
    // standalone(1): not part of a daisy chain.
    ['ePDU2Role', `${E2}.1`, INT, 1],
    ['ePDU2PhaseTableSize', `${E2}.4.1`, INT, 1],
    ['ePDU2OutletSwitchedTableSize', `${E2}.6.1.1`, INT, outlets],
    ['ePDU2OutletMeteredTableSize', `${E2}.6.2.1`, INT, outlets],
    ['envir2TempTableSize', `${ENVIRONMENT2}.2.1`, INT, probe ? 1 : 0],
    ['envir2HumidTableSize', `${ENVIRONMENT2}.3.1`, INT, probe ? 1 : 0],
  ]);
  addScalar(mib, 'envir2TempUnit', `${ENVIRONMENT2}.2.2`, INT, options.fahrenheit ? UNIT.fahrenheit : UNIT.celsius);

  const phase = apcTable(mib, 'ePDU2PhaseStatusTable', `${E2}.4.4.1`, [
    [1, 'ePDU2PhaseStatusIndex', INT], [2, 'ePDU2PhaseStatusModuleIndex', INT], [3, 'ePDU2PhaseStatusNumber', INT],
    [4, 'ePDU2PhaseStatusLoadState', INT], [5, 'ePDU2PhaseStatusLoad', GAUGE], [6, 'ePDU2PhaseStatusVoltage', GAUGE],
    [7, 'ePDU2PhaseStatusPower', GAUGE],
  ]);
  const switchedStatus = apcTable(mib, 'ePDU2OutletSwitchedStatusTable', `${E2}.6.1.4.1`, [
    [1, 'ePDU2OutletSwitchedStatusIndex', INT], [2, 'ePDU2OutletSwitchedStatusModuleIndex', INT],
    [3, 'ePDU2OutletSwitchedStatusNumber', INT], [4, 'ePDU2OutletSwitchedStatusName', STR],
    [5, 'ePDU2OutletSwitchedStatusState', INT], [6, 'ePDU2OutletSwitchedStatusCommandPending', INT],
  ]);
  const switchedControl = apcTable(mib, 'ePDU2OutletSwitchedControlTable', `${E2}.6.1.5.1`, [
    [1, 'ePDU2OutletSwitchedControlIndex', INT], [2, 'ePDU2OutletSwitchedControlModuleIndex', INT],
    [3, 'ePDU2OutletSwitchedControlNumber', INT], [4, 'ePDU2OutletSwitchedControlName', STR],
    [5, 'ePDU2OutletSwitchedControlCommand', INT],
  ], { column: 5, commands: COMMANDS, model, log: sets, refresh: sync });
  const meteredStatus = apcTable(mib, 'ePDU2OutletMeteredStatusTable', `${E2}.6.2.4.1`, [
    [1, 'ePDU2OutletMeteredStatusIndex', INT], [2, 'ePDU2OutletMeteredStatusModuleIndex', INT],
    [3, 'ePDU2OutletMeteredStatusNumber', INT], [4, 'ePDU2OutletMeteredStatusName', STR],
    [5, 'ePDU2OutletMeteredStatusAlarm', INT], [6, 'ePDU2OutletMeteredStatusLoad', GAUGE],
    [7, 'ePDU2OutletMeteredStatusActivePower', GAUGE],
  ]);
  const temperature = apcTable(mib, 'envir2TempTable', `${ENVIRONMENT2}.2.3.1`, [
    [1, 'envir2TemperatureIndex', INT], [2, 'envir2TempModulePosition', INT], [3, 'envir2Temperature', INT],
  ]);
  const humidity = apcTable(mib, 'envir2HumidTable', `${ENVIRONMENT2}.3.2.1`, [
    [1, 'envir2HumidityIndex', INT], [2, 'envir2HumidModulePosition', INT], [3, 'envir2Humidity', INT],
  ]);

  const tenths = (value: number): number => Math.round(value * 10);
  const hundredths = (value: number): number => Math.round(value * 100);
  const meteredIndex = (outlet: SimOutlet): number => outlets - outlet.number + 1;

  function sync(): void {
    const amps = model.totalCurrent();
    // normal(1) phase load state; noLoadAlarm(1) on every outlet: the simulated loads stay far from the limits.
    phase.setRow([1], { 1: 1, 2: 1, 3: 1, 4: 1, 5: tenths(amps), 6: tenths(model.voltage), 7: model.totalPower() });
    for (const outlet of model.outlets) {
      const common = { 2: 1, 3: outlet.number, 4: outlet.name };
      // outletStatusOn(1) / outletStatusOff(2); the command column reads immediateOn(1) / immediateOff(2).
      switchedStatus.setRow([outlet.number], { 1: outlet.number, ...common, 5: outlet.on ? 1 : 2, 6: outlet.rebooting ? 1 : 2 });
      switchedControl.setRow([outlet.number], { 1: outlet.number, ...common, 5: outlet.on ? 1 : 2 });
      const index = meteredIndex(outlet);
      meteredStatus.setRow([index], { 1: index, ...common, 5: 1, 6: tenths(model.current(outlet)), 7: model.power(outlet) });
    }
    if (!probe) return;
    const degrees = options.fahrenheit ? toFahrenheit(model.temperature) : model.temperature;
    temperature.setRow([1], { 1: 1, 2: 1, 3: hundredths(degrees) });
    humidity.setRow([1], { 1: 1, 2: 1, 3: hundredths(model.humidity) });
  }
  sync();
  model.on('change', sync);

  return runningAgent('cyberpower-epdu2', started, model, sets, `CyberPower switched ePDU2 (SNMP, CPS-MIB, ${outlets} outlets)`);
}
