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
  /**
   * Give up after this long in all, ms, even while text keeps coming: a device that trickles
   * a byte now and then would otherwise restart the idle wait for ever.
   */
  total: number;
  /** What we wait for and after what, for the message: `prompt after "STATUS .A1"`. */
  waitingFor: string;
}

/**
 * The most text one answer may be (before the pattern that ends it): far more than any listing
 * or status page, little enough that a device that never stops talking cannot fill the memory.
 */
export const MAX_ANSWER = 1024 * 1024;
/**
 * The longest text one pattern is expected to match (a prompt, a pager, a login message): new
 * text is searched together with this much of what came before it, never the whole answer again.
 */
export const PATTERN_SPAN = 512;
/**
 * New text is searched this much at a time. A pattern such as `[^\r\n]*busy` costs the square
 * of the text it is run on when no line end comes: short pieces keep that small.
 */
const SEARCH_STEP = 512;
/**
 * Searching stops after this long and goes on at the next turn of the event loop, so that even
 * such a pattern on a flood of text never holds up the rest of Node-RED, ms.
 */
const SEARCH_SLICE = 10;
/** Unsolicited text kept for take() while nobody waits, and how much of it survives a trim. */
const UNSOLICITED_MAX = 65536;
const UNSOLICITED_KEEP = 4096;

interface Waiter {
  patterns: ExpectPattern[];
  /** The patterns with the `g` flag, so that a search can start in the middle of the text. */
  searches: RegExp[];
  resolve(match: ExpectMatch): void;
  reject(error: Error): void;
  options: ExpectOptions;
  idleTimer?: NodeJS.Timeout;
  totalTimer?: NodeJS.Timeout;
}

interface Found {
  pattern: ExpectPattern;
  match: RegExpExecArray;
}

