import { resolveTargets, type TargetSpec } from '../device/targets';
import type { DeviceEvent, Severity, Snapshot } from '../types';
import { LimitAlarms, parseLimits, type AlarmKind, type AlarmLevel, type AlarmTimers } from './limit-alarms';

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
  timers?: AlarmTimers;
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

/**
 * The Sentry power manager's alarm timing (lib/events/limit-alarms.ts), per metric and per
 * outlet/input/sensor of a PDU's snapshot.
 */
export class ThresholdMonitor {
  private readonly alarms: LimitAlarms<ThresholdRule, Sample>;
  private readonly reported = new Set<string>();

  constructor(private readonly options: ThresholdOptions) {
    this.alarms = new LimitAlarms<ThresholdRule, Sample>({
      repeat: options.repeat,
      quiet: options.quiet,
      timers: options.timers,
      send: (kind, level, rule, sample) => this.send(kind, level, rule, sample),
    });
  }

  /** Feed one snapshot; events go out through `emit`, now or later from the timers. */
  check(snapshot: Snapshot): void {
    const chosen = new Map(this.options.rules.filter((rule) => rule.outlets).map((rule) => [rule, this.outletsOf(rule, snapshot)]));
    for (const sample of samples(snapshot)) {
      for (const rule of this.options.rules) {
        if (rule.metric !== sample.metric) continue;
        const only = chosen.get(rule);
        if (only && sample.subject.outlet && !only.has(sample.subject.outlet.index ?? -1)) continue;
        const key = `${sample.key}|${rule.metric}|${rule.high ?? ''}|${rule.low ?? ''}|${rule.outlets ?? ''}`;
        this.alarms.evaluate(key, rule, sample.value, sample);
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
    return this.alarms.active;
  }

  stop(): void {
    this.alarms.stop();
  }

  private send(kind: AlarmKind, level: AlarmLevel, rule: ThresholdRule, sample: Sample): void {
    const names = NAMES[rule.metric];
    const threshold = rule[level];
    const severity: Severity = kind === 'normal' ? 'info'
      : kind === 'high' && rule.metric !== 'humidity' ? 'critical' : 'warning';
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
    const rule: ThresholdRule = { metric: row.metric as Metric, ...parseLimits(row, row.metric) };
    const outlets = typeof row.outlets === 'string' ? row.outlets.trim() : '';
    if (outlets && row.metric !== 'outletCurrent') throw new Error(`${row.metric}: only an outlet current limit applies to chosen outlets`);
    if (outlets) rule.outlets = outlets;
    if (rule.high !== undefined || rule.low !== undefined) rules.push(rule);
  }
  return rules;
}
