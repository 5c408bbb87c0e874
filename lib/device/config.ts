import type { DriverCredentials, DriverOptions } from './driver';
import { DeviceConfigError } from './errors';
import { transportDefinition, registeredTransports, type ConfigProperties } from './transport-registry';
import type { TargetSpec } from './targets';

export type { ConfigProperties } from './transport-registry';
export type ConfigCredentials = DriverCredentials;

export interface DeviceSettings {
  driver: DriverOptions;
  groups: Record<string, TargetSpec>;
  locked: TargetSpec;
  minOffTime: number;
  minOnTime: number;
  nativeReboot: boolean;
}

/**
 * Check and convert the config node's properties; every mistake is a clear DeviceConfigError,
 * found at deploy time rather than at the first command. The shared properties are read here,
 * the transport's own by its definition.
 */
export function deviceSettings(config: ConfigProperties, credentials: ConfigCredentials = {}): DeviceSettings {
  const id = config.transport || 'snmp';
  const transport = transportDefinition(id);
  if (!transport) {
    throw new DeviceConfigError(`unknown transport "${id}" (known: ${registeredTransports().map((known) => known.id).join(', ')})`);
  }
  const host = String(config.host ?? '').trim();
  if (transport.address === 'host' && !host) throw new DeviceConfigError('no host set on the device config');
  return {
    driver: {
      transport: transport.id,
      host,
      port: integer(config.port, 'port', transport.defaultPort ?? 0, 0, 65535),
      profile: config.profile || 'auto',
      timeout: integer(config.timeout, 'timeout', 2000, 50, 600000),
      retries: integer(config.retries, 'retries', 1, 0, 10),
      credentials: { ...credentials },
      settings: transport.settings(config),
    },
    groups: parseGroups(config.groups),
    locked: parseList(config.locked),
    minOffTime: number(config.minOffTime, 'minimum off time', 0),
    minOnTime: number(config.minOnTime, 'minimum on time', 0),
    nativeReboot: config.nativeReboot !== false && config.nativeReboot !== 'false',
  };
}

/** A whole number property within bounds, or the fallback when empty. */
export function integer(value: unknown, what: string, fallback: number, min: number, max: number): number {
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
