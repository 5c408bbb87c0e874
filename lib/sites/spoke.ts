import type { AuditRecord, Device, SwitchResult } from '../device/device';
import { targetTokens } from '../device/targets';
import { EventValve } from '../events/event-valve';
import type { ConnectionState, DeviceDescription, DeviceEvent, OutletState, Snapshot } from '../types';
import { CommandLedger, CommandRefused, parseCommand, type SiteCommand } from './commands';
import { HA_REQUESTER, haCommandExpiry, parseHaCommand } from './home-assistant';
import { HomeAssistantDiscovery, type HomeAssistantOptions } from './home-assistant-discovery';
import type { IncomingMessage, OutgoingMessage, SiteLink } from './link';
import { PAYLOAD_VERSION, SiteTopics } from './topics';

// A site (a spoke): its chosen devices published to the broker, and power commands from the hub
// run through each device's own Device, so locks, the "all" opt-in, minimum times and the
// appliance check apply here, at the site, whatever the hub asks.

export interface SiteDevice {
  /** The device's name in the topics (one topic level). */
  name: string;
  device: Device;
  /** Commands from the broker run only when this is set for the device. */
  remoteControl: boolean;
  /** `all` from the broker needs this as well as the requester's own `allowAll`. */
  allowAll: boolean;
}

export interface SpokeOptions {
  site: string;
  link: SiteLink;
  devices: SiteDevice[];
  /** Warnings for the log (a reply that could not be sent, events dropped while offline). */
  log?: { warn(text: string): void };
  now?: () => number;
  /** Events and audit records kept while the broker is away, per site. */
  offlineLimit?: number;
  /** Events published per device and second; a burst beyond it waits (default 100). */
  eventRate?: number;
  /** Events waiting per device; beyond it they are dropped and counted (default 1000). */
  eventQueue?: number;
  /** Home Assistant MQTT discovery (off unless enabled; when off, configs a former run left are cleared). */
  homeAssistant?: HomeAssistantOptions;
}

/** What a command's requester gets back (on its reply topic), once per command id. */
export interface CommandReply {
  version: number;
  id?: string;
  site: string;
  device: string;
  ok: boolean;
  /** Why not: `remote-off`, `expired`, `bad-command`, `busy`, `locked`, `not-allowed` ... */
  code?: string;
  error?: string;
  result?: SwitchResult;
  /** After a failure that reached the device: the outlets as read back (or unknown). */
  readBack?: unknown;
  /** This id was seen before: the first run's outcome, not a second run. */
  repeated?: boolean;
}

type Outcome = Omit<CommandReply, 'repeated'>;

const DEFAULT_OFFLINE_LIMIT = 1000;
/** A trap storm at a site must not flood the broker and every hub: per device, at most this many events a second. */
const DEFAULT_EVENT_RATE = 100;
const DEFAULT_EVENT_QUEUE = 1000;

export class SiteSpoke {
  readonly topics: SiteTopics;
  private readonly link: SiteLink;
  private readonly devices = new Map<string, SiteDevice>();
  private readonly ledger = new CommandLedger<Outcome>();
  private readonly now: () => number;
  /** The latest retained messages per topic, published again after every reconnect. */
  private readonly retained = new Map<string, OutgoingMessage>();
  /** QoS 1 events and audit records that found the broker away, oldest first, bounded. */
  private readonly waiting: OutgoingMessage[] = [];
  private dropped = 0;
  private readonly offlineLimit: number;
  private readonly states = new Map<string, Map<number, string>>();
  /** Per device: reachable at its last connection change (unset before the first). */
  private readonly reachable = new Map<string, boolean>();
  private stopped = false;
  private readonly homeAssistant?: HomeAssistantDiscovery;
  /** Ids of commands from Home Assistant (which sends bare words), unique within this run of the site. */
  private haCommands = 0;
  /** Per device: the events on their way to the broker, at a bounded rate. */
  private readonly valves = new Map<string, EventValve<DeviceEvent>>();

  constructor(private readonly options: SpokeOptions) {
    this.topics = new SiteTopics(options.site);
    this.link = options.link;
    this.now = options.now ?? Date.now;
    this.offlineLimit = options.offlineLimit ?? DEFAULT_OFFLINE_LIMIT;
    for (const entry of options.devices) {
      this.topics.command(entry.name); // checks the name as a topic level
      if (this.devices.has(entry.name)) throw new Error(`two devices are called "${entry.name}" at site ${options.site}: names must differ`);
      this.devices.set(entry.name, entry);
    }
    if (options.homeAssistant) {
      this.homeAssistant = new HomeAssistantDiscovery(this.topics, this.link, options.homeAssistant, options.devices, options.log);
    }
  }

