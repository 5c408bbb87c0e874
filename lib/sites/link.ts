// What a site needs of its broker connection. The Node-RED glue fills it from Node-RED's own
// mqtt-broker config node (so the user's TLS, certificates, credentials and MQTT version apply);
// tests may fill it from a plain MQTT client. Nothing here knows Node-RED or an MQTT library.

export interface OutgoingMessage {
  topic: string;
  payload: string;
  qos: 0 | 1;
  retain: boolean;
  /** MQTT v5 request/response: echoed from the request. */
  correlationData?: Buffer;
}

export interface IncomingMessage {
  topic: string;
  payload: Buffer;
  /** MQTT v5 request/response properties, when the requester set them. */
  responseTopic?: string;
  correlationData?: Buffer;
}

export interface SiteLink {
  /** Whether a publish now can reach the broker. */
  readonly connected: boolean;
  /** Resolves once the broker has it (QoS 1) or it is written (QoS 0); rejects when it cannot be sent. */
  publish(message: OutgoingMessage): Promise<void>;
  /** Kept across reconnects by the link. */
  subscribe(filter: string, handler: (message: IncomingMessage) => void): void;
  unsubscribe(filter: string): void;
}
