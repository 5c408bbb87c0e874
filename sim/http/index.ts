import type { SimFactory } from '../snmp/sim-device';
import { startDliSim } from './dli';
import { startGudeSim } from './gude';
import { startNetioSim } from './netio';

export type { HttpSimDevice, HttpSimOptions } from './server';
export { startDliSim, startGudeSim, startNetioSim };

/** Simulated HTTP/JSON PDUs by kind (named after the profile that speaks to them). */
export const httpSims: Record<string, SimFactory> = {
  'dli-rest': (options) => startDliSim(options),
  'netio-json': (options) => startNetioSim(options),
  'gude-http': (options) => startGudeSim(options),
};