  /** Listen for commands (the link keeps the subscriptions across reconnects). */
  start(): void {
    for (const entry of this.devices.values()) {
      this.link.subscribe(this.topics.command(entry.name), (message) => { void this.onCommand(entry, message); });
      if (this.homeAssistant?.enabled) {
        // Retain as published: a retained command is known as one even when it arrives live, and is never run.
        // QoS 0: a broker keeps no bare ON/OFF (which has no expiry) for a site that is away, to run late.
        this.link.subscribe(this.topics.outletSets(entry.name), (message) => { void this.onHaCommand(entry, message); }, 0,
          { retainAsPublished: true });
      }
    }
    this.homeAssistant?.start();
  }

  stop(): void {
    this.stopped = true;
    for (const entry of this.devices.values()) {
      this.link.unsubscribe(this.topics.command(entry.name));
      if (this.homeAssistant?.enabled) this.link.unsubscribe(this.topics.outletSets(entry.name));
    }
    this.homeAssistant?.stop();
    for (const [device, valve] of this.valves) {
      // A storm's tail still waiting is not published by a stopped site: said, not lost silently.
      if (valve.queued > 0) this.options.log?.warn(`${valve.queued} events of ${device} at site ${this.options.site} were not published: the site stopped with them waiting`);
      valve.stop();
    }
  }

  /** The broker is (back): every retained message again (a broker without persistence lost them), then what waited. */
  linkUp(): void {
    for (const message of this.retained.values()) this.send(message);
    this.homeAssistant?.linkUp();
    const waiting = this.waiting.splice(0);
    if (this.dropped > 0) {
      const text = `${this.dropped} events and audit records of site ${this.options.site} were dropped while the broker was away`
        + ` (at most ${this.offlineLimit} are kept)`;
      this.options.log?.warn(text);
      this.dropped = 0;
      // On the first device's event topic: the site's own topics hold only its status.
      const first = [...this.devices.keys()][0];
      if (first) {
        waiting.push(this.message(this.topics.event(first), {
          version: PAYLOAD_VERSION, event: 'eventsDropped', severity: 'warning', device: first, source: 'command', text,
        }, 1, false));
      }
    }
    for (const message of waiting) this.sendOrKeep(message);
  }

  /** The device's identity and outlets, with the site's locks and whether remote control is on. */
  described(name: string, description: DeviceDescription): void {
    const entry = this.entry(name);
    let locked = new Set<number>();
    try {
      locked = entry.device.lockedIndexes(description);
    } catch {
      // An unreadable lock list refuses every command at the Device; show every outlet locked.
      locked = new Set(description.outlets.map((outlet) => outlet.index));
    }
    this.retain(this.topics.description(name), {
      version: PAYLOAD_VERSION,
      site: this.options.site,
      device: name,
      vendor: description.vendor,
      model: description.model,
      profile: description.profile,
      capabilities: description.capabilities,
      outlets: description.outlets.map(({ index, id, name: outletName, groups }) => ({
        index, id, name: outletName, groups, locked: locked.has(index),
      })),
      remoteControl: entry.remoteControl,
      allowAll: entry.remoteControl && entry.allowAll,
    });
    this.homeAssistant?.described(name, description, locked);
  }

  /** The connection between the site and the device; a loss and a return are events too. */
  connection(name: string, state: ConnectionState, text: string): void {
    this.retain(this.topics.availability(name), { version: PAYLOAD_VERSION, state, text, at: new Date(this.now()).toISOString() });
    const was = this.reachable.get(name);
    if (state === 'connected') {
      if (was === false) this.event(name, { event: 'commRestored', severity: 'info', device: name, source: 'poll', text: `${name}: ${text}` });
      this.reachable.set(name, true);
    } else if (state === 'disconnected' || state === 'error') {
      if (was === true) this.event(name, { event: 'commLost', severity: 'critical', device: name, source: 'poll', text: `${name}: ${text}` });
      this.reachable.set(name, false);
    }
  }

  /** A poll's reading: the snapshot, and each outlet whose state or name changed. */
  snapshot(name: string, snapshot: Snapshot): void {
    this.retain(this.topics.snapshot(name), { version: PAYLOAD_VERSION, at: new Date(this.now()).toISOString(), ...snapshot });
    const known = this.states.get(name) ?? new Map<number, string>();
    this.states.set(name, known);
    for (const outlet of snapshot.outlets) {
      const key = `${outlet.state}\u0000${outlet.name}`;
      if (known.get(outlet.index) === key) continue;
      known.set(outlet.index, key);
      this.outletState(name, outlet.index, outlet.id, outlet.name, outlet.state);
    }
    this.homeAssistant?.snapshot(name, snapshot);
  }

