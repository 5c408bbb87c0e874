import { EventEmitter } from 'events';
import type {
  ConnectionState, DeviceDescription, OutletInfo, OutletState, PowerAction, Snapshot,
} from '../types';
import type { DeviceDriver } from './driver';
import { DeviceConfigError, DeviceUnreachableError, SafetyError } from './errors';
import { probeAppliance, type ProbeTarget } from './probe';
import { CommandQueue, OutletLocks } from './queue';
import { resolveTargets, type TargetSpec } from './targets';

export interface DeviceOptions {
  /** The config node's name, used in messages, events and audit lines. */
  name: string;
  driver: DeviceDriver;
  /** Config groups: name -> outlets. */
  groups?: Record<string, TargetSpec>;
  /** Outlets that are never switched from here. */
  locked?: TargetSpec;
  /** Seconds an outlet stays off before it may be turned on again (and the reboot off time). */
  minOffTime?: number;
  /** Seconds an outlet stays on before it may be turned off again. */
  minOnTime?: number;
  /** Use the device's own reboot command when it has one (its own off delay applies). */
  nativeReboot?: boolean;
  /** How long verification reads the outlets back, ms. */
  verifyTimeout?: number;
  verifyInterval?: number;
  /** Audit lines and warnings go here (the config node passes Node-RED's log). */
  log?: { info(text: string): void; warn(text: string): void };
  /** Injected so tests can use fake timers; defaults to the real clock. */
  clock?: { now(): number; sleep(ms: number): Promise<void> };
}

/** The seed's rule: a reboot keeps the outlet off for at least 15 s. */
export const MIN_REBOOT_OFF_SECONDS = 15;

export interface SwitchRequest {
  targets: TargetSpec;
  action: PowerAction;
  allowAll?: boolean;
  verify?: boolean;
  force?: boolean;
  probe?: ProbeTarget;
  /** Who asked, for the audit line. */
  requester?: { id: string; name?: string };
}

export interface OutletResult {
  index: number;
  id: string;
  name: string;
  before: OutletState;
  after: OutletState;
  verified: boolean;
}

export interface SwitchResult {
  action: PowerAction;
  device: string;
  outlets: OutletResult[];
  /** How many outlets ended in a different state than they started (a reboot counts when it completed). */
  changed: number;
  locked: Array<{ index: number; id: string; name: string }>;
  durationMs: number;
}

const realClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => { setTimeout(resolve, ms); }),
};

/**
 * One device behind one pdu-config, whatever the transport. Owns the command queue, the safety
 * rules, verification, the audit trail and the connection state that every node shows.
 */
export class Device extends EventEmitter {
  readonly name: string;
  private readonly driver: DeviceDriver;
  private readonly queue = new CommandQueue();
  private readonly outletLocks = new OutletLocks();
  private readonly clock: NonNullable<DeviceOptions['clock']>;
  private description?: Promise<DeviceDescription>;
  private state: ConnectionState = 'disconnected';
  private stateText = '';
  private lastOff = new Map<number, number>();
  private lastOn = new Map<number, number>();
  private reconnectTimer?: NodeJS.Timeout;
  private reconnectDelay = 1000;
  private profile?: string;
  private closed = false;

  constructor(private readonly options: DeviceOptions) {
    super();
    this.name = options.name;
    this.driver = options.driver;
    this.clock = options.clock ?? realClock;
    this.driver.onConnectionChange?.((state, reason) => {
      // Before the first describe, that describe announces the connection with its profile.
      if (state === 'connected') {
        if (this.profile) this.setState('connected', this.connectedText());
      } else {
        this.markUnreachable(reason ?? 'connection lost');
      }
    });
  }

  get connection(): { state: ConnectionState; text: string } {
    return { state: this.state, text: this.stateText };
  }

  get address(): string {
    return this.driver.address;
  }

  /** Outlets, vendor and capabilities; fetched once and again after the device came back. */
  describe(): Promise<DeviceDescription> {
    if (!this.description) {
      if (this.state !== 'connected') this.setState('connecting', `connecting to ${this.driver.address}`);
      const pending = this.guard(() => this.queue.run(() => this.driver.describe()));
      this.description = pending;
      pending.then((description) => {
        this.profile = description.profile;
        // Say which profile is in use (auto-detection picks one): once per connection.
        this.options.log?.info(`${this.name}: ${description.vendor} ${description.model}, profile ${description.profile}, `
          + `${description.outlets.length} outlets at ${this.driver.address}`);
        this.setState('connected', this.connectedText());
      }, () => {
        if (this.description === pending) this.description = undefined;
      });
    }
    return this.description;
  }

  async read(): Promise<Snapshot> {
    const description = await this.describe();
    return this.guard(() => this.queue.run(() => this.driver.read(description)));
  }

  async readStates(outlets: OutletInfo[]): Promise<Map<number, OutletState>> {
    const description = await this.describe();
    return this.guard(() => this.queue.run(() => this.driver.readStates(description, outlets)));
  }

