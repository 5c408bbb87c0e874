import dgram from 'dgram';
import * as snmp from 'net-snmp';
import type { SimModel } from '../model';

export interface AgentOptions {
  port: number;
  address?: string;
  readCommunity?: string;
  writeCommunity?: string;
  sysDescr: string;
  sysObjectID: string;
  sysName?: string;
  /** Answer every request with this community instead of the request's (firmware seen doing so). */
  answerCommunity?: string;
  /** Answer tooBig, setting nothing, to a SET of more varbinds than this (a small agent buffer). */
  maxSetVarbinds?: number;
}

export interface StartedAgent {
  agent: snmp.Agent;
  mib: snmp.Mib;
  port: number;
  close(): Promise<void>;
}

const SYSTEM = '1.3.6.1.2.1.1';

/**
 * A net-snmp agent on loopback with MIB-II's system group and two communities: a read-only
 * and a read-write one. Resolves once the socket is bound, with the port (0 = any free port).
 */
export async function startAgent(options: AgentOptions, model: SimModel): Promise<StartedAgent> {
  // net-snmp reads port 0 as "the default, 161": find a free one ourselves.
  const port = options.port || await freeUdpPort(options.address ?? '127.0.0.1');
  return new Promise((resolve, reject) => {
    let listening = false;
    const agent = snmp.createAgent({
      port,
      address: options.address ?? '127.0.0.1',
      accessControlModelType: snmp.AccessControlModelType.Simple,
    }, (error: Error | null) => {
      // Bind failures arrive here before listening; later ones are bad packets, which we ignore.
      if (error && !listening) reject(error);
    });
    const authorizer = agent.getAuthorizer();
    const access = authorizer.getAccessControlModel();
    const read = options.readCommunity ?? 'public';
    const write = options.writeCommunity ?? 'private';
    authorizer.addCommunity(read);
    access.setCommunityAccess(read, snmp.AccessLevel.ReadOnly);
    authorizer.addCommunity(write);
    access.setCommunityAccess(write, snmp.AccessLevel.ReadWrite);

    answerGetBulkPerRfc(agent);
    if (options.answerCommunity !== undefined) answerWithCommunity(agent, options.answerCommunity);
    if (options.maxSetVarbinds !== undefined) refuseLargeSets(agent, options.maxSetVarbinds);
    const mib = agent.getMib();
    const scalar = (name: string, arc: number, type: snmp.ObjectType, value: unknown,
      handler?: (request: snmp.MibRequest) => void): void => {
      mib.registerProvider({
        name, type: snmp.MibProviderType.Scalar, oid: `${SYSTEM}.${arc}`, scalarType: type,
        maxAccess: snmp.MaxAccess['read-only'], handler,
      });
      mib.setScalarValue(name, value);
    };
    scalar('sysDescr', 1, snmp.ObjectType.OctetString, options.sysDescr);
    scalar('sysObjectID', 2, snmp.ObjectType.OID, options.sysObjectID);
    scalar('sysUpTime', 3, snmp.ObjectType.TimeTicks, 0, (request) => {
      mib.setScalarValue('sysUpTime', model.uptimeCentiseconds());
      request.done();
    });
    scalar('sysName', 5, snmp.ObjectType.OctetString, options.sysName ?? 'rack-power-sim');

    const socket = Object.values((agent as unknown as { listener: { sockets: Record<string, import('dgram').Socket> } }).listener.sockets)[0];
    socket.once('listening', () => {
      listening = true;
      resolve({
        agent,
        mib,
        port: socket.address().port,
        close: () => new Promise<void>((done) => {
          try { agent.close(() => done()); } catch { done(); }
        }),
      });
    });
  });
}

