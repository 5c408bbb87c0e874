import type { ConfigProperties } from '../../lib/device/config';
import type { DeviceDriver, DriverCredentials, DriverOptions } from '../../lib/device/driver';
import { deviceSettings, driverFromConfig } from '../../lib/transports';

/** A device as a test describes it: the pdu-config's properties, as the editor stores them, and its credentials. */
export type DriverConfig = ConfigProperties & { credentials?: DriverCredentials };

/** The checked driver options pdu-config would make of these properties. */
export function driverOptions(config: DriverConfig): DriverOptions {
  const { credentials, ...properties } = config;
  return deviceSettings(properties, credentials).driver;
}

/** The driver pdu-config would make, through the transport registry. */
export function driverFor(config: DriverConfig): DeviceDriver {
  const { credentials, ...properties } = config;
  return driverFromConfig(properties, credentials);
}
