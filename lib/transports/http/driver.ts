import type { DeviceDriver, DriverOptions } from '../../device/driver';
import { DeviceCommandError } from '../../device/errors';
import type { HttpProfile, HttpRequestTemplate } from '../../profiles/http/profile';
import { valueAt } from '../../profiles/http/profile';
import type {
  CommandReport, DeviceDescription, OutletInfo, OutletState, PowerAction, Snapshot,
} from '../../types';
import { deviceWords } from '../device-words';
import { HttpClient } from './client';
import type { HttpSettings } from './transport';

/** One outlet as the device's list reports it. */
interface ListedOutlet {
  index: number;
  /** The outlet's number in the API (a DLI relay counts from 0). */
  number: number;
  name: string;
  state: OutletState;
  locked: boolean;
}

/**
 * A PDU managed over HTTP with a JSON API, driven by its profile (lib/profiles/http/): the outlet
 * list is one GET, each power action one request per outlet. Reads are retried after a lost
 * answer; a switch never is (the device layer reads the outlets back instead).
 */
export class HttpDriver implements DeviceDriver {
  readonly transport = 'http' as const;
  readonly address: string;
  readonly readsNames = true;
  private readonly client: HttpClient;
  private readonly profile: HttpProfile;
  private readonly retries: number;
  /** Outlets the device locked, as its last list said. */
  private lockedOnDevice = new Set<number>();

  constructor(options: DriverOptions<HttpSettings>, profile: HttpProfile = options.settings.profile) {
    this.profile = profile;
    this.retries = options.retries;
    this.client = new HttpClient({
      host: options.host,
      port: options.settings.port ?? options.port,
      secure: options.settings.secure,
      caFile: options.settings.caFile || undefined,
      insecure: options.settings.insecure,
      timeout: options.timeout,
      auth: profile.auth,
      username: options.credentials.username,
      password: options.credentials.password,
      writeHeaders: profile.writeHeaders,
    });
    this.address = this.client.address;
  }

  async describe(): Promise<DeviceDescription> {
    const { outlets, answer } = await this.list();
    const model = this.profile.list.model ? valueAt(answer, this.profile.list.model) : undefined;
    return {
      vendor: this.profile.vendor,
      model: typeof model === 'string' && model ? model : this.profile.model,
      profile: this.profile.id,
      outlets: outlets.map((outlet) => ({
        index: outlet.index, id: String(outlet.index), name: outlet.name, groups: [], key: String(outlet.number),
      })),
      capabilities: {
        switch: true,
        nativeReboot: this.profile.actions.reboot !== undefined,
        outletCurrent: false,
        outletPower: false,
        moduleStatus: false,
        inputCurrent: false,
        temperature: false,
        humidity: false,
      },
    };
  }

  async read(description: DeviceDescription): Promise<Snapshot> {
    const { outlets } = await this.list();
    const listed = new Map(outlets.map((outlet) => [outlet.index, outlet]));
    return {
      outlets: description.outlets.map((outlet) => ({
        index: outlet.index,
        id: outlet.id,
        name: listed.get(outlet.index)?.name ?? outlet.name,
        state: listed.get(outlet.index)?.state ?? 'unknown',
      })),
      inputs: [],
      sensors: [],
    };
  }

  async readStates(_description: DeviceDescription, outlets: OutletInfo[]): Promise<Map<number, OutletState>> {
    const listed = new Map((await this.list()).outlets.map((outlet) => [outlet.index, outlet.state]));
    return new Map(outlets.map((outlet) => [outlet.index, listed.get(outlet.index) ?? 'unknown']));
  }

  async command(_description: DeviceDescription, outlets: OutletInfo[], action: PowerAction): Promise<CommandReport> {
    const template = this.profile.actions[action];
    if (!template) throw new DeviceCommandError(`${this.profile.vendor} ${this.profile.id} has no ${action} request`);
    // The device refuses its locked outlets; they are reported as locked, the others switched.
    const lockedByDevice = outlets.filter((outlet) => this.lockedOnDevice.has(outlet.index)).map((outlet) => outlet.index);
    const answers: string[] = [];
    for (const outlet of outlets) {
      if (lockedByDevice.includes(outlet.index)) continue;
      const answer = await this.client.request({ ...this.render(template, outlet.key), write: true });
      answers.push(`${outlet.index}: ${answer.status}`);
    }
    return { lockedByDevice, answer: answers.join(', ') };
  }

  abort(): void {
    this.client.abortReads();
  }

  async close(): Promise<void> {
    this.client.close();
  }

  private render(template: HttpRequestTemplate, number: string) {
    const fill = (text: string): string => text.split('{n}').join(number);
    const headers: Record<string, string> = { ...this.profile.writeHeaders };
    if (template.contentType) headers['Content-Type'] = template.contentType;
    return { method: template.method, path: fill(template.path), headers, body: template.body === undefined ? undefined : fill(template.body) };
  }

  /** The outlet list, read again after a lost answer (`retries` times). */
  private async list(): Promise<{ outlets: ListedOutlet[]; answer: unknown }> {
    const request = { method: 'GET', path: this.profile.list.path, headers: this.profile.readHeaders, write: false };
    for (let attempt = 0; ; attempt += 1) {
      try {
        const answer = await this.client.request(request);
        return this.parseList(answer.body);
      } catch (error) {
        if (attempt >= this.retries || (error as Error).name !== 'DeviceUnreachableError' || (error as Error).message.includes('cancelled')) throw error;
      }
    }
  }

  private parseList(body: string): { outlets: ListedOutlet[]; answer: unknown } {
    const what = `GET ${this.address}${this.profile.list.path}`;
    let answer: unknown;
    try {
      answer = JSON.parse(body);
    } catch {
      throw new DeviceCommandError(`${what} did not answer JSON: ${deviceWords(body)}; is the profile (${this.profile.id}) right?`);
    }
    const items = valueAt(answer, this.profile.list.items);
    if (!Array.isArray(items)) {
      throw new DeviceCommandError(`${what} has no outlet list${this.profile.list.items ? ` at "${this.profile.list.items}"` : ''}: `
        + `is the profile (${this.profile.id}) right?`);
    }
    const { fields } = this.profile.list;
    const { on, off } = this.profile.stateValues;
    const outlets = items.map((item: Record<string, unknown>, position): ListedOutlet => {
      const given = fields.number ? Number(item?.[fields.number]) : position + this.profile.numberBase;
      if (!Number.isInteger(given)) throw new DeviceCommandError(`${what}: outlet ${position + 1} has no number in "${fields.number}"`);
      const value = item?.[fields.state];
      return {
        index: given - this.profile.numberBase + 1,
        number: given,
        name: typeof item?.[fields.name] === 'string' ? item[fields.name] as string : '',
        state: on.includes(value) ? 'on' : off.includes(value) ? 'off' : 'unknown',
        locked: fields.locked ? item?.[fields.locked] === true : false,
      };
    });
    this.lockedOnDevice = new Set(outlets.filter((outlet) => outlet.locked).map((outlet) => outlet.index));
    return { outlets, answer };
  }
}
