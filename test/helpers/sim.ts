import { startSim, type SimDevice, type SimDeviceOptions } from '../../sim';

/** A simulated device on a free loopback port, with quick reboots and no drift (tests are exact). */
export function simDevice(kind: string, options: SimDeviceOptions = {}): Promise<SimDevice> {
  return startSim(kind, { port: 0, rebootDelay: 300, driftInterval: 0, ...options });
}

/** A pdu-config node for a simulated SNMP device, and its credentials. */
export function snmpConfig(id: string, sim: SimDevice, extra: Record<string, unknown> = {}) {
  return {
    node: {
      id, type: 'pdu-config', name: `${sim.id}-sim`, transport: 'snmp', host: '127.0.0.1', port: String(sim.port),
      profile: sim.id, snmpVersion: '2c', timeout: '400', retries: '1', ...extra,
    },
    credentials: { readCommunity: 'public', writeCommunity: 'private' },
  };
}
