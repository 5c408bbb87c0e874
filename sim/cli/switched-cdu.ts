import type { SimOutlet } from '../model';
import { ConsoleSession, type ConsoleDevice, type LoginTexts } from './console';
import type { TerminalLink } from './terminal';

// A ServerTech Switched CDU 6.x command line, as PowerMan's sentry_cdu.dev expects it: outlets
// `.AA1`-`.AA8`, `.AB1` ... (tower A, infeeds A, B, C; eight outlets each), `status` paged with
// `More (Y/es N/o):` after sixteen outlets.

const PROMPT = 'Switched CDU: ';
const PAGE_LINES = 16;

export const SWITCHED_CDU_TEXTS: LoginTexts = {
  banner: '\r\nSentry Switched CDU Version 6.0r\r\n\r\n',
  username: 'Username: ',
  password: 'Password: ',
  failed: '\r\nAccess denied\r\n\r\n',
  attempts: 3,
  welcome: (device) => `\r\nLocation: ${device.location}\r\n`,
};

export function cduId(number: number): string {
  return `.A${String.fromCharCode(65 + Math.floor((number - 1) / 8))}${((number - 1) % 8) + 1}`;
}

export class SwitchedCduSession extends ConsoleSession {
  private paging?: { lines: string[]; position: number };

  constructor(link: TerminalLink, device: ConsoleDevice) {
    super(link, device, SWITCHED_CDU_TEXTS);
  }

  protected promptText(): string {
    return `\r\n${PROMPT}`;
  }

  protected command(line: string): void {
    const [word = '', target = ''] = line.trim().split(/\s+/);
    switch (word.toLowerCase()) {
      case '':
        break;
      case 'status':
        this.status(target || 'all');
        return;
      case 'on':
      case 'off':
      case 'reboot':
        this.switchOutlets(word.toLowerCase(), target);
        break;
      case 'logout':
      case 'quit':
      case 'exit':
        this.endSession('\r\nSession ended\r\n');
        return;
      default:
        this.link.write(`\r\n   Invalid command: ${word}\r\n`);
    }
    this.prompt();
  }

  protected key(key: string): void {
    if (!this.paging) return;
    this.link.write(`${key}\r\n\r\n`);
    if (key.toLowerCase() === 'y') this.nextPage();
    else {
      this.paging = undefined;
      this.prompt();
    }
  }

  private resolve(target: string): SimOutlet[] | undefined {
    const outlets = this.device.model.outlets;
    const lower = target.toLowerCase();
    if (lower === 'all') return outlets;
    const found = outlets.filter((outlet) => cduId(outlet.number).toLowerCase() === lower || outlet.name.toLowerCase() === lower);
    return found.length ? found : undefined;
  }

  private status(target: string): void {
    const outlets = this.resolve(target);
    if (!outlets) {
      this.link.write(`\r\n   Invalid outlet: ${target}\r\n`);
      this.prompt();
      return;
    }
    const lines = outlets.map((outlet) => {
      const state = outlet.on ? 'On' : 'Off';
      const control = outlet.locked ? `Locked ${state}` : outlet.rebooting ? 'Reboot' : state;
      return `   ${cduId(outlet.number).padEnd(8)}${outlet.name.padEnd(22)}${state.padEnd(10)}${control}`;
    });
    this.link.write('\r\n\r\n   Outlet                                  Control\r\n   ID      Name                  Status    State\r\n\r\n');
    this.paging = { lines, position: 0 };
    this.nextPage();
  }

  private nextPage(): void {
    const paging = this.paging!;
    const page = paging.lines.slice(paging.position, paging.position + PAGE_LINES);
    paging.position += page.length;
    this.link.write(page.map((line) => `${line}\r\n`).join(''));
    if (paging.position < paging.lines.length) {
      this.terminal.mode = { kind: 'key' };
      this.link.write('\r\n   More (Y/es N/o): ');
      return;
    }
    this.paging = undefined;
    this.link.write('\r\n   Command successful\r\n');
    this.prompt();
  }

  private switchOutlets(action: string, target: string): void {
    const outlets = this.resolve(target);
    if (!outlets) {
      this.link.write(`\r\n   Invalid outlet: ${target}\r\n`);
      return;
    }
    const locked = outlets.filter((outlet) => !this.maySwitch(outlet));
    if (locked.length) {
      this.link.write(`\r\n   Outlet ${locked.map((outlet) => cduId(outlet.number)).join(', ')} is locked\r\n`);
      return;
    }
    for (const outlet of outlets) {
      if (action === 'reboot') this.device.model.reboot(outlet.number);
      else this.device.model.switch(outlet.number, action === 'on');
    }
    this.link.write('\r\n   Command successful\r\n');
  }
}
