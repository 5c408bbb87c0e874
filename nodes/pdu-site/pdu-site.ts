import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import type { Device } from '../../lib/device/device';
import { SiteSpoke, type SiteDevice } from '../../lib/sites/spoke';
import { RecentEvents } from '../../lib/sites/recent-events';
import { checkTopicName } from '../../lib/sites/topics';
import type { ConnectionState, DeviceEvent } from '../../lib/types';
import { configNode, type DeviceUser, type PduConfigNode } from '../shared/config-node';
import type { EventStreamListener } from '../shared/event-hub';
import { everySeconds } from '../shared/poll';
import { errorStatus, short } from '../shared/status';
import { BrokerLink, claimAvailability, releaseAvailability, siteStatus, type MqttBrokerNode } from '../shared/broker-link';

interface SiteDef extends NodeDef {
  broker: string;
  site: string;
  /** The devices this site publishes: a pdu-config each, its topic name, and what the broker may do with it. */
  devices: Array<{ device: string; topic?: string; remoteControl?: boolean; allowAll?: boolean }>;
  /** Seconds between the readings it publishes; 0: only what commands and events tell. */
  interval: string | number;
  /** Home Assistant MQTT discovery configs for the published devices, under this prefix. */
  haDiscovery?: boolean;
  haPrefix?: string;
}

/** How long a stopping site waits for the broker to take its `offline` (Node-RED gives a close 15 s). */
const GOODBYE_MS = 2000;

interface Published {
  name: string;
  config: PduConfigNode;
  user: DeviceUser;
  device?: Device;
}

