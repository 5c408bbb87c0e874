import type { IncomingMessage, OutgoingMessage, SiteLink } from '../../lib/sites/link';
import { PAYLOAD_VERSION } from '../../lib/sites/topics';

/**
 * The parts of Node-RED's own `mqtt-broker` config node a site uses (core/network/10-mqtt.js):
 * its users, subscriptions and publish, and its birth, close and will messages. Using it, the
 * user's broker settings (TLS, client certificates, credentials, MQTT v5) apply unchanged.
 */
export interface MqttBrokerNode {
  id: string;
  type: string;
  name?: string;
  broker?: string;
  connected: boolean;
  connecting?: boolean;
  options: { will?: { topic?: string }; protocolVersion?: number };
  birthMessage?: { topic?: string };
  closeMessage?: { topic?: string };
  register(user: BrokerUser): void;
  deregister(user: BrokerUser, done: () => void, autoDisconnect?: boolean): void;
  subscribe(topic: string, options: { qos: number }, callback: (topic: string, payload: Buffer, packet: MqttPacket) => void, ref: string): void;
  unsubscribe(topic: string, ref: string, removeClientSubscription?: boolean): void;
  publish(message: Record<string, unknown>, done: (error?: Error) => void): void;
  setOptions(options: Record<string, unknown>, init?: boolean): void;
  connect(callback?: () => void): void;
  disconnect(callback: () => void): void;
}

interface MqttPacket { properties?: { responseTopic?: string; correlationData?: Buffer } }

/** What the broker node calls on its users: status only. */
export interface BrokerUser {
  id: string;
  status(status: { fill?: string; text?: string }): void;
}

/** A QoS 1 publish the broker does not acknowledge in this time is reported as not sent. */
const PUBLISH_TIMEOUT_MS = 30_000;

/**
 * The site's availability lives on the broker connection itself: its birth message says
 * `online`, its close message (a clean stop) and its last will (a lost site) say `offline`. A
 * connection has one of each, so the site claims them, and refuses a broker config whose own
 * messages (or another site's) are set: one broker config per site.
 */
export function claimAvailability(broker: MqttBrokerNode, statusTopic: string, siteName: string): void {
  const mine = (topic?: string) => !topic || topic === statusTopic;
  const taken = [broker.birthMessage?.topic, broker.closeMessage?.topic, broker.options.will?.topic].find((topic) => !mine(topic));
  if (taken) {
    throw new Error(`the broker config ${broker.name || broker.broker || broker.id} already has a birth, close or will message `
      + `(topic ${taken}); site ${siteName} needs them for its availability: give the site a broker config of its own`);
  }
  const message = (state: 'online' | 'offline') => ({ ...siteStatus(statusTopic, siteName, state), retain: 'true' });
  broker.setOptions({ birth: message('online'), close: message('offline'), will: message('offline') }, false);
}

/** The site's retained status message (the payload's version is the hub's compatibility check). */
export function siteStatus(statusTopic: string, siteName: string, state: 'online' | 'offline'): OutgoingMessage {
  return { topic: statusTopic, payload: JSON.stringify({ version: PAYLOAD_VERSION, site: siteName, state }), qos: 1, retain: true };
}

/** Give the broker config back its own availability messages (none) when the site stops. */
export function releaseAvailability(broker: MqttBrokerNode): void {
  broker.setOptions({ birth: {}, close: {}, will: {} }, false);
}

export class BrokerLink implements SiteLink {
  private readonly ref: string;
  private readonly filters = new Set<string>();

  constructor(private readonly broker: MqttBrokerNode, ref: string) {
    this.ref = ref;
  }

  get connected(): boolean {
    return this.broker.connected === true;
  }

  get v5(): boolean {
    return Number(this.broker.options.protocolVersion) === 5;
  }

  publish(message: OutgoingMessage): Promise<void> {
    // The broker node drops a publish silently while it is disconnected: say so instead.
    if (!this.connected) return Promise.reject(new Error('the broker is not connected'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the broker did not acknowledge ${message.topic} within ${PUBLISH_TIMEOUT_MS / 1000} s`)),
        PUBLISH_TIMEOUT_MS);
      this.broker.publish({
        topic: message.topic, payload: message.payload, qos: message.qos, retain: message.retain,
        ...(message.correlationData ? { correlationData: message.correlationData } : {}),
      }, (error) => {
        clearTimeout(timer);
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve();
      });
    });
  }

  subscribe(filter: string, handler: (message: IncomingMessage) => void): void {
    this.filters.add(filter);
    this.broker.subscribe(filter, { qos: 1 }, (topic, payload, packet) => {
      const properties = packet?.properties ?? {};
      handler({
        topic,
        payload: Buffer.isBuffer(payload) ? payload : Buffer.from(String(payload)),
        ...(typeof properties.responseTopic === 'string' ? { responseTopic: properties.responseTopic } : {}),
        ...(Buffer.isBuffer(properties.correlationData) ? { correlationData: properties.correlationData } : {}),
      });
    }, this.ref);
  }

  unsubscribe(filter: string): void {
    if (!this.filters.delete(filter)) return;
    this.broker.unsubscribe(filter, this.ref, true);
  }
}
