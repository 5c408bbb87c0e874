import { randomUUID } from 'crypto';
import type { AuditRecord } from '../../device/device';
import type { CommandOptions, DeviceDriver, DriverOptions } from '../../device/driver';
import { DeviceClosedError, DeviceCommandError, DeviceUnreachableError } from '../../device/errors';
import { outletList } from '../../device/outlet-text';
import { jsonObject } from '../../sites/json';
import { connectBroker, type BrokerConnection, type IncomingMessage } from '../../sites/link';
import type { CommandReply } from '../../sites/spoke';
import { PAYLOAD_VERSION, SiteTopics, TOPIC_ROOT, TOPIC_VERSION } from '../../sites/topics';
import type {
  CommandReport, ConnectionState, DeviceDescription, DeviceEvent, OutletInfo, OutletState, PowerAction, Snapshot,
} from '../../types';
import { siteAudit } from './site-audit';
import { siteEvent } from './site-event';
import type { SiteSettings } from './transport';

/** After the expiry, how long the site may still be running it (a reboot's off time, verification), ms. */
const COMMAND_RUN_MS = 60_000;
/** The least time to wait for a site's retained messages after subscribing, ms. */
const MIN_WAIT_MS = 3000;
/** Commands sent lately whose records at the site are known as the hub's own. */
const MAX_SENT_IDS = 1000;
/** Outstanding commands per remote device; beyond it new ones are refused (the site answers slowly or not at all). */
const MAX_PENDING = 100;

interface PublishedDescription {
  version: number;
  vendor: string;
  model: string;
  profile: string;
  outlets: Array<{ index: number; id: string; name: string; groups?: string[]; locked?: boolean }>;
  capabilities: DeviceDescription['capabilities'];
  remoteControl?: boolean;
}

/**
 * A device of another site, as its pdu-site publishes it: described, read and switched through
 * the broker. Everything the site retains (description, availability, snapshot, outlet states,
 * its status) is kept as it arrives; a command waits for its answer from the site, which runs it
 * through the site's own Device.
 */
export class RemoteSiteDriver implements DeviceDriver {
  readonly transport = 'site';
  readonly address: string;
  readonly readsNames = true;
  /** The site probes the appliance right before its off: it can reach it, and this hub may not. */
  readonly probesAtDevice = true;
  private readonly topics: SiteTopics;
  private readonly settings: SiteSettings;
  private readonly wait: number;
  /** How long a command may wait at the broker or the site before it starts (its expiry), ms. */
  private readonly lifetime: number;
  private connection?: BrokerConnection;
  private readonly replyTopic: string;
  private description?: PublishedDescription;
  private snapshot?: Snapshot;
  private readonly states = new Map<number, OutletState>();
  private siteState?: 'online' | 'offline';
  private availability?: { state: ConnectionState; text: string };
  /** A status of this site under another topic version. */
  private otherVersion?: string;
  private readonly wakers = new Set<() => void>();
  private readonly pending = new Map<string, { resolve(reply: CommandReply): void; reject(error: Error): void }>();
  private readonly listeners: Array<(state: 'connected' | 'disconnected', reason?: string) => void> = [];
  private readonly describedListeners: Array<() => void> = [];
  private readonly eventListeners: Array<(event: DeviceEvent) => void> = [];
  private readonly auditListeners: Array<(record: AuditRecord) => void> = [];
  /** Ids of the commands this driver sent lately: their records at the site are the hub's own, audited here. */
  private readonly sentIds = new Set<string>();
  private reported?: 'connected' | 'disconnected';
  private closed = false;

  constructor(options: DriverOptions<SiteSettings>) {
    this.settings = options.settings;
    this.topics = new SiteTopics(options.settings.site);
    this.address = `${options.settings.site}/${options.settings.device}`;
    this.wait = Math.max(options.timeout, MIN_WAIT_MS);
    this.lifetime = options.settings.commandExpiry * 1000;
    // Each remote device its own reply topic, under the site's reply space (the site may publish there).
    this.replyTopic = `${this.topics.replies()}hub-${randomUUID().slice(0, 12)}`;
  }

