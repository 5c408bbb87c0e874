import * as snmp from 'net-snmp';

// net-snmp localizes a v3 user's passwords to an engine ID (RFC 3414 A.2: a megabyte of hashing
// per password) in `Authentication.passwordToKey`, and remembers each result for good in the
// module-wide object `Authentication.authToKeyCache`, keyed by protocol + password (in clear) +
// engine ID. A trap receiver meets engine IDs chosen by whoever sends the packet: each v3 packet
// under a known user name with a new engine ID cost two such hashes and left two entries behind
// (some 120 MiB per 100,000 packets).
//
// net-snmp takes no localized keys from its caller; the seam it does export is that cache object.
// Around each decode we put in the entries we keep for this user and engine, let net-snmp work,
// then take out every entry the decode added. So net-snmp's cache only ever holds what other code
// in the process (polling sessions) put there, and ours is bounded: engines that authenticated, or
// that are configured, least recently used first out. The entries are kept as net-snmp made them
// (its cache key and its key), so whatever the privacy protocol derives (Reeder's chained keys
// too) is replayed exactly, and no hashing code of ours can disagree with its.
//
// Whether an engine may be hashed at all is the NewEngineLimiter's business (below): a packet
// from an engine we have no keys for passes only while its source, and everyone, has tokens.

interface NetSnmpAuthentication {
  authToKeyCache: Record<string, Buffer>;
}

function netSnmpKeyCache(): Record<string, Buffer> {
  return (snmp as unknown as { Authentication: NetSnmpAuthentication }).Authentication.authToKeyCache;
}

type Entries = Array<[cacheKey: string, key: Buffer]>;

export class LocalizedKeys {
  /** `user identity + engine hex` -> the cache entries net-snmp made for them; Map order is recency. */
  private readonly kept = new Map<string, Entries>();

  constructor(private readonly limit = 4096) {}

  get size(): number {
    return this.kept.size;
  }

  has(user: string, engineID: string): boolean {
    return this.kept.has(`${user}\n${engineID}`);
  }

  /**
   * Run `decode` (synchronous) with this user's keys for this engine in net-snmp's cache; keep the
   * keys it computed when `keep` says so (the packet authenticated, or the engine is configured).
   */
  around<T>(user: string, engineID: string, decode: () => T, keep: (result: T) => boolean): T {
    const id = `${user}\n${engineID}`;
    const cache = netSnmpKeyCache();
    const before = new Set(Object.keys(cache));
    const entries = this.kept.get(id);
    if (entries) {
      this.kept.delete(id);
      this.kept.set(id, entries);
      for (const [cacheKey, key] of entries) if (!before.has(cacheKey)) cache[cacheKey] = key;
    }
    let result: T | undefined;
    try {
      result = decode();
      return result;
    } finally {
      const added = Object.keys(cache).filter((cacheKey) => !before.has(cacheKey));
      if (!entries && added.length && result !== undefined && keep(result)) {
        this.kept.set(id, added.map((cacheKey) => [cacheKey, cache[cacheKey]]));
        if (this.kept.size > this.limit) this.kept.delete(this.kept.keys().next().value as string);
      }
      for (const cacheKey of added) delete cache[cacheKey];
    }
  }
}

/** A token bucket: `burst` at once, then `perSecond`. */
class Bucket {
  private tokens: number;
  private at: number;

  constructor(private readonly burst: number, private readonly perSecond: number, now: number) {
    this.tokens = burst;
    this.at = now;
  }

  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface LimiterOptions {
  /** New engines one source may bring under one user name: at once, then a second. */
  perSource?: { burst: number; perSecond: number };
  /** New engines from all sources together (a flood from spoofed addresses). */
  overall?: { burst: number; perSecond: number };
  /** Sources remembered; the least recent is forgotten beyond this. */
  sources?: number;
  now?: () => number;
}

/**
 * How many packets from engines we have no keys for may be hashed: per source address and user
 * name, and over all, so a flood costs a few milliseconds a second instead of the event loop.
 */
export class NewEngineLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly overall: Bucket;
  private readonly now: () => number;

  constructor(private readonly options: LimiterOptions = {}) {
    this.now = options.now ?? Date.now;
    const { burst, perSecond } = options.overall ?? { burst: 40, perSecond: 20 };
    this.overall = new Bucket(burst, perSecond, this.now());
  }

  /** Whether a packet from this source under this user may bring a new engine now. */
  allow(address: string, userName: string): boolean {
    const now = this.now();
    const id = `${address}\n${userName}`;
    let bucket = this.buckets.get(id);
    if (bucket) {
      this.buckets.delete(id);
    } else {
      const { burst, perSecond } = this.options.perSource ?? { burst: 5, perSecond: 0.5 };
      bucket = new Bucket(burst, perSecond, now);
      if (this.buckets.size >= (this.options.sources ?? 4096)) this.buckets.delete(this.buckets.keys().next().value as string);
    }
    this.buckets.set(id, bucket);
    return bucket.take(now) && this.overall.take(now);
  }
}
