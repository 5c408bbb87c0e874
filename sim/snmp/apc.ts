import * as snmp from 'net-snmp';
import type { SimModel } from '../model';
import type { StartedAgent } from './agent';
import type { SimDevice } from './sim-device';
import { SimTable, type SetRecord } from './table';

// What the three APC agents (rPDU2, rPDU, MasterSwitch) have in common: the management card's
// sysDescr, plain scalars, and how an outlet command is carried out.

/** The Network Management Card's sysDescr: firmware modules, model (MN), serial (SN). */
export function apcSysDescr(card: { hw: string; aos: string; app: string; appVersion: string; model: string; serial: string }): string {
  const aos = card.aos.replace(/\./g, '');
  const app = card.appVersion.replace(/\./g, '');
  return `APC Web/SNMP Management Card (MB:v4.1.0 PF:v${card.aos} PN:apc_${card.hw}_aos_${aos}.bin `
    + `AF1:v${card.appVersion} AN1:apc_${card.hw}_${card.app}_${app}.bin MN:${card.model} HR:02 `
    + `SN: ${card.serial} MD:03/15/2012)`;
}

/** Register read-only scalars: [name, OID, type, value]. */
export function addScalars(mib: snmp.Mib, scalars: Array<[string, string, snmp.ObjectType, unknown]>): void {
  for (const [name, oid, type, value] of scalars) {
    mib.registerProvider({ name, type: snmp.MibProviderType.Scalar, oid, scalarType: type, maxAccess: snmp.MaxAccess['read-only'] });
    mib.setScalarValue(name, value);
  }
}

/** A PowerNet-MIB table indexed by its first column: [column number, name, type] as in the MIB. */
export function apcTable(mib: snmp.Mib, name: string, oid: string, columns: Array<[number, string, snmp.ObjectType]>,
  writable?: { columns: number[]; log: SetRecord[]; onSet: (column: number, row: string, value: unknown, commit: boolean) => snmp.ErrorStatus | void }): SimTable {
  return new SimTable(mib, {
    name,
    oid,
    index: [{ columnName: columns[0][1] }],
    columns: columns.map(([number, column, type]) => ({
      number, name: column, type, access: writable?.columns.includes(number) ? 'read-write' : 'read-only',
    })),
    onSet: writable?.onSet,
    log: writable?.log,
  });
}

export type OutletCommand = 'on' | 'off' | 'reboot' | 'none';

/**
 * Carry out an outlet command written by SET. An outlet the administrator locked refuses the
 * whole request with genErr, in the test pass already, so that nothing of it is committed.
 * The command column reads back the outlet's state: `refresh` rewrites it after net-snmp has
 * stored the written value.
 */
export function runOutletCommand(model: SimModel, number: number | undefined, command: OutletCommand | undefined,
  commit: boolean, refresh: () => void): snmp.ErrorStatus | undefined {
  const outlet = number === undefined ? undefined : model.outlet(number);
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
  return {
    id,
    port: started.port,
    model,
    sets,
    summary: `${summary} on udp ${started.port}`,
    async stop() {
      model.stop();
      model.removeAllListeners();
      await started.close();
    },
  };
}
