import type { ModuleStatus } from '../../types';

// The shape of a command-line dialect: everything the CLI transport knows about one family of
// power managers, as data. Patterns are regular-expression sources (strings) so that a dialect
// can also come from the pdu-config editor; they are matched on the cleaned text stream (telnet
// options and ANSI escapes removed), never line by line, because prompts have no line end.

export interface CliDialect {
  id: string;
  vendor: string;
  model: string;
  /** Sent after every command line. */
  eol: string;
  /**
   * Sent while the device stays silent after connect, every second until it shows a prompt: the
   * Sentry power manager detects the line speed from a carriage return and only then shows its
   * banner (`immediately`: do not wait the first second).
   */
  wake?: { text: string; immediately?: boolean };
  login: {
    /** The username prompt (`Username:`). */
    username?: string;
    password?: string;
    /** A command that opens the session once the prompt is there (vpcd's `login`). */
    command?: string;
    /** The device refused the username or password (it may ask again; we do not). */
    failed?: string;
    /** The device gave up after its attempts and ends the session. */
    gaveUp?: string;
    /** The device waited too long for an answer to a login prompt. */
    timeUp?: string;
  };
  /** The command prompt, anchored at the end of what arrived (`power manager: $`). */
  prompt: string;
  /** Listing pagers and the key that shows the next page (sent without a line end). */
  pagers?: Array<{ prompt: string; answer: string }>;
  /** The device ended the session by itself (idle timeout, QUIT). */
  sessionEnded?: string;
  /** The device refuses a session because another one is active. */
  busy?: string;
  /** An answer that means the device refused a command (a line is taken as the message). */
  refused?: string;
  /** Ends the session politely. */
  logout?: string;
  /** The device's own idle timeout, s: our sessions close before it. */
  deviceIdle?: number;
  /** How to find the outlets. */
  outlets: OutletListing;
  status: StatusQuery;
  switch: SwitchCommands;
  /** A full-screen status page (the Sentry power manager's Power Control Screen): names, groups, locks, readings. */
  screen?: ScreenSpec;
}

export type OutletListing =
  /** The status listing names every outlet. */
  | { from: 'status' }
  /**
   * The device only says how many ports it has (the Sentry power manager's `STATUS ALL` answers `n port(s) on,
   * m port(s) off`); ids follow its boards: `.A1`-`.A4`, `.B1` ...
   */
  | { from: 'count'; command: string; perBoard: number; prefix: string };

export interface StatusQuery {
  /** Lists every outlet, one line each (`stat *`, `status`). */
  all?: string;
  /** Asks about one outlet: `{outlet}` is its key. With `count`, several: `{outlets}`. */
  some?: string;
  /** One line per outlet: named groups `id`, `state`, and optionally `name`. */
  line?: string;
  /** Or the answer is counts: named groups `on` and `off` (the Sentry power manager's STATUS). */
  count?: string;
  /** State words (case-insensitive regex sources). */
  on: string;
  off: string;
  /** Outlet numbers: position in the listing (1-based), or the id itself (vpcd's plugs 0-15). */
  number: 'position' | 'id';
}

export interface SwitchCommands {
  /** Command templates: `{outlet}` (one outlet per command) or `{outlets}` (a batch). */
  on: string;
  off: string;
  /** The device's own reboot (it keeps the outlet off for its own delay). */
  reboot?: string;
  /** Several outlets in one command, joined by `separator`, up to `maxLength` characters. */
  batch?: { separator: string; maxLength: number };
  /** The answer in counts: named groups `done` and `locked` (`n port(s) turned on, m port(s) locked`). */
  answer?: string;
  /** For one-outlet commands: an answer matching this means the outlet is locked on the device. */
  locked?: string;
}

export interface ScreenSpec {
  command: string;
  /** The key-help line that ends every page (no line end). */
  end: string;
  /** `1 of 2`: named groups `page` and `pages`. */
  pages: string;
  /** Keys (sent without a line end): next page, and back to the command prompt. */
  next: string;
  exit: string;
  portsPerPage: number;
  /** Field labels as the screen prints them. */
  labels: {
    name: string;
    control: string;
    module: string;
    load: string;
    group: string;
    page: string;
    temperature: string;
  };
  /** Module status words -> our names. */
  module: Record<string, ModuleStatus>;
}

/** A dialect pattern as a RegExp; case-insensitive, as the devices are. */
export function pattern(source: string | undefined, flags = 'i'): RegExp | undefined {
  return source ? new RegExp(source, flags) : undefined;
}
