import * as snmp from 'net-snmp';
import { toFahrenheit, type ProbeOptions } from './probe';
import { addScalar, startPduAgent } from './pdu-agent';
import { runningAgent, simModel, type SimDevice, type SimDeviceOptions } from './sim-device';
import { GAUGE, INT, SimTable, STR, type SetRecord } from './table';

// A CyberPower switched, metered-by-outlet ePDU (PDU41004 class) as an SNMP agent, written from
// the ePDU branch of CPS-MIB: one phase feeding two banks, outlets that switch and reboot, and an
// ENVIROSENSOR whose scalars exist only while it is plugged in.
const C = '1.3.6.1.4.1.3808.1.1.3';
const ENVIRONMENT = '1.3.6.1.4.1.3808.1.1.4';

/** ePDUOutletControlOutletCommand */
const COMMAND = {
  immediateOn: 1, immediateOff: 2, immediateReboot: 3, delayedOn: 4, delayedOff: 5, delayedReboot: 6,
  cancelPendingCommand: 7, outletIdentify: 8,
};
/** ePDUOutletStatusOutletState, ePDUOutletStatusCommandPending */
const STATE = { on: 1, off: 2 };
const PENDING = { pending: 1, none: 2 };
/** Delays of the delayed commands (ePDUOutletConfigPowerOnTime / PowerOffTime), seconds. */
const DELAY = { on: 1, off: 1 };

export type CyberPowerSimOptions = SimDeviceOptions & ProbeOptions;

