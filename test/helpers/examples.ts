import fs from 'fs';
import path from 'path';
import type { SimDevice } from '../../sim';
import { DEFAULT_PORTS } from '../../sim/ports';
import { DEMO_CREDENTIALS } from '../../sim/demo/credentials';
import { startMosquitto, type Mosquitto } from '../peers/mosquitto';
import { startSnmptrapd, type RunningTrapd } from '../peers/snmptrapd';
import { loadFlow } from './red';
import { simDevice } from './sim';

export const EXAMPLES = path.resolve(__dirname, '../../examples');

export type FlowJson = Array<Record<string, any>>;

export function readExample(file: string): FlowJson {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
}

export interface LoadedExample {
  flow: FlowJson;
  /** The simulator started for each pdu-config, by config id. */
  sims: Record<string, SimDevice>;
  /** The Mosquitto started for each address the mqtt-broker configs name (configs of one address share it). */
  brokers: Mosquitto[];
  /** The snmptrapd started for each pdu-trap-out, in flow order. */
  trapds: RunningTrapd[];
  stop(): Promise<void>;
}

/**
 * Load an example as a user would import it, against simulators: each pdu-config's default
 * port (sim/ports.ts) tells which simulated device it expects; that device is started on a free
 * port and the config pointed at it, with the simulators' credentials.
 * `patch` may adjust nodes first (e.g. switch off an inject's repeat). Several files are loaded
 * together in one runtime (a hub and the site it reads meet on their shared broker).
 */
export async function loadExample(file: string | string[], patch: (flow: FlowJson) => void = () => undefined,
  simOptions: Record<string, unknown> = {}): Promise<LoadedExample> {
  const flow = [file].flat().flatMap(readExample);
  patch(flow);
  const sims: Record<string, SimDevice> = {};
  const credentials: Record<string, Record<string, string>> = {};
  const kinds = Object.fromEntries(Object.entries(DEFAULT_PORTS).map(([kind, port]) => [String(port), kind]));
  // A remote site's device (transport `site`) is reached through the broker, not a simulator.
  for (const node of flow.filter((candidate) => candidate.type === 'pdu-config' && candidate.transport !== 'site')) {
    const kind = kinds[String(node.port)];
    if (!kind) throw new Error(`example ${file}: config ${node.id} points at port ${node.port}, which no simulator uses`);
    sims[node.id] = await simDevice(kind, simOptions);
    node.port = String(sims[node.id].port);
    node.timeout = '500';
    // The simulators' own credentials, as the user sets them on the config after import.
    credentials[node.id] = { ...DEMO_CREDENTIALS[node.transport] };
  }
  // An example's MQTT broker: a real Mosquitto on a free port, open to anonymous clients. Broker
  // configs naming the same address (a site's and its hub's) share one, as they would in use.
  const byAddress = new Map<string, Mosquitto>();
  for (const node of flow.filter((candidate) => candidate.type === 'mqtt-broker')) {
    const address = `${node.broker}:${node.port}`;
    const broker = byAddress.get(address) ?? await startMosquitto({ anonymous: true });
    byAddress.set(address, broker);
    node.port = String(broker.port);
  }
  const brokers = [...byAddress.values()];
  // An example's NMS (a pdu-trap-out's target): the real snmptrapd on a free port, with the MIB,
  // its address and community given as the user would, as credentials.
  const trapds: RunningTrapd[] = [];
  for (const node of flow.filter((candidate) => candidate.type === 'pdu-trap-out')) {
    const trapd = await startSnmptrapd({ community: 'public' });
    trapds.push(trapd);
    credentials[node.id] = { host: '127.0.0.1', port: String(trapd.port), version: '2c', community: 'public' };
  }
  // Import puts an example's nodes on the open tab; outside the editor they need a tab of their own.
  const tab = { id: `tab-${String(file)}`, type: 'tab', label: String(file) };
  for (const node of flow) if ('x' in node && !node.z) node.z = tab.id;
  await loadFlow([tab, ...flow], credentials);
  return {
    flow,
    sims,
    brokers,
    trapds,
    stop: async () => {
      for (const sim of Object.values(sims)) await sim.stop();
      for (const broker of brokers) await broker.stop();
      for (const trapd of trapds) await trapd.stop();
    },
  };
}
