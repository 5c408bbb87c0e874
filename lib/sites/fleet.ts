import { jsonObject } from './json';
import type { IncomingMessage } from './link';
import { PAYLOAD_VERSION, TOPIC_ROOT, TOPIC_VERSION, checkTopicName } from './topics';

// The hub's view across every site: what each site retains on the broker (its status, each
// device's description, availability, snapshot and outlet states) and the events it sends,
// folded into one bounded model, so a report of hundreds of sites is built from memory, never
// by asking the sites.
//
// Active alarms, the rule: an event of severity `warning` or `critical` raises an alarm; an
// event of the same *family* about the same outlet or sensor clears it when its severity is
// `info` or its name ends in Normal, Restored, Cleared or Ok. The family is the event's name
// without its last camel-case word (`loadHigh`, `loadLow` and `loadNormal` are all `load`;
// `commLost` and `commRestored` are `comm`); a name with no such word is its own family.

export type SiteState = 'online' | 'offline' | 'unknown';

export interface FleetAlarm {
  event: string;
  severity: 'warning' | 'critical';
  text: string;
  outlet?: { index?: number; id?: string; name?: string };
  sensor?: { index?: number; name?: string; type?: string };
  /** When the hub received it (epoch ms as ISO text). */
  since: string;
}

export interface FleetDevice {
  device: string;
  vendor?: string;
  model?: string;
  outlets: { on: number; total: number; locked: number };
  remoteControl: boolean;
  availability: { state: string; text: string };
  /** Summed over the snapshot's inputs; absent when no input reports it. */
  load: { current?: number; power?: number };
  alarms: FleetAlarm[];
  /** Alarms beyond the per-device bound, oldest first, that were forgotten. */
  alarmsDropped: number;
  /** The last reading's time at the site. */
  readAt?: string;
}

export interface FleetSite {
  site: string;
  state: SiteState;
  /** The payload version its status carries (1 here). */
  version?: number;
  compatible: boolean;
  /** Why the site cannot be read: "versions not compatible ...". */
  problem?: string;
  devices: FleetDevice[];
}

export interface FleetTotals {
  sites: number;
  online: number;
  offline: number;
  devices: number;
  outletsOn: number;
  outlets: number;
  current: number;
  power: number;
  alarms: number;
  critical: number;
  /** Sites and devices not tracked because a bound was reached, and messages that were not understood. */
  sitesIgnored: number;
  devicesIgnored: number;
  badMessages: number;
}

export interface FleetReport {
  sites: FleetSite[];
  totals: FleetTotals;
  at: string;
}

export interface FleetLimits {
  sites: number;
  devices: number;
  alarmsPerDevice: number;
}

export const DEFAULT_FLEET_LIMITS: FleetLimits = { sites: 1000, devices: 10000, alarmsPerDevice: 50 };

/** More outlets than any PDU has: a snapshot beyond this is cut, not stored. */
const MAX_OUTLETS = 1024;

interface DeviceModel {
  name: string;
  vendor?: string;
  model?: string;
  remoteControl: boolean;
  total: number;
  lockedCount: number;
  outletStates: Map<number, string>;
  availability: { state: string; text: string };
  load: { current?: number; power?: number };
  alarms: Map<string, FleetAlarm>;
  alarmsDropped: number;
  readAt?: string;
}

interface SiteModel {
  name: string;
  state: SiteState;
  version?: number;
  /** Topic versions other than ours under which this site has a status (`v2`). */
  otherVersions: Set<string>;
  devices: Map<string, DeviceModel>;
}

export interface FleetOptions {
  /** Only these sites (none: every site). */
  sites?: string[];
  limits?: Partial<FleetLimits>;
  log?: { warn(text: string): void };
  now?: () => number;
}

/** How many ignored site and device names are counted (distinct), at most. */
const IGNORED_KEPT = 10000;

const CLEARING_NAME = /(Normal|Restored|Cleared|Ok)$/;

/** `loadHigh` -> `load`, `commRestored` -> `comm`, `ONBATT` -> `ONBATT`. */
export function eventFamily(name: string): string {
  const match = /^(.*[a-z0-9])[A-Z][a-z0-9]*$/.exec(name);
  return match ? match[1] : name;
}