  /** An event of the device (from its polls, traps, UPS, or a flow), to every subscriber. */
  event(name: string, event: DeviceEvent): void {
    const device = this.entry(name).name;
    let valve = this.valves.get(device);
    if (!valve) {
      const rate = this.options.eventRate ?? DEFAULT_EVENT_RATE;
      const queue = this.options.eventQueue ?? DEFAULT_EVENT_QUEUE;
      valve = new EventValve<DeviceEvent>({
        rate, queue,
        severity: (item) => item.severity,
        send: (item) => this.sendOrKeep(this.message(this.topics.event(device), { version: PAYLOAD_VERSION, ...item, device }, 1, false)),
        dropped: (count, bySeverity) => {
          const counts = (['critical', 'warning', 'info'] as const).filter((severity) => bySeverity[severity]).map((severity) => `${bySeverity[severity]} ${severity}`).join(', ');
          const text = `${count} events of ${device} at site ${this.options.site} were not published (${counts}): `
            + `more than ${rate} a second, with ${queue} waiting`;
          this.options.log?.warn(text);
          this.sendOrKeep(this.message(this.topics.event(device), {
            version: PAYLOAD_VERSION, event: 'eventsDropped', severity: 'warning', device, source: 'command', text, dropped: count, bySeverity,
          }, 1, false));
        },
      });
      this.valves.set(device, valve);
    }
    valve.push(event);
  }

  /** Every power command's record, whoever asked (a flow at the site, or the hub). */
  audit(name: string, record: AuditRecord): void {
    this.sendOrKeep(this.message(this.topics.audit(this.entry(name).name), { version: PAYLOAD_VERSION, ...record, device: name }, 1, false));
    // The outlets a command switched are published at once, not at the next poll.
    for (const outlet of record.result?.outlets ?? []) {
      if (outlet.after !== 'unknown') this.outletState(name, outlet.index, outlet.id, outlet.name, outlet.after);
    }
  }

  private outletState(device: string, index: number, id: string, name: string, state: OutletState): void {
    this.states.get(device)?.set(index, `${state}\u0000${name}`);
    this.retain(this.topics.outletState(device, index), { version: PAYLOAD_VERSION, index, id, name, state, at: new Date(this.now()).toISOString() });
  }

  private async onCommand(entry: SiteDevice, message: IncomingMessage): Promise<void> {
    if (this.stopped) return;
    const now = this.now();
    const parsed = parseCommand(message.payload, now);
    const replyTo = message.responseTopic ?? ('command' in parsed ? parsed.command.replyTo : parsed.replyTo);
    const answer = (outcome: Outcome, repeated = false): Promise<void> => this.reply(entry, replyTo, message.correlationData,
      repeated ? { ...outcome, repeated } : outcome);
    if ('error' in parsed) {
      await answer(this.refusal(entry, parsed.id, parsed.error));
      return;
    }
    const run = this.run(entry, parsed.command, now);
    await answer(await run.outcome, run.repeated);
  }

  /**
   * `ON` or `OFF` from Home Assistant for one outlet: the same run as a hub's command (remote
   * control, locks, minimum times, the appliance check, the audit record), its outcome on the
   * device's result topic. A retained message or any other word is refused, never run.
   */
  private async onHaCommand(entry: SiteDevice, message: IncomingMessage): Promise<void> {
    if (this.stopped) return;
    const parsed = parseHaCommand(this.topics, entry.name, message);
    if ('ignored' in parsed) return;
    if ('refused' in parsed) {
      this.options.log?.warn(`site ${this.options.site}: ${parsed.refused}: ignored`);
      // Cleared, so that the next reconnect does not bring it (and this warning) back.
      if (message.retain) this.link.publish({ topic: message.topic, payload: '', qos: 1, retain: true }).catch(() => undefined);
      await this.reply(entry, undefined, undefined, this.refusal(entry, undefined, new CommandRefused(parsed.refused, 'bad-command')));
      return;
    }
    const now = this.now();
    this.haCommands += 1;
    const command: SiteCommand = {
      id: `${HA_REQUESTER}-${now}-${this.haCommands}`, action: parsed.command.action, outlets: [parsed.command.index],
      expires: haCommandExpiry(now), allowAll: false, verify: true, requester: HA_REQUESTER,
    };
    const outcome = await this.run(entry, command, now).outcome;
    if (!outcome.ok) this.options.log?.warn(`site ${this.options.site}: Home Assistant's ${command.action} for outlet ${parsed.command.index} of ${entry.name} refused: ${outcome.error}`);
    await this.reply(entry, undefined, undefined, outcome);
  }

