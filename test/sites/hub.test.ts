import assert from 'assert';
import mqtt from 'mqtt';
import { startSim, type SimDevice } from '../../sim/index';
import { startMosquitto, type Mosquitto } from '../peers/mosquitto';
import { startNodeRed, type NodeRedProcess } from '../runtime/node-red-process';
import { MqttWatcher } from '../helpers/mqtt-watcher';

// Two Node-RED runtimes on one real Mosquitto: a site (pdu-site, two simulated PDUs) and a hub
// whose device configs use transport `site`. The hub's own pdu-outlet and pdu-status work on the
// site's devices unchanged, every safety rule applies at the site, and the hub's connection
// follows the site (offline, back, another topic version, a broker that goes away).

const SECRETS = ['public-r34d', 'private-wr1t3', 'site1pass', 'hubpass'];

describe('many sites: a hub Node-RED switches and reads a site\'s PDUs through Mosquitto', function () {
  this.timeout(Number(process.env.SITES_TIMEOUT ?? 180000));
  let broker: Mosquitto;
  let rack12: SimDevice;
  let rack13: SimDevice;
  let site: NodeRedProcess;
  let hub: NodeRedProcess;
  let watcher: MqttWatcher;

  const brokerConfig = (id: string, user: string, password: string) => ({
    id, type: 'mqtt-broker', name: `${user} broker`, broker: '127.0.0.1', port: String(broker.port), clientid: '',
    autoConnect: true, usetls: false, protocolVersion: '5', keepalive: '2', cleansession: true,
    credentials: { user, password },
  });

  const siteFlows = (minOffSeconds = 0) => [
    { id: 'stab', type: 'tab', label: 'site 1' },
    brokerConfig('sbrk', 'site1', 'site1pass'),
    ...[['c12', 'rack-12', rack12], ['c13', 'rack-13', rack13]].map(([cid, name, sim]) => ({
      id: cid, type: 'pdu-config', name, transport: 'snmp', host: '127.0.0.1', port: String((sim as SimDevice).port), profile: 'sentry3',
      snmpVersion: '2c', timeout: 500, retries: 1, locked: 'server-02', groups: [], extra: {}, minOffTime: minOffSeconds, minOnTime: 0,
      nativeReboot: minOffSeconds === 0, credentials: { readCommunity: SECRETS[0], writeCommunity: SECRETS[1] },
    })),
    {
      id: 'site', type: 'pdu-site', z: 'stab', name: '', broker: 'sbrk', site: 'site1', interval: 1, wires: [],
      devices: [{ device: 'c12', topic: '', remoteControl: true, allowAll: false }, { device: 'c13', topic: '', remoteControl: false }],
    },
    // A power command made at the site by its own flow (POST /inject/siteOff).
    { id: 'siteOff', type: 'inject', z: 'stab', x: 100, y: 400, props: [], repeat: '', once: false, wires: [['siteOut']] },
    { id: 'siteOut', type: 'pdu-outlet', z: 'stab', x: 300, y: 400, name: 'site button', device: 'c12', outlet: '7', action: 'off', verify: true, wires: [[]] },
    // An event the site's flow hands to pdu-site, as a pdu-trap-in there would (POST /inject/siteTrap).
    {
      id: 'siteTrap', type: 'inject', z: 'stab', x: 100, y: 300, props: [{ p: 'payload' }, { p: 'device', v: 'rack-12', vt: 'str' }], repeat: '', once: false,
      payload: JSON.stringify({ event: 'outletOff', severity: 'warning', source: 'trap', text: 'rack-12: outlet 3 (server-03) turned off',
        outlet: { index: 3, id: '.AA3', name: 'server-03' }, value: 'off' }), payloadType: 'json', wires: [['site']],
    },
  ];

  /** The hub: remote devices, and HTTP endpoints a test can drive (switch, status, the nodes' statuses). */
  const hubFlows = () => [
    { id: 'htab', type: 'tab', label: 'hub' },
    brokerConfig('hbrk', 'hub', 'hubpass'),
    ...[['r12', 'site1', 'rack-12'], ['r13', 'site1', 'rack-13'], ['r9', 'site9', 'rack-1']].map(([id, siteName, device]) => ({
      id, type: 'pdu-config', name: `${siteName}/${device}`, transport: 'site', mqttBroker: 'hbrk', site: siteName, siteDevice: device,
      timeout: 3000, retries: 0, locked: '', groups: [], extra: {}, minOffTime: 0, minOnTime: 0, nativeReboot: true,
    })),
    { id: 'in1', type: 'http in', z: 'htab', url: '/switch', method: 'post', upload: false, wires: [['fn1']] },
    { id: 'fn1', type: 'function', z: 'htab', func: 'msg.outlet = msg.payload.outlet; msg.device = msg.payload.device; msg.payload = msg.payload.action; return [msg.device === "r13" ? null : msg, msg.device === "r13" ? msg : null];', outputs: 2, wires: [['out12'], ['out13']] },
    { id: 'out12', type: 'pdu-outlet', z: 'htab', device: 'r12', outlet: '1', action: 'on', verify: true, allowAll: true, wires: [['res']] },
    { id: 'out13', type: 'pdu-outlet', z: 'htab', device: 'r13', outlet: '1', action: 'on', verify: true, allowAll: true, wires: [['res']] },
    { id: 'h.catch', type: 'catch', x: 100, y: 100, z: 'htab', scope: ['out12', 'out13', 'st12', 'st9'], uncaught: false, wires: [['err']] },
    { id: 'err', type: 'function', z: 'htab', func: 'msg.statusCode = 500; msg.payload = { error: msg.error.message }; return msg;', outputs: 1, wires: [['res']] },
    { id: 'res', type: 'http response', z: 'htab', statusCode: '', headers: {}, wires: [] },
    { id: 'in2', type: 'http in', z: 'htab', url: '/status', method: 'get', upload: false, wires: [['st12']] },
    { id: 'st12', type: 'pdu-status', z: 'htab', device: 'r12', interval: 0, onlyChanges: false, thresholds: [], repeat: 60, wires: [['res'], []] },
    { id: 'in3', type: 'http in', z: 'htab', url: '/status9', method: 'get', upload: false, wires: [['st9']] },
    { id: 'st9', type: 'pdu-status', z: 'htab', device: 'r9', interval: 0, onlyChanges: false, thresholds: [], repeat: 60, wires: [['res'], []] },
    // A polling pdu-status (every second): its events (commLost, commRestored) are kept for the test.
    { id: 'poll12', type: 'pdu-status', z: 'htab', device: 'r12', interval: 1, onlyChanges: true, thresholds: [], repeat: 60, wires: [[], ['keepEvent']] },
    { id: 'keepEvent', type: 'function', z: 'htab', func: 'const all = flow.get("events") || []; all.push({ event: msg.payload.event, text: msg.payload.text, at: Date.now() }); flow.set("events", all.slice(-200)); return null;', outputs: 1, wires: [[]] },
    { id: 'in5', type: 'http in', z: 'htab', url: '/events', method: 'get', upload: false, wires: [['giveEvents']] },
    { id: 'giveEvents', type: 'function', z: 'htab', func: 'msg.payload = flow.get("events") || []; return msg;', outputs: 1, wires: [['res']] },
    // The hub's event stream of the site's rack-12, kept for the test.
    { id: 'stream12', type: 'pdu-events', z: 'htab', x: 100, y: 300, devices: ['r12'], wires: [['keepStream']] },
    { id: 'keepStream', type: 'function', z: 'htab', func: 'const all = flow.get("stream") || []; all.push(msg.payload); flow.set("stream", all.slice(-200)); return null;', outputs: 1, wires: [[]] },
    { id: 'in6', type: 'http in', z: 'htab', url: '/stream', method: 'get', upload: false, wires: [['giveStream']] },
    { id: 'giveStream', type: 'function', z: 'htab', func: 'msg.payload = flow.get("stream") || []; return msg;', outputs: 1, wires: [['res']] },
    // Every status the hub's nodes show, kept for the test.
    { id: 'h.status', type: 'status', x: 100, y: 200, z: 'htab', scope: ['st12'], wires: [['keep']] },
    { id: 'keep', type: 'function', z: 'htab', func: 'const all = flow.get("statuses") || []; all.push(msg.status.text); flow.set("statuses", all.slice(-200)); return null;', outputs: 1, wires: [[]] },
    { id: 'in4', type: 'http in', z: 'htab', url: '/statuses', method: 'get', upload: false, wires: [['give']] },
    { id: 'give', type: 'function', z: 'htab', func: 'msg.payload = flow.get("statuses") || []; return msg;', outputs: 1, wires: [['res']] },
  ];

  const deploy = async (red: NodeRedProcess, flows: unknown[]) => {
    const deployed = await red.request('POST', '/flows', flows, { 'Node-RED-Deployment-Type': 'full' });
    assert.strictEqual(deployed.status, 204, deployed.text);
  };
  const startSite = async (minOff = 0) => {
    site = await startNodeRed();
    await deploy(site, siteFlows(minOff));
  };
  const call = async (route: string, body?: unknown) => {
    const answer = await hub.request(body === undefined ? 'GET' : 'POST', route, body);
    return { status: answer.status, body: JSON.parse(answer.text) };
  };
  const statuses = async (): Promise<string[]> => (await call('/statuses')).body;
  const until = async (check: () => Promise<boolean>, ms: number, what: string) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => { setTimeout(resolve, 100); });
    }
  };

  before(async function () {
    broker = await startMosquitto({
      users: { site1: 'site1pass', hub: 'hubpass' },
      acl: ['user site1', 'topic readwrite rackpower/v1/site1/#', 'user hub', 'topic readwrite rackpower/#'],
      // Far below Mosquitto's default 1000 queued QoS 1 messages per client: a hub of a few hundred
      // devices meets that default with its retained state; here two PDUs do.
      settings: ['max_inflight_messages 2', 'max_queued_messages 5'],
    });
    const options = { port: 0, outlets: 8, locked: [], readCommunity: SECRETS[0], writeCommunity: SECRETS[1] };
    rack12 = await startSim('sentry3', options as never);
    rack13 = await startSim('sentry3', options as never);
    watcher = await MqttWatcher.connect(broker.url, { username: 'hub', password: 'hubpass', protocolVersion: 5 }, 'rackpower/v1/site1', 0);
    await startSite();
    await watcher.next((m) => m.topic === 'rackpower/v1/site1/rack-12/description');
    hub = await startNodeRed();
    await deploy(hub, hubFlows());
    // The deploy answers before the flows have started: until the hub's endpoints answer.
    await until(async () => (await hub.request('GET', '/statuses')).status === 200, 20000, 'the hub\'s flows');
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed' && process.env.SITES_DEBUG) {
      console.log('--- hub ---\n', hub?.output().slice(-6000), '\n--- site ---\n', site?.output().slice(-6000));
    }
  });

  after(async function () {
    await hub?.stop();
    await site?.stop();
    watcher?.client.end(true);
    await broker?.stop();
    await rack12?.stop();
    await rack13?.stop();
  });

  it('pdu-status at the hub reads the site\'s PDU: outlets, names, states, inputs', async function () {
    const status = await call('/status');
    assert.strictEqual(status.status, 200, JSON.stringify(status.body));
    assert.strictEqual(status.body.outlets.length, 8);
    assert.deepStrictEqual(status.body.outlets.slice(0, 3).map((o: any) => [o.name, o.state]), [['server-01', 'on'], ['server-02', 'on'], ['server-03', 'on']]);
    assert.ok(status.body.inputs.length > 0, 'the infeed reading crosses too');
  });

  it('the site\'s events reach the hub\'s event stream once, with the site named; the site\'s own connection events and malformed ones do not', async function () {
    const topic = 'rackpower/v1/site1/rack-12/event';
    const publish = (body: object) => new Promise<void>((resolve, reject) => {
      watcher.client.publish(topic, JSON.stringify({ version: 1, device: 'rack-12', ...body }), { qos: 1 }, (error) => (error ? reject(error) : resolve()));
    });
    // As the site sends them: its connection to the PDU (the hub says that from the site's availability),
    // and events the hub cannot take (a severity it does not know, no text, an endless name).
    await publish({ event: 'commLost', severity: 'critical', source: 'poll', text: 'rack-12: no answer' });
    await publish({ event: 'loadHigh', severity: 'loud', source: 'poll', text: 'x' });
    await publish({ event: 'loadHigh', severity: 'warning', source: 'poll' });
    await publish({ event: 'x'.repeat(500), severity: 'warning', source: 'poll', text: 'x' });
    const injected = await site.request('POST', '/inject/siteTrap');
    assert.strictEqual(injected.status, 200, injected.text);
    const fromSite = async () => ((await call('/stream')).body as any[]).filter((event) => event.site);
    await until(async () => (await fromSite()).length > 0, 10000, 'the site\'s trap in the hub\'s stream');
    await new Promise((resolve) => { setTimeout(resolve, 500); });
    const events = await fromSite();
    assert.deepStrictEqual(events.map(({ time, ...event }) => event), [{
      event: 'outletOff', severity: 'warning', device: 'site1/rack-12', source: 'trap', origin: 'trap', value: 'off',
      text: 'rack-12: outlet 3 (server-03) turned off', outlet: { index: 3, id: '.AA3', name: 'server-03' },
      site: { name: 'site1', device: 'rack-12' },
    }]);
  });

  it('pdu-outlet at the hub switches an outlet at the site and sees it verified', async function () {
    const before = rack12.sets!.length;
    const result = await call('/switch', { device: 'r12', action: 'off', outlet: 'server-03' });
    assert.strictEqual(result.status, 200, JSON.stringify(result.body));
    assert.deepStrictEqual(result.body.outlets.map((o: any) => [o.index, o.name, o.before, o.after, o.verified]), [[3, 'server-03', 'on', 'off', true]]);
    assert.strictEqual(rack12.model.outlet(3)!.on, false);
    assert.strictEqual(rack12.sets!.length, before + 1, 'one SET at the site');
    const back = await call('/switch', { device: 'r12', action: 'on', outlet: 3 });
    assert.strictEqual(back.body.outlets[0].after, 'on');
    await watcher.next((m) => m.topic === 'rackpower/v1/site1/rack-12/audit' && m.payload.action === 'on' && m.payload.requester.name === 'hub (via broker)');
  });

  it('the hub\'s audit trail: its own command once, and a command made at the site, with the site named', async function () {
    const audits = async () => ((await call('/stream')).body as any[]).filter((event) => event.event === 'powerCommand');
    const before = (await audits()).length;
    const result = await call('/switch', { device: 'r12', action: 'off', outlet: 'server-04' });
    assert.strictEqual(result.status, 200, JSON.stringify(result.body));
    // The site audits it too (requester "hub (via broker)"): that record is the hub's own, not streamed again.
    await watcher.next((m) => m.topic === 'rackpower/v1/site1/rack-12/audit' && m.payload.outlets?.[0]?.index === 4);
    await new Promise((resolve) => { setTimeout(resolve, 500); });
    const own = (await audits()).slice(before);
    assert.deepStrictEqual(own.map((event) => [event.audit.requester.id, event.value, event.audit.outlets[0].index, event.site]), [['out12', 'off', 4, undefined]]);

    const injected = await site.request('POST', '/inject/siteOff');
    assert.strictEqual(injected.status, 200, injected.text);
    const fromSite = async () => (await audits()).slice(before).filter((event) => event.site);
    await until(async () => (await fromSite()).length > 0, 10000, 'the site\'s own command in the hub\'s stream');
    const [record] = await fromSite();
    assert.deepStrictEqual([record.device, record.value, record.severity, record.site], ['site1/rack-12', 'off', 'info', { name: 'site1', device: 'rack-12' }]);
    assert.deepStrictEqual([record.audit.requester.name, record.audit.outlets, record.audit.ok], ['site button', [{ index: 7, id: 'AA7', name: 'server-07' }], true]);
    assert.deepStrictEqual(record.audit.result.outlets.map((o: any) => [o.index, o.before, o.after, o.verified]), [[7, 'on', 'off', true]]);
    assert.match(record.text, /^site button \(siteOut\) off outlet 7 \(server-07\) on site1\/rack-12: ok, 1\/1 verified in \d+ ms$/);
    rack12.model.switch(4, true);
    rack12.model.switch(7, true);
  });

  it('the site\'s rules hold whatever the hub allows: its locked outlet, "all" without its opt-in, remote control off', async function () {
    const before = [rack12.sets!.length, rack13.sets!.length];
    const locked = await call('/switch', { device: 'r12', action: 'off', outlet: 'server-02' });
    assert.strictEqual(locked.status, 500);
    assert.match(locked.body.error, /site site1 refused or failed it \(locked\): .*server-02/);
    const all = await call('/switch', { device: 'r12', action: 'off', outlet: 'all' });
    assert.strictEqual(all.status, 500);
    assert.match(all.body.error, /\(all-not-allowed\)/);
    const remoteOff = await call('/switch', { device: 'r13', action: 'off', outlet: 1 });
    assert.strictEqual(remoteOff.status, 500);
    assert.match(remoteOff.body.error, /remote control is off for rack-13 at site site1/);
    assert.deepStrictEqual([rack12.sets!.length, rack13.sets!.length], before, 'no SET reached either PDU');
    assert.ok(rack12.model.outlets.every((o) => o.on) && rack13.model.outlets.every((o) => o.on));
  });

  it('an outlet renamed at the site: the hub switches it by its new name and refuses the old one', async function () {
    rack12.model.rename(4, 'db-primary');
    await watcher.next((m) => m.topic === 'rackpower/v1/site1/rack-12/description'
      && m.payload.outlets.some((o: any) => o.name === 'db-primary'), 10000);
    const old = await call('/switch', { device: 'r12', action: 'off', outlet: 'server-04' });
    assert.strictEqual(old.status, 500);
    assert.match(old.body.error, /server-04/);
    const renamed = await call('/switch', { device: 'r12', action: 'off', outlet: 'db-primary' });
    assert.strictEqual(renamed.status, 200, JSON.stringify(renamed.body));
    assert.strictEqual(rack12.model.outlet(4)!.on, false);
    await call('/switch', { device: 'r12', action: 'on', outlet: 'db-primary' });
  });

  it('a site that speaks another topic version is "versions not compatible", not a silent wait', async function () {
    const other = await mqtt.connectAsync(broker.url, { username: 'hub', password: 'hubpass', protocolVersion: 5 });
    try {
      await other.publishAsync('rackpower/v2/site9/status', JSON.stringify({ version: 2, site: 'site9', state: 'online' }), { qos: 1, retain: true });
      const status = await call('/status9');
      assert.strictEqual(status.status, 500);
      assert.match(status.body.error, /versions not compatible: site site9 publishes v2, this hub reads rackpower\/v1/);
    } finally {
      await other.publishAsync('rackpower/v2/site9/status', '', { qos: 1, retain: true });
      other.end(true);
    }
  });

  it('the site killed: the hub\'s device goes offline (not responding) within the keepalive, and comes back with the site', async function () {
    const killed = Date.now();
    await site.kill();
    // The hub's polling pdu-status raises commLost once the site's will is in (keepalive 2 s, polls every 1 s).
    const events = async (): Promise<Array<{ event: string; text: string; at: number }>> => (await call('/events')).body;
    await until(async () => (await events()).some((e) => e.event === 'commLost' && e.at >= killed), 15000, 'commLost at the hub');
    const lost = (await events()).find((e) => e.event === 'commLost' && e.at >= killed)!;
    assert.match(lost.text, /site site1 is offline \(not responding\)/);
    assert.ok(lost.at - killed < 8000, `commLost ${lost.at - killed} ms after the kill`);
    const answer = await call('/status');
    assert.strictEqual(answer.status, 500);
    assert.match(answer.body.error, /site site1 is offline \(not responding\)/);
    await startSite();
    await until(async () => (await events()).some((e) => e.event === 'commRestored' && e.at > lost.at), 30000, 'commRestored at the hub');
    const again = await call('/status');
    assert.strictEqual(again.body.outlets?.length, 8, 'the retained state, intact');
    // The hub's nodes show the device back (their status, after the offline one).
    const seen = await statuses();
    const offline = seen.findIndex((text) => /offline \(not responding\)/.test(text));
    assert.ok(seen.slice(offline + 1).some((text) => /connected|\d+\/\d+ on/.test(text)), `after the site came back: ${seen.slice(offline).join(' | ')}`);
  });

  it('broker killed during a command: the site finishes it, the answer arrives after the broker is back, and nothing runs twice', async function () {
    // A reboot the site carries out itself (off, 3 s, on): the broker dies in the middle of it.
    await deploy(site, siteFlows(3));
    await watcher.next((m) => m.topic === 'rackpower/v1/site1/status' && m.payload.state === 'online', 20000, watcher.messages.length - 1).catch(() => undefined);
    await until(async () => (await call('/status')).status === 200, 30000, 'the hub reading the site after its redeploy');
    const before = rack12.sets!.length;
    const pending = call('/switch', { device: 'r12', action: 'reboot', outlet: 'server-05' });
    await until(async () => !rack12.model.outlet(5)!.on, 10000, 'the outlet off at the site');
    await broker.kill();
    await new Promise((resolve) => { setTimeout(resolve, 1000); });
    await broker.restart();
    const result = await pending;
    assert.strictEqual(result.status, 200, JSON.stringify(result.body));
    assert.strictEqual(result.body.outlets[0].after, 'on');
    assert.strictEqual(rack12.model.outlet(5)!.on, true);
    assert.strictEqual(rack12.sets!.length, before + 2, 'one off and one on: the reboot ran once');
  });

  it('no secret crossed the broker', function () {
    for (const message of watcher.messages) for (const secret of SECRETS) assert.ok(!message.raw.includes(secret), `${secret} in ${message.topic}`);
  });
});
