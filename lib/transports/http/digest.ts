import crypto from 'crypto';

// HTTP Digest access authentication, client side (RFC 7616, with RFC 2617's MD5): the device
// sends a challenge (realm, nonce, qop) with its 401; each request then carries a response hash
// over the user, password, nonce, a request counter (nc) and our own nonce (cnonce), so the
// password itself never travels. A nonce the device has retired comes back as `stale=true`: the
// same credentials with the new nonce, not a wrong password.

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  /** MD5, MD5-sess, SHA-256 or SHA-256-sess. */
  algorithm: string;
  /** `auth` when the device offers it; undefined for an RFC 2069 device without qop. */
  qop?: 'auth';
  stale: boolean;
}

const HASHES: Record<string, string> = { 'MD5': 'md5', 'MD5-SESS': 'md5', 'SHA-256': 'sha256', 'SHA-256-SESS': 'sha256' };

/** `name=value` and `name="quoted, value"` pairs of one challenge. */
function authParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    params.set(match[1].toLowerCase(), match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]);
  }
  return params;
}

/**
 * The Digest challenges among WWW-Authenticate headers (each header may hold several
 * challenges of several schemes), strongest hash first; those we cannot answer are left out.
 */
export function digestChallenges(headers: string[]): DigestChallenge[] {
  const found: DigestChallenge[] = [];
  for (const header of headers) {
    // A new challenge starts where a scheme name is followed by a space rather than `=`.
    for (const part of header.split(/,?\s*(?=\b(?:Digest|Basic|Bearer|Negotiate|NTLM)\s+(?![=]))/i)) {
      const scheme = /^\s*(\w+)\s+/.exec(part);
      if (!scheme || scheme[1].toLowerCase() !== 'digest') continue;
      const params = authParams(part.slice(scheme[0].length));
      const algorithm = (params.get('algorithm') ?? 'MD5').toUpperCase();
      const qops = (params.get('qop') ?? '').split(',').map((qop) => qop.trim().toLowerCase()).filter(Boolean);
      const realm = params.get('realm');
      const nonce = params.get('nonce');
      if (realm === undefined || !nonce || !HASHES[algorithm]) continue;
      // auth-int would need the body's hash on every request; the devices offer auth.
      if (qops.length > 0 && !qops.includes('auth')) continue;
      found.push({
        realm, nonce, opaque: params.get('opaque'), algorithm, qop: qops.length ? 'auth' : undefined,
        stale: (params.get('stale') ?? '').toLowerCase() === 'true',
      });
    }
  }
  return found.sort((a, b) => strength(b.algorithm) - strength(a.algorithm));
}

function strength(algorithm: string): number {
  return HASHES[algorithm] === 'sha256' ? 1 : 0;
}

function quoted(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

interface DigestInput {
  algorithm: string; username: string; realm: string; password: string; nonce: string;
  nc: string; cnonce: string; qop?: string; method: string; uri: string;
}

/** The `response` hash both sides compute (RFC 7616 section 3.4.1). */
function digestResponse(input: DigestInput): string {
  const hash = (text: string): string => crypto.createHash(HASHES[input.algorithm]).update(text, 'utf8').digest('hex');
  let ha1 = hash(`${input.username}:${input.realm}:${input.password}`);
  if (input.algorithm.endsWith('-SESS')) ha1 = hash(`${ha1}:${input.nonce}:${input.cnonce}`);
  const ha2 = hash(`${input.method}:${input.uri}`);
  return input.qop
    ? hash(`${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`)
    : hash(`${ha1}:${input.nonce}:${ha2}`);
}

/** One challenge in use: answers each request with the next nonce count. */
export class DigestSession {
  private count = 0;

  constructor(readonly challenge: DigestChallenge, private readonly newCnonce = () => crypto.randomBytes(16).toString('hex')) {}

  /** The Authorization header for this request (`uri`: the request target, query included). */
  authorization(method: string, uri: string, username: string, password: string): string {
    const { realm, nonce, opaque, algorithm, qop } = this.challenge;
    const cnonce = this.newCnonce();
    this.count += 1;
    const nc = this.count.toString(16).padStart(8, '0');
    const response = digestResponse({ algorithm, username, realm, password, nonce, nc, cnonce, qop, method, uri });
    const fields = [
      `username=${quoted(username)}`, `realm=${quoted(realm)}`, `nonce=${quoted(nonce)}`, `uri=${quoted(uri)}`,
      `algorithm=${algorithm}`, `response=${quoted(response)}`,
    ];
    if (opaque !== undefined) fields.push(`opaque=${quoted(opaque)}`);
    if (qop) fields.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quoted(cnonce)}`);
    return `Digest ${fields.join(', ')}`;
  }
}

/**
 * The server's side of the same computation, for the simulators: the response a request with
 * these Authorization fields should carry, or undefined when a field is missing.
 */
export function expectedDigestResponse(fields: Map<string, string>, method: string, password: string): string | undefined {
  const algorithm = (fields.get('algorithm') ?? 'MD5').toUpperCase();
  const [username, realm, nonce, uri] = ['username', 'realm', 'nonce', 'uri'].map((key) => fields.get(key));
  if (!HASHES[algorithm] || username === undefined || realm === undefined || !nonce || !uri) return undefined;
  return digestResponse({
    algorithm, username, realm, password, nonce, nc: fields.get('nc') ?? '', cnonce: fields.get('cnonce') ?? '',
    qop: fields.get('qop'), method, uri,
  });
}

/** The fields of a Digest Authorization header (the simulators read them). */
export function authorizationFields(header: string): Map<string, string> | undefined {
  const scheme = /^\s*Digest\s+/i.exec(header);
  return scheme ? authParams(header.slice(scheme[0].length)) : undefined;
}
