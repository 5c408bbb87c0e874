import { EventEmitter } from 'events';
import type {
  ConnectionState, DeviceDescription, DeviceEvent, OutletInfo, OutletState, PowerAction, Snapshot,
} from '../types';
import type { DeviceDriver } from './driver';
import {
  DeviceClosedError, DeviceConfigError, DeviceUnreachableError, SafetyError,
} from './errors';
import { outletList, plural } from './outlet-text';
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
  /**
   * How old (ms) the outlet names may be when a command names outlets: older ones are read
   * again first, so an outlet renamed on the device is never switched under its old name.
   */
  namesMaxAge?: number;
  /** How long (ms) close() lets an exchange already on the wire finish before it cuts it. */
  closeGrace?: number;
  /** Audit lines and warnings go here (the config node passes Node-RED's log). */
  log?: { info(text: string): void; warn(text: string): void };
  /** Injected so tests can use fake timers; defaults to the real clock. */
  clock?: Clock;
}

export interface Clock {
  now(): number;
  /** Resolves after ms; the real clock also stops early (without resolving) when signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The Sentry power manager's rule: a reboot keeps the outlet off for at least 15 s. */
export const MIN_REBOOT_OFF_SECONDS = 15;
const DEFAULT_NAMES_MAX_AGE = 10_000;
const DEFAULT_CLOSE_GRACE = 5_000;

export interface SwitchRequest {
  targets: TargetSpec;
  action: PowerAction;
  allowAll?: boolean;
  verify?: boolean;
  force?: boolean;
  probe?: ProbeTarget;
  /** Who asked, for the audit line. */
  requester?: { id: string; name?: string };
  /**
   * The names the requester resolved the outlets to (a hub, from what a site published): an
   * outlet whose name is no longer this, when the command is sent, refuses the whole command.
   */
  expect?: Array<{ index: number; name: string }>;
  /**
   * Every outlet of a device with several counts as `all` and needs allowAll (a command from
   * another site names outlets one by one; the opt-in must still apply).
   */
  wholeDeviceIsAll?: boolean;
  /**
   * Epoch ms after which the command must not start (a command from another site carries its
   * expiry): checked when it is about to be sent, after every wait, so it is refused rather than
   * run after its requester has given up on it.
   */
  notAfter?: number;
}

export interface OutletResult {
  index: number;
  id: string;
  name: string;
  before: OutletState;
  after: OutletState;
  verified: boolean;
}

/** What a power command did, for the audit trail: who asked, what, which outlets, and how it ended. */
export interface AuditRecord {
  /** When the command was asked (ISO 8601). */
  at: string;
  device: string;
  requester: { id: string; name?: string };
  action: PowerAction;
  outlets: Array<{ index: number; id: string; name: string }>;
  forced: boolean;
  ok: boolean;
  /** Before and after per outlet, verified or not (when ok). */
  result?: SwitchResult;
  /** Why it failed, with what it left behind (when not ok). */
  error?: string;
  durationMs: number;
  /** A record a site reported for a device behind it (at a hub): the site, and its name for the device. */
  site?: { name: string; device: string };
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

const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise<void>((resolve) => {
    const stop = (): void => clearTimeout(timer);
    // The listener goes with the timer: a Device sleeps thousands of times (every verification
    // poll), and listeners left on its one close signal would pile up for its whole life.
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    signal?.addEventListener('abort', stop, { once: true });
  }),
};

/** What a command has done so far, so that a failure can say what it left behind. */
interface Progress {
  /** A command was handed to the driver: the device may have acted on it. */
  sent: boolean;
  /** Outlets a reboot turned off and has not turned on again yet. */
  leftOff: OutletInfo[];
}

interface Plan {
  description: DeviceDescription;
  targets: OutletInfo[];
  locked: OutletInfo[];
}

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
  /** The description in use once resolved, and when its names were last read from the device. */
  private current?: DeviceDescription;
  private namesReadAt?: number;
  private announced = false;
  private readonly closeSignal = new AbortController();
  private state: ConnectionState = 'disconnected';
  private stateText = '';
  private lastOff = new Map<number, number>();
  private lastOn = new Map<number, number>();
  private reconnectTimer?: NodeJS.Timeout;
  private reconnectDelay = 1000;
  private profile?: string;
  private closed = false;
  private closing?: Promise<void>;

