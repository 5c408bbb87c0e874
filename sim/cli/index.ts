import type { SimOutletConfig } from '../model';
import type { SimFactory } from '../snmp/sim-device';
import { PowerManagerSession } from './power-manager';
import { startConsoleSim, type CliSimOptions, type Personality } from './server';
import { SwitchedCduSession } from './switched-cdu';

export type { CliSimDevice, CliSimOptions } from './server';

/** Port names are up to eight characters on the Sentry power manager; groups act on several. */
const POWER_MANAGER_OUTLETS: SimOutletConfig[] = [
  { name: 'router', group: 'network', load: 0.35 },
  { name: 'switch', group: 'network', load: 0.6 },
  { name: 'firewall', group: 'network', load: 0.4 },
  { name: 'nas', load: 1.1 },
  { name: 'srv-01', group: 'servers', load: 1.4 },
  { name: 'srv-02', group: 'servers', load: 1.3 },
  { name: 'srv-03', group: 'servers', load: 1.5 },
  { name: 'srv-04', group: 'servers', load: 1.2 },
];

export const powerManager: Personality = {
  id: 'power-manager',
  label: 'Sentry power manager command line',
  defaultOutlets: POWER_MANAGER_OUTLETS,
  outletName: (n) => `srv-${String(n).padStart(2, '0')}`,
  bannerOnConnect: false,
  session: (link, device) => new PowerManagerSession(link, device),
};

export const switchedCdu: Personality = {
  id: 'switched-cdu',
  label: 'Sentry Switched CDU command line',
  defaultOutlets: 24,
  outletName: (n) => `server-${String(n).padStart(2, '0')}`,
  bannerOnConnect: true,
  session: (link, device) => new SwitchedCduSession(link, device),
};

/** Simulated command-line devices by kind. */
export const cliSims: Record<string, SimFactory> = {
  'power-manager': (options) => startConsoleSim(powerManager, options as CliSimOptions),
  'switched-cdu': (options) => startConsoleSim(switchedCdu, options as CliSimOptions),
};
