import type { DeviceDriver, DriverOptions } from './driver';
import { DeviceConfigError } from './errors';
import { scrubbingDriver } from './scrub';

/**
 * The pdu-config node's properties as the editor stores them (strings, mostly). Each transport
 * reads the ones it owns; the device layer reads only the shared ones.
 */
export type ConfigProperties = Record<string, unknown> & {
  name?: string;
  transport?: string;
  host?: string;
  port?: string | number;
  profile?: string;
  timeout?: string | number;
  retries?: string | number;
};

/**
 * One way of reaching a device. Each transport describes itself from its own folder
 * (lib/transports/<id>/transport.ts) and lib/transports/index.ts registers them all, so the
 * device layer knows no transport by name and a new one is a folder plus one line there.
 */
export interface TransportDefinition<Settings = unknown> {
  id: string;
  /** For the editor's drop-down. */
  label: string;
  /** Used when the config leaves the port empty. */
  defaultPort?: number;
  /** `host`: a network device; `path`: a device the transport's own settings locate (a serial line). */
  address: 'host' | 'path';
  /** Check and convert the transport's own properties; a mistake is a clear DeviceConfigError. */
  settings(config: ConfigProperties): Settings;
  createDriver(options: DriverOptions<Settings>): DeviceDriver;
  /** Settings that work but weaken something (certificate checking off): logged once at deploy. */
  warnings?(settings: Settings): string[];
  /**
   * The settings the editor shows for this transport (besides name, host and port): pdu-config
   * properties, credentials or keys of `extra`. The dialog shows each form row whose
   * `data-rp-field` is listed here, so a transport made of existing fields needs no HTML.
   */
  editorFields: readonly string[];
}

const transports = new Map<string, TransportDefinition<never>>();

export function registerTransport<Settings>(definition: TransportDefinition<Settings>): void {
  if (transports.has(definition.id)) throw new Error(`transport "${definition.id}" is registered twice`);
  transports.set(definition.id, definition as unknown as TransportDefinition<never>);
}

export function transportDefinition(id: string): TransportDefinition | undefined {
  return transports.get(id) as TransportDefinition | undefined;
}

export function registeredTransports(): TransportDefinition[] {
  return [...transports.values()] as TransportDefinition[];
}

/** The driver for checked options; every driver's errors leave it without the credentials it holds. */
export function createDriver(options: DriverOptions): DeviceDriver {
  const definition = transportDefinition(options.transport);
  if (!definition) {
    throw new DeviceConfigError(`transport "${options.transport}" is not supported (known: ${[...transports.keys()].join(', ')})`);
  }
  return scrubbingDriver(definition.createDriver(options as DriverOptions<never>), options.credentials);
}
