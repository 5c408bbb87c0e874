import assert from 'assert';
import fs from 'fs';
import net from 'net';
import path from 'path';
import { PowermanClient } from '../../lib/transports/powerman/client';
import type { CliSimDevice } from '../../sim/cli/index';
import { DEFAULT_SERIAL_LINK } from '../../sim/ports';
import { powerManagerSim } from '../helpers/cli';
import { collect, helper, loadFlow, until } from '../helpers/red';
import { startPowermand, type Powermand } from '../peers/powermand';
import { startSerialLine, type SerialLine } from '../peers/socat';

type Flow = Array<Record<string, any>>;
type Msg = Record<string, any>;

// The Telnet/serial and PowerMan examples, imported as a user would and run against the
// simulated power manager on a socat pty and against a real powermand with vpcd devices.

const EXAMPLES = path.resolve(__dirname, '../../examples');

function readExample(file: string): Flow {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
}

async function load(file: string, flow: Flow, credentials: Record<string, unknown>): Promise<void> {
  // Import puts the nodes on the open tab; outside the editor they need a tab of their own.
  const tab = { id: `tab-${file}`, type: 'tab', label: file };
  for (const node of flow) if ('x' in node) node.z = tab.id;
  await loadFlow([tab, ...flow], credentials);
}

const byName = (flow: Flow, name: string): Record<string, any> => {
  const found = flow.find((node) => node.name === name);
  assert.ok(found, `no node "${name}"`);
  return found;
};

describe('examples/serial-router-reboot.json (power-manager simulator on a socat pty)', function () {
  this.timeout(20000);
  let sim: CliSimDevice;
  let line: SerialLine;
  let detach: () => Promise<void>;

  beforeEach(async function () {
    sim = await powerManagerSim({ rebootDelay: 300 });
    line = await startSerialLine();
    detach = await sim.attachSerial(line.device);
  });

  afterEach(async function () {
    await helper.unload();
    await detach();
    await sim.stop();
    await line.stop();
  });

  async function start(patch: (flow: Flow) => void): Promise<Flow> {
    const flow = readExample('serial-router-reboot.json');
    assert.strictEqual(flow[0].type, 'comment');
    const config = flow.find((node) => node.type === 'pdu-config')!;
    assert.strictEqual(config.serialPath, DEFAULT_SERIAL_LINK, 'the example opens the simulator\'s serial line');
    config.serialPath = line.host;
    for (const node of flow.filter((candidate) => candidate.type === 'inject')) node.once = false;
    for (const node of flow.filter((candidate) => candidate.type === 'pdu-status')) node.interval = '0';
    patch(flow);
    await load('serial-router-reboot.json', flow, { [config.id]: { username: 'admn', password: 'admn' } });
    return flow;
  }

  it('reboots the router\'s outlet when the router does not answer', async function () {
    // A name that cannot resolve (RFC 6761) plays the hung router: some networks answer for
    // every address, even the example's documentation address.
    const flow = await start((nodes) => { byName(nodes, 'reboot router if hung').probeHost = 'hung-router.invalid'; });
    const rebooted = collect<Msg>(helper.getNode(byName(flow, 'router rebooted').id));
    const seen: boolean[] = [];
    sim.model.on('change', (change) => { if (change.kind === 'outlet' && change.outlet.name === 'router') seen.push(change.on); });
    helper.getNode(byName(flow, 'every 5 min').id).receive({});
    const [msg] = await until(() => rebooted.length > 0 && rebooted, 15000, 'the reboot');
    assert.deepStrictEqual(msg.payload.outlets, [{ index: 1, id: '.A1', name: 'router', before: 'on', after: 'on', verified: true }]);
    assert.deepStrictEqual(seen, [false, true]);
  });

  it('leaves the router alone while it answers', async function () {
    const router = net.createServer((socket) => socket.end()).listen(0, '127.0.0.1');
    await new Promise((resolve) => router.once('listening', resolve));
    try {
      const flow = await start((nodes) => {
        const outlet = byName(nodes, 'reboot router if hung');
        outlet.probeHost = '127.0.0.1';
        outlet.probePort = String((router.address() as net.AddressInfo).port);
      });
      const fine = collect<Msg>(helper.getNode(byName(flow, 'router is fine, left alone').id));
      const failed = collect<Msg>(helper.getNode(byName(flow, 'power manager error').id));
      helper.getNode(byName(flow, 'every 5 min').id).receive({});
      const [msg] = await until(() => fine.length > 0 && fine, 10000, 'the refusal');
      assert.match(msg.error.message, /refused to reboot outlet 1 \(router\).*the appliance answers/);
      assert.strictEqual(failed.length, 0);
      assert.strictEqual(sim.console.stats.commands.some((command) => command.startsWith('REBOOT')), false);
    } finally {
      router.close();
    }
  });

  it('reads the Power Control Screen and reports an outlet turned off as an event', async function () {
    const flow = await start(() => undefined);
    const status = helper.getNode(byName(flow, 'power control screen').id);
    const events = collect<Msg>(helper.getNode(byName(flow, 'events').id));
    const snapshots = collect<Msg>(helper.getNode(byName(flow, 'outlets').id));
    status.receive({});
    // A first snapshot with the outlet on (not merely the describe's read), so the change is seen as one.
    await until(() => snapshots.length > 0, 5000, 'the first snapshot');
    sim.model.switch(4, false);
    status.receive({});
    const [event] = await until(() => events.length > 0 && events, 5000, 'an event');
    assert.strictEqual(event.topic, 'outletOff');
    assert.deepStrictEqual(event.payload.outlet, { index: 4, id: '.A4', name: 'nas' });
  });
});

