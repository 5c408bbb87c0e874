// What a site needs of its broker connection. The Node-RED glue fills it from Node-RED's own
// mqtt-broker config node (so the user's TLS, certificates, credentials and MQTT version apply);
// tests may fill it from a plain MQTT client. Nothing here knows Node-RED or an MQTT library.

export interface OutgoingMessage {
  topic: string;
  payload: string;
  qos: 0 | 1;
  retain: boolean;
  /** MQTT v5 request/response: where the answer goes (a request), and its correlation (both ways). */
  responseTopic?: string;
  correlationData?: Buffer;
}

export interface IncomingMessage {
  topic: string;
  payload: Buffer;
  /** MQTT v5 request/response properties, when the requester set them. */
  responseTopic?: string;
  correlationData?: Buffer;
  /** The retain flag as the subscriber saw it (with `retainAsPublished`, also on a live message). */
  retain?: boolean;
}

/** MQTT v5 subscription options (a 3.1.1 broker has none). */
export interface SubscribeOptions {
  /** Keep the publisher's retain flag on live messages, so that a retained one is known as such. */
  retainAsPublished?: boolean;
}

export interface SiteLink {
  /** Whether a publish now can reach the broker. */
  readonly connected: boolean;
  /** Resolves once the broker has it (QoS 1) or it is written (QoS 0); rejects when it cannot be sent. */
  publish(message: OutgoingMessage): Promise<void>;
  /**
   * Kept across reconnects by the link. QoS 1 (the default) for what must not be missed (commands,
   * answers, events); QoS 0 for retained state, which a broker never queues against a client's
   * limit (Mosquitto's max_queued_messages would drop a hub's thousands of retained messages).
   */
  subscribe(filter: string, handler: (message: IncomingMessage) => void, qos?: 0 | 1, options?: SubscribeOptions): void;
  unsubscribe(filter: string): void;
}

/**
 * A broker connection a device config holds (the hub's remote devices): the link, its state as
 * it changes, and leaving it. Node-RED's glue provides them (see provideBrokers).
 */
export interface BrokerConnection extends SiteLink {
  /** MQTT v5: commands carry a response topic and correlation data; 3.1.1: a reply topic in the payload. */
  readonly v5: boolean;
  /** Where it connects, for messages (no credentials). */
  readonly address: string;
  /** Why it is not connected, when the client said (a refused certificate, a refused login). */
  readonly problem?: string;
  onConnection(listener: (connected: boolean) => void): void;
  close(): Promise<void>;
}

/** Opens a connection on a broker config by its id; `user` names the one who holds it. */
export type BrokerConnector = (brokerId: string, user: string) => BrokerConnection;

let connector: BrokerConnector | undefined;

/** The host (Node-RED's pdu-config) says how to reach its broker configs. */
export function provideBrokers(provided: BrokerConnector): void {
  connector = provided;
}

export function connectBroker(brokerId: string, user: string): BrokerConnection {
  if (!connector) throw new Error('no MQTT broker connections are available here (pdu-config provides them in Node-RED)');
  return connector(brokerId, user);
}
