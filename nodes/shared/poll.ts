import type { Node, NodeMessage } from 'node-red';
import type { Texts } from './texts';

/** How often a device that stays unreachable is mentioned again in the log. */
export const REMINDER_MS = 5 * 60 * 1000;

/**
 * Run `poll` every `seconds` (and once at once), never two at a time: a device slower than the
 * interval skips a turn rather than piling polls up. Returns the stop function for close.
 */
export function everySeconds(seconds: number, poll: () => Promise<void>): () => void {
  if (!(seconds > 0)) return () => undefined;
  let running = false;
  let stopped = false;
  const tick = (): void => {
    if (running || stopped) return;
    running = true;
    poll().catch(() => undefined).then(() => { running = false; });
  };
  const timer = setInterval(tick, seconds * 1000);
  const first = setImmediate(tick);
  return () => {
    stopped = true;
    clearInterval(timer);
    clearImmediate(first);
  };
}

export interface FailureReporterOptions {
  node: Node;
  texts: Texts;
  /** What the node reads, for the log lines. */
  device: () => string;
  /** Every failed poll goes to Catch, not only the first of a run (the node's checkbox). */
  everyFailure: boolean;
  remindEveryMs?: number;
  now?: () => number;
}

/**
 * What a run of failed polls reports, so a dead device does not flood the log, Catch and the
 * debug sidebar: the first failure goes to Catch (node.error with a message); while it lasts, a
 * reminder line at most every few minutes; its end, one line. With `everyFailure` each failed
 * poll goes to Catch.
 */
export class FailureReporter {
  private since?: number;
  private failures = 0;
  private remindedAt = 0;

  constructor(private readonly options: FailureReporterOptions) {}

  get failing(): boolean {
    return this.since !== undefined;
  }

  failed(error: Error): void {
    const { node, texts, device } = this.options;
    const now = this.now();
    this.failures += 1;
    const first = this.since === undefined;
    if (first) {
      this.since = now;
      this.remindedAt = now;
    }
    if (first || this.options.everyFailure) {
      node.error(error, { topic: device(), payload: error.message } as NodeMessage);
      return;
    }
    if (now - this.remindedAt >= (this.options.remindEveryMs ?? REMINDER_MS)) {
      this.remindedAt = now;
      node.warn(texts('poll.still', {
        device: device(), count: this.failures, minutes: Math.round((now - this.since!) / 60000), error: error.message,
      }));
    }
  }

  succeeded(): void {
    if (this.since === undefined) return;
    const { node, texts, device } = this.options;
    node.log(texts('poll.back', { device: device(), count: this.failures, seconds: Math.round((this.now() - this.since) / 1000) }));
    this.since = undefined;
    this.failures = 0;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
