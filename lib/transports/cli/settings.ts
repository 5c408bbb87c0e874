import { integer } from '../../device/config';
import { DeviceConfigError } from '../../device/errors';
import type { ConfigProperties } from '../../device/transport-registry';
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

/** The command-line settings of a Telnet pdu-config (and the base of the SSH and serial ones). */
export interface CliSettings {
  dialect: CliDialect;
  idleSeconds: number;
  loginSeconds: number;
}

/** SSH adds the host key the device must show (none: trusted on first use). */
export interface SshSettings extends CliSettings {
  ssh: { hostKey?: string };
}

/** A serial line adds where the console is and how it talks. */
export interface SerialSettings extends CliSettings {
  path: string;
  baudRate: number;
  dtr: boolean;
}

/**
 * Check a Telnet, SSH or serial config: a dialect chosen (a user-defined one complete), an idle time
 * shorter than the device's own. pdu-config calls this at deploy time, so a mistake shows on the
 * nodes at once instead of failing the first command.
 */
export function cliSettings(config: ConfigProperties): CliSettings {
  const profile = config.profile;
  if (!profile || profile === 'auto') {
    throw new DeviceConfigError('choose the command-line dialect of the device (e.g. sentry-cli) in the device config');
  }
  const extra = extraOf(config);
  const dialect = cliDialect(profile, extra);
  const options = extra as CliExtra;
  const idleSeconds = seconds(options.idleTime, DEFAULT_IDLE_SECONDS, 'idle time');
  if (dialect.deviceIdle && idleSeconds >= dialect.deviceIdle) {
    throw new DeviceConfigError(`idle time ${idleSeconds} s must be shorter than the device's own ${dialect.deviceIdle} s`);
  }
  return { dialect, idleSeconds, loginSeconds: seconds(options.loginTimeout, DEFAULT_LOGIN_SECONDS, 'login wait') };
}

/** A serial console's settings: the dialect's, the port, and a baud rate a console uses. */
export function serialSettings(config: ConfigProperties): SerialSettings {
  const path = String(config.serialPath ?? '').trim();
  if (!path) throw new DeviceConfigError('no serial port set on the device config');
  const baudRate = integer(config.baudRate, 'baud rate', 9600, 50, 4000000);
  if (!BAUD_RATES.includes(baudRate)) {
    throw new DeviceConfigError(`baud rate ${baudRate} is not one a serial console uses (${BAUD_RATES.join(', ')})`);
  }
  const dtr = (extraOf(config) as CliExtra).dtr;
  return { ...cliSettings(config), path, baudRate, dtr: dtr !== false && dtr !== 'false' };
}

/**
 * An SSH config: the command line's settings and the pinned host key, the SHA256 fingerprint as
 * OpenSSH prints it (`ssh-keygen -lf`, or the device config's Test connection).
 */
export function sshSettings(config: ConfigProperties): SshSettings {
  const text = String(config.hostKey ?? '').trim();
  let hostKey: string | undefined;
  if (text) {
    const match = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(text);
    if (!match) {
      throw new DeviceConfigError(`host key "${text}" is not an SSH SHA256 fingerprint (SHA256: and 43 base64 characters, `
        + 'as ssh-keygen -l prints it): copy it from Test connection, or leave it empty to trust the first key seen');
    }
    hostKey = `SHA256:${match[1]}`;
  }
  return { ...cliSettings(config), ssh: { hostKey } };
}

/** The editor keeps the command-line fields in the config's `extra` object. */
function extraOf(config: ConfigProperties): Record<string, unknown> {
  const extra = config.extra;
  return extra && typeof extra === 'object' ? extra as Record<string, unknown> : {};
}

function seconds(value: unknown, fallback: number, what: string): number {
  if (value === undefined || value === null || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new DeviceConfigError(`${what} must be a number of seconds, not "${value}"`);
  return parsed;
}
