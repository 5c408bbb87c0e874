import assert from 'assert';
import mqtt from 'mqtt';
import { startSim, type SimDevice } from '../../sim/index';
import { startMosquitto, type Mosquitto } from '../peers/mosquitto';
import { startNodeRed, type NodeRedProcess } from '../runtime/node-red-process';
import { MqttWatcher } from '../helpers/mqtt-watcher';
import { jinjaAvailable, renderJinja } from '../helpers/jinja';

// Home Assistant discovery from a site (pdu-site in a real Node-RED, two simulated PDUs) on a
// real Mosquitto with the README's ACL, and Home Assistant played by a plain MQTT client with the
// README's HA user: the configs it finds, and what its ON and OFF do at the site.

const SECRETS = ['public-r34d', 'private-wr1t3', 'site1pass', 'hapass'];
const ROOT = 'rackpower/v1/site1';
const HA = 'homeassistant';
const config = (component: string, device: string, entity: string) => `${HA}/${component}/site1/${device}_${entity}/config`;
const set = (device: string, outlet: number) => `${ROOT}/${device}/outlet/${outlet}/set`;
const pause = (ms: number) => new Promise((resolve) => { setTimeout(resolve, ms); });

describe('pdu-site: Home Assistant discovery on a real Mosquitto', function () {
  this.timeout(120000);
  let broker: Mosquitto;
  let rack12: SimDevice;
  let rack13: SimDevice;
  let red: NodeRedProcess;
  let ha: MqttWatcher;

  const flows = (over: { ha?: boolean; locked12?: string; remote12?: boolean; devices?: string[] } = {}) => [
    { id: 'tab1', type: 'tab', label: 'site 1' },
    {
      id: 'brk', type: 'mqtt-broker', name: 'site broker', broker: '127.0.0.1', port: String(broker.port), clientid: '',
      autoConnect: true, usetls: false, protocolVersion: '5', keepalive: '2', cleansession: true,
      credentials: { user: 'site1', password: 'site1pass' },
    },
    ...[['c12', 'rack-12', rack12], ['c13', 'rack-13', rack13]].map(([cid, name, sim]) => ({
      id: cid, type: 'pdu-config', name, transport: 'snmp', host: '127.0.0.1', port: String((sim as SimDevice).port), profile: 'sentry3',
      snmpVersion: '2c', timeout: 500, retries: 1, locked: cid === 'c12' ? (over.locked12 ?? 'server-02') : '', groups: [], extra: {},
      minOffTime: 0, minOnTime: 0, nativeReboot: true, credentials: { readCommunity: SECRETS[0], writeCommunity: SECRETS[1] },
    })),
    {
      id: 'site', type: 'pdu-site', z: 'tab1', x: 200, y: 100, name: '', broker: 'brk', site: 'site1', interval: 1,
      haDiscovery: over.ha ?? true, haPrefix: HA,
      devices: [{ device: 'c12', topic: '', remoteControl: over.remote12 ?? true, allowAll: false }, { device: 'c13', topic: '', remoteControl: false }]
        .filter((d) => (over.devices ?? ['c12', 'c13']).includes(d.device)),
      wires: [],
    },
  ];
  const deploy = async (over: Parameters<typeof flows>[0] = {}): Promise<void> => {
    const deployed = await red.request('POST', '/flows', flows(over), { 'Node-RED-Deployment-Type': 'full' });
    assert.strictEqual(deployed.status, 204, deployed.text);
  };
  /** What a client that subscribes now finds retained under the site's node id. */
  const retainedConfigs = async (): Promise<Map<string, any>> => {
    const late = await mqtt.connectAsync(broker.url, { username: 'ha', password: 'hapass', protocolVersion: 5 });
    const found = new Map<string, any>();
    late.on('message', (topic, payload) => {
      if (payload.length === 0) return;
      try {
        found.set(topic, JSON.parse(payload.toString()));
      } catch {
        found.set(topic, payload.toString());
      }
    });
    try {
      await late.subscribeAsync(`${HA}/+/site1/+/config`, { qos: 1 });
      await pause(1000);
    } finally {
      late.end(true);
    }
    return found;
  };
  const haSays = (topic: string, payload: string | Buffer, retain = false) => ha.client.publishAsync(topic, payload, { qos: 1, retain });
  const result = (from: number, check: (payload: any) => boolean) => ha.next((m) => m.topic === `${ROOT}/rack-12/result` && check(m.payload), 15000, from);

  before(async function () {
    broker = await startMosquitto({
      users: { site1: 'site1pass', hub: 'hubpass', ha: 'hapass' },
      // The README's ACL: each site under its own name (%u) in both trees, the hub everywhere, HA
      // reading the sites, writing only outlets' set topics, and its own discovery tree.
      acl: [
        'pattern readwrite rackpower/+/%u/#', `pattern readwrite ${HA}/+/%u/+/config`, `pattern read ${HA}/status`,
        'user hub', 'topic readwrite rackpower/#',
        'user ha', 'topic read rackpower/#', 'topic write rackpower/v1/+/+/outlet/+/set', `topic readwrite ${HA}/#`,
      ],
    });
    const options = { port: 0, outlets: 8, locked: [], readCommunity: SECRETS[0], writeCommunity: SECRETS[1] };
    rack12 = await startSim('sentry3', options as never);
    rack13 = await startSim('sentry3', options as never);
    const client = await mqtt.connectAsync(broker.url, { username: 'ha', password: 'hapass', protocolVersion: 5, clientId: `ha-${process.pid}` });
    ha = new MqttWatcher(client, ROOT);
    await client.subscribeAsync(['rackpower/v1/#', `${HA}/#`], { qos: 1 });
    red = await startNodeRed();
    await deploy();
  });

  after(async function () {
    await red?.stop();
    ha?.client.end(true);
    await broker?.stop();
    await rack12?.stop();
    await rack13?.stop();
  });

  it('retained configs: a switch per unlocked outlet of a remote-controlled PDU, binary sensors for a locked outlet and without remote control, sensors, no secret', async function () {
    await ha.next((m) => m.topic === config('sensor', 'rack-13', 'input_1_current'), 20000);
    await ha.next((m) => m.topic === config('sensor', 'rack-12', 'input_1_current'), 20000);
    const found = await retainedConfigs();
    const kinds = (device: string) => [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ['switch', 'binary_sensor'].filter((c) => found.has(config(c, device, `outlet_${n}`))).join('+'));
    assert.deepStrictEqual(kinds('rack-12'), ['switch', 'binary_sensor', 'switch', 'switch', 'switch', 'switch', 'switch', 'switch']);
    assert.deepStrictEqual(kinds('rack-13'), Array(8).fill('binary_sensor'), 'remote control off: no switch at all');
    const switch3 = found.get(config('switch', 'rack-12', 'outlet_3'));
    assert.strictEqual(switch3.name, 'server-03');
    assert.strictEqual(switch3.command_topic, set('rack-12', 3));
    assert.strictEqual(switch3.state_topic, `${ROOT}/rack-12/outlet/3/state`);
    assert.deepStrictEqual(switch3.device.identifiers, ['rackpower_site1_rack-12']);
    assert.ok(switch3.device.manufacturer && switch3.device.model, JSON.stringify(switch3.device));
    assert.deepStrictEqual(switch3.availability.map((a: { topic: string }) => a.topic), [`${ROOT}/status`, `${ROOT}/rack-12/availability`]);
    const sensors = [...found.keys()].filter((topic) => topic.startsWith(`${HA}/sensor/site1/rack-12_`));
    assert.ok(sensors.includes(config('sensor', 'rack-12', 'input_1_voltage')), sensors.join('\n'));
    assert.ok(sensors.some((topic) => /sensor_\d+_temperature/.test(topic)), sensors.join('\n'));
    for (const message of ha.messages) for (const secret of SECRETS) assert.ok(!message.raw.includes(secret), `${secret} in ${message.topic}`);
  });

  it('HA\'s OFF switches the outlet through the site\'s Device (one SET, audited as homeassistant), and the state HA reads follows', async function () {
    const before = rack12.sets!.length;
    const from = ha.messages.length;
    await haSays(set('rack-12', 3), 'OFF');
    const state = await ha.next((m) => m.topic === `${ROOT}/rack-12/outlet/3/state` && m.payload.state === 'off', 15000, from);
    assert.strictEqual(rack12.model.outlet(3)!.on, false);
    assert.strictEqual(rack12.sets!.length, before + 1);
    const audit = await ha.next((m) => m.topic === `${ROOT}/rack-12/audit` && m.payload.action === 'off', 15000, from);
    assert.strictEqual(audit.payload.requester.name, 'homeassistant (via broker)');
    assert.strictEqual(audit.payload.ok, true);
    const answer = await result(from, (p) => p.ok === true);
    assert.deepStrictEqual(answer.payload.result.outlets.map((o: any) => [o.index, o.after, o.verified]), [[3, 'off', true]]);
    if (jinjaAvailable()) {
      const template = (await retainedConfigs()).get(config('switch', 'rack-12', 'outlet_3')).value_template;
      assert.deepStrictEqual(renderJinja([{ template, value_json: state.payload }]), ['OFF'], 'HA shows the switch off');
    }
    await haSays(set('rack-12', 3), 'ON');
    await ha.next((m) => m.topic === `${ROOT}/rack-12/outlet/3/state` && m.payload.state === 'on', 15000, from);
    assert.strictEqual(rack12.sets!.length, before + 2);
  });

  it('refused through the same checks as a hub\'s command: a locked outlet, a PDU without remote control', async function () {
    const before = [rack12.sets!.length, rack13.sets!.length];
    const from = ha.messages.length;
    await haSays(set('rack-12', 2), 'OFF');
    assert.strictEqual((await result(from, (p) => p.ok === false)).payload.code, 'locked');
    await haSays(set('rack-13', 1), 'OFF');
    const off = await ha.next((m) => m.topic === `${ROOT}/rack-13/result`, 15000, from);
    assert.strictEqual(off.payload.code, 'remote-off');
    assert.deepStrictEqual([rack12.sets!.length, rack13.sets!.length], before);
  });

  it('hostile payloads on a set topic are refused with a reason and logged, nothing switched', async function () {
    const before = rack12.sets!.length;
    const from = ha.messages.length;
    const hostile = ['off', '0', 'OFF ', JSON.stringify({ id: 'x', action: 'off', outlets: 'all', expires: Date.now() + 60000 }), 'x'.repeat(20000)];
    for (const payload of hostile) await haSays(set('rack-12', 4), payload);
    const refusals = () => ha.messages.slice(from).filter((m) => m.topic === `${ROOT}/rack-12/result` && m.payload.code === 'bad-command');
    const deadline = Date.now() + 10000;
    while (refusals().length < hostile.length && Date.now() < deadline) await pause(50);
    assert.strictEqual(refusals().length, hostile.length, ha.messages.slice(from).map((m) => m.raw.slice(0, 120)).join('\n'));
    assert.ok(refusals().every((m) => /is not ON or OFF/.test(m.payload.error) && m.raw.length < 400), 'a short reason, not the payload');
    assert.match(red.output(), /outlet\/4\/set: "off" is not ON or OFF: ignored/);
    assert.strictEqual(rack12.sets!.length, before);
    assert.ok(rack12.model.outlet(4)!.on);
  });

  it('a retained OFF is never run, live or when the site subscribes again, and the site clears it', async function () {
    const before = rack12.sets!.length;
    let from = ha.messages.length;
    await haSays(set('rack-12', 4), 'OFF', true);
    await result(from, (p) => /retained command/.test(p.error));
    // The site stops, HA's retained OFF waits on the broker, the site comes back and subscribes.
    assert.strictEqual((await red.request('POST', '/flows', flows().filter((n) => n.id === 'tab1'), { 'Node-RED-Deployment-Type': 'full' })).status, 204);
    await haSays(set('rack-12', 5), 'OFF', true);
    from = ha.messages.length;
    await deploy();
    await result(from, (p) => /retained command on .*outlet\/5\/set/.test(p.error));
    await ha.next((m) => m.topic === `${ROOT}/rack-12/outlet/5/state` && m.payload.state === 'on', 15000, from);
    await pause(1500);
    assert.strictEqual(rack12.sets!.length, before, 'no SET for a retained command');
    assert.ok(rack12.model.outlet(4)!.on && rack12.model.outlet(5)!.on);
    const kept = await mqtt.connectAsync(broker.url, { username: 'hub', password: 'hubpass', protocolVersion: 5 });
    const left: string[] = [];
    kept.on('message', (topic, payload) => { if (payload.length > 0) left.push(topic); });
    await kept.subscribeAsync(`${ROOT}/+/outlet/+/set`);
    await pause(1000);
    kept.end(true);
    assert.deepStrictEqual(left, [], 'the site cleared the retained commands');
    // The site listens: the same word, live, runs.
    await haSays(set('rack-12', 5), 'OFF');
    await ha.next((m) => m.topic === `${ROOT}/rack-12/outlet/5/state` && m.payload.state === 'off', 15000, from);
    assert.strictEqual(rack12.sets!.length, before + 1);
    rack12.model.switch(5, true);
  });

  it('HA\'s birth message makes the site publish every config again', async function () {
    const from = ha.messages.length;
    await haSays(`${HA}/status`, 'online');
    await ha.next((m) => m.topic === config('switch', 'rack-12', 'outlet_1') && m.raw.length > 0, 10000, from);
    await ha.next((m) => m.topic === config('binary_sensor', 'rack-13', 'outlet_8') && m.raw.length > 0, 10000, from);
  });

  it('a lock added or remote control turned off replaces switches with binary sensors; a PDU no longer published is forgotten', async function () {
    let from = ha.messages.length;
    await deploy({ locked12: 'server-02,server-05', devices: ['c12'] });
    await ha.next((m) => m.topic === config('switch', 'rack-12', 'outlet_5') && m.raw === '', 20000, from);
    await ha.next((m) => m.topic === config('binary_sensor', 'rack-12', 'outlet_5') && m.raw.length > 0, 20000, from);
    await ha.next((m) => m.topic === config('binary_sensor', 'rack-13', 'outlet_1') && m.raw === '', 20000, from);
    let found = await retainedConfigs();
    assert.ok(![...found.keys()].some((topic) => topic.includes('/site1/rack-13_')), 'rack-13 forgotten');
    assert.ok(found.has(config('switch', 'rack-12', 'outlet_1')));
    assert.ok(!ha.messages.slice(from).some((m) => m.topic === config('switch', 'rack-12', 'outlet_1') && m.raw === ''),
      'a config still wanted is never cleared and added again');

    from = ha.messages.length;
    await deploy({ remote12: false, devices: ['c12'] });
    await ha.next((m) => m.topic === config('switch', 'rack-12', 'outlet_1') && m.raw === '', 20000, from);
    found = await retainedConfigs();
    assert.ok(![...found.keys()].some((topic) => topic.includes('/switch/')), [...found.keys()].join('\n'));
    assert.ok(found.has(config('binary_sensor', 'rack-12', 'outlet_1')));
  });

  it('the option turned off clears every config, so HA forgets the devices', async function () {
    const on = ha.messages.length;
    await deploy();
    await ha.next((m) => m.topic === config('switch', 'rack-12', 'outlet_1') && m.raw.length > 0, 20000, on);
    await ha.next((m) => m.topic === config('binary_sensor', 'rack-13', 'outlet_1') && m.raw.length > 0, 20000, on);
    // Another program's configs under the same node id (an ESPHome device called like the site),
    // one with an object id shaped like the site's: not the site's to clear.
    const foreign = {
      [`${HA}/light/site1/garage_light/config`]: { unique_id: 'esphome_garage_light', name: 'Garage light', command_topic: 'garage/light/set' },
      [`${HA}/sensor/site1/boiler_sensor_1_temperature/config`]: { unique_id: 'boiler_t1', name: 'Boiler', state_topic: 'boiler/t' },
      [`${HA}/sensor/site1/odd/config`]: 'not json',
    };
    for (const [topic, body] of Object.entries(foreign)) await haSays(topic, typeof body === 'string' ? body : JSON.stringify(body), true);
    const from = ha.messages.length;
    await deploy({ ha: false });
    await ha.next((m) => m.topic === config('switch', 'rack-12', 'outlet_1') && m.raw === '', 20000, from);
    await pause(1000);
    const left = await retainedConfigs();
    assert.deepStrictEqual([...left.keys()].sort(), Object.keys(foreign).sort(), 'only the site\'s own configs cleared');
    assert.ok(!ha.messages.slice(from).some((m) => m.topic in foreign && m.raw === ''), 'nothing foreign cleared');
    for (const topic of Object.keys(foreign)) await haSays(topic, '', true);
    for (const message of ha.messages) for (const secret of SECRETS) assert.ok(!message.raw.includes(secret), `${secret} in ${message.topic}`);
  });
});
