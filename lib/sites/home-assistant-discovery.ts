import type { DeviceDescription, Snapshot } from '../types';
import {
  UNIQUE_ID_PREFIX, checkDiscoveryPrefix, checkDiscoverySite, deviceKey, discoveryConfigs, snapshotReadings, type DiscoveredDevice, type Reading,
} from './home-assistant';
import type { IncomingMessage, SiteLink } from './link';
import type { SiteTopics } from './topics';

// The site's Home Assistant discovery configs: published (retained) when a device is known, again
// at every reconnect and whenever HA says it is back (its birth message), replaced at once when an
// outlet's lock or the device's remote control changes, and cleared (an empty retained payload, so
// HA forgets the entity) when they are no longer wanted. Configs are found to clear by listening to
// the site's own node id: what is retained there and not wanted now (a device no longer published,
// or the option turned off) is cleared, even if another run of the site published it.

/** The entity part of an object id, as discoveryConfigs makes them. */
const ENTITY = /^(outlet_[0-9]+|(input|outlet|sensor)_[0-9]+_[a-z]+)$/;

export interface HomeAssistantOptions {
  enabled: boolean;
  prefix: string;
}

interface DeviceState {
  remoteControl: boolean;
  description?: Pick<DiscoveredDevice, 'vendor' | 'model' | 'outlets'>;
  readings: Map<string, Reading>;
  /** Whether a snapshot came: configs wait for one so that a redeploy does not drop and re-add the sensors. */
  read: boolean;
  /** The config topics wanted now (after the first build). */
  wanted?: Set<string>;
  /** Retained configs of this device found before its first build: judged then. */
  found: Set<string>;
}

export class HomeAssistantDiscovery {
  /** Unset when off with a prefix that could not be one: nothing to publish or clear there. */
  readonly prefix?: string;
  private readonly wanted = new Map<string, string>();
  private readonly devices = new Map<string, DeviceState>();
  private readonly keys = new Map<string, string>();
  private readonly sweepFilter?: string;

  constructor(private readonly topics: SiteTopics, private readonly link: SiteLink, readonly options: HomeAssistantOptions,
    devices: Array<{ name: string; remoteControl: boolean }>, private readonly log?: { warn(text: string): void }) {
    if (options.enabled) {
      this.prefix = checkDiscoveryPrefix(options.prefix);
      checkDiscoverySite(topics.site);
    } else {
      try {
        this.prefix = checkDiscoveryPrefix(options.prefix);
      } catch {
        // Off, with a prefix that cannot have been used: no configs of this site can be there.
      }
    }
    for (const { name, remoteControl } of devices) {
      const key = deviceKey(name);
      const other = [...this.keys].find(([, known]) => known === key)?.[0];
      if (other !== undefined) throw new Error(`devices "${other}" and "${name}" would have the same Home Assistant id "${key}": rename one`);
      this.keys.set(name, key);
      this.devices.set(name, { remoteControl, readings: new Map(), read: false, found: new Set() });
    }
    // A site whose name cannot be a node id never published a config: nothing to find.
    if (this.prefix && /^[A-Za-z0-9_-]+$/.test(topics.site)) this.sweepFilter = `${this.prefix}/+/${topics.site}/+/config`;
  }

  get enabled(): boolean { return this.options.enabled; }

  start(): void {
    if (this.sweepFilter) this.link.subscribe(this.sweepFilter, (message) => this.onFound(message), 0);
    if (this.enabled) {
      this.link.subscribe(`${this.prefix}/status`, (message) => {
        if (message.payload.toString('utf8').trim() === 'online') this.publishAll();
      });
    }
  }

  stop(): void {
    if (this.sweepFilter) this.link.unsubscribe(this.sweepFilter);
    if (this.enabled) this.link.unsubscribe(`${this.prefix}/status`);
  }

  /** The broker is (back): every config again (a broker without persistence lost them). */
  linkUp(): void {
    if (this.enabled) this.publishAll();
  }

