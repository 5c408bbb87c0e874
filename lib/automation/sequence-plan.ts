import type { PowerAction } from '../types';
import type { TargetSpec } from '../device/targets';

/**
 * A power sequence: an ordered list of steps, each one of
 * - a switch (`on`, `off`, `reboot`) of outlets of one device, through that Device's safety rules;
 * - a `delay` of some seconds (the Sentry power manager's staggered power-on against inrush);
 * - a wait for a condition, with a timeout: `ping` a host, `tcp` a port opens, `current` of an
 *   outlet rises above a level, `ups-online` (the UPS says OL).
 * One flat shape for every kind, so the editor's list and `msg.plan` are the same thing.
 */
export type StepAction = PowerAction | 'delay' | 'ping' | 'tcp' | 'current' | 'ups-online';

export interface PlanStep {
  label: string;
  action: StepAction;
  /** The pdu-config (id or name) a switch, `current` or `ups-online` step uses. */
  device?: string;
  /** Switch: the outlets (numbers, names, ids, groups). `current`: the one outlet read. */
  outlets?: TargetSpec;
  /** Switch: accept `all` as the outlets. */
  allowAll?: boolean;
  /** delay: how long. */
  seconds?: number;
  host?: string;
  port?: number;
  /** current: amperes the outlet must draw more than. */
  above?: number;
  /** ups-online: the UPS name on the NUT server (default: the config's). */
  ups?: string;
  /** Waits: seconds before the step fails. */
  timeout?: number;
  onFailure: 'stop' | 'continue';
}

export const SWITCH_ACTIONS: readonly StepAction[] = ['on', 'off', 'reboot'];
export const WAIT_ACTIONS: readonly StepAction[] = ['ping', 'tcp', 'current', 'ups-online'];
const ACTIONS: readonly StepAction[] = [...SWITCH_ACTIONS, 'delay', ...WAIT_ACTIONS];

export const MAX_STEPS = 200;
/** A day: a longer wait is a mistake in units (ms for s), not a plan. */
export const MAX_SECONDS = 86_400;
export const DEFAULT_TIMEOUT_SECONDS = 60;

/** What each kind of step may carry; anything else is a typo the plan must not silently ignore. */
const FIELDS: Record<string, readonly string[]> = {
  switch: ['device', 'outlets', 'allowAll'],
  delay: ['seconds'],
  ping: ['host', 'timeout'],
  tcp: ['host', 'port', 'timeout'],
  current: ['device', 'outlets', 'above', 'timeout'],
  'ups-online': ['device', 'ups', 'timeout'],
};
const COMMON = ['label', 'action', 'onFailure'];

export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

export interface PlanCheckOptions {
  /** Why a device reference (a pdu-config id or name) cannot serve this kind of step; undefined when it can. */
  device(ref: string, action: StepAction): string | undefined;
}

/**
 * Check a plan whole before anything is switched: every step's kind, its fields, their types and
 * ranges, and its device. The first mistake is thrown as a PlanError naming the step.
 */
export function checkPlan(input: unknown, options: PlanCheckOptions): PlanStep[] {
  if (!Array.isArray(input)) throw new PlanError('the plan must be a list of steps');
  if (input.length === 0) throw new PlanError('the plan has no steps');
  if (input.length > MAX_STEPS) throw new PlanError(`the plan has ${input.length} steps; at most ${MAX_STEPS}`);
  // Array.from, not input.map: a plan built in a function node's sandbox is an array of another
  // realm, and everything made from it (the report) would carry that realm's prototypes.
  return Array.from(input as unknown[], (raw, position) => {
    try {
      return checkStep(raw, options);
    } catch (error) {
      throw new PlanError(`step ${position + 1}: ${(error as Error).message}`);
    }
  });
}

