import assert from 'assert';
import { execFile } from 'child_process';
import { promisify } from 'util';
import { NutClient } from '../../lib/transports/nut/client';
import type { NutSim } from '../../sim/nut/server';
import { collect, helper, loadFlow, until } from '../helpers/red';
import { simDevice } from '../helpers/sim';

type Msg = Record<string, any>;

// The demo's NUT server: spoken to by the reference client (upsc), by our client, and by the
// nodes. It also carries what dummy-ups cannot: quotes and backslashes through SET VAR, and a
// PDU with real outlet commands (load.on/off/cycle).
describe('NUT simulator (sim/nut)', function () {
  this.timeout(20000);
  let sim: NutSim;
  let nut: NutClient;

  beforeEach(async function () {
    sim = await simDevice('nut-server', { cycle: 0 } as never) as NutSim;
    nut = new NutClient({ host: '127.0.0.1', port: sim.port, timeout: 1000, username: 'admin', password: 'secret' });
  });

  afterEach(async function () {
    await helper.unload();
    await nut.close();
    await sim.stop();
  });

  it('answers upsc, the reference client', async function () {
    const { stdout } = await promisify(execFile)('upsc', [`ups@127.0.0.1:${sim.port}`]);
    assert.match(stdout, /^ups\.status: OL$/m);
    assert.match(stdout, /^battery\.charge: 100$/m);
    const { stdout: list } = await promisify(execFile)('upsc', ['-l', `127.0.0.1:${sim.port}`]);
    assert.deepStrictEqual(list.trim().split('\n'), ['ups', 'pdu']);
  });

  it('round-trips values with spaces, quotes and backslashes through SET VAR and GET VAR', async function () {
    for (const value of ['rack 12 "left" C:\\ups\\', '\\"', ' ']) {
      assert.strictEqual((await nut.setVar('ups', 'ups.id', value)).result, 'SUCCESS');
      assert.strictEqual(await nut.getVar('ups', 'ups.id'), value);
      assert.strictEqual((await nut.listVar('ups'))['ups.id'], value);
    }
  });

  it('lists writable variables with their enums and ranges for ups-nut\'s list mode, and refuses values outside them', async function () {
    await loadFlow([
      { id: 'srv', type: 'pdu-config', name: 'sim', transport: 'nut', host: '127.0.0.1', port: String(sim.port), profile: 'nut', nutUps: 'ups' },
      { id: 'lister', type: 'ups-nut', device: 'srv', ups: '', mode: 'list', wires: [['result']] },
      { id: 'result', type: 'helper' },
    ]);
    const results = collect<Msg>(helper.getNode('result'));
    helper.getNode('lister').receive({});
    const [msg] = await until(() => results.length > 0 && results, 3000, 'listing');
    const writable = Object.fromEntries(msg.payload.writable.map((w: Msg) => [w.name, w]));
    assert.deepStrictEqual(writable['ups.delay.shutdown'].enum, ['20', '60', '120']);
    assert.deepStrictEqual(writable['input.transfer.low'].range, [{ min: 160, max: 185 }]);
    assert.strictEqual(writable['input.transfer.low'].type.range, true);
    assert.ok(msg.payload.commands.some((c: Msg) => c.name === 'test.battery.start.quick'));
    await assert.rejects(nut.setVar('ups', 'ups.delay.shutdown', '30'), { token: 'INVALID-VALUE' });
    await assert.rejects(nut.setVar('ups', 'input.transfer.low', '150'), { token: 'INVALID-VALUE' });
    assert.strictEqual((await nut.setVar('ups', 'input.transfer.low', '175')).result, 'SUCCESS');
  });

  it('goes on battery and back, as ups-nut reports', async function () {
    await loadFlow([
      { id: 'srv', type: 'pdu-config', name: 'sim', transport: 'nut', host: '127.0.0.1', port: String(sim.port), profile: 'nut', nutUps: 'pdu' },
      { id: 'upsPoll', type: 'ups-nut', device: 'srv', ups: 'ups', mode: 'poll', interval: 0, wires: [['statusOut'], ['events']] },
      { id: 'statusOut', type: 'helper' },
      { id: 'events', type: 'helper' },
    ]);
    const statuses = collect<Msg>(helper.getNode('statusOut'));
    const events = collect<Msg>(helper.getNode('events'));
    const poll = async (): Promise<void> => {
      const count = statuses.length;
      helper.getNode('upsPoll').receive({});
      await until(() => statuses.length > count, 3000, 'status');
    };
    await poll();
    sim.ups.setMains(false);
    await poll();
    sim.ups.charge = 20;
    await poll();
    assert.deepStrictEqual(statuses[2].payload.status, ['OB', 'DISCHRG', 'LB']);
    sim.ups.setMains(true);
    await poll();
    await until(() => events.length === 3, 3000, 'three events');
    assert.deepStrictEqual(events.map((m) => [m.topic, m.payload.severity]), [['ONBATT', 'warning'], ['LOWBATT', 'critical'], ['ONLINE', 'info']]);
  });

  it('switches and natively reboots a NUT PDU\'s outlets with outlet.n.load.* commands', async function () {
    await loadFlow([
      { id: 'srv', type: 'pdu-config', name: 'sim-pdu', transport: 'nut', host: '127.0.0.1', port: String(sim.port), profile: 'nut', nutUps: 'pdu' },
      { id: 'out', type: 'pdu-outlet', device: 'srv', outlet: '', action: 'msg', verify: true, wires: [['result']] },
      { id: 'result', type: 'helper' },
    ], { srv: { username: 'admin', password: 'secret' } });
    const results = collect<Msg>(helper.getNode('result'));
    const seen: boolean[] = [];
    sim.model.on('change', (change) => { if (change.kind === 'outlet' && change.outlet.number === 3) seen.push(change.on); });
    helper.getNode('out').receive({ payload: 'off', outlet: 'server-02' });
    helper.getNode('out').receive({ payload: 'reboot', outlet: 3 });
    await until(() => results.length === 2, 8000, 'two results');
    assert.strictEqual(sim.model.outlet(2)!.on, false);
    assert.deepStrictEqual(results[0].payload.outlets[0], { index: 2, id: '2', name: 'server-02', before: 'on', after: 'off', verified: true });
    assert.deepStrictEqual(seen, [false, true], 'outlet.3.load.cycle: off, then on by the PDU itself');
    assert.strictEqual(results[1].payload.outlets[0].verified, true);
  });
});
