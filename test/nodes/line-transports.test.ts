import assert from 'assert';
import { PowermanClient } from '../../lib/transports/powerman/client';
import type { CliSimDevice } from '../../sim/cli/index';
import { powerManagerSim } from '../helpers/cli';
import { collect, helper, loadFlow, until } from '../helpers/red';
import { startPowermand, type Powermand } from '../peers/powermand';
import { startSerialLine, type SerialLine } from '../peers/socat';

type Msg = Record<string, any>;

// pdu-outlet and pdu-status, unchanged, over Telnet, a serial line and PowerMan: the same flows
// and the same assertions as over SNMP (test/nodes/pdu-outlet.test.ts), against the simulated
// power manager (TCP and a socat pty) and a real powermand with vpcd devices.

interface Rig {
  /** A pdu-config node and its credentials. */
  config(id: string): { node: Record<string, unknown>; credentials: Record<string, unknown> };
  /** The outlet with index n, as the device shows it. */
  outlet(n: number): { id: string; name: string };
  isOn(n: number): Promise<boolean>;
  setOn(n: number, on: boolean): Promise<void>;
  /** Make the device unreachable. */
  takeDown(): Promise<void>;
  stop(): Promise<void>;
}

const SIM_NAMES = ['router', 'switch', 'firewall', 'nas', 'srv-01', 'srv-02', 'srv-03', 'srv-04'];
const simOutlet = (n: number) => ({ id: `.${String.fromCharCode(65 + Math.floor((n - 1) / 4))}${((n - 1) % 4) + 1}`, name: SIM_NAMES[n - 1] });

async function telnetRig(): Promise<Rig> {
  const sim = await powerManagerSim({ rebootDelay: 300 });
  return simRig(sim, (id) => ({ transport: 'telnet', host: '127.0.0.1', port: String(sim.port) }), async () => sim.stop());
}

async function serialRig(): Promise<Rig> {
  const sim = await powerManagerSim({ rebootDelay: 300 });
  const line: SerialLine = await startSerialLine();
  const detach = await sim.attachSerial(line.device);
  return simRig(sim, () => ({ transport: 'serial', serialPath: line.host, baudRate: '9600' }), async () => {
    await detach();
    await line.stop();
    await sim.stop();
  }, async () => {
    await detach();
    await line.unplug();
  });
}

function simRig(sim: CliSimDevice, link: (id: string) => Record<string, unknown>, stop: () => Promise<void>,
  takeDown: () => Promise<void> = stop): Rig {
  let down = false;
  return {
    config: (id) => ({
      node: { id, type: 'pdu-config', name: 'pm-sim', profile: 'sentry-cli', timeout: '800', extra: { loginTimeout: 2 }, ...link(id) },
      credentials: { username: 'admn', password: 'admn' },
    }),
    outlet: simOutlet,
    isOn: async (n) => sim.model.outlet(n)!.on,
    setOn: async (n, on) => { sim.model.switch(n, on); },
    takeDown: async () => { down = true; await takeDown(); },
    stop: async () => { if (!down) await stop(); else await sim.stop(); },
  };
}

async function powermanRig(): Promise<Rig> {
  const powermand: Powermand = await startPowermand({ devices: [{ name: 'rack1', nodes: 'node[1-8]' }] });
  const client = new PowermanClient('127.0.0.1', powermand.port, 2000);
  await client.query('on node[1-8]', 10000);
  return {
    config: (id) => ({
      node: { id, type: 'pdu-config', name: 'pm-nodes', transport: 'powerman', host: '127.0.0.1', port: String(powermand.port), profile: 'powerman', timeout: '2000' },
      credentials: {},
    }),
    outlet: (n) => ({ id: `node${n}`, name: `node${n}` }),
    isOn: async (n) => (await client.query(`status node${n}`, 10000)).info.some((line) => line.text === `node${n}: on`),
    setOn: async (n, on) => { await client.query(`${on ? 'on' : 'off'} node${n}`, 10000); },
    takeDown: async () => { await client.close(); await powermand.stop(); },
    stop: async () => { await client.close(); await powermand.stop(); },
  };
}

const rigs: Array<[string, () => Promise<Rig>]> = [
  ['Telnet (sentry-cli, power-manager simulator)', telnetRig],
  ['serial (sentry-cli, simulator on a socat pty)', serialRig],
  ['PowerMan (powermand with vpcd)', powermanRig],
];

