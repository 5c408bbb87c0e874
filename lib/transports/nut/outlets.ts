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
    // Older snmp-ups print numeric ids as numbers (`outlet.1.id: 1.00`): the id is `1`.
    id: (vars[`outlet.${n}.id`] || String(n)).replace(/^(\d+)\.0+$/, '$1'),
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

/**
 * What `outlet.n.switchable` says: drivers write `yes`/`no`, older snmp-ups versions a number
 * (`1.00`/`0.00`). Anything else (or nothing) says nothing: undefined.
 */
export function outletSwitchable(value: string | undefined): boolean | undefined {
  const text = (value ?? '').trim().toLowerCase();
  if (text === 'yes' || text === 'on' || text === 'true') return true;
  if (text === 'no' || text === 'off' || text === 'false') return false;
  const numeric = /^\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
  if (numeric === 1) return true;
  if (numeric === 0) return false;
  return undefined;
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
    inputCurrent: has(/^input\.(L[1-3]\.)?current$/),
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

/**
 * The input as NUT's drivers name it (docs/nut-names.txt): the whole unit as `input.current`,
 * `input.realpower` (W) or `input.power` (VA), `input.voltage`; each phase as `input.Ln.current`,
 * `input.Ln.realpower`/`.power`, and its voltage to neutral as `input.Ln-N.voltage` (snmp-ups'
 * usual name) or `input.Ln.voltage` (Eaton ePDUs), or between phases as `input.L1-L2.voltage`.
 * A single-phase unit (`input.phases: 1`) is one input: its L1 values fill what the unit lacks.
 */
function inputs(vars: Record<string, string>): InputReading[] {
  const result: InputReading[] = [];
  const first = (...names: string[]): number | undefined => names.map((name) => number(vars[name])).find((value) => value !== undefined);
  const add = (name: string, current?: number, power?: number, voltage?: number): void => {
    const reading: InputReading = { index: result.length + 1, name };
    if (current !== undefined) reading.current = current;
    if (power !== undefined) reading.power = power;
    if (voltage !== undefined) reading.voltage = voltage;
    if (current !== undefined || power !== undefined || voltage !== undefined) result.push(reading);
  };
  const phase = (n: number) => {
    const next = (n % 3) + 1;
    return {
      current: first(`input.L${n}.current`),
      power: first(`input.L${n}.realpower`, `input.L${n}.power`),
      voltage: first(`input.L${n}-N.voltage`, `input.L${n}.voltage`, `input.L${n}-L${next}.voltage`),
    };
  };
  const phases = number(vars['input.phases']);
  if (phases === 1) {
    const l1 = phase(1);
    add('Input', first('input.current') ?? l1.current, first('input.realpower', 'input.power') ?? l1.power,
      first('input.voltage') ?? l1.voltage);
    return result;
  }
  add('Input', first('input.current'), first('input.realpower', 'input.power'), first('input.voltage'));
  for (const n of [1, 2, 3]) {
    if (phases !== undefined && n > phases) break;
    const values = phase(n);
    add(`L${n}`, values.current, values.power, values.voltage);
  }
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
