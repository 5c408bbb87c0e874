import type { FleetModel, FleetReport } from './fleet';

// When the fleet is reported: at once when asked, and after a change at most once per interval,
// so hundreds of sites publishing every few seconds give the flow one message a second, not
// thousands. The last change in an interval is never lost: it goes out at the interval's end.

export class FleetReporter {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(private readonly model: FleetModel, private readonly send: (report: FleetReport) => void,
    private readonly intervalMs: number, private readonly now: () => number = Date.now) {
    if (!(intervalMs >= 0)) throw new Error(`the report interval must be 0 or more milliseconds (got ${intervalMs})`);
  }

  /** The model may have changed: report now if the last report is old enough, else at the interval's end. */
  changed(): void {
    if (this.stopped || !this.model.changed || this.timer) return;
    const wait = this.last + this.intervalMs - this.now();
    if (wait <= 0) {
      this.emit();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.model.changed) this.emit();
    }, wait);
  }

  /** A report now, whatever changed (a flow asked for it). */
  request(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.emit();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private emit(): void {
    this.last = this.now();
    this.model.changed = false;
    this.send(this.model.report());
  }
}
