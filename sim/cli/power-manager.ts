import type { SimOutlet } from '../model';
import { ConsoleSession, type ConsoleDevice, type LoginTexts } from './console';
import type { TerminalLink } from './terminal';

// The Sentry power manager command line (US 7,099,934): the texts below are the patent's.

export const VERSION = '2.0a';
const PROMPT = 'power manager: ';
const COMMANDS = 'CONNECT LOGIN OFF ON QUIT REBOOT RESYNC SET ADD DEL LIST SHOW STATUS VERS';
const INVALID_PORT = 'Sorry, the port name a user has entered is NOT valid!';
const PAGER = 'Press: N)ext, Q)uit: ';
const MODULE_TEXT = { normal: 'Normal', noResponse: 'No Rspns', onFail: 'OnS Fail', offFail: 'Off Fail' };

export const POWER_MANAGER_TEXTS: LoginTexts = {
  banner: `\r\npower manager Version ${VERSION}\r\n\r\n`,
  username: 'Username: ',
  password: 'Password: ',
  failed: 'Sorry, a username/Password a user has entered is NOT valid!\r\n',
  gaveUp: 'Check the Username/Password and try again later!\r\n',
  timeUp: 'Sorry the time is up. Try again later!\r\n',
  attempts: 3,
  welcome: (device) => `\r\nWelcome to ${device.location}\r\n`,
};

/** `.A1` for port 1, `.B1` for port 5: four ports per board. */
export function absoluteName(number: number): string {
  return `.${String.fromCharCode(65 + Math.floor((number - 1) / 4))}${((number - 1) % 4) + 1}`;
}

export class PowerManagerSession extends ConsoleSession {
  /** Full-screen mode: the Power Control Screen page shown, or the LIST pager position. */
  private page = 0;
  private listing?: { lines: string[][]; position: number };

  constructor(link: TerminalLink, device: ConsoleDevice) {
    super(link, device, POWER_MANAGER_TEXTS);
  }

  protected promptText(): string {
    return PROMPT;
  }

  protected command(line: string): void {
    const [word = '', ...args] = line.trim().split(/\s+/).filter(Boolean);
    const verb = word.toUpperCase();
    const params = line.trim().slice(word.length).trim();
    switch (verb) {
      case '':
        this.link.write(`${COMMANDS}\r\n`);
        break;
      case 'ON':
      case 'OFF':
      case 'REBOOT':
        this.link.write(`${this.switchPorts(verb, params)}\r\n`);
        break;
      case 'STATUS':
        this.link.write(`${this.status(params || 'ALL')}\r\n`);
        break;
      case 'VERS':
        this.link.write(`power manager Version ${VERSION}\r\n`);
        break;
      case 'QUIT':
        this.endSession('Session ended\r\n');
        return;
      case 'LOGIN':
        this.restartLogin();
        return;
      case 'SHOW':
        this.page = this.pageNamed(args[0]);
        this.showScreen();
        return;
      case 'LIST':
        if (!this.user?.admin) {
          this.link.write('Sorry, the LIST command needs the administrative username!\r\n');
          break;
        }
        if (this.list((args[0] ?? '').toUpperCase())) return;
        break;
      default:
        this.link.write(`Sorry, the command a user has entered is NOT valid!\r\n${COMMANDS}\r\n`);
    }
    this.prompt();
  }

  protected key(key: string): void {
    const upper = key.toUpperCase();
    if (this.listing) {
      if (upper === 'N') {
        this.link.write(`${key}\r\n`);
        this.nextListPage();
      } else if (upper === 'Q') {
        this.listing = undefined;
        this.link.write('\r\n');
        this.prompt();
      }
      return;
    }
    // The Power Control Screen.
    const pages = this.pageCount();
    if (upper === 'N') this.page = (this.page + 1) % pages;
    else if (upper === 'P') this.page = (this.page + pages - 1) % pages;
    else if (upper === 'C') {
      this.link.write('\x1b[2J\x1b[H');
      this.prompt();
      return;
    } else if (upper === 'Q') {
      this.endSession('\r\nSession ended\r\n');
      return;
    } else return;
    this.showScreen();
  }

  /** ON/OFF/REBOOT: resolve every name first (an unknown name switches nothing), then act. */
  private switchPorts(verb: string, params: string): string {
    if (params.length > 50) return 'Sorry, the command line is longer than 50 characters!';
    const ports = this.resolve(params);
    if (!ports) return INVALID_PORT;
    let done = 0;
    let locked = 0;
    for (const outlet of ports) {
      if (!this.maySwitch(outlet)) {
        locked += 1;
        continue;
      }
      done += 1;
      if (verb === 'ON') this.device.model.switch(outlet.number, true);
      else if (verb === 'OFF') this.device.model.switch(outlet.number, false);
      // "If the port is already off, it will turn on immediately."
      else if (!outlet.on && !outlet.rebooting) this.device.model.switch(outlet.number, true);
      else this.device.model.reboot(outlet.number);
    }
    const what = { ON: 'turned on', OFF: 'turned off', REBOOT: 'rebooted' }[verb];
    return `${done} port(s) ${what}, ${locked} port(s) locked`;
  }

  private status(params: string): string {
    const ports = this.resolve(params);
    if (!ports) return INVALID_PORT;
    const on = ports.filter((outlet) => outlet.on).length;
    return `${on} port(s) on, ${ports.length - on} port(s) off`;
  }

