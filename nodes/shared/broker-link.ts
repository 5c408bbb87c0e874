import type { BrokerConnection, IncomingMessage, OutgoingMessage, SubscribeOptions } from '../../lib/sites/link';
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
  /** The MQTT.js client of the current connection (a new one at each connect()). */
  client?: { on(event: 'error', listener: (error: Error) => void): void };
  options: { will?: { topic?: string }; protocolVersion?: number };
  birthMessage?: { topic?: string };
  closeMessage?: { topic?: string };
  register(user: BrokerUser): void;
  deregister(user: BrokerUser, done: () => void, autoDisconnect?: boolean): void;
  subscribe(topic: string, options: { qos: number; rap?: boolean }, callback: (topic: string, payload: Buffer, packet: MqttPacket) => void, ref: string): void;
  unsubscribe(topic: string, ref: string, removeClientSubscription?: boolean): void;
  publish(message: Record<string, unknown>, done: (error?: Error) => void): void;
  setOptions(options: Record<string, unknown>, init?: boolean): void;
  connect(callback?: () => void): void;
  disconnect(callback: () => void): void;
}

interface MqttPacket { retain?: boolean; properties?: { responseTopic?: string; correlationData?: Buffer } }

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

/**
 * One user's connection on a broker config: it joins the broker node's users when opened (the
 * first user connects it) and leaves when closed (the last one disconnects it), and follows
 * the connection through the status the broker node gives its users.
 */
export class BrokerLink implements BrokerConnection {
  private readonly filters = new Set<string>();
  private readonly listeners: Array<(connected: boolean) => void> = [];
  private readonly user: BrokerUser;
  private wasConnected = false;
  private opened = false;
  /** Why the last connection attempt failed (the broker node itself keeps no trace of it). */
  private lastProblem?: string;
  private watchedClient?: object;

  constructor(private readonly broker: MqttBrokerNode, private readonly ref: string) {
    this.user = {
      id: ref,
      status: () => {
        this.watchErrors();
        const now = this.connected;
        if (now) this.lastProblem = undefined;
        if (now === this.wasConnected) return;
        this.wasConnected = now;
        for (const listener of this.listeners) listener(now);
      },
    };
  }

  get connected(): boolean {
    return this.broker.connected === true;
  }

  get connecting(): boolean {
    return this.broker.connecting === true;
  }

  get v5(): boolean {
    return Number(this.broker.options.protocolVersion) === 5;
  }

  get address(): string {
    return `${this.broker.name || this.broker.broker || this.broker.id}`;
  }

  /**
   * Why the broker is not connected, as far as its client said: a TLS refusal reads as the Rack
   * Power Manager's "certificates do not match"; undefined while connected or before any error.
   */
  get problem(): string | undefined {
    return this.connected ? undefined : this.lastProblem;
  }

  onConnection(listener: (connected: boolean) => void): void {
    this.listeners.push(listener);
  }

  /** Join the broker's users (it connects for its first one). */
  open(): void {
    if (this.opened) return;
    this.opened = true;
    this.broker.register(this.user);
    this.watchErrors();
  }

  /** Listen to the errors of the broker node's client (it discards them), once per client. */
  private watchErrors(): void {
    const client = this.broker.client;
    if (!client || client === this.watchedClient) return;
    this.watchedClient = client;
    client.on('error', (error: Error) => {
      if (client !== this.broker.client) return;
      this.lastProblem = describeConnectionError(error);
      for (const listener of this.listeners) listener(this.connected);
    });
  }

  close(): Promise<void> {
    for (const filter of [...this.filters]) this.unsubscribe(filter);
    this.listeners.length = 0;
    if (!this.opened) return Promise.resolve();
    this.opened = false;
    return new Promise<void>((resolve) => this.broker.deregister(this.user, () => resolve(), true));
  }

  publish(message: OutgoingMessage): Promise<void> {
    // The broker node drops a publish silently while it is disconnected: say so instead.
    if (!this.connected) return Promise.reject(new Error('the broker is not connected'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the broker did not acknowledge ${message.topic} within ${PUBLISH_TIMEOUT_MS / 1000} s`)),
        PUBLISH_TIMEOUT_MS);
      this.broker.publish({
        topic: message.topic, payload: message.payload, qos: message.qos, retain: message.retain,
        ...(message.responseTopic ? { responseTopic: message.responseTopic } : {}),
        ...(message.correlationData ? { correlationData: message.correlationData } : {}),
      }, (error) => {
        clearTimeout(timer);
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve();
      });
    });
  }

  subscribe(filter: string, handler: (message: IncomingMessage) => void, qos: 0 | 1 = 1, options: SubscribeOptions = {}): void {
    this.filters.add(filter);
    const rap = this.v5 && options.retainAsPublished ? { rap: true } : {};
    this.broker.subscribe(filter, { qos, ...rap }, (topic, payload, packet) => {
      const properties = packet?.properties ?? {};
      handler({
        topic,
        payload: Buffer.isBuffer(payload) ? payload : Buffer.from(String(payload)),
        ...(typeof properties.responseTopic === 'string' ? { responseTopic: properties.responseTopic } : {}),
        ...(Buffer.isBuffer(properties.correlationData) ? { correlationData: properties.correlationData } : {}),
        retain: packet?.retain === true,
      });
    }, this.ref);
  }

  unsubscribe(filter: string): void {
    if (!this.filters.delete(filter)) return;
    this.broker.unsubscribe(filter, this.ref, true);
  }
}

/** A broker connection error in an operator's words; TLS refusals say whose certificate failed. */
export function describeConnectionError(error: Error & { code?: string }): string {
  // OpenSSL's messages carry its source file and line: the code and the alert say it all.
  const alert = /(tlsv1|sslv3|tlsv13) alert ([a-z ]+)/i.exec(error.message);
  const text = (alert && error.code ? `${error.code}: ${alert[0]}` : `${error.code ? `${error.code}: ` : ''}${error.message}`).slice(0, 200);
  if (/alert (certificate|bad certificate|unknown ca|certificate required)|certificate (required|unknown)|peer did not return a certificate/i.test(text)) {
    return `certificates do not match: the broker refused this client's certificate (${text})`;
  }
  if (/self[- ]signed|unable to verify|unable to get (local )?issuer|certificate has expired|ERR_TLS_CERT_ALTNAME_INVALID|Hostname\/IP does not match|CERT_/i.test(text)) {
    return `certificates do not match: the broker's certificate is not trusted (${text})`;
  }
  if (/not authori[sz]ed|bad user ?name or password|Connection refused: (Bad|Not)/i.test(text)) {
    return `the broker refused the login (${text})`;
  }
  return text;
}
