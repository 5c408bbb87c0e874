import assert from 'assert';
import {
  checkDiscoveryPrefix, checkDiscoverySite, deviceKey, discoveryConfigs, parseHaCommand, snapshotReadings, type DiscoveredDevice,
} from '../../lib/sites/home-assistant';
import { HomeAssistantDiscovery } from '../../lib/sites/home-assistant-discovery';
import type { IncomingMessage, OutgoingMessage, SiteLink } from '../../lib/sites/link';
import { SiteTopics } from '../../lib/sites/topics';
import type { DeviceDescription, Snapshot } from '../../lib/types';
import { jinjaAvailable, renderJinja } from '../helpers/jinja';

// Home Assistant discovery without a broker: the configs the builder makes (which component each
// outlet gets, what every entity reads), the words a set topic accepts, and which retained
// configs the site clears. The real Mosquitto and Node-RED are in home-assistant.test.ts.

const topics = new SiteTopics('site1');
const SNAPSHOT: Snapshot = {
  outlets: [
    { index: 1, id: 'AA1', name: 'web-01', state: 'on', power: 120.5, current: 0.6 },
    { index: 2, id: 'AA2', name: 'db-01', state: 'off' },
    { index: 3, id: 'AA3', name: 'x', state: 'unknown' },
  ],
  inputs: [{ index: 1, name: 'Tower A', current: 4.2, voltage: 208, power: 870 }],
  sensors: [{ index: 1, name: 'Front', type: 'temperature', value: 23.5, unit: '°C' }, { index: 1, name: 'Front', type: 'humidity', value: 41, unit: '%' }],
};
const view = (over: Partial<DiscoveredDevice> = {}): DiscoveredDevice => ({
  device: 'rack-12', vendor: 'Server Technology', model: 'Sentry3', remoteControl: true,
  outlets: [{ index: 1, name: 'web-01', locked: false }, { index: 2, name: 'db-01', locked: true }, { index: 3, name: 'x', locked: false }],
  readings: snapshotReadings(SNAPSHOT), ...over,
});
const byTopic = (configs: Array<{ topic: string; payload: string }>) => new Map(configs.map((c) => [c.topic, JSON.parse(c.payload)]));

