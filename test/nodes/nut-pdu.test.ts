import assert from 'assert';
import { NutClient } from '../../lib/transports/nut/client';
import { collect, helper, loadFlow, until } from '../helpers/red';
import { startUpsd, type Upsd } from '../peers/upsd';

type Msg = Record<string, any>;

// pdu-outlet and pdu-status on a PDU that upsd serves (dummy-ups), through the NUT driver.
// dummy-ups has no outlet commands (it only registers a failing load.off), so the driver switches
// through the writable outlet.n.status, the fallback it uses for drivers without commands.
const PDU_DEV = `device.type: pdu
device.mfr: Eaton
device.model: ePDU G3 (dummy)
outlet.count: 4
outlet.1.name: web-01
outlet.1.status: on
outlet.1.current: 0.52
outlet.1.realpower: 115
outlet.2.name: web-02
outlet.2.status: on
outlet.2.current: 0.48
outlet.2.realpower: 104
outlet.3.name: db-01
outlet.3.status: on
outlet.4.name: core-switch
outlet.4.status: on
outlet.4.switchable: no
input.voltage: 229.8
input.current: 1.4
ambient.temperature: 24.5
ambient.humidity: 41
ups.status: OL
`;

describe('NUT PDU (upsd + dummy-ups) with pdu-outlet and pdu-status', function () {
  this.timeout(40000);
  let upsd: Upsd;
  let nut: NutClient;

  before(async function () {
    upsd = await startUpsd({ upses: { pdu1: { dev: PDU_DEV }, ups1: { dev: 'ups.status: OL\nbattery.charge: 100\n' } } });
    nut = new NutClient({ host: '127.0.0.1', port: upsd.port, timeout: 2000 });
  });

  after(async function () {
    await nut?.close();
    await upsd?.stop();
  });

  afterEach(async function () {
    await helper.unload();
    await upsd.writeDev('pdu1', PDU_DEV.replace('ups.status: OL', 'ups.status: OL CHRG'));
    await upsd.writeDev('pdu1', PDU_DEV);
  });

  function config(extra: Record<string, unknown> = {}) {
    return {
      id: 'cfg', type: 'pdu-config', name: 'nut-pdu', transport: 'nut', host: '127.0.0.1', port: String(upsd.port),
      profile: 'nut', nutUps: 'pdu1', timeout: '2000', retries: '1', ...extra,
    };
  }

  async function load(outletProps: Record<string, unknown>, configExtra: Record<string, unknown> = {}) {
    await loadFlow([
      config(configExtra),
      { id: 'out', type: 'pdu-outlet', device: 'cfg', outlet: '', action: 'msg', verify: true, wires: [['result']], ...outletProps },
      { id: 'result', type: 'helper' },
      { id: 'stat', type: 'pdu-status', device: 'cfg', interval: 0, wires: [['snap'], ['events']] },
      { id: 'snap', type: 'helper' },
      { id: 'events', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ], { cfg: { username: 'admin', password: 'secret' } });
    return {
      out: helper.getNode('out'),
      stat: helper.getNode('stat'),
      results: collect<Msg>(helper.getNode('result')),
      snaps: collect<Msg>(helper.getNode('snap')),
      events: collect<Msg>(helper.getNode('events')),
      caught: collect<Msg>(helper.getNode('caught')),
    };
  }

  it('reads outlets, loads, input and sensors from outlet.n.* as a snapshot', async function () {
    const { stat, snaps } = await load({});
    stat.receive({});
    const [msg] = await until(() => snaps.length > 0 && snaps, 5000, 'snapshot');
    assert.strictEqual(msg.payload.device, 'nut-pdu');
    assert.deepStrictEqual(msg.payload.outlets, [
      { index: 1, id: '1', name: 'web-01', state: 'on', locked: false, current: 0.52, power: 115 },
      { index: 2, id: '2', name: 'web-02', state: 'on', locked: false, current: 0.48, power: 104 },
      { index: 3, id: '3', name: 'db-01', state: 'on', locked: false },
      { index: 4, id: '4', name: 'core-switch', state: 'on', locked: false },
    ]);
    assert.deepStrictEqual(msg.payload.inputs, [{ index: 1, name: 'Input', current: 1.4, voltage: 229.8 }]);
    assert.deepStrictEqual(msg.payload.sensors, [
      { index: 1, name: 'Ambient', type: 'temperature', value: 24.5, unit: '°C' },
      { index: 2, name: 'Ambient', type: 'humidity', value: 41, unit: '%' },
    ]);
  });

  it('switches an outlet off by name, verified by reading it back, and pdu-status sees outletOff', async function () {
    const { out, stat, results, events, snaps } = await load({});
    stat.receive({});
    await until(() => snaps.length > 0, 5000, 'first snapshot');
    out.receive({ payload: 'off', outlet: 'web-02' });
    const [msg] = await until(() => results.length > 0 && results, 10000, 'result');
    assert.deepStrictEqual(msg.payload.outlets, [{ index: 2, id: '2', name: 'web-02', before: 'on', after: 'off', verified: true }]);
    assert.strictEqual(await nut.getVar('pdu1', 'outlet.2.status'), 'off');
    stat.receive({});
    const [event] = await until(() => events.length > 0 && events, 5000, 'event');
    assert.strictEqual(event.topic, 'outletOff');
    assert.deepStrictEqual(event.payload.outlet, { index: 2, id: '2', name: 'web-02' });
    out.receive({ payload: 'on', outlet: 2 });
    await until(() => results.length > 1, 10000, 'second result');
    assert.strictEqual(results[1].payload.outlets[0].after, 'on');
    assert.strictEqual(await nut.getVar('pdu1', 'outlet.2.status'), 'on');
  });

  it('keeps the safety rules: config-locked outlets, "all" without opt-in, unknown outlets', async function () {
    const { out, caught, results } = await load({}, { locked: 'db-01' });
    out.receive({ payload: 'off', outlet: 3 });
    out.receive({ payload: 'off', outlet: 'all' });
    out.receive({ payload: 'off', outlet: 9 });
    await until(() => caught.length === 3, 5000, 'three errors');
    const messages = caught.map((m) => m.error.message).join('\n');
    assert.match(messages, /"all" outlets refused/);
    assert.match(messages, /locked on nut-pdu: outlet 3 \(db-01\) not switched/);
    assert.match(messages, /unknown outlet 9 \(this device has 4 outlets\)/);
    assert.strictEqual(results.length, 0);
    assert.deepStrictEqual(Object.values(await nut.getVars('pdu1', ['outlet.1.status', 'outlet.2.status', 'outlet.3.status'])), ['on', 'on', 'on']);
  });

  it('reports an outlet the PDU marks not switchable as locked by the device, and switches the others', async function () {
    const { out, results } = await load({ outlet: '1,4' });
    out.receive({ payload: 'off' });
    const [msg] = await until(() => results.length > 0 && results, 10000, 'result');
    assert.deepStrictEqual(msg.payload.outlets.map((o: Msg) => [o.index, o.after, o.verified]), [[1, 'off', true]]);
    assert.deepStrictEqual(msg.payload.locked, [{ index: 4, id: '4', name: 'core-switch' }]);
    assert.strictEqual(await nut.getVar('pdu1', 'outlet.4.status'), 'on');
  });

  it('needs the user and password: without them the switch fails with upsd\'s reason', async function () {
    await loadFlow([
      config(),
      { id: 'out', type: 'pdu-outlet', device: 'cfg', outlet: '1', action: 'off', wires: [[]] },
      { id: 'catcher', type: 'catch', scope: null, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ], {});
    const caught = collect<Msg>(helper.getNode('caught'));
    helper.getNode('out').receive({ payload: 'off' });
    const [error] = await until(() => caught.length > 0 && caught, 5000, 'error');
    assert.match(error.error.message, /SET VAR pdu1 outlet\.1\.status: upsd needs a user for this: set User and Password/);
    assert.strictEqual(await nut.getVar('pdu1', 'outlet.1.status'), 'on');
  });

  it('asks for the NUT device name when the server has several and none is set', async function () {
    await loadFlow([
      config({ nutUps: '' }),
      { id: 'out', type: 'pdu-outlet', device: 'cfg', outlet: '1', action: 'off', wires: [[]] },
      { id: 'catcher', type: 'catch', scope: null, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ], { cfg: { username: 'admin', password: 'secret' } });
    const caught = collect<Msg>(helper.getNode('caught'));
    helper.getNode('out').receive({ payload: 'off' });
    const [error] = await until(() => caught.length > 0 && caught, 5000, 'error');
    assert.match(error.error.message, /cannot switch outlets/);
    assert.match(error.error.message, /set the NUT device name on the config/);
  });
});
