import type { DeviceEvent, Severity } from '../types';

// upsmon's notify events (docs/man/upsmon.conf.txt) from consecutive reads of a UPS: the names,
// texts and moments operators know from upsmon, in the shared DeviceEvent shape (source `nut`).

/** Status flags that come and go in pairs: flag -> [event when it appears, when it clears]. */
const PAIRS: Record<string, [string, string, Severity, string, string]> = {
  CAL: ['CAL', 'NOTCAL', 'info', 'calibration in progress', 'calibration finished'],
  OFF: ['OFF', 'NOTOFF', 'warning', 'administratively OFF or asleep', 'no longer administratively OFF or asleep'],
  BYPASS: ['BYPASS', 'NOTBYPASS', 'warning', 'on bypass (powered, not protecting)', 'no longer on bypass'],
  OVER: ['OVER', 'NOTOVER', 'warning', 'is overloaded', 'is no longer overloaded'],
  TRIM: ['TRIM', 'NOTTRIM', 'info', 'is trimming incoming voltage', 'is no longer trimming incoming voltage'],
  BOOST: ['BOOST', 'NOTBOOST', 'info', 'is boosting incoming voltage', 'is no longer boosting incoming voltage'],
  ALARM: ['ALARM', 'NOTALARM', 'warning', 'has one or more active alarms', 'has no active alarms'],
};

/** Tokens with a meaning of their own; anything else is OTHER (upsmon 2.8.1's unclassified token). */
const KNOWN = new Set(['OL', 'OB', 'LB', 'HB', 'RB', 'CHRG', 'DISCHRG', 'FSD', 'WAIT', ...Object.keys(PAIRS)]);

/** Every event UpsMonitor raises, for the checks of what a timer may start on or be cancelled by. */
export const UPS_EVENTS: string[] = ['ONLINE', 'ONBATT', 'LOWBATT', 'FSD', 'COMMOK', 'COMMBAD', 'NOCOMM', 'REPLBATT',
  ...Object.values(PAIRS).flatMap(([on, off]) => [on, off]), 'OTHER', 'NOTOTHER'];

export interface UpsMonitorOptions {
  /** How events name the UPS: `ups1@server`. */
  device: string;
  /** Seconds without contact before NOCOMM, repeated as long as it lasts (upsmon's NOCOMMWARNTIME). */
  nocommTime?: number;
  /** Seconds between REPLBATT reminders while the battery needs replacing (upsmon's RBWARNTIME). */
  replbattTime?: number;
  /** Events raised by timers (NOCOMM, REPLBATT reminders). */
  emit(event: DeviceEvent): void;
}