describe('examples/powerman-nodes.json (powermand with vpcd devices)', function () {
  this.timeout(20000);
  let powermand: Powermand;

  before(async function () {
    powermand = await startPowermand({ devices: [{ name: 'test0', nodes: 't[0-15]' }] });
  });

  after(async function () {
    await helper.unload();
    await powermand.stop();
  });

  it('switches and cycles node t0 from its buttons, and pdu-status sees every node', async function () {
    const flow = readExample('powerman-nodes.json');
    const config = flow.find((node) => node.type === 'pdu-config')!;
    assert.strictEqual(config.port, '10101', 'powermand\'s default port');
    config.port = String(powermand.port);
    flow.find((node) => node.type === 'pdu-status')!.interval = '0';
    await load('powerman-nodes.json', flow, {});
    const results = collect<Msg>(helper.getNode(byName(flow, 'result').id));
    const nodes = collect<Msg>(helper.getNode(byName(flow, 'nodes').id));
    const client = new PowermanClient('127.0.0.1', powermand.port, 2000);
    try {
      helper.getNode(byName(flow, 't0 on').id).receive({});
      await until(() => results.length === 1, 10000, 'on');
      assert.deepStrictEqual(results[0].payload.outlets, [{ index: 1, id: 't0', name: 't0', before: 'off', after: 'on', verified: true }]);
      assert.ok((await client.query('status t0', 5000)).info.some((line) => line.text === 't0: on'));
      helper.getNode(byName(flow, 't0 cycle').id).receive({});
      await until(() => results.length === 2, 10000, 'cycle');
      assert.strictEqual(results[1].payload.outlets[0].verified, true);
      helper.getNode(byName(flow, 't0 off').id).receive({});
      await until(() => results.length === 3, 10000, 'off');
      assert.strictEqual(results[2].payload.outlets[0].after, 'off');
      helper.getNode(byName(flow, 'node states').id).receive({});
      const [snapshot] = await until(() => nodes.length > 0 && nodes, 10000, 'node states');
      assert.strictEqual(snapshot.payload.outlets.length, 16);
      assert.ok(snapshot.payload.outlets.every((outlet: Msg) => outlet.state === 'off'));
    } finally {
      await client.close();
    }
  });
});
