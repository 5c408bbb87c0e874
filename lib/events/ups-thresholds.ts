import { checkName } from '../transports/nut/protocol';
import { nutValue } from '../transports/nut/values';
import type { DeviceEvent, Severity } from '../types';
import { splitDevice } from './ups-events';
import { LimitAlarms, parseLimits, type AlarmKind, type AlarmLevel, type AlarmTimers, type LimitRule } from './limit-alarms';

// Limits on any numeric NUT variable of a UPS (battery.charge, input.voltage, ups.load ...), with
// the same timing as pdu-status's thresholds (lib/events/limit-alarms.ts).

export interface UpsThresholdRule extends LimitRule {
  /** The NUT variable, as upsd names it. */
  variable: string;
  /** Of the alarm (low or high); its return to normal is always info. */
  severity: Severity;
}

export interface UpsThresholdRow {
  variable?: unknown;
  low?: unknown;
  high?: unknown;
  severity?: unknown;
}

export const SEVERITIES: Severity[] = ['critical', 'warning', 'info'];

/** Threshold rows as the editor stores them; every mistake is an error that names the row. */
export function parseUpsThresholds(rows: UpsThresholdRow[] | undefined): UpsThresholdRule[] {
  return (rows ?? []).map((row, index) => {
    const variable = typeof row.variable === 'string' ? row.variable.trim() : '';
    const where = `threshold ${index + 1}`;
    if (!variable) throw new Error(`${where}: name the NUT variable to watch, e.g. battery.charge`);
    checkName(variable, `${where}: the variable`);
    let limits: LimitRule;
    try {
      limits = parseLimits(row, variable);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
    if (limits.high === undefined && limits.low === undefined) throw new Error(`${where}: ${variable} needs a low or a high limit`);
    const severity = row.severity === undefined || row.severity === '' ? 'warning' : row.severity;
    if (!SEVERITIES.includes(severity as Severity)) {
      throw new Error(`${where}: severity "${String(severity)}" is not one of ${SEVERITIES.join(', ')}`);
    }
    return { variable, ...limits, severity: severity as Severity };
  });
}

/**
 * The events a rule raises. The colon keeps them apart from NUT's own names: `battery.charge.low`
 * is a variable (the charge at which the UPS reports LB). So: `battery.charge:low`, `battery.charge:high`, `battery.charge:normal`.
 */
export function thresholdEvents(rules: UpsThresholdRule[]): string[] {
  return rules.flatMap((rule) => [
    ...(rule.low !== undefined ? [`${rule.variable}:low`] : []),
    ...(rule.high !== undefined ? [`${rule.variable}:high`] : []),
    `${rule.variable}:normal`,
  ]);
}

/** Units of NUT's standard variables, by their last word (docs/nut-names.txt), for the texts. */
const UNITS: Record<string, string> = {
  charge: '%', load: '%', humidity: '%', runtime: 's', voltage: 'V', current: 'A', temperature: '°C',
  frequency: 'Hz', realpower: 'W', power: 'VA',
};

export interface UpsThresholdOptions {
  rules: UpsThresholdRule[];
  /** How events name the UPS: `ups1@server`. */
  device: string;
  repeat?: number;
  quiet?: number;
  timers?: AlarmTimers;
  emit(event: DeviceEvent): void;
  /** A rule that cannot apply (no such variable, not a number), once per rule and reason. */
  onProblem?(text: string): void;
}

interface Reading {
  value: number;
}

export class UpsThresholds {
  private readonly alarms: LimitAlarms<UpsThresholdRule, Reading>;
  private readonly reported = new Set<string>();

  constructor(private readonly options: UpsThresholdOptions) {
    this.alarms = new LimitAlarms<UpsThresholdRule, Reading>({
      repeat: options.repeat,
      quiet: options.quiet,
      timers: options.timers,
      send: (kind, level, rule, reading) => this.options.emit(this.event(kind, level, rule, reading)),
    });
  }

  /** One answer of the UPS: every variable as upsd sent it. */
  check(vars: Record<string, string>): void {
    this.options.rules.forEach((rule, index) => {
      const text = vars[rule.variable];
      if (text === undefined) {
        this.problem(index, 'missing', `UPS ${this.options.device} has no variable ${rule.variable}: its threshold watches nothing (list mode shows the UPS's variables)`);
        return;
      }
      // As the status output reads it: a number as drivers write it, and never a serial or an id.
      const value = nutValue(rule.variable, text);
      if (typeof value !== 'number') {
        this.problem(index, 'text', `UPS ${this.options.device}: ${rule.variable} is "${text}", not a number: its threshold cannot apply`);
        return;
      }
      // Reported again if it goes missing again after it came back.
      this.reported.delete(`${index}|missing`);
      this.reported.delete(`${index}|text`);
      this.alarms.evaluate(String(index), rule, value, { value });
    });
  }

  get active(): number {
    return this.alarms.active;
  }

  stop(): void {
    this.alarms.stop();
  }

  private problem(index: number, kind: string, text: string): void {
    const key = `${index}|${kind}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.options.onProblem?.(text);
  }

  private event(kind: AlarmKind, level: AlarmLevel, rule: UpsThresholdRule, { value }: Reading): DeviceEvent {
    const unit = UNITS[rule.variable.slice(rule.variable.lastIndexOf('.') + 1)];
    const withUnit = (n: number | undefined): string => `${n}${unit ? ` ${unit}` : ''}`;
    const threshold = rule[level];
    const device = this.options.device;
    const text = kind === 'normal'
      ? `UPS ${device}: ${rule.variable} back within its limits: ${withUnit(value)}`
      : `UPS ${device}: ${rule.variable} ${kind === 'high' ? 'above' : 'below'} ${withUnit(threshold)}: ${withUnit(value)}`;
    const [ups, server] = splitDevice(device);
    return {
      event: `${rule.variable}:${kind}`,
      severity: kind === 'normal' ? 'info' : rule.severity,
      device,
      source: 'nut',
      sensor: { name: rule.variable, type: 'nut' },
      value,
      threshold,
      text,
      raw: { ups, server, variable: rule.variable, limit: level },
    };
  }
}
