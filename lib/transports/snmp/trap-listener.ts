import crypto from 'crypto';
import dgram from 'dgram';
import { EventEmitter } from 'events';
import os from 'os';
import * as snmp from 'net-snmp';
import type { ReceivedNotification } from './notification';
import { readMessageHeader, type MessageHeader } from './message-header';
import { oidLimitProblem } from './notification-limits';
import { LocalizedKeys, NewEngineLimiter, type LimiterOptions } from './usm-keys';
import { notInTimeWindowReport } from './usm-report';
import { localEngineClock, ReplayGuard, type LocalEngineClock } from './usm-timeliness';

// One UDP listener per port, shared by every trap-in node on it (Node-RED's core UDP node does the
// same): opened by the first subscriber, closed with the last, so a redeploy releases the port.
//
// The sockets are ours: one udp4 and one udp6 (v6-only) socket, a raised receive buffer, every
// error handled, and a close that waits until the port is free again. net-snmp does what it is
// good at, the message itself: BER decoding, USM authentication and decryption, the report that
// answers an inform sender's engine discovery, and the acknowledgement of informs. It gets the
// packets from us through its documented `dgramModule` option (given a stand-in that opens
// nothing) and `onMsg`, with its authorizer set, packet by packet, to the credentials of the
// subscribers that accept the packet's source, so that drops can be counted with their reason.

export type DropReason = 'malformed' | 'source' | 'community' | 'user' | 'auth' | 'privacy' | 'level' | 'engineID' | 'unsupported'
  /** v3: too many packets from engines we have no keys for (each costs a megabyte of hashing). */
  | 'rateLimit'
  /** v3: outside the RFC 3414 time window (older boots, or a time too far behind). */
  | 'timeWindow'
  /** v3: an exact copy of a message already accepted. */
  | 'replay';

export interface TrapDrop {
  reason: DropReason;
  source: { address: string; port: number };
  /** What was wrong, without secrets: `community not accepted`, `unknown user "bob"`. */
  detail: string;
}

export interface TrapUser {
  user: snmp.User;
  /** Hex, lower case: v3 traps (not informs) under this user must carry this engine ID. */
  engineID?: string;
}

/** Where traps may come from and the credentials they must carry: one pdu-config, say. */
export interface TrapSource {
  name: string;
  /** Whether a packet from this address is this source's; without it, any address is. */
  matches?(address: string): boolean;
  communities: string[];
  users: TrapUser[];
}

export interface TrapSubscriber {
  sources: TrapSource[];
  /** Accept packets from any address, with the credentials of all the sources. */
  anySource: boolean;
  /** Asked receive buffer, bytes, default 4 MiB (the largest of all subscribers is applied). */
  recvBufferSize?: number;
  onTrap(notification: ReceivedNotification, device: string | undefined): void;
  onDrop(drop: TrapDrop): void;
  /** The listener's state changed (listening, failed, closed). */
  onState?(listener: TrapListener): void;
}

export interface ListenerOptions {
  /** Hex engine ID this receiver answers informs with; a stable one is derived from host and port. */
  engineID?: string;
  /** Addresses to bind; default all (0.0.0.0 and ::). `false` leaves that family out. */
  address4?: string | false;
  address6?: string | false;
  /** Test seam: the dgram module (to make a bind fail the way a platform does). */
  dgramModule?: Pick<typeof dgram, 'createSocket'>;
  /** How fast packets from v3 engines we have no keys for are let through (defaults in usm-keys). */
  newEngines?: LimiterOptions;
}

export type ListenerState = 'opening' | 'listening' | 'failed' | 'closed';

interface Socket {
  family: 'udp4' | 'udp6';
  socket: dgram.Socket;
}

type Outcome = { error: Error & { code?: number } } | { data: { pdu: ReceivedNotification['pdu'] & { type: number; id?: number; user?: string; community?: string } } } | undefined;

/** A configured v3 user a packet may be under, and the engine IDs its sources pin it to. */
interface Candidate {
  user: snmp.User;
  key: string;
  engines: Set<string>;
  /** Some source takes this user from any engine. */
  anyEngine: boolean;
}

interface Reply {
  buffer: Buffer;
  port: number;
  address: string;
}

