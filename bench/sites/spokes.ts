import mqtt, { type MqttClient } from 'mqtt';
import type { Device } from '../../lib/device/device';
import { SiteSpoke } from '../../lib/sites/spoke';
import { siteStatus } from '../../nodes/shared/broker-link';
import { FakePdu, pduName } from './fake-pdu';
import { MqttLink } from './mqtt-link';

// A child process of bench/sites.js: many sites, each its own MQTT client and a real SiteSpoke
// over fake PDUs, publishing every interval (staggered across the interval, as independent sites
// are). Its CPU is not the hub's.

export interface SpokesConfig {
  url: string;
  noDelay: boolean;
  /** Site names for this process, and where each one's turn falls in the interval (0..1). */
  sites: Array<{ name: string; phase: number }>;
  pdus: number;
  outlets: number;
  intervalMs: number;
}

interface RunningSite {
  client: MqttClient;
  spoke: SiteSpoke;
  pdus: FakePdu[];
  timers: NodeJS.Timeout[];
}

async function startSite(config: SpokesConfig, name: string, phase: number): Promise<RunningSite> {
  const status = (state: 'online' | 'offline') => siteStatus(`rackpower/v1/${name}/status`, name, state);
  const offline = status('offline');
  const client = await mqtt.connectAsync(config.url, {
    protocolVersion: 5, clientId: `bench-site-${name}`, reconnectPeriod: 1000, connectTimeout: 10000,
    will: { topic: offline.topic, payload: Buffer.from(offline.payload), qos: 1, retain: true },
  });
  const link = new MqttLink(client, { address: config.url, noDelay: config.noDelay });
  const pdus: FakePdu[] = [];
  const spoke = new SiteSpoke({
    site: name, link: link.user(),
    devices: Array.from({ length: config.pdus }, (_, i) => {
      const pdu = new FakePdu(pduName(i), config.outlets, (record) => spoke.audit(pduName(i), record));
      pdus.push(pdu);
      return { name: pdu.name, device: pdu as unknown as Device, remoteControl: true, allowAll: false };
    }),
  });
  const online = (): void => {
    void link.publish(status('online')).catch(() => undefined);
    spoke.linkUp();
  };
  client.on('connect', online);
  spoke.start();
  const publish = async (): Promise<void> => {
    for (const pdu of pdus) {
      spoke.described(pdu.name, await pdu.describe());
      spoke.snapshot(pdu.name, await pdu.read());
    }
  };
  await link.publish(status('online'));
  // Once: a site says a device's connection when it changes, not at every poll.
  for (const pdu of pdus) spoke.connection(pdu.name, 'connected', `${pdu.name}: fake PDU`);
  await publish();
  const timers: NodeJS.Timeout[] = [];
  timers.push(setTimeout(() => {
    void publish();
    timers.push(setInterval(() => { void publish(); }, config.intervalMs));
  }, Math.round(phase * config.intervalMs)));
  return { client, spoke, pdus, timers };
}

async function main(): Promise<void> {
  const config = await new Promise<SpokesConfig>((resolve) => process.once('message', (message) => resolve(message as SpokesConfig)));
  const running: RunningSite[] = [];
  // A few at a time: 200 connections at once would only queue at the broker's accept.
  for (let i = 0; i < config.sites.length; i += 20) {
    running.push(...await Promise.all(config.sites.slice(i, i + 20).map(({ name, phase }) => startSite(config, name, phase))));
  }
  process.send!({ ready: true });
  process.once('message', async () => {
    for (const site of running) {
      for (const timer of site.timers) clearTimeout(timer);
      site.spoke.stop();
      for (const pdu of site.pdus) pdu.stop();
      await site.client.endAsync();
    }
    process.send!({ stopped: true }, () => process.exit(0));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
