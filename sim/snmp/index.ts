import type { SimFactory } from './sim-device';
import { createSentry2Sim } from './sentry2';
import { createSentry3Sim } from './sentry3';
import { createSentry4Sim } from './sentry4';
import { createApcRpdu2MeteredSim, createApcRpdu2Sim } from './apc-rpdu2';
import { createApcRpduSim } from './apc-rpdu';
import { createApcSpduSim } from './apc-spdu';
import { createRaritanPdu2Sim } from './raritan-pdu2';
import { createEatonEpduSim } from './eaton-epdu';
import { createCyberPowerEpduSim } from './cyberpower-epdu';
import { createCyberPowerEpdu2Sim } from './cyberpower-epdu2';
import { createGeistImdSim } from './geist-imd';
import { createTrippLitePduSim } from './tripplite-pdu';
import { createAvocentPmSim } from './avocent-pm';

/** Simulated SNMP PDUs by profile id; each is written from its vendor's MIB. */
export const snmpSims: Record<string, SimFactory> = {
  sentry2: createSentry2Sim,
  sentry3: createSentry3Sim,
  sentry4: createSentry4Sim,
  'apc-rpdu2': createApcRpdu2Sim,
  'apc-rpdu2-metered': createApcRpdu2MeteredSim,
  'apc-rpdu': createApcRpduSim,
  'apc-spdu': createApcSpduSim,
  'raritan-pdu2': createRaritanPdu2Sim,
  'eaton-epdu': createEatonEpduSim,
  'cyberpower-epdu': createCyberPowerEpduSim,
  'cyberpower-epdu2': createCyberPowerEpdu2Sim,
  'geist-imd': createGeistImdSim,
  'tripplite-pdu': createTrippLitePduSim,
  'avocent-pm': createAvocentPmSim,
};