const DEFAULT_BUFFER = 4 * 1024 * 1024;

export class TrapListener extends EventEmitter {
  state: ListenerState = 'opening';
  /** Why the port could not be opened, in words that say how to fix it. */
  error?: Error;
  /** Families actually listening, and notes (`IPv6 not available`). */
  families: string[] = [];
  notes: string[] = [];
  /** The kernel's receive buffer (what it granted, not what was asked). */
  recvBufferSize?: number;
  readonly engineID: string;
  readonly counts = { received: 0, delivered: 0, dropped: 0 };

  private readonly sockets: Socket[] = [];
  private readonly subscribers = new Set<TrapSubscriber>();
  private readonly receiver: snmp.Receiver & { onMsg(socket: unknown, buffer: Buffer, rinfo: dgram.RemoteInfo): void };
  private readonly authorizer: { communities: string[]; users: snmp.User[] };
  private outcome: Outcome;
  /** What net-snmp answered the packet being handled with (an acknowledgement, a report), sent once it is accepted. */
  private replies: Reply[] = [];
  private readonly replyCatcher = {
    send: (buffer: Buffer, offset: number, length: number, port: number, address: string): void => {
      this.replies.push({ buffer: buffer.subarray(offset, offset + length), port, address });
    },
  };
  private readonly keys = new LocalizedKeys();
  private readonly newEngines: NewEngineLimiter;
  private readonly replays = new ReplayGuard();
  private readonly clock: LocalEngineClock;
  private notInTimeWindowReports = 0;
  /** The largest receive buffer a subscriber asks for (each asks 4 MiB unless told otherwise). */
  private requestedBuffer = 0;
  /** The bind in progress, which a close waits for. */
  private opening?: Promise<void>;