  described(name: string, description: DeviceDescription, locked: Set<number>): void {
    const state = this.devices.get(name);
    if (!state || !this.enabled) return;
    const seen = {
      vendor: description.vendor, model: description.model,
      outlets: description.outlets.map(({ index, name: outletName }) => ({ index, name: outletName, locked: locked.has(index) })),
    };
    // Every poll describes the device again: the configs are built only when what they show changed.
    if (state.description && JSON.stringify(seen) === JSON.stringify(state.description)) return;
    state.description = seen;
    this.build(name, state);
  }

  snapshot(name: string, snapshot: Snapshot): void {
    const state = this.devices.get(name);
    if (!state || !this.enabled) return;
    let changed = !state.read;
    state.read = true;
    for (const reading of snapshotReadings(snapshot)) {
      const id = `${reading.source}_${reading.index}_${reading.field}`;
      if (state.readings.get(id)?.name === reading.name) continue;
      state.readings.set(id, reading);
      changed = true;
    }
    if (changed) this.build(name, state);
  }

  /** Build the device's configs; publish the new or changed ones and clear the ones no longer wanted. */
  private build(name: string, state: DeviceState): void {
    if (!state.description || !state.read || !this.prefix) return;
    const configs = discoveryConfigs(this.prefix, this.topics, {
      device: name, remoteControl: state.remoteControl, ...state.description, readings: [...state.readings.values()],
    });
    const before = state.wanted ?? new Set(state.found);
    state.wanted = new Set(configs.map((config) => config.topic));
    state.found.clear();
    for (const topic of before) {
      if (state.wanted.has(topic)) continue;
      this.wanted.delete(topic);
      this.clear(topic);
    }
    for (const { topic, payload } of configs) {
      if (this.wanted.get(topic) === payload) continue;
      this.wanted.set(topic, payload);
      this.send(topic, payload);
    }
  }

  /**
   * A config retained under the site's node id: kept if wanted (or not judged yet), cleared if
   * not. Only a config this site made (its unique_id says so) is ever cleared: another program
   * may use the same node id (an ESPHome device called like the site), and its configs are not ours.
   */
  private onFound(message: IncomingMessage): void {
    if (message.payload.length === 0 || this.wanted.has(message.topic) || !this.isOurs(message.payload)) return;
    const levels = message.topic.split('/');
    const owner = this.enabled ? this.ownerOf(levels[levels.length - 2]) : undefined;
    const state = owner === undefined ? undefined : this.devices.get(owner);
    if (state && !state.wanted) {
      state.found.add(message.topic);
      return;
    }
    this.clear(message.topic);
  }

  private isOurs(payload: Buffer): boolean {
    // Nothing this site makes comes near 64 KiB: a larger config is someone else's.
    if (payload.length > 64 * 1024) return false;
    try {
      const config: unknown = JSON.parse(payload.toString('utf8'));
      const id = (config as { unique_id?: unknown } | null)?.unique_id;
      return typeof id === 'string' && id.startsWith(`${UNIQUE_ID_PREFIX}_${this.topics.site}_`);
    } catch {
      return false;
    }
  }

  /** The published device an object id belongs to: its key, then one of the entity ids the builder makes. */
  private ownerOf(object: string): string | undefined {
    let owner: string | undefined;
    for (const [name, key] of this.keys) {
      const rest = object.startsWith(`${key}_`) ? object.slice(key.length + 1) : undefined;
      if (rest !== undefined && ENTITY.test(rest) && (!owner || key.length > this.keys.get(owner)!.length)) owner = name;
    }
    return owner;
  }

  private publishAll(): void {
    for (const [topic, payload] of this.wanted) this.send(topic, payload);
  }

  /** An empty retained payload: HA removes the entity, the broker forgets the config. */
  private clear(topic: string): void {
    this.send(topic, '');
  }

  /** Not sent while the broker is away: the next reconnect publishes what is wanted, and finds what to clear. */
  private send(topic: string, payload: string): void {
    if (!this.link.connected) return;
    this.link.publish({ topic, payload, qos: 1, retain: true }).catch((error: Error) => {
      this.log?.warn(`site ${this.topics.site}: Home Assistant config ${topic} not sent (${error.message}); sent again at the next reconnect`);
    });
  }
}
