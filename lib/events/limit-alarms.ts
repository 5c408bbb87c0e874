// The timing of a limit alarm, whatever is measured (an outlet's current on a PDU, a NUT
// variable of a UPS): the Sentry power manager's alarm timing, shared so that pdu-status and
// ups-nut behave the same.

export interface LimitRule {
  high?: number;
  low?: number;
}

export type AlarmLevel = 'high' | 'low';
export type AlarmKind = AlarmLevel | 'normal';

export interface AlarmTimers {
  setTimeout: typeof setTimeout;
  clearTimeout: typeof clearTimeout;
  now(): number;
}

export interface LimitAlarmsOptions<R extends LimitRule, S> {
  /** Seconds between repeats of an alarm that lasts (the Sentry power manager: once a minute). */
  repeat?: number;
  /** Seconds the value must stay inside the limits before `normal` is sent (default: repeat). */
  quiet?: number;
  /** Timers, injectable for tests with fake clocks. */
  timers?: AlarmTimers;
  /** An alarm, its repeat or its return to normal: `level` is the limit that was crossed. */
  send(kind: AlarmKind, level: AlarmLevel, rule: R, sample: S): void;
}

interface Alarm<R, S> {
  level: AlarmLevel;
  rule: R;
  sample: S;
  repeatTimer?: ReturnType<typeof setTimeout>;
  normalTimer?: ReturnType<typeof setTimeout>;
}

/**
 * One alarm per key (a rule on one outlet, input, sensor or variable): it goes out as soon as a
 * limit is crossed, again every `repeat` seconds while it lasts, and the return to normal only
 * once the value has stayed inside the limits for a whole quiet period.
 */
export class LimitAlarms<R extends LimitRule, S> {
  private readonly alarms = new Map<string, Alarm<R, S>>();
  private readonly timers: AlarmTimers;
  private readonly repeatMs: number;
  private readonly quietMs: number;
  private stopped = false;

  constructor(private readonly options: LimitAlarmsOptions<R, S>) {
    this.timers = options.timers ?? { setTimeout, clearTimeout, now: () => Date.now() };
    this.repeatMs = (options.repeat ?? 60) * 1000;
    this.quietMs = (options.quiet ?? options.repeat ?? 60) * 1000;
  }

  /** Alarms active now, for the node's status. */
  get active(): number {
    return this.alarms.size;
  }

  /** One reading of one key against its rule. */
  evaluate(key: string, rule: R, value: number, sample: S): void {
    // A poll that was on its way when the node closed must not start an alarm no one will stop.
    if (this.stopped) return;
    const level = rule.high !== undefined && value > rule.high ? 'high'
      : rule.low !== undefined && value < rule.low ? 'low' : undefined;
    const alarm = this.alarms.get(key);
    if (level) {
      if (alarm && alarm.level === level) {
        // Still out of limits: the repeat timer keeps going, with the latest reading.
        alarm.sample = sample;
        if (alarm.normalTimer) this.timers.clearTimeout(alarm.normalTimer);
        alarm.normalTimer = undefined;
        return;
      }
      if (alarm) this.clearTimers(alarm);
      const fresh: Alarm<R, S> = { level, rule, sample };
      this.alarms.set(key, fresh);
      this.options.send(level, level, rule, sample);
      this.scheduleRepeat(fresh);
      return;
    }
    if (alarm) {
      alarm.sample = sample;
      if (!alarm.normalTimer) {
        alarm.normalTimer = this.timers.setTimeout(() => {
          this.clearTimers(alarm);
          this.alarms.delete(key);
          this.options.send('normal', alarm.level, alarm.rule, alarm.sample);
        }, this.quietMs);
      }
    }
  }

  /** Cancels every repeat and pending normal: nothing is sent afterwards. */
  stop(): void {
    this.stopped = true;
    for (const alarm of this.alarms.values()) this.clearTimers(alarm);
    this.alarms.clear();
  }

  private scheduleRepeat(alarm: Alarm<R, S>): void {
    alarm.repeatTimer = this.timers.setTimeout(() => {
      // While the value sits back inside the limits, the alarm no longer repeats.
      if (!alarm.normalTimer) this.options.send(alarm.level, alarm.level, alarm.rule, alarm.sample);
      this.scheduleRepeat(alarm);
    }, this.repeatMs);
  }

  private clearTimers(alarm: Alarm<R, S>): void {
    if (alarm.repeatTimer) this.timers.clearTimeout(alarm.repeatTimer);
    if (alarm.normalTimer) this.timers.clearTimeout(alarm.normalTimer);
    alarm.repeatTimer = undefined;
    alarm.normalTimer = undefined;
  }
}

/**
 * The low and high limits of an editor row: empty means no limit, anything else must be a number,
 * and low must be below high. `what` names the row in the errors (`temperature`, `battery.charge`).
 */
export function parseLimits(row: { high?: unknown; low?: unknown }, what: string): LimitRule {
  const limit = (value: unknown, which: string): number | undefined => {
    if (value === undefined || value === null || value === '') return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) throw new Error(`${what} ${which} limit "${String(value)}" is not a number`);
    return parsed;
  };
  const limits = { high: limit(row.high, 'high'), low: limit(row.low, 'low') };
  if (limits.high !== undefined && limits.low !== undefined && limits.low >= limits.high) {
    throw new Error(`${what}: the low limit must be below the high limit`);
  }
  return limits;
}
