import type { SimFactory } from './sim-device';
import { createSentry2Sim } from './sentry2';
import { createSentry3Sim } from './sentry3';
import { createSentry4Sim } from './sentry4';

/** Simulated SNMP PDUs by profile id; each is written from its vendor's MIB. */
export const snmpSims: Record<string, SimFactory> = {
  sentry2: createSentry2Sim,
  sentry3: createSentry3Sim,
  sentry4: createSentry4Sim,
};
