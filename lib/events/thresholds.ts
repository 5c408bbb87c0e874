import { resolveTargets, type TargetSpec } from '../device/targets';
import type { DeviceEvent, Severity, Snapshot } from '../types';

export type Metric = 'outletCurrent' | 'inputCurrent' | 'temperature' | 'humidity';

export interface ThresholdRule {
  metric: Metric;
  high?: number;
  low?: number;
  /** outletCurrent only: the outlets (numbers, names, ids, groups) this limit applies to; unset: every outlet. */
  outlets?: string;
}

export interface ThresholdOptions {
  rules: ThresholdRule[];
  /** The config's groups, for a rule's `outlets`. */
  groups?: Record<string, TargetSpec>;
  /** A rule that cannot apply (its outlets are not on the device), once per distinct reason. */
  onProblem?: (text: string) => void;
  /** Seconds between repeats of an alarm that lasts (the Sentry power manager: once a minute). */
  repeat?: number;
  /** Seconds the value must stay inside the limits before `normal` is sent (default: repeat). */
  quiet?: number;
  device: string;
  emit: (event: DeviceEvent) => void;
  /** Timers, injectable for tests with fake clocks. */
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout; now(): number };
}

/** Event names per metric, as the README lists them. */
const NAMES: Record<Metric, { high: string; low: string; normal: string; unit: string; what: string }> = {
  outletCurrent: { high: 'loadHigh', low: 'loadLow', normal: 'loadNormal', unit: 'A', what: 'load' },
  inputCurrent: { high: 'inputLoadHigh', low: 'inputLoadLow', normal: 'inputLoadNormal', unit: 'A', what: 'input load' },
  temperature: { high: 'temperatureHigh', low: 'temperatureLow', normal: 'temperatureNormal', unit: '°C', what: 'temperature' },
  humidity: { high: 'humidityHigh', low: 'humidityLow', normal: 'humidityNormal', unit: '%', what: 'humidity' },
};

interface Sample {
  key: string;
  metric: Metric;
  value: number;
  subject: Pick<DeviceEvent, 'outlet' | 'sensor'>;
  label: string;
}

interface Alarm {
  level: 'high' | 'low';
  rule: ThresholdRule;
  sample: Sample;
  repeatTimer?: ReturnType<typeof setTimeout>;
  normalTimer?: ReturnType<typeof setTimeout>;
}

/**
 * The Sentry power manager's alarm timing, per metric and per outlet/input/sensor: an alarm goes out as soon as
 * a limit is crossed, again every `repeat` seconds while it lasts, and the return to normal
 * only once the value has stayed inside the limits for a whole quiet period.
 */
export class ThresholdMonitor {
  private readonly alarms = new Map<string, Alarm>();
  private readonly reported = new Set<string>();
  private readonly timers: NonNullable<ThresholdOptions['timers']>;
  private readonly repeatMs: number;
  private readonly quietMs: number;

  constructor(private readonly options: ThresholdOptions) {
    this.timers = options.timers ?? { setTimeout, clearTimeout, now: () => Date.now() };
    this.repeatMs = (options.repeat ?? 60) * 1000;
    this.quietMs = (options.quiet ?? options.repeat ?? 60) * 1000;
  }

  /** Feed one snapshot; events go out through `emit`, now or later from the timers. */
  check(snapshot: Snapshot): void {
    const chosen = new Map(this.options.rules.filter((rule) => rule.outlets).map((rule) => [rule, this.outletsOf(rule, snapshot)]));
    for (const sample of samples(snapshot)) {
      for (const rule of this.options.rules) {
        if (rule.metric !== sample.metric) continue;
        const only = chosen.get(rule);
        if (only && sample.subject.outlet && !only.has(sample.subject.outlet.index ?? -1)) continue;
        this.evaluate(sample, rule);
      }
    }
  }

  /**
   * A rule's outlets, resolved against this reading's names. One that names no outlet (renamed,
   * mistyped) watches none and is reported once, not a silent gap; the snapshot still goes out.
   */
  private outletsOf(rule: ThresholdRule, snapshot: Snapshot): Set<number> {
    const infos = snapshot.outlets.map(({ index, id, name }) => ({ index, id, name, groups: [], key: String(index) }));
    try {
      return new Set(resolveTargets(infos, rule.outlets, { groups: this.options.groups }).map((outlet) => outlet.index));
    } catch (error) {
      const text = `the ${rule.metric} limit for outlets "${rule.outlets}" watches no outlet: ${(error as Error).message}`;
      if (!this.reported.has(text)) {
        this.reported.add(text);
        this.options.onProblem?.(text);
      }
      return new Set();
    }
  }

  /** Alarms active now, for the node's status. */
  get active(): number {
    return this.alarms.size;
  }

  stop(): void {
    for (const alarm of this.alarms.values()) this.clearTimers(alarm);
    this.alarms.clear();
  }

