import assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Device } from '../../lib/device/device';
import { driverFor } from '../helpers/drivers';
import { SnmpClient } from '../../lib/transports/snmp/client';
import { freeUdpPort } from '../../sim/snmp/agent';

// The apc-rpdu2 profile against a real agent that is not ours: net-snmp's snmpd serving, with
// `override`, an rPDU2 chain laid out as PowerNet-MIB allows, every table with an index of its
// own. Unit 1 is switched only (no metered rows), unit 2 is metered by outlet; the control and
// metered tables list their rows in other orders than the status table. The control cells are
// writable (`override -rw`): snmpd stores what is written, so the test reads back where a SET went.

const RPDU2 = '1.3.6.1.4.1.318.1.1.26';
const SWITCHED_STATUS = `${RPDU2}.9.2.3.1`;
const SWITCHED_CONTROL = `${RPDU2}.9.2.4.1`;
const METERED_STATUS = `${RPDU2}.9.4.3.1`;

/** Outlets as [unit, number, name, on]; status row = position + 1. */
const OUTLETS: Array<[number, number, string, boolean]> = [
  [1, 1, 'db-1', true], [1, 2, 'db-2', false], [1, 3, 'db-3', true],
  [2, 1, 'web-1', true], [2, 2, 'web-2', true], [2, 3, 'web-3', false],
];
/** Control row for each outlet (by position): reversed. */
const controlRow = (position: number): number => OUTLETS.length - position;
/** Metered rows for unit 2 only, in the order 2:3, 2:1, 2:2, with tenths of A and W. */
const METERED: Array<[number, number, number, number]> = [[2, 3, 0, 0], [2, 1, 12, 276], [2, 2, 7, 161]];

function snmpdConfig(): string {
  const lines = [
    'rocommunity public 127.0.0.1',
    'rwcommunity private 127.0.0.1',
    'sysobjectid 1.3.6.1.4.1.318.1.3.4.6',
    'sysdescr APC Web/SNMP Management Card (MB:v4.1.0 PF:v6.5.6 PN:apc_hw05_aos_656.bin AF1:v6.5.6 AN1:apc_hw05_rpdu2g_656.bin MN:AP8653 HR:02 SN: 5A1234E56789 MD:03/15/2012)',
  ];
  const int = (oid: string, value: number, rw = false): string => `override ${rw ? '-rw ' : ''}${oid} integer ${value}`;
  OUTLETS.forEach(([unit, number, name, on], position) => {
    const row = position + 1;
    lines.push(int(`${SWITCHED_STATUS}.1.${row}`, row), int(`${SWITCHED_STATUS}.2.${row}`, unit),
      `override ${SWITCHED_STATUS}.3.${row} octet_str "${name}"`, int(`${SWITCHED_STATUS}.4.${row}`, number),
      int(`${SWITCHED_STATUS}.5.${row}`, on ? 2 : 1));
    const control = controlRow(position);
    lines.push(int(`${SWITCHED_CONTROL}.1.${control}`, control), int(`${SWITCHED_CONTROL}.2.${control}`, unit),
      int(`${SWITCHED_CONTROL}.4.${control}`, number), int(`${SWITCHED_CONTROL}.5.${control}`, on ? 1 : 2, true));
  });
  METERED.forEach(([unit, number, tenths, watts], position) => {
    const row = position + 1;
    lines.push(int(`${METERED_STATUS}.1.${row}`, row), int(`${METERED_STATUS}.2.${row}`, unit), int(`${METERED_STATUS}.4.${row}`, number),
      int(`${METERED_STATUS}.6.${row}`, tenths), int(`${METERED_STATUS}.7.${row}`, watts));
  });
  // One single-phase inlet per unit (tenths of A, V), each unit's power in hundredths of kW.
  [[1, 1, 31], [2, 2, 19]].forEach(([row, unit, tenths]) => {
    lines.push(int(`${RPDU2}.6.3.1.1.${row}`, row), int(`${RPDU2}.6.3.1.2.${row}`, unit), int(`${RPDU2}.6.3.1.5.${row}`, tenths),
      int(`${RPDU2}.6.3.1.6.${row}`, 229));
  });
  [[1, 1, 71], [2, 2, 44]].forEach(([row, unit, power]) => {
    lines.push(int(`${RPDU2}.4.3.1.1.${row}`, row), int(`${RPDU2}.4.3.1.2.${row}`, unit),
      `override ${RPDU2}.4.3.1.3.${row} octet_str "RackPDU ${unit}"`, int(`${RPDU2}.4.3.1.5.${row}`, power));
  });
  return `${lines.join('\n')}\n`;
}

