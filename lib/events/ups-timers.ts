import type { DeviceEvent, Severity } from '../types';
import type { AlarmTimers } from './limit-alarms';
import { splitDevice } from './ups-events';
import { SEVERITIES } from './ups-thresholds';

// upssched's timers for a UPS's events: `AT ONBATT * START-TIMER onbatt 30` with
// `AT ONLINE * CANCEL-TIMER onbatt` becomes a row "onbatt: ONBATT lasting 30 s, cancelled by
// ONLINE", and the timer's firing is an event of its own instead of a script's argument.

export interface UpsTimerRule {
  /** The timer's name, and the event it raises when it fires. */
  name: string;
  /** The event that starts it (START-TIMER). */
  start: string;
  seconds: number;
  /** The events that cancel it before it fires (CANCEL-TIMER). */
  cancel: string[];
  severity: Severity;
}

export interface UpsTimerRow {
  name?: unknown;
  start?: unknown;
  seconds?: unknown;
  cancel?: unknown;
  severity?: unknown;
}

const TIMER_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
/** setTimeout's longest wait (2^31 - 1 ms, about 24.8 days); a longer one would fire at once. */
const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/**
 * Timer rows as the editor stores them. `known` lists the events the node raises (upsmon's and
 * its thresholds'); a timer may also start on or be cancelled by another timer's event.
 */
export function parseUpsTimers(rows: UpsTimerRow[] | undefined, known: string[]): UpsTimerRule[] {
  const list = rows ?? [];
  const names = list.map((row) => (typeof row.name === 'string' ? row.name.trim() : ''));
  const events = new Set([...known, ...names]);
  const knownEvent = (event: string, where: string): string => {
    if (!events.has(event)) {
      throw new Error(`${where}: "${event}" is not an event of this node (upsmon's, such as ONBATT, ONLINE, LOWBATT, COMMBAD, a threshold's, such as battery.charge:low, or a timer's)`);
    }
    return event;
  };
  return list.map((row, index) => {
    const name = names[index];
    const where = `timer ${index + 1}${name ? ` (${name})` : ''}`;
    if (!TIMER_NAME.test(name)) {
      throw new Error(`${where}: the name${name ? ` "${name}"` : ''} must start with a letter and hold only letters, digits and . _ - (at most 64)`);
    }
    if (known.includes(name) || names.indexOf(name) !== index) throw new Error(`${where}: the name "${name}" is already an event of this node`);
    const start = knownEvent(typeof row.start === 'string' ? row.start.trim() : '', where);
    if (start === name) throw new Error(`${where}: a timer cannot start on its own event`);
    const seconds = Number(row.seconds);
    if (row.seconds === '' || row.seconds === undefined || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_SECONDS) {
      throw new Error(`${where}: the time "${String(row.seconds ?? '')}" must be a number of seconds above 0 and at most ${MAX_SECONDS}`);
    }
    const cancelText = typeof row.cancel === 'string' ? row.cancel : Array.isArray(row.cancel) ? row.cancel.join(',') : '';
    const cancel = cancelText.split(/[\s,]+/).filter(Boolean).map((event) => knownEvent(event, where));
    if (cancel.includes(start)) throw new Error(`${where}: ${start} cannot both start and cancel the timer`);
    const severity = row.severity === undefined || row.severity === '' ? 'warning' : row.severity;
    if (!SEVERITIES.includes(severity as Severity)) {
      throw new Error(`${where}: severity "${String(severity)}" is not one of ${SEVERITIES.join(', ')}`);
    }
    return { name, start, seconds, cancel, severity: severity as Severity };
  });
}

export interface UpsTimersOptions {
  rules: UpsTimerRule[];
  /** How events name the UPS: `ups1@server`. */
  device: string;
  timers?: AlarmTimers;
  emit(event: DeviceEvent): void;
}

interface Running {
  handle: ReturnType<typeof setTimeout>;
  startedAt: number;
}

export class UpsTimers {
  private readonly running = new Map<string, Running>();
  private readonly timers: AlarmTimers;
  /** Since when contact with the UPS is lost (COMMBAD until COMMOK): a firing then may be stale. */
  private lostSince?: number;
  private stopped = false;

  constructor(private readonly options: UpsTimersOptions) {
    this.timers = options.timers ?? { setTimeout, clearTimeout, now: () => Date.now() };
  }

  /** Every event of the node, its own timers' included (a timer may start another). */
  handle(event: DeviceEvent): void {
    if (this.stopped) return;
    if (event.event === 'COMMBAD') this.lostSince ??= this.timers.now();
    if (event.event === 'COMMOK') this.lostSince = undefined;
    // Cancels first, so one event can cancel one timer and start another whatever the row order.
    for (const rule of this.options.rules) {
      if (rule.cancel.includes(event.event)) this.cancel(rule.name);
    }
    for (const rule of this.options.rules) {
      // A timer already running keeps its start: repeated starts do not push its end back.
      if (rule.start === event.event && !this.running.has(rule.name)) this.begin(rule);
    }
  }

  /** Timers running now, by name. */
  get active(): string[] {
    return [...this.running.keys()];
  }

  /** A closed node: every timer is cancelled and none starts again. */
  stop(): void {
    this.stopped = true;
    for (const name of [...this.running.keys()]) this.cancel(name);
  }

  private begin(rule: UpsTimerRule): void {
    const startedAt = this.timers.now();
    const handle = this.timers.setTimeout(() => {
      this.running.delete(rule.name);
      if (this.stopped) return;
      const event = this.fired(rule, startedAt);
      this.options.emit(event);
      this.handle(event);
    }, rule.seconds * 1000);
    this.running.set(rule.name, { handle, startedAt });
  }

  private cancel(name: string): void {
    const running = this.running.get(name);
    if (!running) return;
    this.timers.clearTimeout(running.handle);
    this.running.delete(name);
  }

  private fired(rule: UpsTimerRule, startedAt: number): DeviceEvent {
    const now = this.timers.now();
    const elapsed = Math.round((now - startedAt) / 100) / 10;
    const [ups, server] = splitDevice(this.options.device);
    // With contact lost, the UPS may have gone back on line unseen: the event says so rather than guess.
    const uncertain = this.lostSince !== undefined;
    const lostFor = uncertain ? Math.round((now - this.lostSince!) / 1000) : 0;
    return {
      event: rule.name,
      severity: rule.severity,
      device: this.options.device,
      source: 'nut',
      value: elapsed,
      threshold: rule.seconds,
      text: `UPS ${this.options.device}: ${rule.start} for ${elapsed} s (timer ${rule.name})`
        + (uncertain ? `; contact with the UPS lost ${lostFor} s ago, so it may have ended unseen` : ''),
      raw: {
        ups, server, timer: rule.name, start: rule.start, cancel: rule.cancel, startedAt: new Date(startedAt).toISOString(),
        ...(uncertain ? { uncertain: true, lostSince: new Date(this.lostSince!).toISOString() } : {}),
      },
    };
  }
}
