import { Device, type DeviceOptions } from '../../lib/device/device';
import type { DriverCredentials } from '../../lib/device/driver';
import type { HttpSimDevice } from '../../sim/http/index';
import { driverFor, type DriverConfig } from './drivers';

/** A pdu-config's properties for an HTTP PDU simulator on loopback. */
export function httpConfig(sim: HttpSimDevice, profile: string, extra: Partial<DriverConfig> = {},
  credentials: DriverCredentials = { username: 'admin', password: '1234' }): DriverConfig {
  return {
    transport: 'http', host: '127.0.0.1', port: String(sim.port), profile, timeout: '2000', retries: '0', credentials, ...extra,
  };
}

/** A Device on an HTTP PDU simulator, verifying quickly. */
export function httpDevice(config: DriverConfig, options: Partial<DeviceOptions> = {}): Device {
  return new Device({ name: 'pdu', driver: driverFor(config), verifyInterval: 50, verifyTimeout: 3000, ...options });
}
