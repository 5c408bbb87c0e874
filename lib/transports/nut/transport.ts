import { DeviceConfigError } from '../../device/errors';
import type { ConfigProperties, TransportDefinition } from '../../device/transport-registry';
import { NutDriver } from './driver';

/** The NUT settings of a pdu-config. */
export interface NutSettings {
  /** The UPS (or PDU) name on the server; empty = the only one it has. */
  ups: string;
  /** Upgrade the connection with STARTTLS before logging in. */
  starttls: boolean;
  /** The CA that signed upsd's certificate; empty = the system's. */
  caFile: string;
}

export function nutSettings(config: ConfigProperties): NutSettings {
  const starttls = config.nutStarttls === true || config.nutStarttls === 'true';
  const caFile = String(config.nutCaFile ?? '').trim();
  if (caFile && !starttls) throw new DeviceConfigError('a CA file is set but STARTTLS is off: tick STARTTLS to use it');
  return { ups: String(config.nutUps ?? '').trim(), starttls, caFile };
}

export const nutTransport: TransportDefinition<NutSettings> = {
  id: 'nut',
  label: 'NUT (upsd)',
  defaultPort: 3493,
  address: 'host',
  settings: nutSettings,
  createDriver: (options) => new NutDriver(options),
  editorFields: ['nutUps', 'nutStarttls', 'nutCaFile', 'timeout', 'retries', 'username', 'password'],
};