  constructor(private readonly options: DeviceOptions) {
    super();
    this.name = options.name;
    this.driver = options.driver;
    this.clock = options.clock ?? realClock;
    this.driver.onDescriptionChange?.(() => this.refresh());
    this.driver.onEvent?.((event) => this.emit('reportedEvent', { ...event, device: this.name }));
    this.driver.onAudit?.((record) => this.emit('reportedAudit', { ...record, device: this.name }));
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

  /** Outlets, vendor and capabilities; fetched once, again after the device came back, and when names are stale. */
  describe(): Promise<DeviceDescription> {
    if (this.closed) return Promise.reject(new DeviceClosedError(this.name));
    if (!this.description) {
      if (this.state !== 'connected') this.setState('connecting', `connecting to ${this.driver.address}`);
      const previous = this.current;
      this.current = undefined;
      const pending = this.exchange(() => this.driver.describe());
      this.description = pending;
      pending.then((description) => {
        if (this.description !== pending) return;
        this.current = description;
        this.namesReadAt = this.clock.now();
        this.profile = description.profile;
        this.reportRenamed(previous, description);
        // Say which profile is in use (auto-detection picks one): once per connection.
        if (!this.announced) {
          this.announced = true;
          this.options.log?.info(`${this.name}: ${description.vendor} ${description.model}, profile ${description.profile}, `
            + `${description.outlets.length} outlets at ${this.driver.address}${hostKeyText(description)}`);
        }
        this.setState('connected', this.connectedText());
      }, () => {
        if (this.description === pending) this.description = undefined;
      });
    }
    return this.description;
  }

  async read(): Promise<Snapshot> {
    const description = await this.describe();
    const snapshot = await this.exchange(() => this.driver.read(description));
    this.learnNames(description, snapshot);
    return snapshot;
  }

  async readStates(outlets: OutletInfo[]): Promise<Map<number, OutletState>> {
    const description = await this.describe();
    return this.exchange(() => this.driver.readStates(description, outlets));
  }

  /**
   * Switch outlets, with every safety rule applied here, for every transport. Targets are
   * resolved against fresh names, and again once the outlets are ours (a command may wait behind
   * a reboot); the appliance is probed just before each off is sent.
   */
  async switch(request: SwitchRequest): Promise<SwitchResult> {
    const started = this.clock.now();
    let plan = await this.plan(request);
    for (let attempt = 1; ; attempt += 1) {
      const expected = plan;
      const outcome = await this.outletLocks.hold(expected.targets.map((outlet) => outlet.index), async () => {
        const now = await this.plan(request);
        return sameOutlets(now.targets, expected.targets) ? this.run(request, now, started) : now;
      });
      if (!isPlan(outcome)) return outcome;
      if (attempt === 3) {
        throw new SafetyError(`the outlets named kept changing on ${this.name} while the command waited: nothing was switched`,
          'names-changed');
      }
      plan = outcome;
    }
  }

  /** Resolve a request to concrete outlets with the device's current names and the lock list. */
  private async plan(request: SwitchRequest): Promise<Plan> {
    const description = await this.freshDescription();
    if (!description.capabilities.switch) {
      throw new SafetyError(`${this.name} (${description.model}) cannot switch outlets`, 'not-switchable');
    }
    const wanted = resolveTargets(description.outlets, request.targets, {
      groups: this.options.groups, allowAll: request.allowAll,
    });
    if (request.wholeDeviceIsAll && !request.allowAll && wanted.length > 1 && wanted.length === description.outlets.length) {
      throw new SafetyError(`every outlet of ${this.name} is named, which is "all": not allowed for this command, nothing switched`,
        'all-not-allowed');
    }
    this.checkExpectedNames(description, request.expect);
    const lockedIndexes = this.lockedIndexes(description);
    const locked = wanted.filter((outlet) => lockedIndexes.has(outlet.index));
    const targets = wanted.filter((outlet) => !lockedIndexes.has(outlet.index));
    if (targets.length === 0) {
      throw new SafetyError(`${plural(locked, 'is', 'are')} locked on ${this.name}: ${outletList(locked)} not switched`, 'locked');
    }
    return { description, targets, locked };
  }

  /** Refuse when an outlet the requester named is called something else now (or is gone). */
  private checkExpectedNames(description: DeviceDescription, expect: SwitchRequest['expect']): void {
    for (const expected of expect ?? []) {
      const outlet = description.outlets.find((candidate) => candidate.index === expected.index);
      if (outlet && outlet.name.trim().toLowerCase() === expected.name.trim().toLowerCase()) continue;
      throw new SafetyError(`outlet ${expected.index} of ${this.name} is ${outlet ? `now called "${outlet.name}"` : 'gone'}, `
        + `not "${expected.name}" as the command named it: nothing switched`, 'names-changed');
    }
  }

  /** Carry out a planned command while its outlets are held. */
  private async run(request: SwitchRequest, plan: Plan, started: number): Promise<SwitchResult> {
    const { description, targets, locked } = plan;
    const progress: Progress = { sent: false, leftOff: [] };
    let results: OutletResult[] = [];
    let lockedByDevice: number[] = [];
    try {
      const before = await this.readStates(targets);
      const performed = await this.perform(description, targets, request, progress);
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
    } catch (error) {
      const explained = await this.explainFailure(error as Error, request, targets, progress);
      this.audit(request, targets, `failed: ${explained.message}`, started, { ok: false, error: explained.message });
      throw explained;
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
      + (allLocked.length ? `, locked: ${outletList(allLocked)}` : ''), started, { ok: true, result });
    return result;
  }

  /**
   * Say what a failed command left behind, never a guess: a reboot cut by a closing flow left
   * its outlets off (logged and sent as an event); a command that reached the device and then
   * failed (a lost answer, say) is followed by reading the outlets back.
   */
  private async explainFailure(error: Error, request: SwitchRequest, targets: OutletInfo[], progress: Progress): Promise<Error> {
    if (error instanceof DeviceClosedError) {
      if (progress.leftOff.length > 0) {
        const text = `${outletList(progress.leftOff)} left off on ${this.name}: flow stopped during ${request.action}`;
        this.options.log?.warn(text);
        for (const outlet of progress.leftOff) this.emitLeftOff(outlet, request.action);
        error.message = text;
      } else if (progress.sent) {
        error.message += `; the ${request.action} of ${outletList(targets)} was sent but not verified`;
      }
      return error;
    }
    if (!progress.sent) return error;
    let readBack: Array<{ index: number; id: string; name: string; state: OutletState }>;
    try {
      const states = await this.readStates(targets);
      readBack = targets.map(({ index, id, name }) => ({ index, id, name, state: states.get(index) ?? 'unknown' }));
      error.message += `; read back after the failure: ${readBack.map((outlet) => `${outletList([outlet])} is ${outlet.state}`).join(', ')}`;
    } catch (readError) {
      readBack = targets.map(({ index, id, name }) => ({ index, id, name, state: 'unknown' as const }));
      error.message += `; the outlets' state is unknown: reading them back failed too (${(readError as Error).message})`;
    }
    Object.assign(error, { readBack });
    return error;
  }

  private emitLeftOff(outlet: OutletInfo, action: PowerAction): void {
    const event: DeviceEvent = {
      event: 'outletLeftOff',
      severity: 'critical',
      device: this.name,
      source: 'command',
      outlet: { index: outlet.index, id: outlet.id, name: outlet.name },
      text: `${outletList([outlet])} left off on ${this.name}: flow stopped during ${action}`,
    };
    this.emit('event', event);
  }

  /** Forget the cached outlet list (the device was reconfigured). */
  refresh(): void {
    this.description = undefined;
    this.current = undefined;
  }

  /**
   * Stop for good: waits cancelled, queued exchanges refused, nothing sent afterwards. An
   * exchange already on the wire gets closeGrace to finish (a SET deserves its answer), then the
   * driver is closed under it, so a device that never answers cannot hold a redeploy.
   */
  close(): Promise<void> {
    if (!this.closing) this.closing = this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    this.closeSignal.abort();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.description = undefined;
    // Reads waiting on a slow or stuck peer need no grace: the driver cuts them now.
    this.driver.abort?.();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => { timer = setTimeout(resolve, this.options.closeGrace ?? DEFAULT_CLOSE_GRACE); });
    await Promise.race([this.queue.run(async () => undefined), grace]);
    clearTimeout(timer);
    await this.driver.close().catch(() => undefined);
    this.setState('disconnected', 'closed');
  }