export = function register(RED: NodeAPI): void {
  function PduSite(this: Node, def: SiteDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const t = (key: string, vars?: Record<string, string | number>) => RED._(`pdu-site.${key}`, vars);
    const published: Published[] = [];
    let spoke: SiteSpoke | undefined;
    let broker: MqttBrokerNode | undefined;
    let stopPolling = (): void => undefined;
    let link: BrokerLink | undefined;
    /** What the devices' nodes raised and the site published, to know it again if it is also wired in. */
    const recent = new RecentEvents();
    const stopListening: Array<() => void> = [];

    const fail = (error: Error): void => {
      node.error(error);
      node.status(errorStatus(error));
    };

    let reported: string | undefined;
    const showState = (): void => {
      if (!spoke || !broker) return;
      const site = spoke.topics.site;
      if (broker.connected) node.status({ fill: 'green', shape: 'dot', text: t('status.online', { site, count: published.length }) });
      else if (link?.problem) {
        // The status names the problem (the Rack Power Manager's "certificates do not match");
        // the whole reason goes to the log and Catch, once per reason.
        node.status({ fill: 'red', shape: 'dot', text: `${site}: ${short(link.problem.replace(/:.*$/, ''))}` });
        if (link.problem !== reported) {
          reported = link.problem;
          const text = `site ${site}: ${link.problem}`;
          node.error(text, { topic: site, payload: text } as never);
        }
      }
      // The broker node keeps retrying (and says "connecting") after a refusal: the refusal is what matters.
      else if (broker.connecting) node.status({ fill: 'yellow', shape: 'ring', text: t('status.connecting', { site }) });
      else node.status({ fill: 'red', shape: 'ring', text: t('status.offline', { site }) });
    };

    try {
      broker = RED.nodes.getNode(def.broker) as unknown as MqttBrokerNode | undefined;
      if (!broker || broker.type !== 'mqtt-broker') throw new Error(t('errors.no-broker'));
      const site = checkTopicName('site', String(def.site ?? ''));
      const entries: SiteDevice[] = [];
      for (const chosen of Array.isArray(def.devices) ? def.devices : []) {
        const config = configNode(RED, chosen.device);
        if (!config) throw new Error(t('errors.no-device', { id: chosen.device || '-' }));
        // A hub's remote device published again would send its site's events back under a site's
        // topics, where the hub hears them again: a loop, and a device with two sites.
        const remote = config.settings?.driver.transport === 'site' ? config.settings.driver.settings as { site: string } : undefined;
        if (remote) throw new Error(t('errors.remote-device', { device: config.name || config.id, site: remote.site }));
        const name = checkTopicName('device', chosen.topic?.trim() || config.name || config.id);
        const device = config.device();
        entries.push({ name, device, remoteControl: chosen.remoteControl === true, allowAll: chosen.allowAll === true });
        published.push({ name, config, user: deviceUser(name), device });
      }
      if (entries.length === 0) throw new Error(t('errors.no-devices'));
      link = new BrokerLink(broker, node.id);
      spoke = new SiteSpoke({
        site, link, devices: entries, log: { warn: (text) => node.warn(text) },
        homeAssistant: { enabled: def.haDiscovery === true, prefix: String(def.haPrefix ?? '') },
      });
      claimAvailability(broker, spoke.topics.status(), site);
    } catch (error) {
      spoke = undefined;
      fail(error as Error);
    }

    /** The node's stand-in with one pdu-config: its connection, events and audit records go to the site. */
    function deviceUser(name: string): DeviceUser {
      const user = {
        id: `${node.id}:${name}`,
        showsOutcome: true,
        status: () => undefined,
        error: (error: Error) => node.error(error),
        warn: (text: string) => node.warn(text),
        onDeviceStatus: (state: string, text: string) => spoke?.connection(name, state as ConnectionState, text),
        onDeviceAudit: (record: Parameters<SiteSpoke['audit']>[1]) => spoke?.audit(name, record),
      };
      return user as unknown as DeviceUser;
    }

    /**
     * Every event of the device, as its config hears it: what its pdu-status, pdu-trap-in and
     * ups-nut raise (no wire needed) and what the device raises itself (an outlet left off).
     */
    function eventsOf(name: string): EventStreamListener {
      return {
        event: (event) => {
          if (!spoke) return;
          recent.heardFromNode(name, event);
          spoke.event(name, event);
        },
        status: () => undefined,
        audit: () => undefined,
      };
    }

    /** Describe and read each device, and publish what it says. */
    const readAll = async (): Promise<void> => {
      await Promise.all(published.map(async ({ name, device }) => {
        if (!device || !spoke) return;
        try {
          spoke.described(name, await device.describe());
          spoke.snapshot(name, await device.read());
        } catch {
          // The Device reports its connection state (availability); nothing more to say here.
        }
      }));
    };

    if (spoke && broker && link) {
      const started = spoke;
      const connectedBroker = broker;
      link.onConnection((connected) => {
        if (connected) started.linkUp();
        showState();
      });
      for (const entry of published) {
        entry.config.register(entry.user);
        if (entry.config.listen) stopListening.push(entry.config.listen(eventsOf(entry.name)));
      }
      started.start();
      const alreadyConnected = link.connected || link.connecting;
      link.open();
      // Connected before this site claimed its birth and will (another node uses the broker):
      // reconnect, so the broker holds this site's last will from now on.
      if (alreadyConnected) connectedBroker.disconnect(() => connectedBroker.connect());
      const interval = Number(def.interval ?? 10);
      if (interval > 0) stopPolling = everySeconds(interval, readAll);
      else void readAll();
      showState();
    }

    // Events from the flow (traps, UPS events, thresholds) for a published device: `msg.payload`
    // is the event, `msg.payload.device` or `msg.device` names the device as published or by its config.
    node.on('input', (msg: NodeMessageInFlow & { device?: string }, _send, done) => {
      if (!spoke) {
        done(new Error(t('errors.not-running')));
        return;
      }
      const event = msg.payload as Partial<DeviceEvent> | undefined;
      if (!event || typeof event !== 'object' || typeof event.event !== 'string' || typeof event.text !== 'string') {
        done(new Error(t('errors.not-event')));
        return;
      }
      const named = String(msg.device ?? event.device ?? '');
      const target = published.find((entry) => entry.name === named || entry.config.name === named)
        ?? (published.length === 1 ? published[0] : undefined);
      if (!target) {
        done(new Error(t('errors.unknown-device', { device: named || '-', site: spoke.topics.site })));
        return;
      }
      const wired: DeviceEvent = {
        event: event.event, severity: event.severity ?? 'info', device: target.name, source: event.source ?? 'poll', text: event.text,
        ...(event.outlet ? { outlet: event.outlet } : {}), ...(event.sensor ? { sensor: event.sensor } : {}),
        ...(event.value !== undefined ? { value: event.value } : {}), ...(event.threshold !== undefined ? { threshold: event.threshold } : {}),
      };
      // Already published as the device's node raised it (that node is also wired here): once is enough.
      if (!recent.takeWired(target.name, wired)) spoke.event(target.name, wired);
      done();
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      stopPolling();
      for (const stop of stopListening.splice(0)) stop();
      spoke?.stop();
      const leaving = broker;
      const closing = link;
      // Say `offline` now: the broker's close message only goes out if no other node keeps the connection.
      const goodbye = spoke && closing?.connected
        ? Promise.race([
          closing.publish(siteStatus(spoke.topics.status(), spoke.topics.site, 'offline')).catch(() => undefined),
          new Promise((resolve) => setTimeout(resolve, GOODBYE_MS)),
        ])
        : Promise.resolve();
      goodbye.then(() => Promise.all(published.map((entry) => entry.config.deregister(entry.user).catch(() => undefined))))
        .then(() => closing?.close()).catch(() => undefined).then(() => {
          if (leaving && spoke) releaseAvailability(leaving);
          done();
        });
    });
  }

  RED.nodes.registerType('pdu-site', PduSite);
};
