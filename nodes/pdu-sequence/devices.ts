import type { Node, NodeAPI } from 'node-red';
import type { Device } from '../../lib/device/device';
import { probeAppliance } from '../../lib/device/probe';
import { resolveTargets } from '../../lib/device/targets';
import type { PlanStep, StepAction } from '../../lib/automation/sequence-plan';
import type { SequenceEnvironment } from '../../lib/automation/sequence-runner';
import type { NutSettings } from '../../lib/transports/nut/transport';
import { chooseUps, readStatus } from '../../lib/transports/nut/ups';
import type { DeviceUser, PduConfigNode } from '../shared/config-node';

/**
 * The device configs a sequence uses, found by id or by name (a plan in msg.plan may name them
 * either way), and joined as their user on first use so that their Device exists, and left when
 * the node closes, so that the last user closes it.
 */
export class SequenceDevices {
  private readonly joined = new Set<PduConfigNode>();

  constructor(private readonly RED: NodeAPI, private readonly node: DeviceUser) {}

  /** Why a reference names no device config that can serve the step; undefined when it does. */
  problem(ref: string, action?: StepAction): string | undefined {
    try {
      const config = this.config(ref);
      const transport = config.settings?.driver.transport;
      if (action === 'ups-online' && transport !== 'nut') {
        return `device config ${config.name || ref} uses ${transport}, not NUT: a ups-online step needs a NUT device config`;
      }
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  config(ref: string): PduConfigNode {
    const byId = this.RED.nodes.getNode(ref) as PduConfigNode | null;
    let config = byId?.type === 'pdu-config' ? byId : undefined;
    if (!config) {
      const named: string[] = [];
      this.RED.nodes.eachNode((candidate: { id: string; type: string; name?: string }) => {
        if (candidate.type === 'pdu-config' && candidate.name === ref) named.push(candidate.id);
      });
      if (named.length > 1) throw new Error(`${named.length} device configs are called "${ref}": name it by its id`);
      config = named.length ? (this.RED.nodes.getNode(named[0]) as PduConfigNode | null) ?? undefined : undefined;
    }
    if (!config) throw new Error(`no device config "${ref}" is deployed (give a pdu-config's id or name)`);
    if (config.settingsError) throw new Error(`device config ${config.name || ref} is invalid: ${config.settingsError.message}`);
    return config;
  }

  device(ref: string): Device {
    const config = this.config(ref);
    if (!this.joined.has(config)) {
      this.joined.add(config);
      config.register(this.node);
    }
    return config.device();
  }

  name(ref: string): string {
    try {
      const config = this.config(ref);
      return config.name || config.settings?.driver.host || ref;
    } catch {
      return ref;
    }
  }

  /** The outlet indexes a spec names on the device now, with the config's groups (as Device.switch resolves them). */
  async resolve(ref: string, outlets: PlanStep['outlets']): Promise<number[]> {
    const description = await this.device(ref).describe();
    return resolveTargets(description.outlets, outlets, { groups: this.config(ref).settings?.groups, allowAll: true })
      .map((outlet) => outlet.index);
  }

  leaveAll(): Promise<unknown> {
    const leaving = [...this.joined].map((config) => config.deregister(this.node).catch(() => undefined));
    this.joined.clear();
    return Promise.all(leaving);
  }

  /** What the runner needs from the world, through these devices. */
  sources(): Pick<SequenceEnvironment, 'switch' | 'resolve' | 'deviceName' | 'probe' | 'outletCurrent' | 'upsStatus'> {
    const node = this.node as Node;
    return {
      switch: (step) => this.device(step.device!).switch({
        targets: step.outlets!,
        action: step.action,
        allowAll: step.allowAll === true,
        verify: true,
        requester: { id: node.id, name: node.name || 'pdu-sequence' },
      }),
      resolve: (ref, outlets) => this.resolve(ref, outlets),
      deviceName: (ref) => this.name(ref),
      probe: (target) => probeAppliance(target),
      outletCurrent: async (ref, outlet) => {
        const [index] = await this.resolve(ref, outlet);
        const snapshot = await this.device(ref).read();
        return snapshot.outlets.find((reading) => reading.index === index)?.current;
      },
      upsStatus: async (ref, ups) => {
        const config = this.config(ref);
        this.device(ref);
        const configured = config.settings?.driver.transport === 'nut' ? (config.settings.driver.settings as NutSettings).ups : undefined;
        const client = config.nutClient();
        const name = await chooseUps(client, ups, configured);
        return (await readStatus(client, name, `${name}@${this.name(ref)}`)).payload.status;
      },
    };
  }
}
