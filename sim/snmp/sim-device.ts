import { SimModel, type SimModelOptions, type SimOutletConfig } from '../model';
import type { StartedAgent } from './agent';
import type { SetRecord } from './table';

export interface SimDeviceOptions {
  /** UDP/TCP port; 0 = any free port (read it back from the device). */
  port?: number;
  address?: string;
  outlets?: number | SimOutletConfig[];
  /** How long a reboot keeps an outlet off, ms. */
  rebootDelay?: number;
  readCommunity?: string;
  writeCommunity?: string;
  /** Drift sensors every this many ms; 0 = never (tests). */
  driftInterval?: number;
  /** Outlets (numbers) the device's administrator locked. */
  locked?: number[];
  name?: string;
  /** Faults of a real agent (SNMP devices): see AgentOptions. */
  answerCommunity?: string;
  maxSetVarbinds?: number;
}

export interface SimDevice {
  id: string;
  port: number;
  model: SimModel;
  /** SETs the device accepted (SNMP devices), oldest first. */
  sets?: Array<{ oid: string; value: unknown }>;
  /** One line for the console: what runs where. */
  summary: string;
  stop(): Promise<void>;
}

export type SimFactory = (options: SimDeviceOptions) => Promise<SimDevice>;

/** Outlet configs with the locked list applied. */
export function outletConfigs(options: SimDeviceOptions, fallback: number): SimOutletConfig[] {
  const given = options.outlets ?? fallback;
  const configs: SimOutletConfig[] = typeof given === 'number'
    ? Array.from({ length: given }, (_, i) => ({ name: `server-${String(i + 1).padStart(2, '0')}` }))
    : given.map((config) => ({ ...config }));
  for (const number of options.locked ?? []) if (configs[number - 1]) configs[number - 1].locked = true;
  return configs;
}

/**
 * The hardware behind a simulated device: its outlets (the locked list applied), reboot delay
 * and sensor drift from the options, and what sets this model apart (mains voltage, temperature).
 */
export function simModel(options: SimDeviceOptions, fallbackOutlets: number,
  own: Omit<SimModelOptions, 'outlets' | 'rebootDelay' | 'driftInterval'> = {}): SimModel {
  return new SimModel({
    outlets: outletConfigs(options, fallbackOutlets),
    rebootDelay: options.rebootDelay,
    driftInterval: options.driftInterval,
    ...own,
  });
}

/**
 * A simulated SNMP device that runs: `stop()` ends the device's own timers (`cleanup`), the
 * model's, and the agent.
 */
export function runningAgent(id: string, started: StartedAgent, model: SimModel, sets: SetRecord[], summary: string,
  cleanup?: () => void): SimDevice {
  return {
    id,
    port: started.port,
    model,
    sets,
    summary: `${summary} on udp ${started.port}`,
    async stop() {
      cleanup?.();
      model.stop();
      model.removeAllListeners();
      await started.close();
    },
  };
}
