import { DeviceCommandError, DeviceConfigError, DeviceUnreachableError } from '../../device/errors';
import { CommandQueue } from '../../device/queue';
import { pattern, type CliDialect } from '../../profiles/cli/dialect';
import type { CliChannel } from './channel';
import { deviceWords } from '../device-words';
import { AnswerTooLong, Expecter, ExpectTimeout, MAX_ANSWER, type ExpectMatch, type ExpectPattern } from './expect';

export interface SessionOptions {
  dialect: CliDialect;
  /** A new, unopened channel for each connection. */
  channel: () => CliChannel;
  username?: string;
  password?: string;
  /** How long the device may stay silent while we wait for its answer, ms. */
  timeout: number;
  /** How long to wait for a login prompt after connecting, ms (the Sentry power manager needs up to 15 s between sessions). */
  loginTimeout: number;
  /** Close our session after this long without commands, ms (shorter than the device's own). */
  idleTime: number;
  /**
   * The longest a command's whole answer may take, pages included, ms, however busily the
   * device talks (default: ten times the timeout, at least a minute: a status page at 300 baud).
   */
  answerTime?: number;
}

/** What a unit of work may do inside a logged-in session. */
export interface SessionIO {
  /** Send a command line and return its output (echo, pagers and prompt removed). */
  command(line: string): Promise<string>;
  /** Send text without a line end (a key on a full-screen page) and wait for one of the patterns. */
  key(text: string, until: ExpectPattern[], waitingFor: string): Promise<ExpectMatch>;
  /** Send a line and wait for one of the patterns (full-screen pages). */
  line(text: string, until: ExpectPattern[], waitingFor: string): Promise<ExpectMatch>;
  readonly prompt: ExpectPattern;
}

type ConnectionListener = (state: 'connected' | 'disconnected', reason?: string) => void;

const WAKE_INTERVAL = 1000;

/**
 * One command-line session at a time per device (the Sentry power manager allows one): opened
 * and logged in on first use, kept open between commands, logged out after an idle time shorter
 * than the device's, and opened again after a drop. Units of work run one after another.
 */
export class CliSession {
  private channel?: CliChannel;
  private expecter?: Expecter;
  private loggedIn = false;
  private working = false;
  /** Prompts seen in the current unit of work. */
  private answers = 0;
  /** We are logging out: the device closing the link is what we asked for. */
  private leaving = false;
  private idleTimer?: NodeJS.Timeout;
  private readonly queue = new CommandQueue();
  private readonly listeners: ConnectionListener[] = [];
  private readonly dialect: CliDialect;
  private readonly re: {
    prompt: RegExp;
    ended?: RegExp;
    username?: RegExp;
    refused?: RegExp;
    pagers: Array<{ re: RegExp; answer: string }>;
  };
  /** The identification the device printed before the first prompt (`power manager Version 2.0a`). */
  banner = '';

  constructor(private readonly options: SessionOptions) {
    const dialect = options.dialect;
    this.dialect = dialect;
    this.re = {
      prompt: pattern(dialect.prompt)!,
      ended: pattern(dialect.sessionEnded),
      username: pattern(dialect.login.username),
      refused: pattern(dialect.refused, 'im'),
      pagers: (dialect.pagers ?? []).map((pager) => ({ re: pattern(pager.prompt)!, answer: pager.answer })),
    };
  }

  get address(): string {
    return this.channel?.address ?? '';
  }

  onConnectionChange(listener: ConnectionListener): void {
    this.listeners.push(listener);
  }

