import * as snmp from 'net-snmp';
import { DeviceCommandError, DeviceConfigError, DeviceUnreachableError } from '../../device/errors';
import { scrubError, type Secrets } from '../../device/scrub';
import { snmpVersion, v3User, type SnmpTarget } from './options';

export type SnmpValue = snmp.Varbind['value'];

export interface SetItem {
  oid: string;
  type: snmp.ObjectType;
  value: unknown;
}

/** Rows of one column: row index (the OID suffix after the column) -> value. */
export type ColumnRows = Map<string, SnmpValue>;

/**
 * Varbinds asked for in one PDU: a 48-outlet PDU's state, load and status columns in one GetBulk.
 * An agent with a smaller buffer answers tooBig and the client halves this for good.
 */
const DEFAULT_MAX_VARBINDS = 200;

/**
 * One SNMP client per device: a read session and, when the write community differs, a write
 * session, both kept open and reused. Every failure becomes one of the device errors with a
 * message an operator can act on, and with no community or key in it.
 */
export class SnmpClient {
  private readSession?: snmp.Session;
  private writeSession?: snmp.Session;
  private maxVarbinds = DEFAULT_MAX_VARBINDS;
  /** SETs are split apart from reads: a SET's answer is as big as the SET itself. */
  private maxSetVarbinds = DEFAULT_MAX_VARBINDS;
  /**
   * After close() no request opens a session again until reopen(): a poll or verify read still
   * running when the device was closed would otherwise leave a socket nobody closes.
   */
  private closed = false;
  /**
   * How to fail each request still waiting for its answer. net-snmp forgets a request whose
   * datagram was not yet sent when its socket closes: without this it would never settle.
   */
  private readonly inFlight = new Set<() => void>();
  private readonly secrets: Secrets;
  readonly address: string;

  constructor(private readonly target: SnmpTarget) {
    this.address = `${target.host}:${target.port}`;
    this.secrets = {
      readCommunity: target.readCommunity,
      writeCommunity: target.writeCommunity,
      authKey: target.v3?.authKey,
      privKey: target.v3?.privKey,
    };
  }

  async get(oids: string[]): Promise<Array<SnmpValue | undefined>> {
    const values: Array<SnmpValue | undefined> = [];
    for (let start = 0; start < oids.length;) {
      const chunk = oids.slice(start, start + this.maxVarbinds);
      let varbinds: snmp.Varbind[];
      try {
        varbinds = await this.request<snmp.Varbind[]>('read', 'GET', (session, cb) => session.get(chunk, cb));
      } catch (error) {
        // The agent cannot answer this many at once: ask for half as many, and remember it.
        if (error instanceof TooBigError && this.maxVarbinds > 1) {
          this.maxVarbinds = Math.max(1, Math.floor(Math.min(this.maxVarbinds, chunk.length) / 2));
          continue;
        }
        throw error;
      }
      for (const varbind of varbinds) values.push(snmp.isVarbindError(varbind) ? undefined : varbind.value);
      start += chunk.length;
    }
    return values;
  }

  /**
   * Walk whole columns in as few round trips as the agent allows: one GetBulk carries every
   * column, with one repetition more than the rows we expect so that the end of the table is
   * seen in the same answer. SNMPv1 has no GetBulk and walks with GetNext, a row per request.
   */
  async walkColumns(columns: string[], expectedRows = 24): Promise<ColumnRows[]> {
    // A column named twice (a profile's rows and names in one column) is walked once.
    const unique = [...new Set(columns)];
    if (unique.length < columns.length) {
      const walked = await this.walkColumns(unique, expectedRows);
      return columns.map((column) => walked[unique.indexOf(column)]);
    }
    const results = columns.map(() => new Map<string, SnmpValue>());
    const cursor = [...columns];
    const active = new Set(columns.map((_, position) => position));
    while (active.size > 0) {
      const positions = [...active];
      const oids = positions.map((position) => cursor[position]);
      const found = Math.min(...positions.map((position) => results[position].size));
      // Past the expected rows the table grew: go on a page at a time.
      const wanted = found <= expectedRows ? expectedRows + 1 - found : 25;
      const repetitions = Math.max(1, Math.min(wanted, Math.floor(this.maxVarbinds / positions.length)));
      const perColumn = await this.fetchNext(oids, repetitions);
      if (perColumn.every((varbinds) => varbinds.length === 0)) break;
      // An agent may truncate a GetBulk answer (size limits): a column that got nothing this
      // time is not finished, it is asked again from where it stands.
      positions.forEach((position, column) => {
        const prefix = `${columns[position]}.`;
        const rows = results[position];
        for (const varbind of perColumn[column] ?? []) {
          const row = varbind.oid.startsWith(prefix) ? varbind.oid.slice(prefix.length) : undefined;
          // A row seen twice means the agent walks in circles: stop there rather than loop.
          if (row === undefined || snmp.isVarbindError(varbind) || rows.has(row)) {
            active.delete(position);
            return;
          }
          rows.set(row, varbind.value);
          cursor[position] = varbind.oid;
        }
      });
    }
    return results;
  }