  private evaluate(sample: Sample, rule: ThresholdRule): void {
    const key = `${sample.key}|${rule.metric}|${rule.high ?? ''}|${rule.low ?? ''}|${rule.outlets ?? ''}`;
    const level = rule.high !== undefined && sample.value > rule.high ? 'high'
      : rule.low !== undefined && sample.value < rule.low ? 'low' : undefined;
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
      const fresh: Alarm = { level, rule, sample };
      this.alarms.set(key, fresh);
      this.send(fresh, level);
      this.scheduleRepeat(fresh);
      return;
    }
    if (alarm) {
      alarm.sample = sample;
      if (!alarm.normalTimer) {
        alarm.normalTimer = this.timers.setTimeout(() => {
          this.clearTimers(alarm);
          this.alarms.delete(key);
          this.send(alarm, 'normal');
        }, this.quietMs);
      }
    }
  }

  private scheduleRepeat(alarm: Alarm): void {
    alarm.repeatTimer = this.timers.setTimeout(() => {
      // While the value sits back inside the limits, the alarm no longer repeats.
      if (!alarm.normalTimer) this.send(alarm, alarm.level);
      this.scheduleRepeat(alarm);
    }, this.repeatMs);
  }

  private clearTimers(alarm: Alarm): void {
    if (alarm.repeatTimer) this.timers.clearTimeout(alarm.repeatTimer);
    if (alarm.normalTimer) this.timers.clearTimeout(alarm.normalTimer);
    alarm.repeatTimer = undefined;
    alarm.normalTimer = undefined;
  }

  private send(alarm: Alarm, kind: 'high' | 'low' | 'normal'): void {
    const names = NAMES[alarm.rule.metric];
    const { sample, rule } = alarm;
    const threshold = kind === 'normal' ? (alarm.level === 'high' ? rule.high : rule.low) : rule[kind];
    const severity: Severity = kind === 'normal' ? 'info'
      : kind === 'high' && alarm.rule.metric !== 'humidity' ? 'critical' : 'warning';
    const text = kind === 'normal'
      ? `${sample.label} ${names.what} back to normal: ${sample.value} ${names.unit}`
      : `${sample.label} ${names.what} ${kind === 'high' ? 'above' : 'below'} ${threshold} ${names.unit}: ${sample.value} ${names.unit}`;
    this.options.emit({
      event: names[kind],
      severity,
      device: this.options.device,
      source: 'poll',
      ...sample.subject,
      value: sample.value,
      threshold,
      text: `${this.options.device}: ${text}`,
    });
  }
}

function samples(snapshot: Snapshot): Sample[] {
  const list: Sample[] = [];
  for (const outlet of snapshot.outlets) {
    if (outlet.current === undefined) continue;
    list.push({
      key: `outlet:${outlet.index}`,
      metric: 'outletCurrent',
      value: outlet.current,
      subject: { outlet: { index: outlet.index, id: outlet.id, name: outlet.name } },
      label: `outlet ${outlet.index}${outlet.name ? ` (${outlet.name})` : ''}`,
    });
  }
  for (const input of snapshot.inputs) {
    if (input.current === undefined) continue;
    list.push({
      key: `input:${input.index}`,
      metric: 'inputCurrent',
      value: input.current,
      subject: { sensor: { index: input.index, name: input.name, type: 'input' } },
      label: input.name,
    });
  }
  for (const sensor of snapshot.sensors) {
    list.push({
      key: `${sensor.type}:${sensor.index}`,
      metric: sensor.type,
      value: sensor.value,
      subject: { sensor: { index: sensor.index, name: sensor.name, type: sensor.type } },
      label: sensor.name,
    });
  }
  return list;
}

const METRICS: Metric[] = ['outletCurrent', 'inputCurrent', 'temperature', 'humidity'];

/** Threshold rows as the editor stores them; a row without limits is ignored, a bad number is an error. */
export function parseThresholds(rows: Array<{ metric: string; high?: unknown; low?: unknown; outlets?: unknown }> | undefined): ThresholdRule[] {
  const rules: ThresholdRule[] = [];
  for (const row of rows ?? []) {
    if (!METRICS.includes(row.metric as Metric)) throw new Error(`unknown threshold metric "${row.metric}"`);
    const limit = (value: unknown, what: string): number | undefined => {
      if (value === undefined || value === null || value === '') return undefined;
      const parsed = Number(value);
      if (!Number.isFinite(parsed)) throw new Error(`${row.metric} ${what} limit "${String(value)}" is not a number`);
      return parsed;
    };
    const rule: ThresholdRule = { metric: row.metric as Metric, high: limit(row.high, 'high'), low: limit(row.low, 'low') };
    const outlets = typeof row.outlets === 'string' ? row.outlets.trim() : '';
    if (outlets && row.metric !== 'outletCurrent') throw new Error(`${row.metric}: only an outlet current limit applies to chosen outlets`);
    if (outlets) rule.outlets = outlets;
    if (rule.high !== undefined && rule.low !== undefined && rule.low >= rule.high) {
      throw new Error(`${row.metric}: the low limit must be below the high limit`);
    }
    if (rule.high !== undefined || rule.low !== undefined) rules.push(rule);
  }
  return rules;
}