function subjectKey(event: { outlet?: FleetAlarm['outlet']; sensor?: FleetAlarm['sensor'] }): string {
  const outlet = event.outlet ? `o:${event.outlet.index ?? event.outlet.id ?? event.outlet.name ?? ''}` : '';
  const sensor = event.sensor ? `s:${event.sensor.index ?? event.sensor.name ?? ''}:${event.sensor.type ?? ''}` : '';
  return `${outlet}|${sensor}`;
}

const sum = (values: Array<number | undefined>): number | undefined => {
  const numbers = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  return numbers.length ? Math.round(numbers.reduce((a, b) => a + b, 0) * 1000) / 1000 : undefined;
};

export class FleetModel {
  private readonly sites = new Map<string, SiteModel>();
  private readonly limits: FleetLimits;
  private readonly now: () => number;
  private readonly only?: Set<string>;
  private deviceCount = 0;
  private readonly sitesIgnored = new Set<string>();
  private readonly devicesIgnored = new Set<string>();
  private badMessages = 0;
  private readonly warned = new Set<string>();
  /** Set by every change; the reporter clears it when it reports. */
  changed = false;

  constructor(private readonly options: FleetOptions = {}) {
    this.limits = { ...DEFAULT_FLEET_LIMITS, ...options.limits };
    this.now = options.now ?? Date.now;
    if (options.sites?.length) this.only = new Set(options.sites.map((site) => checkTopicName('site', site)));
  }

  /** The topic filters that bring every message the model reads. */
  filters(): string[] {
    const sites = this.only ? [...this.only] : ['+'];
    return sites.flatMap((site) => [
      `${TOPIC_ROOT}/+/${site}/status`,
      ...['description', 'availability', 'snapshot', 'event', 'outlet/+/state'].map((leaf) => `${TOPIC_ROOT}/${TOPIC_VERSION}/${site}/+/${leaf}`),
    ]);
  }

  /** One message from the broker; returns whether the model changed. */
  receive(message: IncomingMessage): boolean {
    const levels = message.topic.split('/');
    if (levels[0] !== TOPIC_ROOT || levels.length < 4) return false;
    const [, version, siteName] = levels;
    if (this.only && !this.only.has(siteName)) return false;
    const text = message.payload.toString('utf8');
    // An empty payload clears a retained topic; anything else must be a JSON object.
    const body = text === '' ? undefined : jsonObject(text);
    if (text !== '' && !body) return this.bad(siteName, message.topic, 'not a JSON object');
    if (levels.length === 4 && levels[3] === 'status') return this.status(siteName, version, body);
    if (version !== TOPIC_VERSION) return false;
    const deviceName = levels[3];
    const leaf = levels.slice(4).join('/');
    if (body === undefined) return leaf === 'description' ? this.forget(siteName, deviceName) : false;
    const device = this.device(siteName, deviceName);
    if (!device) return false;
    if (leaf === 'description') return this.describe(device, body);
    if (leaf === 'availability') return this.availability(device, body);
    if (leaf === 'snapshot') return this.snapshot(device, body);
    if (leaf === 'event') return this.event(device, body);
    if (levels.length === 7 && levels[4] === 'outlet' && levels[6] === 'state') return this.outletState(device, Number(levels[5]), body);
    return false;
  }

