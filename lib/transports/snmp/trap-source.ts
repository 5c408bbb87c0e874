import dns from 'dns';
import net from 'net';
import type { DeviceSettings } from '../../device/config';
import { DeviceConfigError } from '../../device/errors';
import { v3User } from './options';
import type { TrapSource, TrapUser } from './trap-listener';
import type { SnmpSettings } from './transport';

// A pdu-config as a trap source: its host (names resolved, and resolved again when a trap comes
// from an address we do not know, at most once a minute), its trap community and its v3 user.

export interface TrapSourceConfig {
  name: string;
  settings: DeviceSettings;
  /** The device's SNMPv3 engine ID (hex) its v3 traps carry; unset accepts any. */
  engineID?: string;
}

const RESOLVE_AGAIN_MS = 60_000;

/** The same address however it is written: lower case, IPv6 expanded, IPv4-mapped unwrapped. */
export function normalizeAddress(address: string): string {
  let text = address.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (text.startsWith('::ffff:') && net.isIPv4(text.slice(7))) text = text.slice(7);
  if (!net.isIPv6(text)) return text;
  const [head, tail = ''] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = text.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = text.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.map((group) => parseInt(group, 16).toString(16)).join(':');
}

/** Is an address the host's? Host names resolve in the background; the answer is never a wait. */
export function hostMatcher(host: string, lookup: typeof dns.promises.lookup = dns.promises.lookup): (address: string) => boolean {
  const wanted = host.trim();
  if (net.isIP(wanted.replace(/^\[|\]$/g, ''))) {
    const plain = normalizeAddress(wanted);
    return (address) => normalizeAddress(address) === plain;
  }
  let addresses = new Set<string>();
  let resolvedAt = 0;
  const resolve = (): void => {
    resolvedAt = Date.now();
    lookup(wanted, { all: true, verbatim: true })
      .then((found) => { addresses = new Set(found.map((entry) => normalizeAddress(entry.address))); })
      .catch(() => undefined);
  };
  resolve();
  return (address) => {
    const plain = normalizeAddress(address);
    if (addresses.has(plain)) return true;
    // The name may point elsewhere now (DHCP, a replaced card): look again, but not for every packet.
    if (Date.now() - resolvedAt > RESOLVE_AGAIN_MS) resolve();
    return false;
  };
}

/** The pdu-config's trap credentials; a config with none yields a source that accepts nothing. */
export function trapSource(config: TrapSourceConfig): TrapSource & { problems: string[] } {
  const { driver } = config.settings;
  const credentials = driver.credentials ?? {};
  const problems: string[] = [];
  const communities = credentials.trapCommunity ? [credentials.trapCommunity] : [];
  const users: TrapUser[] = [];
  const snmp = driver.transport === 'snmp' ? driver.settings as SnmpSettings : undefined;
  if (snmp?.version === '3' && credentials.username) {
    users.push({
      user: v3User({
        username: credentials.username,
        securityLevel: snmp.securityLevel,
        authProtocol: snmp.authProtocol,
        authKey: credentials.authKey,
        privProtocol: snmp.privProtocol,
        privKey: credentials.privKey,
      }),
      engineID: engineIdHex(config.engineID),
    });
  }
  if (!communities.length && !users.length) {
    problems.push(`${config.name} has no trap community (or SNMPv3 user): its traps are dropped`);
  }
  if (!driver.host) throw new DeviceConfigError(`${config.name} has no host to accept traps from`);
  return { name: config.name, matches: hostMatcher(driver.host), communities, users, problems };
}

/** `0x80001F88...` or `80 00 1f 88` -> `80001f88...`; a clear error for anything else. */
export function engineIdHex(value: string | undefined): string | undefined {
  if (!value || !value.trim()) return undefined;
  const hex = value.trim().replace(/^0x/i, '').replace(/[\s:]/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex) || hex.length % 2 !== 0 || hex.length < 10 || hex.length > 64) {
    throw new DeviceConfigError(`engine ID "${value}" is not 5 to 32 bytes of hex (e.g. 0x80001f8880c71100000000)`);
  }
  return hex;
}
