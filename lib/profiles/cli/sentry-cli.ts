import type { CliDialect } from './dialect';

/**
 * The Sentry power manager (ServerTech, US patent 7,099,934): Telnet port 2001 or RS-232 8N1.
 * Its STATUS only counts ports, so the outlets are found from `STATUS ALL` (four ports per
 * board: `.A1`-`.A4`, `.B1` ...), and names, groups, locks, loads, module status and the board
 * temperature come from the Power Control Screen (SHOW).
 */
export const sentryCli: CliDialect = {
  id: 'sentry-cli',
  vendor: 'Server Technology',
  model: 'Sentry power manager (command line)',
  eol: '\r\n',
  wake: { text: '\r', immediately: true },
  login: {
    username: 'Username: ?$',
    password: 'Password: ?$',
    failed: 'Sorry, a username/Password[^\\r\\n]*NOT valid!',
    gaveUp: 'Check the Username/Password and try again later!',
    timeUp: 'Sorry the time is up[^\\r\\n]*',
  },
  prompt: 'power manager: ?$',
  pagers: [{ prompt: 'Press: *"?N"?\\)ext, *"?Q"?\\)uit:? ?$', answer: 'N' }],
  sessionEnded: 'Session ended',
  busy: '[^\\r\\n]*another session is active[^\\r\\n]*',
  refused: '^Sorry[^\\r\\n]*',
  logout: 'QUIT',
  deviceIdle: 300,
  outlets: { from: 'count', command: 'STATUS ALL', perBoard: 4, prefix: '.' },
  status: {
    some: 'STATUS {outlets}',
    count: '(?<on>\\d+) port\\(s\\) on, (?<off>\\d+) port\\(s\\) off',
    on: 'on',
    off: 'off',
    number: 'position',
  },
  switch: {
    on: 'ON {outlets}',
    off: 'OFF {outlets}',
    reboot: 'REBOOT {outlets}',
    // "Several names separated by spaces, up to 50 characters."
    batch: { separator: ' ', maxLength: 50 },
    answer: '(?<done>\\d+) port\\(s\\) (?:turned on|turned off|rebooted),? (?<locked>\\d+) port\\(s\\) locked',
  },
  screen: {
    command: 'SHOW',
    end: 'Press: C\\)mnd[^\\r\\n]*$',
    pages: '(?<page>\\d+) of (?<pages>\\d+)',
    // C)mnd goes back to the prompt; Q)uit would end the whole session.
    next: 'N',
    exit: 'C',
    portsPerPage: 4,
    labels: {
      name: 'Port Name:',
      control: 'Control Status:',
      module: 'Module Status:',
      load: 'Device Load:',
      group: 'Group:',
      page: 'Page:',
      temperature: 'Temperature:',
    },
    module: { Normal: 'normal', 'No Rspns': 'noResponse', 'OnS Fail': 'onFail', 'Off Fail': 'offFail' },
  },
};