export class UpsMonitor {
  private flags?: Set<string>;
  private vars: Record<string, string> = {};
  private lostSince?: number;
  private nocommTimer?: NodeJS.Timeout;
  private replbattTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly options: UpsMonitorOptions) {
    this.armNocomm();
  }

  /** The UPS answered: events for what changed since the last answer. */
  update(vars: Record<string, string>): DeviceEvent[] {
    const flags = new Set((vars['ups.status'] ?? '').split(/\s+/).filter(Boolean));
    const before = this.flags;
    const events: DeviceEvent[] = [];
    if (this.lostSince !== undefined) events.push(this.event('COMMOK', 'info', `Communications with UPS ${this.options.device} established`, vars));
    this.lostSince = undefined;
    this.clearNocomm();
    this.vars = vars;
    this.flags = flags;
    if (flags.size === 1 && flags.has('WAIT')) return events;
    const appeared = (flag: string): boolean => flags.has(flag) && !before?.has(flag);
    const cleared = (flag: string): boolean => Boolean(before?.has(flag)) && !flags.has(flag);
    const onBattery = flags.has('OB');
    const device = this.options.device;

    if (appeared('FSD')) events.push(this.event('FSD', 'critical', `UPS ${device}: forced shutdown in progress`, vars));
    if (appeared('OB')) {
      events.push(this.event('ONBATT', flags.has('LB') ? 'critical' : 'warning', `UPS ${device} on battery`, vars));
    } else if (appeared('OL') && before?.has('OB')) {
      events.push(this.event('ONLINE', 'info', `UPS ${device} on line power`, vars));
    }
    if (appeared('LB')) events.push(this.event('LOWBATT', onBattery ? 'critical' : 'warning', `UPS ${device} battery is low`, vars));
    if (appeared('RB')) {
      events.push(this.replbatt());
      this.armReplbatt();
    } else if (!flags.has('RB')) {
      this.clearReplbatt();
    }
    for (const [flag, [on, off, severity, onText, offText]] of Object.entries(PAIRS)) {
      const extra = flag === 'ALARM' && vars['ups.alarm'] ? ` (${vars['ups.alarm']})` : '';
      if (appeared(flag)) events.push(this.event(on, severity, `UPS ${device} ${onText}${extra}`, vars));
      else if (cleared(flag)) events.push(this.event(off, 'info', `UPS ${device} ${offText}`, vars));
    }
    const others = (set: Set<string> | undefined): string[] => [...(set ?? [])].filter((flag) => !KNOWN.has(flag)).sort();
    const otherNow = others(flags);
    const otherBefore = others(before);
    if (otherNow.length > 0 && otherNow.join() !== otherBefore.join()) {
      events.push(this.event('OTHER', 'warning', `UPS ${device} has unclassified status ${otherNow.join(' ')}`, vars));
    } else if (otherNow.length === 0 && otherBefore.length > 0) {
      events.push(this.event('NOTOTHER', 'info', `UPS ${device} has no unclassified status tokens`, vars));
    }
    return events;
  }

  /** The UPS did not answer (link lost, driver gone, stale data): COMMBAD once, NOCOMM later. */
  lost(reason: string, now = Date.now()): DeviceEvent[] {
    if (this.lostSince !== undefined) return [];
    this.lostSince = now;
    this.armNocomm();
    if (!this.flags) return [];
    const critical = this.flags.has('OB');
    return [this.event('COMMBAD', critical ? 'critical' : 'warning',
      `Communications with UPS ${this.options.device} lost (${reason})${critical ? ' while on battery' : ''}`, this.vars, reason)];
  }

  /** The last status flags seen (empty before the first answer). */
  get status(): string[] {
    return [...(this.flags ?? [])];
  }

  get communicating(): boolean {
    return this.flags !== undefined && this.lostSince === undefined;
  }

  stop(): void {
    this.stopped = true;
    this.clearNocomm();
    this.clearReplbatt();
  }

  private replbatt(): DeviceEvent {
    return this.event('REPLBATT', 'warning', `UPS ${this.options.device} battery needs to be replaced`, this.vars);
  }

  private armNocomm(): void {
    const seconds = this.options.nocommTime ?? 300;
    if (this.stopped || this.nocommTimer || seconds <= 0) return;
    this.nocommTimer = setInterval(() => {
      const critical = Boolean(this.flags?.has('OB'));
      this.options.emit(this.event('NOCOMM', critical ? 'critical' : 'warning', `UPS ${this.options.device} is unavailable`, this.vars));
    }, seconds * 1000);
    this.nocommTimer.unref?.();
  }

  private clearNocomm(): void {
    if (this.nocommTimer) clearInterval(this.nocommTimer);
    this.nocommTimer = undefined;
  }

  private armReplbatt(): void {
    const seconds = this.options.replbattTime ?? 43200;
    if (this.stopped || this.replbattTimer || seconds <= 0) return;
    this.replbattTimer = setInterval(() => this.options.emit(this.replbatt()), seconds * 1000);
    this.replbattTimer.unref?.();
  }

  private clearReplbatt(): void {
    if (this.replbattTimer) clearInterval(this.replbattTimer);
    this.replbattTimer = undefined;
  }

  private event(name: string, severity: Severity, text: string, vars: Record<string, string>, reason?: string): DeviceEvent {
    const [ups, server] = splitDevice(this.options.device);
    const raw: Record<string, unknown> = { ups, server, status: [...(this.flags ?? [])] };
    if (vars['battery.charge'] !== undefined) raw.charge = Number(vars['battery.charge']);
    if (vars['battery.runtime'] !== undefined) raw.runtime = Number(vars['battery.runtime']);
    if (reason) raw.reason = reason;
    return {
      event: name,
      severity,
      device: this.options.device,
      source: 'nut',
      ...(vars['ups.status'] !== undefined ? { value: vars['ups.status'] } : {}),
      text,
      raw,
    };
  }
}

/** `ups1@server` -> [`ups1`, `server`]. */
export function splitDevice(device: string): [string, string] {
  const at = device.indexOf('@');
  return at < 0 ? [device, ''] : [device.slice(0, at), device.slice(at + 1)];
}
