import type { DeviceDriver, DriverOptions } from '../../device/driver';
import { DeviceCommandError, DeviceConfigError } from '../../device/errors';
import type {
  CommandReport, DeviceDescription, OutletInfo, OutletState, PowerAction, Snapshot,
} from '../../types';
import { NutClient } from './client';
import { capabilities, describeOutlets, outletState, outletSwitchable, snapshot, switchMethod } from './outlets';
import type { NutSettings } from './transport';

const clients = new WeakMap<DriverOptions, NutClient>();

/**
 * The one NUT connection of a pdu-config: its Device's driver and its ups-nut nodes all get
 * this client, keyed by the config's (immutable) driver options.
 */
export function nutClientFor(options: DriverOptions<NutSettings>): NutClient {
  let client = clients.get(options);
  if (!client) {
    const settings = options.settings;
    client = new NutClient({
      host: options.host,
      port: options.port || 3493,
      timeout: options.timeout,
      retries: options.retries,
      username: options.credentials.username || undefined,
      password: options.credentials.password || undefined,
      tls: settings.starttls ? { starttls: true, caFile: settings.caFile || undefined } : undefined,
    });
    clients.set(options, client);
  }
  return client;
}


/**
 * A PDU (or a UPS with outlets) driven through upsd: outlets from `outlet.n.*`, switching with
 * `outlet.n.load.on|off|cycle`, or a writable `outlet.n.status` where a driver has no commands.
 * The Device's safety rules apply unchanged; a `outlet.n.switchable: no` outlet is reported as
 * locked by the device.
 */
export class NutDriver implements DeviceDriver {
  readonly transport = 'nut' as const;
  readonly address: string;
  readonly client: NutClient;
  private ups?: string;
  private commands = new Set<string>();
  private writable = new Set<string>();
  private switchable = new Map<number, boolean>();
  /** Power commands on the wire (abort() leaves them be). */
  private commanding = 0;
  private readonly listeners: Array<[string, (reason?: string) => void]> = [];

  constructor(private readonly options: DriverOptions<NutSettings>) {
    if (options.profile && !['auto', 'nut'].includes(options.profile)) {
      throw new DeviceConfigError(`profile "${options.profile}" does not work over NUT: choose the "nut" profile`);
    }
    this.client = nutClientFor(options);
    this.address = this.client.address;
  }

  onConnectionChange(listener: (state: 'connected' | 'disconnected', reason?: string) => void): void {
    const connected = (): void => listener('connected');
    const disconnected = (reason: string): void => listener('disconnected', reason);
    this.client.on('connected', connected);
    this.client.on('disconnected', disconnected);
    this.listeners.push(['connected', connected], ['disconnected', disconnected as (reason?: string) => void]);
  }

  async describe(): Promise<DeviceDescription> {
    const ups = await this.resolveUps();
    if (!ups) {
      const all = await this.client.listUps();
      return {
        vendor: 'Network UPS Tools',
        model: `upsd with ${all.length} UPSes (set the NUT device name on the config to use one's outlets)`,
        profile: 'nut',
        outlets: [],
        capabilities: capabilities({}, [], new Set(), new Set()),
        info: `upsd at ${this.address}: ${all.map((entry) => entry.name).join(', ')}`,
      };
    }
    const [vars, commands, writable] = await Promise.all([
      this.client.readAll(ups), this.client.listCmd(ups), this.client.listRw(ups),
    ]);
    this.ups = ups;
    this.commands = new Set(commands);
    this.writable = new Set(Object.keys(writable));
    const outlets = describeOutlets(vars);
    // Locked by the device only when it says so; no word (or an unreadable one) locks nothing.
    this.switchable = new Map(outlets.map((outlet) => [outlet.index, outletSwitchable(vars[`outlet.${outlet.index}.switchable`]) !== false]));
    return {
      vendor: vars['device.mfr'] || vars['ups.mfr'] || 'Network UPS Tools',
      model: vars['device.model'] || vars['ups.model'] || ups,
      profile: 'nut',
      outlets,
      capabilities: capabilities(vars, outlets, this.commands, this.writable),
      info: `${ups}@${this.address} (${vars['driver.name'] ?? 'driver unknown'} ${vars['driver.version'] ?? ''})`.replace(' )', ')'),
    };
  }

  async read(description: DeviceDescription): Promise<Snapshot> {
    return snapshot(await this.client.readAll(this.requireUps()), description.outlets);
  }

  async readStates(_description: DeviceDescription, outlets: OutletInfo[]): Promise<Map<number, OutletState>> {
    const names = outlets.map((outlet) => `outlet.${outlet.index}.status`);
    const values = await this.client.getVars(this.requireUps(), names);
    return new Map(outlets.map((outlet, i) => [outlet.index, outletState(values[names[i]])]));
  }

  async command(_description: DeviceDescription, outlets: OutletInfo[], action: PowerAction): Promise<CommandReport> {
    const ups = this.requireUps();
    const lockedByDevice = outlets.filter((outlet) => this.switchable.get(outlet.index) === false).map((outlet) => outlet.index);
    const targets = outlets.filter((outlet) => !lockedByDevice.includes(outlet.index));
    const plans = targets.map((outlet) => {
      const method = switchMethod(outlet.index, action, this.commands, this.writable);
      if (!method) {
        throw new DeviceCommandError(`${ups} has no outlet.${outlet.index}.load.${action === 'reboot' ? 'cycle' : action} command `
          + `and outlet.${outlet.index}.status is not writable: NUT cannot switch outlet ${outlet.index} here`);
      }
      return method;
    });
    // Sent together (pipelined); each is followed through TRACKING where upsd has it.
    this.commanding += 1;
    try {
      const answers = await Promise.all(plans.map((method) => (method.kind === 'instcmd'
        ? this.client.instcmd(ups, method.command).then(() => method.command)
        : this.client.setVar(ups, method.variable, method.value).then(() => `${method.variable}=${method.value}`))));
      return { lockedByDevice, answer: answers.join(', ') };
    } finally {
      this.commanding -= 1;
    }
  }

  /**
   * Closing: a describe or read waiting on upsd rejects now, so the close is not held behind it.
   * A command on the wire is left its grace: whether the outlet switched is worth the wait.
   */
  abort(): void {
    if (this.commanding === 0) this.client.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    for (const [event, listener] of this.listeners.splice(0)) this.client.off(event, listener);
    await this.client.close();
  }

  private async resolveUps(): Promise<string | undefined> {
    const configured = this.options.settings.ups.trim();
    if (configured) return configured;
    const all = await this.client.listUps();
    if (all.length === 0) throw new DeviceConfigError(`upsd at ${this.address} serves no UPS (nothing in its ups.conf?)`);
    return all.length === 1 ? all[0].name : undefined;
  }

  private requireUps(): string {
    if (!this.ups) throw new DeviceCommandError(`no NUT device chosen on ${this.address}: set its name on the device config`);
    return this.ups;
  }
}