  report(): FleetReport {
    const totals: FleetTotals = {
      sites: 0, online: 0, offline: 0, devices: 0, outletsOn: 0, outlets: 0, current: 0, power: 0, alarms: 0, critical: 0,
      sitesIgnored: this.sitesIgnored.size, devicesIgnored: this.devicesIgnored.size, badMessages: this.badMessages,
    };
    const sites = [...this.sites.values()].sort((a, b) => a.name.localeCompare(b.name)).map((site): FleetSite => {
      totals.sites += 1;
      if (site.state === 'online') totals.online += 1;
      if (site.state === 'offline') totals.offline += 1;
      const other = [...site.otherVersions][0];
      const badVersion = site.version !== undefined && site.version !== PAYLOAD_VERSION;
      const devices = [...site.devices.values()].sort((a, b) => a.name.localeCompare(b.name)).map((device): FleetDevice => {
        const on = [...device.outletStates.values()].filter((state) => state === 'on').length;
        const alarms = [...device.alarms.values()];
        totals.devices += 1;
        totals.outletsOn += on;
        totals.outlets += device.total;
        totals.current += device.load.current ?? 0;
        totals.power += device.load.power ?? 0;
        totals.alarms += alarms.length;
        totals.critical += alarms.filter((alarm) => alarm.severity === 'critical').length;
        return {
          device: device.name, vendor: device.vendor, model: device.model,
          outlets: { on, total: device.total, locked: device.lockedCount }, remoteControl: device.remoteControl,
          availability: { ...device.availability }, load: { ...device.load }, alarms, alarmsDropped: device.alarmsDropped,
          ...(device.readAt ? { readAt: device.readAt } : {}),
        };
      });
      const problem = other || badVersion
        ? `versions not compatible: site ${site.name} publishes ${other ?? `payload version ${site.version}`}, this hub reads ${TOPIC_ROOT}/${TOPIC_VERSION}`
        : undefined;
      return {
        site: site.name, state: site.state, ...(site.version !== undefined ? { version: site.version } : {}),
        compatible: !problem, ...(problem ? { problem } : {}), devices,
      };
    });
    totals.current = Math.round(totals.current * 1000) / 1000;
    totals.power = Math.round(totals.power * 1000) / 1000;
    return { sites, totals, at: new Date(this.now()).toISOString() };
  }

  private status(siteName: string, version: string, body: Record<string, any> | undefined): boolean {
    if (version !== TOPIC_VERSION) {
      // Another topic version: the site's status there says it publishes what this hub cannot read.
      const site = body ? this.site(siteName) : this.sites.get(siteName);
      if (!site) return false;
      const had = site.otherVersions.has(version);
      if (body) site.otherVersions.add(version);
      else site.otherVersions.delete(version);
      return this.touch(had !== site.otherVersions.has(version));
    }
    const site = body ? this.site(siteName) : this.sites.get(siteName);
    if (!site) return false;
    const state: SiteState = body?.state === 'online' ? 'online' : body?.state === 'offline' ? 'offline' : 'unknown';
    const payloadVersion = typeof body?.version === 'number' ? body.version : undefined;
    const changed = site.state !== state || site.version !== payloadVersion;
    site.state = state;
    site.version = payloadVersion;
    return this.touch(changed);
  }

  private describe(device: DeviceModel, body: Record<string, any>): boolean {
    const outlets = Array.isArray(body.outlets) ? body.outlets.slice(0, MAX_OUTLETS) : [];
    device.vendor = typeof body.vendor === 'string' ? body.vendor : undefined;
    device.model = typeof body.model === 'string' ? body.model : undefined;
    device.remoteControl = body.remoteControl === true;
    device.total = outlets.length;
    device.lockedCount = outlets.filter((outlet: any) => outlet?.locked === true).length;
    return this.touch(true);
  }

  private availability(device: DeviceModel, body: Record<string, any>): boolean {
    const state = String(body.state ?? 'unknown');
    const text = String(body.text ?? '');
    const changed = device.availability.state !== state || device.availability.text !== text;
    device.availability = { state, text };
    return this.touch(changed);
  }

  private snapshot(device: DeviceModel, body: Record<string, any>): boolean {
    const outlets = Array.isArray(body.outlets) ? body.outlets.slice(0, MAX_OUTLETS) : [];
    const inputs = Array.isArray(body.inputs) ? body.inputs : [];
    device.outletStates.clear();
    for (const outlet of outlets) {
      if (Number.isInteger(outlet?.index)) device.outletStates.set(outlet.index, String(outlet.state));
    }
    if (device.total === 0) device.total = device.outletStates.size;
    device.load = {};
    const current = sum(inputs.map((input: any) => input?.current));
    const power = sum(inputs.map((input: any) => input?.power));
    if (current !== undefined) device.load.current = current;
    if (power !== undefined) device.load.power = power;
    device.readAt = typeof body.at === 'string' ? body.at : undefined;
    return this.touch(true);
  }