  /** Switch outlets, with every safety rule applied here, for every transport. */
  async switch(request: SwitchRequest): Promise<SwitchResult> {
    const started = this.clock.now();
    const description = await this.describe();
    if (!description.capabilities.switch) {
      throw new SafetyError(`${this.name} (${description.model}) cannot switch outlets`, 'not-switchable');
    }
    const wanted = resolveTargets(description.outlets, request.targets, {
      groups: this.options.groups, allowAll: request.allowAll,
    });
    const lockedIndexes = this.lockedIndexes(description);
    const locked = wanted.filter((outlet) => lockedIndexes.has(outlet.index));
    const targets = wanted.filter((outlet) => !lockedIndexes.has(outlet.index));
    if (targets.length === 0) {
      throw new SafetyError(`${plural(locked, 'is', 'are')} locked on ${this.name}: ${outletList(locked)} not switched`, 'locked');
    }
    if (request.action !== 'on' && request.probe?.host && !request.force) {
      const probe = await probeAppliance(request.probe);
      if (probe.answering) {
        throw new SafetyError(`refused to ${request.action} ${outletList(targets)} on ${this.name}: the appliance answers `
          + `(${probe.method}: ${probe.detail}); set msg.force to true to override`, 'appliance-answering');
      }
    }

    let results: OutletResult[] = [];
    let lockedByDevice: number[] = [];
    try {
      await this.outletLocks.hold(targets.map((outlet) => outlet.index), async () => {
        const before = await this.readStates(targets);
        const performed = await this.perform(description, targets, request.action);
        lockedByDevice = performed.locked;
        const sent = targets.filter((outlet) => !lockedByDevice.includes(outlet.index));
        const expected: OutletState = request.action === 'off' ? 'off' : 'on';
        // A reboot the device answers only once it is over (PowerMan's cycle) is never seen off.
        const mustLeaveFirst = request.action === 'reboot' && this.usesNativeReboot(description) && !performed.completed;
        const after = request.verify === false || sent.length === 0
          ? new Map<number, OutletState>()
          : await this.verify(sent, expected, mustLeaveFirst);
        results = sent.map((outlet) => ({
          index: outlet.index,
          id: outlet.id,
          name: outlet.name,
          before: before.get(outlet.index) ?? 'unknown',
          after: after.get(outlet.index) ?? 'unknown',
          verified: after.get(outlet.index) === expected,
        }));
      });
    } catch (error) {
      this.audit(request, targets, `failed: ${(error as Error).message}`, started);
      throw error;
    }
    const allLocked = [...locked, ...targets.filter((outlet) => lockedByDevice.includes(outlet.index))];
    const result: SwitchResult = {
      action: request.action,
      device: this.name,
      outlets: results,
      changed: results.filter((outlet) => outlet.verified
        && (request.action === 'reboot' || outlet.before !== outlet.after)).length,
      locked: allLocked.map(({ index, id, name }) => ({ index, id, name })),
      durationMs: this.clock.now() - started,
    };
    const verified = results.filter((outlet) => outlet.verified).length;
    this.audit(request, targets, `ok, ${verified}/${results.length} verified`
      + (allLocked.length ? `, locked: ${outletList(allLocked)}` : ''), started);
    return result;
  }

  /** Forget the cached outlet list (the device was reconfigured). */
  refresh(): void {
    this.description = undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.description = undefined;
    await this.queue.run(() => this.driver.close());
    this.setState('disconnected', 'closed');
  }

  /** Send the command, honouring minimum on/off times and the reboot off time. */
  private async perform(description: DeviceDescription, targets: OutletInfo[], action: PowerAction)
    : Promise<{ locked: number[]; completed: boolean }> {
    if (action === 'reboot' && !this.usesNativeReboot(description)) {
      const refused = (await this.sendTimed(description, targets, 'off')).locked;
      const remaining = targets.filter((outlet) => !refused.includes(outlet.index));
      await this.clock.sleep(this.rebootOffSeconds() * 1000);
      try {
        const refusedOn = (await this.sendTimed(description, remaining, 'on')).locked;
        return { locked: [...refused, ...refusedOn], completed: true };
      } catch (error) {
        throw new Error(`${outletList(remaining)} turned off for the reboot, but turning back on failed: ${(error as Error).message}`);
      }
    }
    return this.sendTimed(description, targets, action);
  }

  private async sendTimed(description: DeviceDescription, targets: OutletInfo[], action: PowerAction)
    : Promise<{ locked: number[]; completed: boolean }> {
    if (targets.length === 0) return { locked: [], completed: true };
    await this.waitMinimumTimes(targets, action);
    const report = await this.guard(() => this.queue.run(() => this.driver.command(description, targets, action)));
    const now = this.clock.now();
    for (const outlet of targets) {
      if (action !== 'on') this.lastOff.set(outlet.index, now);
      if (action !== 'off') this.lastOn.set(outlet.index, now);
    }
    return { locked: report.lockedByDevice ?? [], completed: report.completed === true };
  }

