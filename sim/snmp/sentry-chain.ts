import * as snmp from 'net-snmp';
import type { SimModel, SimOutlet } from '../model';
import { startAgent, type StartedAgent } from './agent';
import { runningAgent, simModel, type SimDevice, type SimDeviceOptions } from './sim-device';
import type { SetRecord } from './table';

// What the simulated Sentry3 and Sentry4 agents share: the hardware of a ServerTech chain and
// how it answers a power action. The outlets of the model are shared out in order over towers
// (Sentry3) or units (Sentry4) A, B .., each with one input feed (or cord) A, so outlet 5 of a
// two-tower chain of 8 is `BA1`. Each agent maps this onto its own MIB.

export interface ChainOutlet {
  outlet: SimOutlet;
  /** The outlet's place on its infeed, from 1. */
  position: number;
  /** The vendor's absolute id: tower, infeed, position (`BA1`). */
  id: string;
}

export interface ChainTower {
  /** 1-based, as the MIB's tower/unit index. */
  index: number;
  letter: string;
  /** `Master` for the first, `Link` for the others, as the PDUs name them. */
  role: string;
  outlets: ChainOutlet[];
}

export interface SentryChainSpec {
  towers: number;
  /** The most towers (units) the MIB's index allows. */
  most: number;
  defaultOutlets: number;
  voltage: number;
  sysDescr: string;
  sysObjectID: string;
  sysName: string;
}

export interface SentryChain {
  model: SimModel;
  chain: ChainTower[];
  /** Outlets by their row index in the outlet tables: `tower.1.position`. */
  byRow: Map<string, ChainOutlet>;
  started: StartedAgent;
  sets: SetRecord[];
}

/** The simulated hardware and an agent for it, with no vendor objects yet. */
export async function startSentryChain(options: SimDeviceOptions, spec: SentryChainSpec): Promise<SentryChain> {
  if (!Number.isInteger(spec.towers) || spec.towers < 1 || spec.towers > spec.most) {
    throw new Error(`a Sentry chain has 1 to ${spec.most} towers, not ${spec.towers}`);
  }
  const model = simModel(options, spec.defaultOutlets, { voltage: spec.voltage });
  const chain = layChain(model, spec.towers);
  const byRow = new Map<string, ChainOutlet>();
  for (const tower of chain) for (const place of tower.outlets) byRow.set(`${tower.index}.1.${place.position}`, place);
  const started = await startAgent({
    port: options.port ?? 0,
    address: options.address,
    readCommunity: options.readCommunity,
    writeCommunity: options.writeCommunity,
    sysDescr: spec.sysDescr,
    sysObjectID: spec.sysObjectID,
    sysName: options.name ?? spec.sysName,
  }, model);
  return { model, chain, byRow, started, sets: [] };
}

function layChain(model: SimModel, towers: number): ChainTower[] {
  const perTower = Math.ceil(model.outlets.length / towers);
  const chain: ChainTower[] = [];
  model.outlets.forEach((outlet, i) => {
    const tower = Math.floor(i / perTower);
    const letter = String.fromCharCode(65 + tower);
    if (!chain[tower]) chain[tower] = { index: tower + 1, letter, role: tower === 0 ? 'Master' : 'Link', outlets: [] };
    const position = chain[tower].outlets.length + 1;
    chain[tower].outlets.push({ outlet, position, id: `${letter}A${position}` });
  });
  return chain;
}

/** Both MIBs' control actions: none(0), on(1), off(2), reboot(3). */
export const ACTION = { none: 0, on: 1, off: 2, reboot: 3 };

/**
 * A SET of an outlet's control action (test and commit pass). `known` are the values the MIB
 * lists; `perform` runs on commit. The MIBs do not say how a locked outlet answers: we refuse
 * with genErr, as the Sentry2 agent refuses a power action it cannot do.
 */
export function outletAction(place: ChainOutlet | undefined, value: unknown, commit: boolean, known: number[],
  perform: (outlet: SimOutlet, action: number) => void): snmp.ErrorStatus | undefined {
  if (!place) return snmp.ErrorStatus.NoSuchName;
  const action = Number(value);
  if (!known.includes(action)) return snmp.ErrorStatus.WrongValue;
  if (action === ACTION.none) return undefined;
  if (place.outlet.locked) return snmp.ErrorStatus.GeneralError;
  if (commit) perform(place.outlet, action);
  return undefined;
}

/** Do an on, off or reboot action on the model. */
export function powerAction(model: SimModel, outlet: SimOutlet, action: number): void {
  if (action === ACTION.reboot) model.reboot(outlet.number);
  else model.switch(outlet.number, action === ACTION.on);
}

/** The outlet's control state, in the codes of one MIB. */
export function controlState(outlet: SimOutlet,
  codes: { on: number; off: number; lockedOn: number; lockedOff: number; reboot: number }): number {
  if (outlet.locked) return outlet.on ? codes.lockedOn : codes.lockedOff;
  if (outlet.rebooting) return codes.reboot;
  return outlet.on ? codes.on : codes.off;
}

/** Whether the outlet gives power: a failed relay or sense module contradicts the setting. */
export function sensedOn(outlet: SimOutlet): boolean {
  if (outlet.module === 'onFail') return false;
  if (outlet.module === 'offFail') return true;
  return outlet.on;
}

/** Amperes the outlet draws, as its current sensor sees them. */
export function sensedAmps(outlet: SimOutlet): number {
  return sensedOn(outlet) ? outlet.baseLoad : 0;
}

/** Temperature in tenths of a degree on the agent's scale. */
export function tenthsOfDegree(celsius: number, fahrenheit: boolean): number {
  return Math.round((fahrenheit ? celsius * 9 / 5 + 32 : celsius) * 10);
}

/** Publish the outlets after each change, and hand the running device over. */
export function runSentry(id: string, { model, started, sets }: SentryChain, sync: () => void, summary: string): SimDevice {
  sync();
  model.on('change', sync);
  return runningAgent(id, started, model, sets, summary);
}