  /** Send the command, honouring minimum on/off times and the reboot off time. */
  private async perform(description: DeviceDescription, targets: OutletInfo[], request: SwitchRequest, progress: Progress)
    : Promise<{ locked: number[]; completed: boolean }> {
    if (request.action === 'reboot' && !this.usesNativeReboot(description)) {
      const refused = (await this.sendTimed(description, targets, 'off', request, progress)).locked;
      const remaining = targets.filter((outlet) => !refused.includes(outlet.index));
      progress.leftOff = remaining;
      await this.sleep(this.rebootOffSeconds() * 1000);
      try {
        const refusedOn = (await this.sendTimed(description, remaining, 'on', request, progress)).locked;
        progress.leftOff = [];
        return { locked: [...refused, ...refusedOn], completed: true };
      } catch (error) {
        if (error instanceof DeviceClosedError) throw error;
        (error as Error).message = `${outletList(remaining)} turned off for the reboot, but turning back on failed: ${(error as Error).message}`;
        throw error;
      }
    }
    return this.sendTimed(description, targets, request.action, request, progress);
  }

  private async sendTimed(description: DeviceDescription, targets: OutletInfo[], action: PowerAction,
    request: SwitchRequest, progress: Progress): Promise<{ locked: number[]; completed: boolean }> {
    if (targets.length === 0) return { locked: [], completed: true };
    await this.waitMinimumTimes(targets, action, progress.sent ? undefined : request);
    const report = await this.exchange(async () => {
      // Only a command's first send: a reboot that started in time turns its outlets back on.
      if (!progress.sent) this.checkNotExpired(request, targets, this.clock.now());
      // The appliance may have come up while this command waited (a queue, a minimum on time):
      // probe it now, with nothing else between the answer and the off.
      // A device behind another site is probed there, right before its off (not from here).
      const remoteProbe = this.driver.probesAtDevice && action !== 'on' && request.probe?.host && !request.force;
      if (action !== 'on' && !this.driver.probesAtDevice) await this.checkAppliance(request, targets);
      progress.sent = true;
      return this.driver.command(description, targets, action, remoteProbe ? { probe: request.probe } : undefined);
    });
    const now = this.clock.now();
    for (const outlet of targets) {
      if (action !== 'on') this.lastOff.set(outlet.index, now);
      if (action !== 'off') this.lastOn.set(outlet.index, now);
    }
    return { locked: report.lockedByDevice ?? [], completed: report.completed === true };
  }

