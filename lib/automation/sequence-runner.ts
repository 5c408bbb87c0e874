import type { SwitchResult } from '../device/device';
import type { PowerAction } from '../types';
import { SWITCH_ACTIONS, stepText, type PlanStep } from './sequence-plan';
import { timerClock, waitFor, type ConditionSources, type SequenceClock } from './sequence-wait';

export type StepOutcome = 'ok' | 'failed' | 'skipped' | 'cancelled' | 'interrupted';
/** `interrupted`: Node-RED stopped (restart, redeploy) while the plan ran, and the node was set to stop. */
export type PlanOutcome = 'ok' | 'failed' | 'cancelled' | 'interrupted';

export interface OutletRef { index: number; id: string; name: string }

export interface StepReport {
  /** 1-based, as the editor lists the steps. */
  index: number;
  label: string;
  action: PlanStep['action'];
  device?: string;
  outlets?: PlanStep['outlets'];
  /** The step in words: `off 5,6 @ rack-12`, `tcp nas:445`. */
  text: string;
  outcome: StepOutcome;
  error?: string;
  /** What a wait saw last; what a switch did is in `result`. */
  detail?: string;
  result?: SwitchResult;
  durationMs: number;
}

/** Outlets the plan turned off, that a step it did not get to would have turned on again. */
export interface LeftOff {
  device: string;
  deviceName: string;
  outlets: OutletRef[];
  /** The device could not be asked which outlets the later steps name: every outlet the plan turned off there is listed. */
  uncertain?: boolean;
}

/** The plan in progress, as persisted across restarts. Plain JSON. */
export interface RunState {
  id: string;
  plan: PlanStep[];
  startedAt: number;
  /** 0-based position of the step in flight (plan.length once done). */
  step: number;
  /**
   * When the step in flight started (epoch ms). A delay resumed after a restart waits only what
   * is left of it: the time Node-RED was stopped has passed for the devices too.
   */
  stepStartedAt?: number;
  reports: StepReport[];
  /** Outlets this plan turned off and has not turned on again, per device. */
  turnedOff: Record<string, OutletRef[]>;
}

export interface SequenceReport {
  id: string;
  outcome: PlanOutcome;
  text: string;
  steps: StepReport[];
  leftOff: LeftOff[];
  startedAt: string;
  durationMs: number;
}

export interface SequenceEnvironment extends ConditionSources {
  switch(step: PlanStep & { action: PowerAction }): Promise<SwitchResult>;
  /** The outlet indexes the outlets of a step name on its device now. */
  resolve(device: string, outlets: PlanStep['outlets']): Promise<number[]>;
  deviceName(device: string): string;
  /** Keep the plan in progress (a context store); forget it when the plan ends. */
  save(state: RunState): Promise<void>;
  forget(): Promise<void>;
  /** Each step as it starts and as it ends, for the node's status and progress output. */
  stepStarted?(position: number, step: PlanStep): void;
  stepEnded?(report: StepReport): void;
  clock?: SequenceClock;
  /** How often a wait checks its condition again, ms. */
  pollInterval?: number;
}

export function newRun(plan: PlanStep[], now: number, id = `${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`): RunState {
  return { id, plan, startedAt: now, step: 0, reports: [], turnedOff: {} };
}

/**
 * Runs one plan from its step in flight (0 for a new plan, the saved one on resume) to the end,
 * saving its progress before and after every step. cancel() lets a switch on the wire finish
 * (its outcome is kept) and abandons a delay or a wait at once.
 */
export class SequenceRun {
  private readonly abort = new AbortController();
  private readonly clock: SequenceClock;
  /** The step in flight when cancel() came (0-based). */
  private cancelledAt?: number;
  private halted = false;
  /** The step a saved state was in flight at, whose start is carried over; undefined for a new plan. */
  private readonly resumedStep?: number;

  constructor(private readonly env: SequenceEnvironment, readonly state: RunState) {
    this.clock = env.clock ?? timerClock;
    if (state.stepStartedAt !== undefined) this.resumedStep = state.step;
  }

  get position(): number {
    return this.state.step;
  }

  cancel(): void {
    if (this.abort.signal.aborted) return;
    this.cancelledAt = this.state.step;
    this.abort.abort();
  }

