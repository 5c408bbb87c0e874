import mqtt from 'mqtt';
import { Device } from '../../lib/device/device';
import { provideBrokers } from '../../lib/sites/link';
import { RemoteSiteDriver } from '../../lib/transports/site/driver';
import type { OutletState } from '../../lib/types';
import { MqttLink } from './mqtt-link';
import { pduName } from './fake-pdu';

// A child process of bench/sites.js: a hub, alone in its process so that its CPU and memory are
// its own. A Device on a RemoteSiteDriver per remote device, as a hub's pdu-configs hold them,
// all on one MQTT.js client (as Node-RED's mqtt-broker config shares one).

export type HubRequest =
  | { type: 'start'; url: string; noDelay: boolean; sites: string[]; pdus: number; share: boolean; id: string }
  | { type: 'window'; ms: number }
  | { type: 'memory' }
  | { type: 'commands'; count: number; outlets: number }
  | { type: 'stop' };

/** What a hub shares when several do: the readings (the bulk); descriptions and statuses are retained, and a shared subscription gets no retained message. */
const SHARED = /\/(snapshot|outlet\/\+\/state)$/;

const gc = (): void => (global as { gc?: () => void }).gc?.();

function memory(): { heap: number; rss: number } {
  gc();
  gc();
  const used = process.memoryUsage();
  return { heap: used.heapUsed, rss: used.rss };
}

let link: MqttLink | undefined;
const devices: Device[] = [];
/** What each outlet was last switched to here (all start on). */
const switched = new Map<string, OutletState>();
const baseline = memory();

async function start(request: Extract<HubRequest, { type: 'start' }>): Promise<unknown> {
  const client = await mqtt.connectAsync(request.url, { protocolVersion: 5, clientId: `bench-hub-${request.id}`, reconnectPeriod: 1000 });
  const shared = new MqttLink(client, {
    address: request.url, noDelay: request.noDelay, ...(request.share ? { share: { group: 'hubs', filters: (filter: string) => SHARED.test(filter) } } : {}),
  });
  link = shared;
  provideBrokers(() => shared.user());
  const started = Date.now();
  for (const site of request.sites) {
    for (let i = 0; i < request.pdus; i += 1) {
      const driver = new RemoteSiteDriver({
        transport: 'site', host: '', port: 0, profile: '', timeout: 120_000, retries: 0, credentials: {},
        settings: { broker: 'bench', site, device: pduName(i), commandExpiry: 60 },
      });
      devices.push(new Device({ name: `${site}/${pduName(i)}`, driver, verifyTimeout: 10_000, verifyInterval: 100 }));
    }
  }
  const outcomes = await Promise.allSettled(devices.map((device) => device.describe()));
  const failed = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [(outcome.reason as Error).message] : []));
  // The rest of the run uses the devices the hub could describe; the table says how many.
  const described = devices.filter((_, i) => outcomes[i].status === 'fulfilled');
  devices.splice(0, devices.length, ...described);
  return { described: described.length, failed: failed.length, firstError: failed[0], ms: Date.now() - started, received: shared.received };
}

async function window(ms: number): Promise<unknown> {
  const cpu = process.cpuUsage();
  const { received, snapshots } = link!;
  const started = process.hrtime.bigint();
  await new Promise((resolve) => { setTimeout(resolve, ms); });
  const used = process.cpuUsage(cpu);
  return {
    cpuUs: used.user + used.system, wallUs: Number(process.hrtime.bigint() - started) / 1000,
    received: link!.received - received, snapshots: link!.snapshots - snapshots,
  };
}

/** Sequential commands to random outlets of random devices, each one verified switched. */
async function commands(count: number, outlets: number): Promise<unknown> {
  const times: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  for (let i = 0; i < count; i += 1) {
    const device = devices[Math.floor(Math.random() * devices.length)];
    const outlet = 1 + Math.floor(Math.random() * outlets);
    const key = `${device.name}#${outlet}`;
    const action = switched.get(key) === 'off' ? 'on' : 'off';
    const started = process.hrtime.bigint();
    try {
      const result = await device.switch({ targets: [outlet], action, verify: true, requester: { id: 'bench' } });
      const done = result.outlets.find((o) => o.index === outlet);
      if (!done?.verified || done.after !== action) throw new Error(`outlet ${outlet} of ${device.name} not verified ${action}`);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      switched.set(key, action);
    } catch (error) {
      failed += 1;
      firstError ??= (error as Error).message;
    }
  }
  return { times, failed, firstError };
}

async function handle(request: HubRequest): Promise<unknown> {
  switch (request.type) {
    case 'start': return start(request);
    case 'window': return window(request.ms);
    case 'memory': {
      const now = memory();
      return { devices: devices.length, heap: now.heap - baseline.heap, rss: now.rss - baseline.rss };
    }
    case 'commands': return commands(request.count, request.outlets);
    case 'stop':
      await Promise.all(devices.map((device) => device.close()));
      await link?.client.endAsync();
      return {};
    default: return {};
  }
}

process.on('message', (request: HubRequest) => {
  handle(request).then(
    (answer) => process.send!({ type: request.type, answer }, () => { if (request.type === 'stop') process.exit(0); }),
    (error: Error) => process.send!({ type: request.type, error: error.message }),
  );
});