  /** A command's one run (or the first run's outcome for an id seen before). */
  private run(entry: SiteDevice, command: SiteCommand, now: number): { outcome: Promise<Outcome>; repeated: boolean } {
    try {
      return this.ledger.once(command.id, command.expires, now, () => this.execute(entry, command));
    } catch (error) {
      return { outcome: Promise.resolve(this.refusal(entry, command.id, error as Error)), repeated: false };
    }
  }

  /** Run a command through the device's own safety rules. Never rejects: every end is an outcome. */
  private async execute(entry: SiteDevice, command: SiteCommand): Promise<Outcome> {
    if (!entry.remoteControl) {
      return this.refusal(entry, command.id, new CommandRefused(
        `remote control is off for ${entry.name} at site ${this.options.site}: command ${command.id} not run`, 'remote-off'));
    }
    const all = targetTokens(command.outlets).some((token) => typeof token === 'string' && token.trim().toLowerCase() === 'all');
    if (all && command.allowAll && !entry.allowAll) {
      return this.refusal(entry, command.id, new CommandRefused(
        `site ${this.options.site} does not allow "all" from the broker for ${entry.name}: command ${command.id} not run`, 'not-allowed'));
    }
    try {
      const result = await entry.device.switch({
        targets: command.outlets,
        action: command.action,
        allowAll: command.allowAll && entry.allowAll,
        verify: command.verify,
        requester: { id: `broker:${command.id}`, name: command.requester ? `${command.requester} (via broker)` : 'via broker' },
        expect: command.expect,
        // The appliance check, made here (where the appliance is reachable) right before the off.
        probe: command.probe,
        wholeDeviceIsAll: true,
        // The expiry holds until the command is sent, not only on arrival: never run late.
        notAfter: command.expires,
      });
      return { version: PAYLOAD_VERSION, id: command.id, site: this.options.site, device: entry.name, ok: true, result };
    } catch (error) {
      const failure = error as Error & { code?: string; readBack?: unknown };
      return {
        version: PAYLOAD_VERSION, id: command.id, site: this.options.site, device: entry.name, ok: false,
        code: typeof failure.code === 'string' ? failure.code : 'failed', error: failure.message,
        ...(failure.readBack ? { readBack: failure.readBack } : {}),
      };
    }
  }

  private refusal(entry: SiteDevice, id: string | undefined, error: Error): Outcome {
    const code = error instanceof CommandRefused ? error.code : 'failed';
    return { version: PAYLOAD_VERSION, ...(id ? { id } : {}), site: this.options.site, device: entry.name, ok: false, code, error: error.message };
  }

  /**
   * To the requester's reply topic when it is in this site's reply space (the only place the
   * broker lets a site publish besides its devices), else to the device's result topic.
   */
  private async reply(entry: SiteDevice, replyTo: string | undefined, correlationData: Buffer | undefined, reply: CommandReply): Promise<void> {
    const topic = replyTo && this.topics.acceptsReplyTopic(replyTo) ? replyTo : this.topics.result(entry.name);
    const message = { ...this.message(topic, reply, 1, false), ...(correlationData ? { correlationData } : {}) };
    try {
      await this.link.publish(message);
    } catch (error) {
      // Kept with the events: sent when the broker is back, so the requester hears how it ended.
      this.options.log?.warn(`site ${this.options.site}: the answer to command ${reply.id ?? '(no id)'} for ${entry.name} `
        + `waits for the broker (${(error as Error).message})`);
      this.keep(message);
    }
  }

  private entry(name: string): SiteDevice {
    const entry = this.devices.get(name);
    if (!entry) throw new Error(`${name} is not published at site ${this.options.site}`);
    return entry;
  }

  private message(topic: string, body: unknown, qos: 0 | 1, retain: boolean): OutgoingMessage {
    return { topic, payload: JSON.stringify(body), qos, retain };
  }

  /** A retained message, sent when it says something new (a reconnect sends them all again). */
  private retain(topic: string, body: unknown): void {
    const message = this.message(topic, body, 1, true);
    if (this.retained.get(topic)?.payload === message.payload) return;
    this.retained.set(topic, message);
    if (this.link.connected) this.send(message);
  }

  /** A retained message that fails is sent again at the next reconnect; nothing else to do. */
  private send(message: OutgoingMessage): void {
    this.link.publish(message).catch(() => undefined);
  }

  /** An event or audit record: sent now, or kept (bounded) until the broker is back. */
  private sendOrKeep(message: OutgoingMessage): void {
    if (!this.link.connected) {
      this.keep(message);
      return;
    }
    this.link.publish(message).catch(() => this.keep(message));
  }

  private keep(message: OutgoingMessage): void {
    if (this.stopped) return;
    this.waiting.push(message);
    if (this.waiting.length > this.offlineLimit) {
      this.waiting.shift();
      this.dropped += 1;
    }
  }
}