  private outletState(device: DeviceModel, index: number, body: Record<string, any>): boolean {
    if (!Number.isInteger(index) || (device.outletStates.size >= MAX_OUTLETS && !device.outletStates.has(index))) return false;
    const state = String(body.state);
    const changed = device.outletStates.get(index) !== state;
    device.outletStates.set(index, state);
    return this.touch(changed);
  }

  private event(device: DeviceModel, body: Record<string, any>): boolean {
    if (typeof body.event !== 'string') return false;
    const subject = { outlet: body.outlet && typeof body.outlet === 'object' ? body.outlet : undefined, sensor: body.sensor && typeof body.sensor === 'object' ? body.sensor : undefined };
    const key = `${eventFamily(body.event)}|${subjectKey(subject)}`;
    if (body.severity === 'warning' || body.severity === 'critical') {
      device.alarms.delete(key); // the newest of a family goes last, so the oldest is the one dropped
      device.alarms.set(key, {
        event: body.event, severity: body.severity, text: String(body.text ?? body.event),
        ...(subject.outlet ? { outlet: subject.outlet } : {}), ...(subject.sensor ? { sensor: subject.sensor } : {}),
        since: new Date(this.now()).toISOString(),
      });
      if (device.alarms.size > this.limits.alarmsPerDevice) {
        device.alarms.delete(device.alarms.keys().next().value as string);
        device.alarmsDropped += 1;
        this.warnOnce(`alarms:${device.name}`, `more than ${this.limits.alarmsPerDevice} active alarms on ${device.name}: the oldest are forgotten`);
      }
      return this.touch(true);
    }
    if (body.severity === 'info' || CLEARING_NAME.test(body.event)) return this.touch(device.alarms.delete(key));
    return false;
  }

  private forget(siteName: string, deviceName: string): boolean {
    const site = this.sites.get(siteName);
    if (!site?.devices.delete(deviceName)) return false;
    this.deviceCount -= 1;
    return this.touch(true);
  }

  private site(name: string): SiteModel | undefined {
    let site = this.sites.get(name);
    if (site) return site;
    if (this.sites.size >= this.limits.sites) {
      if (this.sitesIgnored.size < IGNORED_KEPT) this.sitesIgnored.add(name); // bounded too: the count stops growing there
      this.warnOnce('sites', `the fleet follows at most ${this.limits.sites} sites: site ${name} and any further ones are not shown (raise the limit, or filter the sites)`);
      return undefined;
    }
    site = { name, state: 'unknown', otherVersions: new Set(), devices: new Map() };
    this.sites.set(name, site);
    return site;
  }

  private device(siteName: string, name: string): DeviceModel | undefined {
    const site = this.site(siteName);
    if (!site) return undefined;
    let device = site.devices.get(name);
    if (device) return device;
    if (this.deviceCount >= this.limits.devices) {
      if (this.devicesIgnored.size < IGNORED_KEPT) this.devicesIgnored.add(`${siteName}/${name}`);
      this.warnOnce('devices', `the fleet follows at most ${this.limits.devices} devices: ${siteName}/${name} and any further ones are not shown (raise the limit, or filter the sites)`);
      return undefined;
    }
    device = {
      name, remoteControl: false, total: 0, lockedCount: 0, outletStates: new Map(),
      availability: { state: 'unknown', text: '' }, load: {}, alarms: new Map(), alarmsDropped: 0,
    };
    site.devices.set(name, device);
    this.deviceCount += 1;
    this.touch(true);
    return device;
  }

  private bad(siteName: string, topic: string, why: string): boolean {
    this.badMessages += 1;
    this.warnOnce(`bad:${siteName}`, `a message on ${topic} was ignored (${why}); further ones from site ${siteName} are only counted`);
    return this.touch(true);
  }

  private warnOnce(key: string, text: string): void {
    if (this.warned.has(key)) return;
    if (this.warned.size < 1000) this.warned.add(key);
    this.options.log?.warn(text);
  }

  private touch(changed: boolean): boolean {
    if (changed) this.changed = true;
    return changed;
  }
}
