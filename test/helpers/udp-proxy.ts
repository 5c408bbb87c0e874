import dgram from 'dgram';

/**
 * A UDP relay between a client and an SNMP agent on loopback that can lose packets on purpose:
 * the one fault a real agent cannot be made to show, an answer lost on the way back.
 */
export interface UdpProxy {
  port: number;
  /** Agent answers dropped so far. */
  dropped: number;
  /** Drop the answer to every SET (the agent still carries it out). */
  dropSetAnswers: boolean;
  /** Drop every answer (a device that went quiet). */
  dropAll: boolean;
  close(): Promise<void>;
}

const SET_REQUEST = 0xa3;

export async function udpProxy(agentPort: number): Promise<UdpProxy> {
  const front = dgram.createSocket('udp4');
  const back = dgram.createSocket('udp4');
  let client: { address: string; port: number } | undefined;
  let answerIsToSet = false;
  const proxy: UdpProxy = {
    port: 0,
    dropped: 0,
    dropSetAnswers: false,
    dropAll: false,
    close: async () => {
      await Promise.all([new Promise((resolve) => front.close(() => resolve(undefined))),
        new Promise((resolve) => back.close(() => resolve(undefined)))]);
    },
  };
  front.on('message', (packet, from) => {
    client = { address: from.address, port: from.port };
    answerIsToSet = pduTag(packet) === SET_REQUEST;
    back.send(packet, agentPort, '127.0.0.1');
  });
  back.on('message', (packet) => {
    if (!client) return;
    if (proxy.dropAll || (proxy.dropSetAnswers && answerIsToSet)) {
      proxy.dropped += 1;
      return;
    }
    front.send(packet, client.port, client.address);
  });
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', () => resolve()));
  await new Promise<void>((resolve) => back.bind(0, '127.0.0.1', () => resolve()));
  proxy.port = front.address().port;
  return proxy;
}

/** The PDU tag of an SNMP v1/v2c message: SEQUENCE { version, community, PDU }. */
function pduTag(packet: Buffer): number | undefined {
  let offset = 0;
  const header = (): number => {
    offset += 1; // tag
    const first = packet[offset++];
    if (first < 0x80) return first;
    let length = 0;
    for (let i = 0; i < (first & 0x7f); i += 1) length = (length << 8) | packet[offset++];
    return length;
  };
  if (packet[0] !== 0x30) return undefined;
  header(); // the message
  for (const field of ['version', 'community']) {
    const length = header();
    offset += length; // skip its value
  }
  return packet[offset];
}
