import { addScalars, apcSimDevice, apcTable, startApcAgent, type ApcCard, type OutletCommand } from './apc';
import type { SimDevice, SimDeviceOptions } from './sim-device';
import { GAUGE, INT, STR } from './table';

// An APC Switched Rack PDU of the first generation (AP7941) as an SNMP agent, written from
// PowerNet-MIB's rPDU branch: outlet control and status tables indexed by outlet number, and a
// load table that lists the phase first and then the two banks of outlets.

const RPDU = '1.3.6.1.4.1.318.1.1.12';
const SYS_OBJECT_ID = '1.3.6.1.4.1.318.1.3.4.5'; // masterSwitchrPDU
const CARD: ApcCard = { hw: 'hw02', aos: '3.7.3', app: 'rpdu', appVersion: '3.7.4', model: 'AP7941', serial: 'ZA0917012345' };

/** rPDUOutletControlOutletCommand as written. The outlets have no on/off delays set, so delayed = immediate. */
const COMMANDS: Record<number, OutletCommand> = {
  1: 'on', 2: 'off', 3: 'reboot', 4: 'on', 5: 'off', 6: 'reboot', 7: 'none',
};

export async function createApcRpduSim(options: SimDeviceOptions): Promise<SimDevice> {
  const { model, started, mib, sets } = await startApcAgent(options, CARD, SYS_OBJECT_ID, 'apc-rpdu-sim');
  const count = model.outlets.length;
  // Two banks of outlets (none for a single outlet): bank numbers 1 and 2, 0 meaning no bank.
  const banks = count > 1 ? 2 : 0;
  const bankOf = (number: number): number => (banks === 0 ? 0 : Math.ceil(number / Math.ceil(count / banks)));

  addScalars(mib, [
    ['rPDUIdentName', `${RPDU}.1.1`, STR, options.name ?? 'RackPDU'],
    ['rPDUIdentModelNumber', `${RPDU}.1.5`, STR, 'AP7941'],
    ['rPDUIdentDeviceNumOutlets', `${RPDU}.1.8`, INT, count],
    ['rPDULoadDevNumPhases', `${RPDU}.2.1.2`, INT, 1],
    ['rPDULoadDevNumBanks', `${RPDU}.2.1.4`, INT, banks],
    ['rPDUOutletDevNumCntrlOutlets', `${RPDU}.3.1.3`, INT, count],
    ['rPDUOutletDevNumTotalOutlets', `${RPDU}.3.1.4`, INT, count],
  ]);

  const load = apcTable(mib, 'rPDULoadStatusTable', `${RPDU}.2.3.1.1`, [
    [1, 'rPDULoadStatusIndex', INT], [2, 'rPDULoadStatusLoad', GAUGE], [3, 'rPDULoadStatusLoadState', INT],
    [4, 'rPDULoadStatusPhaseNumber', INT], [5, 'rPDULoadStatusBankNumber', INT],
  ]);
  const control = apcTable(mib, 'rPDUOutletControlTable', `${RPDU}.3.3.1.1`, [
    [1, 'rPDUOutletControlIndex', INT], [2, 'rPDUOutletControlOutletName', STR], [3, 'rPDUOutletControlOutletPhase', INT],
    [4, 'rPDUOutletControlOutletCommand', INT], [5, 'rPDUOutletControlOutletBank', INT],
  ], { column: 4, commands: COMMANDS, model, log: sets, refresh: sync });
  // No rPDUOutletStatusLoad: only the outlet-monitored models answer it, not the AP79xx.
  const status = apcTable(mib, 'rPDUOutletStatusTable', `${RPDU}.3.5.1.1`, [
    [1, 'rPDUOutletStatusIndex', INT], [2, 'rPDUOutletStatusOutletName', STR], [3, 'rPDUOutletStatusOutletPhase', INT],
    [4, 'rPDUOutletStatusOutletState', INT], [5, 'rPDUOutletStatusCommandPending', INT], [6, 'rPDUOutletStatusOutletBank', INT],
  ]);

  const tenths = (amps: number): number => Math.round(amps * 10);
  /** phaseLoadNormal(1), phaseLoadLow(2) below 0.1 A. */
  const loadState = (amps: number): number => (amps < 0.1 ? 2 : 1);
  function sync(): void {
    // The phase row comes first (bank 0), then one row per bank, all in tenths of A.
    const rows = [{ bank: 0, amps: model.totalCurrent() }];
    for (let bank = 1; bank <= banks; bank += 1) {
      const amps = model.outlets.filter((outlet) => bankOf(outlet.number) === bank)
        .reduce((sum, outlet) => sum + model.current(outlet), 0);
      rows.push({ bank, amps });
    }
    rows.forEach((row, i) => load.setRow([i + 1], { 1: i + 1, 2: tenths(row.amps), 3: loadState(row.amps), 4: 1, 5: row.bank }));
    for (const outlet of model.outlets) {
      const n = outlet.number;
      // Both read outletOn(1) / outletOff(2); all outlets sit on phase1(1).
      control.setRow([n], { 1: n, 2: outlet.name, 3: 1, 4: outlet.on ? 1 : 2, 5: bankOf(n) });
      status.setRow([n], { 1: n, 2: outlet.name, 3: 1, 4: outlet.on ? 1 : 2, 5: 2, 6: bankOf(n) });
    }
  }
  sync();
  model.on('change', sync);

  return apcSimDevice('apc-rpdu', started, model, sets, `APC Switched Rack PDU AP79xx (SNMP, ${count} outlets)`);
}
