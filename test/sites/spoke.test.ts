import assert from 'assert';
import mqtt from 'mqtt';
import { startSim, type SimDevice } from '../../sim/index';
import { startMosquitto, type Mosquitto } from '../peers/mosquitto';
import { startNodeRed, type NodeRedProcess } from '../runtime/node-red-process';
import { MqttWatcher as Hub } from '../helpers/mqtt-watcher';

// A site (pdu-site in a real Node-RED, two simulated PDUs) on a real Mosquitto with passwords
// and an ACL, and a hub that is a plain MQTT client: what the site publishes, and every way a
// command from the broker is run or refused at the site.

const SECRETS = ['public-r34d', 'private-wr1t3', 'site1pass'];
const ROOT = 'rackpower/v1/site1';

describe('pdu-site: a site on a real Mosquitto, and a hub as a plain MQTT client', function () {
  this.timeout(120000);
  let broker: Mosquitto;
  let rack12: SimDevice;
  let rack13: SimDevice;
  let red: NodeRedProcess;
  let hub: Hub;
  let ids = 0;
  const id = () => `cmd-${process.pid}-${++ids}`;
  const soon = () => Date.now() + 60_000;
  const reply = `${ROOT}/reply/hub-a`;

  const flows = () => [
    { id: 'tab1', type: 'tab', label: 'site 1' },
    {
      id: 'brk', type: 'mqtt-broker', name: 'site broker', broker: '127.0.0.1', port: String(broker.port), clientid: '',
      autoConnect: true, usetls: false, protocolVersion: '5', keepalive: '2', cleansession: true,
      credentials: { user: 'site1', password: 'site1pass' },
    },
    ...[['c12', 'rack-12', rack12], ['c13', 'rack-13', rack13]].map(([cid, name, sim]) => ({
      id: cid, type: 'pdu-config', name, transport: 'snmp', host: '127.0.0.1', port: String((sim as SimDevice).port), profile: 'sentry3',
      snmpVersion: '2c', timeout: 500, retries: 1, locked: 'server-02', groups: [], extra: {}, minOffTime: 0, minOnTime: 0, nativeReboot: true,
      credentials: { readCommunity: SECRETS[0], writeCommunity: SECRETS[1] },
    })),
    {
      id: 'site', type: 'pdu-site', z: 'tab1', name: '', broker: 'brk', site: 'site1', interval: 1,
      devices: [{ device: 'c12', topic: '', remoteControl: true, allowAll: false }, { device: 'c13', topic: '', remoteControl: false }],
      wires: [],
    },
    // A pdu-status per device, polled on demand: rack-12's is not wired to the site, rack-13's is
    // (as flows made before the site heard its devices' nodes by itself are).
    { id: 'poll12', type: 'inject', z: 'tab1', props: [], repeat: '', once: false, wires: [['st12']] },
    { id: 'st12', type: 'pdu-status', z: 'tab1', device: 'c12', interval: 0, onlyChanges: false, thresholds: [], repeat: 60, wires: [[], []] },
    { id: 'poll13', type: 'inject', z: 'tab1', props: [], repeat: '', once: false, wires: [['st13']] },
    { id: 'st13', type: 'pdu-status', z: 'tab1', device: 'c13', interval: 0, onlyChanges: false, thresholds: [], repeat: 60, wires: [[], ['site']] },
    { id: 'evt', type: 'inject', z: 'tab1', props: [{ p: 'payload' }, { p: 'device', v: 'rack-12', vt: 'str' }], payload: '{"event":"upsOnBattery","severity":"critical","text":"UPS on battery"}', payloadType: 'json', wires: [['site']] },
  ];

  const startSite = async (): Promise<void> => {
    red = await startNodeRed();
    const deployed = await red.request('POST', '/flows', flows(), { 'Node-RED-Deployment-Type': 'full' });
    assert.strictEqual(deployed.status, 204, deployed.text);
  };

  before(async function () {
    broker = await startMosquitto({
      users: { site1: 'site1pass', site2: 'site2pass', hub: 'hubpass' },
      // The README's recipe: each site under its own name (%u), the hub everywhere.
      acl: ['pattern readwrite rackpower/+/%u/#', 'user hub', 'topic readwrite rackpower/#'],
    });
    const options = { port: 0, outlets: 8, locked: [], readCommunity: SECRETS[0], writeCommunity: SECRETS[1] };
    rack12 = await startSim('sentry3', options as never);
    rack13 = await startSim('sentry3', options as never);
    hub = await Hub.connect(broker.url, { username: 'hub', password: 'hubpass', protocolVersion: 5, clientId: `hub-${process.pid}` });
    await startSite();
  });

  after(async function () {
    await red?.stop();
    hub?.client.end(true);
    await broker?.stop();
    await rack12?.stop();
    await rack13?.stop();
  });

  it('publishes the site online, each device\'s description (locks, remote control) and outlet states, retained, and no secret', async function () {
    const online = await hub.next((m) => m.topic === `${ROOT}/status` && m.payload.state === 'online');
    assert.deepStrictEqual(online.payload, { version: 1, site: 'site1', state: 'online' });
    const description = await hub.next((m) => m.topic === `${ROOT}/rack-12/description`);
    assert.strictEqual(description.payload.outlets.length, 8);
    assert.deepStrictEqual(description.payload.outlets[1], { index: 2, id: description.payload.outlets[1].id, name: 'server-02', groups: [], locked: true });
    assert.strictEqual(description.payload.remoteControl, true);
    assert.strictEqual(description.payload.allowAll, false);
    assert.strictEqual((await hub.next((m) => m.topic === `${ROOT}/rack-13/description`)).payload.remoteControl, false);
    const state = await hub.next((m) => m.topic === `${ROOT}/rack-12/outlet/3/state`);
    assert.deepStrictEqual({ name: state.payload.name, state: state.payload.state }, { name: 'server-03', state: 'on' });
    await hub.next((m) => m.topic === `${ROOT}/rack-12/snapshot` && m.payload.outlets?.length === 8);
    await hub.next((m) => m.topic === `${ROOT}/rack-12/availability` && m.payload.state === 'connected');

    // A late subscriber gets the retained state at once.
    const late = await Hub.connect(broker.url, { username: 'hub', password: 'hubpass', protocolVersion: 5 });
    try {
      const kept = await late.next((m) => m.topic === `${ROOT}/rack-12/description`, 3000);
      assert.strictEqual(kept.retain, true);
    } finally {
      late.client.end(true);
    }
    for (const message of hub.messages) for (const secret of SECRETS) assert.ok(!message.raw.includes(secret), `${secret} in ${message.topic}`);
  });

  it('a hub command (MQTT v5 response topic) runs at the site, is verified, audited, and the outlet\'s state follows', async function () {
    const before = rack12.sets!.length;
    const answer = await hub.command('rack-12', { id: id(), action: 'off', outlets: 'server-03', expires: soon(), requester: 'ops' },
      { responseTopic: reply, correlation: 'corr-1' });
    assert.strictEqual(answer.topic, reply);
    assert.strictEqual(answer.properties?.correlationData?.toString(), 'corr-1');
    assert.strictEqual(answer.payload.ok, true, answer.raw);
    assert.deepStrictEqual(answer.payload.result.outlets.map((o: any) => [o.name, o.before, o.after, o.verified]), [['server-03', 'on', 'off', true]]);
    assert.strictEqual(rack12.model.outlet(3)!.on, false);
    assert.strictEqual(rack12.sets!.length, before + 1);
    const audit = await hub.next((m) => m.topic === `${ROOT}/rack-12/audit` && m.payload.action === 'off');
    assert.deepStrictEqual(audit.payload.requester, { id: `broker:${answer.payload.id}`, name: 'ops (via broker)' });
    assert.strictEqual(audit.payload.ok, true);
    await hub.next((m) => m.topic === `${ROOT}/rack-12/outlet/3/state` && m.payload.state === 'off');
  });

  it('refuses at the site: a locked outlet, "all" without the site\'s opt-in, a device without remote control', async function () {
    const before = [rack12.sets!.length, rack13.sets!.length];
    const locked = await hub.command('rack-12', { id: id(), action: 'off', outlets: 'server-02', expires: soon() }, { responseTopic: reply });
    assert.strictEqual(locked.payload.ok, false);
    assert.strictEqual(locked.payload.code, 'locked');
    assert.match(locked.payload.error, /server-02/);
    const all = await hub.command('rack-12', { id: id(), action: 'off', outlets: 'all', allowAll: true, expires: soon() }, { responseTopic: reply });
    assert.strictEqual(all.payload.code, 'not-allowed');
    const allUnasked = await hub.command('rack-12', { id: id(), action: 'off', outlets: 'all', expires: soon() }, { responseTopic: reply });
    assert.strictEqual(allUnasked.payload.ok, false);
    assert.match(allUnasked.payload.error, /all/);
    const listed = await hub.command('rack-12', { id: id(), action: 'off', outlets: [1, 2, 3, 4, 5, 6, 7, 8], allowAll: true, expires: soon() },
      { responseTopic: reply });
    assert.strictEqual(listed.payload.code, 'all-not-allowed', 'every outlet one by one is "all" too');
    const moved = await hub.command('rack-12', { id: id(), action: 'off', outlets: [5], expect: [{ index: 5, name: 'server-06' }], expires: soon() },
      { responseTopic: reply });
    assert.strictEqual(moved.payload.code, 'names-changed');
    assert.match(moved.payload.error, /outlet 5 of rack-12 is now called "server-05", not "server-06"/);
    const off = await hub.command('rack-13', { id: id(), action: 'off', outlets: 1, expires: soon() }, { responseTopic: reply });
    assert.strictEqual(off.payload.code, 'remote-off');
    assert.deepStrictEqual([rack12.sets!.length, rack13.sets!.length], before, 'nothing was sent to either PDU');
    assert.ok(rack12.model.outlets.filter((o) => o.number !== 3).every((o) => o.on));
  });

  it('a command delivered twice runs once (the second gets the first answer); an expired one is refused, never run late', async function () {
    const before = rack12.sets!.length;
    const body = { id: id(), action: 'off', outlets: 'server-04', expires: soon() };
    const first = await hub.command('rack-12', body, { responseTopic: reply });
    const second = await hub.command('rack-12', body, { responseTopic: reply });
    assert.strictEqual(first.payload.ok, true, first.raw);
    assert.strictEqual(second.payload.repeated, true);
    assert.deepStrictEqual(second.payload.result, first.payload.result);
    assert.strictEqual(rack12.sets!.length, before + 1, 'one SET for two deliveries');
    const late = await hub.command('rack-12', { id: id(), action: 'on', outlets: 'server-04', expires: Date.now() - 1 }, { responseTopic: reply });
    assert.strictEqual(late.payload.code, 'expired');
    assert.strictEqual(rack12.model.outlet(4)!.on, false);
    assert.strictEqual(rack12.sets!.length, before + 1);
  });

  it('MQTT 3.1.1: the reply topic in the payload; a reply topic outside the site\'s space gets the device\'s result topic', async function () {
    const v3 = await Hub.connect(broker.url, { username: 'hub', password: 'hubpass', protocolVersion: 4 });
    try {
      const answer = await v3.command('rack-12', { id: id(), action: 'on', outlets: 'server-04', expires: soon(), replyTo: `${ROOT}/reply/v3-hub` });
      assert.strictEqual(answer.topic, `${ROOT}/reply/v3-hub`);
      assert.strictEqual(answer.payload.ok, true, answer.raw);
      const elsewhere = await v3.command('rack-12', { id: id(), action: 'on', outlets: 'server-04', expires: soon(), replyTo: 'rackpower/v1/site2/reply/x' });
      assert.strictEqual(elsewhere.topic, `${ROOT}/rack-12/result`);
    } finally {
      v3.client.end(true);
    }
  });

  it('hostile commands: not JSON, too large, no id, a bad action: each refused with a reason, nothing switched', async function () {
    const before = rack12.sets!.length;
    const from = hub.messages.length;
    for (const payload of ['not json', 'x'.repeat(9000), JSON.stringify({ action: 'off', outlets: 1, expires: soon() })]) {
      await hub.client.publishAsync(`${ROOT}/rack-12/command`, payload, { qos: 1 });
    }
    const refusals = async () => hub.messages.slice(from).filter((m) => m.topic === `${ROOT}/rack-12/result`);
    const deadline = Date.now() + 10000;
    while ((await refusals()).length < 3 && Date.now() < deadline) await new Promise((resolve) => { setTimeout(resolve, 50); });
    assert.deepStrictEqual((await refusals()).map((m) => m.payload.code), ['bad-command', 'bad-command', 'bad-command']);
    const bad = await hub.command('rack-12', { id: id(), action: 'explode', outlets: 1, expires: soon() }, { responseTopic: reply });
    assert.match(bad.payload.error, /"action" must be one of on, off, reboot/);
    assert.strictEqual(rack12.sets!.length, before);
  });

  it('events from the flow are published for the device (QoS 1)', async function () {
    const from = hub.messages.length;
    const injected = await red.request('POST', '/inject/evt');
    assert.strictEqual(injected.status, 200, injected.text);
    const event = await hub.next((m) => m.topic === `${ROOT}/rack-12/event` && m.payload.event === 'upsOnBattery', 10000, from);
    assert.strictEqual(event.payload.severity, 'critical');
  });

  it('every event of a device\'s nodes is published once, wired to the site or not', async function () {
    // An inject answers 404 until the deployed flows have started.
    const poll = async (inject: string) => {
      for (let tries = 0; (await red.request('POST', `/inject/${inject}`)).status !== 200; tries += 1) {
        assert.ok(tries < 100, `inject ${inject} never answered`);
        await new Promise((resolve) => { setTimeout(resolve, 100); });
      }
    };
    await poll('poll12');
    await poll('poll13');
    await new Promise((resolve) => { setTimeout(resolve, 1500); });
    const from = hub.messages.length;
    // Behind the site's back: an outlet of each PDU turned off at the device.
    rack12.model.switch(6, false);
    rack13.model.switch(6, false);
    await poll('poll12');
    await poll('poll13');
    const offs = (device: string) => hub.messages.slice(from)
      .filter((m) => m.topic === `${ROOT}/${device}/event` && m.payload.event === 'outletOff' && m.payload.outlet?.index === 6);
    await hub.next((m) => m.topic === `${ROOT}/rack-12/event` && m.payload.event === 'outletOff', 10000, from);
    await hub.next((m) => m.topic === `${ROOT}/rack-13/event` && m.payload.event === 'outletOff', 10000, from);
    await new Promise((resolve) => { setTimeout(resolve, 1000); });
    assert.deepStrictEqual([offs('rack-12').length, offs('rack-13').length], [1, 1], 'each once');
    assert.deepStrictEqual([offs('rack-12')[0].payload.source, offs('rack-13')[0].payload.severity], ['poll', offs('rack-13')[0].payload.severity]);
    rack12.model.switch(6, true);
    rack13.model.switch(6, true);
  });

  it('publishes the description only when it changed, the snapshot at each reading', async function () {
    const from = hub.messages.length;
    await new Promise((resolve) => { setTimeout(resolve, 3500); });
    const since = hub.messages.slice(from);
    assert.ok(since.filter((m) => m.topic === `${ROOT}/rack-12/snapshot`).length >= 2, 'a snapshot per second');
    assert.strictEqual(since.filter((m) => m.topic === `${ROOT}/rack-12/description`).length, 0, 'the same description again');
  });

  it('the ACL confines a site to its own topics: site2 writing under site1 never reaches the hub', async function () {
    const intruder = await mqtt.connectAsync(broker.url, { username: 'site2', password: 'site2pass', protocolVersion: 5 });
    const from = hub.messages.length;
    try {
      // The broker refuses it outright (MQTT v5: PUBACK reason 0x87, not authorized), not only drops it.
      const refused = await intruder.publishAsync(`${ROOT}/rack-12/outlet/1/state`, JSON.stringify({ state: 'off', name: 'forged' }), { qos: 1, retain: true })
        .then(() => undefined, (error: Error) => error);
      assert.match(String(refused?.message), /Not authorized/);
      await intruder.publishAsync('rackpower/v1/site2/status', JSON.stringify({ state: 'online' }), { qos: 1 });
      await hub.next((m) => m.topic === 'rackpower/v1/site2/status', 5000, from);
      assert.ok(!hub.messages.slice(from).some((m) => m.raw.includes('forged')), 'the forged state reached the hub');
    } finally {
      intruder.end(true);
    }
  });

  it('broker killed and back: the site reconnects and publishes its retained state again (the broker kept none)', async function () {
    await broker.kill();
    await broker.restart();
    const from = hub.messages.length;
    await hub.next((m) => m.topic === `${ROOT}/status` && m.payload.state === 'online', 30000, from);
    await hub.next((m) => m.topic === `${ROOT}/rack-12/description`, 10000, from);
    const state = await hub.next((m) => m.topic === `${ROOT}/rack-12/outlet/3/state`, 10000, from);
    assert.strictEqual(state.payload.state, 'off', 'the state as the site knows it, not as it started');
  });

  it('redeployed during a reboot: the requester hears what was left behind, and the next flow publishes outletLeftOff', async function () {
    const slow = flows().map((n: any) => (n.id === 'c12' ? { ...n, nativeReboot: false } : n));
    assert.strictEqual((await red.request('POST', '/flows', slow, { 'Node-RED-Deployment-Type': 'full' })).status, 204);
    await hub.next((m) => m.topic === `${ROOT}/status` && m.payload.state === 'online', 20000, hub.messages.length - 1).catch(() => undefined);
    const from = hub.messages.length;
    const body = { id: id(), action: 'reboot', outlets: 'server-05', expires: soon() };
    await hub.client.publishAsync(`${ROOT}/rack-12/command`, JSON.stringify(body), { qos: 1, properties: { responseTopic: reply } });
    await hub.next((m) => m.topic === `${ROOT}/rack-12/outlet/5/state` && m.payload.state === 'off', 10000, from);
    assert.strictEqual((await red.request('POST', '/flows', slow, { 'Node-RED-Deployment-Type': 'full' })).status, 204);
    const answer = await hub.next((m) => m.topic === reply && m.payload.id === body.id, 20000, from);
    assert.strictEqual(answer.payload.ok, false);
    assert.match(answer.payload.error, /server-05.*left off/);
    const leftOff = await hub.next((m) => m.topic === `${ROOT}/rack-12/event` && m.payload.event === 'outletLeftOff', 20000, from);
    assert.strictEqual(leftOff.payload.severity, 'critical');
    await new Promise((resolve) => { setTimeout(resolve, 1000); });
    assert.strictEqual(hub.messages.slice(from).filter((m) => m.topic === `${ROOT}/rack-12/event` && m.payload.event === 'outletLeftOff').length, 1,
      'published once');
    assert.strictEqual(rack12.model.outlet(5)!.on, false, 'nothing turned it back on after the redeploy');
    rack12.model.switch(5, true);
  });

  it('the site killed (no goodbye): the broker publishes its last will, offline, within the keepalive', async function () {
    const from = hub.messages.length;
    const killed = Date.now();
    await red.kill();
    const will = await hub.next((m) => m.topic === `${ROOT}/status` && m.payload.state === 'offline', 15000, from);
    assert.deepStrictEqual(will.payload, { version: 1, site: 'site1', state: 'offline' });
    // Keepalive 2 s: Mosquitto gives up after 1.5 keepalives.
    assert.ok(Date.now() - killed < 6000, `will after ${Date.now() - killed} ms`);
    await startSite();
    await hub.next((m) => m.topic === `${ROOT}/status` && m.payload.state === 'online', 20000, from);
  });

  it('a clean stop says offline at once', async function () {
    const from = hub.messages.length;
    await red.stop();
    await hub.next((m) => m.topic === `${ROOT}/status` && m.payload.state === 'offline', 5000, from);
    await startSite();
  });
});
