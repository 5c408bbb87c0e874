import type { CliDialect } from './dialect';

/**
 * ServerTech Switched CDU 6.x (as PowerMan's sentry_cdu.dev drives it): `Switched CDU: `
 * prompt, outlets `.AA1` ..., `status` lines `.AA1 <name> On|Off <control state>`, paged with
 * `More (Y/es N/o):`.
 */
export const sentryCduCli: CliDialect = {
  id: 'sentry-cdu-cli',
  vendor: 'Server Technology',
  model: 'Switched CDU (command line)',
  eol: '\r\n',
  wake: { text: '\r\n' },
  login: {
    username: 'Username: ?$',
    password: 'Password: ?$',
    failed: 'Access denied[^\\r\\n]*',
  },
  prompt: 'Switched CDU: ?$',
  pagers: [{ prompt: 'More \\(Y/es N/o\\): ?$', answer: 'y' }],
  sessionEnded: 'Session ended',
  busy: '[^\\r\\n]*another session is active[^\\r\\n]*',
  refused: '^\\s*(?:Command failed|Invalid|Unknown)[^\\r\\n]*',
  logout: 'logout',
  deviceIdle: 300,
  outlets: { from: 'status' },
  status: {
    all: 'status',
    some: 'status {outlet}',
    line: '^\\s*(?<id>\\.[A-Z]+\\d+)\\s+(?<name>.*?)\\s+(?<state>On|Off)\\s+(?<control>[A-Za-z ]*?)\\s*$',
    on: 'on',
    off: 'off',
    number: 'position',
  },
  switch: {
    on: 'on {outlet}',
    off: 'off {outlet}',
    reboot: 'reboot {outlet}',
    locked: 'is locked',
  },
};
