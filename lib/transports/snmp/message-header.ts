// The outer part of an SNMP message, read before net-snmp decodes (and decrypts) the rest: the
// version and community, or the v3 user and the engine ID its keys are localized to. The trap
// listener uses it to pick whose credentials to try, and to say why a packet was dropped.

export type MessageHeader =
  | { version: '1' | '2c'; community: string }
  | {
    version: '3';
    msgID: number;
    engineID: Buffer;
    engineBoots: number;
    engineTime: number;
    userName: string;
    /**
     * msgAuthenticationParameters, a view into the packet itself (not a copy), as net-snmp's
     * `Authentication.isAuthentic` needs it; the HMAC that makes an exact replay recognisable.
     */
    authParameters: Buffer;
    auth: boolean;
    priv: boolean;
    reportable: boolean;
  };

export class MalformedMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMessageError';
  }
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const OCTET_STRING = 0x04;

/** A bounds-checked reader of BER tag-length-value items. */
class Reader {
  private offset: number;

  constructor(private readonly buffer: Buffer, start = 0, private readonly end = buffer.length) {
    this.offset = start;
  }

  /** The next item's content, which must have this tag. */
  read(tag: number, what: string): { start: number; end: number } {
    if (this.offset + 2 > this.end) throw new MalformedMessageError(`truncated before ${what}`);
    const found = this.buffer[this.offset];
    if (found !== tag) throw new MalformedMessageError(`${what}: expected tag 0x${tag.toString(16)}, found 0x${found.toString(16)}`);
    let length = this.buffer[this.offset + 1];
    let start = this.offset + 2;
    if (length & 0x80) {
      const bytes = length & 0x7f;
      if (bytes === 0 || bytes > 4 || start + bytes > this.end) throw new MalformedMessageError(`${what}: bad length`);
      length = 0;
      for (let i = 0; i < bytes; i += 1) length = length * 256 + this.buffer[start + i];
      start += bytes;
    }
    const end = start + length;
    if (end > this.end) throw new MalformedMessageError(`${what}: ${length} bytes announced, ${this.end - start} present`);
    this.offset = end;
    return { start, end };
  }

  integer(what: string): number {
    const { start, end } = this.read(INTEGER, what);
    if (end === start || end - start > 6) throw new MalformedMessageError(`${what}: bad integer`);
    return this.buffer.readIntBE(start, end - start);
  }

  octets(what: string): Buffer {
    const { start, end } = this.read(OCTET_STRING, what);
    return this.buffer.subarray(start, end);
  }

  sequence(what: string): Reader {
    const { start, end } = this.read(SEQUENCE, what);
    return new Reader(this.buffer, start, end);
  }
}

export function readMessageHeader(buffer: Buffer): MessageHeader {
  const message = new Reader(buffer).sequence('message');
  const version = message.integer('version');
  if (version === 0 || version === 1) {
    return { version: version === 0 ? '1' : '2c', community: message.octets('community').toString('latin1') };
  }
  if (version !== 3) throw new MalformedMessageError(`unknown SNMP version ${version}`);
  const global = message.sequence('msgGlobalData');
  const msgID = global.integer('msgID');
  global.integer('msgMaxSize');
  const flags = global.octets('msgFlags');
  if (flags.length !== 1) throw new MalformedMessageError('msgFlags must be one byte');
  const model = global.integer('msgSecurityModel');
  if (model !== 3) throw new MalformedMessageError(`security model ${model} is not USM`);
  const parameters = message.octets('msgSecurityParameters');
  const usm = new Reader(parameters).sequence('UsmSecurityParameters');
  const engineID = usm.octets('msgAuthoritativeEngineID');
  const engineBoots = usm.integer('msgAuthoritativeEngineBoots');
  const engineTime = usm.integer('msgAuthoritativeEngineTime');
  const userName = usm.octets('msgUserName').toString('utf8');
  const authParameters = usm.octets('msgAuthenticationParameters');
  return {
    version: '3',
    msgID,
    engineID: Buffer.from(engineID),
    engineBoots,
    engineTime,
    userName,
    authParameters,
    auth: (flags[0] & 1) !== 0,
    priv: (flags[0] & 2) !== 0,
    reportable: (flags[0] & 4) !== 0,
  };
}