  /** The appliance check: refuse an off or a reboot while the appliance still answers. */
  private async checkAppliance(request: SwitchRequest, targets: OutletInfo[]): Promise<void> {
    if (!request.probe?.host || request.force) return;
    const probe = await probeAppliance(request.probe);
    this.assertOpen();
    if (probe.unusable) {
      throw new SafetyError(`refused to ${request.action} ${outletList(targets)} on ${this.name}: cannot tell whether the appliance `
        + `answers (${probe.method}: ${probe.unusable}); set msg.force to true to override`, 'appliance-answering');
    }
    if (probe.answering) {
      throw new SafetyError(`refused to ${request.action} ${outletList(targets)} on ${this.name}: the appliance answers `
        + `(${probe.method}: ${probe.detail}); set msg.force to true to override`, 'appliance-answering');
    }
  }

  /** Turning on waits out the minimum-off time since we last turned it off; off waits out minimum-on. */
  private async waitMinimumTimes(targets: OutletInfo[], action: PowerAction, starting?: SwitchRequest): Promise<void> {
    const now = this.clock.now();
    let waitUntil = now;
    for (const outlet of targets) {
      if (action === 'on') waitUntil = Math.max(waitUntil, (this.lastOff.get(outlet.index) ?? -Infinity) + (this.options.minOffTime ?? 0) * 1000);
      if (action === 'off' || action === 'reboot') {
        waitUntil = Math.max(waitUntil, (this.lastOn.get(outlet.index) ?? -Infinity) + (this.options.minOnTime ?? 0) * 1000);
      }
    }
    // A command that cannot start before its expiry is refused now, not after the wait.
    if (starting) this.checkNotExpired(starting, targets, waitUntil);
    if (waitUntil > now) await this.sleep(waitUntil - now);
  }

