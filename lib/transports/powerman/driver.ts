import type { DeviceDriver, DriverOptions } from '../../device/driver';
import { DeviceCommandError, DeviceConfigError } from '../../device/errors';
import type {
  CommandReport, DeviceDescription, OutletInfo, OutletState, PowerAction, Snapshot,
} from '../../types';
import { PowermanClient, type PowermanReply } from './client';
import { deviceWords } from '../device-words';
import { expandHostlist } from './hostlist';
import type { PowermanSettings } from './transport';


/**
 * powermand waits for the devices before it answers (an IPMI or Redfish power-on can take tens
 * of seconds, a cycle its whole off time), and it has its own per-device timeouts: wait at
 * least this long for an answer, ms.
 */
export const POWERMAN_ANSWER_WAIT = 60000;

/** Longest host list sent in one command; longer lists go in several. */
const MAX_HOSTS_TEXT = 1000;

const ACTIONS: Record<PowerAction, string> = { on: 'on', off: 'off', reboot: 'cycle' };

/** What each error code means, for messages (powerman's client_proto.h). */
const ERRORS: Record<number, string> = {
  201: 'unknown command',
  202: 'parse error',
  203: 'command too long',
  204: 'internal error in powermand',
  205: 'host list error',
  208: 'another command is in progress',
  209: 'no such nodes',
  210: 'completed with errors',
  211: 'query completed with errors',
  213: 'not supported by the device',
};

/**
 * Nodes of a PowerMan daemon as outlets: `on`, `off`, `cycle` (a native reboot: powermand
 * answers once the node is on again) and `status`. This reaches every device PowerMan has a
 * script for (IPMI, Redfish, iLO, APC, Baytech, WTI, Raritan ...).
 */
export class PowermanDriver implements DeviceDriver {
  readonly transport = 'powerman' as const;
  readonly address: string;
  private readonly client: PowermanClient;
  private readonly wait: number;
  private readonly filter?: string[];

  constructor(options: DriverOptions<PowermanSettings>) {
    const port = options.port || 10101;
    this.client = new PowermanClient(options.host, port, options.timeout);
    this.address = this.client.address;
    this.wait = Math.max(options.timeout, POWERMAN_ANSWER_WAIT);
    this.filter = options.settings.nodes;
  }

  async describe(): Promise<DeviceDescription> {
    const reply = this.check(await this.client.query('nodes', this.wait), 'nodes');
    const all = reply.info.flatMap((line) => (line.code === 306 ? expandHostlist(line.text) : line.code === 307 ? [line.text.trim()] : []));
    let names = all;
    if (this.filter) {
      const missing = this.filter.filter((name) => !all.includes(name));
      if (missing.length) {
        throw new DeviceConfigError(`powermand at ${this.address} has no node(s) ${missing.slice(0, 5).join(', ')}`
          + `${missing.length > 5 ? ' ...' : ''} (it has ${all.length}: check the node list in the device config)`);
      }
      names = this.filter;
    }
    if (names.length === 0) throw new DeviceConfigError(`powermand at ${this.address} has no nodes configured`);
    return {
      vendor: 'PowerMan',
      model: 'powermand nodes',
      profile: 'powerman',
      outlets: names.map((name, position) => ({ index: position + 1, id: name, name, groups: [], key: name })),
      info: this.client.version ? `powerman ${this.client.version}` : undefined,
      capabilities: {
        switch: true,
        nativeReboot: true,
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
    const states = await this.readStates(description, description.outlets);
    return {
      outlets: description.outlets.map((outlet) => ({
        index: outlet.index, id: outlet.id, name: outlet.name, state: states.get(outlet.index) ?? 'unknown',
      })),
      inputs: [],
      sensors: [],
    };
  }

  async readStates(_description: DeviceDescription, outlets: OutletInfo[]): Promise<Map<number, OutletState>> {
    const found = new Map<string, OutletState>();
    for (const hosts of this.hostChunks(outlets)) {
      const command = `status ${hosts}`;
      // 211: some devices did not answer; their nodes come back `unknown`, which is the truth.
      const reply = this.check(await this.client.query(command, this.wait), command, [211]);
      for (const line of reply.info) {
        const match = /^(\S+):\s*(on|off|unknown)\s*$/i.exec(line.text);
        if (line.code === 303 && match) found.set(match[1], match[2].toLowerCase() as OutletState);
      }
    }
    return new Map(outlets.map((outlet) => [outlet.index, found.get(outlet.key) ?? 'unknown']));
  }

  async command(_description: DeviceDescription, outlets: OutletInfo[], action: PowerAction): Promise<CommandReport> {
    const answers: string[] = [];
    for (const hosts of this.hostChunks(outlets)) {
      const command = `${ACTIONS[action]} ${hosts}`;
      const reply = this.check(await this.client.query(command, this.wait), command);
      answers.push(`${reply.code} ${reply.text}`);
    }
    return { answer: answers.join('; '), completed: true };
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private hostChunks(outlets: OutletInfo[]): string[] {
    const chunks: string[] = [];
    let current = '';
    for (const outlet of outlets) {
      const next = current ? `${current},${outlet.key}` : outlet.key;
      if (current && next.length > MAX_HOSTS_TEXT) {
        chunks.push(current);
        current = outlet.key;
      } else {
        current = next;
      }
    }
    if (current) chunks.push(current);
    return chunks;
  }

  /** A 2xx answer as a clear error (3xx lines carry the device's own words). */
  private check(reply: PowermanReply, command: string, allowed: number[] = []): PowermanReply {
    if (reply.code >= 100 && reply.code < 200) return reply;
    if (allowed.includes(reply.code)) return reply;
    const meaning = ERRORS[reply.code] ?? 'error';
    const details = reply.info.filter((line) => line.code === 308 || line.code === 309).map((line) => line.text.trim());
    const detail = details.length ? `: ${deviceWords(details.join('; '), { quoted: false })}` : '';
    const base = `powermand at ${this.address} answered ${deviceWords(`${reply.code} ${reply.text}`)} to "${command}" (${meaning})${detail}`;
    if (reply.code === 209) throw new DeviceCommandError(`${base}; if its node list changed, redeploy to read it again`);
    throw new DeviceCommandError(base);
  }
}
