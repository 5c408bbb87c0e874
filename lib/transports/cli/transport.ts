import type { TransportDefinition } from '../../device/transport-registry';
import { CliDriver } from './driver';
import { cliSettings, serialSettings, sshSettings, type CliSettings, type SerialSettings, type SshSettings } from './settings';

// The power managers' command lines (sentry-cli, sentry-cdu-cli, a user-defined dialect) over a
// network (Telnet or SSH) or a console cable (serial): one driver, three ways to reach the device.

// `idleTime`, `loginTimeout` and `custom` (the user-defined dialect's prompts and commands) are kept in `extra`.
const CLI_FIELDS = ['profile', 'timeout', 'username', 'password', 'idleTime', 'loginTimeout', 'custom'] as const;

export const telnetTransport: TransportDefinition<CliSettings> = {
  id: 'telnet',
  label: 'Telnet',
  // The Sentry power manager answers its command line on Telnet port 2001.
  defaultPort: 2001,
  address: 'host',
  settings: cliSettings,
  createDriver: (options) => new CliDriver(options),
  editorFields: CLI_FIELDS,
};

export const serialTransport: TransportDefinition<SerialSettings> = {
  id: 'serial',
  label: 'Serial',
  address: 'path',
  settings: serialSettings,
  createDriver: (options) => new CliDriver(options),
  editorFields: ['serialPath', 'baudRate', 'dtr', ...CLI_FIELDS],
};

export const sshTransport: TransportDefinition<SshSettings> = {
  id: 'ssh',
  label: 'SSH',
  defaultPort: 22,
  address: 'host',
  settings: sshSettings,
  createDriver: (options) => new CliDriver(options),
  editorFields: ['hostKey', ...CLI_FIELDS, 'privateKey', 'passphrase'],
};
