import * as snmp from 'net-snmp';
import { startPduAgent } from './pdu-agent';
import { runningAgent, simModel, type SimDevice, type SimDeviceOptions } from './sim-device';
import { INT, SimTable, STR, type SetRecord } from './table';

// An Avocent PM3000 PDU on serial port 1 of its agent, written from PM-MIB: rows are indexed
// port.pdu.outlet (and port.pdu.phase); one PDU, one phase. pmPowerMgmtOutletsTablePowerControl
// reads noAction(1) and acts on powerOn(2), powerOff(3), powerCycle(4). An outlet locked at the
// PDU reads offLocked/onLocked and refuses commands.
const A = '1.3.6.1.4.1.10418.17.2.5';
/** pm3024 (pmProducts 7), the identity NUT's scanner keys its Avocent driver on. */
const SYS_OBJECT_ID = '1.3.6.1.4.1.10418.17.1.7';
const PORT = 1;
const PDU = 1;

/** pmPowerMgmtOutletsTableStatus */
const STATUS = { off: 1, on: 2, offLocked: 3, onLocked: 4 };
/** pmPowerMgmtOutletsTablePowerControl */
const CONTROL = { noAction: 1, powerOn: 2, powerOff: 3, powerCycle: 4 };

export async function createAvocentPmSim(options: SimDeviceOptions): Promise<SimDevice> {
  const model = simModel(options, 8);
  const outletCount = model.outlets.length;
  const started = await startPduAgent(options, model, {
    sysDescr: 'Avocent PM3000 Power Distribution Unit',
    sysObjectID: SYS_OBJECT_ID,
    sysName: 'avocent-pm-sim',
  });
  const { mib } = started;
  const sets: SetRecord[] = [];
  // InterfaceIndex index columns, read-only in this MIB: answered like any column.
  const position = (prefix: string) => [
    { number: 1, name: `${prefix}PortNumber`, type: INT },
    { number: 2, name: `${prefix}PduNumber`, type: INT },
    { number: 3, name: `${prefix}Number`, type: INT },
  ];
  const index = (prefix: string) => ['PortNumber', 'PduNumber', 'Number'].map((part) => ({ columnName: `${prefix}${part}` }));

  const pduTable = new SimTable(mib, {
    name: 'pmPowerMgmtPDUTable',
    oid: `${A}.3.1`,
    index: [{ columnName: 'pmPowerMgmtPDUTablePortNumber' }, { columnName: 'pmPowerMgmtPDUTablePduIndex' }],
    columns: [
      { number: 1, name: 'pmPowerMgmtPDUTablePortNumber', type: INT },
      { number: 2, name: 'pmPowerMgmtPDUTablePduIndex', type: INT },
      { number: 3, name: 'pmPowerMgmtPDUTablePduId', type: STR },
      { number: 5, name: 'pmPowerMgmtPDUTableModel', type: STR },
      { number: 6, name: 'pmPowerMgmtPDUTableVendor', type: STR },
      { number: 8, name: 'pmPowerMgmtPDUTableNumberOfOutlets', type: INT },
    ],
  });
  pduTable.setRow([PORT, PDU], { 1: PORT, 2: PDU, 3: options.name ?? 'rack-12-pdu-a', 5: 'PM3024V', 6: 'Avocent', 8: outletCount });

  const outletTable = new SimTable(mib, {
    name: 'pmPowerMgmtOutletsTable',
    oid: `${A}.5.1`,
    log: sets,
    index: index('pmPowerMgmtOutletsTable'),
    columns: [
      ...position('pmPowerMgmtOutletsTable'),
      { number: 4, name: 'pmPowerMgmtOutletsTableName', type: STR },
      { number: 5, name: 'pmPowerMgmtOutletsTableStatus', type: INT },
      { number: 6, name: 'pmPowerMgmtOutletsTablePowerControl', type: INT, access: 'read-write' },
      { number: 50, name: 'pmPowerMgmtOutletsTableCurrentValue', type: INT },
      { number: 60, name: 'pmPowerMgmtOutletsTablePowerValue', type: INT },
      { number: 70, name: 'pmPowerMgmtOutletsTableVoltageValue', type: INT },
    ],
    onSet: (column, row, value, commit) => {
      const [port, pdu, number] = row.split('.').map(Number);
      const outlet = port === PORT && pdu === PDU ? model.outlet(number) : undefined;
      if (column !== 6 || !outlet) return snmp.ErrorStatus.NotWritable;
      const command = Number(value);
      if (![CONTROL.powerOn, CONTROL.powerOff, CONTROL.powerCycle].includes(command)) return snmp.ErrorStatus.WrongValue;
      if (outlet.locked) return snmp.ErrorStatus.GeneralError;
      if (!commit) return undefined;
      if (command === CONTROL.powerCycle) model.reboot(number);
      else model.switch(number, command === CONTROL.powerOn);
      // The agent stores the written value after this handler: the column reads noAction(1) again.
      setImmediate(sync);
      return undefined;
    },
  });

  const phaseTable = new SimTable(mib, {
    name: 'pmPowerMgmtPhasesTable',
    oid: `${A}.9.1`,
    index: index('pmPowerMgmtPhasesTable'),
    columns: [
      ...position('pmPowerMgmtPhasesTable'),
      { number: 4, name: 'pmPowerMgmtPhasesTableName', type: STR },
      { number: 50, name: 'pmPowerMgmtPhasesTableCurrentValue', type: INT },
      { number: 70, name: 'pmPowerMgmtPhasesTableVoltageValue', type: INT },
    ],
  });

  const tenths = (value: number): number => Math.round(value * 10);

  function status(on: boolean, locked: boolean): number {
    if (locked) return on ? STATUS.onLocked : STATUS.offLocked;
    return on ? STATUS.on : STATUS.off;
  }

  function sync(): void {
    phaseTable.setRow([PORT, PDU, 1], { 1: PORT, 2: PDU, 3: 1, 4: 'X', 50: tenths(model.totalCurrent()), 70: Math.round(model.voltage) });
    for (const outlet of model.outlets) {
      const n = outlet.number;
      outletTable.setRow([PORT, PDU, n], {
        1: PORT, 2: PDU, 3: n, 4: outlet.name, 5: status(outlet.on, outlet.locked), 6: CONTROL.noAction,
        50: tenths(model.current(outlet)), 60: tenths(model.power(outlet)), 70: Math.round(model.voltage),
      });
    }
  }
  sync();
  model.on('change', sync);

  return runningAgent('avocent-pm', started, model, sets, `Avocent PM PDU (SNMP, PM-MIB, ${outletCount} outlets)`);
}