  onConnectionChange(listener: (state: 'connected' | 'disconnected', reason?: string) => void): void {
    this.listeners.push(listener);
  }

  onDescriptionChange(listener: () => void): void {
    this.describedListeners.push(listener);
  }

  onEvent(listener: (event: DeviceEvent) => void): void {
    this.eventListeners.push(listener);
  }

  onAudit(listener: (record: AuditRecord) => void): void {
    this.auditListeners.push(listener);
  }

  async describe(): Promise<DeviceDescription> {
    this.open();
    await this.until(() => this.description !== undefined && this.siteState !== undefined, 'its description');
    this.checkReachable();
    const published = this.description!;
    return {
      vendor: published.vendor,
      model: published.model,
      profile: published.profile,
      outlets: published.outlets.map(({ index, id, name, groups }) => ({ index, id, name, groups: groups ?? [], key: String(index) })),
      // The site reboots with its own rules (its minimum off time, its verification).
      capabilities: { ...published.capabilities, nativeReboot: true },
      info: `site ${this.settings.site}, device ${this.settings.device}${published.remoteControl === false ? ' (remote control off)' : ''}`,
    };
  }

  async read(): Promise<Snapshot> {
    this.open();
    await this.until(() => this.snapshot !== undefined, 'a reading');
    this.checkReachable();
    return this.snapshot!;
  }

  async readStates(_description: DeviceDescription, outlets: OutletInfo[]): Promise<Map<number, OutletState>> {
    this.open();
    this.checkReachable();
    const fromSnapshot = new Map((this.snapshot?.outlets ?? []).map((outlet) => [outlet.index, outlet.state]));
    return new Map(outlets.map((outlet) => [outlet.index, this.states.get(outlet.index) ?? fromSnapshot.get(outlet.index) ?? 'unknown']));
  }

