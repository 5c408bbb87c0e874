import assert from 'assert';
import type { SimDevice } from '../../sim';
import { collect, helper, loadFlow, until } from '../helpers/red';
import { simDevice, snmpConfig } from '../helpers/sim';

type Msg = Record<string, any>;

describe('pdu-outlet flow (Sentry2 simulator over SNMP)', function () {
  let sim: SimDevice;

  beforeEach(async function () {
    sim = await simDevice('sentry2', { locked: [8] });
  });

  afterEach(async function () {
    await helper.unload();
    await sim.stop();
  });

  function flow(outletProps: Record<string, unknown> = {}, configExtra: Record<string, unknown> = {}) {
    const config = snmpConfig('cfg', sim, configExtra);
    return {
      nodes: [
        config.node,
        { id: 'out', type: 'pdu-outlet', device: 'cfg', outlet: '', action: 'msg', verify: true, wires: [['result']], ...outletProps },
        { id: 'result', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ],
      credentials: { cfg: config.credentials },
    };
  }

  async function load(outletProps: Record<string, unknown> = {}, configExtra: Record<string, unknown> = {}) {
    const { nodes, credentials } = flow(outletProps, configExtra);
    await loadFlow(nodes, credentials);
    return {
      out: helper.getNode('out'),
      results: collect<Msg>(helper.getNode('result')),
      caught: collect<Msg>(helper.getNode('caught')),
    };
  }

  it('turns an outlet off by absolute id, verifies it, and reports before/after', async function () {
    const { out, results } = await load();
    out.receive({ payload: 'off', outlet: '.A2' });
    const [msg] = await until(() => results.length > 0 && results, 5000, 'result');
    assert.strictEqual(msg.topic, 'sentry2-sim');
    assert.deepStrictEqual(msg.payload.outlets, [{ index: 2, id: '.A2', name: 'server-02', before: 'on', after: 'off', verified: true }]);
    assert.strictEqual(msg.payload.action, 'off');
    assert.strictEqual(msg.payload.changed, 1);
    assert.deepStrictEqual(msg.payload.locked, []);
    assert.strictEqual(sim.model.outlet(2)!.on, false);
  });

  it('turns outlets on by name and number, with a boolean payload', async function () {
    sim.model.switch(3, false);
    sim.model.switch(5, false);
    const { out, results } = await load();
    out.receive({ payload: true, outlet: ['server-03', 5] });
    const [msg] = await until(() => results.length > 0 && results, 5000, 'result');
    assert.deepStrictEqual(msg.payload.outlets.map((o: Msg) => [o.index, o.before, o.after, o.verified]),
      [[3, 'off', 'on', true], [5, 'off', 'on', true]]);
    assert.strictEqual(sim.model.outlet(3)!.on && sim.model.outlet(5)!.on, true);
  });

  it('reboots with the device\'s own reboot: seen off, then on again', async function () {
    const { out, results } = await load({ outlet: '1', action: 'reboot' });
    const seen: boolean[] = [];
    sim.model.on('change', (change) => { if (change.kind === 'outlet') seen.push(change.on); });
    out.receive({ payload: Date.now() });
    const [msg] = await until(() => results.length > 0 && results, 8000, 'result');
    assert.deepStrictEqual(seen, [false, true]);
    assert.deepStrictEqual(msg.payload.outlets[0], { index: 1, id: '.A1', name: 'server-01', before: 'on', after: 'on', verified: true });
    assert.strictEqual(msg.payload.changed, 1);
  });

  it('switches a configured group', async function () {
    const { out, results } = await load({ outlet: 'web' }, { groups: [{ name: 'web', outlets: '1, .A3, server-04' }] });
    out.receive({ payload: 'off' });
    const [msg] = await until(() => results.length > 0 && results, 5000, 'result');
    assert.deepStrictEqual(msg.payload.outlets.map((o: Msg) => o.index), [1, 3, 4]);
    assert.deepStrictEqual(sim.model.outlets.map((o) => o.on), [false, true, false, false, true, true, true, true]);
  });

  const refusals: Array<[string, Msg, Record<string, unknown>, Record<string, unknown>, RegExp]> = [
    ['an unknown outlet number', { payload: 'off', outlet: 42 }, {}, {}, /unknown outlet 42 \(this device has 8 outlets\)/],
    ['an unknown outlet name', { payload: 'off', outlet: 'db-99' }, {}, {}, /unknown outlet "db-99"/],
    ['"all" without the opt-in', { payload: 'off', outlet: 'all' }, {}, {}, /"all" outlets refused/],
    ['an outlet locked in the config', { payload: 'off', outlet: 2 }, {}, { locked: '2' }, /locked on sentry2-sim: outlet 2 \(server-02\) not switched/],
    ['a malformed payload (object)', { payload: { on: true }, outlet: 1 }, {}, {}, /msg.payload must be on, off, reboot or a boolean, not an object/],
    ['an unknown action word', { payload: 'of', outlet: 1 }, { action: 'reboot' }, {}, /unknown action "of"/],
    ['a malformed msg.outlet', { payload: 'on', outlet: { id: 1 } }, {}, {}, /msg.outlet must be a number, a name/],
    ['no target at all', { payload: 'on' }, {}, {}, /no outlet given/],
  ];
  for (const [what, msg, props, configExtra, expected] of refusals) {
    it(`refuses ${what} with one clear error and switches nothing`, async function () {
      const { out, results, caught } = await load(props, configExtra);
      out.receive(msg);
      const [error] = await until(() => caught.length > 0 && caught, 5000, 'error');
      assert.match(error.error.message, expected);
      assert.strictEqual(error.error.source.id, 'out');
      await new Promise((resolve) => { setTimeout(resolve, 200); });
      assert.strictEqual(results.length, 0);
      assert.strictEqual(caught.length, 1);
      assert.ok(sim.model.outlets.slice(0, 7).every((outlet) => outlet.on), 'no outlet was switched');
    });
  }

  it('reports a device-side lock as a clear error from the device', async function () {
    const { out, caught, results } = await load();
    out.receive({ payload: 'off', outlet: 8 });
    const [error] = await until(() => caught.length > 0 && caught, 5000, 'error');
    assert.match(error.error.message, /refused the SET \(GeneralError/);
    assert.strictEqual(results.length, 0);
    assert.strictEqual(sim.model.outlet(8)!.on, true);
  });

  it('switches the unlocked outlets of a group and lists the locked one', async function () {
    const { out, results } = await load({ outlet: 'pair' }, { locked: 'server-02', groups: [{ name: 'pair', outlets: '1,2' }] });
    out.receive({ payload: 'off' });
    const [msg] = await until(() => results.length > 0 && results, 5000, 'result');
    assert.deepStrictEqual(msg.payload.outlets.map((o: Msg) => o.index), [1]);
    assert.deepStrictEqual(msg.payload.locked, [{ index: 2, id: '.A2', name: 'server-02' }]);
    assert.strictEqual(sim.model.outlet(2)!.on, true);
  });

  it('gives "no answer ... after 2 tries" for a wrong community, and no output', async function () {
    const config = snmpConfig('cfg', sim);
    await loadFlow([
      config.node,
      { id: 'out', type: 'pdu-outlet', device: 'cfg', outlet: '1', action: 'off', wires: [['result']] },
      { id: 'result', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ], { cfg: { readCommunity: 'wrong', writeCommunity: 'private' } });
    const caught = collect<Msg>(helper.getNode('caught'));
    const results = collect<Msg>(helper.getNode('result'));
    helper.getNode('out').receive({ payload: 'off' });
    const [error] = await until(() => caught.length > 0 && caught, 5000, 'error');
    assert.match(error.error.message, new RegExp(`no answer from 127\\.0\\.0\\.1:${sim.port} after 2 tries .*read community`));
    assert.strictEqual(results.length, 0);
    assert.strictEqual(sim.model.outlet(1)!.on, true);
  });

  it('gives a clear error for a device that is down, and does not hang', async function () {
    const { out, caught } = await load({ outlet: '1' });
    await sim.stop();
    const started = Date.now();
    out.receive({ payload: 'off' });
    const [error] = await until(() => caught.length > 0 && caught, 5000, 'error');
    assert.match(error.error.message, /no answer from 127\.0\.0\.1:\d+ after 2 tries/);
    assert.ok(Date.now() - started < 3000, 'answered within timeout x tries');
    sim = await simDevice('sentry2');
  });

  it('refuses to reboot while the appliance answers, unless msg.force', async function () {
    const net = await import('net');
    const server = net.createServer((socket) => socket.end()).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const { out, results, caught } = await load({ outlet: '2', probeHost: '127.0.0.1', probePort: String(port) });
      out.receive({ payload: 'off' });
      const [error] = await until(() => caught.length > 0 && caught, 5000, 'error');
      assert.match(error.error.message, /refused to off outlet 2 \(server-02\).*the appliance answers \(tcp 127\.0\.0\.1:\d+: connection accepted\); set msg.force/);
      assert.strictEqual(sim.model.outlet(2)!.on, true);
      out.receive({ payload: 'off', force: true });
      const [msg] = await until(() => results.length > 0 && results, 5000, 'result');
      assert.strictEqual(msg.payload.outlets[0].after, 'off');
    } finally {
      server.close();
    }
  });

  it('answers each of many messages exactly once, in order, through one queue', async function () {
    const { out, results, caught } = await load();
    const actions = ['off', 'on', 'off', 'on', 'off', 'on'];
    actions.forEach((action, i) => out.receive({ payload: action, outlet: (i % 3) + 1, seq: i }));
    await until(() => results.length === actions.length, 8000, 'all results');
    assert.strictEqual(caught.length, 0);
    assert.deepStrictEqual(results.map((m) => m.seq).sort(), [0, 1, 2, 3, 4, 5]);
    assert.ok(results.every((m) => m.payload.outlets[0].verified));
  });
});
