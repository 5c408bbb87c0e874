import type { SimModel, SimOutlet } from '../model';
import { LineDiscipline, type TerminalLink } from './terminal';

export interface SimUser {
  name: string;
  password: string;
  admin?: boolean;
}

/** The Sentry power manager's built-in users: the administrator and two general users. */
export const BUILT_IN_USERS: SimUser[] = [
  { name: 'admn', password: 'admn', admin: true },
  { name: 'gen1', password: 'gen1' },
  { name: 'gen2', password: 'gen2' },
];

/**
 * Faults a test can switch on: a command matching `hang` is never answered; `drop` breaks the
 * link; `endBeforeNextInput`: the idle timer runs out just as the next input arrives (the input
 * then finds the device between sessions); `quotePassword`: the failed-login message quotes the
 * password that was typed (firmware that echoes what it refused); `answer`: a command gets this
 * text (then the prompt) for its answer; `babble`: a device that talks and talks and never shows
 * a prompt.
 */
export interface ConsoleFaults {
  hang?: RegExp;
  drop?: RegExp;
  endBeforeNextInput?: boolean;
  quotePassword?: boolean;
  answer?: { command: RegExp; text: string };
  babble?: Babble;
}

/**
 * Endless output instead of an answer to a command matching `at` (`login`: instead of the
 * banner), for `ms` and then silence: `text` over and over, `chunk` characters at a time, every
 * `every` ms (0: as fast as the link takes it).
 */
export interface Babble {
  at: RegExp | 'login';
  ms: number;
  chunk: number;
  every: number;
  text?: string;
}

const BABBLE_TEXT = 'Port .A1 load 0.35 A, Port .A2 load 0.60 A, Board A temperature 27 Deg C\r\n';
/** Output queued on the link beyond which babbling waits: the device talks as fast as it is heard. */
const BABBLE_BACKLOG = 65536;

/** What every session of one simulated console shares: the hardware, users, timers, counters. */
export interface ConsoleDevice {
  model: SimModel;
  users: SimUser[];
  location: string;
  /** Ends an idle session, ms (the Sentry power manager: 5 minutes). */
  idleTimeout: number;
  /** Time allowed to answer a login prompt, ms (the Sentry power manager: 60 s). */
  promptTimeout: number;
  /** After a session ends, the next can start this much later, ms (the Sentry power manager: 7-15 s). */
  sessionGap: number;
  gapUntil: number;
  /** Ports only the administrator may switch (the Access field set to Admn). */
  adminOnly: Set<number>;
  faults: ConsoleFaults;
  /** The session that holds the device (one at a time). */
  active?: ConsoleSession;
  stats: { logins: number; failedLogins: number; sessionsEnded: number; commands: string[] };
}

export interface LoginTexts {
  banner: string;
  username: string;
  password: string;
  failed: string;
  gaveUp?: string;
  timeUp?: string;
  attempts: number;
  welcome(device: ConsoleDevice): string;
}

/**
 * One session on a simulated console: login with the device's prompts and messages, idle and
 * prompt timers, then commands handed to the personality (power manager or Switched CDU).
 */
export abstract class ConsoleSession {
  protected readonly terminal: LineDiscipline;
  protected user?: SimUser;
  private stage: 'username' | 'password' | 'session' = 'username';
  private username = '';
  private failures = 0;
  private idleTimer?: NodeJS.Timeout;
  private promptTimer?: NodeJS.Timeout;
  private babbleTimer?: NodeJS.Timeout;
  private ended = false;

  constructor(protected readonly link: TerminalLink, protected readonly device: ConsoleDevice, private readonly texts: LoginTexts) {
    this.terminal = new LineDiscipline(link, {
      wake: () => this.wake(),
      line: (text) => this.onLine(text),
      key: (key) => this.onKey(key),
    });
  }

  /** True from the banner until the session ends: the device is held. */
  get holding(): boolean {
    return this.terminal.mode.kind !== 'wake' && !this.ended;
  }

  input(text: string): void {
    if (this.ended) return;
    if (this.user && this.device.faults.endBeforeNextInput) {
      this.device.faults.endBeforeNextInput = false;
      this.endSession('\r\nSession ended\r\n');
      if (this.ended) return;
    }
    this.touch();
    this.terminal.input(text);
  }

  /** The carriage return that starts a session (ignored while the device reinitializes). */
  wake(): void {
    if (Date.now() < this.device.gapUntil) return;
    if (this.device.active && this.device.active !== this && this.device.active.holding) {
      this.link.write('\r\nSorry, another session is active. Try again later!\r\n');
      return;
    }
    this.device.active = this;
    if (this.device.faults.babble?.at === 'login') {
      this.babble(this.device.faults.babble);
      return;
    }
    this.restartLogin();
  }

  /** The banner and a fresh login (also the LOGIN command: log in as someone else). */
  protected restartLogin(): void {
    this.stopTimers();
    this.failures = 0;
    this.user = undefined;
    this.link.write(this.texts.banner);
    this.askUsername();
  }