describe('apc-rpdu2 against net-snmp\'s snmpd (a real agent serving an rPDU2 chain)', function () {
  let snmpd: ChildProcess | undefined;
  let dir: string;
  let port: number;
  let device: Device;

  before(async function () {
    this.timeout(20000);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rack-power-snmpd-'));
    fs.writeFileSync(path.join(dir, 'snmpd.conf'), snmpdConfig());
    port = await freeUdpPort();
    // -C: only our config; -f: stay in the foreground so that `after` can end it.
    snmpd = spawn('snmpd', ['-f', '-C', '-c', path.join(dir, 'snmpd.conf'), '-Lf', path.join(dir, 'snmpd.log'),
      '-p', path.join(dir, 'snmpd.pid'), `udp:127.0.0.1:${port}`], {
      env: { ...process.env, SNMP_PERSISTENT_DIR: dir, MIBS: '', MIBDIRS: dir },
      stdio: 'ignore',
    });
    snmpd.on('error', () => { /* reported by the wait below */ });
    const client = new SnmpClient({ host: '127.0.0.1', port, version: '2c', timeout: 300, retries: 0, readCommunity: 'public' });
    try {
      for (let attempt = 0; ; attempt += 1) {
        try {
          const [value] = await client.get([`${SWITCHED_STATUS}.3.1`]);
          if (value !== undefined) break;
        } catch { /* not up yet */ }
        if (attempt > 40) throw new Error(`snmpd did not start on udp ${port}: ${fs.readFileSync(path.join(dir, 'snmpd.log'), 'utf8').slice(-500)}`);
        await new Promise((resolve) => { setTimeout(resolve, 200); });
      }
    } finally {
      client.close();
    }
  });

  after(async function () {
    // snmpd saves its persistent state into `dir` as it stops: wait for it before removing that.
    if (snmpd && snmpd.exitCode === null && snmpd.signalCode === null) {
      const exited = new Promise((resolve) => { snmpd!.once('exit', resolve); });
      snmpd.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(function () {
    device = new Device({
      name: 'snmpd-rpdu2',
      driver: driverFor({
        transport: 'snmp', host: '127.0.0.1', port, profile: 'auto', timeout: 1000, retries: 1,
        snmpVersion: '2c', credentials: { readCommunity: 'public', writeCommunity: 'private' },
      }),
    });
  });

  afterEach(async function () {
    await device.close();
  });

  it('is detected, lists the chain as unit:outlet and joins the metered rows by unit and number', async function () {
    const description = await device.describe();
    assert.strictEqual(description.profile, 'apc-rpdu2');
    assert.deepStrictEqual(description.outlets.map(({ index, id, name }) => `${index} ${id} ${name}`),
      ['1 1:1 db-1', '2 1:2 db-2', '3 1:3 db-3', '4 2:1 web-1', '5 2:2 web-2', '6 2:3 web-3']);
    const snapshot = await device.read();
    // Unit 1 has no metered rows: its outlets have no current rather than another outlet's.
    assert.deepStrictEqual(snapshot.outlets.map(({ id, state, current, power }) => `${id} ${state} ${current ?? '-'} A ${power ?? '-'} W`), [
      '1:1 on - A - W', '1:2 off - A - W', '1:3 on - A - W', '2:1 on 1.2 A 276 W', '2:2 on 0.7 A 161 W', '2:3 off 0 A 0 W',
    ]);
    assert.deepStrictEqual(snapshot.inputs, [
      { index: 1, name: 'Phase 1', current: 3.1, voltage: 229 },
      { index: 2, name: 'Phase 2', current: 1.9, voltage: 229 },
      { index: 3, name: 'RackPDU 1', power: 710 },
      { index: 4, name: 'RackPDU 2', power: 440 },
    ]);
  });

  it('writes immediateOff(2) to the control row of the outlet named, found by unit and number', async function () {
    const result = await device.switch({ targets: '2:2', action: 'off', verify: false });
    assert.deepStrictEqual(result.outlets.map((outlet) => outlet.id), ['2:2']);
    const client = new SnmpClient({ host: '127.0.0.1', port, version: '2c', timeout: 500, retries: 1, readCommunity: 'public' });
    try {
      const [commands] = await client.walkColumns([`${SWITCHED_CONTROL}.5`]);
      // Outlet 2:2 is status row 5 and control row 2; every other control row is as it was.
      const expected = new Map(OUTLETS.map(([, , , on], position) => [String(controlRow(position)), on ? 1 : 2]));
      expected.set('2', 2);
      assert.deepStrictEqual(new Map([...commands].map(([row, value]) => [row, Number(value)])), expected);
    } finally {
      client.close();
    }
  });
});