/** A UDP port nothing listens on right now. */
export function freeUdpPort(address = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', reject);
    socket.bind(0, address, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

interface BulkAgent {
  addGetNextVarbind(varbinds: unknown[], oid: string): { oid: string; type: number } | undefined;
  request(socket: unknown, message: { pdu: BulkPdu }, rinfo: unknown): void;
  getBulkRequest(socket: unknown, message: { pdu: BulkPdu }, rinfo: unknown): void;
}

interface BulkPdu {
  nonRepeaters: number;
  maxRepetitions: number;
  varbinds: Array<{ oid: string }>;
}

/** Largest answer a simulated agent builds, as real agents cap theirs. */
const MAX_BULK_VARBINDS = 400;

/**
 * net-snmp's agent reads GetBulk's max-repetitions as a cap on all the varbinds of the answer;
 * RFC 3416 (4.2.3) makes it the number of rows per repeating OID, as real PDUs answer. The
 * simulators answer as real devices do.
 */
function answerGetBulkPerRfc(agent: snmp.Agent): void {
  const bulk = agent as unknown as BulkAgent;
  bulk.getBulkRequest = function getBulkRequest(socket, message, rinfo) {
    const pdu = message.pdu;
    const requested = pdu.varbinds;
    const nonRepeaters = Math.min(Math.max(pdu.nonRepeaters, 0), requested.length);
    const answer: unknown[] = [];
    for (let n = 0; n < nonRepeaters; n += 1) bulk.addGetNextVarbind(answer, requested[n].oid);
    const cursors = requested.slice(nonRepeaters).map((varbind) => varbind.oid);
    let endOfMib = false;
    for (let row = 0; row < pdu.maxRepetitions && cursors.length > 0 && !endOfMib; row += 1) {
      if (answer.length + cursors.length > MAX_BULK_VARBINDS) break;
      cursors.forEach((oid, column) => {
        const next = bulk.addGetNextVarbind(answer, oid);
        if (next) {
          cursors[column] = next.oid;
          if (next.type === snmp.ObjectType.EndOfMibView) endOfMib = true;
        }
      });
    }
    pdu.varbinds = answer as BulkPdu['varbinds'];
    bulk.request(socket, message, rinfo);
  };
}

interface RawAgent {
  setRequest(socket: unknown, message: RawMessage, rinfo: unknown): void;
  sendResponse(socket: unknown, rinfo: unknown, message: RawMessage, response: RawPdu): void;
}

interface RawMessage {
  community: string;
  pdu: RawPdu & { getResponsePduForRequest(): RawPdu };
}

interface RawPdu {
  errorStatus: number;
  errorIndex: number;
  varbinds: unknown[];
}

/** Every answer carries `community`, whatever the request had (authorization still uses the request's). */
function answerWithCommunity(agent: snmp.Agent, community: string): void {
  const raw = agent as unknown as RawAgent;
  const send = raw.sendResponse.bind(raw);
  raw.sendResponse = (socket, rinfo, message, response) => {
    message.community = community;
    send(socket, rinfo, message, response);
  };
}

/**
 * A SET of more than `max` varbinds is answered tooBig with an empty varbind list before anything
 * is set, as RFC 3416 (4.2.5) has an agent do when the answer would not fit.
 */
function refuseLargeSets(agent: snmp.Agent, max: number): void {
  const raw = agent as unknown as RawAgent;
  const set = raw.setRequest.bind(raw);
  raw.setRequest = (socket, message, rinfo) => {
    if (message.pdu.varbinds.length <= max) {
      set(socket, message, rinfo);
      return;
    }
    const response = message.pdu.getResponsePduForRequest();
    response.errorStatus = snmp.ErrorStatus.TooBig;
    response.errorIndex = 0;
    response.varbinds = [];
    raw.sendResponse(socket, rinfo, message, response);
  };
}

/** `count` distinct free UDP ports: every socket stays bound until all are picked. */
export async function freeUdpPorts(count: number, address = '127.0.0.1'): Promise<number[]> {
  const sockets: dgram.Socket[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const socket = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, address, () => resolve());
      });
    }
    return sockets.map((socket) => socket.address().port);
  } finally {
    await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
  }
}
