import * as snmp from 'net-snmp';

/** A varbind as flows see it: the value in JSON terms, and the MIB name when we know it. */
export interface NamedVarbind {
  oid: string;
  /** `object.instance`, e.g. `sentry2PortDeviceName.65.49` or `sysUpTime.0`. */
  name?: string;
  type: string;
  value: string | number | null;
}

/** Something that names OIDs: the trap tables, and the MIB files a user loaded. */
export interface OidNamer {
  /** The object an OID is an instance of (longest known prefix), with the instance arcs. */
  object(oid: string): { name: string; instance: string } | undefined;
  /** The notification an OID is (v2 form). */
  notification(oid: string): string | undefined;
}

/** ASN.1 type names as SMIv2 writes them. */
const TYPE_NAMES: Record<number, string> = {
  1: 'Boolean', 2: 'Integer', 3: 'BitString', 4: 'OctetString', 5: 'Null', 6: 'OID', 64: 'IpAddress', 65: 'Counter32',
  66: 'Gauge32', 67: 'TimeTicks', 68: 'Opaque', 70: 'Counter64', 128: 'NoSuchObject', 129: 'NoSuchInstance', 130: 'EndOfMibView',
};

/** A varbind's value as text or a number: printable OctetStrings as text, others as hex. */
export function plainValue(varbind: snmp.Varbind): string | number | null {
  const { value, type } = varbind;
  if (value === undefined || value === null) return null;
  if (Buffer.isBuffer(value)) {
    if (type === snmp.ObjectType.Counter64) return value.reduce((sum, byte) => sum * 256 + byte, 0);
    if (value.length === 0) return '';
    const text = value.toString('utf8');
    // Agents pad fixed-size strings with NULs; anything else unprintable is binary.
    const trimmed = text.replace(/\0+$/, '');
    return /^[\x20-\x7e\t\r\n\u00a0-\uffff]*$/.test(trimmed) && !trimmed.includes('\ufffd') ? trimmed : value.toString('hex');
  }
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return String(value);
}

export function typeName(type: number | undefined): string {
  return type === undefined ? 'unknown' : TYPE_NAMES[type] ?? `type ${type}`;
}

/** OID -> name with the longest known prefix, over any number of sources. */
export class OidNames implements OidNamer {
  private readonly objects = new Map<string, string>();
  private readonly notifications = new Map<string, string>();
  /** Characters in the longest object OID known: no longer prefix can name anything. */
  private longest = 0;

  addObject(oid: string, name: string): this {
    if (!this.objects.has(oid)) this.objects.set(oid, name);
    this.longest = Math.max(this.longest, oid.length);
    return this;
  }

  addNotification(oid: string, name: string): this {
    if (!this.notifications.has(oid)) this.notifications.set(oid, name);
    return this;
  }

  /**
   * Tries the prefixes from the longest a known OID can be down to two arcs, cutting the text at
   * its dots: the work is bounded by the longest known OID, not the OID asked (a hostile OID of
   * 30,000 arcs split and re-joined at every prefix took half a minute).
   */
  object(oid: string): { name: string; instance: string } | undefined {
    const firstDot = oid.indexOf('.');
    if (firstDot < 0) return undefined;
    let cut = oid.length <= this.longest ? oid.length : oid.lastIndexOf('.', this.longest);
    while (cut > firstDot) {
      const whole = cut === oid.length;
      const name = this.objects.get(whole ? oid : oid.slice(0, cut));
      if (name) return { name, instance: whole ? '' : oid.slice(cut + 1) };
      cut = oid.lastIndexOf('.', cut - 1);
    }
    return undefined;
  }

  notification(oid: string): string | undefined {
    return this.notifications.get(oid);
  }

  get size(): number {
    return this.objects.size + this.notifications.size;
  }
}

/** Names from several namers, the first that knows wins (the others are not asked). */
export function chainNamers(...namers: Array<OidNamer | undefined>): OidNamer {
  const present = namers.filter((namer): namer is OidNamer => Boolean(namer));
  const first = <T>(ask: (namer: OidNamer) => T | undefined): T | undefined => {
    for (const namer of present) {
      const found = ask(namer);
      if (found) return found;
    }
    return undefined;
  };
  return {
    object: (oid) => first((namer) => namer.object(oid)),
    notification: (oid) => first((namer) => namer.notification(oid)),
  };
}

export function nameVarbinds(varbinds: snmp.Varbind[], namer: OidNamer): NamedVarbind[] {
  return varbinds.map((varbind) => {
    const known = namer.object(varbind.oid);
    return {
      oid: varbind.oid,
      ...(known ? { name: known.instance ? `${known.name}.${known.instance}` : known.name } : {}),
      type: typeName(varbind.type),
      value: plainValue(varbind),
    };
  });
}
