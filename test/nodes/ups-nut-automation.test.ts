import assert from 'assert';
import { monitorEventLoopDelay } from 'perf_hooks';
import { collect, helper, loadFlow, sleep, until } from '../helpers/red';
import { startUpsd, type Upsd } from '../peers/upsd';

// ups-nut's thresholds and upssched-style timers as a flow against the real upsd + dummy-ups:
// the UPS changes by rewriting its .dev file, as a real UPS changes what its driver reports.

type Msg = Record<string, any>;

const dev = (status: string, charge = 90, voltage = 230.4): string => `ups.status: ${status}
battery.charge: ${charge}
battery.runtime: 1800
input.voltage: ${voltage}
ups.load: 23
ups.serial: 0012345
`;

describe('ups-nut thresholds and timers against upsd + dummy-ups', function () {
  this.timeout(60000);
  let upsd: Upsd;

  before(async function () {
    upsd = await startUpsd({ upses: { ups1: { dev: dev('OL') } } });
  });

  after(async function () {
    await upsd?.stop();
  });

  beforeEach(async function () {
    await upsd.writeDev('ups1', dev('OL'));
  });

  afterEach(async function () {
    await helper.unload();
  });

  function flow(props: Record<string, unknown>) {
    return {
      nodes: [
        { id: 'srv', type: 'pdu-config', name: 'srv-a', transport: 'nut', host: '127.0.0.1', port: String(upsd.port), profile: 'nut', timeout: '1500', retries: '0' },
        { id: 'upsPoll', type: 'ups-nut', device: 'srv', ups: 'ups1', mode: 'poll', interval: 0.2, nocomm: 300, wires: [[], ['events']], ...props },
        { id: 'events', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ],
      credentials: { srv: { username: 'admin', password: 'secret' } },
    };
  }

  async function load(props: Record<string, unknown>) {
    const { nodes, credentials } = flow(props);
    await loadFlow(nodes, credentials);
    const events = collect<Msg>(helper.getNode('events'));
    const caught = collect<Msg>(helper.getNode('caught'));
    // When each event arrived, for the timing checks.
    helper.getNode('events').on('input', (msg: Msg) => { msg.receivedAt = Date.now(); });
    return { events, caught, nodes, credentials };
  }

  const named = (events: Msg[], name: string): Msg[] => events.filter((m) => m.topic === name);
  const warnings = (): string[] => helper.log().args.map((args: any[]) => args[0])
    .filter((entry: any) => entry.level === 30 && entry.type === 'ups-nut').map((entry: any) => String(entry.msg));

  it('battery.charge and input.voltage: alarm at once, repeat while it lasts, normal after the quiet period; a missing variable once', async function () {
    const lag = monitorEventLoopDelay({ resolution: 10 });
    const { events } = await load({
      repeat: 0.8,
      thresholds: [
        { variable: 'battery.charge', low: '50', high: '', severity: 'critical' },
        { variable: 'input.voltage', low: '207', high: '253', severity: 'warning' },
        { variable: 'ups.temperature', low: '', high: '40', severity: 'warning' },
      ],
    });
    // From here on the node polls and checks: Node-RED's own start is not what is measured.
    lag.enable();
    await sleep(600);
    assert.deepStrictEqual(events.map((m) => m.topic), [], 'values within their limits raise nothing');

    await upsd.writeDev('ups1', dev('OB DISCHRG', 42));
    const [low] = await until(() => named(events, 'battery.charge:low').length > 0 && named(events, 'battery.charge:low'), 5000, 'battery.charge:low');
    assert.deepStrictEqual(low.payload, {
      event: 'battery.charge:low', severity: 'critical', device: 'ups1@srv-a', source: 'nut',
      sensor: { name: 'battery.charge', type: 'nut' }, value: 42, threshold: 50,
      text: 'UPS ups1@srv-a: battery.charge below 50 %: 42 %',
      raw: { ups: 'ups1', server: 'srv-a', variable: 'battery.charge', limit: 'low' },
    });
    assert.deepStrictEqual(events.slice(0, 2).map((m) => m.topic), ['ONBATT', 'battery.charge:low'], 'out of the events output with upsmon\'s');
    const repeat = await until(() => named(events, 'battery.charge:low')[1], 5000, 'the repeat');
    assert.ok(repeat.receivedAt - low.receivedAt >= 750, `repeated after ${repeat.receivedAt - low.receivedAt} ms, not the repeat period`);

    const back = Date.now();
    await upsd.writeDev('ups1', dev('OL CHRG', 95, 260.1));
    const high = await until(() => named(events, 'input.voltage:high')[0], 5000, 'input.voltage:high');
    assert.deepStrictEqual([high.payload.severity, high.payload.value, high.payload.threshold], ['warning', 260.1, 253]);
    const normal = await until(() => named(events, 'battery.charge:normal')[0], 5000, 'battery.charge:normal');
    assert.ok(normal.receivedAt - back >= 800, `normal after ${normal.receivedAt - back} ms, before a whole quiet period`);
    assert.deepStrictEqual([normal.payload.severity, normal.payload.value], ['info', 95]);
    const lows = named(events, 'battery.charge:low').length;
    await sleep(1200);
    assert.strictEqual(named(events, 'battery.charge:low').length, lows, 'no repeat after normal');
    assert.ok(named(events, 'input.voltage:high').length >= 2, 'the voltage alarm repeats while it lasts');

    assert.deepStrictEqual(warnings(), ['UPS ups1@srv-a has no variable ups.temperature: its threshold watches nothing (list mode shows the UPS\'s variables)'],
      'the missing variable is reported once, not every poll');
    lag.disable();
    const worst = lag.max / 1e6;
    console.log(`      event loop lag while polling every 200 ms with 3 thresholds: max ${worst.toFixed(1)} ms, p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms`);
    assert.ok(worst < 100, `the event loop stalled ${worst.toFixed(1)} ms`);
  });

  const badRows: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a threshold on a name NUT refuses', { thresholds: [{ variable: 'battery charge', low: '10' }] },
      /not started: threshold 1: the variable "battery charge" is not a NUT name/],
    ['a timer on an event the node never raises', { timers: [{ name: 'late', start: 'ONBAT', seconds: '30', cancel: 'ONLINE' }] },
      /not started: timer 1 \(late\): "ONBAT" is not an event of this node/],
  ];
  for (const [what, props, expected] of badRows) {
    it(`refuses ${what}: one clear error, a red status, and no polling`, async function () {
      const { nodes, credentials } = flow(props);
      const watched = [...nodes, { id: 'statusWatch', type: 'status', scope: ['upsPoll'], wires: [['statuses']] }, { id: 'statuses', type: 'helper' }];
      await loadFlow(watched, credentials);
      const caught = collect<Msg>(helper.getNode('caught'));
      const statuses = collect<Msg>(helper.getNode('statuses'));
      const events = collect<Msg>(helper.getNode('events'));
      const [error] = await until(() => caught.length > 0 && caught, 5000, 'the error');
      assert.match(error.error.message, expected);
      await until(() => statuses.some((m) => m.status.fill === 'red' && m.status.text === 'bad threshold or timer'), 5000, 'the red status');
      await upsd.writeDev('ups1', dev('OB'));
      helper.getNode('upsPoll').receive({});
      await sleep(600);
      assert.strictEqual(events.length, 0, 'a refused node does not poll');
      assert.strictEqual(caught.length, 2, 'the input is refused with the same error');
      assert.match(caught[1].error.message, expected);
    });
  }

  // dummy-ups takes up to a few seconds to pick up a new .dev file: the cancel needs a timer longer than that.
  const onbattTimer = { name: 'onbattTimer', start: 'ONBATT', seconds: '3', cancel: 'ONLINE', severity: 'critical' };

  it('a timer: ONBATT lasting 3 s fires with the elapsed seconds; ONLINE before then cancels it', async function () {
    const { events } = await load({ timers: [onbattTimer] });
    await upsd.writeDev('ups1', dev('OB DISCHRG'));
    const onbatt = await until(() => named(events, 'ONBATT')[0], 5000, 'ONBATT');
    const fired = await until(() => named(events, 'onbattTimer')[0], 5000, 'the timer');
    assert.ok(fired.receivedAt - onbatt.receivedAt >= 2950, `fired ${fired.receivedAt - onbatt.receivedAt} ms after ONBATT`);
    assert.deepStrictEqual([fired.payload.severity, fired.payload.source, fired.payload.device, fired.payload.threshold, fired.payload.text],
      ['critical', 'nut', 'ups1@srv-a', 3, `UPS ups1@srv-a: ONBATT for ${fired.payload.value} s (timer onbattTimer)`]);
    assert.ok(fired.payload.value >= 3 && fired.payload.value < 3.5, `elapsed ${fired.payload.value} s`);

    await upsd.writeDev('ups1', dev('OL'));
    await until(() => named(events, 'ONLINE').length === 1, 5000, 'ONLINE');
    await upsd.writeDev('ups1', dev('OB'));
    await until(() => named(events, 'ONBATT').length === 2, 5000, 'the second ONBATT');
    await upsd.writeDev('ups1', dev('OL'));
    await until(() => named(events, 'ONLINE').length === 2, 5000, 'the second ONLINE');
    const spell = named(events, 'ONLINE')[1].receivedAt - named(events, 'ONBATT')[1].receivedAt;
    assert.ok(spell < 3000, `the second spell lasted ${spell} ms: too long to test the cancel`);
    await sleep(3500);
    assert.strictEqual(named(events, 'onbattTimer').length, 1, 'ONLINE cancelled the second spell\'s timer');
  });

  it('a redeploy mid-timer: the closed node fires nothing, the new one counts afresh from its own first poll', async function () {
    const timers = [{ ...onbattTimer, seconds: '1.5' }];
    const first = await load({ timers });
    await upsd.writeDev('ups1', dev('OB DISCHRG'));
    await until(() => named(first.events, 'ONBATT')[0], 5000, 'ONBATT');
    // Every event the old node sends (its second output), and when.
    const old = helper.getNode('upsPoll');
    const fromOld: Array<{ at: number; topic: string }> = [];
    const send = old.send.bind(old);
    old.send = (msg: unknown) => {
      const event = Array.isArray(msg) ? msg[1] : undefined;
      if (event) fromOld.push({ at: Date.now(), topic: event.topic });
      return send(msg as never);
    };
    await sleep(500);

    const redeployedAt = Date.now();
    await helper.setFlows(first.nodes as never, 'full', first.credentials as never);
    const events = collect<Msg>(helper.getNode('events'));
    helper.getNode('events').on('input', (msg: Msg) => { msg.receivedAt = Date.now(); });
    const fired = await until(() => named(events, 'onbattTimer')[0], 5000, 'the new node\'s timer');
    assert.ok(fired.receivedAt - redeployedAt >= 1450, `the new node's timer fired ${fired.receivedAt - redeployedAt} ms after the redeploy`);
    await sleep(1500);
    const late = fromOld.filter((sent) => sent.at >= redeployedAt).map((sent) => sent.topic);
    assert.deepStrictEqual(late, [], 'the closed node sent no event');
    assert.strictEqual(named(events, 'onbattTimer').length, 1);
  });
});
