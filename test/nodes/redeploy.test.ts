import assert from 'assert';
import type { PduConfigNode } from '../../nodes/shared/config-node';
import type { SimDevice } from '../../sim';
import { collect, helper, loadFlow, sleep, until } from '../helpers/red';
import { simDevice, snmpConfig } from '../helpers/sim';

type Msg = Record<string, any>;

// Sentry2 powerAction values in the simulator's SET log: 1 powerOff, 2 powerOn.
const OFF = 1;
const ON = 2;

describe('redeploy and outcome status (real Node-RED flows, Sentry2 simulator)', function () {
  this.timeout(45000);
  let sim: SimDevice;

  afterEach(async function () {
    await helper.unload();
    await sim.stop();
  });

  function flow() {
    const config = snmpConfig('cfg', sim, { nativeReboot: false });
    return {
      nodes: [
        config.node,
        { id: 'out', type: 'pdu-outlet', device: 'cfg', outlet: '', action: 'msg', verify: true, wires: [['result']] },
        { id: 'result', type: 'helper' },
        { id: 'st', type: 'pdu-status', device: 'cfg', interval: '0', wires: [[], ['events']] },
        { id: 'events', type: 'helper' },
      ],
      credentials: { cfg: config.credentials },
    };
  }

  it('a redeploy in a reboot\'s off period: the old flow never turns the outlet back on, and says it left it off', async function () {
    sim = await simDevice('sentry2');
    const { nodes, credentials } = flow();
    await loadFlow(nodes, credentials);
    const sets = (): number[] => sim.sets!.map((set) => Number(set.value));
    const started = Date.now();
    helper.getNode('out').receive({ payload: 'reboot', outlet: 4 });
    await until(() => sets().length === 1, 5000, 'the reboot\'s off');
    await sleep(1000);

    // Full redeploy: every node stops, the same flow starts again.
    await helper.setFlows(nodes as never, 'full', credentials as never);
    const events = collect<Msg>(helper.getNode('events'));
    const results = collect<Msg>(helper.getNode('result'));
    const [left] = await until(() => events.length > 0 && events, 5000, 'the left-off event in the new flow');
    assert.strictEqual(left.topic, 'outletLeftOff');
    assert.deepStrictEqual([left.payload.severity, left.payload.source, left.payload.outlet.index], ['critical', 'command', 4]);
    assert.match(left.payload.text, /^outlet 4 \(server-04\) left off on sentry2-sim: flow stopped during reboot$/);

    // The new flow turns the same outlet off ...
    helper.getNode('out').receive({ payload: 'off', outlet: 4 });
    await until(() => results.length > 0, 5000, 'the new flow\'s off');
    // ... and well past the old reboot's 15 s, nothing has turned it on again.
    const waitUntil = started + 17_000;
    await sleep(Math.max(0, waitUntil - Date.now()));
    assert.deepStrictEqual(sets(), [OFF, OFF], 'off (old reboot), off (new flow), and no on from the stopped flow');
    assert.strictEqual(sim.model.outlet(4)!.on, false);
    assert.ok(!sets().includes(ON));
  });

  it('keeps a failed command\'s status when the connection comes back', async function () {
    sim = await simDevice('sentry2');
    const port = sim.port;
    const { nodes, credentials } = flow();
    await loadFlow(nodes, credentials);
    const out = helper.getNode('out') as Msg;
    const config = helper.getNode('cfg') as unknown as PduConfigNode;
    const shown: Msg[] = [];
    const status = out.status.bind(out);
    out.status = (value: Msg) => { shown.push(value); return status(value); };
    await until(() => shown.some((value) => /^connected/.test(value.text)), 5000, 'connected');

    await sim.stop();
    out.receive({ payload: 'off', outlet: 2 });
    await until(() => shown.some((value) => value.fill === 'red' && /no answer/.test(value.text)), 10000, 'the failure on the node');
    const failure = shown.length;
    sim = await simDevice('sentry2', { port });
    // The device comes back by itself (reconnect): the node keeps saying what happened to its command.
    await config.device().describe();
    await sleep(300);
    assert.deepStrictEqual(shown.slice(failure), [], 'no connection status painted over the failure');
    assert.strictEqual(config.device().connection.state, 'connected');
  });
});
