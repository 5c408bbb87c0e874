import { DeviceConfigError } from '../../device/errors';
import { cliDialect } from '../../profiles/cli';
import type { CliDialect } from '../../profiles/cli/dialect';
import { BAUD_RATES } from './serial';

/** Settings of the CLI transport beyond the common ones, from the config node's `extra`. */
export interface CliExtra {
  /** Seconds without commands before we log out. */
  idleTime?: number | string;
  /** Seconds to wait for the login prompt after connecting. */
  loginTimeout?: number | string;
  /** Assert DTR on the serial line (default yes). */
  dtr?: boolean | string;
}

export const DEFAULT_IDLE_SECONDS = 60;
export const DEFAULT_LOGIN_SECONDS = 20;

export interface CliSettings {
  dialect: CliDialect;
  idleSeconds: number;
  loginSeconds: number;
  dtr: boolean;
}

/**
 * Check a Telnet or serial config: a dialect chosen (a user-defined one complete), an idle time
 * shorter than the device's own, a baud rate a console uses. pdu-config calls this at deploy
 * time, so a mistake shows on the nodes at once instead of failing the first command.
 */
export function cliSettings(transport: string, profile: string | undefined, extra: Record<string, unknown> = {},
  baudRate?: number): CliSettings {
  if (!profile || profile === 'auto') {
    throw new DeviceConfigError('choose the command-line dialect of the device (e.g. sentry-cli) in the device config');
  }
  const dialect = cliDialect(profile, extra);
  const options = extra as CliExtra;
  const idleSeconds = seconds(options.idleTime, DEFAULT_IDLE_SECONDS, 'idle time');
  if (dialect.deviceIdle && idleSeconds >= dialect.deviceIdle) {
    throw new DeviceConfigError(`idle time ${idleSeconds} s must be shorter than the device's own ${dialect.deviceIdle} s`);
  }
  if (transport === 'serial' && baudRate !== undefined && !BAUD_RATES.includes(baudRate)) {
    throw new DeviceConfigError(`baud rate ${baudRate} is not one a serial console uses (${BAUD_RATES.join(', ')})`);
  }
  return {
    dialect,
    idleSeconds,
    loginSeconds: seconds(options.loginTimeout, DEFAULT_LOGIN_SECONDS, 'login wait'),
    dtr: options.dtr !== false && options.dtr !== 'false',
  };
}

function seconds(value: unknown, fallback: number, what: string): number {
  if (value === undefined || value === null || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new DeviceConfigError(`${what} must be a number of seconds, not "${value}"`);
  return parsed;
}