  /** Refuse a command that would start (at `startAt`) after its expiry. */
  private checkNotExpired(request: SwitchRequest, targets: OutletInfo[], startAt: number): void {
    if (request.notAfter === undefined || startAt <= request.notAfter) return;
    throw new SafetyError(`the command expired at ${new Date(request.notAfter).toISOString()} before it could be sent `
      + `(it waited for the queue, a held outlet or a minimum time): ${outletList(targets)} on ${this.name} not switched`, 'expired');
  }

  /** A wait that close() cuts short: the command then stops with DeviceClosedError. */
  private async sleep(ms: number): Promise<void> {
    this.assertOpen();
    const signal = this.closeSignal.signal;
    await new Promise<void>((resolve, reject) => {
      const onClose = (): void => reject(new DeviceClosedError(this.name));
      signal.addEventListener('abort', onClose, { once: true });
      this.clock.sleep(ms, signal).then(() => {
        signal.removeEventListener('abort', onClose);
        resolve();
      }, reject);
    });
    this.assertOpen();
  }

  private assertOpen(): void {
    if (this.closed) throw new DeviceClosedError(this.name);
  }

  /** One exchange with the device, in its queue; refused once the device is closed. */
  private exchange<T>(call: () => Promise<T>): Promise<T> {
    return this.guard(() => this.queue.run(async () => {
      this.assertOpen();
      return call();
    }));
  }

  /** The description, read again first when its names are older than namesMaxAge. */
  private async freshDescription(): Promise<DeviceDescription> {
    const maxAge = this.options.namesMaxAge ?? DEFAULT_NAMES_MAX_AGE;
    if (this.current && this.namesReadAt !== undefined && this.clock.now() - this.namesReadAt > maxAge) this.description = undefined;
    return this.describe();
  }

  /** A poll that read the names keeps them fresh; a renamed outlet is known by its new name at once. */
  private learnNames(description: DeviceDescription, snapshot: Snapshot): void {
    if (!this.driver.readsNames || this.current !== description) return;
    const names = new Map(snapshot.outlets.map((outlet) => [outlet.index, outlet.name]));
    if (names.size !== description.outlets.length || description.outlets.some((outlet) => !names.has(outlet.index))) {
      this.description = undefined; // outlets came or went: describe again before the next command
      return;
    }
    if (description.outlets.some((outlet) => names.get(outlet.index) !== outlet.name)) {
      const renamed: DeviceDescription = {
        ...description,
        outlets: description.outlets.map((outlet) => ({ ...outlet, name: names.get(outlet.index)! })),
      };
      this.reportRenamed(description, renamed);
      this.current = renamed;
      this.description = Promise.resolve(renamed);
    }
    this.namesReadAt = this.clock.now();
  }

