import type { DeviceDriver, DriverOptions } from '../../device/driver';
import { DeviceCommandError, DeviceConfigError } from '../../device/errors';
import { pattern, type CliDialect } from '../../profiles/cli/dialect';
import { deviceWords } from '../device-words';
import type {
  CommandReport, DeviceDescription, OutletInfo, OutletReading, OutletState, PowerAction, SensorReading, Snapshot,
} from '../../types';
import type { CliChannel } from './channel';
import { parseScreenPage, type ScreenPage } from './screen';
import { SerialChannel } from './serial';
import { CliSession, type SessionIO } from './session';
import type { CliSettings, SerialSettings, SshSettings } from './settings';
import { SshChannel, type HostKeyTrust } from './ssh';
import { TelnetChannel } from './telnet';

/**
 * A power manager's command line over Telnet, SSH or a serial line, driven by a dialect (data in
 * lib/profiles/cli). It only sends commands and reads answers: the Device decides what may be
 * switched. Outlets locked on the device come back in `lockedByDevice`.
 */
export class CliDriver implements DeviceDriver {
  readonly transport: 'telnet' | 'serial' | 'ssh';
  readonly address: string;
  /** Over SSH: the host key trusted for the life of this driver (pinned, or learned on first use). */
  private readonly hostKey?: HostKeyTrust;
  private readonly dialect: CliDialect;
  private readonly session: CliSession;
  /** The device refused its status screen (a user without SHOW rights): use the plain commands. */
  private screenRefused = false;

  constructor(options: DriverOptions<CliSettings | SerialSettings | SshSettings>) {
    const settings = options.settings;
    this.dialect = settings.dialect;
    const loginTimeout = Math.max(options.timeout, settings.loginSeconds * 1000);
    let channel: () => CliChannel;
    if ('ssh' in settings) {
      this.transport = 'ssh';
      const port = options.port || 22;
      const trust: HostKeyTrust = { expected: settings.ssh.hostKey, pinned: Boolean(settings.ssh.hostKey) };
      this.hostKey = trust;
      const { username, password, privateKey, passphrase } = options.credentials;
      channel = () => new SshChannel(options.host, port, { username, password, privateKey, passphrase }, trust, loginTimeout);
      this.address = `${options.host}:${port}`;
    } else if ('path' in settings) {
      this.transport = 'serial';
      const line = { path: settings.path, baudRate: settings.baudRate, dtr: settings.dtr };
      channel = () => new SerialChannel(line);
      this.address = line.path;
    } else {
      this.transport = 'telnet';
      const port = options.port || 2001;
      channel = () => new TelnetChannel(options.host, port);
      this.address = `${options.host}:${port}`;
    }
    this.session = new CliSession({
      dialect: this.dialect,
      channel,
      username: options.credentials.username,
      password: options.credentials.password,
      timeout: options.timeout,
      loginTimeout,
      idleTime: settings.idleSeconds * 1000,
    });
  }

  describe(): Promise<DeviceDescription> {
    const dialect = this.dialect;
    return this.session.run(async (io) => {
      const outlets = dialect.outlets.from === 'count' ? await this.countedOutlets(io) : await this.listedOutlets(io);
      const pages = await this.screen(io);
      if (pages) {
        ports(pages).forEach((port, position) => {
          const outlet = outlets[position];
          if (!outlet) return;
          outlet.name = port.name || outlet.name;
          outlet.groups = port.group ? [port.group] : [];
        });
      }
      return {
        vendor: dialect.vendor,
        model: dialect.model,
        profile: dialect.id,
        outlets,
        info: this.session.banner || undefined,
        ...(this.hostKey?.seen ? { hostKey: { fingerprint: this.hostKey.seen, pinned: this.hostKey.pinned } } : {}),
        capabilities: {
          switch: true,
          nativeReboot: Boolean(dialect.switch.reboot),
          outletCurrent: Boolean(pages),
          outletPower: false,
          moduleStatus: Boolean(pages),
          inputCurrent: false,
          temperature: Boolean(pages?.some((page) => page.temperature !== undefined)),
          humidity: false,
        },
      };
    });
  }

  read(description: DeviceDescription): Promise<Snapshot> {
    return this.session.run(async (io) => {
      const pages = await this.screen(io);
      if (pages) return this.screenSnapshot(description, pages);
      const states = await this.states(io, description, description.outlets);
      return {
        outlets: description.outlets.map((outlet) => reading(outlet, states.get(outlet.index) ?? 'unknown')),
        inputs: [],
        sensors: [],
      };
    });
  }

  readStates(description: DeviceDescription, outlets: OutletInfo[]): Promise<Map<number, OutletState>> {
    return this.session.run((io) => this.states(io, description, outlets));
  }