  /** Port names, group names, absolute names (`.C3`) and ALL, separated by spaces. */
  private resolve(params: string): SimOutlet[] | undefined {
    const outlets = this.device.model.outlets;
    const found = new Map<number, SimOutlet>();
    const names = params.split(/\s+/).filter(Boolean);
    if (names.length === 0) return undefined;
    for (const name of names) {
      const lower = name.toLowerCase();
      const matches = lower === 'all' ? outlets : outlets.filter((outlet) => absoluteName(outlet.number).toLowerCase() === lower
        || outlet.name.toLowerCase() === lower || outlet.group?.toLowerCase() === lower);
      if (matches.length === 0) return undefined;
      for (const outlet of matches) found.set(outlet.number, outlet);
    }
    return [...found.values()];
  }

  private pageCount(): number {
    return Math.max(1, Math.ceil(this.device.model.outlets.length / 4));
  }

  private pageNamed(name: string | undefined): number {
    if (!name) return 0;
    const page = Array.from({ length: this.pageCount() }, (_, i) => i).find((i) => pageName(i).toLowerCase() === name.toLowerCase());
    return page ?? 0;
  }

  /** The Power Control Screen for one board, laid out as the patent shows it. */
  private showScreen(): void {
    this.terminal.mode = { kind: 'key' };
    const model = this.device.model;
    const ports = model.outlets.slice(this.page * 4, this.page * 4 + 4);
    const row = (label: string, values: string[]): string => `${label.padEnd(19)}${values.map((v) => v.padEnd(12)).join('').trimEnd()}\r\n`;
    const field = (text: string, width = 8): string => `[${text.slice(0, width).padEnd(width)}]`;
    const onMark = (outlet: SimOutlet): string => (!outlet.on ? ' ' : this.maySwitch(outlet) ? 'x' : '*');
    const offMark = (outlet: SimOutlet): string => {
      if (outlet.rebooting) return 'r';
      if (outlet.on) return ' ';
      return this.maySwitch(outlet) ? 'x' : '*';
    };
    const header = 'Power Control System (c) Server Technology, Inc.';
    const counter = `${this.page + 1} of ${this.pageCount()}`;
    this.link.write('\x1b[2J\x1b[H'
      + `${header}${counter.padStart(80 - header.length)}\r\n\r\n`
      + `Location: ${field(this.device.location, 16)}\r\n\r\n`
      + row('Port Name:', ports.map((outlet) => field(outlet.name)))
      + row('Control Status:', ports.map((outlet) => `(${onMark(outlet)}) On`))
      + row('', ports.map((outlet) => `(${offMark(outlet)})Off`))
      + row('Module Status:', ports.map((outlet) => MODULE_TEXT[outlet.module]))
      + row('Device Load:', ports.map((outlet) => (outlet.on ? `${model.current(outlet).toFixed(2)}A` : 'Not On')))
      + row('Minimum-On Time:', ports.map(() => '00:00:00'))
      + row('Minimum-Off Time:', ports.map(() => '00:00:00'))
      + row('Shutdown Delay:', ports.map(() => 'Disabled'))
      + row('Wake-Up State:', ports.map(() => 'On'))
      + row('Group:', ports.map((outlet) => field(outlet.group ?? '')))
      + row('Access:', ports.map((outlet) => (this.device.adminOnly.has(outlet.number) ? 'Admn' : 'All')))
      + `\r\nPage: ${field(pageName(this.page))}\r\n`
      + `Temperature: ${model.temperature.toFixed(1)} Deg C.\r\n\r\n`
      + 'Press: C)mnd, E)dit, N)ext, P)revious, Q)uit, Space-Bar to Select');
  }

  /** LIST PORTS / LIST USERS: paged with `Press: N)ext, Q)uit:`. Returns false when there is nothing to page. */
  private list(what: string): boolean {
    const users = this.device.users;
    if (what === 'USERS') {
      this.link.write(users.map((user) => `${user.name} Show command enabled\r\n`).join('') + 'Username List Complete\r\n');
      return false;
    }
    if (what !== 'PORTS') {
      this.link.write('Sorry, use LIST USERS or LIST PORTS!\r\n');
      return false;
    }
    const lines = this.device.model.outlets.map((outlet) => {
      const id = absoluteName(outlet.number);
      const names = users.filter((user) => user.admin || !this.device.adminOnly.has(outlet.number)).map((user) => user.name);
      return [`${id} ${outlet.name} ${outlet.group ?? ''}`.trimEnd(), 'usernames:', names.join(' '), `Username List for ${id} Complete`];
    });
    this.listing = { lines, position: 0 };
    this.nextListPage();
    return true;
  }

  private nextListPage(): void {
    const listing = this.listing!;
    this.link.write(listing.lines[listing.position].map((line) => `${line}\r\n`).join(''));
    listing.position += 1;
    if (listing.position < listing.lines.length) {
      this.terminal.mode = { kind: 'key' };
      this.link.write(PAGER);
      return;
    }
    this.listing = undefined;
    this.link.write('Port List Complete\r\n');
    this.prompt();
  }
}

function pageName(page: number): string {
  return `Board ${String.fromCharCode(65 + page)}`;
}
