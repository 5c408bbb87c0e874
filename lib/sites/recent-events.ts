import type { DeviceEvent } from '../types';

/** How long an event heard from a device's nodes is remembered, to know it again by wire. */
const REMEMBER_MS = 10_000;
/** At most this many remembered at once; the oldest go first. */
const LIMIT = 1000;

/**
 * The events a site published as its devices' nodes raised them, remembered briefly, so that
 * the same event arriving again on the node's input (a pdu-status also wired to pdu-site, as
 * flows made before the site heard its nodes by itself are) is published once, not twice.
 * Each event heard matches one arrival by wire at most: a second, equal event is a new one.
 */
export class RecentEvents {
  /** Per event: when each not yet matched copy was heard, oldest first. */
  private readonly heard = new Map<string, number[]>();
  /** Every copy heard, oldest first: what is forgotten next (some may be matched already). */
  private readonly order: Array<{ key: string; at: number }> = [];

  constructor(private readonly now: () => number = Date.now) {}

  heardFromNode(device: string, event: DeviceEvent): void {
    const now = this.now();
    this.forget(now);
    if (this.order.length >= LIMIT) this.forgetFirst();
    const key = eventKey(device, event);
    const times = this.heard.get(key);
    if (times) times.push(now);
    else this.heard.set(key, [now]);
    this.order.push({ key, at: now });
  }

  /** Whether this event, arriving by wire, is one already published (and from now on it is used up). */
  takeWired(device: string, event: DeviceEvent): boolean {
    this.forget(this.now());
    const key = eventKey(device, event);
    const times = this.heard.get(key);
    if (!times) return false;
    times.shift();
    if (times.length === 0) this.heard.delete(key);
    return true;
  }

  /** How many heard copies are still waiting for a match (for tests and bounds). */
  get size(): number {
    let size = 0;
    for (const times of this.heard.values()) size += times.length;
    return size;
  }

  private forget(now: number): void {
    while (this.order.length > 0 && this.order[0].at < now - REMEMBER_MS) this.forgetFirst();
  }

  /** The oldest copy goes (if a match has not taken it already). */
  private forgetFirst(): void {
    const { key, at } = this.order.shift()!;
    const times = this.heard.get(key);
    if (!times || times[0] > at) return;
    times.shift();
    if (times.length === 0) this.heard.delete(key);
  }
}

/** What makes two events the same: everything a site publishes of them. */
function eventKey(device: string, event: DeviceEvent): string {
  return JSON.stringify([device, event.event, event.severity ?? 'info', event.source ?? 'poll', event.text,
    event.outlet?.index ?? null, event.outlet?.name ?? null, event.sensor?.index ?? null, event.sensor?.name ?? null,
    event.value ?? null, event.threshold ?? null]);
}
