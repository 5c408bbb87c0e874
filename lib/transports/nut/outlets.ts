import type {
  Capabilities, InputReading, OutletInfo, OutletReading, OutletState, SensorReading, Snapshot,
} from '../../types';

// A PDU (or a UPS with switchable outlets) as NUT names it (docs/nut-names.txt): outlet.0 or no
// index is the whole unit, outlets count from 1 (`outlet.n.status`, `outlet.n.load.on` ...).

/** Outlet numbers: 1..outlet.count when the driver gives a count, else every `outlet.n.*` seen. */
export function outletNumbers(vars: Record<string, string>): number[] {
  const count = Number(vars['outlet.count']);
  if (Number.isInteger(count) && count > 0) return Array.from({ length: count }, (_, i) => i + 1);
  const found = new Set<number>();
  for (const name of Object.keys(vars)) {
    const match = /^outlet\.(\d+)\./.exec(name);
    if (match && Number(match[1]) > 0) found.add(Number(match[1]));
  }
  return [...found].sort((a, b) => a - b);
}

export function describeOutlets(vars: Record<string, string>): OutletInfo[] {
  return outletNumbers(vars).map((n) => ({
    index: n,
    id: vars[`outlet.${n}.id`] || String(n),
    name: vars[`outlet.${n}.name`] || vars[`outlet.${n}.desc`] || '',
    groups: [],
    key: String(n),
  }));
}

/** The command the driver sends for an action, or the writable variable it falls back to. */
export type SwitchMethod = { kind: 'instcmd'; command: string } | { kind: 'setvar'; variable: string; value: 'on' | 'off' };

const COMMAND = { on: 'load.on', off: 'load.off', reboot: 'load.cycle' } as const;

/**
 * How outlet n is switched: its `outlet.n.load.on|off|cycle` instant command when the UPS lists
 * it, else a writable `outlet.n.status` (dummy-ups, and drivers that expose switching that way).
 * No way at all: undefined.
 */
export function switchMethod(n: number, action: keyof typeof COMMAND, commands: Set<string>,
  writable: Set<string>): SwitchMethod | undefined {
  const command = `outlet.${n}.${COMMAND[action]}`;
  if (commands.has(command)) return { kind: 'instcmd', command };
  if (action !== 'reboot' && writable.has(`outlet.${n}.status`)) return { kind: 'setvar', variable: `outlet.${n}.status`, value: action };
  return undefined;
}

export function outletState(value: string | undefined): OutletState {
  const text = (value ?? '').trim().toLowerCase();
  if (text === 'on') return 'on';
  if (text === 'off') return 'off';
  return 'unknown';
}

function number(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

export function capabilities(vars: Record<string, string>, outlets: OutletInfo[], commands: Set<string>,
  writable: Set<string>): Capabilities {
  const switchable = outlets.filter((outlet) => switchMethod(outlet.index, 'off', commands, writable));
  const has = (pattern: RegExp): boolean => Object.keys(vars).some((name) => pattern.test(name));
  return {
    switch: switchable.length > 0,
    nativeReboot: switchable.length > 0 && switchable.every((outlet) => commands.has(`outlet.${outlet.index}.load.cycle`)),
    outletCurrent: has(/^outlet\.[1-9]\d*\.current$/),
    outletPower: has(/^outlet\.[1-9]\d*\.(realpower|power)$/),
    moduleStatus: false,
    inputCurrent: 'input.current' in vars,
    temperature: has(/^ambient\.(\d+\.)?temperature$/),
    humidity: has(/^ambient\.(\d+\.)?humidity$/),
  };
}

export function snapshot(vars: Record<string, string>, outlets: OutletInfo[]): Snapshot {
  const readings = outlets.map((outlet): OutletReading => {
    const n = outlet.index;
    const reading: OutletReading = { index: n, id: outlet.id, name: outlet.name, state: outletState(vars[`outlet.${n}.status`]) };
    const current = number(vars[`outlet.${n}.current`]);
    if (current !== undefined) reading.current = current;
    // NUT's realpower is in W; power is apparent power (VA), the best there is without it.
    const power = number(vars[`outlet.${n}.realpower`]) ?? number(vars[`outlet.${n}.power`]);
    if (power !== undefined) reading.power = power;
    return reading;
  });
  return { outlets: readings, inputs: inputs(vars), sensors: sensors(vars) };
}

function inputs(vars: Record<string, string>): InputReading[] {
  const result: InputReading[] = [];
  const add = (index: number, name: string, prefix: string, voltageName: string): void => {
    const reading: InputReading = { index, name };
    const current = number(vars[`${prefix}.current`]);
    const power = number(vars[`${prefix}.realpower`]);
    const voltage = number(vars[voltageName]);
    if (current !== undefined) reading.current = current;
    if (power !== undefined) reading.power = power;
    if (voltage !== undefined) reading.voltage = voltage;
    if (current !== undefined || power !== undefined || voltage !== undefined) result.push(reading);
  };
  add(1, 'Input', 'input', 'input.voltage');
  for (const phase of [1, 2, 3]) add(result.length + 1, `L${phase}`, `input.L${phase}`, `input.L${phase}-N.voltage`);
  return result;
}

function sensors(vars: Record<string, string>): SensorReading[] {
  const result: SensorReading[] = [];
  const add = (prefix: string, name: string): void => {
    const temperature = number(vars[`${prefix}.temperature`]);
    const humidity = number(vars[`${prefix}.humidity`]);
    if (temperature !== undefined) result.push({ index: result.length + 1, name, type: 'temperature', value: temperature, unit: '°C' });
    if (humidity !== undefined) result.push({ index: result.length + 1, name, type: 'humidity', value: humidity, unit: '%' });
  };
  add('ambient', 'Ambient');
  const numbered = new Set<number>();
  for (const name of Object.keys(vars)) {
    const match = /^ambient\.(\d+)\./.exec(name);
    if (match) numbered.add(Number(match[1]));
  }
  for (const n of [...numbered].sort((a, b) => a - b)) add(`ambient.${n}`, vars[`ambient.${n}.name`] || `Ambient ${n}`);
  return result;
}