for (const [label, start] of rigs) {
  describe(`pdu-outlet and pdu-status flows over ${label}`, function () {
    this.timeout(30000);
    let rig: Rig;

    beforeEach(async function () {
      rig = await start();
    });

    afterEach(async function () {
      await helper.unload();
      await rig.stop();
    });

    async function load(outletProps: Record<string, unknown> = {}, configExtra: Record<string, unknown> = {}) {
      const config = rig.config('cfg');
      await loadFlow([
        { ...config.node, ...configExtra },
        { id: 'out', type: 'pdu-outlet', device: 'cfg', outlet: '', action: 'msg', verify: true, wires: [['result']], ...outletProps },
        { id: 'result', type: 'helper' },
        { id: 'poll', type: 'pdu-status', device: 'cfg', interval: 0, wires: [['snapshots'], ['events']] },
        { id: 'snapshots', type: 'helper' },
        { id: 'events', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ], { cfg: config.credentials });
      return {
        out: helper.getNode('out'),
        poll: helper.getNode('poll'),
        results: collect<Msg>(helper.getNode('result')),
        snapshots: collect<Msg>(helper.getNode('snapshots')),
        events: collect<Msg>(helper.getNode('events')),
        caught: collect<Msg>(helper.getNode('caught')),
      };
    }

    it('turns an outlet off by id, verifies it, and reports before/after', async function () {
      const { out, results } = await load();
      const two = rig.outlet(2);
      out.receive({ payload: 'off', outlet: two.id });
      const [msg] = await until(() => results.length > 0 && results, 10000, 'result');
      assert.strictEqual(msg.topic, rig.config('cfg').node.name);
      assert.deepStrictEqual(msg.payload.outlets, [{ index: 2, id: two.id, name: two.name, before: 'on', after: 'off', verified: true }]);
      assert.strictEqual(msg.payload.action, 'off');
      assert.strictEqual(msg.payload.changed, 1);
      assert.deepStrictEqual(msg.payload.locked, []);
      assert.strictEqual(await rig.isOn(2), false);
    });

    it('turns outlets on by name and number, with a boolean payload', async function () {
      await rig.setOn(3, false);
      await rig.setOn(5, false);
      const { out, results } = await load();
      out.receive({ payload: true, outlet: [rig.outlet(3).name, 5] });
      const [msg] = await until(() => results.length > 0 && results, 10000, 'result');
      assert.deepStrictEqual(msg.payload.outlets.map((o: Msg) => [o.index, o.before, o.after, o.verified]),
        [[3, 'off', 'on', true], [5, 'off', 'on', true]]);
      assert.strictEqual(await rig.isOn(3) && await rig.isOn(5), true);
    });

    it('reboots with the device\'s own reboot and verifies the outlet is on again', async function () {
      const { out, results } = await load({ outlet: '1', action: 'reboot' });
      out.receive({ payload: Date.now() });
      const [msg] = await until(() => results.length > 0 && results, 15000, 'result');
      assert.deepStrictEqual(msg.payload.outlets[0], { index: 1, ...rig.outlet(1), before: 'on', after: 'on', verified: true });
      assert.strictEqual(msg.payload.changed, 1);
    });

    it('switches a configured group', async function () {
      const { out, results } = await load({ outlet: 'web' }, { groups: [{ name: 'web', outlets: `1, ${rig.outlet(3).id}, ${rig.outlet(4).name}` }] });
      out.receive({ payload: 'off' });
      const [msg] = await until(() => results.length > 0 && results, 10000, 'result');
      assert.deepStrictEqual(msg.payload.outlets.map((o: Msg) => o.index), [1, 3, 4]);
      assert.deepStrictEqual(await Promise.all([1, 2, 3, 4, 5].map((n) => rig.isOn(n))), [false, true, false, false, true]);
    });

    const refusals: Array<[string, Msg, Record<string, unknown>, RegExp]> = [
      ['an unknown outlet number', { payload: 'off', outlet: 42 }, {}, /unknown outlet 42 \(this device has 8 outlets\)/],
      ['"all" without the opt-in', { payload: 'off', outlet: 'all' }, {}, /"all" outlets refused/],
      ['an outlet locked in the config', { payload: 'off', outlet: 2 }, { locked: '2' }, /locked on pm-\w+: outlet 2 \(\S+\) not switched/],
    ];
    for (const [what, msg, configExtra, expected] of refusals) {
      it(`refuses ${what} with one clear error and switches nothing`, async function () {
        const { out, results, caught } = await load({}, configExtra);
        out.receive(msg);
        const [error] = await until(() => caught.length > 0 && caught, 10000, 'error');
        assert.match(error.error.message, expected);
        await new Promise((resolve) => { setTimeout(resolve, 200); });
        assert.strictEqual(results.length, 0);
        assert.strictEqual(caught.length, 1);
        assert.deepStrictEqual(await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => rig.isOn(n))), Array(8).fill(true));
      });
    }

    it('pdu-status sends the snapshot, then outletOff after a change, then commLost when the device is gone', async function () {
      const { poll, snapshots, events } = await load();
      poll.receive({});
      const [first] = await until(() => snapshots.length > 0 && snapshots, 10000, 'snapshot');
      assert.strictEqual(first.payload.device, rig.config('cfg').node.name);
      assert.ok(!Number.isNaN(Date.parse(first.payload.at)));
      assert.deepStrictEqual(first.payload.outlets.map((o: Msg) => [o.index, o.id, o.name, o.state]),
        [1, 2, 3, 4, 5, 6, 7, 8].map((n) => [n, rig.outlet(n).id, rig.outlet(n).name, 'on']));
      await rig.setOn(6, false);
      poll.receive({});
      await until(() => snapshots.length > 1, 10000, 'second snapshot');
      const off = events.find((event) => event.topic === 'outletOff');
      assert.ok(off, `outletOff among ${events.map((event) => event.topic)}`);
      assert.deepStrictEqual(off.payload.outlet, { index: 6, ...rig.outlet(6) });
      assert.strictEqual(off.payload.source, 'poll');
      await rig.takeDown();
      poll.receive({});
      await until(() => events.some((event) => event.topic === 'commLost'), 10000, 'commLost');
    });
  });
}
