import * as snmp from 'net-snmp';
import { startAgent } from './agent';
import { runningAgent, simModel, type SimDevice, type SimDeviceOptions } from './sim-device';
import { INT, SimTable, STR, type SetRecord } from './table';

// The Sentry power manager as an SNMP agent, written from Sentry2-MIB (patent Table X):
// a chain of boards A.. with four ports each, string indexes of fixed size, DisplayString values
// as the Power Control Screen prints them.
const ROOT = '1.3.6.1.4.1.1718.2';
const CHAIN = `${ROOT}.1`;
const POWER_ACTION = { powerOff: 1, powerOn: 2, reboot: 3, noop: 4 };
const MODULE_TEXT = { normal: 'Normal', noResponse: 'No Rspns', onFail: 'OnS Fail', offFail: 'Off Fail' };
/** sentry2ErrorCode: 410 operation command negative response (the port is locked). */
const ERROR_NEGATIVE = 410;

export async function createSentry2Sim(options: SimDeviceOptions): Promise<SimDevice> {
  const model = simModel(options, 8, { temperature: 27 });
  const boards = Math.ceil(model.outlets.length / 4);
  const letter = (board: number): string => String.fromCharCode(65 + board);
  const portId = (number: number): string => `${letter(Math.floor((number - 1) / 4))}${((number - 1) % 4) + 1}`;
  const started = await startAgent({
    port: options.port ?? 0,
    address: options.address,
    readCommunity: options.readCommunity,
    writeCommunity: options.writeCommunity,
    answerCommunity: options.answerCommunity,
    maxSetVarbinds: options.maxSetVarbinds,
    sysDescr: 'Sentry Power Manager Version 2.0a',
    sysObjectID: ROOT,
    sysName: options.name ?? 'sentry2-sim',
  }, model);
  const { mib } = started;

  const scalar = (name: string, oid: string, type: snmp.ObjectType, value: unknown): void => {
    mib.registerProvider({ name, type: snmp.MibProviderType.Scalar, oid, scalarType: type, maxAccess: snmp.MaxAccess['read-only'] });
    mib.setScalarValue(name, value);
  };
  scalar('sentry2ChainLocation', `${CHAIN}.1`, STR, options.name ?? 'rack-12');
  scalar('sentry2ChainLastBoard', `${CHAIN}.2`, STR, letter(boards - 1));
  scalar('sentry2ErrorReqId', `${ROOT}.2.1`, INT, 0);
  scalar('sentry2ErrorCode', `${ROOT}.2.2`, INT, 0);

  const boardTable = new SimTable(mib, {
    name: 'sentry2BoardTable',
    oid: `${CHAIN}.3.1`,
    index: [{ columnName: 'sentry2BoardIndex', length: 1 }],
    columns: [
      { number: 1, name: 'sentry2BoardIndex', type: STR, access: 'not-accessible' },
      { number: 2, name: 'sentry2BoardPageName', type: STR },
      { number: 3, name: 'sentry2BoardCodeVersion', type: STR },
      { number: 4, name: 'sentry2BoardTemperature', type: STR },
      { number: 5, name: 'sentry2BoardInputLoad', type: STR },
    ],
  });

  const sets: SetRecord[] = [];
  const portTable = new SimTable(mib, {
    name: 'sentry2PortTable',
    log: sets,
    oid: `${CHAIN}.4.1`,
    index: [{ columnName: 'sentry2PortIndex', length: 2 }],
    columns: [
      { number: 1, name: 'sentry2PortIndex', type: STR, access: 'not-accessible' },
      { number: 2, name: 'sentry2PortPowerAction', type: INT, access: 'read-write' },
      { number: 3, name: 'sentry2PortDeviceName', type: STR },
      { number: 4, name: 'sentry2PortControlStatus', type: STR },
      { number: 5, name: 'sentry2PortModuleStatus', type: STR },
      { number: 6, name: 'sentry2PortDeviceLoad', type: STR },
    ],
    onSet: (column, row, value, commit) => {
      const id = row.split('.').map((arc) => String.fromCharCode(Number(arc))).join('');
      const outlet = model.outlets.find((candidate) => portId(candidate.number) === id);
      if (column !== 2 || !outlet) return snmp.ErrorStatus.NoSuchName;
      const action = Number(value);
      if (!Object.values(POWER_ACTION).includes(action)) return snmp.ErrorStatus.WrongValue;
      if (action === POWER_ACTION.noop) return undefined;
      if (outlet.locked) {
        mib.setScalarValue('sentry2ErrorCode', ERROR_NEGATIVE);
        return snmp.ErrorStatus.GeneralError;
      }
      if (!commit) return undefined;
      if (action === POWER_ACTION.reboot) model.reboot(outlet.number);
      else model.switch(outlet.number, action === POWER_ACTION.powerOn);
      // A get of the power action answers noop; restore it once this SET has been committed.
      setImmediate(sync);
      return undefined;
    },
  });

  const amps = (value: number): string => `${value.toFixed(2)}A`;
  function sync(): void {
    for (let board = 0; board < boards; board += 1) {
      const ports = model.outlets.slice(board * 4, board * 4 + 4);
      const load = ports.reduce((sum, outlet) => sum + model.current(outlet), 0);
      boardTable.setRow([letter(board)], {
        1: letter(board),
        2: `Board ${letter(board)}`,
        3: 'v2.0a',
        4: `${model.temperature.toFixed(1)} Deg C.`,
        5: amps(load),
      });
    }
    for (const outlet of model.outlets) {
      const id = portId(outlet.number);
      portTable.setRow([id], {
        1: id,
        2: POWER_ACTION.noop,
        3: outlet.name,
        4: outlet.on ? 'On' : 'Off',
        5: MODULE_TEXT[outlet.module],
        6: outlet.on ? amps(model.current(outlet)) : 'Not On',
      });
    }
  }
  sync();
  model.on('change', sync);

  return runningAgent('sentry2', started, model, sets, `Sentry2 power manager (SNMP, ${model.outlets.length} ports)`);
}