  /**
   * A session whose user the link already authenticated (a device whose SSH login is its CLI
   * login): no banner or prompts, straight to the welcome and the command prompt.
   */
  startAs(name: string): void {
    const user = this.device.users.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
    if (!user) throw new Error(`no user "${name}" on the simulated console`);
    this.device.active = this;
    this.enter(user);
  }

  private enter(user: SimUser): void {
    this.stopPromptTimer();
    this.user = user;
    this.stage = 'session';
    this.device.stats.logins += 1;
    this.touch();
    this.link.write(this.texts.welcome(this.device));
    this.prompt();
  }

  /** The link went away (TCP closed, serial port gone). */
  detach(): void {
    this.stopTimers();
    this.ended = true;
    if (this.device.active === this) {
      this.device.active = undefined;
      if (this.user) this.device.gapUntil = Date.now() + this.device.sessionGap;
    }
  }

  stop(): void {
    this.stopTimers();
  }

  protected abstract command(line: string): void;
  protected abstract key(key: string): void;

  protected prompt(): void {
    this.terminal.mode = { kind: 'line', echo: true };
    this.link.write(this.promptText());
  }

  protected abstract promptText(): string;

  /** End the session with the device's message. */
  protected endSession(message: string): void {
    this.stopTimers();
    this.link.write(message);
    this.device.stats.sessionsEnded += 1;
    this.user = undefined;
    if (this.device.active === this) this.device.active = undefined;
    this.device.gapUntil = Date.now() + this.device.sessionGap;
    this.terminal.reset();
    this.terminal.mode = { kind: 'wake' };
    if (this.link.kind === 'tcp') this.ended = true;
    this.link.end();
  }

  private askUsername(): void {
    this.stage = 'username';
    this.terminal.mode = { kind: 'line', echo: true };
    this.link.write(this.texts.username);
    this.startPromptTimer();
  }

  private onLine(text: string): void {
    if (this.stage === 'username') {
      this.username = text.trim();
      this.stage = 'password';
      this.terminal.mode = { kind: 'line', echo: false };
      this.link.write(this.texts.password);
      this.startPromptTimer();
      return;
    }
    if (this.stage === 'password') {
      this.checkLogin(this.username, text);
      return;
    }
    this.device.stats.commands.push(text);
    if (this.device.faults.hang?.test(text)) {
      this.terminal.mode = { kind: 'ignore' };
      return;
    }
    if (this.device.faults.drop?.test(text)) {
      this.link.drop();
      return;
    }
    const { answer, babble } = this.device.faults;
    if (answer?.command.test(text)) {
      this.link.write(answer.text);
      this.prompt();
      return;
    }
    if (babble && babble.at !== 'login' && babble.at.test(text)) {
      this.babble(babble);
      return;
    }
    this.command(text);
  }

  private babble(fault: Babble): void {
    this.stopTimers();
    this.terminal.mode = { kind: 'ignore' };
    const text = fault.text ?? BABBLE_TEXT;
    const until = Date.now() + fault.ms;
    let position = 0;
    const next = (): void => {
      this.babbleTimer = undefined;
      if (this.ended || Date.now() >= until) return;
      if (this.link.backlog() < BABBLE_BACKLOG) {
        let piece = '';
        while (piece.length < fault.chunk) {
          const part = text.slice(position, position + fault.chunk - piece.length);
          piece += part;
          position = (position + part.length) % text.length;
        }
        this.link.write(piece);
      }
      this.babbleTimer = setTimeout(next, fault.every);
    };
    next();
  }

  private onKey(key: string): void {
    this.key(key);
  }

  private checkLogin(name: string, password: string): void {
    this.stopPromptTimer();
    // Usernames are not case sensitive; passwords are.
    const user = this.device.users.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase()
      && candidate.password === password);
    if (user) {
      this.enter(user);
      return;
    }
    this.device.stats.failedLogins += 1;
    this.failures += 1;
    this.link.write(this.device.faults.quotePassword
      ? this.texts.failed.replace(/Password/, `Password "${password}"`) : this.texts.failed);
    if (this.failures >= this.texts.attempts) {
      this.endSession(`${this.texts.gaveUp ?? ''}Session ended\r\n`);
      return;
    }
    this.askUsername();
  }

  private startPromptTimer(): void {
    this.stopPromptTimer();
    this.promptTimer = setTimeout(() => {
      this.endSession(`\r\n${this.texts.timeUp ?? ''}Session ended\r\n`);
    }, this.device.promptTimeout);
    this.promptTimer.unref();
  }

  private stopPromptTimer(): void {
    if (this.promptTimer) clearTimeout(this.promptTimer);
    this.promptTimer = undefined;
  }

  /** Any input restarts the idle timer of a logged-in session. */
  private touch(): void {
    if (!this.user) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.endSession('\r\nSession ended\r\n'), this.device.idleTimeout);
    this.idleTimer.unref();
  }

  private stopTimers(): void {
    this.stopPromptTimer();
    if (this.babbleTimer) clearTimeout(this.babbleTimer);
    this.babbleTimer = undefined;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** Whether this user may switch the port (locked ports and the Access field say no). */
  protected maySwitch(outlet: SimOutlet): boolean {
    if (outlet.locked) return false;
    return !this.device.adminOnly.has(outlet.number) || Boolean(this.user?.admin);
  }
}
