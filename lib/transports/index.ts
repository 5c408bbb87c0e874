// Every transport, registered with the device layer. A new transport is its own folder with a
// transport.ts that describes it, and one line here.
import { deviceSettings, type ConfigProperties } from '../device/config';
import type { DeviceDriver, DriverCredentials } from '../device/driver';
import { createDriver, registerTransport } from '../device/transport-registry';
import { telnetTransport, serialTransport, sshTransport } from './cli/transport';
import { httpTransport } from './http/transport';
import { nutTransport } from './nut/transport';
import { powermanTransport } from './powerman/transport';
import { siteTransport } from './site/transport';
import { snmpTransport } from './snmp/transport';

registerTransport(snmpTransport);
registerTransport(telnetTransport);
registerTransport(serialTransport);
registerTransport(sshTransport);
registerTransport(nutTransport);
registerTransport(powermanTransport);
registerTransport(httpTransport);
registerTransport(siteTransport);

export { createDriver, deviceSettings };
export { registeredTransports, transportDefinition } from '../device/transport-registry';

/** The driver pdu-config makes of a config's properties and credentials, checked first. */
export function driverFromConfig(config: ConfigProperties, credentials: DriverCredentials = {}): DeviceDriver {
  return createDriver(deviceSettings(config, credentials).driver);
}
