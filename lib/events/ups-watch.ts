import type { DeviceEvent } from '../types';
import type { AlarmTimers } from './limit-alarms';
import { UpsMonitor } from './ups-events';
import { UpsThresholds, type UpsThresholdRule } from './ups-thresholds';
import { UpsTimers, type UpsTimerRule } from './ups-timers';

// Everything ups-nut watches on one UPS: upsmon's events, the thresholds on its variables and the
// upssched-style timers, which see every event of the other two (and of each other).

export interface UpsWatchOptions {
  /** How events name the UPS: `ups1@server`. */
  device: string;
  /** upsmon's NOCOMMWARNTIME, seconds. */
  nocommTime?: number;
  thresholds?: UpsThresholdRule[];
  /** Seconds between repeats of a threshold alarm, and the quiet period before its normal. */
  repeat?: number;
  timers?: UpsTimerRule[];
  /** Events raised later, by a timer (NOCOMM, REPLBATT, threshold repeats and normals, the timers). */
  emit(event: DeviceEvent): void;
  /** A threshold that cannot apply, once per rule and reason. */
  onProblem?(text: string): void;
  /** Injectable for tests with fake clocks (thresholds and timers; upsmon's own use the real ones). */
  clock?: AlarmTimers;
}

export class UpsWatch {
  readonly monitor: UpsMonitor;
  private readonly thresholds?: UpsThresholds;
  private readonly timers?: UpsTimers;
  /** Threshold events raised while a reading is checked: they go out with the reading's events. */
  private collecting?: DeviceEvent[];
  private stopped = false;

  constructor(private readonly options: UpsWatchOptions) {
    const { device, clock } = options;
    this.monitor = new UpsMonitor({ device, nocommTime: options.nocommTime, emit: (event) => this.later(event) });
    if (options.thresholds?.length) {
      this.thresholds = new UpsThresholds({
        rules: options.thresholds, device, repeat: options.repeat, timers: clock,
        emit: (event) => this.later(event), onProblem: options.onProblem,
      });
    }
    if (options.timers?.length) {
      // A timer's own firing is passed to the others by UpsTimers itself.
      this.timers = new UpsTimers({ rules: options.timers, device, timers: clock, emit: (event) => options.emit(event) });
    }
  }

  /** The UPS answered: its events, upsmon's first, then the thresholds'. */
  update(vars: Record<string, string>): DeviceEvent[] {
    if (this.stopped) return [];
    const events = this.monitor.update(vars);
    this.collecting = events;
    try {
      // A driver still starting (WAIT) has not read the UPS yet: its missing variables are no news.
      if ((vars['ups.status'] ?? '').trim() !== 'WAIT') this.thresholds?.check(vars);
    } finally {
      this.collecting = undefined;
    }
    for (const event of events) this.timers?.handle(event);
    return events;
  }

  /** The UPS did not answer. */
  lost(reason: string): DeviceEvent[] {
    if (this.stopped) return [];
    const events = this.monitor.lost(reason);
    for (const event of events) this.timers?.handle(event);
    return events;
  }

  /** Alarms and timers running now. */
  get active(): { alarms: number; timers: string[] } {
    return { alarms: this.thresholds?.active ?? 0, timers: this.timers?.active ?? [] };
  }

  /** A closed node: nothing is raised afterwards, not even by a reading that was on its way. */
  stop(): void {
    this.stopped = true;
    this.monitor.stop();
    this.thresholds?.stop();
    this.timers?.stop();
  }

  private later(event: DeviceEvent): void {
    if (this.collecting) {
      this.collecting.push(event);
      return;
    }
    this.timers?.handle(event);
    this.options.emit(event);
  }
}