  /**
   * Node-RED is stopping (restart, redeploy): abandon the run without a report and without
   * forgetting it, so that the next start finds the step in flight in the store.
   */
  halt(): void {
    this.halted = true;
    this.abort.abort();
  }

  /** The plan's report; undefined when halted. */
  async run(): Promise<SequenceReport | undefined> {
    const { state } = this;
    while (state.step < state.plan.length && !this.abort.signal.aborted) {
      const step = state.plan[state.step];
      state.stepStartedAt = this.stepStart(state.step);
      await this.env.save(state);
      this.env.stepStarted?.(state.step, step);
      const report = await this.runStep(state.step, step);
      if (this.halted) return undefined;
      state.reports[state.step] = report;
      this.env.stepEnded?.(report);
      if (report.outcome === 'cancelled') break;
      state.step += 1;
      if (report.outcome === 'failed' && step.onFailure === 'stop') break;
    }
    if (this.halted) return undefined;
    // A cancel that came while the last step finished changed nothing: the plan is done.
    const cutShort = state.reports.length < state.plan.length || state.reports[state.plan.length - 1]?.outcome === 'cancelled';
    const cancelled = this.cancelledAt !== undefined && cutShort;
    const report = await finish(this.env, state, cancelled ? { kind: 'cancelled', at: this.cancelledAt! } : undefined, this.clock.now());
    await this.env.forget();
    return report;
  }

  private async runStep(position: number, step: PlanStep): Promise<StepReport> {
    // From the start the run saved (before the save itself, which a file store may make slow):
    // a delay waits until then plus its seconds, and its report never says less.
    const started = this.state.stepStartedAt ?? this.clock.now();
    const base = {
      index: position + 1, label: step.label, action: step.action, text: stepText(step, (ref) => this.env.deviceName(ref)),
      ...(step.device ? { device: step.device } : {}), ...(step.outlets !== undefined ? { outlets: step.outlets } : {}),
    };
    const ended = (outcome: StepOutcome, extra: Partial<StepReport> = {}): StepReport => ({
      ...base, outcome, ...extra, durationMs: this.clock.now() - started,
    });
    if (SWITCH_ACTIONS.includes(step.action)) {
      try {
        const result = await this.env.switch(step as PlanStep & { action: PowerAction });
        this.track(step, result);
        const unverified = result.outlets.filter((outlet) => !outlet.verified);
        if (unverified.length > 0) {
          return ended('failed', { result, error: `not verified: ${unverified.map((o) => `outlet ${o.index} (${o.name}) reads ${o.after}`).join(', ')}` });
        }
        return ended('ok', { result });
      } catch (error) {
        return ended('failed', { error: (error as Error).message });
      }
    }
    if (step.action === 'delay') {
      // A timer can fire a millisecond before the clock says the time is up (Node rounds its
      // timers): wait out what is left, so that a delay against inrush is never short.
      const end = started + step.seconds! * 1000;
      while (!this.abort.signal.aborted && this.clock.now() < end) await this.clock.sleep(end - this.clock.now(), this.abort.signal);
      return this.abort.signal.aborted ? ended('cancelled', { error: 'cancelled during the delay' }) : ended('ok');
    }
    const wait = await waitFor(step, this.env, this.clock, this.abort.signal, this.env.pollInterval ?? 2000);
    if (wait.cancelled) return ended('cancelled', { detail: wait.detail, error: 'cancelled while waiting' });
    if (wait.met) return ended('ok', { detail: wait.detail });
    if (wait.hopeless) return ended('failed', { detail: wait.detail, error: `cannot be met: ${wait.detail}` });
    return ended('failed', { detail: wait.detail, error: `not met within ${step.timeout} s (last: ${wait.detail})` });
  }

  /**
   * The start of the step at `position`: now, or for the step a restart cut short, when it first
   * started. A saved start later than now (the clock was set back) counts from now, so that a
   * delay is never cut short.
   */
  private stepStart(position: number): number {
    const now = this.clock.now();
    const saved = this.state.stepStartedAt;
    if (position !== this.resumedStep || saved === undefined || !Number.isFinite(saved) || saved > now) return now;
    return saved;
  }

