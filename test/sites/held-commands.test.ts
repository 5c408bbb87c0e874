import assert from 'assert';
import { startSim, type SimDevice } from '../../sim/index';
import { startMosquitto, type Mosquitto } from '../peers/mosquitto';
import { startNodeRed, type NodeRedProcess } from '../runtime/node-red-process';
import { MqttWatcher as Hub } from '../helpers/mqtt-watcher';

// Commands the broker holds for a site that is down: the site's broker config keeps its session
// (a client id, no clean start, a session expiry), so Mosquitto queues the QoS 1 commands sent
// while the site is away and delivers them when it is back. One that expired meanwhile is
// refused and never run late; one still valid runs, once, however often it was delivered.

const ROOT = 'rackpower/v1/site1';

describe('pdu-site: commands held at the broker while the site was down (real Mosquitto)', function () {
  this.timeout(120000);
  let broker: Mosquitto;
  let rack12: SimDevice;
  let red: NodeRedProcess | undefined;
  let hub: Hub;
  const reply = `${ROOT}/reply/hub-held`;

  const flows = () => [
    { id: 'tab1', type: 'tab', label: 'site 1' },
    {
      id: 'brk', type: 'mqtt-broker', name: 'site broker', broker: '127.0.0.1', port: String(broker.port),
      // A persistent session: the broker queues what arrives for the site while it is down.
      clientid: `site1-held-${process.pid}`, cleansession: false, sessionExpiry: '600',
      autoConnect: true, usetls: false, protocolVersion: '5', keepalive: '2',
      credentials: { user: 'site1', password: 'site1pass' },
    },
    {
      id: 'c12', type: 'pdu-config', name: 'rack-12', transport: 'snmp', host: '127.0.0.1', port: String(rack12.port), profile: 'sentry3',
      snmpVersion: '2c', timeout: 500, retries: 1, locked: '', groups: [], extra: {}, minOffTime: 3, minOnTime: 0, nativeReboot: true,
      credentials: { readCommunity: 'public', writeCommunity: 'private' },
    },
    {
      id: 'site', type: 'pdu-site', z: 'tab1', x: 100, y: 100, name: '', broker: 'brk', site: 'site1', interval: 0,
      devices: [{ device: 'c12', topic: '', remoteControl: true, allowAll: false }], wires: [],
    },
  ];

  const startSite = async (): Promise<void> => {
    red = await startNodeRed();
    const deployed = await red.request('POST', '/flows', flows(), { 'Node-RED-Deployment-Type': 'full' });
    assert.strictEqual(deployed.status, 204, deployed.text);
  };

  const send = (body: Record<string, unknown>) => hub.client.publishAsync(`${ROOT}/rack-12/command`, JSON.stringify(body), {
    qos: 1, properties: { responseTopic: reply, correlationData: Buffer.from(String(body.id)) },
  });

  before(async function () {
    broker = await startMosquitto({
      users: { site1: 'site1pass', hub: 'hubpass' },
      acl: ['pattern readwrite rackpower/+/%u/#', 'user hub', 'topic readwrite rackpower/#'],
    });
    rack12 = await startSim('sentry3', { port: 0, outlets: 8, locked: [] } as never);
    hub = await Hub.connect(broker.url, { username: 'hub', password: 'hubpass', protocolVersion: 5 });
  });

  after(async function () {
    await red?.stop();
    hub?.client.end(true);
    await broker?.stop();
    await rack12?.stop();
  });

  it('a command held past its expiry is refused when the site is back, never run late; a valid one runs once', async function () {
    await startSite();
    await hub.next((m) => m.topic === `${ROOT}/rack-12/description`, 20000);
    const from = hub.messages.length;
    await red!.kill();
    await hub.next((m) => m.topic === `${ROOT}/status` && m.payload.state === 'offline', 15000, from);

    // The site is down: the broker holds these for its session.
    const late = { id: `late-${process.pid}`, action: 'off', outlets: 'server-03', expires: Date.now() + 1500 };
    const valid = { id: `valid-${process.pid}`, action: 'off', outlets: 'server-04', expires: Date.now() + 60_000 };
    await send(late);
    await send(valid);
    await send(valid); // the same command again: a requester that retried, or a second delivery
    await new Promise((resolve) => { setTimeout(resolve, 2500); });
    assert.ok(Date.now() > late.expires, 'the first command expired while the broker held it');
    const sets = rack12.sets!.length;

    await startSite();
    /** The n-th answer (from 0) to the command with this id. */
    const answer = async (id: string, n = 0) => {
      const answers = () => hub.messages.slice(from).filter((m) => m.topic === reply && m.payload?.id === id);
      await hub.next(() => answers().length > n, 20000, from);
      return answers()[n];
    };
    const refused = await answer(late.id);
    assert.strictEqual(refused.payload.ok, false, refused.raw);
    assert.strictEqual(refused.payload.code, 'expired');
    assert.match(refused.payload.error, /expired .*before it arrived: not run/);
    assert.strictEqual(refused.properties?.correlationData?.toString(), late.id);
    const first = await answer(valid.id, 0);
    const second = await answer(valid.id, 1);
    assert.strictEqual(first.payload.ok, true, first.raw);
    assert.strictEqual(second.payload.repeated, true, second.raw);
    assert.deepStrictEqual(second.payload.result, first.payload.result);
    assert.strictEqual(rack12.model.outlet(3)!.on, true, 'the expired off was never run');
    assert.strictEqual(rack12.model.outlet(4)!.on, false);
    assert.strictEqual(rack12.sets!.length, sets + 1, 'one SET: the valid command, once');
  });

  it('a command that arrived in time but would start after its expiry (a minimum off time ahead of it) is refused, not run late', async function () {
    const from = hub.messages.length;
    const answer = async (id: string) => hub.next((m) => m.topic === reply && m.payload?.id === id, 20000, from);
    const off = { id: `off5-${process.pid}`, action: 'off', outlets: 'server-05', expires: Date.now() + 60_000 };
    await send(off);
    assert.strictEqual((await answer(off.id)).payload.ok, true);
    const sets = rack12.sets!.length;
    // The site's minimum off time (3 s) holds the on back past its expiry (1 s).
    const on = { id: `on5-${process.pid}`, action: 'on', outlets: 'server-05', expires: Date.now() + 1000 };
    await send(on);
    const refused = await answer(on.id);
    assert.strictEqual(refused.payload.ok, false, refused.raw);
    assert.strictEqual(refused.payload.code, 'expired');
    assert.match(refused.payload.error, /server-05/);
    await new Promise((resolve) => { setTimeout(resolve, 3500); });
    assert.strictEqual(rack12.model.outlet(5)!.on, false, 'the late on was never run');
    assert.strictEqual(rack12.sets!.length, sets, 'no SET after the expiry');
  });
});
