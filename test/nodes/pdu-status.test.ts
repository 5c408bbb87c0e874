import assert from 'assert';
import type { SimDevice } from '../../sim';
import { collect, helper, loadFlow, sleep, until } from '../helpers/red';
import { simDevice, snmpConfig } from '../helpers/sim';

type Msg = Record<string, any>;

describe('pdu-status flow (Sentry2 simulator over SNMP)', function () {
  let sim: SimDevice;

  beforeEach(async function () {
    sim = await simDevice('sentry2');
  });

  afterEach(async function () {
    await helper.unload();
    await sim.stop();
  });

  async function load(props: Record<string, unknown> = {}, configProps: Record<string, unknown> = {}) {
    const config = snmpConfig('cfg', sim);
    await loadFlow([
      { ...config.node, ...configProps },
      { id: 'poll', type: 'pdu-status', device: 'cfg', interval: 0, onlyChanges: false, thresholds: [], repeat: 60, wires: [['snap'], ['events']], ...props },
      { id: 'snap', type: 'helper' },
      { id: 'events', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ], { cfg: config.credentials });
    return {
      poll: helper.getNode('poll'),
      snaps: collect<Msg>(helper.getNode('snap')),
      events: collect<Msg>(helper.getNode('events')),
      caught: collect<Msg>(helper.getNode('caught')),
    };
  }

  it('marks the outlets on the config\'s locked list (by name or group), for a dashboard that offers no switch there', async function () {
    const { poll, snaps } = await load({}, { locked: 'server-02, db', groups: [{ name: 'db', outlets: '5' }] });
    poll.receive({});
    const [msg] = await until(() => snaps.length > 0 && snaps, 5000, 'snapshot');
    assert.deepStrictEqual(msg.payload.outlets.filter((outlet: Msg) => outlet.locked).map((outlet: Msg) => outlet.index), [2, 5]);
  });

  it('answers an input with the snapshot in A and °C, in the same message', async function () {
    const { poll, snaps } = await load();
    poll.receive({ payload: 'now', _ref: 42 });
    const [msg] = await until(() => snaps.length > 0 && snaps, 5000, 'snapshot');
    assert.strictEqual(msg._ref, 42, 'the input message is reused');
    assert.strictEqual(msg.topic, 'sentry2-sim');
    assert.strictEqual(msg.payload.device, 'sentry2-sim');
    assert.ok(!Number.isNaN(Date.parse(msg.payload.at)));
    assert.strictEqual(msg.payload.outlets.length, 8);
    assert.deepStrictEqual(msg.payload.outlets[2], { index: 3, id: '.A3', name: 'server-03', state: 'on', locked: false, module: 'normal', current: 1.2 });
    assert.deepStrictEqual(msg.payload.inputs.map((input: Msg) => input.name), ['Board A', 'Board B']);
    assert.deepStrictEqual(msg.payload.sensors[0], { index: 1, name: 'Board A', type: 'temperature', value: 27, unit: '°C' });
  });

  it('polls on its interval and raises outletOff / outletOn / moduleError on changes', async function () {
    const { snaps, events } = await load({ interval: 0.2 });
    await until(() => snaps.length >= 1, 3000, 'first poll');
    sim.model.switch(2, false);
    sim.model.outlet(5)!.module = 'onFail';
    sim.model.switch(5, true); // no change: the module status change alone must be seen
    sim.model.emit('change', { kind: 'sensor', temperature: 27, humidity: 41 });
    await until(() => events.length >= 2, 3000, 'events');
    assert.deepStrictEqual(events.map((e) => [e.topic, e.payload.outlet.index, e.payload.severity]),
      [['outletOff', 2, 'info'], ['moduleError', 5, 'critical']]);
    assert.strictEqual(events[1].payload.value, 'onFail');
    assert.match(events[1].payload.text, /outlet 5 \(server-05\) module on-sense failure/);
    sim.model.switch(2, true);
    await until(() => events.length >= 3, 3000, 'outletOn');
    assert.strictEqual(events[2].topic, 'outletOn');
  });

  it('sends a snapshot only when something changed, with onlyChanges', async function () {
    const { poll, snaps } = await load({ onlyChanges: true });
    for (let i = 0; i < 3; i += 1) poll.receive({ payload: i });
    await sleep(400);
    assert.strictEqual(snaps.length, 1, 'only the first of three identical polls');
    sim.model.switch(7, false);
    poll.receive({ payload: 'again' });
    await until(() => snaps.length === 2, 3000, 'changed snapshot');
    assert.strictEqual(snaps[1].payload.outlets[6].state, 'off');
  });

  it('raises a load alarm at once and its return to normal after the quiet period', async function () {
    const { poll, events } = await load({ thresholds: [{ metric: 'outletCurrent', high: '1.25' }], repeat: 0.3 });
    poll.receive({ payload: 1 });
    const [alarm] = await until(() => events.length > 0 && events, 3000, 'alarm');
    assert.strictEqual(alarm.topic, 'loadHigh');
    assert.deepStrictEqual([alarm.payload.outlet.index, alarm.payload.value, alarm.payload.threshold, alarm.payload.source],
      [6, 1.3, 1.25, 'poll']);
    await until(() => events.length >= 2, 3000, 'repeat');
    assert.strictEqual(events[1].topic, 'loadHigh', 'repeated while it lasts');
    sim.model.switch(6, false);
    poll.receive({ payload: 2 });
    await until(() => events.some((e) => e.topic === 'loadNormal'), 3000, 'normal');
    const normal = events.findIndex((e) => e.topic === 'loadNormal');
    assert.ok(events.slice(normal + 1).every((e) => e.topic !== 'loadHigh'));
  });

  it('reports a dead device once per outage: error to Catch, commLost, then commRestored', async function () {
    const { poll, snaps, events, caught } = await load();
    poll.receive({ payload: 1 });
    await until(() => snaps.length === 1, 3000, 'first');
    const port = sim.port;
    await sim.stop();
    poll.receive({ payload: 2 });
    poll.receive({ payload: 3 });
    await until(() => caught.length === 2, 5000, 'two errors');
    assert.match(caught[0].error.message, new RegExp(`no answer from 127\\.0\\.0\\.1:${port} after 2 tries`));
    assert.deepStrictEqual(events.map((e) => e.topic), ['commLost']);
    assert.strictEqual(events[0].payload.severity, 'critical');
    sim = await simDevice('sentry2', { port });
    poll.receive({ payload: 4 });
    await until(() => snaps.length === 2, 5000, 'restored snapshot');
    assert.deepStrictEqual(events.map((e) => e.topic), ['commLost', 'commRestored']);
  });

  it('gives each input message exactly one outcome', async function () {
    const { poll, snaps, caught } = await load();
    for (let i = 0; i < 10; i += 1) poll.receive({ payload: i, seq: i });
    await until(() => snaps.length === 10, 5000, 'ten answers');
    await sleep(200);
    assert.strictEqual(snaps.length, 10);
    assert.strictEqual(caught.length, 0);
    assert.deepStrictEqual(snaps.map((m) => m.seq).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
