import type { MqttClient } from 'mqtt';
import type { BrokerConnection, IncomingMessage, OutgoingMessage } from '../../lib/sites/link';

// One MQTT.js client shared by many users (a site's spoke, or every remote device of a hub), as
// Node-RED's mqtt-broker config node shares its one client: each user subscribes its own filters
// and gets the messages that match them. Matching goes through a tree of topic levels, so a hub
// with thousands of filters spends no time on the ones a topic cannot match.

type Handler = (message: IncomingMessage) => void;

interface Level {
  children: Map<string, Level>;
  /** Handlers of the filter that ends at this level. */
  handlers: Set<Handler>;
}

const newLevel = (): Level => ({ children: new Map(), handlers: new Set() });

export interface MqttLinkOptions {
  /** For messages: where the client connects. */
  address: string;
  /**
   * MQTT v5 shared subscriptions: filters this accepts are subscribed as `$share/<group>/<filter>`,
   * so the broker gives each message to one client of the group only.
   */
  share?: { group: string; filters: (filter: string) => boolean };
  /**
   * Send each packet at once (TCP_NODELAY). MQTT.js (and so Node-RED's mqtt-broker node) leaves
   * Nagle on: a small command or answer can wait for the peer's delayed ACK, about 40 ms a hop.
   */
  noDelay?: boolean;
}

export class MqttLink {
  private readonly root = newLevel();
  private readonly listeners = new Set<(connected: boolean) => void>();
  /** Messages received, and those whose topic ends in /snapshot. */
  received = 0;
  snapshots = 0;

  constructor(readonly client: MqttClient, private readonly options: MqttLinkOptions) {
    client.on('message', (topic, payload, packet) => {
      this.received += 1;
      if (topic.endsWith('/snapshot')) this.snapshots += 1;
      const properties = packet.properties ?? {};
      const message: IncomingMessage = {
        topic, payload,
        ...(typeof properties.responseTopic === 'string' ? { responseTopic: properties.responseTopic } : {}),
        ...(Buffer.isBuffer(properties.correlationData) ? { correlationData: properties.correlationData } : {}),
      };
      for (const handler of this.match(topic)) handler(message);
    });
    const noDelay = (): void => { if (options.noDelay) (client.stream as unknown as { setNoDelay?(on: boolean): void }).setNoDelay?.(true); };
    noDelay();
    client.on('connect', () => {
      noDelay();
      for (const listener of this.listeners) listener(true);
    });
    client.on('close', () => { for (const listener of this.listeners) listener(false); });
  }

  /** A user's own view: its subscriptions leave with it. */
  user(): BrokerConnection {
    const own = new Map<string, Handler>();
    const link = this;
    const listeners: Array<(connected: boolean) => void> = [];
    return {
      get connected() { return link.client.connected; },
      v5: link.client.options.protocolVersion === 5,
      address: link.options.address,
      publish: (message) => link.publish(message),
      subscribe(filter, handler, qos = 1) {
        if (own.has(filter)) link.remove(filter, own.get(filter)!);
        own.set(filter, handler);
        link.add(filter, handler, qos);
      },
      unsubscribe(filter) {
        const handler = own.get(filter);
        if (!handler) return;
        own.delete(filter);
        link.remove(filter, handler);
      },
      onConnection(listener) {
        listeners.push(listener);
        link.listeners.add(listener);
      },
      async close() {
        for (const [filter, handler] of own) link.remove(filter, handler);
        own.clear();
        for (const listener of listeners.splice(0)) link.listeners.delete(listener);
      },
    };
  }

  async publish(message: OutgoingMessage): Promise<void> {
    if (!this.client.connected) throw new Error('the broker is not connected');
    const v5 = this.client.options.protocolVersion === 5;
    await this.client.publishAsync(message.topic, message.payload, {
      qos: message.qos, retain: message.retain,
      ...(v5 && (message.responseTopic || message.correlationData) ? {
        properties: {
          ...(message.responseTopic ? { responseTopic: message.responseTopic } : {}),
          ...(message.correlationData ? { correlationData: message.correlationData } : {}),
        },
      } : {}),
    });
  }

  private add(filter: string, handler: Handler, qos: 0 | 1): void {
    let level = this.root;
    for (const part of filter.split('/')) {
      let next = level.children.get(part);
      if (!next) level.children.set(part, next = newLevel());
      level = next;
    }
    const first = level.handlers.size === 0;
    level.handlers.add(handler);
    // The broker hears of a filter once, however many users share it.
    if (first) this.client.subscribe(this.brokerFilter(filter), { qos });
  }

  private remove(filter: string, handler: Handler): void {
    let level: Level | undefined = this.root;
    for (const part of filter.split('/')) level = level?.children.get(part);
    if (!level || !level.handlers.delete(handler)) return;
    if (level.handlers.size === 0 && this.client.connected) this.client.unsubscribe(this.brokerFilter(filter));
  }

  private brokerFilter(filter: string): string {
    const share = this.options.share;
    return share && share.filters(filter) ? `$share/${share.group}/${filter}` : filter;
  }

  /** Every handler whose filter matches the topic (`+` one level, `#` the rest). */
  private match(topic: string): Handler[] {
    const found: Handler[] = [];
    const parts = topic.split('/');
    const walk = (level: Level, at: number): void => {
      const rest = level.children.get('#');
      if (rest) found.push(...rest.handlers);
      if (at === parts.length) {
        found.push(...level.handlers);
        return;
      }
      const exact = level.children.get(parts[at]);
      if (exact) walk(exact, at + 1);
      const any = level.children.get('+');
      if (any) walk(any, at + 1);
    };
    walk(this.root, 0);
    return found;
  }
}