  private reportRenamed(previous: DeviceDescription | undefined, now: DeviceDescription): void {
    if (!previous) return;
    const before = new Map(previous.outlets.map((outlet) => [outlet.index, outlet.name]));
    const changes = now.outlets.filter((outlet) => before.has(outlet.index) && before.get(outlet.index) !== outlet.name)
      .map((outlet) => `outlet ${outlet.index} "${before.get(outlet.index)}" is now "${outlet.name}"`);
    if (changes.length > 0) this.options.log?.info(`${this.name}: outlets renamed on the device: ${changes.slice(0, 10).join(', ')}`
      + (changes.length > 10 ? ` and ${changes.length - 10} more` : ''));
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
      await this.sleep(interval);
    }
    if (mustLeaveFirst) {
      for (const outlet of targets) if (!leftOn.has(outlet.index)) states.set(outlet.index, 'unknown');
    }
    return states;
  }

  /**
   * Check the config's lock list and groups against the outlets the device has, so a name it does
   * not have is reported when the device is first described rather than at the first command.
   * Throws the DeviceConfigError a command would meet.
   */
  validate(description: DeviceDescription): void {
    this.lockedIndexes(description);
    for (const [group, spec] of Object.entries(this.options.groups ?? {})) {
      try {
        resolveTargets(description.outlets, spec, { groups: this.options.groups });
      } catch (error) {
        throw new DeviceConfigError(`${this.name}: group "${group}" is invalid (${(error as Error).message})`);
      }
    }
  }

  /** The outlets on the config's locked list, by index (a list that does not fit the device is an error). */
  lockedIndexes(description: DeviceDescription): Set<number> {
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
    this.current = undefined;
    this.announced = false;
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

  /** The audit line in the log, and the same record as an `audit` event for whoever keeps or forwards it. */
  private audit(request: SwitchRequest, targets: OutletInfo[], outcome: string, started: number,
    end: { ok: true; result: SwitchResult } | { ok: false; error: string }): void {
    const who = request.requester ? `${request.requester.name || 'node'} (${request.requester.id})` : 'unknown';
    const durationMs = this.clock.now() - started;
    this.options.log?.info(`audit: ${new Date(started).toISOString()} ${who} ${request.action} `
      + `${outletList(targets)} on ${this.name} (${this.driver.address})${request.force ? ' forced' : ''}: ${outcome} `
      + `in ${durationMs} ms`);
    const record: AuditRecord = {
      at: new Date(started).toISOString(),
      device: this.name,
      requester: request.requester ?? { id: 'unknown' },
      action: request.action,
      outlets: targets.map(({ index, id, name }) => ({ index, id, name })),
      forced: request.force === true,
      ok: end.ok,
      ...(end.ok ? { result: end.result } : { error: end.error }),
      durationMs,
    };
    this.emit('audit', record);
  }
}

function sameOutlets(a: OutletInfo[], b: OutletInfo[]): boolean {
  return a.length === b.length && a.every((outlet, position) => outlet.index === b[position].index);
}

function isPlan(value: SwitchResult | Plan): value is Plan {
  return 'targets' in value;
}

/** The SSH host key for the log: one trusted on first use is named so that the operator can pin it. */
function hostKeyText(description: DeviceDescription): string {
  const key = description.hostKey;
  if (!key) return '';
  return key.pinned ? `, SSH host key ${key.fingerprint} (pinned)`
    : `, SSH host key ${key.fingerprint} (not pinned: trusted on first use; pin it in the device config)`;
}
