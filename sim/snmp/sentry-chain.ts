import type { SimModel, SimOutlet } from '../model';

// What the simulated Sentry3 and Sentry4 agents share: the hardware of a ServerTech chain. The
// outlets of the model are shared out in order over towers (Sentry3) or units (Sentry4) A, B ..,
// each with one input feed (or cord) A, so outlet 5 of a two-tower chain of 8 is `BA1`.

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
  outlets: ChainOutlet[];
}

export function sentryChain(model: SimModel, towers: number, most: number): ChainTower[] {
  if (!Number.isInteger(towers) || towers < 1 || towers > most) {
    throw new Error(`a Sentry chain has 1 to ${most} towers, not ${towers}`);
  }
  const perTower = Math.ceil(model.outlets.length / towers);
  const chain: ChainTower[] = [];
  model.outlets.forEach((outlet, i) => {
    const tower = Math.floor(i / perTower);
    const letter = String.fromCharCode(65 + tower);
    if (!chain[tower]) chain[tower] = { index: tower + 1, letter, outlets: [] };
    const position = chain[tower].outlets.length + 1;
    chain[tower].outlets.push({ outlet, position, id: `${letter}A${position}` });
  });
  return chain;
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
