import { createHash } from 'crypto';
import type { Snapshot } from '../types';
import type { SiteTopics } from './topics';

// Home Assistant's MQTT discovery, built from what a site already publishes: one HA device per
// PDU, an outlet as a `switch` only where the broker may switch it (remote control on and the
// outlet not locked here), otherwise as a `binary_sensor` that can only show its state, and the
// snapshot's readings as sensors. Every entity reads the site's existing retained topics through
// a template: nothing is published twice. Pure functions; the spoke publishes what they return.

export const DEFAULT_DISCOVERY_PREFIX = 'homeassistant';
/** The words HA sends on a switch's command topic, and the states its templates render. */
export const HA_ON = 'ON';
export const HA_OFF = 'OFF';
/** Who asked, in the audit trail of a command from Home Assistant. */
export const HA_REQUESTER = 'homeassistant';
/** Every unique_id and device identifier this pack makes starts with it (then the site): how a site knows its own configs. */
export const UNIQUE_ID_PREFIX = 'rackpower';
/** How long a command from Home Assistant is remembered (it is run at once, or not at all). */
const HA_COMMAND_LIFETIME_MS = 60_000;
const MAX_ENTITY_NAME = 64;
/** HA's own rule for a discovery topic's node id and object id. */
const HA_ID = /^[A-Za-z0-9_-]+$/;

/** A discovery prefix: topic levels of letters, digits, `_` and `-` (no wildcard, no `$`, no empty level). */
export function checkDiscoveryPrefix(prefix: string): string {
  const trimmed = prefix.trim() || DEFAULT_DISCOVERY_PREFIX;
  if (trimmed.length > 64 || !trimmed.split('/').every((level) => HA_ID.test(level))) {
    throw new Error(`the Home Assistant discovery prefix "${trimmed.slice(0, 64)}" must be topic levels of letters, digits, "_" and "-"`);
  }
  return trimmed;
}

/**
 * The site's name is the node id of every config it publishes: one topic level the broker's ACL
 * can give to the site's user alone (`homeassistant/+/%u/+/config`), so it must be a valid HA id.
 */
export function checkDiscoverySite(site: string): string {
  if (!HA_ID.test(site)) {
    throw new Error(`Home Assistant discovery needs a site name of letters, digits, "_" and "-" (it is HA's node id): "${site}" is not`);
  }
  return site;
}

/** A device's part of its entities' object ids: its topic name when HA accepts it, else that name made safe plus a hash of it. */
export function deviceKey(device: string): string {
  if (HA_ID.test(device) && device.length <= 48) return device;
  const hash = createHash('sha256').update(device).digest('hex').slice(0, 8);
  return `${device.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32)}_${hash}`;
}

/** What the builder needs to know of one published device. */
export interface DiscoveredDevice {
  device: string;
  vendor: string;
  model: string;
  remoteControl: boolean;
  outlets: Array<{ index: number; name: string; locked: boolean }>;
  /** Readings seen in the device's snapshots so far (kept once seen, so a missed reading does not remove an entity). */
  readings: Reading[];
}

export interface Reading {
  source: 'input' | 'outlet' | 'sensor';
  index: number;
  /** The snapshot's field (`current`, `power`, `voltage`), or the sensor's type. */
  field: 'current' | 'power' | 'voltage' | 'temperature' | 'humidity';
  name: string;
}

export interface DiscoveryConfig {
  topic: string;
  payload: string;
}

const UNITS: Record<Reading['field'], string> = { current: 'A', power: 'W', voltage: 'V', temperature: '°C', humidity: '%' };

/** The readings a snapshot carries, in a stable order. */
export function snapshotReadings(snapshot: Snapshot): Reading[] {
  const found: Reading[] = [];
  for (const input of snapshot.inputs) {
    for (const field of ['current', 'power', 'voltage'] as const) {
      if (typeof input[field] === 'number') found.push({ source: 'input', index: input.index, field, name: input.name });
    }
  }
  for (const outlet of snapshot.outlets) {
    for (const field of ['current', 'power'] as const) {
      if (typeof outlet[field] === 'number') found.push({ source: 'outlet', index: outlet.index, field, name: outlet.name });
    }
  }
  for (const sensor of snapshot.sensors) found.push({ source: 'sensor', index: sensor.index, field: sensor.type, name: sensor.name });
  return found;
}

/** A name from the device as an entity's display name: printable, short, never empty. It is JSON data only, never a topic. */
function displayName(name: string, fallback: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, MAX_ENTITY_NAME);
  return clean || fallback;
}

/** The outlet state topic's `state` as HA's words; `unknown` (or a missing state) as HA's `None`. */
const OUTLET_TEMPLATE = `{% if value_json.state == 'on' %}${HA_ON}{% elif value_json.state == 'off' %}${HA_OFF}{% else %}None{% endif %}`;

