import type { DropReason, TrapDrop } from '../transports/snmp/trap-listener';

/** What a trap-in node has seen: traps delivered, and packets dropped by reason. */
export class TrapCounters {
  received = 0;
  dropped = 0;
  readonly byReason: Partial<Record<DropReason, number>> = {};
  lastDrop?: TrapDrop & { at: string };

  trap(): void {
    this.received += 1;
  }

  drop(drop: TrapDrop): void {
    this.dropped += 1;
    this.byReason[drop.reason] = (this.byReason[drop.reason] ?? 0) + 1;
    this.lastDrop = { ...drop, at: new Date().toISOString() };
  }

  snapshot(): { received: number; dropped: number; byReason: Partial<Record<DropReason, number>> } {
    return { received: this.received, dropped: this.dropped, byReason: { ...this.byReason } };
  }
}

/**
 * At most `limit` diagnostics messages a second, so a flood of bad packets cannot flood the flow;
 * the ones held back are counted and reported with the next message that goes out.
 */
export class Throttle {
  private windowStart = 0;
  private sent = 0;
  private held = 0;

  constructor(private readonly limit = 20, private readonly now: () => number = Date.now) {}

  /** Whether to send now, and how many were held back before this one. */
  take(): { send: boolean; suppressed: number } {
    const now = this.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.sent = 0;
    }
    if (this.sent >= this.limit) {
      this.held += 1;
      return { send: false, suppressed: 0 };
    }
    this.sent += 1;
    const suppressed = this.held;
    this.held = 0;
    return { send: true, suppressed };
  }
}