  async command(description: DeviceDescription, outlets: OutletInfo[], action: PowerAction, options: CommandOptions = {}): Promise<CommandReport> {
    const connection = this.open();
    this.checkReachable();
    if (this.pending.size >= MAX_PENDING) {
      throw new DeviceCommandError(`${MAX_PENDING} commands to site ${this.settings.site} await an answer: command refused`);
    }
    const id = randomUUID();
    this.sentIds.add(id);
    // The newest ids are enough: a site answers and audits a command within its expiry and run time.
    if (this.sentIds.size > MAX_SENT_IDS) this.sentIds.delete(this.sentIds.values().next().value as string);
    const expires = Date.now() + this.lifetime;
    const body = {
      id, action, expires,
      // By number, with the names this hub resolved: the site refuses if a name moved meanwhile.
      outlets: outlets.map((outlet) => outlet.index),
      expect: outlets.map(({ index, name }) => ({ index, name })),
      // Every outlet of the device is what `all` means: the hub allowed it, the site must too.
      allowAll: outlets.length > 1 && outlets.length === description.outlets.length,
      replyTo: this.replyTopic,
      requester: 'hub',
      ...(options.probe ? { probe: options.probe } : {}),
    };
    const answered = new Promise<CommandReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new DeviceCommandError(`site ${this.settings.site} did not answer the ${action} of ${outletList(outlets)} `
          + `within ${(this.lifetime + COMMAND_RUN_MS) / 1000} s (not responding): it may or may not have run`));
      }, this.lifetime + COMMAND_RUN_MS);
      this.pending.set(id, {
        resolve: (reply) => { clearTimeout(timer); resolve(reply); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      });
    });
    try {
      await connection.publish({
        topic: this.topics.command(this.settings.device), payload: JSON.stringify(body), qos: 1, retain: false,
        ...(connection.v5 ? { responseTopic: this.replyTopic, correlationData: Buffer.from(id) } : {}),
      });
    } catch (error) {
      this.pending.get(id)?.reject(new DeviceUnreachableError(`the command could not be sent to site ${this.settings.site}: ${(error as Error).message}`));
    }
    const reply = await answered;
    if (!reply.ok) {
      throw new DeviceCommandError(`site ${this.settings.site} refused or failed it${reply.code ? ` (${reply.code})` : ''}: ${reply.error ?? 'no reason given'}`);
    }
    for (const outlet of reply.result?.outlets ?? []) this.states.set(outlet.index, outlet.after);
    const verified = (reply.result?.outlets ?? []).filter((outlet) => outlet.verified).length;
    return {
      completed: true,
      lockedByDevice: (reply.result?.locked ?? []).map((outlet) => outlet.index).filter((index) => outlets.some((o) => o.index === index)),
      answer: `site ${this.settings.site}: ${verified}/${reply.result?.outlets.length ?? 0} verified there`,
    };
  }

  abort(): void {
    for (const wake of [...this.wakers]) wake();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [id, waiting] of this.pending) {
      waiting.reject(new DeviceClosedError(`site ${this.settings.site}: closed before the site answered command ${id}; it may still run there`));
    }
    this.pending.clear();
    this.abort();
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close();
    this.closed = false;
  }

  private open(): BrokerConnection {
    if (this.connection) return this.connection;
    const connection = connectBroker(this.settings.broker, `rack-power:${this.address}:${randomUUID().slice(0, 8)}`);
    this.connection = connection;
    const device = this.settings.device;
    // Retained state at QoS 0 (never queued against the broker's per-client limit), answers at QoS 1.
    connection.subscribe(this.topics.status(), (message) => this.onStatus(message), 0);
    connection.subscribe(`${TOPIC_ROOT}/+/${this.settings.site}/status`, (message) => {
      const version = message.topic.split('/')[1];
      if (version !== TOPIC_VERSION) this.otherVersion = version;
      this.wake();
    }, 0);
    for (const topic of [this.topics.description(device), this.topics.availability(device), this.topics.snapshot(device)]) {
      connection.subscribe(topic, (message) => this.onDeviceMessage(message), 0);
    }
    connection.subscribe(`${this.topics.prefix}/${device}/outlet/+/state`, (message) => this.onDeviceMessage(message), 0);
    connection.subscribe(this.replyTopic, (message) => this.onReply(message));
    // The site's events for the device (QoS 1, as the site sends them), for the hub's event streams.
    connection.subscribe(this.topics.event(device), (message) => this.onSiteEvent(message));
    // Power commands made at the site (its flows, Home Assistant), for the hub's audit trail.
    connection.subscribe(this.topics.audit(device), (message) => this.onSiteAudit(message));
    connection.onConnection((connected) => {
      if (!connected) this.report('disconnected', this.unreachable());
      else this.reportReachability();
      this.wake();
    });
    return connection;
  }

  private onStatus(message: IncomingMessage): void {
    const body = parse(message.payload);
    if (!body) return;
    if (body.version !== PAYLOAD_VERSION) this.otherVersion = `payload version ${String(body.version)}`;
    this.siteState = body.state === 'online' ? 'online' : 'offline';
    this.reportReachability();
    this.wake();
  }

  private onDeviceMessage(message: IncomingMessage): void {
    const body = parse(message.payload);
    if (!body) return;
    const kind = message.topic.slice(`${this.topics.prefix}/${this.settings.device}/`.length);
    if (body.version !== PAYLOAD_VERSION) {
      this.otherVersion = `payload version ${String(body.version)}`;
    } else if (kind === 'description' && Array.isArray(body.outlets)) {
      const known = this.description !== undefined;
      this.description = body as unknown as PublishedDescription;
      // A site publishes its description again only when it changed (outlets renamed, say).
      if (known) for (const listener of this.describedListeners) listener();
    } else if (kind === 'availability' && typeof body.state === 'string') {
      this.availability = { state: body.state as ConnectionState, text: String(body.text ?? '') };
      this.reportReachability();
    } else if (kind === 'snapshot' && Array.isArray(body.outlets)) {
      const { outlets, inputs, sensors } = body as unknown as Snapshot;
      this.snapshot = { outlets, inputs: inputs ?? [], sensors: sensors ?? [] };
    } else if (/^outlet\/\d+\/state$/.test(kind) && typeof body.state === 'string') {
      this.states.set(Number(kind.split('/')[1]), body.state as OutletState);
    }
    this.wake();
  }

  private onSiteEvent(message: IncomingMessage): void {
    const body = parse(message.payload);
    if (!body || body.version !== PAYLOAD_VERSION) return;
    const event = siteEvent(body, this.settings.site, this.settings.device);
    if (event) for (const listener of this.eventListeners) listener(event);
  }

  private onSiteAudit(message: IncomingMessage): void {
    const body = parse(message.payload);
    if (!body || body.version !== PAYLOAD_VERSION) return;
    const record = siteAudit(body, this.settings.site, this.settings.device);
    // A command this hub sent: its record here already says how it went.
    if (!record || this.sentIds.has(record.requester.id.replace(/^broker:/, ''))) return;
    for (const listener of this.auditListeners) listener(record);
  }

  private onReply(message: IncomingMessage): void {
    const body = parse(message.payload);
    const id = typeof body?.id === 'string' ? body.id : message.correlationData?.toString();
    if (!id) return;
    this.pending.get(id)?.resolve(body as unknown as CommandReply);
    this.pending.delete(id);
  }

  /** Whether the hub can reach the device now, and if not, why, in the Rack Power Manager's words. */
  private unreachable(): string | undefined {
    const site = this.settings.site;
    if (this.otherVersion && !this.description) {
      return `versions not compatible: site ${site} publishes ${this.otherVersion}, this hub reads ${TOPIC_ROOT}/${TOPIC_VERSION} (payload version ${PAYLOAD_VERSION})`;
    }
    if (this.connection && !this.connection.connected) {
      return `the broker ${this.connection.address} is not connected${this.connection.problem ? `: ${this.connection.problem}` : ''}`;
    }
    if (this.siteState === 'offline') return `site ${site} is offline (not responding)`;
    if (this.availability && (this.availability.state === 'disconnected' || this.availability.state === 'error')) {
      return `${this.settings.device} at site ${site}: ${this.availability.text}`;
    }
    return undefined;
  }

  private checkReachable(): void {
    const why = this.unreachable();
    if (why) throw new DeviceUnreachableError(why);
  }

  private reportReachability(): void {
    if (!this.description) return;
    const why = this.unreachable();
    this.report(why ? 'disconnected' : 'connected', why);
  }

  private report(state: 'connected' | 'disconnected', reason?: string): void {
    if (this.reported === state) return;
    this.reported = state;
    for (const listener of this.listeners) listener(state, reason);
  }

  /** Wait until `ready` holds (a retained message arrived), at most the config's wait. */
  private async until(ready: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + this.wait;
    while (!ready()) {
      if (this.closed) throw new DeviceClosedError(this.address);
      const why = this.unreachable();
      if (why && this.otherVersion) throw new DeviceUnreachableError(why);
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new DeviceUnreachableError(why ?? `site ${this.settings.site} has published no ${what} for ${this.settings.device} `
          + `within ${Math.round(this.wait / 1000)} s (not responding, or not published there)`);
      }
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.wakers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.wakers.add(wake);
      });
    }
  }

  private wake(): void {
    for (const wake of [...this.wakers]) wake();
  }
}

function parse(payload: Buffer): Record<string, unknown> | undefined {
  // Nothing a site publishes comes near 4 MiB: larger is not read at all.
  return payload.length === 0 || payload.length > 4 * 1024 * 1024 ? undefined : jsonObject(payload);
}