/** One reading out of the snapshot, by index (never by position); empty when the snapshot lacks it. */
function readingTemplate(reading: Reading): string {
  if (reading.source === 'sensor') {
    return `{% for s in value_json.sensors if s.index == ${reading.index} and s.type == '${reading.field}' %}{{ s.value }}{% endfor %}`;
  }
  const list = reading.source === 'input' ? 'inputs' : 'outlets';
  return `{% for r in value_json.${list} if r.index == ${reading.index} %}{{ r.${reading.field} }}{% endfor %}`;
}

/** Every discovery config of one device, each under `<prefix>/<component>/<site>/<device key>_<entity>/config`. */
export function discoveryConfigs(prefix: string, topics: SiteTopics, view: DiscoveredDevice): DiscoveryConfig[] {
  const site = checkDiscoverySite(topics.site);
  const key = deviceKey(view.device);
  const base = {
    device: {
      identifiers: [`${UNIQUE_ID_PREFIX}_${site}_${key}`],
      name: displayName(`${view.device} (${site})`, key),
      manufacturer: displayName(view.vendor, 'unknown'),
      model: displayName(view.model, 'unknown'),
    },
    // Available only while the site is online and the device answers it.
    availability: [
      { topic: topics.status(), value_template: '{{ value_json.state }}', payload_available: 'online', payload_not_available: 'offline' },
      {
        topic: topics.availability(view.device), value_template: "{{ 'online' if value_json.state == 'connected' else 'offline' }}",
        payload_available: 'online', payload_not_available: 'offline',
      },
    ],
    availability_mode: 'all',
    qos: 1,
  };
  const config = (component: string, entity: string, body: Record<string, unknown>): DiscoveryConfig => ({
    topic: `${prefix}/${component}/${site}/${key}_${entity}/config`,
    payload: JSON.stringify({ ...body, unique_id: `${UNIQUE_ID_PREFIX}_${site}_${key}_${entity}`, ...base }),
  });

  const configs = view.outlets.map((outlet) => {
    const state = {
      name: displayName(outlet.name, `Outlet ${outlet.index}`),
      state_topic: topics.outletState(view.device, outlet.index),
      value_template: OUTLET_TEMPLATE,
      json_attributes_topic: topics.outletState(view.device, outlet.index),
    };
    if (view.remoteControl && !outlet.locked) {
      return config('switch', `outlet_${outlet.index}`, {
        ...state, device_class: 'outlet',
        command_topic: topics.outletSet(view.device, outlet.index),
        payload_on: HA_ON, payload_off: HA_OFF, state_on: HA_ON, state_off: HA_OFF,
        // HA must never retain a command: a retained OFF would come back at every reconnect (the site ignores it anyway).
        retain: false, optimistic: false,
      });
    }
    return config('binary_sensor', `outlet_${outlet.index}`, { ...state, device_class: 'power', payload_on: HA_ON, payload_off: HA_OFF });
  });
  for (const reading of view.readings) {
    const what = reading.source === 'sensor' ? displayName(reading.name, `${reading.field} ${reading.index}`)
      : `${displayName(reading.name, `${reading.source} ${reading.index}`)} ${reading.field}`;
    configs.push(config('sensor', `${reading.source}_${reading.index}_${reading.field}`, {
      name: what, state_topic: topics.snapshot(view.device), value_template: readingTemplate(reading),
      device_class: reading.field, unit_of_measurement: UNITS[reading.field], state_class: 'measurement',
      // 48 outlets' loads would flood a dashboard: there to enable, not shown at first.
      ...(reading.source === 'outlet' ? { enabled_by_default: false } : {}),
    }));
  }
  return configs;
}

export interface HaCommand {
  index: number;
  action: 'on' | 'off';
}

/**
 * A message on an outlet's `set` topic: the command, or why it is not one. A retained message is
 * never a command (it would run again at each reconnect of the site); an empty one is the clearing
 * of a retained message, so says nothing.
 */
export function parseHaCommand(topics: SiteTopics, device: string, message: { topic: string; payload: Buffer; retain?: boolean }):
  { command: HaCommand } | { refused: string } | { ignored: true } {
  if (message.payload.length === 0) return { ignored: true };
  const index = Number(/\/outlet\/([1-9][0-9]{0,4})\/set$/.exec(message.topic)?.[1]);
  if (!index || topics.outletSet(device, index) !== message.topic) return { refused: `${message.topic} is not an outlet's set topic` };
  if (message.retain) return { refused: `a retained command on ${message.topic} is never run (it would run again at every reconnect)` };
  const word = message.payload.length <= 8 ? message.payload.toString('utf8') : '';
  if (word !== HA_ON && word !== HA_OFF) {
    const shown = JSON.stringify(message.payload.subarray(0, 16).toString('utf8'));
    return { refused: `${message.topic}: ${shown}${message.payload.length > 16 ? '...' : ''} is not ${HA_ON} or ${HA_OFF}` };
  }
  return { command: { index, action: word === HA_ON ? 'on' : 'off' } };
}

/** The command's lifetime from now, for the site's ledger of command ids. */
export function haCommandExpiry(now: number): number {
  return now + HA_COMMAND_LIFETIME_MS;
}
