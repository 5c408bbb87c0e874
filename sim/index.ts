import { createNutSim } from './nut/server';
import { snmpSims } from './snmp';
import { cliSims } from './cli/index';
import { httpSims } from './http/index';
import type { SimDevice, SimDeviceOptions, SimFactory } from './snmp/sim-device';
import { attachTrapEmitter, type TrapTarget } from './snmp/traps';

export type { SimDevice, SimDeviceOptions } from './snmp/sim-device';

/**
 * Every simulated device kind, by name. SNMP PDUs are named after the profile they answer to;
 * other kinds (the power-manager CLI, the NUT server) register here as they are added.
 */
export const simulators: Record<string, SimFactory> = {
  ...snmpSims,
  'nut-server': createNutSim,
  ...cliSims,
  ...httpSims,
};

export async function startSim(kind: string, options: SimDeviceOptions & { traps?: TrapTarget } = {}): Promise<SimDevice> {
  const factory = simulators[kind];
  if (!factory) throw new Error(`unknown simulated device "${kind}" (known: ${Object.keys(simulators).join(', ')})`);
  const device = await factory(options);
  return options.traps ? withTraps(kind, device, options.traps, options.name) : device;
}

/** The device also sends its vendor's traps when its model changes (sim/snmp/traps.ts). */
function withTraps(kind: string, device: SimDevice, target: TrapTarget, name?: string): SimDevice {
  const emitter = attachTrapEmitter(kind, device.model, target, name);
  if (!emitter) return { ...device, summary: `${device.summary} (sends no traps: no emitter for ${kind})` };
  const stop = device.stop.bind(device);
  return {
    ...device,
    summary: `${device.summary}, traps to ${emitter.target}`,
    async stop() {
      emitter.close();
      await stop();
    },
  };
}