  /** Whether the agent has anything under this OID: one GetNext (a GetBulk of one), never a walk. */
  async hasAny(oid: string): Promise<boolean> {
    const [varbinds] = await this.fetchNext([oid], 1);
    const first = varbinds?.[0];
    return Boolean(first) && !snmp.isVarbindError(first) && first.oid.startsWith(`${oid}.`);
  }

  async set(items: SetItem[]): Promise<void> {
    let done = 0;
    while (done < items.length) {
      const chunk = items.slice(done, done + this.maxSetVarbinds) as snmp.Varbind[];
      try {
        await this.request<snmp.Varbind[]>('write', 'SET', (session, cb) => session.set(chunk, cb));
      } catch (error) {
        // An agent sizes its answer before it sets anything (RFC 3416, 4.2.5): a SET answered
        // tooBig changed nothing, and the same values go again in smaller SETs.
        if (error instanceof TooBigError && chunk.length > 1) {
          this.maxSetVarbinds = Math.ceil(chunk.length / 2);
          continue;
        }
        throw this.setFailure(error as Error, chunk, done, items.length);
      }
      done += chunk.length;
    }
  }

  /** Close the sessions; requests fail with a clear error until reopen(). */
  close(): void {
    this.closed = true;
    this.dropSessions();
    const abandoned = [...this.inFlight];
    this.inFlight.clear();
    for (const abandon of abandoned) abandon();
  }

  /** Allow sessions again after close() (a driver described anew after being closed). */
  reopen(): void {
    this.closed = false;
  }

  private dropSessions(): void {
    for (const session of [this.readSession, this.writeSession]) {
      try { session?.close(); } catch { /* already closed */ }
    }
    this.readSession = undefined;
    this.writeSession = undefined;
  }

  /** A SET that failed, with what the operator needs: what tooBig means, and what was already set. */
  private setFailure(error: Error, chunk: snmp.Varbind[], done: number, total: number): Error {
    const failure = error instanceof TooBigError
      ? new DeviceCommandError(`${this.address} answered tooBig even to a SET of one value (${chunk[0].oid}): `
        + 'the agent cannot take a single outlet command, so that outlet was not switched')
      : error;
    if (done > 0) failure.message += ` (the ${done} value${done === 1 ? '' : 's'} sent before in this command, of ${total}, were set)`;
    return failure;
  }

  /** The varbinds following each OID, one list per OID (GetBulk groups them so already). */
  private async fetchNext(oids: string[], repetitions: number): Promise<snmp.Varbind[][]> {
    if (this.target.version === '1') {
      const varbinds = await this.request<snmp.Varbind[]>('read', 'GETNEXT', (session, cb) => session.getNext(oids, cb));
      return varbinds.map((varbind) => [varbind]);
    }
    try {
      const grouped = await this.request<unknown[]>('read', 'GETBULK', (session, cb) => session.getBulk(oids, 0, repetitions, cb as snmp.VarbindsCallback));
      return grouped.map((group) => (Array.isArray(group) ? group : [group]) as snmp.Varbind[]);
    } catch (error) {
      if (error instanceof TooBigError && repetitions > 1) {
        this.maxVarbinds = Math.max(oids.length, Math.floor(repetitions * oids.length / 2));
        return this.fetchNext(oids, Math.max(1, Math.floor(repetitions / 2)));
      }
      throw error;
    }
  }

  private session(kind: 'read' | 'write'): snmp.Session {
    const write = kind === 'write' && this.target.version !== '3';
    const existing = write ? this.writeSession : this.readSession;
    if (existing) return existing;
    const options: snmp.SessionOptions = {
      port: this.target.port,
      retries: this.target.retries,
      timeout: this.target.timeout,
      version: snmpVersion(this.target.version),
      transport: this.target.host.includes(':') ? 'udp6' : 'udp4',
      idBitsSize: 32,
      backwardsGetNexts: false,
    };
    let session: snmp.Session;
    if (this.target.version === '3') {
      if (!this.target.v3) throw new DeviceConfigError('SNMPv3 selected but no user configured');
      session = snmp.createV3Session(this.target.host, v3User(this.target.v3), options);
    } else {
      const community = write ? this.target.writeCommunity : this.target.readCommunity;
      if (!community) {
        throw new DeviceConfigError(write
          ? 'no write community set: power control needs the device\'s SET community'
          : 'no read community set');
      }
      session = snmp.createSession(this.target.host, community, options);
    }
    // A socket error must never reach the process as an unhandled 'error' event; the next
    // request opens a fresh session.
    session.on('error', () => this.dropSessions());
    if (write) this.writeSession = session;
    else this.readSession = session;
    return session;
  }

