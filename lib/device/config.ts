import { cliSettings } from '../transports/cli/settings';
import { expandHostlist } from '../transports/powerman/hostlist';
import type { Transport } from '../types';
import type { DriverOptions } from './driver';
import { DeviceConfigError } from './errors';
import type { TargetSpec } from './targets';

/** The pdu-config node's properties as the editor stores them (strings, mostly). */
export interface ConfigProperties {
  name?: string;
  transport?: string;
  host?: string;
  port?: string | number;
  profile?: string;
  snmpVersion?: string;
  timeout?: string | number;
  retries?: string | number;
  securityLevel?: string;
  authProtocol?: string;
  privProtocol?: string;
  serialPath?: string;
  baudRate?: string | number;
  groups?: unknown;
  locked?: unknown;
  minOffTime?: string | number;
  minOnTime?: string | number;
  nativeReboot?: boolean | string;
  /** Transport-specific extras (a CLI dialect, an idle time ...), passed through to the driver. */
  extra?: Record<string, unknown>;
  // NUT: the UPS/PDU name on the server (empty: its only one), STARTTLS and the CA to verify upsd.
  nutUps?: string;
  nutStarttls?: boolean | string;
  nutCaFile?: string;
}

export type ConfigCredentials = DriverOptions['credentials'];

export const DEFAULT_PORTS: Record<Transport, number | undefined> = {
  snmp: 161,
  // The seed's power manager answers its command line on Telnet port 2001.
  telnet: 2001,
  serial: undefined,
  nut: 3493,
  powerman: 10101,
};

const TRANSPORTS: Transport[] = ['snmp', 'telnet', 'serial', 'nut', 'powerman'];

export interface DeviceSettings {
  driver: DriverOptions;
  groups: Record<string, TargetSpec>;
  locked: TargetSpec;
  minOffTime: number;
  minOnTime: number;
  nativeReboot: boolean;
}

/** Check and convert the config node's properties; every mistake is a clear DeviceConfigError. */
export function deviceSettings(config: ConfigProperties, credentials: ConfigCredentials = {}): DeviceSettings {
  const transport = (config.transport || 'snmp') as Transport;
  if (!TRANSPORTS.includes(transport)) throw new DeviceConfigError(`unknown transport "${config.transport}"`);
  const host = (config.host ?? '').trim();
  if (transport !== 'serial' && !host) throw new DeviceConfigError('no host set on the device config');
  if (transport === 'serial' && !config.serialPath) throw new DeviceConfigError('no serial port set on the device config');
  const snmpVersion = String(config.snmpVersion || '2c');
  if (transport === 'snmp' && !['1', '2c', '3'].includes(snmpVersion)) {
    throw new DeviceConfigError(`unknown SNMP version "${config.snmpVersion}" (use 1, 2c or 3)`);
  }
  // Telnet, serial and PowerMan settings are checked here, at deploy time, like the rest.
  const extra = config.extra ?? {};
  if (transport === 'telnet' || transport === 'serial') {
    cliSettings(transport, config.profile, extra, integer(config.baudRate, 'baud rate', 9600, 50, 4000000));
  }
  if (transport === 'powerman' && extra.nodes) expandHostlist(String(extra.nodes));
  return {
    driver: {
      transport,
      host,
      port: integer(config.port, 'port', DEFAULT_PORTS[transport] ?? 0, 0, 65535),
      profile: config.profile || 'auto',
      timeout: integer(config.timeout, 'timeout', 2000, 50, 600000),
      retries: integer(config.retries, 'retries', 1, 0, 10),
      snmpVersion: snmpVersion as DriverOptions['snmpVersion'],
      securityLevel: (config.securityLevel || 'authPriv') as DriverOptions['securityLevel'],
      authProtocol: config.authProtocol || 'sha',
      privProtocol: config.privProtocol || 'aes',
      serialPath: config.serialPath,
      baudRate: integer(config.baudRate, 'baud rate', 9600, 50, 4000000),
      extra: transport === 'nut' ? { ...config.extra, nut: nutExtra(config) } : config.extra,
      credentials: { ...credentials },
    },
    groups: parseGroups(config.groups),
    locked: parseList(config.locked),
    minOffTime: number(config.minOffTime, 'minimum off time', 0),
    minOnTime: number(config.minOnTime, 'minimum on time', 0),
    nativeReboot: config.nativeReboot !== false && config.nativeReboot !== 'false',
  };
}

function nutExtra(config: ConfigProperties): Record<string, unknown> {
  const starttls = config.nutStarttls === true || config.nutStarttls === 'true';
  const caFile = (config.nutCaFile ?? '').trim();
  if (caFile && !starttls) throw new DeviceConfigError('a CA file is set but STARTTLS is off: tick STARTTLS to use it');
  return { ups: (config.nutUps ?? '').trim(), starttls, caFile };
}

function integer(value: unknown, what: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new DeviceConfigError(`${what} must be a whole number from ${min} to ${max}, not "${value}"`);
  }
  return parsed;
}

function number(value: unknown, what: string, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new DeviceConfigError(`${what} must be a number of seconds, not "${value}"`);
  return parsed;
}

function parseList(value: unknown): TargetSpec {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'number' ? item : String(item)));
  if (typeof value === 'number') return value;
  return String(value);
}

/**
 * Groups come as an object (`{ web: "1,2" }`), a list (`[{ name, outlets }]`, the editor's
 * form) or text lines (`web: 1, 2`).
 */
export function parseGroups(value: unknown): Record<string, TargetSpec> {
  // No prototype: a group called `__proto__` or `constructor` is a group like any other.
  const groups: Record<string, TargetSpec> = Object.create(null);
  const add = (name: unknown, outlets: unknown): void => {
    const key = String(name ?? '').trim();
    if (!key) return;
    if (key.toLowerCase() === 'all') throw new DeviceConfigError('a group cannot be called "all"');
    if (Object.prototype.hasOwnProperty.call(groups, key)) throw new DeviceConfigError(`the group "${key}" is defined twice`);
    groups[key] = parseList(outlets);
  };
  if (!value) return groups;
  if (typeof value === 'string') {
    for (const line of value.split(/[\n;]/)) {
      const [name, ...rest] = line.split(':');
      if (line.trim()) add(name, rest.join(':'));
    }
  } else if (Array.isArray(value)) {
    for (const item of value) add((item as { name?: unknown }).name, (item as { outlets?: unknown }).outlets);
  } else if (typeof value === 'object') {
    for (const [name, outlets] of Object.entries(value as Record<string, unknown>)) add(name, outlets);
  } else {
    throw new DeviceConfigError('groups must be a list of names with outlets');
  }
  return groups;
}