function checkStep(raw: unknown, options: PlanCheckOptions): PlanStep {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('a step must be an object');
  const given = raw as Record<string, unknown>;
  const action = typeof given.action === 'string' ? given.action.trim().toLowerCase() : given.action;
  if (typeof action !== 'string' || !ACTIONS.includes(action as StepAction)) {
    throw new Error(`action ${JSON.stringify(given.action)} is not one of ${ACTIONS.join(', ')}`);
  }
  const kind = SWITCH_ACTIONS.includes(action as StepAction) ? 'switch' : action;
  const allowed = new Set([...COMMON, ...FIELDS[kind]]);
  const stray = Object.keys(given).filter((key) => !allowed.has(key) && given[key] !== undefined && given[key] !== '');
  if (stray.length) throw new Error(`"${stray[0]}" does not belong to a ${action} step (it takes ${FIELDS[kind].join(', ')})`);

  const step: PlanStep = { label: label(given.label), action: action as StepAction, onFailure: onFailure(given.onFailure) };
  if (kind === 'switch' || kind === 'current' || kind === 'ups-online') step.device = device(given.device, action as StepAction, options);
  if (kind === 'switch') {
    step.outlets = outlets(given.outlets);
    if (given.allowAll !== undefined && typeof given.allowAll !== 'boolean') throw new Error('allowAll must be true or false');
    if (given.allowAll) step.allowAll = true;
  }
  if (kind === 'delay') step.seconds = seconds(given.seconds, 'seconds');
  if (WAIT_ACTIONS.includes(action as StepAction)) {
    step.timeout = given.timeout === undefined || given.timeout === '' ? DEFAULT_TIMEOUT_SECONDS : seconds(given.timeout, 'timeout');
  }
  if (kind === 'ping' || kind === 'tcp') step.host = host(given.host);
  if (kind === 'tcp') step.port = port(given.port);
  if (kind === 'current') {
    step.outlets = oneOutlet(given.outlets);
    step.above = amperes(given.above);
  }
  if (kind === 'ups-online' && given.ups !== undefined && given.ups !== '') {
    if (typeof given.ups !== 'string' || !/^[\w.-]{1,64}$/.test(given.ups)) throw new Error('ups must be a UPS name such as "ups"');
    step.ups = given.ups;
  }
  return step;
}

function label(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new Error('label must be text');
  if (value.length > 100) throw new Error('label is longer than 100 characters');
  return value.trim();
}

function onFailure(value: unknown): 'stop' | 'continue' {
  if (value === undefined || value === '' || value === 'stop') return 'stop';
  if (value === 'continue') return 'continue';
  throw new Error(`onFailure must be "stop" or "continue", not ${JSON.stringify(value)}`);
}

function device(value: unknown, action: StepAction, options: PlanCheckOptions): string {
  if (typeof value !== 'string' || !value.trim()) throw new Error('no device: name the pdu-config (its id or name)');
  const problem = options.device(value.trim(), action);
  if (problem) throw new Error(problem);
  return value.trim();
}

function outlets(value: unknown): PlanStep['outlets'] {
  const valid = (item: unknown): boolean => (typeof item === 'number' && Number.isInteger(item) && item > 0)
    || (typeof item === 'string' && item.trim() !== '' && item.length <= 200);
  if (Array.isArray(value) ? value.length > 0 && value.every(valid) : valid(value)) return value as PlanStep['outlets'];
  throw new Error('outlets must be an outlet number, name, id or group, or a non-empty list of them');
}

function oneOutlet(value: unknown): PlanStep['outlets'] {
  const chosen = outlets(value);
  const single = Array.isArray(chosen) ? (chosen.length === 1 ? chosen[0] : undefined) : chosen;
  if (single === undefined || (typeof single === 'string' && single.includes(','))) throw new Error('a current step reads one outlet');
  return single;
}

function seconds(value: unknown, name: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0 || number > MAX_SECONDS) {
    throw new Error(`${name} must be a number of seconds above 0 and at most ${MAX_SECONDS}, not ${JSON.stringify(value)}`);
  }
  return number;
}

function host(value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9.:_-]{1,253}$/.test(value.trim())) {
    throw new Error(`host must be a host name or address, not ${JSON.stringify(value)}`);
  }
  return value.trim();
}

function port(value: unknown): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > 65535) {
    throw new Error(`port must be a TCP port 1-65535, not ${JSON.stringify(value)}`);
  }
  return number;
}

function amperes(value: unknown): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0 || number > 1000) {
    throw new Error(`above must be a current in amperes (0-1000), not ${JSON.stringify(value)}`);
  }
  return number;
}

/** How a step reads in the status and the report: `off web-01 @ rack-12`, `delay 5 s`, `tcp nas:445`. */
export function stepText(step: PlanStep, deviceName: (ref: string) => string = (ref) => ref): string {
  switch (step.action) {
    case 'delay': return `delay ${step.seconds} s`;
    case 'ping': return `ping ${step.host}`;
    case 'tcp': return `tcp ${step.host}:${step.port}`;
    case 'current': return `current of ${step.outlets} @ ${deviceName(step.device!)} > ${step.above} A`;
    case 'ups-online': return `${step.ups ?? 'UPS'} @ ${deviceName(step.device!)} on line`;
    default: return `${step.action} ${[step.outlets].flat().join(',')} @ ${deviceName(step.device!)}`;
  }
}