  private request<T>(kind: 'read' | 'write', operation: string,
    call: (session: snmp.Session, cb: (error: Error | null, result: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) {
        reject(this.closedError(operation));
        return;
      }
      let session: snmp.Session;
      try {
        session = this.session(kind);
      } catch (error) {
        reject(error);
        return;
      }
      const abandon = (): void => reject(this.abandonedError(operation));
      this.inFlight.add(abandon);
      const settle = (error: Error | null, result?: T): void => {
        this.inFlight.delete(abandon);
        if (error) reject(this.translate(error, kind, operation));
        else resolve(result as T);
      };
      try {
        call(session, settle);
      } catch (error) {
        settle(error as Error);
      }
    });
  }

  private closedError(operation: string): Error {
    return new DeviceUnreachableError(`the SNMP session to ${this.address} is closed (the device was closed or redeployed); `
      + `the ${operation} was not sent`);
  }

  private abandonedError(operation: string): Error {
    return new DeviceUnreachableError(`the SNMP session to ${this.address} was closed while the ${operation} was in flight `
      + '(the device was closed or redeployed)');
  }

  /** Our error for a library error, scrubbed of every credential the client holds. */
  private translate(error: Error, kind: 'read' | 'write', operation: string): Error {
    return scrubError(this.describeFailure(error, kind, operation), this.secrets);
  }

  private describeFailure(error: Error, kind: 'read' | 'write', operation: string): Error {
    // What close() cancels arrives as net-snmp's "Socket forcibly closed".
    if (this.closed) return this.abandonedError(operation);
    const tries = this.target.retries + 1;
    if (error instanceof snmp.RequestTimedOutError) {
      const credential = this.target.version === '3' ? 'the SNMPv3 user and keys'
        : kind === 'write' ? 'the write community' : 'the read community';
      return new DeviceUnreachableError(`no answer from ${this.address} after ${tries} ${tries === 1 ? 'try' : 'tries'} `
        + `(${operation}; check the address, ${credential} and that SNMP ${this.target.version === '1' ? 'v1' : `v${this.target.version}`} is enabled)`, error);
    }
    if (error instanceof snmp.RequestFailedError) {
      const status = snmp.ErrorStatus[(error as snmp.RequestFailedError & { status: number }).status] ?? 'error';
      if (status === 'TooBig') {
        return new TooBigError(`${this.address} answered tooBig: its answer to this ${operation} would not fit its buffer (${error.message})`);
      }
      const hint = STATUS_HINTS[status] ?? '';
      return new DeviceCommandError(`${this.address} refused the ${operation} (${error.message})${hint}`);
    }
    if (error instanceof snmp.ResponseInvalidError) {
      const code: number = (error as snmp.ResponseInvalidError & { code: number }).code;
      // net-snmp's text names both communities: ours and the agent's.
      if (code === snmp.ResponseInvalidCode.ECommunityNoMatch) {
        return new DeviceConfigError(`${this.address} answered the ${operation} with a different community than the one `
          + `configured (check the ${kind} community)`);
      }
      if (code === snmp.ResponseInvalidCode.ECouldNotDecrypt) {
        return new DeviceConfigError(`SNMPv3 at ${this.address}: cannot decrypt the answer (check the privacy key and privacy protocol)`);
      }
      if (code === snmp.ResponseInvalidCode.EAuthFailure && !(error.message in V3_HINTS)) {
        // A digest mismatch on the answer: net-snmp's text carries digests computed from the key.
        return new DeviceConfigError(`SNMPv3 at ${this.address}: the answer failed the authentication check `
          + '(check the auth key and auth protocol)');
      }
      if (code === snmp.ResponseInvalidCode.EAuthFailure) {
        return new DeviceConfigError(`SNMPv3 at ${this.address} rejected the request: ${error.message}`
          + `${V3_HINTS[error.message] ?? ''}`);
      }
      return new DeviceCommandError(`invalid answer from ${this.address}: ${error.message}`);
    }
    if (error instanceof DeviceConfigError || error instanceof DeviceUnreachableError) return error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new DeviceConfigError(`cannot resolve host "${this.target.host}"`);
    if (code) return new DeviceUnreachableError(`cannot reach ${this.address}: ${code}`, error);
    return new DeviceCommandError(`SNMP ${operation} to ${this.address} failed: ${error.message}`);
  }
}

/** The agent's answer would not fit its buffer: the caller asks for less. */
class TooBigError extends DeviceCommandError {}

const STATUS_HINTS: Record<string, string> = {
  NoSuchName: ' (the device does not have this object: wrong profile?)',
  NotWritable: ' (read-only here: is the write community right and allowed to write?)',
  NoAccess: ' (the community or user has no access to it)',
  AuthorizationError: ' (the community or user is not allowed to do this)',
  ReadOnly: ' (the community is read-only: set the write community)',
  WrongValue: ' (the device does not accept this value)',
  InconsistentValue: ' (the device cannot do this now)',
  GeneralError: ' (the device reported a general error)',
};

const V3_HINTS: Record<string, string> = {
  'Unknown User Name': ' (check the user name)',
  'Wrong Digest (incorrect password, community or key)': ' (check the auth key and auth protocol)',
  'Decryption Error': ' (check the privacy key and privacy protocol)',
  'Unsupported Security Level': ' (the user does not allow this security level)',
  'Not In Time Window': ' (engine time out of sync; it retries on the next request)',
};