  command(_description: DeviceDescription, outlets: OutletInfo[], action: PowerAction): Promise<CommandReport> {
    const template = this.dialect.switch[action];
    if (!template) throw new DeviceCommandError(`the ${this.dialect.id} dialect has no "${action}" command`);
    return this.session.run(async (io) => {
      const locked: number[] = [];
      const answers: string[] = [];
      for (const batch of this.batches(template, outlets)) {
        const answer = (await io.command(fill(template, batch, this.dialect))).trim();
        answers.push(answer);
        locked.push(...await this.lockedIn(io, batch, answer));
      }
      return { lockedByDevice: locked, answer: answers.join('; ') };
    });
  }

  close(): Promise<void> {
    return this.session.close();
  }

  onConnectionChange(listener: (state: 'connected' | 'disconnected', reason?: string) => void): void {
    this.session.onConnectionChange(listener);
  }

  /** The Sentry power manager's `STATUS ALL` answers only how many ports there are: ids follow the boards, four ports each. */
  private async countedOutlets(io: SessionIO): Promise<OutletInfo[]> {
    const listing = this.dialect.outlets;
    if (listing.from !== 'count') return [];
    const answer = await io.command(listing.command);
    const counts = this.counts(answer, listing.command);
    const total = counts.on + counts.off;
    if (total === 0) throw new DeviceCommandError(`${this.address} reports no ports (${deviceWords(answer)})`);
    return Array.from({ length: total }, (_, position) => {
      const id = `${listing.prefix}${String.fromCharCode(65 + Math.floor(position / listing.perBoard))}${(position % listing.perBoard) + 1}`;
      return { index: position + 1, id, name: '', groups: [], key: id };
    });
  }

  private async listedOutlets(io: SessionIO): Promise<OutletInfo[]> {
    const lines = await this.statusLines(io, this.dialect.status.all!);
    if (lines.length === 0) throw new DeviceCommandError(`${this.address} listed no outlets for "${this.dialect.status.all}"`);
    return lines.map((line, position) => {
      let index = position + 1;
      if (this.dialect.status.number === 'id') {
        index = Number(line.id);
        if (!Number.isInteger(index)) throw new DeviceConfigError(`outlet id ${deviceWords(line.id)} is not a number: number outlets by position`);
      }
      return { index, id: line.id, name: line.name, groups: [], key: line.id };
    });
  }

  private async states(io: SessionIO, description: DeviceDescription, outlets: OutletInfo[]): Promise<Map<number, OutletState>> {
    const status = this.dialect.status;
    const states = new Map<number, OutletState>();
    if (status.count) {
      // One question for all: when every outlet agrees, the counts say it; otherwise ask each.
      if (outlets.length > 1) {
        const batch = await this.countFor(io, outlets);
        const all = batch.on === outlets.length ? 'on' : batch.off === outlets.length ? 'off' : undefined;
        if (all) return new Map(outlets.map((outlet) => [outlet.index, all]));
      }
      for (const outlet of outlets) {
        const counts = await this.countFor(io, [outlet]);
        states.set(outlet.index, counts.on === 1 ? 'on' : counts.off === 1 ? 'off' : 'unknown');
      }
      return states;
    }
    const one = outlets.length === 1 && status.some;
    const lines = await this.statusLines(io, one ? fill(status.some!, outlets, this.dialect) : status.all!);
    const byId = new Map(lines.map((line) => [line.id.toLowerCase(), line.state]));
    for (const outlet of outlets) states.set(outlet.index, byId.get(outlet.key.toLowerCase()) ?? 'unknown');
    if (!one && description.outlets.length !== lines.length) {
      // The listing no longer matches what describe saw: report it rather than guess.
      throw new DeviceCommandError(`${this.address} now lists ${lines.length} outlets, not ${description.outlets.length}: redeploy to read the outlets again`);
    }
    return states;
  }

  private async countFor(io: SessionIO, outlets: OutletInfo[]): Promise<{ on: number; off: number }> {
    const command = fill(this.dialect.status.some!, outlets, this.dialect);
    return this.counts(await io.command(command), command);
  }

  private counts(answer: string, command: string): { on: number; off: number } {
    const match = pattern(this.dialect.status.count)!.exec(answer);
    if (!match?.groups) throw new DeviceCommandError(`${this.address} gave an answer we cannot read for "${command}": ${deviceWords(answer)}`);
    return { on: Number(match.groups.on), off: Number(match.groups.off) };
  }

  private async statusLines(io: SessionIO, command: string): Promise<Array<{ id: string; name: string; state: OutletState }>> {
    const status = this.dialect.status;
    const lineRe = pattern(status.line)!;
    const onRe = new RegExp(`^(?:${status.on})$`, 'i');
    const offRe = new RegExp(`^(?:${status.off})$`, 'i');
    const output = await io.command(command);
    const lines = [];
    for (const text of output.split(/\r\n|\n|\r/)) {
      const match = lineRe.exec(text);
      if (!match?.groups?.id) continue;
      const word = (match.groups.state ?? '').trim();
      lines.push({
        id: match.groups.id.trim(),
        name: (match.groups.name ?? '').trim(),
        state: (onRe.test(word) ? 'on' : offRe.test(word) ? 'off' : 'unknown') as OutletState,
      });
    }
    return lines;
  }