describe('Home Assistant discovery: the configs a site publishes', function () {
  it('a switch per outlet the broker may switch; a locked outlet, and every outlet without remote control, a binary_sensor only', function () {
    const configs = byTopic(discoveryConfigs('homeassistant', topics, view()));
    const switch1 = configs.get('homeassistant/switch/site1/rack-12_outlet_1/config');
    assert.ok(switch1, [...configs.keys()].join('\n'));
    assert.strictEqual(switch1.command_topic, 'rackpower/v1/site1/rack-12/outlet/1/set');
    assert.strictEqual(switch1.state_topic, 'rackpower/v1/site1/rack-12/outlet/1/state');
    assert.strictEqual(switch1.retain, false);
    assert.deepStrictEqual([switch1.payload_on, switch1.payload_off], ['ON', 'OFF']);
    assert.strictEqual(switch1.unique_id, 'rackpower_site1_rack-12_outlet_1');
    assert.deepStrictEqual(switch1.device, {
      identifiers: ['rackpower_site1_rack-12'], name: 'rack-12 (site1)', manufacturer: 'Server Technology', model: 'Sentry3',
    });
    assert.deepStrictEqual(switch1.availability.map((a: { topic: string }) => a.topic),
      ['rackpower/v1/site1/status', 'rackpower/v1/site1/rack-12/availability']);
    assert.strictEqual(switch1.availability_mode, 'all');
    assert.ok(!configs.has('homeassistant/switch/site1/rack-12_outlet_2/config'), 'a locked outlet is never a switch');
    const locked = configs.get('homeassistant/binary_sensor/site1/rack-12_outlet_2/config');
    assert.strictEqual(locked.command_topic, undefined);
    assert.strictEqual(locked.state_topic, 'rackpower/v1/site1/rack-12/outlet/2/state');

    const remoteOff = [...byTopic(discoveryConfigs('homeassistant', topics, view({ remoteControl: false }))).keys()];
    assert.ok(remoteOff.every((topic) => !topic.includes('/switch/')), remoteOff.join('\n'));
    assert.strictEqual(remoteOff.filter((topic) => topic.includes('/binary_sensor/')).length, 3);
  });

  it('sensors from the snapshot with their device class, unit and state class; per-outlet loads disabled at first', function () {
    const configs = byTopic(discoveryConfigs('homeassistant', topics, view()));
    const sensor = (entity: string) => configs.get(`homeassistant/sensor/site1/rack-12_${entity}/config`);
    assert.deepStrictEqual(['input_1_current', 'input_1_power', 'input_1_voltage', 'sensor_1_temperature', 'sensor_1_humidity']
      .map((entity) => [sensor(entity)?.device_class, sensor(entity)?.unit_of_measurement, sensor(entity)?.state_class]),
    [['current', 'A', 'measurement'], ['power', 'W', 'measurement'], ['voltage', 'V', 'measurement'],
      ['temperature', '°C', 'measurement'], ['humidity', '%', 'measurement']]);
    assert.strictEqual(sensor('input_1_current').state_topic, 'rackpower/v1/site1/rack-12/snapshot');
    assert.strictEqual(sensor('outlet_1_power').enabled_by_default, false);
    assert.strictEqual(sensor('outlet_2_power'), undefined, 'an outlet without a reading has no sensor');
  });

  it('the templates, rendered by Jinja2 as Home Assistant does, read the payloads the site publishes', function () {
    if (!jinjaAvailable()) this.skip();
    const configs = byTopic(discoveryConfigs('homeassistant', topics, view()));
    const get = (component: string, entity: string) => configs.get(`homeassistant/${component}/site1/rack-12_${entity}/config`);
    const published = { version: 1, at: '2026-01-01T00:00:00.000Z', ...SNAPSHOT };
    const state = (s: string) => ({ version: 1, index: 1, id: 'AA1', name: 'web-01', state: s, at: '2026-01-01T00:00:00.000Z' });
    const sw = get('switch', 'outlet_1');
    const rendered = renderJinja([
      ...['on', 'off', 'unknown'].map((s) => ({ template: sw.value_template, value_json: state(s) })),
      { template: get('binary_sensor', 'outlet_2').value_template, value_json: state('off') },
      ...['input_1_current', 'input_1_voltage', 'outlet_1_power'].map((e) => ({ template: get('sensor', e).value_template, value_json: published })),
      { template: get('sensor', 'sensor_1_temperature').value_template, value_json: published },
      { template: get('sensor', 'sensor_1_humidity').value_template, value_json: published },
      { template: sw.availability[0].value_template, value_json: { version: 1, site: 'site1', state: 'offline' } },
      { template: sw.availability[1].value_template, value_json: { version: 1, state: 'connected', text: 'ok' } },
      { template: sw.availability[1].value_template, value_json: { version: 1, state: 'error', text: 'timeout' } },
      // A reading the snapshot lacks renders empty (HA ignores it), not an error.
      { template: get('sensor', 'input_1_current').value_template, value_json: { ...published, inputs: [] } },
    ]);
    assert.deepStrictEqual(rendered.map((r) => r.trim()),
      ['ON', 'OFF', 'None', 'OFF', '4.2', '208', '120.5', '23.5', '41', 'offline', 'online', 'offline', '']);
  });

  it('object ids come from the site, the device and the index, never from names; names are data only', function () {
    const hostile = discoveryConfigs('homeassistant', topics, view({
      device: 'rack 12.ü"', outlets: [{ index: 1, name: 'evil/#/config\u0000"}', locked: false }], readings: [],
    }));
    for (const { topic, payload } of hostile) {
      assert.match(topic, /^homeassistant\/switch\/site1\/rack_12____[0-9a-f]{8}_outlet_1\/config$/);
      assert.strictEqual(JSON.parse(payload).name, 'evil/#/config "}');
    }
    assert.notStrictEqual(deviceKey('rack.12'), deviceKey('rack_12'), 'two names made alike stay apart');
    assert.strictEqual(deviceKey('rack-12'), 'rack-12');
    assert.throws(() => checkDiscoverySite('paris dc1'), /letters, digits/);
    assert.throws(() => checkDiscoveryPrefix('home/+'), /discovery prefix "home\/\+"/);
    assert.throws(() => checkDiscoveryPrefix('a//b'), /topic levels/);
    assert.strictEqual(checkDiscoveryPrefix(''), 'homeassistant');
    assert.strictEqual(checkDiscoveryPrefix('ha/discovery'), 'ha/discovery');
  });

  it('a set topic takes ON or OFF, live; a retained message or any other payload is refused, an empty one ignored', function () {
    const set = 'rackpower/v1/site1/rack-12/outlet/3/set';
    const parse = (payload: string | Buffer, retain = false, topic = set) => parseHaCommand(topics, 'rack-12', {
      topic, payload: Buffer.isBuffer(payload) ? payload : Buffer.from(payload), retain,
    });
    assert.deepStrictEqual(parse('OFF'), { command: { index: 3, action: 'off' } });
    assert.deepStrictEqual(parse('ON'), { command: { index: 3, action: 'on' } });
    assert.match((parse('OFF', true) as { refused: string }).refused, /retained command .* never run/);
    for (const bad of ['off', 'On', 'OFF ', '1', '{"action":"off","outlets":"all"}', 'x'.repeat(100000), 'OFF\u0000']) {
      assert.match((parse(bad) as { refused: string }).refused, /is not ON or OFF/, bad.slice(0, 20));
    }
    assert.deepStrictEqual(parse(''), { ignored: true });
    assert.match((parse('OFF', false, 'rackpower/v1/site1/rack-12/outlet/03/set') as { refused: string }).refused, /not an outlet's set topic/);
  });
});

/** A broker link in memory: every publish recorded, subscriptions by filter. */
class MemoryLink implements SiteLink {
  connected = true;
  readonly sent: OutgoingMessage[] = [];
  readonly handlers = new Map<string, (message: IncomingMessage) => void>();
  publish(message: OutgoingMessage): Promise<void> { this.sent.push(message); return Promise.resolve(); }
  subscribe(filter: string, handler: (message: IncomingMessage) => void): void { this.handlers.set(filter, handler); }
  unsubscribe(filter: string): void { this.handlers.delete(filter); }
  deliver(filter: string, topic: string, payload: string): void { this.handlers.get(filter)!({ topic, payload: Buffer.from(payload), retain: true }); }
}

const DESCRIPTION = {
  vendor: 'Server Technology', model: 'Sentry3', profile: 'sentry3',
  outlets: [1, 2].map((index) => ({ index, id: `AA${index}`, name: `server-0${index}`, groups: [], key: String(index) })),
  capabilities: {} as DeviceDescription['capabilities'],
} as DeviceDescription;

describe('Home Assistant discovery: what the site clears', function () {
  const sweep = 'homeassistant/+/site1/+/config';
  const start = (enabled: boolean) => {
    const link = new MemoryLink();
    const discovery = new HomeAssistantDiscovery(topics, link, { enabled, prefix: 'homeassistant' },
      [{ name: 'rack-12', remoteControl: true }, { name: 'rack', remoteControl: true }]);
    discovery.start();
    return { link, discovery };
  };
  const cleared = (link: MemoryLink) => link.sent.filter((m) => m.payload === '').map((m) => m.topic);
  /** A config as this site makes them: its unique_id names the pack and the site. */
  const ours = (object: string) => JSON.stringify({ unique_id: `rackpower_site1_${object}`, name: object });

  it('a retained config of a published device waits for its first build: kept if still wanted, cleared if not', function () {
    const { link, discovery } = start(true);
    link.deliver(sweep, 'homeassistant/switch/site1/rack-12_outlet_1/config', ours('rack-12_outlet_1'));
    link.deliver(sweep, 'homeassistant/switch/site1/rack-12_outlet_2/config', ours('rack-12_outlet_2'));
    link.deliver(sweep, 'homeassistant/switch/site1/rack-12_outlet_9/config', ours('rack-12_outlet_9'));
    link.deliver(sweep, 'homeassistant/switch/site1/rack-13_outlet_1/config', ours('rack-13_outlet_1'));
    assert.deepStrictEqual(cleared(link), ['homeassistant/switch/site1/rack-13_outlet_1/config'], 'a device not published: at once');
    discovery.described('rack-12', DESCRIPTION, new Set([2]));
    assert.strictEqual(link.sent.length, 1, 'nothing before the first snapshot (its sensors would be dropped and added again)');
    discovery.snapshot('rack-12', { outlets: [], inputs: [], sensors: [] });
    assert.deepStrictEqual(cleared(link).slice(1).sort(), [
      'homeassistant/switch/site1/rack-12_outlet_2/config', 'homeassistant/switch/site1/rack-12_outlet_9/config']);
    assert.ok(link.sent.some((m) => m.topic === 'homeassistant/binary_sensor/site1/rack-12_outlet_2/config' && m.payload));
    // Delivered again (a resubscription): a config still wanted is kept.
    link.deliver(sweep, 'homeassistant/switch/site1/rack-12_outlet_1/config', ours('rack-12_outlet_1'));
    assert.ok(!cleared(link).includes('homeassistant/switch/site1/rack-12_outlet_1/config'), 'a wanted config is kept');
  });

  it('a lock added at run time replaces the switch with a binary_sensor at once; off, every config found is cleared', function () {
    const { link, discovery } = start(true);
    discovery.described('rack-12', DESCRIPTION, new Set());
    discovery.snapshot('rack-12', { outlets: [], inputs: [], sensors: [] });
    const from = link.sent.length;
    discovery.described('rack-12', DESCRIPTION, new Set([1]));
    assert.deepStrictEqual(link.sent.slice(from).map((m) => [m.topic, m.payload === '' ? 'cleared' : 'config']), [
      ['homeassistant/switch/site1/rack-12_outlet_1/config', 'cleared'],
      ['homeassistant/binary_sensor/site1/rack-12_outlet_1/config', 'config'],
    ]);
    const off = start(false);
    off.discovery.described('rack-12', DESCRIPTION, new Set());
    off.discovery.snapshot('rack-12', { outlets: [], inputs: [], sensors: [] });
    assert.strictEqual(off.link.sent.length, 0, 'off: nothing published');
    off.link.deliver(sweep, 'homeassistant/switch/site1/rack-12_outlet_1/config', ours('rack-12_outlet_1'));
    assert.deepStrictEqual(cleared(off.link), ['homeassistant/switch/site1/rack-12_outlet_1/config']);
    assert.ok(!off.link.handlers.has('homeassistant/status'), 'off: HA\'s birth is not listened to');
  });

  it('never clears another program\'s config under the site\'s node id (no unique_id of this site, or not JSON), on or off', function () {
    for (const enabled of [true, false]) {
      const { link } = start(enabled);
      link.deliver(sweep, 'homeassistant/light/site1/garage_light/config', JSON.stringify({ unique_id: 'esphome_garage_light' }));
      link.deliver(sweep, 'homeassistant/switch/site1/rack-13_outlet_1/config', JSON.stringify({ unique_id: 'rackpower_site2_rack-13_outlet_1' }));
      link.deliver(sweep, 'homeassistant/switch/site1/rack-14_outlet_1/config', '{}');
      link.deliver(sweep, 'homeassistant/switch/site1/rack-15_outlet_1/config', 'ON');
      link.deliver(sweep, 'homeassistant/switch/site1/rack-16_outlet_1/config', ours('rack-16_outlet_1'));
      assert.deepStrictEqual(cleared(link), ['homeassistant/switch/site1/rack-16_outlet_1/config'], `option ${enabled ? 'on' : 'off'}`);
    }
  });
});
