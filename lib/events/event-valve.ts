import type { Severity } from '../types';

export interface ValveOptions<T> {
  /** Most items sent per second; a burst beyond it waits in the queue. */
  rate: number;
  /** Most items waiting; beyond it they are dropped, counted and reported. */
  queue: number;
  send(item: T): void;
  /** Items dropped since the last report, by severity; called at most once a second. */
  dropped(count: number, bySeverity: Partial<Record<Severity, number>>): void;
  severity(item: T): Severity;
}

const TICK_MS = 100;

/**
 * A flood (10,000 traps in a second) must neither grow memory without bound nor hold the event
 * loop: items go out at `rate` per second, the excess waits in a bounded queue, and what does
 * not fit is dropped and said, once a second, as a count.
 */
export class EventValve<T> {
  private readonly waiting: T[] = [];
  /** Index of the oldest waiting item: taking from the front without shifting the array. */
  private head = 0;
  private tokens: number;
  private timer?: NodeJS.Timeout;
  private droppedCount = 0;
  private droppedBy: Partial<Record<Severity, number>> = {};
  private lastReport = -Infinity;
  private stopped = false;
  sent = 0;
  droppedTotal = 0;

  constructor(private readonly options: ValveOptions<T>) {
    this.tokens = options.rate;
  }

  get queued(): number {
    return this.waiting.length - this.head;
  }

  push(item: T): void {
    if (this.stopped) return;
    if (this.queued === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      this.out(item);
    } else if (this.queued < this.options.queue) {
      this.waiting.push(item);
    } else {
      this.droppedCount += 1;
      this.droppedTotal += 1;
      const severity = this.options.severity(item);
      this.droppedBy[severity] = (this.droppedBy[severity] ?? 0) + 1;
    }
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.waiting.length = 0;
    this.head = 0;
  }

  private out(item: T): void {
    this.sent += 1;
    this.options.send(item);
  }

  /** Ticks run only while there is something to refill, send or report. */
  private schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref?.();
  }

  private tick(): void {
    this.tokens = Math.min(this.options.rate, this.tokens + (this.options.rate * TICK_MS) / 1000);
    while (this.queued > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      const item = this.waiting[this.head];
      this.head += 1;
      this.out(item);
    }
    if (this.queued === 0) {
      this.waiting.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
    const now = Date.now();
    if (this.droppedCount > 0 && now - this.lastReport >= 1000) {
      this.lastReport = now;
      const count = this.droppedCount;
      const bySeverity = this.droppedBy;
      this.droppedCount = 0;
      this.droppedBy = {};
      this.options.dropped(count, bySeverity);
    }
    const idle = this.queued === 0 && this.droppedCount === 0 && this.tokens >= this.options.rate;
    if (idle && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
