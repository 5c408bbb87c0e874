import * as snmp from 'net-snmp';

// The usmStatsNotInTimeWindows report an authoritative engine answers an untimely inform with
// (RFC 3414 section 3.2 step 7a; RFC 3412 section 7.1 step 3: sent authNoPriv, so the sender can
// trust the boots and time in it and resynchronise). net-snmp's receiver never sends this report
// and only builds unauthenticated ones, so it is written here: a few BER items, and the HMAC from
// net-snmp's exported `Authentication.writeParameters`.

const USM_STATS_NOT_IN_TIME_WINDOWS = [1, 3, 6, 1, 6, 3, 15, 1, 1, 2, 0];
const REPORT_PDU = 0xa8;
const COUNTER32 = 0x41;

function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length;
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else if (length < 0x100) header = [tag, 0x81, length];
  else header = [tag, 0x82, length >> 8, length & 0xff];
  return Buffer.concat([Buffer.from(header), content]);
}

/** Two's complement, fewest bytes (BER INTEGER), or unsigned with the Counter32 tag. */
function integer(value: number, tag = 0x02): Buffer {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest !== 0 && rest !== -1);
  if (value >= 0 && bytes[0] & 0x80) bytes.unshift(0);
  if (value < 0 && !(bytes[0] & 0x80)) bytes.unshift(0xff);
  return tlv(tag, Buffer.from(bytes));
}

const octets = (content: Buffer | string): Buffer => tlv(0x04, Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'));
const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));

function oid(arcs: number[]): Buffer {
  // Every arc here is below 128: one byte each after the first two, packed as 40 * a + b.
  return tlv(0x06, Buffer.from([arcs[0] * 40 + arcs[1], ...arcs.slice(2)]));
}

export interface ReportArguments {
  /** The untimely message's msgID and request-id, which the sender matches the report to. */
  msgID: number;
  requestID: number;
  engineID: Buffer;
  boots: number;
  time: number;
  user: snmp.User;
  /** usmStatsNotInTimeWindows so far. */
  count: number;
}

export function notInTimeWindowReport(args: ReportArguments): Buffer {
  const authProtocol = args.user.authProtocol as snmp.AuthProtocols;
  const authentication = (snmp as unknown as { Authentication: {
    getParametersLength(protocol: snmp.AuthProtocols): number;
    writeParameters(message: Buffer, protocol: snmp.AuthProtocols, password: string, engineID: Buffer, digest: Buffer): void;
  } }).Authentication;
  const digestLength = authentication.getParametersLength(authProtocol);
  const global = sequence(integer(args.msgID), integer(65507), octets(Buffer.from([0x01])), integer(3));
  // Everything of the security parameters before the digest, to know where the digest lands.
  const beforeDigest = Buffer.concat([octets(args.engineID), integer(args.boots), integer(args.time), octets(args.user.name)]);
  const usmContent = Buffer.concat([beforeDigest, octets(Buffer.alloc(digestLength)), octets('')]);
  const usm = sequence(usmContent);
  const securityParameters = octets(usm);
  const varbind = sequence(oid(USM_STATS_NOT_IN_TIME_WINDOWS), integer(args.count >>> 0, COUNTER32));
  const pdu = tlv(REPORT_PDU, Buffer.concat([integer(args.requestID), integer(0), integer(0), sequence(varbind)]));
  const scoped = sequence(octets(args.engineID), octets(''), pdu);
  const version = integer(3);
  const content = Buffer.concat([version, global, securityParameters, scoped]);
  const message = sequence(content);
  const digestAt = (message.length - content.length) + version.length + global.length
    + (securityParameters.length - usm.length) + (usm.length - usmContent.length) + beforeDigest.length + 2;
  const digest = message.subarray(digestAt, digestAt + digestLength);
  authentication.writeParameters(message, authProtocol, args.user.authKey as string, args.engineID, digest);
  return message;
}