  /** The full-screen status pages, or undefined when the dialect has none or the device refuses it. */
  private async screen(io: SessionIO): Promise<ScreenPage[] | undefined> {
    const spec = this.dialect.screen;
    if (!spec || this.screenRefused) return undefined;
    const end = { name: 'end', re: pattern(spec.end)! };
    const first = await io.line(spec.command, [end, io.prompt], `status screen after "${spec.command}"`);
    if (first.name === 'prompt') {
      // Not allowed for this user (new users have no SHOW rights): fall back for good.
      this.screenRefused = true;
      return undefined;
    }
    const pages = [parseScreenPage(first.before, spec)];
    while (pages.length < pages[0].pages) {
      const next = await io.key(spec.next, [end], `status screen page ${pages.length + 1}`);
      pages.push(parseScreenPage(next.before, spec));
    }
    await io.key(spec.exit, [io.prompt], 'prompt after leaving the status screen');
    return pages;
  }

  private screenSnapshot(description: DeviceDescription, pages: ScreenPage[]): Snapshot {
    const all = ports(pages);
    const outlets = description.outlets.map((outlet, position): OutletReading => {
      const port = all[position];
      const result = reading(outlet, port?.state ?? 'unknown');
      if (port?.module) result.module = port.module;
      if (port?.current !== undefined) result.current = port.current;
      return result;
    });
    const sensors: SensorReading[] = [];
    pages.forEach((page, position) => {
      if (page.temperature === undefined) return;
      sensors.push({
        index: position + 1,
        name: page.pageName || `Board ${String.fromCharCode(65 + position)}`,
        type: 'temperature',
        value: page.temperature,
        unit: '°C',
      });
    });
    return { outlets, inputs: [], sensors };
  }

  /** Outlets per command: one each, or as many as fit the device's line (the Sentry power manager: 50 characters). */
  private batches(template: string, outlets: OutletInfo[]): OutletInfo[][] {
    const batch = this.dialect.switch.batch;
    if (!batch || !template.includes('{outlets}')) return outlets.map((outlet) => [outlet]);
    const batches: OutletInfo[][] = [];
    let current: OutletInfo[] = [];
    for (const outlet of outlets) {
      const joined = [...current, outlet].map((o) => o.key).join(batch.separator);
      if (current.length > 0 && joined.length > batch.maxLength) {
        batches.push(current);
        current = [];
      }
      current.push(outlet);
    }
    if (current.length) batches.push(current);
    return batches;
  }

  /** Which outlets of a command the device reports locked. */
  private async lockedIn(io: SessionIO, batch: OutletInfo[], answer: string): Promise<number[]> {
    const spec = this.dialect.switch;
    if (spec.answer) {
      const match = pattern(spec.answer)!.exec(answer);
      if (!match?.groups) throw new DeviceCommandError(`${this.address} gave an answer we cannot read: ${deviceWords(answer)}`);
      const done = Number(match.groups.done);
      const locked = Number(match.groups.locked);
      if (done + locked !== batch.length) {
        throw new DeviceCommandError(`${this.address} answered ${deviceWords(answer)} for ${batch.length} port(s): some were not switched`);
      }
      if (locked === 0) return [];
      if (locked === batch.length) return batch.map((outlet) => outlet.index);
      // The counts do not say which: the status screen marks locked ports with `*`.
      const pages = await this.screen(io);
      const marks = pages ? ports(pages) : [];
      const lockedNow = batch.filter((outlet) => marks[outlet.index - 1]?.locked);
      if (lockedNow.length !== locked) {
        throw new DeviceCommandError(`${this.address} answered ${deviceWords(answer)} but cannot say which port(s) are locked`);
      }
      return lockedNow.map((outlet) => outlet.index);
    }
    if (spec.locked && pattern(spec.locked)!.test(answer)) return batch.map((outlet) => outlet.index);
    return [];
  }
}

function ports(pages: ScreenPage[]) {
  return [...pages].sort((a, b) => a.page - b.page).flatMap((page) => page.ports);
}

function reading(outlet: OutletInfo, state: OutletState): OutletReading {
  return { index: outlet.index, id: outlet.id, name: outlet.name, state };
}

/** A command for these outlets: `{outlet}` is one key, `{outlets}` all of them. */
function fill(template: string, outlets: OutletInfo[], dialect: CliDialect): string {
  const keys = outlets.map((outlet) => outlet.key);
  return template.replace('{outlets}', keys.join(dialect.switch.batch?.separator ?? ' ')).replace('{outlet}', keys[0]);
}