export async function createCyberPowerEpduSim(options: CyberPowerSimOptions): Promise<SimDevice> {
  const model = simModel(options, 8, { voltage: 120 });
  const outletCount = model.outlets.length;
  const banks = outletCount > 1 ? 2 : 1;
  const bankOf = (number: number): number => (number <= Math.ceil(outletCount / banks) ? 1 : 2);
  const pending = new Map<number, NodeJS.Timeout>();
  const started = await startPduAgent(options, model, {
    sysDescr: 'CyberPower PDU41004 Switched Metered-by-Outlet PDU',
    sysObjectID: C,
    sysName: 'cyberpower-sim',
  });
  const { mib } = started;

  addScalar(mib, 'ePDUIdentName', `${C}.1.1`, STR, options.name ?? 'rack-12-pdu-a');
  addScalar(mib, 'ePDUIdentHardwareRev', `${C}.1.2`, STR, 'A1');
  addScalar(mib, 'ePDUIdentFirmwareRev', `${C}.1.3`, STR, '1.3.4');
  addScalar(mib, 'ePDUIdentModelNumber', `${C}.1.5`, STR, 'PDU41004');
  addScalar(mib, 'ePDUIdentSerialNumber', `${C}.1.6`, STR, 'SIM0000001');
  addScalar(mib, 'ePDUIdentDeviceRating', `${C}.1.7`, INT, 15);
  addScalar(mib, 'ePDUIdentDeviceNumOutlets', `${C}.1.8`, INT, outletCount);
  addScalar(mib, 'ePDUIdentDeviceNumPhases', `${C}.1.9`, INT, 1);
  addScalar(mib, 'ePDUIdentDeviceNumBreakers', `${C}.1.10`, INT, banks);
  addScalar(mib, 'ePDULoadDevNumPhases', `${C}.2.1.2`, INT, 1);
  addScalar(mib, 'ePDULoadDevNumBanks', `${C}.2.1.4`, INT, banks);
  addScalar(mib, 'ePDUOutletDevNumCntrlOutlets', `${C}.3.1.3`, INT, outletCount);
  addScalar(mib, 'ePDUOutletDevNumTotalOutlets', `${C}.3.1.4`, INT, outletCount);
  if (!options.noProbe) {
    addScalar(mib, 'envirIdentName', `${ENVIRONMENT}.1.1`, STR, 'ENVIROSENSOR');
    for (const [name, arc] of [['envirTemperature', '2.1'], ['envirTemperatureCelsius', '2.6'], ['envirHumidity', '3.1']]) {
      addScalar(mib, name, `${ENVIRONMENT}.${arc}`, INT, 0);
    }
  }

  // Phase rows first, then bank rows (bank number 0 on a phase row).
  const loadStatus = new SimTable(mib, {
    name: 'ePDULoadStatusTable',
    oid: `${C}.2.3.1.1`,
    index: [{ columnName: 'ePDULoadStatusIndex' }],
    columns: [
      { number: 1, name: 'ePDULoadStatusIndex', type: INT },
      { number: 2, name: 'ePDULoadStatusLoad', type: GAUGE },
      { number: 3, name: 'ePDULoadStatusLoadState', type: INT },
      { number: 4, name: 'ePDULoadStatusPhaseNumber', type: INT },
      { number: 5, name: 'ePDULoadStatusBankNumber', type: INT },
      { number: 6, name: 'ePDULoadStatusVoltage', type: INT },
      { number: 7, name: 'ePDULoadStatusActivePower', type: INT },
    ],
  });

  const sets: SetRecord[] = [];
  const outletControl = new SimTable(mib, {
    name: 'ePDUOutletControlTable',
    log: sets,
    oid: `${C}.3.3.1.1`,
    index: [{ columnName: 'ePDUOutletControlIndex' }],
    columns: [
      { number: 1, name: 'ePDUOutletControlIndex', type: INT },
      { number: 2, name: 'ePDUOutletControlOutletName', type: STR },
      { number: 3, name: 'ePDUOutletControlOutletPhase', type: INT },
      { number: 4, name: 'ePDUOutletControlOutletCommand', type: INT, access: 'read-write' },
      { number: 5, name: 'ePDUOutletControlOutletBank', type: INT },
    ],
    onSet: (column, row, value, commit) => {
      const outlet = model.outlet(Number(row));
      if (column !== 4 || !outlet) return snmp.ErrorStatus.NoSuchName;
      const command = Number(value);
      if (!Object.values(COMMAND).includes(command)) return snmp.ErrorStatus.WrongValue;
      // CPS-MIB has no per-outlet lock; the device refuses a command it may not carry out
      // (an overload restriction) with a general error.
      if (outlet.locked && command !== COMMAND.outletIdentify) return snmp.ErrorStatus.GeneralError;
      if (!commit) return undefined;
      run(outlet.number, command);
      // A get of the command column answers the outlet state: put it back after this SET.
      setImmediate(sync);
      return undefined;
    },
  });
  const outletConfig = new SimTable(mib, {
    name: 'ePDUOutletConfigTable',
    oid: `${C}.3.4.1.1`,
    index: [{ columnName: 'ePDUOutletConfigIndex' }],
    columns: [
      { number: 1, name: 'ePDUOutletConfigIndex', type: INT },
      { number: 2, name: 'ePDUOutletConfigOutletName', type: STR },
      { number: 3, name: 'ePDUOutletConfigOutletPhase', type: INT },
      { number: 4, name: 'ePDUOutletConfigPowerOnTime', type: INT },
      { number: 5, name: 'ePDUOutletConfigPowerOffTime', type: INT },
      { number: 6, name: 'ePDUOutletConfigRebootDuration', type: INT },
      { number: 7, name: 'ePDUOutletConfigOutletBank', type: INT },
    ],
  });
  const outletStatus = new SimTable(mib, {
    name: 'ePDUOutletStatusTable',
    oid: `${C}.3.5.1.1`,
    index: [{ columnName: 'ePDUOutletStatusIndex' }],
    columns: [
      { number: 1, name: 'ePDUOutletStatusIndex', type: INT },
      { number: 2, name: 'ePDUOutletStatusOutletName', type: STR },
      { number: 3, name: 'ePDUOutletStatusOutletPhase', type: INT },
      { number: 4, name: 'ePDUOutletStatusOutletState', type: INT },
      { number: 5, name: 'ePDUOutletStatusCommandPending', type: INT },
      { number: 6, name: 'ePDUOutletStatusOutletBank', type: INT },
      { number: 7, name: 'ePDUOutletStatusLoad', type: GAUGE },
      { number: 8, name: 'ePDUOutletStatusActivePower', type: GAUGE },
      { number: 9, name: 'ePDUOutletStatusAlarm', type: INT },
    ],
  });

  function run(number: number, command: number): void {
    const later = (seconds: number, action: () => void): void => {
      clearTimeout(pending.get(number));
      pending.set(number, setTimeout(() => { pending.delete(number); action(); sync(); }, seconds * 1000));
    };
    if (command === COMMAND.outletIdentify) return;
    clearTimeout(pending.get(number));
    pending.delete(number);
    if (command === COMMAND.immediateOn) model.switch(number, true);
    else if (command === COMMAND.immediateOff) model.switch(number, false);
    else if (command === COMMAND.immediateReboot) model.reboot(number);
    else if (command === COMMAND.delayedOn) later(DELAY.on, () => model.switch(number, true));
    else if (command === COMMAND.delayedOff) later(DELAY.off, () => model.switch(number, false));
    else if (command === COMMAND.delayedReboot) later(DELAY.off, () => model.reboot(number));
  }

  const tenths = (value: number): number => Math.round(value * 10);

  function sync(): void {
    const bankRows = Array.from({ length: banks }, (_, b) => model.outlets.filter((outlet) => bankOf(outlet.number) === b + 1));
    const rows = [{ bank: 0, outlets: model.outlets }, ...bankRows.map((outlets, b) => ({ bank: b + 1, outlets }))];
    rows.forEach(({ bank, outlets }, position) => {
      const amps = outlets.reduce((sum, outlet) => sum + model.current(outlet), 0);
      // loadNormal(1)
      loadStatus.setRow([position + 1], {
        1: position + 1, 2: tenths(amps), 3: 1, 4: 1, 5: bank, 6: tenths(model.voltage),
        7: outlets.reduce((sum, outlet) => sum + model.power(outlet), 0),
      });
    });
    const rebootSeconds = Math.max(1, Math.round(model.rebootDelay / 1000));
    for (const outlet of model.outlets) {
      const n = outlet.number;
      const bank = bankOf(n);
      // phase1(1)
      outletControl.setRow([n], { 1: n, 2: outlet.name, 3: 1, 4: outlet.on ? COMMAND.immediateOn : COMMAND.immediateOff, 5: bank });
      outletConfig.setRow([n], { 1: n, 2: outlet.name, 3: 1, 4: DELAY.on, 5: DELAY.off, 6: rebootSeconds, 7: bank });
      outletStatus.setRow([n], {
        1: n, 2: outlet.name, 3: 1, 4: outlet.on ? STATE.on : STATE.off,
        5: pending.has(n) || outlet.rebooting ? PENDING.pending : PENDING.none, 6: bank,
        7: tenths(model.current(outlet)), 8: model.power(outlet), 9: 1,
      });
    }
    if (!options.noProbe) {
      mib.setScalarValue('envirTemperature', tenths(toFahrenheit(model.temperature)));
      mib.setScalarValue('envirTemperatureCelsius', tenths(model.temperature));
      mib.setScalarValue('envirHumidity', Math.round(model.humidity));
    }
  }
  sync();
  model.on('change', sync);

  return runningAgent('cyberpower-epdu', started, model, sets, `CyberPower switched ePDU (SNMP, CPS-MIB, ${outletCount} outlets)`, () => {
    for (const timer of pending.values()) clearTimeout(timer);
    pending.clear();
  });
}
