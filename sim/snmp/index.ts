import type { SimFactory } from './sim-device';
import { createSentry2Sim } from './sentry2';
import { createRaritanPdu2Sim } from './raritan-pdu2';
import { createEatonEpduSim } from './eaton-epdu';
import { createCyberPowerEpduSim } from './cyberpower-epdu';

/** Simulated SNMP PDUs by profile id; each is written from its vendor's MIB. */
export const snmpSims: Record<string, SimFactory> = {
  sentry2: createSentry2Sim,
  'raritan-pdu2': createRaritanPdu2Sim,
  'eaton-epdu': createEatonEpduSim,
  'cyberpower-epdu': createCyberPowerEpduSim,
};
