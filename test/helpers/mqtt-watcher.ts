import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

/** A message as an MQTT client received it, its payload parsed when it is JSON. */
export interface Received { topic: string; payload: any; raw: string; retain: boolean; properties?: { correlationData?: Buffer } }

/**
 * A plain MQTT client (MQTT.js) that records everything under rackpower/v1/#: the hub side of a
 * site's tests, or an observer of what a hub and its sites say to each other.
 */
export class MqttWatcher {
  readonly messages: Received[] = [];

  constructor(readonly client: MqttClient, private readonly root: string) {
    client.on('message', (topic, payload, packet) => {
      const raw = payload.toString();
      let parsed: unknown = raw;
      try { parsed = JSON.parse(raw); } catch { /* not JSON */ }
      this.messages.push({ topic, payload: parsed, raw, retain: packet.retain, properties: packet.properties as Received['properties'] });
    });
  }

  static async connect(url: string, options: IClientOptions, root = 'rackpower/v1/site1', qos: 0 | 1 = 1): Promise<MqttWatcher> {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 200, connectTimeout: 5000, ...options });
    const watcher = new MqttWatcher(client, root);
    await client.subscribeAsync('rackpower/v1/#', { qos });
    return watcher;
  }

  /** The first message from index `from` on that passes `check`, waited for up to `ms`. */
  async next(check: (m: Received) => boolean, ms = 15000, from = 0): Promise<Received> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.messages.slice(from).find(check);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such message within ${ms} ms; got: ${this.messages.slice(from).map((m) => m.topic).join(', ')}`);
      await new Promise((resolve) => { setTimeout(resolve, 50); });
    }
  }

  /** Send a command to a device of the site and wait for the answer carrying its id. */
  async command(device: string, body: Record<string, unknown>, options: { responseTopic?: string; correlation?: string } = {}): Promise<Received> {
    const from = this.messages.length;
    await this.client.publishAsync(`${this.root}/${device}/command`, JSON.stringify(body), {
      qos: 1,
      properties: options.responseTopic ? {
        responseTopic: options.responseTopic, correlationData: Buffer.from(options.correlation ?? String(body.id)),
      } : undefined,
    });
    return this.next((m) => /\/(reply\/[^/]+|result)$/.test(m.topic) && m.payload?.id === body.id, 20000, from);
  }
}