  /** Run a unit of work in the session; a dropped or confused session is closed, to be opened afresh next time. */
  run<T>(work: (io: SessionIO) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      this.stopIdle();
      this.working = true;
      try {
        const kept = Boolean(this.channel && this.loggedIn);
        try {
          return await this.attempt(work);
        } catch (error) {
          // The device ended the kept session (its own idle time ran out) just as we came back:
          // it answered nothing of ours, so nothing was done. Log in again and do it.
          if (!kept || !(error instanceof SessionEndedError) || !error.beforeAnyAnswer) throw error;
          if (!this.channel?.outlivesSession) await this.drop();
          return await this.attempt(work);
        }
      } catch (error) {
        if (error instanceof DeviceUnreachableError || error instanceof DeviceConfigError) await this.drop();
        throw error;
      } finally {
        this.working = false;
        this.startIdle();
      }
    });
  }

  /**
   * Log out and close (the node is closing, or the session was idle). A unit of work still
   * waiting for the device (a command it never answers) must not hold a redeploy until its
   * timeout: the link is cut under it, and it fails as a lost connection (its outcome uncertain).
   */
  close(): Promise<void> {
    this.stopIdle();
    if (this.working) void this.channel?.close();
    return this.queue.run(() => this.logout());
  }

  private async attempt<T>(work: (io: SessionIO) => Promise<T>): Promise<T> {
    const io = await this.ensure();
    this.answers = 0;
    return work(io);
  }

  private async ensure(): Promise<SessionIO> {
    if (this.expecter?.closed) await this.drop();
    if (this.channel && this.loggedIn) {
      // The device may have ended the session while we were idle: on a serial line it then
      // waits at its login prompt on a line that never closed; a network link is closing.
      const unsolicited = this.expecter!.take();
      if (this.re.ended?.test(unsolicited) || (this.re.username && new RegExp(this.re.username.source, 'im').test(unsolicited))) {
        this.loggedIn = false;
        if (!this.channel.outlivesSession) await this.drop();
      }
    }
    const fresh = !this.channel;
    if (fresh) await this.open();
    if (!this.loggedIn) await this.login(fresh);
    return this.io();
  }

  private async open(): Promise<void> {
    const channel = this.options.channel();
    await channel.open(this.options.timeout);
    this.channel = channel;
    this.expecter = new Expecter(channel, () => [this.options.password ?? '']);
    channel.on('close', (reason: string, expected: boolean) => {
      if (this.channel !== channel) return;
      const endedByDevice = this.re.ended?.test(this.expecter?.take() ?? '');
      this.channel = undefined;
      this.loggedIn = false;
      // Errors during work reach the caller; a link lost while idle is news for the status.
      if (!expected && !this.working && !this.leaving && !endedByDevice) {
        for (const listener of this.listeners) listener('disconnected', reason);
      }
    });
  }

  /**
   * Log in. On a line that stayed open (a serial line whose session the device ended) the device
   * may already be showing its banner, woken by our last line: Enter is only pressed after a
   * second of silence, never straight away, or it would answer the username prompt.
   */
  private async login(fresh: boolean): Promise<void> {
    const { dialect, options } = this;
    const address = this.channel!.address;
    const wanted = (name: string, source: string | undefined): ExpectPattern[] => (source ? [{ name, re: pattern(source)! }] : []);
    const patterns: ExpectPattern[] = [
      ...wanted('username', dialect.login.username),
      ...wanted('password', dialect.login.password),
      { name: 'prompt', re: this.re.prompt },
      ...wanted('failed', dialect.login.failed),
      ...wanted('gaveUp', dialect.login.gaveUp),
      ...wanted('timeUp', dialect.login.timeUp),
      ...wanted('busy', dialect.busy),
      ...wanted('ended', dialect.sessionEnded),
    ];
    const deadline = Date.now() + options.loginTimeout;
    const wake = dialect.wake;
    if (wake?.immediately && fresh && !this.channel!.startsByItself) await this.write(wake.text);
    let answered = false;
    let sentUsername = false;
    let sentPassword = false;
    let banner = '';
    for (;;) {
      const remaining = deadline - Date.now();
      const waking = wake && !answered;
      let match: ExpectMatch;
      try {
        // Before the first prompt the whole login wait applies (pressing Enter every second if the
        // dialect says so); once the device answers, it must keep answering within the timeout.
        let idle = remaining;
        if (waking) idle = Math.min(WAKE_INTERVAL, remaining);
        else if (answered) idle = Math.min(options.timeout, remaining);
        match = await this.expecter!.expect(patterns, {
          idle: Math.max(1, idle),
          total: Math.max(1, remaining),
          waitingFor: answered ? 'answer to the login' : 'login prompt',
        });
      } catch (error) {
        if (error instanceof ExpectTimeout && waking && Date.now() < deadline) {
          await this.write(wake.text);
          continue;
        }
        if (error instanceof ExpectTimeout && answered && Date.now() >= deadline) {
          throw new DeviceUnreachableError(`${address} did not finish the login within ${options.loginTimeout} ms${this.lastOutput()}`);
        }
        if (error instanceof ExpectTimeout && !answered) {
          throw new DeviceUnreachableError(`no login prompt from ${address} within ${options.loginTimeout} ms`
            + `${wake ? ' (Enter sent every second)' : ''}${this.lastOutput()}`);
        }
        if (error instanceof DeviceUnreachableError && !answered && !(error instanceof AnswerTooLong)) {
          throw new DeviceUnreachableError(`${error.message} (a device that allows one session closes the link while another is active)`);
        }
        throw error;
      }
      answered = true;
      banner += match.before;
      switch (match.name) {
        case 'username':
          if (sentUsername) throw this.refusedLogin('it asked for the username again');
          if (!options.username) throw new DeviceConfigError(`${address} asks for a username: set one in the device config`);
          sentUsername = true;
          await this.write(options.username + dialect.eol);
          break;
        case 'password':
          if (sentPassword) throw this.refusedLogin('it asked for the password again');
          sentPassword = true;
          await this.write((options.password ?? '') + dialect.eol);
          break;
        case 'prompt':
          this.banner = bannerLine(banner) || this.banner;
          if (dialect.login.command) await this.runCommand(dialect.login.command);
          this.loggedIn = true;
          for (const listener of this.listeners) listener('connected');
          return;
        case 'failed':
          throw this.refusedLogin(deviceWords(match.text));
        case 'gaveUp':
          throw new DeviceConfigError(`${address} ended the session after failed logins: ${deviceWords(match.text)}`);
        case 'busy':
          throw new DeviceUnreachableError(`${address} is busy: ${deviceWords(match.text)} (it allows one session at a time; `
            + 'the next command tries again)');
        case 'timeUp':
          throw new DeviceUnreachableError(`${address} ended the login: ${deviceWords(match.text)}`);
        default:
          // `Session ended` on a line left logged in: the device shows its banner again shortly.
          answered = false;
          sentUsername = false;
          sentPassword = false;
      }
    }
  }

  private refusedLogin(detail: string): DeviceConfigError {
    const user = this.options.username ? ` for user "${this.options.username}"` : '';
    return new DeviceConfigError(`${this.channel?.address} refused the login${user}: ${detail} `
      + '(check the username and password in the device config)');
  }

  private io(): SessionIO {
    const prompt = { name: 'prompt', re: this.re.prompt };
    return {
      prompt,
      command: (line) => this.runCommand(line),
      key: async (text, until, waitingFor) => {
        await this.send(text);
        return this.expectAnswer(until, waitingFor, this.answerDeadline());
      },
      line: async (text, until, waitingFor) => {
        await this.send(text + this.dialect.eol);
        return this.expectAnswer(until, waitingFor, this.answerDeadline());
      },
    };
  }

  private async runCommand(line: string): Promise<string> {
    await this.send(line + this.dialect.eol);
    const patterns: ExpectPattern[] = [
      { name: 'prompt', re: this.re.prompt },
      ...this.re.pagers.map((pager, position) => ({ name: `pager${position}`, re: pager.re })),
    ];
    if (this.re.ended) patterns.push({ name: 'ended', re: this.re.ended });
    // One deadline and one size limit for the whole answer, however many pages it has: a
    // device that pages for ever must not keep us answering it.
    const deadline = this.answerDeadline();
    let output = '';
    for (;;) {
      const match = await this.expectAnswer(patterns, `prompt after "${line}"`, deadline);
      output += match.before;
      if (match.name === 'prompt') {
        this.answers += 1;
        break;
      }
      if (match.name === 'ended') {
        this.loggedIn = false;
        throw new SessionEndedError(`${this.channel?.address} ended the session during "${line}": ${deviceWords(match.text)}`,
          // Nothing before it, not even the echo of our line: the device never read the command.
          this.answers === 0 && !output.trim());
      }
      if (output.length > MAX_ANSWER) {
        throw new DeviceUnreachableError(`${this.channel?.address} kept paging its answer to "${line}" past `
          + `${MAX_ANSWER / 1024} KiB (${output.length} characters): the session is closed`);
      }
      await this.write(this.re.pagers[Number(match.name.slice(5))].answer);
    }
    output = stripEcho(output, line);
    const refusal = this.re.refused?.exec(output);
    if (refusal) throw new DeviceCommandError(`${this.channel?.address} refused "${line}": ${deviceWords(refusal[0], { quoted: false })}`);
    return output;
  }

  private answerDeadline(): number {
    const { timeout, answerTime } = this.options;
    return Date.now() + (answerTime ?? Math.max(60000, timeout * 10));
  }

  private expectAnswer(patterns: ExpectPattern[], waitingFor: string, deadline: number): Promise<ExpectMatch> {
    const total = Math.max(1, deadline - Date.now());
    return this.expecter!.expect(patterns, { idle: this.options.timeout, total, waitingFor });
  }

  /**
   * Send the next thing of a dialogue. Whatever is still unread is stale by now (a second prompt
   * after an extra Enter on a slow line): it must not be taken for the answer to this.
   */
  private send(text: string): Promise<void> {
    this.expecter?.take();
    return this.write(text);
  }

  private write(text: string): Promise<void> {
    if (!this.channel) return Promise.reject(new DeviceUnreachableError('the session is closed'));
    return this.channel.write(text);
  }

  private lastOutput(): string {
    const last = this.expecter?.lastOutput();
    return last ? `; last output: "${last}"` : '; the device sent nothing';
  }

  private async logout(): Promise<void> {
    const channel = this.channel;
    if (!channel) return;
    this.leaving = true;
    try {
      await this.sayGoodbye(channel);
    } finally {
      this.leaving = false;
    }
    await this.drop();
  }

  private async sayGoodbye(channel: CliChannel): Promise<void> {
    if (this.loggedIn && this.dialect.logout) {
      try {
        await channel.write(this.dialect.logout + this.dialect.eol);
        // Give the device a moment to say goodbye (and a serial line to drain) before closing.
        const patterns = [{ name: 'ended', re: this.re.ended ?? /(?!)/ }];
        const wait = Math.min(this.options.timeout, 1000);
        await this.expecter!.expect(patterns, { idle: wait, total: wait, waitingFor: 'end of the session' })
          .catch(() => undefined);
      } catch {
        // Closing anyway.
      }
    }
  }

  /** Close the link without logging out (its state is unknown, or it is gone). */
  private async drop(): Promise<void> {
    const channel = this.channel;
    this.channel = undefined;
    this.expecter = undefined;
    this.loggedIn = false;
    if (channel) await channel.close();
  }

  private startIdle(): void {
    this.stopIdle();
    if (!this.channel) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      this.queue.run(() => this.logout()).catch(() => undefined);
    }, this.options.idleTime);
    this.idleTimer.unref?.();
  }

  private stopIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

/** The device ended the session by itself; `beforeAnyAnswer`: before it answered anything of this unit of work. */
class SessionEndedError extends DeviceUnreachableError {
  constructor(message: string, readonly beforeAnyAnswer: boolean) {
    super(message);
    this.name = 'SessionEndedError';
  }
}

/** The device echoes what we type: drop our own command line from the front of its output. */
function stripEcho(output: string, line: string): string {
  const trimmed = output.replace(/^[\r\n]+/, '');
  if (trimmed.toLowerCase().startsWith(line.toLowerCase())) return trimmed.slice(line.length).replace(/^\r?\n?/, '');
  return output;
}

/** The first line of the banner that names a version, else the first non-empty line. */
function bannerLine(banner: string): string {
  const lines = banner.split(/\r?\n|\r/).map((line) => line.trim()).filter(Boolean);
  return lines.find((line) => /version/i.test(line)) ?? lines[0] ?? '';
}