// CSI sequences (cursor moves, colours, clear screen), two-byte escapes, and controls other than
// tab, CR and LF. Full-screen pages (the Power Control Screen) become plain lines.
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;
const UNFINISHED_ESCAPE = /\x1b(?:\[[0-?]*[ -/]*)?$/;

/**
 * The expect engine: text from the device accumulates, and a waiter names the patterns it
 * expects next; the earliest match wins. Patterns are tested against the raw accumulated text,
 * so a prompt without a line end, or one split over several packets, is still seen. Each piece
 * of text is searched once (with a little of what came before it), and an answer is bounded.
 */
export class Expecter {
  /** The text not yet taken by a match or take(), in the pieces it came in. */
  private pieces: string[] = [];
  private size = 0;
  /** The waiter's search: the end of what it searched, and what it has not searched yet. */
  private searchedTail = '';
  private unsearched = '';
  /** The search goes on at the next turn of the event loop. */
  private resume?: NodeJS.Immediate;
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
    const text = this.pieces.join('');
    this.pieces = [];
    this.size = 0;
    return text;
  }

  expect(patterns: ExpectPattern[], options: ExpectOptions): Promise<ExpectMatch> {
    if (this.waiter) return Promise.reject(new Error('expect: already waiting'));
    if (this.closedReason) {
      return Promise.reject(new DeviceUnreachableError(`${this.closedReason} before the ${options.waitingFor}${this.lastOutputText()}`));
    }
    return new Promise((resolve, reject) => {
      const searches = patterns.map((p) => new RegExp(p.re.source, p.re.flags.includes('g') ? p.re.flags : `${p.re.flags}g`));
      const waiter: Waiter = { patterns, searches, resolve, reject, options };
      this.waiter = waiter;
      waiter.totalTimer = setTimeout(() => this.timeout(waiter, options.total, 'in all'), Math.max(1, options.total));
      this.restartIdle(waiter);
      this.searchedTail = '';
      this.unsearched = this.take();
      this.pieces = this.unsearched ? [this.unsearched] : [];
      this.size = this.unsearched.length;
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
    this.pieces.push(text);
    this.size += text.length;
    this.recent = (this.recent + text.slice(-400)).slice(-400);
    const waiter = this.waiter;
    if (!waiter) {
      // Unsolicited text is kept for take(), but an idle session must not grow without bound.
      if (this.size > UNSOLICITED_MAX) this.keepLast(UNSOLICITED_KEEP);
      return;
    }
    this.unsearched += text;
    this.restartIdle(waiter);
    // A search put off to the next turn takes this text along: several chunks read in one turn
    // must not each get a slice of time.
    if (!this.resume) this.check();
    if (this.waiter === waiter && this.size > MAX_ANSWER) this.tooLong(waiter);
  }

  /**
   * Search what came since the last search, piece by piece, each with the PATTERN_SPAN before
   * and after it. A short match that ends where a piece's search stops may want the text after
   * it (`$`, a lookahead): it counts only if that is the end of what has arrived, else the next
   * piece, which starts before it, finds it again. A long one is a greedy `[^\r\n]*` on a long
   * line, which no more text would make a prompt.
   */
  private check(): void {
    const waiter = this.waiter;
    if (this.resume) clearImmediate(this.resume);
    this.resume = undefined;
    if (!waiter || !this.unsearched) return;
    const stop = Date.now() + SEARCH_SLICE;
    const text = this.searchedTail + this.unsearched;
    const offset = this.size - text.length;
    // The tail kept is one character longer than the span, so that `^` (the start of the
    // answer) cannot match at the start of the text searched again.
    const earliestStart = offset > 0 ? 1 : 0;
    for (let from = this.searchedTail.length; from < text.length; from += SEARCH_STEP) {
      const end = Math.min(text.length, from + SEARCH_STEP + PATTERN_SPAN);
      const found = this.earliest(waiter, text.slice(0, end), Math.max(earliestStart, from - PATTERN_SPAN));
      const length = found?.match[0].length ?? 0;
      if (found && (end === text.length || found.match.index + length < end || length > PATTERN_SPAN)) {
        this.matched(waiter, found, offset);
        return;
      }
      if (end === text.length) break;
      if (Date.now() >= stop) {
        const next = from + SEARCH_STEP;
        this.searchedTail = text.slice(Math.max(0, next - PATTERN_SPAN - 1), next);
        this.unsearched = text.slice(next);
        this.resume = setImmediate(() => this.check());
        return;
      }
    }
    this.searchedTail = text.slice(-(PATTERN_SPAN + 1));
    this.unsearched = '';
  }

  private earliest(waiter: Waiter, text: string, start: number): Found | undefined {
    let best: Found | undefined;
    waiter.searches.forEach((search, position) => {
      search.lastIndex = start;
      const match = search.exec(text);
      if (match && (!best || match.index < best.match.index)) best = { pattern: waiter.patterns[position], match };
    });
    return best;
  }

  private matched(waiter: Waiter, found: Found, offset: number): void {
    const all = this.take();
    const at = offset + found.match.index;
    const rest = all.slice(at + found.match[0].length);
    this.pieces = rest ? [rest] : [];
    this.size = rest.length;
    this.finish(waiter);
    waiter.resolve({
      name: found.pattern.name, before: all.slice(0, at), text: found.match[0], groups: { ...(found.match.groups ?? {}) },
    });
  }

  /** The answer outgrew MAX_ANSWER with no end in sight: the dialogue is lost, the session is dropped. */
  private tooLong(waiter: Waiter): void {
    const size = this.size;
    this.keepLast(UNSOLICITED_KEEP);
    this.finish(waiter);
    waiter.reject(new AnswerTooLong(`${this.channel.address} sent more than ${MAX_ANSWER / 1024} KiB (${size} characters) `
      + `without the ${waiter.options.waitingFor}: the session is closed${this.lastOutputText()}`));
  }

  private keepLast(count: number): void {
    const text = this.take().slice(-count);
    this.pieces = [text];
    this.size = text.length;
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
    if (this.resume) clearImmediate(this.resume);
    this.resume = undefined;
    this.searchedTail = '';
    this.unsearched = '';
  }
}

/** The device stopped answering mid-dialogue: the session is in an unknown state and is dropped. */
export class ExpectTimeout extends DeviceUnreachableError {
  constructor(message: string) {
    super(message);
    this.name = 'ExpectTimeout';
  }
}

/** The device kept talking past any sensible answer: the session is dropped as well. */
export class AnswerTooLong extends DeviceUnreachableError {
  constructor(message: string) {
    super(message);
    this.name = 'AnswerTooLong';
  }
}
