import type { ProbeResult, ProbeTarget } from '../device/probe';
import type { PlanStep } from './sequence-plan';

/** Time as a sequence sees it: injectable so that tests run hour-long plans on fake timers. */
export interface SequenceClock {
  now(): number;
  /** Resolves after ms, or at once when signal aborts (a cancelled plan must not wait out a delay). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const timerClock: SequenceClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise<void>((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  }),
};

/** What a wait step asks of the world: each answers once, never throws for "not yet". */
export interface ConditionSources {
  probe(target: ProbeTarget): Promise<ProbeResult>;
  /** The outlet's current in amperes (undefined when the device does not measure it). */
  outletCurrent(device: string, outlet: PlanStep['outlets']): Promise<number | undefined>;
  /** The UPS's ups.status flags (`OL`, `OB`, `LB` ...). */
  upsStatus(device: string, ups: string | undefined): Promise<string[]>;
}

export interface ConditionCheck {
  met: boolean;
  /** What was seen, for the report: `connection refused`, `0.00 A`, `OB DISCHRG`. */
  detail: string;
  /** The check can never succeed here (ping not permitted or missing): waiting longer is pointless. */
  hopeless?: boolean;
}

/** Checks the step's condition once. A read that fails is "not met" with its reason: the wait goes on. */
export async function checkCondition(step: PlanStep, sources: ConditionSources, probeTimeout: number): Promise<ConditionCheck> {
  try {
    switch (step.action) {
      case 'ping':
      case 'tcp': {
        const answer = await sources.probe({ host: step.host!, port: step.action === 'tcp' ? step.port : undefined, timeout: probeTimeout });
        if (answer.unusable) return { met: false, detail: `${answer.method}: ${answer.unusable}`, hopeless: true };
        return { met: answer.answering, detail: `${answer.method}: ${answer.detail}` };
      }
      case 'current': {
        const amperes = await sources.outletCurrent(step.device!, step.outlets);
        if (amperes === undefined) return { met: false, detail: 'the device does not measure this outlet\'s current', hopeless: true };
        return { met: amperes > step.above!, detail: `${amperes} A` };
      }
      case 'ups-online': {
        const flags = await sources.upsStatus(step.device!, step.ups);
        return { met: flags.includes('OL'), detail: `ups.status ${flags.join(' ') || '(empty)'}` };
      }
      default:
        throw new Error(`${step.action} is not a wait`);
    }
  } catch (error) {
    return { met: false, detail: (error as Error).message };
  }
}

export interface WaitOutcome {
  met: boolean;
  cancelled: boolean;
  detail: string;
  /** Gave up before the timeout: the condition can never be met here. */
  hopeless?: boolean;
}

/**
 * Check the condition until it is met, the step's timeout passes, or the plan is cancelled.
 * Each check gets at most the time left (a ping never outlives its step).
 */
export async function waitFor(step: PlanStep, sources: ConditionSources, clock: SequenceClock, signal: AbortSignal,
  interval: number): Promise<WaitOutcome> {
  const deadline = clock.now() + step.timeout! * 1000;
  let last = 'not checked';
  for (;;) {
    if (signal.aborted) return { met: false, cancelled: true, detail: last };
    const left = deadline - clock.now();
    const check = await checkCondition(step, sources, Math.max(500, Math.min(2000, left)));
    last = check.detail;
    if (check.met) return { met: true, cancelled: false, detail: last };
    if (check.hopeless) return { met: false, cancelled: false, detail: last, hopeless: true };
    if (clock.now() >= deadline) return { met: false, cancelled: false, detail: last };
    await clock.sleep(Math.min(interval, Math.max(0, deadline - clock.now())), signal);
  }
}
