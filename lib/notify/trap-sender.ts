import crypto from 'crypto';
import * as snmp from 'net-snmp';
import { scrubError, type Secrets } from '../device/scrub';
import { v3User, type SnmpV3User } from '../transports/snmp/options';
import type { DeviceEvent } from '../types';
import { eventNotification } from './rack-power-mib';

// Sends events to one network management system as SNMP notifications: v2c traps and informs,
// v3 traps and informs. One send at a time, in the order given, so an NMS sees events in the
// order they happened; the ones waiting are bounded, so an NMS that stops acknowledging informs
// costs a known amount of memory and every event past the bound is refused at once, saying why.

export interface TrapTarget {
  host: string;
  port: number;
  version: '2c' | '3';
  /** A trap is sent and forgotten; an inform is resent until the NMS acknowledges it. */
  mode: 'trap' | 'inform';
  community?: string;
  user?: SnmpV3User;
  /** Hex: the engine ID v3 traps carry (the NMS keys the user to it). */
  engineID?: string;
  /** Informs: resends after the first try. */
  retries?: number;
  /** Informs: how long each try waits for the acknowledgement. */
  timeoutMs?: number;
  /** Events waiting behind the one being sent; one more is refused. */
  queueLimit?: number;
}

export const SENDER_DEFAULTS = { retries: 3, timeoutMs: 2000, queueLimit: 100 };

/** The inform went out every try and no acknowledgement came back. */
export class InformNotAcknowledgedError extends Error {}
/** Too many events wait already (the NMS is slow or gone): this one was not sent. */
export class QueueFullError extends Error {}

interface Waiting {
  event: DeviceEvent;
  resolve(): void;
  reject(error: Error): void;
}

export class TrapSender {
  readonly engineID: string;
  private readonly retries: number;
  private readonly timeoutMs: number;
  private readonly queueLimit: number;
  private readonly secrets: Secrets;
  private readonly waiting: Waiting[] = [];
  private session: snmp.Session | undefined;
  private inFlight: Waiting | undefined;
  private closed = false;

  constructor(private readonly target: TrapTarget) {
    if (!target.host) throw new Error('no NMS host set: enter it in the node\'s target settings');
    if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) throw new Error(`NMS port must be 1 to 65535, not "${target.port}"`);
    if (target.version === '2c' && !target.community) throw new Error('SNMP v2c needs a community');
    this.retries = target.retries ?? SENDER_DEFAULTS.retries;
    this.timeoutMs = target.timeoutMs ?? SENDER_DEFAULTS.timeoutMs;
    this.queueLimit = target.queueLimit ?? SENDER_DEFAULTS.queueLimit;
    this.secrets = { trapCommunity: target.community, authKey: target.user?.authKey, privKey: target.user?.privKey };
    this.engineID = checkEngineID(target.engineID);
    // Checked now, so that a wrong user is a configuration error at deploy, not at the first event.
    if (target.version === '3') v3User(target.user ?? { username: '', securityLevel: 'noAuthNoPriv' });
  }

  /** Events waiting to be sent, the one being sent included. */
  get pending(): number {
    return this.waiting.length + (this.inFlight ? 1 : 0);
  }

  /** Resolves when the trap is sent or the inform acknowledged; rejects with what went wrong. */
  send(event: DeviceEvent): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the node is closing: event not sent'));
    if (this.waiting.length >= this.queueLimit) {
      return Promise.reject(new QueueFullError(`event not sent: ${this.waiting.length} events already wait for the NMS `
        + `(the limit), which is slow or not ${this.target.mode === 'inform' ? 'acknowledging informs' : 'reachable'}`));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ event, resolve, reject });
      this.next();
    });
  }

  /** Stops: what waits is refused, what is in flight fails with the socket. */
  close(): void {
    this.closed = true;
    for (const item of this.waiting.splice(0)) item.reject(new Error('the node closed before the event was sent'));
    // Closing the socket does not always end net-snmp's request: the event's outcome is settled here.
    this.inFlight?.reject(new Error(this.target.mode === 'inform'
      ? 'the node closed before the NMS acknowledged the inform: it may or may not have arrived'
      : 'the node closed while the trap was being sent: it may or may not have gone out'));
    this.inFlight = undefined;
    const session = this.session;
    this.session = undefined;
    try {
      session?.close();
    } catch {
      // Already closed by a socket error: nothing left to free.
    }
  }

  private next(): void {
    if (this.inFlight || this.closed) return;
    const item = this.waiting.shift();
    if (!item) return;
    this.inFlight = item;
    this.notify(item.event).then(item.resolve, (error: unknown) => item.reject(scrubError(error, this.secrets)))
      .finally(() => {
        if (this.inFlight !== item) return; // closed meanwhile
        this.inFlight = undefined;
        this.next();
      });
  }

  private notify(event: DeviceEvent): Promise<void> {
    const { oid, varbinds } = eventNotification(event);
    const session = this.openSession();
    return new Promise((resolve, reject) => {
      const done = (error: Error | null): void => {
        if (!error) resolve();
        else if (error instanceof snmp.RequestTimedOutError) reject(this.notAcknowledged());
        else reject(error);
      };
      if (this.target.mode === 'inform') session.inform(oid, varbinds, done);
      else session.trap(oid, varbinds, done);
    });
  }

  private notAcknowledged(): Error {
    const tries = this.retries + 1;
    return new InformNotAcknowledgedError(`inform not acknowledged by the NMS after ${tries} ${tries === 1 ? 'try' : 'tries'} `
      + `(${this.timeoutMs} ms each): check that it listens on the port and accepts this ${this.target.version === '3' ? 'user' : 'community'}`);
  }

  /** One session (one UDP socket) for all sends; a socket error drops it and the next send opens another. */
  private openSession(): snmp.Session {
    if (this.session) return this.session;
    const { host, port, version } = this.target;
    const options = {
      trapPort: port,
      port,
      retries: this.retries,
      timeout: this.timeoutMs,
      transport: (host.includes(':') ? 'udp6' : 'udp4') as 'udp4' | 'udp6',
      version: version === '3' ? snmp.Version3 : snmp.Version2c,
      engineID: this.engineID,
    };
    const session = version === '3'
      ? snmp.createV3Session(host, v3User(this.target.user!), options)
      : snmp.createSession(host, this.target.community!, options);
    session.on('error', () => {
      // The request's own callback carries the error; the session is not used again.
      if (this.session === session) this.session = undefined;
      try { session.close(); } catch { /* already closed */ }
    });
    this.session = session;
    return session;
  }
}

/**
 * A v3 engine ID as hex (RFC 3411: 5 to 32 octets). Without one, a random one: give a stable one
 * (the node does) so that the NMS's `createUser -e` entry keeps matching.
 */
function checkEngineID(hex: string | undefined): string {
  if (hex === undefined || hex === '') return `8001869f05${crypto.randomBytes(8).toString('hex')}`;
  const clean = hex.replace(/^0x/i, '');
  if (!/^([0-9a-f]{2}){5,32}$/i.test(clean)) throw new Error(`engine ID must be 5 to 32 octets in hex, not "${hex}"`);
  return clean.toLowerCase();
}

/** A stable engine ID derived from a text (the node's id): enterprise 99999 (the MIB's example arc), format 5 (octets). */
export function engineIDFor(text: string): string {
  return `8001869f05${crypto.createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}
