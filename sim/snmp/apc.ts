import * as snmp from 'net-snmp';
import type { SimModel } from '../model';
import { startAgent, type StartedAgent } from './agent';
import { runningAgent, simModel, type SimDevice, type SimDeviceOptions } from './sim-device';
import { SimTable, type SetRecord } from './table';

// What the three APC agents (rPDU2, rPDU, MasterSwitch) have in common: the management card that
// answers for the simulated outlets, scalars and tables as PowerNet-MIB defines them, and how an
// outlet command written to a table is carried out.

/** What the Network Management Card says about itself: hardware, firmware, the PDU's model and serial. */
export interface ApcCard { hw: string; aos: string; app: string; appVersion: string; model: string; serial: string }

/** The card's sysDescr: firmware modules, model (MN), serial (SN). */
function apcSysDescr(card: ApcCard): string {
  const aos = card.aos.replace(/\./g, '');
  const app = card.appVersion.replace(/\./g, '');
  return `APC Web/SNMP Management Card (MB:v4.1.0 PF:v${card.aos} PN:apc_${card.hw}_aos_${aos}.bin `
    + `AF1:v${card.appVersion} AN1:apc_${card.hw}_${card.app}_${app}.bin MN:${card.model} HR:02 `
    + `SN: ${card.serial} MD:03/15/2012)`;
}

export interface ApcAgent {
  model: SimModel;
  started: StartedAgent;
  mib: snmp.Mib;
  sets: SetRecord[];
}

/** The simulated outlets (eight unless told) behind an agent that answers as the card would. */
export async function startApcAgent(options: SimDeviceOptions, card: ApcCard, sysObjectID: string, sysName: string): Promise<ApcAgent> {
  const model = simModel(options, 8);
  const started = await startAgent({
    port: options.port ?? 0,
    address: options.address,
    readCommunity: options.readCommunity,
    writeCommunity: options.writeCommunity,
    sysDescr: apcSysDescr(card),
    sysObjectID,
    sysName: options.name ?? sysName,
  }, model);
  return { model, started, mib: started.mib, sets: [] };
}

/** Register read-only scalars: [name, OID, type, value]. */
export function addScalars(mib: snmp.Mib, scalars: Array<[string, string, snmp.ObjectType, unknown]>): void {
  for (const [name, oid, type, value] of scalars) {
    mib.registerProvider({ name, type: snmp.MibProviderType.Scalar, oid, scalarType: type, maxAccess: snmp.MaxAccess['read-only'] });
    mib.setScalarValue(name, value);
  }
}

/** A column that switches the outlet its row stands for (row index = outlet number). */
export interface CommandColumn {
  column: number;
  /** Value written -> what it does; a value not listed is refused. */
  commands: Record<number, OutletCommand>;
  model: SimModel;
  log: SetRecord[];
  /** Rewrites the tables from the model (the command column reads back the state). */
  refresh: () => void;
}

/** A PowerNet-MIB table indexed by its first column: [column number, name, type] as in the MIB. */
export function apcTable(mib: snmp.Mib, name: string, oid: string, columns: Array<[number, string, snmp.ObjectType]>,
  command?: CommandColumn): SimTable {
  return new SimTable(mib, {
    name,
    oid,
    index: [{ columnName: columns[0][1] }],
    columns: columns.map(([number, column, type]) => ({
      number, name: column, type, access: number === command?.column ? 'read-write' : 'read-only',
    })),
    onSet: command && ((column, row, value, commit) => (column === command.column
      ? runOutletCommand(command.model, Number(row), command.commands[Number(value)], commit, command.refresh)
      : snmp.ErrorStatus.NotWritable)),
    log: command?.log,
  });
}

export type OutletCommand = 'on' | 'off' | 'reboot' | 'none';

/**
 * Carry out an outlet command written by SET. An outlet the administrator locked refuses the
 * whole request with genErr, in the test pass already, so that nothing of it is committed.
 * The command column reads back the outlet's state: `refresh` rewrites it after net-snmp has
 * stored the written value.
 */
function runOutletCommand(model: SimModel, number: number, command: OutletCommand | undefined,
  commit: boolean, refresh: () => void): snmp.ErrorStatus | undefined {
  const outlet = model.outlet(number);
  if (!outlet) return snmp.ErrorStatus.NoSuchName;
  if (!command) return snmp.ErrorStatus.WrongValue;
  if (command !== 'none' && outlet.locked) return snmp.ErrorStatus.GeneralError;
  if (!commit) return undefined;
  if (command === 'reboot') model.reboot(outlet.number);
  else if (command !== 'none') model.switch(outlet.number, command === 'on');
  setImmediate(refresh);
  return undefined;
}

/** The running device: its agent, the model behind it and the SETs it accepted. */
export function apcSimDevice(id: string, started: StartedAgent, model: SimModel, sets: SetRecord[], summary: string): SimDevice {
  return runningAgent(id, started, model, sets, summary);
}
