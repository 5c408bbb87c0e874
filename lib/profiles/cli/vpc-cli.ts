import type { CliDialect } from './dialect';

/**
 * PowerMan's virtual power controller `vpcd` (vpc.dev): `login`, `stat *`, `on n`, `off n`,
 * `logoff`; prompts `N vpc> `, answers `N OK`; 16 plugs numbered 0-15. It has no cycle of its
 * own, so reboots are timed by the device layer (15 s off at least).
 */
export const vpcCli: CliDialect = {
  id: 'vpc-cli',
  vendor: 'PowerMan',
  model: 'vpcd virtual power controller',
  eol: '\n',
  login: { command: 'login' },
  prompt: '\\d+ vpc> $',
  refused: '^\\d+ (?:BADVAL|UNKNOWN|Please login)[^\\n]*',
  logout: 'logoff',
  outlets: { from: 'status' },
  status: {
    all: 'stat *',
    some: 'stat {outlet}',
    line: '^plug (?<id>\\d+): (?<state>ON|OFF)$',
    on: 'on',
    off: 'off',
    number: 'id',
  },
  switch: { on: 'on {outlet}', off: 'off {outlet}' },
};
