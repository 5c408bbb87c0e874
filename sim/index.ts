import { snmpSims } from './snmp';
import { cliSims } from './cli/index';
import type { SimDevice, SimDeviceOptions, SimFactory } from './snmp/sim-device';

export type { SimDevice, SimDeviceOptions } from './snmp/sim-device';

/**
 * Every simulated device kind, by name. SNMP PDUs are named after the profile they answer to;
 * other kinds (the power-manager CLI, the NUT server) register here as they are added.
 */
export const simulators: Record<string, SimFactory> = {
  ...snmpSims,
  ...cliSims,
};

export async function startSim(kind: string, options: SimDeviceOptions = {}): Promise<SimDevice> {
  const factory = simulators[kind];
  if (!factory) throw new Error(`unknown simulated device "${kind}" (known: ${Object.keys(simulators).join(', ')})`);
  return factory(options);
}
