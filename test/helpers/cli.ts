import { Device, type DeviceOptions } from '../../lib/device/device';
import { driverFor, type DriverConfig } from './drivers';
import type { CliSimDevice, CliSimOptions } from '../../sim/cli/index';
import { simDevice } from './sim';

/** The Sentry power manager on a free port: quick reboots, no pause between sessions. */
export async function powerManagerSim(options: CliSimOptions = {}): Promise<CliSimDevice> {
  return await simDevice('power-manager', { sessionGap: 0, ...options } as CliSimOptions) as CliSimDevice;
}

/** Driver settings for a device over Telnet (a sim's port) or a serial path. */
export function cliOptions(target: { port?: number; serialPath?: string }, overrides: Partial<DriverConfig> = {}): DriverConfig {
  return {
    transport: target.serialPath ? 'serial' : 'telnet',
    host: '127.0.0.1',
    port: target.port,
    serialPath: target.serialPath,
    baudRate: 9600,
    profile: 'sentry-cli',
    timeout: 1000,
    retries: 1,
    credentials: { username: 'admn', password: 'admn' },
    ...overrides,
    extra: { loginTimeout: 3, ...(overrides.extra as Record<string, unknown> ?? {}) },
  };
}

/** A Device as pdu-config builds it, with fast verification. */
export function deviceFor(options: DriverConfig, device: Partial<DeviceOptions> = {}): Device {
  return new Device({ name: 'pm', driver: driverFor(options), verifyInterval: 50, ...device });
}

/** A clock whose sleeps are short, so that a device-timed 15 s reboot takes a moment in tests. */
export const quickClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => { setTimeout(resolve, Math.min(ms, 100)); }),
};