  /** Remember what the plan turned off, so that a plan stopped early can say what it left off. */
  private track(step: PlanStep, result: SwitchResult): void {
    const device = step.device!;
    const off = new Map((this.state.turnedOff[device] ?? []).map((outlet) => [outlet.index, outlet]));
    for (const outlet of result.outlets) {
      if (step.action === 'off' && outlet.after !== 'on') off.set(outlet.index, { index: outlet.index, id: outlet.id, name: outlet.name });
      if (step.action !== 'off' && outlet.after === 'on') off.delete(outlet.index);
    }
    this.state.turnedOff[device] = [...off.values()];
  }
}

/**
 * The plan's report. A plan that stops before its end (a failed step, cancel, a restart set to
 * stop) marks the steps it did not run, and lists the outlets it turned off that one of those
 * steps would have turned on again: nothing is left off without saying so.
 */
export async function finish(env: SequenceEnvironment, state: RunState, stopped: { kind: 'cancelled' | 'interrupted'; at: number } | undefined,
  now: number): Promise<SequenceReport> {
  const steps: StepReport[] = state.plan.map((step, position) => state.reports[position] ?? {
    index: position + 1, label: step.label, action: step.action, text: stepText(step, (ref) => env.deviceName(ref)),
    ...(step.device ? { device: step.device } : {}), ...(step.outlets !== undefined ? { outlets: step.outlets } : {}),
    outcome: stopped?.kind === 'interrupted' && position === state.step ? 'interrupted' : 'skipped', durationMs: 0,
  });
  const failed = steps.filter((step) => step.outcome === 'failed');
  const unfinished = steps.findIndex((step) => step.outcome !== 'ok' && !(step.outcome === 'failed' && state.plan[step.index - 1].onFailure === 'continue'));
  const leftOff = unfinished >= 0 ? await outletsLeftOff(env, state, unfinished) : [];
  const outcome: PlanOutcome = stopped?.kind ?? (failed.length > 0 ? 'failed' : 'ok');
  return {
    id: state.id,
    outcome,
    text: summary(outcome, steps, leftOff, stopped?.at),
    steps,
    leftOff,
    startedAt: new Date(state.startedAt).toISOString(),
    durationMs: now - state.startedAt,
  };
}

/** Outlets the plan turned off that an `on` or `reboot` step from `from` on names. */
async function outletsLeftOff(env: SequenceEnvironment, state: RunState, from: number): Promise<LeftOff[]> {
  const found: LeftOff[] = [];
  for (const [device, turnedOff] of Object.entries(state.turnedOff)) {
    if (turnedOff.length === 0) continue;
    const later = state.plan.slice(from).filter((step, offset) => step.device === device && (step.action === 'on' || step.action === 'reboot')
      && state.reports[from + offset]?.outcome !== 'ok');
    if (later.length === 0) continue;
    try {
      const named = new Set<number>();
      for (const step of later) for (const index of await env.resolve(device, step.outlets)) named.add(index);
      const left = turnedOff.filter((outlet) => named.has(outlet.index));
      if (left.length) found.push({ device, deviceName: env.deviceName(device), outlets: left });
    } catch {
      found.push({ device, deviceName: env.deviceName(device), outlets: turnedOff, uncertain: true });
    }
  }
  return found;
}

function summary(outcome: PlanOutcome, steps: StepReport[], leftOff: LeftOff[], at: number | undefined): string {
  const ran = steps.filter((step) => step.outcome === 'ok' || step.outcome === 'failed').length;
  const failed = steps.filter((step) => step.outcome === 'failed');
  const skipped = steps.find((step) => step.outcome === 'skipped');
  let text: string;
  if (outcome === 'ok') text = `all ${steps.length} steps done`;
  else if (outcome === 'cancelled') text = `cancelled at step ${at! + 1}`;
  else if (outcome === 'interrupted') text = `stopped at step ${at! + 1} by a restart or redeploy of Node-RED`;
  else text = `${failed.length} of ${ran} steps failed (${failed.map((step) => `step ${step.index}: ${step.error}`).join('; ')})`;
  if (outcome === 'failed' && skipped) text += `; stopped before step ${skipped.index}`;
  for (const left of leftOff) {
    text += `; left off on ${left.deviceName}: ${left.outlets.map((o) => `outlet ${o.index} (${o.name})`).join(', ')}`
      + (left.uncertain ? ' (every outlet the plan turned off there: the device could not say which the later steps name)' : '');
  }
  return text;
}
