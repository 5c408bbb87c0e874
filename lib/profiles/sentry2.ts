import type { SnmpProfile } from './snmp-profile';

// ServerTech Sentry second generation: the Sentry power manager of US patent 7,099,934 (Table X),
// Sentry2-MIB. A chain of boards A-Z with four ports each; the board and port tables are indexed
// by fixed-size strings (`A`, `A1`), which SMI encodes without a length: port C4 is `.67.52`.
// Values are DisplayStrings exactly as the Power Control Screen shows them.
const CHAIN = '1.3.6.1.4.1.1718.2.1';
const BOARD = `${CHAIN}.3.1`;
const PORT = `${CHAIN}.4.1`;

export const sentry2: SnmpProfile = {
  id: 'sentry2',
  vendor: 'Server Technology',
  model: 'Sentry power manager (2nd generation)',
  mib: { module: 'Sentry2-MIB', files: ['Sentry2-MIB'] },
  detect: { sysObjectID: ['1.3.6.1.4.1.1718.2'] },
  // The patent's communities: GET `sentry`, TRAP `sentry-trap`; SET has no default and must be set.
  defaults: { readCommunity: 'sentry', trapCommunity: 'sentry-trap' },
  // The power action `reboot` turns the port off for max(15 s, minimum-off time) itself.
  nativeReboot: true,
  outlets: {
    rows: { oid: `${PORT}.3`, object: 'sentry2PortDeviceName' },
    name: { oid: `${PORT}.3`, object: 'sentry2PortDeviceName' },
    id: { fromIndex: 'ascii', prefix: '.' },
    state: { oid: `${PORT}.4`, object: 'sentry2PortControlStatus', map: { On: 'on', Off: 'off' } },
    module: {
      oid: `${PORT}.5`,
      object: 'sentry2PortModuleStatus',
      map: { Normal: 'normal', 'No Rspns': 'noResponse', 'OnS Fail': 'onFail', 'Off Fail': 'offFail' },
    },
    // `Not On`: the port is off and no current flows; `N/A`: the module cannot sense load.
    current: { oid: `${PORT}.6`, object: 'sentry2PortDeviceLoad', text: true, words: { 'Not On': 0 } },
    control: {
      off: { oid: `${PORT}.2`, object: 'sentry2PortPowerAction', value: 1 },
      on: { oid: `${PORT}.2`, object: 'sentry2PortPowerAction', value: 2 },
      reboot: { oid: `${PORT}.2`, object: 'sentry2PortPowerAction', value: 3 },
    },
  },
  inputs: {
    rows: { oid: `${BOARD}.2`, object: 'sentry2BoardPageName' },
    name: { oid: `${BOARD}.2`, object: 'sentry2BoardPageName' },
    current: { oid: `${BOARD}.5`, object: 'sentry2BoardInputLoad', text: true },
    label: 'Board',
  },
  sensors: {
    temperature: {
      rows: { oid: `${BOARD}.2`, object: 'sentry2BoardPageName' },
      name: { oid: `${BOARD}.2`, object: 'sentry2BoardPageName' },
      value: { oid: `${BOARD}.4`, object: 'sentry2BoardTemperature', text: true },
      label: 'Board',
    },
  },
};
