import { DeviceUnreachableError } from '../../device/errors';
import type { CliChannel } from './channel';

export interface ExpectPattern {
  name: string;
  re: RegExp;
}

export interface ExpectMatch {
  name: string;
  /** Text between the previous match and this one. */
  before: string;
  /** The matched text. */
  text: string;
  groups: Record<string, string>;
}

export interface ExpectOptions {
  /** Give up when the device says nothing more for this long, ms. */
  idle: number;
  /** Give up after this long in all, even while text keeps coming, ms. */
  total?: number;
  /** What we wait for and after what, for the message: `prompt after "STATUS .A1"`. */
  waitingFor: string;
}

interface Waiter {
  patterns: ExpectPattern[];
  resolve(match: ExpectMatch): void;
  reject(error: Error): void;
  options: ExpectOptions;
  idleTimer?: NodeJS.Timeout;
  totalTimer?: NodeJS.Timeout;
}

// CSI sequences (cursor moves, colours, clear screen), two-byte escapes, and controls other than
// tab, CR and LF. Full-screen pages (the Power Control Screen) become plain lines.
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;
const UNFINISHED_ESCAPE = /\x1b(?:\[[0-?]*[ -/]*)?$/;

/**
 * The expect engine: text from the device accumulates, and a waiter names the patterns it
 * expects next; the earliest match wins. Patterns are tested against the raw accumulated text,
 * so a prompt without a line end, or one split over several packets, is still seen.
 */
export class Expecter {
  private buffer = '';
  private pendingEscape = '';
  private recent = '';
  private waiter?: Waiter;
  private closedReason?: string;

  constructor(private readonly channel: CliChannel, private readonly secrets: () => string[] = () => []) {
    channel.on('data', (data: Buffer) => this.receive(data));
    channel.on('close', (reason: string) => {
      this.closedReason = reason;
      const waiter = this.waiter;
      if (waiter) {
        this.finish(waiter);
        waiter.reject(new DeviceUnreachableError(`${reason} while waiting for the ${waiter.options.waitingFor}${this.lastOutputText()}`));
      }
    });
  }

  get closed(): string | undefined {
    return this.closedReason;
  }

  /** Whatever arrived while nobody was waiting; the buffer is emptied. */
  take(): string {
    const text = this.buffer;
    this.buffer = '';
    return text;
  }

  expect(patterns: ExpectPattern[], options: ExpectOptions): Promise<ExpectMatch> {
    if (this.waiter) return Promise.reject(new Error('expect: already waiting'));
    if (this.closedReason) {
      return Promise.reject(new DeviceUnreachableError(`${this.closedReason} before the ${options.waitingFor}${this.lastOutputText()}`));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { patterns, resolve, reject, options };
      this.waiter = waiter;
      if (options.total) {
        waiter.totalTimer = setTimeout(() => this.timeout(waiter, options.total!, 'in all'), options.total);
      }
      this.restartIdle(waiter);
      this.check();
    });
  }

  /** The last thing the device said, for error messages (secrets masked, at most 160 characters). */
  lastOutput(): string {
    let text = this.recent;
    for (const secret of this.secrets()) if (secret) text = text.split(secret).join('***');
    text = text.replace(/\s+/g, ' ').trim();
    return text.length > 160 ? `…${text.slice(-160)}` : text;
  }

  private lastOutputText(): string {
    const last = this.lastOutput();
    return last ? `; last output: "${last}"` : '; the device sent nothing';
  }

  private receive(data: Buffer): void {
    let text = this.pendingEscape + data.toString('latin1');
    const unfinished = UNFINISHED_ESCAPE.exec(text);
    this.pendingEscape = unfinished ? unfinished[0] : '';
    if (unfinished) text = text.slice(0, unfinished.index);
    text = text.replace(ESCAPES, '');
    if (!text) return;
    this.buffer += text;
    this.recent = (this.recent + text).slice(-400);
    // Unsolicited text is kept for take(), but an idle session must not grow without bound.
    if (!this.waiter && this.buffer.length > 65536) this.buffer = this.buffer.slice(-4096);
    if (this.waiter) {
      this.restartIdle(this.waiter);
      this.check();
    }
  }

  private check(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    let best: { pattern: ExpectPattern; match: RegExpExecArray } | undefined;
    for (const pattern of waiter.patterns) {
      pattern.re.lastIndex = 0;
      const match = pattern.re.exec(this.buffer);
      if (match && (!best || match.index < best.match.index)) best = { pattern, match };
    }
    if (!best) return;
    const end = best.match.index + best.match[0].length;
    const before = this.buffer.slice(0, best.match.index);
    this.buffer = this.buffer.slice(end);
    this.finish(waiter);
    waiter.resolve({ name: best.pattern.name, before, text: best.match[0], groups: { ...(best.match.groups ?? {}) } });
  }

  private restartIdle(waiter: Waiter): void {
    if (waiter.idleTimer) clearTimeout(waiter.idleTimer);
    waiter.idleTimer = setTimeout(() => this.timeout(waiter, waiter.options.idle, 'of silence'), waiter.options.idle);
  }

  private timeout(waiter: Waiter, ms: number, how: string): void {
    if (this.waiter !== waiter) return;
    this.finish(waiter);
    waiter.reject(new ExpectTimeout(`no ${waiter.options.waitingFor} from ${this.channel.address} after ${ms} ms ${how}${this.lastOutputText()}`));
  }

  private finish(waiter: Waiter): void {
    if (waiter.idleTimer) clearTimeout(waiter.idleTimer);
    if (waiter.totalTimer) clearTimeout(waiter.totalTimer);
    if (this.waiter === waiter) this.waiter = undefined;
  }
}

/** The device stopped answering mid-dialogue: the session is in an unknown state and is dropped. */
export class ExpectTimeout extends DeviceUnreachableError {
  constructor(message: string) {
    super(message);
    this.name = 'ExpectTimeout';
  }
}