  /** Turning on waits out the minimum-off time since we last turned it off; off waits out minimum-on. */
  private async waitMinimumTimes(targets: OutletInfo[], action: PowerAction): Promise<void> {
    const now = this.clock.now();
    let waitUntil = now;
    for (const outlet of targets) {
      if (action === 'on') waitUntil = Math.max(waitUntil, (this.lastOff.get(outlet.index) ?? -Infinity) + (this.options.minOffTime ?? 0) * 1000);
      if (action === 'off' || action === 'reboot') {
        waitUntil = Math.max(waitUntil, (this.lastOn.get(outlet.index) ?? -Infinity) + (this.options.minOnTime ?? 0) * 1000);
      }
    }
    if (waitUntil > now) await this.clock.sleep(waitUntil - now);
  }

  private rebootOffSeconds(): number {
    return Math.max(MIN_REBOOT_OFF_SECONDS, this.options.minOffTime ?? 0);
  }

  private usesNativeReboot(description: DeviceDescription): boolean {
    return description.capabilities.nativeReboot && this.options.nativeReboot !== false;
  }

  /**
   * Read the outlets back until they reach the expected state. A native reboot must be seen
   * leaving `on` first, else the outlet that never went off would count as rebooted.
   */
  private async verify(targets: OutletInfo[], expected: OutletState, mustLeaveFirst: boolean): Promise<Map<number, OutletState>> {
    const timeout = (this.options.verifyTimeout ?? 10000) + (mustLeaveFirst ? this.rebootOffSeconds() * 1000 : 0);
    const interval = this.options.verifyInterval ?? 500;
    const deadline = this.clock.now() + timeout;
    const leftOn = new Set<number>();
    let states = new Map<number, OutletState>();
    for (;;) {
      states = await this.readStates(targets);
      for (const outlet of targets) if (states.get(outlet.index) !== 'on') leftOn.add(outlet.index);
      const done = targets.every((outlet) => states.get(outlet.index) === expected
        && (!mustLeaveFirst || leftOn.has(outlet.index)));
      if (done || this.clock.now() >= deadline) break;
      await this.clock.sleep(interval);
    }
    if (mustLeaveFirst) {
      for (const outlet of targets) if (!leftOn.has(outlet.index)) states.set(outlet.index, 'unknown');
    }
    return states;
  }

  private lockedIndexes(description: DeviceDescription): Set<number> {
    const spec = this.options.locked;
    if (spec === undefined || spec === '' || (Array.isArray(spec) && spec.length === 0)) return new Set();
    try {
      return new Set(resolveTargets(description.outlets, spec, { groups: this.options.groups }).map((outlet) => outlet.index));
    } catch (error) {
      // A lock list we cannot read must not silently unlock anything: refuse every command.
      throw new DeviceConfigError(`${this.name}: the locked outlet list is invalid (${(error as Error).message}); no outlet is switched until it is fixed`);
    }
  }

  /** Track the connection state from the outcome of every driver call. */
  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      // The first describe announces the connection itself, once it knows the profile.
      if (this.state !== 'connected' && this.profile) this.setState('connected', this.connectedText());
      return result;
    } catch (error) {
      if (error instanceof DeviceUnreachableError) this.markUnreachable(error.message);
      else if (error instanceof DeviceConfigError) this.setState('error', error.message);
      throw error;
    }
  }

  private markUnreachable(reason: string): void {
    this.description = undefined;
    this.setState('disconnected', reason);
    this.scheduleReconnect();
  }

  /** Keep trying in the background with a growing delay, so the status recovers without traffic. */
  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer || this.listenerCount('status') === 0) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, 60000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.describe().then(() => { this.reconnectDelay = 1000; }, () => this.scheduleReconnect());
    }, delay);
    this.reconnectTimer.unref?.();
  }

  /** The profile in use, as the status shows it (`sentry3`). */
  private connectedText(): string {
    return this.profile ?? '';
  }

  private setState(state: ConnectionState, text: string): void {
    if (state === this.state && text === this.stateText) return;
    this.state = state;
    this.stateText = text;
    this.emit('status', { state, text });
  }

  private audit(request: SwitchRequest, targets: OutletInfo[], outcome: string, started: number): void {
    const who = request.requester ? `${request.requester.name || 'node'} (${request.requester.id})` : 'unknown';
    this.options.log?.info(`audit: ${new Date(started).toISOString()} ${who} ${request.action} `
      + `${outletList(targets)} on ${this.name} (${this.driver.address})${request.force ? ' forced' : ''}: ${outcome} `
      + `in ${this.clock.now() - started} ms`);
  }
}

function outletList(outlets: Array<{ index: number; name: string; id: string }>): string {
  return outlets.map((outlet) => `outlet ${outlet.index}${outlet.name ? ` (${outlet.name})` : ''}`).join(', ');
}

function plural(items: unknown[], one: string, many: string): string {
  return items.length === 1 ? `the outlet ${one}` : `the outlets ${many}`;
}