  constructor(readonly port: number, private readonly options: ListenerOptions = {}) {
    super();
    this.engineID = (options.engineID ?? stableEngineID(port)).replace(/^0x/i, '').toLowerCase();
    this.receiver = snmp.createReceiver({
      port,
      engineID: this.engineID,
      includeAuthentication: true,
      dgramModule: NO_SOCKETS,
    } as snmp.ReceiverOptions, (error, data) => {
      this.outcome = error ? { error } : { data: data as never };
    }) as never;
    this.authorizer = this.receiver.getAuthorizer() as unknown as { communities: string[]; users: snmp.User[] };
    this.clock = localEngineClock(this.engineID);
    this.newEngines = new NewEngineLimiter(options.newEngines);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  subscribe(subscriber: TrapSubscriber): void {
    this.subscribers.add(subscriber);
    const asked = subscriber.recvBufferSize ?? DEFAULT_BUFFER;
    if (asked > this.requestedBuffer) {
      this.requestedBuffer = asked;
      if (this.state === 'listening') this.applyBuffer();
    }
  }

  unsubscribe(subscriber: TrapSubscriber): void {
    this.subscribers.delete(subscriber);
  }

  /** Bind both families; resolves when listening or failed (the error is in `error`). */
  open(): Promise<void> {
    this.opening ??= this.bindAll();
    return this.opening;
  }

  private async bindAll(): Promise<void> {
    if (this.state !== 'opening') return; // closed before its turn came
    const { address4 = '0.0.0.0', address6 = '::' } = this.options;
    try {
      if (address4 !== false) this.sockets.push(await this.bind('udp4', address4));
    } catch (error) {
      return this.fail(error as NodeJS.ErrnoException);
    }
    if (address6 !== false) {
      try {
        this.sockets.push(await this.bind('udp6', address6));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // A host without IPv6 still receives IPv4 traps; anything else on IPv6 is the same
        // problem as on IPv4 (no permission, port taken) and is reported as such.
        if (this.sockets.length > 0 && (code === 'EAFNOSUPPORT' || code === 'EADDRNOTAVAIL' || code === 'EINVAL')) {
          this.notes.push(`IPv6 not available (${code})`);
        } else {
          return this.fail(error as NodeJS.ErrnoException);
        }
      }
    }
    if (this.state !== 'opening') {
      // Closed while opening: let go of what was bound.
      await this.closeSockets();
      return;
    }
    this.families = this.sockets.map((entry) => (entry.family === 'udp4' ? 'IPv4' : 'IPv6'));
    this.applyBuffer();
    this.state = 'listening';
    this.notify();
  }

  async close(): Promise<void> {
    this.state = 'closed';
    this.subscribers.clear();
    // A bind still under way finishes first (and lets go of the port itself, seeing the state).
    await this.opening?.catch(() => undefined);
    await this.closeSockets();
  }

  private bind(family: 'udp4' | 'udp6', address: string): Promise<Socket> {
    const createSocket = this.options.dgramModule?.createSocket ?? dgram.createSocket;
    return new Promise((resolve, reject) => {
      const socket = createSocket({ type: family, ipv6Only: family === 'udp6', reuseAddr: false });
      const onError = (error: Error): void => {
        try { socket.close(); } catch { /* never bound */ }
        reject(error);
      };
      socket.once('error', onError);
      socket.bind(this.port, address, () => {
        socket.off('error', onError);
        // After binding, errors are rare (an ICMP report on some platforms); they never stop the port.
        socket.on('error', (error) => this.emit('socketError', error));
        socket.on('message', (buffer, rinfo) => this.onMessage(socket, buffer, rinfo));
        resolve({ family, socket });
      });
    });
  }

  private applyBuffer(): void {
    if (!this.requestedBuffer) this.requestedBuffer = DEFAULT_BUFFER;
    for (const { socket } of this.sockets) {
      try {
        socket.setRecvBufferSize(this.requestedBuffer);
      } catch (error) {
        this.notes.push(`receive buffer: ${(error as Error).message}`);
      }
    }
    try {
      // Linux reports twice what it keeps for data; what matters here is what it granted.
      const granted = this.sockets[0]?.socket.getRecvBufferSize();
      this.recvBufferSize = granted && os.platform() === 'linux' ? granted / 2 : granted;
      if (this.recvBufferSize && this.recvBufferSize < this.requestedBuffer) {
        this.notes = this.notes.filter((note) => !note.startsWith('receive buffer'));
        this.notes.push(`receive buffer ${Math.round(this.recvBufferSize / 1024)} KiB of ${Math.round(this.requestedBuffer / 1024)} KiB asked: raise net.core.rmem_max`);
      }
    } catch {
      this.recvBufferSize = undefined;
    }
  }

  private fail(error: NodeJS.ErrnoException): Promise<void> {
    this.error = bindError(this.port, error);
    this.state = 'failed';
    this.notify();
    return this.closeSockets();
  }

  private async closeSockets(): Promise<void> {
    const sockets = this.sockets.splice(0);
    await Promise.all(sockets.map(({ socket }) => new Promise<void>((resolve) => {
      try {
        socket.close(() => resolve());
      } catch {
        resolve();
      }
    })));
  }

  private notify(): void {
    for (const subscriber of this.subscribers) subscriber.onState?.(this);
    this.emit('state', this.state);
  }

  private onMessage(socket: dgram.Socket, buffer: Buffer, rinfo: dgram.RemoteInfo): void {
    this.counts.received += 1;
    this.replies = [];
    try {
      this.handle(socket, buffer, rinfo);
      for (const reply of this.replies.splice(0)) {
        socket.send(reply.buffer, reply.port, reply.address, (error) => error && this.emit('socketError', error));
      }
    } catch (error) {
      // Whatever a packet does, it must not take Node-RED down with it.
      this.dropAll([...this.subscribers], { reason: 'malformed', source: { address: plainAddress(rinfo.address), port: rinfo.port }, detail: (error as Error).message });
    }
  }

  private handle(socket: dgram.Socket, buffer: Buffer, rinfo: dgram.RemoteInfo): void {
    const address = plainAddress(rinfo.address);
    const from = { address, port: rinfo.port };
    let header: MessageHeader;
    try {
      header = readMessageHeader(buffer);
    } catch (error) {
      this.dropAll([...this.subscribers], { reason: 'malformed', source: from, detail: (error as Error).message });
      return;
    }
    // Each subscriber's sources that accept this address.
    const eligible = new Map<TrapSubscriber, TrapSource[]>();
    const refused: TrapSubscriber[] = [];
    for (const subscriber of this.subscribers) {
      const sources = subscriber.sources.filter((source) => subscriber.anySource || !source.matches || source.matches(address));
      if (sources.length) eligible.set(subscriber, sources);
      else refused.push(subscriber);
    }
    this.dropAll(refused, { reason: 'source', source: from, detail: `${address} is not one of the selected devices` });
    if (eligible.size === 0) return;
    if (header.version === '3') this.onV3(socket, buffer, rinfo, header, eligible);
    else this.onCommunity(socket, buffer, rinfo, header, eligible);
  }

  private onCommunity(socket: dgram.Socket, buffer: Buffer, rinfo: dgram.RemoteInfo,
    header: Extract<MessageHeader, { community: string }>, eligible: Map<TrapSubscriber, TrapSource[]>): void {
    const from = { address: plainAddress(rinfo.address), port: rinfo.port };
    const accepting = new Map<TrapSubscriber, TrapSource>();
    const wrong: TrapSubscriber[] = [];
    for (const [subscriber, sources] of eligible) {
      const source = sources.find((candidate) => candidate.communities.includes(header.community));
      if (source) accepting.set(subscriber, source);
      else wrong.push(subscriber);
    }
    this.dropAll(wrong, { reason: 'community', source: from, detail: `v${header.version} community not accepted` });
    if (accepting.size === 0) return;
    const outcome = this.decode(socket, buffer, rinfo, [header.community], []);
    this.deliver(outcome, accepting, header, from);
  }

  private onV3(socket: dgram.Socket, buffer: Buffer, rinfo: dgram.RemoteInfo,
    header: Extract<MessageHeader, { version: '3' }>, eligible: Map<TrapSubscriber, TrapSource[]>): void {
    const from = { address: plainAddress(rinfo.address), port: rinfo.port };
    if (!header.userName && !header.auth && header.reportable) {
      // Engine discovery by an inform sender: net-snmp answers with a report carrying our engine ID.
      this.decode(socket, buffer, rinfo, [], []);
      return;
    }
    const hasUser = ([, sources]: [TrapSubscriber, TrapSource[]]): boolean =>
      sources.some((source) => source.users.some(({ user }) => user.name === header.userName));
    const entries = [...eligible];
    const withName = entries.filter(hasUser).map(([subscriber]) => subscriber);
    const unknownUser = entries.filter((entry) => !hasUser(entry)).map(([subscriber]) => subscriber);
    const candidates = candidatesFor(header.userName, eligible);
    if (candidates.length === 0) {
      this.dropAll(unknownUser, { reason: 'user', source: from, detail: `unknown v3 user "${header.userName}"` });
      return;
    }
    const engineID = header.engineID.toString('hex');
    // v3 traps are sent under the sender's own engine ID, which a source may pin; informs under ours.
    const trusted = (candidate: Candidate): boolean => engineID === this.engineID || candidate.engines.has(engineID);
    const usable = candidates.filter((candidate) => trusted(candidate) || candidate.anyEngine);
    if (usable.length === 0) {
      // Refused before any key is computed for an engine nobody configured.
      this.dropAll(unknownUser, { reason: 'user', source: from, detail: `unknown v3 user "${header.userName}"` });
      this.dropAll(withName, { reason: 'engineID', source: from, detail: `v3 trap from engine ${engineID}, not the configured engine ID` });
      return;
    }
    const known = usable.some((candidate) => trusted(candidate) || this.keys.has(candidate.key, engineID));
    if (header.auth && !known && !this.newEngines.allow(from.address, header.userName)) {
      this.dropAll(unknownUser, { reason: 'user', source: from, detail: `unknown v3 user "${header.userName}"` });
      this.dropAll(withName, { reason: 'rateLimit', source: from, detail: `v3 user "${header.userName}": too many new engine IDs from ${from.address}, engine ${engineID} not tried` });
      return;
    }
    // Each candidate is tried until one authenticates; the keys it needs are computed once per engine.
    let outcome: Outcome;
    let accepted: Candidate | undefined;
    for (const candidate of usable) {
      outcome = this.keys.around(candidate.key, engineID, () => this.decode(socket, buffer, rinfo, [], [candidate.user]),
        (result) => trusted(candidate) || Boolean(result && 'data' in result));
      if (outcome && 'data' in outcome) {
        accepted = candidate;
        break;
      }
    }
    if (!accepted) {
      this.dropAll(unknownUser, { reason: 'user', source: from, detail: `unknown v3 user "${header.userName}"` });
      this.deliver(outcome, new Map(entries.filter(hasUser).map(([subscriber, sources]) => [subscriber, sources[0]])), header, from);
      return;
    }
    const key = accepted.key;
    const isInform = outcome && 'data' in outcome && outcome.data.pdu.type === snmp.PduType.InformRequest;
    const accepting = new Map<TrapSubscriber, TrapSource>();
    for (const [subscriber, sources] of eligible) {
      const withUser = sources.filter((source) => source.users.some(({ user }) => userKey(user) === key));
      const source = withUser.find((candidate) => isInform || candidate.users.some((entry) =>
        userKey(entry.user) === key && (!entry.engineID || entry.engineID === engineID)));
      if (source) accepting.set(subscriber, source);
      else if (withUser.length) this.dropAll([subscriber], { reason: 'engineID', source: from, detail: `v3 trap from engine ${engineID}, not the configured engine ID` });
      else this.dropAll([subscriber], { reason: 'user', source: from, detail: `v3 user "${header.userName}" with these keys is not configured here` });
    }
    if (header.auth && accepting.size > 0 && !this.timely(header, engineID, accepted, outcome, [...accepting.keys()], from)) return;
    this.deliver(outcome, accepting, header, from);
  }

  /**
   * RFC 3414 timeliness and replays of an authenticated message (see usm-timeliness). What fails
   * is dropped with its reason and never acknowledged; an untimely inform is answered with a
   * usmStatsNotInTimeWindows report, so its sender can resynchronise and send it again.
   */
  private timely(header: Extract<MessageHeader, { version: '3' }>, engineID: string, accepted: Candidate, outcome: Outcome,
    subscribers: TrapSubscriber[], from: TrapDrop['source']): boolean {
    const ours = engineID === this.engineID;
    const verdict = ours
      ? this.replays.local(engineID, { boots: this.clock.boots, time: this.clock.time }, header.engineBoots, header.engineTime, header.authParameters)
      : this.replays.remote(engineID, header.engineBoots, header.engineTime, header.authParameters);
    if (verdict.ok) return true;
    this.replies = [];
    if (ours && verdict.reason === 'timeWindow' && header.reportable) {
      this.notInTimeWindowReports += 1;
      const requestID = outcome && 'data' in outcome ? outcome.data.pdu.id ?? 0 : 0;
      const report = this.keys.around(accepted.key, engineID, () => notInTimeWindowReport({
        msgID: header.msgID, requestID, engineID: header.engineID, boots: this.clock.boots, time: this.clock.time,
        user: accepted.user, count: this.notInTimeWindowReports,
      }), () => true);
      this.replies.push({ buffer: report, port: from.port, address: from.address });
    }
    this.dropAll(subscribers, { reason: verdict.reason, source: from, detail: `v3 user "${header.userName}": ${verdict.detail}` });
    return false;
  }

  /**
   * net-snmp's receiver on one packet, with exactly these credentials; synchronous. What it sends
   * back is caught (and sent when the packet is accepted), and the reports it answers engine
   * discovery with carry our engine's boots and time.
   */
  private decode(_socket: dgram.Socket, buffer: Buffer, rinfo: dgram.RemoteInfo, communities: string[], users: snmp.User[]): Outcome {
    this.authorizer.communities = communities;
    this.authorizer.users = users;
    const engine = (this.receiver as unknown as { engine: { engineBoots: number; engineTime: number } }).engine;
    engine.engineBoots = this.clock.boots;
    engine.engineTime = this.clock.time;
    this.outcome = undefined;
    try {
      this.receiver.onMsg(this.replyCatcher, buffer, rinfo);
    } catch (error) {
      this.outcome = { error: error as Error };
    }
    return this.outcome;
  }

  private deliver(outcome: Outcome, accepting: Map<TrapSubscriber, TrapSource>, header: MessageHeader, from: TrapDrop['source']): void {
    if (accepting.size === 0 && outcome && 'data' in outcome) return;
    if (!outcome || 'error' in outcome) {
      // No outcome: net-snmp answered the sender with a report instead (a security level mismatch).
      const { reason, detail } = outcome ? classify(outcome.error, header)
        : { reason: 'level' as const, detail: `v3 user "${userOf(header)}": security level lower than configured` };
      this.dropAll([...accepting.keys()], { reason, source: from, detail });
      return;
    }
    const { pdu } = outcome.data;
    if (pdu.type !== snmp.PduType.Trap && pdu.type !== snmp.PduType.TrapV2 && pdu.type !== snmp.PduType.InformRequest) {
      this.dropAll([...accepting.keys()], { reason: 'unsupported', source: from, detail: `${snmp.PduType[pdu.type] ?? pdu.type} is not a notification` });
      return;
    }
    const oidProblem = oidLimitProblem(pdu);
    if (oidProblem) {
      this.dropAll([...accepting.keys()], { reason: 'malformed', source: from, detail: oidProblem });
      return;
    }
    for (const [subscriber, source] of accepting) {
      const security: ReceivedNotification['security'] = header.version === '3'
        ? { model: 'usm', user: header.userName, level: header.priv ? 'authPriv' : header.auth ? 'authNoPriv' : 'noAuthNoPriv', engineID: header.engineID.toString('hex'), matched: source.name }
        : { model: 'community', matched: source.name };
      const notification: ReceivedNotification = {
        version: header.version,
        kind: pdu.type === snmp.PduType.InformRequest ? 'inform' : 'trap',
        source: { address: from.address, port: from.port, family: from.address.includes(':') ? 'IPv6' : 'IPv4' },
        security,
        pdu: {
          varbinds: pdu.varbinds ?? [],
          ...(pdu.type === snmp.PduType.Trap ? {
            enterprise: pdu.enterprise, agentAddr: pdu.agentAddr, generic: pdu.generic, specific: pdu.specific, upTime: pdu.upTime,
          } : {}),
        },
      };
      const device = source.matches?.(from.address) ? source.name : namedSource(subscriber, from.address);
      this.counts.delivered += 1;
      try {
        subscriber.onTrap(notification, device);
      } catch (error) {
        this.emit('subscriberError', error);
      }
    }
  }

  private dropAll(subscribers: TrapSubscriber[], drop: TrapDrop): void {
    for (const subscriber of subscribers) {
      this.counts.dropped += 1;
      try {
        subscriber.onDrop(drop);
      } catch (error) {
        this.emit('subscriberError', error);
      }
    }
  }
}

/** The name of the subscriber's source that owns this address, if one does. */
function namedSource(subscriber: TrapSubscriber, address: string): string | undefined {
  return subscriber.sources.find((source) => source.matches?.(address))?.name;
}

function classify(error: Error & { code?: number; error?: Error }, header: MessageHeader): { reason: DropReason; detail: string } {
  const message = error.message ?? String(error);
  if (error instanceof snmp.ResponseInvalidError) {
    if (error.code === snmp.ResponseInvalidCode.EAuthFailure) return { reason: 'auth', detail: `v3 user "${userOf(header)}": authentication failed (wrong auth key or protocol)` };
    if (error.code === snmp.ResponseInvalidCode.ECouldNotDecrypt) return { reason: 'privacy', detail: `v3 user "${userOf(header)}": could not decrypt (wrong privacy key or protocol)` };
  }
  if (/requires (authentication|privacy)/.test(message)) return { reason: 'level', detail: `v3 user "${userOf(header)}": security level lower than configured` };
  if (/Local user not found/.test(message)) return { reason: 'user', detail: `unknown v3 user "${userOf(header)}"` };
  if (/Local community not found/.test(message)) return { reason: 'community', detail: 'community not accepted' };
  if (error instanceof snmp.RequestInvalidError) return { reason: 'unsupported', detail: message };
  const cause = error.error?.message;
  return { reason: 'malformed', detail: cause ? `${message}: ${cause}` : message };
}

function userOf(header: MessageHeader): string {
  return header.version === '3' ? header.userName : '';
}

/** The distinct configured users of this name among the eligible sources, with the engines they are pinned to. */
function candidatesFor(userName: string, eligible: Map<TrapSubscriber, TrapSource[]>): Candidate[] {
  const candidates = new Map<string, Candidate>();
  for (const sources of eligible.values()) {
    for (const source of sources) {
      for (const { user, engineID } of source.users) {
        if (user.name !== userName) continue;
        const key = userKey(user);
        const candidate = candidates.get(key) ?? { user, key, engines: new Set<string>(), anyEngine: false };
        if (engineID) candidate.engines.add(engineID);
        else candidate.anyEngine = true;
        candidates.set(key, candidate);
      }
    }
  }
  return [...candidates.values()];
}

/** Identity of a v3 user's credentials, kept in memory only. */
function userKey(user: snmp.User): string {
  return JSON.stringify([user.name, user.level, user.authProtocol, user.authKey, user.privProtocol, user.privKey]);
}

/** `::ffff:10.0.0.5` is 10.0.0.5. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** The same engine ID for the same host and port across restarts, so inform senders keep theirs. */
function stableEngineID(port: number): string {
  const digest = crypto.createHash('sha256').update(`${os.hostname()}:${port}:rack-power`).digest('hex');
  return `8000b98380${digest.slice(0, 24)}`;
}

function bindError(port: number, error: NodeJS.ErrnoException): Error {
  let message: string;
  if (error.code === 'EACCES') {
    message = `no permission to listen on udp port ${port} (EACCES)`
      + (port < 1024
        ? ': ports below 1024 need privileges. Use a port above 1023 (1162 is the default; set pduTrapInPort in settings.js), '
        + `redirect ${port} to it (iptables -t nat -A PREROUTING -p udp --dport ${port} -j REDIRECT --to-ports 1162), `
        + 'or let Node.js bind low ports: sudo setcap cap_net_bind_service=+ep "$(readlink -f "$(which node)")"'
        : '');
  } else if (error.code === 'EADDRINUSE') {
    message = `udp port ${port} is already in use by another program (snmptrapd?): stop it or choose another port`;
  } else {
    message = `cannot listen on udp port ${port}: ${error.code ?? ''} ${error.message}`.replace(/\s+/g, ' ');
  }
  const wrapped = new Error(message) as NodeJS.ErrnoException;
  wrapped.code = error.code;
  return wrapped;
}

/** The stand-in dgram module that lets net-snmp build its receiver without opening a socket. */
const NO_SOCKETS = {
  createSocket: () => ({
    on: () => undefined,
    bind: () => undefined,
    close: (callback?: () => void) => callback?.(),
    address: () => ({ address: '', family: '', port: 0 }),
  }),
};

// The registry: one listener per port for the whole process (all flows, all redeploys).
const listeners = new Map<number, TrapListener>();
const closing = new Map<number, Promise<void>>();

/** The listener on this port, opened for the first subscriber. */
export function acquireTrapListener(port: number, subscriber: TrapSubscriber, options: ListenerOptions = {}): TrapListener {
  let listener = listeners.get(port);
  if (!listener || listener.state === 'failed' || listener.state === 'closed') {
    const created = new TrapListener(port, options);
    listener = created;
    listeners.set(port, created);
    // A listener closing on this port (a redeploy) lets go of it first.
    const previous = closing.get(port) ?? Promise.resolve();
    created.subscribe(subscriber);
    previous.then(() => created.open()).catch(() => undefined);
    return created;
  }
  listener.subscribe(subscriber);
  if (listener.state !== 'opening') subscriber.onState?.(listener);
  return listener;
}

/** Leave the listener; the last one out closes the port and resolves once it is free. */
export function releaseTrapListener(listener: TrapListener, subscriber: TrapSubscriber): Promise<void> {
  listener.unsubscribe(subscriber);
  if (listener.subscriberCount > 0) return Promise.resolve();
  if (listeners.get(listener.port) === listener) listeners.delete(listener.port);
  const done = listener.close().finally(() => {
    if (closing.get(listener.port) === done) closing.delete(listener.port);
  });
  closing.set(listener.port, done);
  return done;
}
